# tests/job.cmake: jobs on a worker thread (core/job.c, core/job_tasks.c)
# against real databases, and the Migrations pane driven in tmux
# (included by tests/CMakeLists.txt).
add_executable(test_job integration/test_job.c)
target_link_libraries(test_job PRIVATE dbwcore)
target_include_directories(test_job PRIVATE unit integration)
foreach(engine sqlite postgres)
  add_test(NAME it_job_${engine} COMMAND test_job ${engine})
  set_tests_properties(it_job_${engine} PROPERTIES
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
    ENVIRONMENT "DBW_SRC=${DBW_SRC};${DBW_PG_ENV}"
    TIMEOUT 300)
  if(engine STREQUAL postgres)
    set_tests_properties(it_job_${engine} PROPERTIES FIXTURES_REQUIRED pg)
  endif()
endforeach()

# The Migrations pane doing real work: the real binary in tmux, SQLite and
# PostgreSQL (a failing migration), checked afterwards with the CLI.
add_test(NAME console_migrations
         COMMAND sh ${DBW_SRC}/tests/console/test_console_migrations.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(console_migrations PROPERTIES
  FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}" TIMEOUT 300)
