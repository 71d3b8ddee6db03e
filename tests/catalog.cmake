# tests/catalog.cmake: the catalog (core/catalog*.c) and the schema command
# (tui/cli/cli_schema.c); included by tests/CMakeLists.txt.  The integration
# program test_catalog (it_catalog_sqlite, it_catalog_postgres) is
# registered in tests/CMakeLists.txt itself.

# Unit: the readers of SQLite's stored SQL and PostgreSQL's text forms.
add_executable(test_catalog_parse unit/test_catalog_parse.c)
target_link_libraries(test_catalog_parse PRIVATE dbwcore)
target_include_directories(test_catalog_parse PRIVATE unit)
add_test(NAME unit_catalog_parse COMMAND test_catalog_parse)
set_tests_properties(unit_catalog_parse PROPERTIES
  ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1")

# Command line: dbwarden schema against the reference schema, both engines.
add_test(NAME cli_schema COMMAND sh ${DBW_SRC}/tests/cli/test_cli_schema.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_schema PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}")

# Integration: the catalog at scale: one table read with filtered
# statements, constant in number; sizes estimated, measured, merged; a
# failed load frees what it took (AddressSanitizer's leak check).
dbw_engine_test(catalog_scale)

# Console: the Schema pane reads the catalog as jobs: keys answered, Esc
# stops, q quits at once while a lock holds the reading up; the list first,
# each table's details as it is selected.
add_test(NAME console_schema_load
         COMMAND sh ${DBW_SRC}/tests/console/test_console_schema_load.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(console_schema_load PROPERTIES FIXTURES_REQUIRED pg
  ENVIRONMENT "${DBW_PG_ENV}" TIMEOUT 300)
