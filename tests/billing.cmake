# tests/billing.cmake: licenses and subscriptions (core/billing.h): the
# settings, the model on both engines, the transitions, the command line
# (included by tests/CMakeLists.txt).
add_executable(test_billing_settings unit/test_billing_settings.c)
target_link_libraries(test_billing_settings PRIVATE dbwcore)
target_include_directories(test_billing_settings PRIVATE unit)
add_test(NAME unit_billing_settings COMMAND test_billing_settings)
set_tests_properties(unit_billing_settings PROPERTIES WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})

# The model and the transitions on real databases, once per engine.
foreach(name billing billing_action billing_custom)
  dbw_engine_test(${name})
endforeach()

# The command line: dbwarden licenses, why, user, set, on both engines.
add_test(NAME cli_licenses COMMAND sh ${DBW_SRC}/tests/cli/test_cli_licenses.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_licenses PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}")

# The console's Licenses pane on the demo database (tmux).
add_test(NAME console_licenses COMMAND sh ${DBW_SRC}/tests/console/test_console_licenses.sh ${DBW_BIN})
set_tests_properties(console_licenses PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1")
