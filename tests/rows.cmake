# tests/rows.cmake: the row pager against real databases (included by
# tests/CMakeLists.txt), run once per engine: test_rows (paging by key),
# test_rows_views (relations without a unique key, counts, marks, binary
# values, a table the role may not read).
foreach(prog rows rows_views)
  add_executable(test_${prog} integration/test_${prog}.c)
  target_link_libraries(test_${prog} PRIVATE dbwcore)
  target_include_directories(test_${prog} PRIVATE unit integration)
  foreach(engine sqlite postgres)
    add_test(NAME it_${prog}_${engine} COMMAND test_${prog} ${engine})
    set_tests_properties(it_${prog}_${engine} PROPERTIES
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
      ENVIRONMENT "DBW_SRC=${DBW_SRC};${DBW_PG_ENV}")
    if(engine STREQUAL postgres)
      set_tests_properties(it_${prog}_${engine} PROPERTIES FIXTURES_REQUIRED pg)
    endif()
  endforeach()
endforeach()

# The benchmark's helper (tests/bench/schema_bench.sh), built here so that
# it keeps compiling with the tree; it is not a test (no add_test).
add_executable(bench_rows_last_page bench/rows_last_page.c)
target_link_libraries(bench_rows_last_page PRIVATE dbwcore)
