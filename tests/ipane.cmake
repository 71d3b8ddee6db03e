# tests/ipane.cmake: the console's Integrity pane (tui/console/pane_integrity*.c)
# in tmux on SQLite databases (tests/console/test_console_integrity.sh).
# Included by tests/CMakeLists.txt.
add_test(NAME console_integrity COMMAND sh ${DBW_SRC}/tests/console/test_console_integrity.sh
         ${DBW_BIN} ${DBW_SRC})
set_tests_properties(console_integrity PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1")

# The orphan rows paged across connections and their export to a file
# (core/integrity_rows.c, core/integrity_export.c), both engines.
add_executable(test_integrity_rows integration/test_integrity_rows.c)
target_link_libraries(test_integrity_rows PRIVATE dbwcore)
target_include_directories(test_integrity_rows PRIVATE unit integration)
foreach(engine sqlite postgres)
  add_test(NAME it_integrity_rows_${engine} COMMAND test_integrity_rows ${engine})
  set_tests_properties(it_integrity_rows_${engine} PROPERTIES
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
    ENVIRONMENT "DBW_SRC=${DBW_SRC};${DBW_PG_ENV}"
    TIMEOUT 300)
  if(engine STREQUAL postgres)
    set_tests_properties(it_integrity_rows_${engine} PROPERTIES FIXTURES_REQUIRED pg)
  endif()
endforeach()
