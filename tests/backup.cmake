# tests/backup.cmake: backups and restore against real databases, and the
# backup/restore commands (included by tests/CMakeLists.txt).
add_executable(test_backup integration/test_backup.c)
target_link_libraries(test_backup PRIVATE dbwcore)
target_include_directories(test_backup PRIVATE unit integration)
foreach(engine sqlite postgres)
  add_test(NAME it_backup_${engine} COMMAND test_backup ${engine})
  set_tests_properties(it_backup_${engine} PROPERTIES
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
    ENVIRONMENT "DBW_SRC=${DBW_SRC};${DBW_PG_ENV}")
  if(engine STREQUAL postgres)
    set_tests_properties(it_backup_${engine} PROPERTIES FIXTURES_REQUIRED pg)
  endif()
endforeach()

add_test(NAME cli_backup COMMAND sh ${DBW_SRC}/tests/cli/test_cli_backup.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_backup PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}")

# The PostgreSQL restore: back to what the database was at backup time.
add_test(NAME cli_restore_pg COMMAND sh ${DBW_SRC}/tests/cli/test_cli_restore_pg.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_restore_pg PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}")

# Backups killed with SIGKILL leave no secret and no pg_dump behind.
add_test(NAME cli_backup_kill COMMAND sh ${DBW_SRC}/tests/cli/test_cli_backup_kill.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_backup_kill PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}")

# A restore holds the run lock (the console's restore job).
add_executable(test_backup_lock integration/test_backup_lock.c)
target_link_libraries(test_backup_lock PRIVATE dbwcore)
target_include_directories(test_backup_lock PRIVATE unit integration)
foreach(engine sqlite postgres)
  add_test(NAME it_backup_lock_${engine} COMMAND test_backup_lock ${engine})
  set_tests_properties(it_backup_lock_${engine} PROPERTIES
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
    ENVIRONMENT "DBW_SRC=${DBW_SRC};${DBW_PG_ENV}" TIMEOUT 120)
  if(engine STREQUAL postgres)
    set_tests_properties(it_backup_lock_${engine} PROPERTIES FIXTURES_REQUIRED pg)
  endif()
endforeach()

# `dbwarden restore` waits for the run lock, then fails naming the holder.
add_test(NAME cli_restore_lock COMMAND sh ${DBW_SRC}/tests/cli/test_cli_restore_lock.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_restore_lock PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}" TIMEOUT 120)

# A password given with --db leaves the process list; no core dumps.
add_test(NAME cli_secret_argv COMMAND sh ${DBW_SRC}/tests/cli/test_cli_secret_argv.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_secret_argv PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}")
