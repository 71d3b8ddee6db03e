# tests/rows.cmake: the row pager against real databases (included by
# tests/CMakeLists.txt), run once per engine.
add_executable(test_rows integration/test_rows.c)
target_link_libraries(test_rows PRIVATE dbwcore)
target_include_directories(test_rows PRIVATE unit integration)
foreach(engine sqlite postgres)
  add_test(NAME it_rows_${engine} COMMAND test_rows ${engine})
  set_tests_properties(it_rows_${engine} PROPERTIES
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
    ENVIRONMENT "DBW_SRC=${DBW_SRC};${DBW_PG_ENV}")
  if(engine STREQUAL postgres)
    set_tests_properties(it_rows_${engine} PROPERTIES FIXTURES_REQUIRED pg)
  endif()
endforeach()

# The benchmark's helper (tests/bench/schema_bench.sh), built here so that
# it keeps compiling with the tree; it is not a test (no add_test).
add_executable(bench_rows_last_page bench/rows_last_page.c)
target_link_libraries(bench_rows_last_page PRIVATE dbwcore)
