# tests/integrity.cmake: the integrity checks (core/integrity*.c, the action
# rows of core/action_integrity.c, core/job_integrity.c) against real
# databases, and dbwarden check on the command line (included by
# tests/CMakeLists.txt).
foreach(name integrity integrity_lints integrity_fix)
  dbw_engine_test(${name} TIMEOUT 300)
endforeach()

# Command line: dbwarden check, its rows, fixes and acceptances, both engines.
foreach(name cli_check cli_check_fix)
  add_test(NAME ${name} COMMAND sh ${DBW_SRC}/tests/cli/test_${name}.sh ${DBW_BIN} ${DBW_SRC})
  set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}"
                       TIMEOUT 300)
endforeach()
