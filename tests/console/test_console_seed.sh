#!/bin/sh
# Console test of the Seed pane (tui/console/pane_seed*.c) on the real
# binary in a private tmux server, reading the screen, on a SQLite file
# made from the reference migrations:
#   - an empty database: every table shows 0 seeded, the totals say 0 runs;
#   - `dbwarden keys --json` names the pane's keys for the seed and reset
#     action rows;
#   - s asks (the dialog shows what it inserts), runs, and the counts on
#     screen are those of `dbwarden seed list --json`, table by table;
#   - --read-only: s and R are refused with a message; nothing is written;
#   - R asks what to reset, asks again (the dialog), runs: back to 0;
#   - a large scale seed (S, the number typed) shows its progress (rows,
#     rows/s, time left); Esc stops it; nothing was inserted (sqlite3);
#   - production: s and R first ask whether to force them (cancel writes
#     nothing), then the dialog asks for the database's name;
#   - a ledger that cannot be read: the error in place of the lists;
#   - PostgreSQL (the test server): seed demo and reset demo from the pane,
#     the counts on screen those of `seed list --json`.
#   test_console_seed.sh BIN SRC
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
T=$(mktemp -d /tmp/dbw-seedpane.XXXXXX)
SOCK="dbw-seedpane-$$"
CUR=run0
PGDB=con_seedpane_$$
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    rm -rf "$T"
    [ -z "${DBW_PG_HOST:-}" ] ||
        pg_psql postgres -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM
failures=0

. "$(dirname "$0")/lib.sh"

DB=$T/seed.db
URL="sqlite:///$DB"
"$BIN" --db "$URL" --migrations "$SRC/migrations/sqlite" up >/dev/null

# start NAME ARGS...: the console at 100x30 on URL, on the Seed pane
start() {
    name=$1
    shift
    console_start "$name" 100 30 --db "$URL" "$@"
    keys 5
}

# counts: every table's rows and the ledger's runs, as one line
counts() {
    sqlite3 "$DB" "SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM licenses)
        || ' ' || (SELECT count(*) FROM jobs) || ' ' || (SELECT count(*) FROM nft_items) || ' '
        || (SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'dbwarden_seed_runs')
            THEN (SELECT count(*) FROM dbwarden_seed_runs) ELSE 'none' END)"
}

# rows_now TABLE: its rows, counted by the engine's own client
rows_now() {
    case "$URL" in
    postgresql:*) pg_psql "$PGDB" -A -t -c "SELECT count(*) FROM $1" ;;
    *) sqlite3 "$DB" "SELECT count(*) FROM $1" ;;
    esac
}

# screen_matches_list: each table's line shows the rows of `seed list --json`
screen_matches_list() {
    "$BIN" --db "$URL" seed list --json >"$T/list.json" || return 1
    for t in users workspaces projects subscriptions licenses license_events jobs invoices \
             transaction_idempotency audit_log market_booths nft_items; do
        n=$(jq --arg t "$t" '[.seeded[] | select(.table == $t) | .rows] | add // 0' "$T/list.json")
        now=$(rows_now "$t")
        if [ "$n" -gt 0 ]; then
            screen | grep -qE "^$t +$now +$n +demo: $n *\$" || { echo "line of $t: $now $n" >&2; return 1; }
        else
            screen | grep -qE "^$t +$now +0 +— *\$" || { echo "line of $t: $now 0" >&2; return 1; }
        fi
    done
}

# ---- the keys ---------------------------------------------------------------------
if "$BIN" keys --json | jq -e '[.panes[] | select(.pane == "Seed") | .actions[]
        | select(.keys != null) | .action] | (index("seed") != null and index("reset") != null)' \
        >/dev/null; then
    ok "keys --json: the Seed pane's keys run seed and reset"
else
    fail "keys --json: the Seed pane's keys run seed and reset"
fi

# ---- an empty database ---------------------------------------------------------------
start empty
wait_until "empty: 0 seeded by 0 runs" has "0 seeded by 0 runs"
wait_until "empty: users shows 0 rows, 0 seeded" has_re "^users +0 +0 +—"
wait_until "empty: the screen matches seed list" screen_matches_list
wait_until "empty: the bottom bar names s and R" has "s seed demo"
keys /
text "^lic"
keys Enter
wait_until "empty: / filters the tables" has "Filter /^lic/: 2 of 12 tables"
wait_until "empty: the filter keeps licenses" has_re "^licenses +0"
keys Escape
wait_until "empty: Esc clears the filter" has_re "^users +0"

# ---- s: seed the demo set ---------------------------------------------------------------
keys s
wait_until "s: asks first" has "Run seed demo?"
wait_until "s: the dialog shows what it inserts" has "INSERT INTO users"
keys y
wait_until "s: done" has "Last: seed demo: ok"
wait_until "s: the totals" has "seeded by 1 run"
wait_until "s: the screen matches seed list" screen_matches_list
keys L
wait_until "L: the ledger's run" has_re "^ +1 +demo +118 "
keys L
wait_until "L again: the tables" has "ROWS NOW"
quit_ok seed
after_seed=$(counts)

# ---- read-only ---------------------------------------------------------------------------
start read-only --read-only
wait_until "read-only: the pane is read" has "seeded by 1 run"
# refused: NAME KEY TEXT: KEY is refused; the message (in full under m) says TEXT
refused() {
    keys "$2"
    wait_until "read-only: $1 is refused" has "Read-only (--read-only)"
    keys m
    wait_until "read-only: $1: the message in full" has_text "$3"
    keys Escape
    wait_until "read-only: $1: the messages close" lacks "$3"
}
refused s s "Read-only (--read-only): seeding would change the database; nothing was done."
refused R R "Read-only (--read-only): a reset would change the database; nothing was done."
refused S S "Read-only (--read-only): seeding would change the database; nothing was done."
if [ "$(counts)" = "$after_seed" ]; then ok "read-only: nothing was written"; else
    fail "read-only: the database changed: $(counts), was $after_seed"; fi
