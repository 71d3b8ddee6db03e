#!/bin/sh
# Console test of the Schema pane's Rows tab reading its rows off the
# console's thread, on the real binary in a private tmux server, reading
# the screen.  On the test PostgreSQL server another session holds
# LOCK TABLE x IN ACCESS EXCLUSIVE MODE (for 60 s at most), so that
# reading x's rows waits.  While it waits:
#   - the Rows tab says what it reads, the seconds counting;
#   - a key that needs the rows (j in the tab) is refused, and says so;
#   - h goes back to the list, which moves: j and k change the header;
#   - Esc stops the reading: the tab says it was stopped, not a page;
# then, the holder gone, R reads the rows.  Locked again: PgDn waits, and
# q quits within a few seconds (the statement is cancelled, not waited
# for).  On a console that reads the rows on its own thread, the screen
# freezes at R and q does not quit.
#   test_console_rows_async.sh BIN SRC
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d /tmp/dbw-rowsasync.XXXXXX)
SOCK="dbw-rowsasync-$$"
CUR=run0
PGDB=con_rowsasync_$$
locker=''
cleanup() {
    [ -z "$locker" ] || kill "$locker" 2>/dev/null || true
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    rm -rf "$T"
    if [ -n "${DBW_PG_HOST:-}" ]; then
        psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres \
            -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT INT TERM
failures=0

. "$(dirname "$0")/lib.sh"

if [ -z "${DBW_PG_HOST:-}" ]; then
    echo "FAIL: DBW_PG_HOST is not set: this test needs the test PostgreSQL server" >&2
    exit 1
fi

# start NAME DB: the console at 100x30 on DB in a new tmux session
start() {
    name=$1 db=$2
    rm -f "$T/exit"
    old=$CUR
    CUR=run$((${CUR#run} + 1))
    tm -f /dev/null new-session -d -s "$CUR" -x 100 -y 30 -c "$T" \
        "env TERM=$TERMV LC_ALL=C.UTF-8 ASAN_OPTIONS=\${ASAN_OPTIONS:-}:log_path=$T/asan \
         '$BIN' --db '$db'; echo EXIT=\$? > '$T/exit'; sleep 60"
    tm kill-session -t "$old" 2>/dev/null || true
    before=$failures
    wait_until "$name: the console is up" has "Migrations"
    if [ "$failures" -ne "$before" ]; then
        cat "$T/exit" "$T"/asan* 2>/dev/null >&2 || true
        exit 1
    fi
}

pg() { psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d "$PGDB" "$@"; }
psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" -c "CREATE DATABASE $PGDB" >/dev/null
PURL="postgresql://postgres@/$PGDB?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
pg -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE TABLE a_first (id int PRIMARY KEY);
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

start "postgres" "$PURL"
keys 2
wait_until "the list" has_re " x +table "
keys j
wait_until "x selected" has_re "│ x +table"
wait_until "x's details" has_re "v +text +not null"
wait_until "the sizes measured" lacks "Measuring the sizes"
lock

keys R
wait_until "R: the Rows tab says it reads x's rows" has_re "Reading the rows of x: [0-9]+ s"
wait_until "with the seconds counting" has_re "Reading the rows of x: [2-9] s"
wait_until "and how to stop it" has "Esc stops"
keys j
wait_until "j in the tab: refused, and said" line_has 30 "Still reading the rows of x"
keys h
wait_until "h: back to the list" has_re "public +x +table"
keys j
wait_until "j: the list moves, the header follows" has_re "│ z_last +table"
keys k
wait_until "k: back on x" has_re "│ x +table"
wait_until "x's rows are still being read" has_re "Reading the rows of x: [0-9]+ s"
keys Escape
wait_until "Esc: the tab says it was stopped" has "Stopped: the rows of x were not read."
wait_until "Esc: and the status bar" line_has 30 "Stopped reading the rows of x."
wait_until "Esc: no rows shown as if read" lacks_re "rows [0-9]+-[0-9]+"
unlock

keys R
wait_until "the lock gone, R reads the rows" has_re "rows 1-[0-9]+ of 30 +by id"
wait_until "x's first row" has_re "│ value 1 *$"
wait_until "the stop is gone" lacks "Stopped"

lock
keys NPage
wait_until "PgDn waits for the lock: it says so" has_re "Reading the next page of x: [0-9]+ s"
keys q
WAIT=50 wait_until "q quits within 5 s while the page is read" exited
if grep -q "EXIT=0" "$T/exit" 2>/dev/null; then ok "exit status 0"; else
    fail "exit status $(cat "$T/exit" 2>/dev/null), expected 0"; fi
unlock

if ls "$T"/asan* >/dev/null 2>&1; then
    fail "AddressSanitizer reported:"
    cat "$T"/asan* | head -60 >&2
fi

if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
echo "all checks passed"
