# tests/othertools.cmake: other migration tools' version tables (included by
# tests/CMakeLists.txt).  Three programs sharing test_othertools_fixture.h,
# each run once per engine: Flyway to Django (test_othertools), Knex to
# sqitch (test_othertools_more), and the cases beyond one tool
# (test_othertools_cases).  They also drive the command-line printers of
# tui/cli/cli_othertools.c (linked from dbwcli).
foreach(name othertools othertools_more othertools_cases)
  add_executable(test_${name} integration/test_${name}.c)
  target_include_directories(test_${name} PRIVATE unit integration)
  target_link_libraries(test_${name} PRIVATE dbwcli)
  foreach(engine sqlite postgres)
    add_test(NAME it_${name}_${engine} COMMAND test_${name} ${engine})
    set_tests_properties(it_${name}_${engine} PROPERTIES
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
      ENVIRONMENT "DBW_SRC=${DBW_SRC};${DBW_PG_ENV}")
    if(engine STREQUAL postgres)
      set_tests_properties(it_${name}_${engine} PROPERTIES FIXTURES_REQUIRED pg)
    endif()
  endforeach()
endforeach()
