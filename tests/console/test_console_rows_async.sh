#!/bin/sh
# Console test of the Schema pane's Rows tab reading its rows off the
# console's thread, on the real binary in a private tmux server, reading
# the screen, on the test PostgreSQL server.  Slow rows: the view v_slow
# sleeps (pg_sleep) SLOW seconds in each statement that reads it; v_fail
# sleeps a second and then fails; and another session holds LOCK TABLE x
# IN ACCESS EXCLUSIVE MODE (for 60 s at most) while x is paged.
#   - while v_slow's rows are read, the Rows tab says so with the seconds
#     and "Esc stops"; the other panes are answered, and so is the list;
#     a key that needs the rows is refused, and says so;
#   - Esc stops the reading at once (db_cancel: not after SLOW seconds):
#     the tab says it was stopped, not a page; R reads them;
#   - another table opened while v_slow's rows are read replaces that
#     reading: it is stopped and dropped (nothing of it is said or shown),
#     and the other table's rows come at once;
#   - a statement that fails shows its error where the rows would be,
#     never "No rows";
#   - q quits within 2 s while a page is read (a console that reads on its
#     own thread waits for the statement: SLOW s, or the lock's 60 s).
#   test_console_rows_async.sh BIN SRC
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d /tmp/dbw-rowsasync.XXXXXX)
SOCK="dbw-rowsasync-$$"
CUR=run0
PGDB=con_rowsasync_$$
SLOW=3
locker=''
failures=0

. "$(dirname "$0")/lib.sh"

if [ -z "${DBW_PG_HOST:-}" ]; then
    echo "FAIL: DBW_PG_HOST is not set: this test needs the test PostgreSQL server" >&2
    exit 1
fi

