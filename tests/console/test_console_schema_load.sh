#!/bin/sh
# Console test of the Schema pane reading the catalog as jobs, on the real
# binary in a private tmux server, reading the screen.  The reading is
# held up for real: another process holds a lock that the catalog needs
# (SQLite: the whole file, for 5 s at most; PostgreSQL: a table never
# analysed, whose size is measured, for 2 s at most).  While it waits:
#   - the pane says what it reads, with the seconds;
#   - keys are answered (help opens and closes), the load goes on;
#   - Esc stops the load ("Stopped"), r starts it again;
#   - q quits at once (well before the lock would have let go);
# then, the lock gone: the table list comes, the selected table's details
# as it is selected; a table whose details wait for a lock (PostgreSQL)
# says so while the list answers keys and other tables' details come, and
# says why it could not be read; Enter reads it again once the lock is
# gone.  A catalog of 3,000 tables (SQLite): the list comes and keys are
# answered.
#   test_console_schema_load.sh BIN SRC
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
T=$(mktemp -d /tmp/dbw-schemaload.XXXXXX)
SOCK="dbw-schemaload-$$"
CUR=run0
PGDB=con_schemaload_$$
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

# start NAME DB: the console at 100x30 on DB in a new tmux session
start() { start_console "$@"; }


# quit_now NAME: q quits within 5 s while the catalog is read (the lock
# holds it for 60 s; a loaded machine under the sanitizers needs the margin)
quit_now() {
    keys q
    WAIT=50 wait_until "$1: q quits at once while the catalog is read" exited
    if grep -q "EXIT=0" "$T/exit" 2>/dev/null; then ok "$1: exit status 0"; else
        fail "$1: exit status $(cat "$T/exit" 2>/dev/null), expected 0"; fi
    wait_until "$1: the console has ended" exited
}

# ---------------------------------------------------------------- SQLite
DB="sqlite:///$T/s.db"
"$BIN" --db "$DB" --migrations "$SRC/migrations/sqlite" up >"$T/up.out" 2>&1 || {
    echo "FAIL: cannot build the test database:" >&2; cat "$T/up.out" >&2; exit 1; }

# lock_sqlite: another process (sqlite3, fed through a fifo) holds the file
# (BEGIN EXCLUSIVE) until unlock closes its input
lock_sqlite() {
    mkfifo "$T/lockin"
    sqlite3 "$T/s.db" <"$T/lockin" >/dev/null 2>&1 &
    locker=$!
    exec 3>"$T/lockin"
    printf '.timeout 5000\nBEGIN EXCLUSIVE;\n' >&3   # (waits out a reader)
    locked() { ! sqlite3 -cmd ".timeout 0" "$T/s.db" "SELECT count(*) FROM sqlite_schema" >/dev/null 2>&1; }
    wait_until "sqlite: another process holds the file" locked
}
# unlock: the holder goes (PostgreSQL: its session is ended, a sleeping
# backend would not notice its client gone)
unlock() {
    if [ -n "${PGDB_MADE:-}" ]; then
        psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres -c \
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dbw_locker'" \
            >/dev/null
    fi
    exec 3>&-   # SQLite: its input ends, it rolls back and goes
    kill "$locker" 2>/dev/null || true
    wait "$locker" 2>/dev/null || true
    locker=''
}

start "sqlite" "$DB"
lock_sqlite
keys 2
wait_until "sqlite: the pane says it reads the catalog" has "Reading the catalog"
wait_until "sqlite: with the seconds" has_re "Reading the catalog: .*, [0-9]+ s"
# within 2 s: the lock would hold a console that waits for 5 s
keys '?'
WAIT=20 wait_until "sqlite: ? is answered while the catalog is read" has "show or hide this help"
keys Escape
WAIT=20 wait_until "sqlite: the help closes" lacks "show or hide this help"
wait_until "sqlite: and the reading goes on" has "Reading the catalog"
keys Escape
WAIT=20 wait_until "sqlite: Esc stops the reading" has "Stopped: r reads the catalog again."
wait_until "sqlite: and says so" line_has 30 "Stopped reading the catalog"
keys r
WAIT=20 wait_until "sqlite: r reads it again" has "Reading the catalog"
quit_now "sqlite"
unlock

