# Tests of the Alembic support (core/alembic*.c, tui/cli/cli_alembic.c).
# Unit tests run without Alembic; the integration and command-line tests
# run the real `alembic` command (Debian's alembic package) against
# SQLite and the PostgreSQL test server.

foreach(name alembic_parse alembic_ini alembic_graph alembic_project alembic_plan)
  add_executable(test_${name} unit/test_${name}.c)
  target_link_libraries(test_${name} PRIVATE dbwcore)
  target_include_directories(test_${name} PRIVATE unit)
  add_test(NAME unit_${name} COMMAND test_${name})
  set_tests_properties(unit_${name} PROPERTIES
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
    ENVIRONMENT "DBW_SRC=${DBW_SRC}")
endforeach()

# Integration: the real alembic against SQLite and PostgreSQL.
dbw_engine_test(alembic TIMEOUT 300)

# Command line: the real dbwarden binary against the real alembic; the
# safety rules (plan under the lock, the database alembic changes, down on
# branches) in their own script.
foreach(script cli_alembic cli_alembic_safety)
  foreach(engine sqlite postgres)
    add_test(NAME ${script}_${engine}
             COMMAND sh ${DBW_SRC}/tests/alembic/test_${script}.sh
                     ${DBW_BIN} ${DBW_SRC} ${engine})
    set_tests_properties(${script}_${engine} PROPERTIES
      ENVIRONMENT "${DBW_PG_ENV}" TIMEOUT 300)
    if(engine STREQUAL postgres)
      set_tests_properties(${script}_${engine} PROPERTIES FIXTURES_REQUIRED pg)
    endif()
  endforeach()
endforeach()

# The Migrations pane on an Alembic project: the real binary in tmux with
# the real alembic (which branch down rolls back, a merge, another
# database in sqlalchemy.url).
add_test(NAME console_alembic
         COMMAND sh ${DBW_SRC}/tests/console/test_console_alembic.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(console_alembic PROPERTIES TIMEOUT 300)
# Differential: revision files in many Python forms, read by dbwarden
# (dump_graph) and by the real Alembic (Debian's, under /usr/bin/python3);
# heads, bases and every revision's parents must agree.
add_executable(alembic_dump_graph alembic/differential/dump_graph.c)
target_link_libraries(alembic_dump_graph PRIVATE dbwcore PkgConfig::JANSSON)
find_program(DBW_DEBIAN_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_test(NAME alembic_differential
         COMMAND ${DBW_DEBIAN_PYTHON} ${DBW_SRC}/tests/alembic/differential/test_differential.py
                 $<TARGET_FILE:alembic_dump_graph>)
set_tests_properties(alembic_differential PROPERTIES
  ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1;ASAN_OPTIONS=detect_leaks=1" TIMEOUT 300)
