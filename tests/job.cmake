# tests/job.cmake: jobs on a worker thread (core/job.c, core/job_tasks.c)
# against real databases, and the Migrations pane driven in tmux
# (included by tests/CMakeLists.txt).
dbw_engine_test(job TIMEOUT 300)

# The Migrations pane doing real work: the real binary in tmux, SQLite and
# PostgreSQL (a failing migration), checked afterwards with the CLI.
add_test(NAME console_migrations
         COMMAND sh ${DBW_SRC}/tests/console/test_console_migrations.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(console_migrations PROPERTIES
  FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}" TIMEOUT 300)
