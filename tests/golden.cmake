# tests/golden.cmake: the golden tests (tests/golden/): the console's
# screens at 80x24 and 120x35 and the command line's output on both
# engines, compared byte for byte with tests/console/expected/ and
# tests/cli/expected/ (tests/golden/regen.sh writes them again after an
# intended change).  Included by tests/CMakeLists.txt.
foreach(size 80x24 120x35)
  add_test(NAME golden_console_${size} COMMAND sh ${DBW_SRC}/tests/golden/test_golden_console.sh
           ${size} ${DBW_BIN} ${DBW_SRC})
  set_tests_properties(golden_console_${size} PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1")
endforeach()
foreach(engine sqlite postgres)
  add_test(NAME golden_cli_${engine} COMMAND sh ${DBW_SRC}/tests/golden/test_golden_cli.sh
           ${engine} ${DBW_BIN} ${DBW_SRC})
  set_tests_properties(golden_cli_${engine} PROPERTIES ENVIRONMENT "${DBW_PG_ENV}")
  if(engine STREQUAL postgres)
    set_tests_properties(golden_cli_${engine} PROPERTIES FIXTURES_REQUIRED pg)
  endif()
endforeach()
