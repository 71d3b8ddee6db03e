# tests/migsafety.cmake: migrations that must not half-apply or hang, and
# names that must not leave their SQL comments: the file reader, the
# migration runner against real databases, and the command line
# (included by tests/CMakeLists.txt).
add_executable(test_fsutil unit/test_fsutil.c)
target_link_libraries(test_fsutil PRIVATE dbwcore)
target_include_directories(test_fsutil PRIVATE unit)
add_test(NAME unit_fsutil COMMAND test_fsutil)
# a FIFO must not hang the reader: fail, not wait, if it does
set_tests_properties(unit_fsutil PROPERTIES WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
                     TIMEOUT 60)

dbw_engine_test(migrate_safety)

add_test(NAME cli_migsafety COMMAND sh ${DBW_SRC}/tests/cli/test_cli_migsafety.sh ${DBW_BIN} ${DBW_SRC})
set_tests_properties(cli_migsafety PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT "${DBW_PG_ENV}"
                     TIMEOUT 300)
