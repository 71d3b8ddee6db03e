# tests/othertools.cmake: other migration tools' version tables (included by
# tests/CMakeLists.txt).  One program, run once per engine; it also drives
# the command-line printers of tui/cli/cli_othertools.c (linked from dbwcli).
add_executable(test_othertools integration/test_othertools.c)
target_include_directories(test_othertools PRIVATE unit integration)
target_link_libraries(test_othertools PRIVATE dbwcli)
foreach(engine sqlite postgres)
  add_test(NAME it_othertools_${engine} COMMAND test_othertools ${engine})
  set_tests_properties(it_othertools_${engine} PROPERTIES
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
    ENVIRONMENT "DBW_SRC=${DBW_SRC};${DBW_PG_ENV}")
  if(engine STREQUAL postgres)
    set_tests_properties(it_othertools_${engine} PROPERTIES FIXTURES_REQUIRED pg)
  endif()
endforeach()