pgq() { psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres "$@"; }
pg() { pgq -d "$PGDB" "$@"; }
cleanup() {
    [ -z "$locker" ] || kill "$locker" 2>/dev/null || true
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    rm -rf "$T"
    pgq -d postgres -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

pgq -d postgres -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" \
    -c "CREATE DATABASE $PGDB" >/dev/null 2>&1
PURL="postgresql://postgres@/$PGDB?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
pg -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE TABLE a_first (id int PRIMARY KEY);
CREATE FUNCTION slow_rows() RETURNS TABLE (id int, v text) LANGUAGE plpgsql AS \$\$
BEGIN
    PERFORM pg_sleep($SLOW);
    RETURN QUERY SELECT g, 'slow ' || g FROM generate_series(1, 5) g;
END \$\$;
CREATE FUNCTION failing_rows() RETURNS TABLE (id int, v text) LANGUAGE plpgsql AS \$\$
BEGIN
    PERFORM pg_sleep(1);
    RAISE EXCEPTION 'failing_rows: no rows today';
END \$\$;
CREATE VIEW v_fail AS SELECT * FROM failing_rows();
CREATE VIEW v_slow AS SELECT * FROM slow_rows();
CREATE TABLE x (id int PRIMARY KEY, v text NOT NULL);
INSERT INTO x SELECT g, 'value ' || g FROM generate_series(1, 30) g;
CREATE TABLE z_last (id int PRIMARY KEY, note text);
ANALYZE;
SQL

# lock: another session holds x (ACCESS EXCLUSIVE) for 60 s
lock() {
    PGAPPNAME=dbw_locker psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres \
        -d "$PGDB" -c "BEGIN" -c "LOCK TABLE x IN ACCESS EXCLUSIVE MODE" \
        -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
    locker=$!
    locked() { [ "$(pg -A -t -c "SELECT count(*) FROM pg_locks WHERE relation = 'x'::regclass AND granted AND mode = 'AccessExclusiveLock'")" = 1 ]; }
    wait_until "another session holds x" locked
}
# unlock: the holder's session is ended (a sleeping backend would not
# notice its client gone)
unlock() {
    pg -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dbw_locker'" \
        >/dev/null
    kill "$locker" 2>/dev/null || true
    wait "$locker" 2>/dev/null || true
    locker=''
}
# quit_within_2s WHAT: q ends the console (status 0) within 2 s
quit_within_2s() {
    keys q
    WAIT=20 wait_until "q quits within 2 s while $1" exited
    if grep -q "EXIT=0" "$T/exit" 2>/dev/null; then ok "exit status 0"; else
        fail "exit status $(cat "$T/exit" 2>/dev/null), expected 0"; fi
}
status_lacks() { ! screen | sed -n 30p | grep -qF -- "$1"; }

# ---- a slow view: keys meanwhile, the panes, Esc ---------------------------
start_console "postgres" "$PURL"
keys 2
wait_until "the list" has_re " x +table "
wait_until "the sizes measured" lacks "Measuring the sizes"
keys j j
wait_until "v_slow selected" has_re "│ v_slow +view"
wait_until "v_slow's details" has_re "v +text"
keys R
wait_until "R: the Rows tab says it reads v_slow's rows" has_re "Reading the rows of v_slow: [0-9]+ s"
wait_until "with the seconds counting" has_re "Reading the rows of v_slow: [1-9] s"
wait_until "and how to stop it" has "Esc stops"
keys j
WAIT=20 wait_until "j in the tab: refused, and said" line_has 30 "Still reading the rows of v_slow"
keys 1
WAIT=20 wait_until "1: the Migrations pane is shown meanwhile" lacks "Reading the rows of v_slow"
keys 2
WAIT=20 wait_until "2: back, the rows still being read" has_re "Reading the rows of v_slow: [0-9]+ s"
keys h
WAIT=20 wait_until "h: back to the list" has_re "public +v_slow +view"
keys j
WAIT=20 wait_until "j: the list moves, the header follows" has_re "│ x +table"
keys k
WAIT=20 wait_until "k: back on v_slow" has_re "│ v_slow +view"
wait_until "v_slow's rows are still being read" has_re "Reading the rows of v_slow: [0-9]+ s"
keys Escape
# within 2 s: the statement is cancelled, not waited for ($SLOW s each)
WAIT=20 wait_until "Esc: the tab says it was stopped" has "Stopped: the rows of v_slow were not read."
wait_until "Esc: and the status bar" line_has 30 "Stopped reading the rows of v_slow."
wait_until "Esc: no rows shown as if read" lacks_re "rows [0-9]+-[0-9]+"

# ---- another table opened meanwhile: the reading replaced, dropped ------------
keys R
wait_until "R: v_slow's rows read again" has_re "Reading the rows of v_slow: [0-9]+ s"
keys h j Enter
WAIT=20 wait_until "Enter on x: x's rows come at once" has_re "rows 1-[0-9]+ of 30 +by id"
wait_until "x's first row" has_re "│ value 1 *$"
wait_until "v_slow's reading was stopped without a word" status_lacks "v_slow"
sleep $((SLOW + 1))
wait_until "after v_slow's time: x's rows still shown" has_re "rows 1-[0-9]+ of 30 +by id"
wait_until "nothing of v_slow's shown" lacks "slow 1"
wait_until "nor said" status_lacks "v_slow"
keys Escape k Enter
WAIT=20 wait_until "v_slow again: read anew (the dropped rows were not kept)" \
    has_re "Reading the rows of v_slow: [0-9]+ s"
WAIT=200 wait_until "v_slow's rows come" has_re "  slow 1 *$"
wait_until "with their count" has_re "rows 1-5 of 5"

# ---- a failing statement: its error in place of the rows -----------------------
keys Escape k Enter
wait_until "v_fail selected" has_re "│ v_fail +view"
WAIT=50 wait_until "v_fail: the error where the rows would be" has_text "Cannot show the rows:"
wait_until "v_fail: the server's message" has_text "failing_rows: no rows today"
wait_until "v_fail: never as no rows" lacks "No rows"
wait_until "v_fail: no count" lacks_re "rows [0-9]+-[0-9]+"

# ---- paging x while another session holds it; q -----------------------------------
keys Escape j j Enter
wait_until "x's rows" has_re "rows 1-[0-9]+ of 30 +by id"
lock
keys NPage
WAIT=20 wait_until "PgDn waits for the lock: it says so" has_re "Reading the next page of x: [0-9]+ s"
keys j
WAIT=20 wait_until "j while the page is read: refused, and said" \
    line_has 30 "Still reading the next page of x"
quit_within_2s "the next page is read"
unlock

# ---- q while the first page of the slow view is read ---------------------------------
start_console "postgres again" "$PURL"
keys 2
wait_until "the list again" has_re " x +table "
keys j j
wait_until "v_slow selected again" has_re "│ v_slow +view"
keys R
# (within 1 s: a console that reads on its own thread is still held then)
WAIT=10 wait_until "v_slow's rows being read" has_re "Reading the rows of v_slow: [0-9]+ s"
quit_within_2s "v_slow's rows are read"

checks_done
