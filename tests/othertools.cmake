# tests/othertools.cmake: other migration tools' version tables (included by
# tests/CMakeLists.txt).  Three programs sharing test_othertools_fixture.h,
# each run once per engine: Flyway to Django (test_othertools), Knex to
# sqitch (test_othertools_more), and the cases beyond one tool
# (test_othertools_cases).  They also drive the command-line printers of
# tui/cli/cli_othertools.c (linked from dbwcli).
foreach(name othertools othertools_more othertools_cases)
  dbw_engine_test(${name} LINK dbwcli)
endforeach()
