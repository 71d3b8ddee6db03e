# tests/rowsasync.cmake: the Schema pane's Rows tab read off the console's
# thread: the persistent worker (core/worker.c) as a unit, and the real
# binary in tmux reading a table another session holds locked on the test
# PostgreSQL server (included by tests/CMakeLists.txt).
add_executable(test_worker unit/test_worker.c)
target_link_libraries(test_worker PRIVATE dbwcore)
target_include_directories(test_worker PRIVATE unit)
add_test(NAME unit_worker COMMAND test_worker)

add_test(NAME console_rows_async
         COMMAND sh ${DBW_SRC}/tests/console/test_console_rows_async.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(console_rows_async PROPERTIES FIXTURES_REQUIRED pg
  ENVIRONMENT "${DBW_PG_ENV}" TIMEOUT 300)
