# tests/spane.cmake: the console's Seed pane (tui/console/pane_seed*.c),
# driven in tmux against SQLite files and the test PostgreSQL server
# (included by tests/CMakeLists.txt).
add_test(NAME console_seed COMMAND sh ${DBW_SRC}/tests/console/test_console_seed.sh
         ${DBW_BIN} ${DBW_SRC})
set_tests_properties(console_seed PROPERTIES FIXTURES_REQUIRED pg
  ENVIRONMENT "${DBW_PG_ENV};ASAN_OPTIONS=detect_leaks=1")
