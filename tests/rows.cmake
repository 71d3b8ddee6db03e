# tests/rows.cmake: the row pager against real databases (included by
# tests/CMakeLists.txt), run once per engine: test_rows (paging by key),
# test_rows_views (relations without a unique key, counts, marks, binary
# values, a table the role may not read).
foreach(prog rows rows_views)
  dbw_engine_test(${prog})
endforeach()

# The benchmark's helper (tests/bench/schema_bench.sh), built here so that
# it keeps compiling with the tree; it is not a test (no add_test).
add_executable(bench_rows_last_page bench/rows_last_page.c)
target_link_libraries(bench_rows_last_page PRIVATE dbwcore)
