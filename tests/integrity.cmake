# tests/integrity.cmake: the integrity checks (core/integrity*.c, the action
# rows of core/action_integrity.c, core/job_integrity.c) against real
# databases, and dbwarden check on the command line (included by
# tests/CMakeLists.txt).
foreach(name integrity integrity_lints integrity_fix)
  add_executable(test_${name} integration/test_${name}.c)
  target_link_libraries(test_${name} PRIVATE dbwcore)
  target_include_directories(test_${name} PRIVATE unit integration)
  foreach(engine sqlite postgres)
    add_test(NAME it_${name}_${engine} COMMAND test_${name} ${engine})
    set_tests_properties(it_${name}_${engine} PROPERTIES
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
      ENVIRONMENT "DBW_SRC=${DBW_SRC};${DBW_PG_ENV}"
      TIMEOUT 300)
    if(engine STREQUAL postgres)
      set_tests_properties(it_${name}_${engine} PROPERTIES FIXTURES_REQUIRED pg)
    endif()
  endforeach()
endforeach()

# Command line: dbwarden check, its rows, fixes and acceptances, both engines.
foreach(name cli_check cli_check_fix)
  add_test(NAME ${name} COMMAND sh ${DBW_SRC}/tests/cli/test_${name}.sh ${DBW_BIN} ${DBW_SRC})
  set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}"
                       TIMEOUT 300)
endforeach()