start "sqlite, no lock" "$DB"
keys 2
wait_until "sqlite: the list comes" has_re " users +table "
wait_until "sqlite: the selected table's details come" has_re "PK +id +INTEGER"
keys j
wait_until "sqlite: the next table's details come as it is selected" has_re "│ dbwarden_migrations +table"
wait_until "sqlite: its columns" has_re "version +TEXT"
quit_ok "sqlite, no lock"

# a catalog of 3,000 tables: the list comes, keys are answered
{
    i=0
    echo "BEGIN;"
    while [ $i -lt 3000 ]; do
        echo "CREATE TABLE many_$i (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES many_$i (id), v TEXT CHECK (v <> ''));"
        echo "CREATE INDEX many_${i}_v ON many_$i (v);"
        i=$((i + 1))
    done
    echo "COMMIT;"
} | sqlite3 "$T/s.db"
start "sqlite, 3,000 tables" "$DB"
keys 2 '?'
wait_until "3,000 tables: keys are answered" has "show or hide this help"
keys Escape
wait_until "3,000 tables: the list" has "3013 tables"
keys G
wait_until "3,000 tables: the last table's details" has_re "│ workspaces +table"
quit_ok "sqlite, 3,000 tables"

# ----------------------------------------------------------- PostgreSQL
if [ -z "${DBW_PG_HOST:-}" ]; then
    echo "FAIL: DBW_PG_HOST is not set: the PostgreSQL part needs the test server" >&2
    failures=$((failures + 1))
else
    psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" -c "CREATE DATABASE $PGDB" >/dev/null
    PURL="postgresql://postgres@/$PGDB?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
    PGDB_MADE=1
    "$BIN" --db "$PURL" --migrations "$SRC/migrations/postgres" up >"$T/pgup.out" 2>&1 || {
        echo "FAIL: cannot migrate the PostgreSQL database:" >&2; cat "$T/pgup.out" >&2; exit 1; }
    pg() { psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d "$PGDB" "$@"; }
    pg -v ON_ERROR_STOP=1 -c "ANALYZE" \
       -c "CREATE TABLE aaa_busy (id int PRIMARY KEY, n int DEFAULT 1 CHECK (n > 0))" >/dev/null
    # lock_pg: another session holds aaa_busy (never analysed) for 60 s
    lock_pg() {
        PGAPPNAME=dbw_locker psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres \
            -d "$PGDB" -c "BEGIN" -c "LOCK TABLE aaa_busy IN ACCESS EXCLUSIVE MODE" \
            -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
        locker=$!
        locked() { [ "$(pg -A -t -c "SELECT count(*) FROM pg_locks WHERE relation = 'aaa_busy'::regclass AND granted AND mode = 'AccessExclusiveLock'")" = 1 ]; }
        wait_until "pg: another session holds aaa_busy" locked
    }

    start "postgres" "$PURL"
    lock_pg
    keys 2
    wait_until "pg: the pane says it reads the catalog" has "Reading the catalog"
    quit_now "postgres"

    start "postgres, the lock" "$PURL"
    tm resize-window -t "$CUR" -x 200 -y 30   # long messages on fewer lines
    keys 2
    WAIT=100 wait_until "pg: the list cannot wait for the lock: it says so" \
        has_text "a table is locked by another session"
    wait_until "pg: as an error" has "Cannot read the catalog"
    unlock

    # the list without the lock (aaa_busy analysed), its details behind it
    pg -c "ANALYZE aaa_busy" >/dev/null
    lock_pg
    keys r
    wait_until "pg: r: the list" has_re " aaa_busy +table "
    wait_until "pg: aaa_busy's details wait" has "Reading its columns, constraints"
    keys j
    wait_until "pg: meanwhile j selects the next table" has_re "│ audit_log +table"
    wait_until "pg: whose details come" has_re "actor +text"
    keys k
    WAIT=100 wait_until "pg: aaa_busy could not be read: why" \
        has_text "a table is locked by another session"
    wait_until "pg: as an error" has "Cannot read this table"
    unlock
    keys Enter
    wait_until "pg: Enter reads it again" has_re "n +integer +null +1"
    quit_ok "postgres"
fi

checks_done
