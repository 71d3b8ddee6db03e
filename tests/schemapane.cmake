# tests/schemapane.cmake: the console's Schema pane (tui/console/pane_schema*.c),
# driven in tmux against SQLite and the test PostgreSQL server (included by
# tests/CMakeLists.txt).
add_test(NAME console_schema COMMAND sh ${DBW_SRC}/tests/console/test_console_schema.sh
         ${DBW_BIN} ${DBW_SRC})
set_tests_properties(console_schema PROPERTIES FIXTURES_REQUIRED pg
  ENVIRONMENT "${DBW_PG_ENV}")
