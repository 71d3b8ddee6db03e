# tests/backup.cmake: backups and restore against real databases, and the
# backup/restore commands (included by tests/CMakeLists.txt).
dbw_engine_test(backup)

add_test(NAME cli_backup COMMAND sh ${DBW_SRC}/tests/cli/test_cli_backup.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_backup PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}")

# The PostgreSQL restore: back to what the database was at backup time.
add_test(NAME cli_restore_pg COMMAND sh ${DBW_SRC}/tests/cli/test_cli_restore_pg.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_restore_pg PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}")

# Backups killed with SIGKILL leave no secret and no pg_dump behind.
add_test(NAME cli_backup_kill COMMAND sh ${DBW_SRC}/tests/cli/test_cli_backup_kill.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_backup_kill PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}")

# A restore holds the run lock (the console's restore job).
dbw_engine_test(backup_lock TIMEOUT 120)

# `dbwarden restore` waits for the run lock, then fails naming the holder.
add_test(NAME cli_restore_lock COMMAND sh ${DBW_SRC}/tests/cli/test_cli_restore_lock.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_restore_lock PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}" TIMEOUT 120)

# A password given with --db leaves the process list; no core dumps.
add_test(NAME cli_secret_argv COMMAND sh ${DBW_SRC}/tests/cli/test_cli_secret_argv.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_secret_argv PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}")
