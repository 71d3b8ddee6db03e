# tests/ipane.cmake: the console's Integrity pane (tui/console/pane_integrity*.c)
# in tmux on SQLite databases (tests/console/test_console_integrity.sh).
# Included by tests/CMakeLists.txt.
add_test(NAME console_integrity COMMAND sh ${DBW_SRC}/tests/console/test_console_integrity.sh
         ${DBW_BIN} ${DBW_SRC})
set_tests_properties(console_integrity PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1")

# The orphan rows paged across connections and their export to a file
# (core/integrity_rows.c, core/integrity_export.c), both engines.
dbw_engine_test(integrity_rows TIMEOUT 300)