quit_ok read-only

# ---- R: reset ----------------------------------------------------------------------------
start reset
wait_until "reset: the pane is read" has "seeded by 1 run"
keys R
wait_until "R: asks what to reset" has "Remove which seeded rows?"
keys Enter
wait_until "R: asks first" has "Run reset every seeded row?"
keys y
wait_until "R: done" has "Last: reset every seeded row: ok"
wait_until "R: back to 0 seeded" has "0 seeded by 0 runs"
wait_until "R: the screen matches seed list" screen_matches_list
if [ "$(counts)" = "0 0 0 0 0" ]; then ok "R: the database has no seeded row"; else
    fail "R: the database has $(counts)"; fi

# ---- a large scale seed, stopped with Esc ------------------------------------------------
keys S
wait_until "S: the sets" has "Which set?"
keys 2
wait_until "S: asks how many" has "Scale: users"
text "12x"
keys Enter
wait_until "S: not a number is refused, the prompt stays" has "Scale '12x': give a number"
wait_until "S: the prompt stays" has "Scale: users, and a seed"
keys C-u
text "400000 5"
keys Enter
wait_until "S: asks first" has "Run seed scale --scale 400000 --seed 5?"
keys y
WAIT=600 wait_until "S: the progress shows rows, rows/s and time left" \
    has_re "of [0-9]+ rows \\([0-9]+%\\) done \\(elapsed .*remaining .*rows/s\\)"
keys Escape
WAIT=600 wait_until "Esc: the seed stops" has "Last: seed scale --scale 400000 --seed 5: cancelled"
wait_until "Esc: still 0 seeded" has "0 seeded by 0 runs"
if [ "$(counts)" = "0 0 0 0 0" ]; then ok "Esc: nothing was inserted"; else
    fail "Esc: the database has $(counts)"; fi
quit_ok scale

# ---- production: forced, then the name typed ---------------------------------------------
printf '[database]\nenvironment = production\n[backup]\ndir = %s\n' "$T/prodbk" >"$T/prod.ini"
start production --config "$T/prod.ini"
wait_until "production: the pane is read" has "0 seeded by 0 runs"
keys s
wait_until "production: s asks whether to force it" \
    has_text "This is a production database: seed demo is refused there unless forced."
keys Enter
wait_until "production: Enter cancels (cancel comes first)" has "Cancelled: nothing was done"
if [ "$(counts)" = "0 0 0 0 0" ]; then ok "production: nothing was written"; else
    fail "production: the database has $(counts)"; fi
keys s
wait_until "production: asks again" has "Production database"
keys 2
wait_until "production: forced, the name is asked" has "Production: type the name (seed.db)"
text "seed.db"
keys Enter
wait_until "production: seeded" has "Last: seed demo: ok"
wait_until "production: 118 seeded" has "118 seeded by 1 run"
keys R
wait_until "production: R asks what" has "Remove which seeded rows?"
keys Enter
wait_until "production: R asks whether to force it" has "Production database"
keys 2
wait_until "production: R asks for the name" has "Production: type the name (seed.db)"
text "seed.db"
keys Enter
wait_until "production: reset" has "Last: reset every seeded row: ok"
wait_until "production: 0 seeded" has "0 seeded by 0 runs"
quit_ok production

# ---- a ledger that cannot be read: its error, never an empty list ---------------------------
DB=$T/broken.db
URL="sqlite:///$DB"
sqlite3 "$DB" "CREATE TABLE users (id INTEGER PRIMARY KEY);
    CREATE TABLE dbwarden_seed_runs (x); CREATE TABLE dbwarden_seed_keys (x);"
start broken
wait_until "broken: the error is shown" has "Cannot read the seed ledger and the tables:"
wait_until "broken: it names what failed" has_text "no such column"
wait_until "broken: no list, no totals" lacks "ROWS NOW"
quit_ok broken

# ---- PostgreSQL: seed and reset from the pane ----------------------------------------------
if [ -z "${DBW_PG_HOST:-}" ]; then
    fail "DBW_PG_HOST is not set: the PostgreSQL part needs the test server"
else
    pg_psql postgres -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" \
        -c "CREATE DATABASE $PGDB" >/dev/null
    URL="postgresql://postgres@/$PGDB?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
    "$BIN" --db "$URL" --migrations "$SRC/migrations/postgres" up >/dev/null
    start postgres
    wait_until "postgres: 0 seeded by 0 runs" has "0 seeded by 0 runs"
    wait_until "postgres: the screen matches seed list" screen_matches_list
    keys s
    wait_until "postgres: s asks first" has "Run seed demo?"
    wait_until "postgres: the dialog shows the COPY" has "COPY users FROM STDIN"
    keys y
    wait_until "postgres: seeded" has "Last: seed demo: ok"
    wait_until "postgres: the screen matches seed list" screen_matches_list
    keys R
    wait_until "postgres: R asks what to reset" has "Remove which seeded rows?"
    keys 2
    wait_until "postgres: R demo asks first" has "Run reset demo?"
    keys y
    wait_until "postgres: reset" has "Last: reset demo: ok"
    wait_until "postgres: 0 seeded" has "0 seeded by 0 runs"
    wait_until "postgres: the screen matches seed list" screen_matches_list
    quit_ok postgres
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "all ok"
