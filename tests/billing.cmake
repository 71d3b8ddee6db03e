# tests/billing.cmake: licenses and subscriptions (core/billing.h): the
# settings, the model on both engines, the transitions, the command line
# (included by tests/CMakeLists.txt).
add_executable(test_billing_settings unit/test_billing_settings.c)
target_link_libraries(test_billing_settings PRIVATE dbwcore)
target_include_directories(test_billing_settings PRIVATE unit)
add_test(NAME unit_billing_settings COMMAND test_billing_settings)
set_tests_properties(unit_billing_settings PROPERTIES WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
