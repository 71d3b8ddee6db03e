# tests/seed.cmake: the seed sets, the ledger, reset and the driver's bulk
# paths against real databases, and the seed command (included by
# tests/CMakeLists.txt).  Integration programs run once per engine.
foreach(prog db_copy seed seed_reset seed_files)
  dbw_engine_test(${prog} TIMEOUT 300)
endforeach()

# The same N and seed give the same rows on both engines (one program, both).
add_executable(test_seed_canon integration/test_seed_canon.c)
target_link_libraries(test_seed_canon PRIVATE dbwcore)
target_include_directories(test_seed_canon PRIVATE unit integration)
add_test(NAME it_seed_canon COMMAND test_seed_canon)
set_tests_properties(it_seed_canon PROPERTIES FIXTURES_REQUIRED pg TIMEOUT 300
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR} ENVIRONMENT "DBW_SRC=${DBW_SRC};${DBW_PG_ENV}")

# The seed command on SQLite and PostgreSQL.
foreach(name cli_seed cli_seed_pg)
  add_test(NAME ${name} COMMAND sh ${DBW_SRC}/tests/cli/test_${name}.sh ${DBW_BIN} ${DBW_SRC})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${DBW_PG_ENV}" TIMEOUT 300)
endforeach()
set_tests_properties(cli_seed_pg PROPERTIES FIXTURES_REQUIRED pg)

# Unit test: the generator, dates and money as text, the argument, the setting.
add_executable(test_seed_prng unit/test_seed_prng.c)
target_link_libraries(test_seed_prng PRIVATE dbwcore)
target_include_directories(test_seed_prng PRIVATE unit)
add_test(NAME unit_seed_prng COMMAND test_seed_prng)
set_tests_properties(unit_seed_prng PROPERTIES WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})

# The benchmark's raw SQLite loader (tests/bench/seed_bench.sh), built here
# so that it keeps compiling with the tree; it is not a test.
add_executable(bench_seed_sqlite_loader bench/seed_sqlite_loader.c)
target_link_libraries(bench_seed_sqlite_loader PRIVATE PkgConfig::SQLITE3)
