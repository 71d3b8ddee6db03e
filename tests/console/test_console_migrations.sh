#!/bin/sh
# Console test of the Migrations pane doing real work, on the real binary
# in a private tmux server, reading the screen and checking the database
# afterwards with the command line (dbwarden status --json):
#   SQLite at 80x24, the last two migrations pending: the '/' filter (and
#   an invalid pattern), the SQL view, u + n (nothing changes), u + y
#   (applied), d + y (rolled back, backup file written), the log, the
#   backups view and a restore from it, d with the backup turned off (Tab),
#   help; a slow migration stopped with Ctrl-C while the other panes stay
#   usable and q is refused; --read-only (with NO_COLOR) refusing every
#   action; a production database asking for its name; an Alembic project
#   (the real alembic): its graph, upgrade to the selected revision with
#   the output in the log, downgrade with a backup; PostgreSQL with a
#   migration that fails: the error with file:line on screen and in the
#   log, the database unchanged.
#   test_console_migrations.sh BIN SRC
# Every wait polls the screen and gives up after 10 s (30 s for a job).
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
T=$(mktemp -d /tmp/dbw-migcon.XXXXXX)
SOCK="dbw-mig-$$"
CUR=run0
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT INT TERM
failures=0

. "$(dirname "$0")/lib.sh"

count_is() { [ "$(screen | grep -cE -- "$2")" -eq "$1" ]; }
# cli_is DESCRIPTION JQ ARGS...: dbwarden status --json satisfies JQ
cli_is() {
    what=$1 q=$2
    shift 2
    out=$("$BIN" "$@" status --json 2>"$T/cli.err") || true
    if printf '%s' "$out" | jq -e "$q" >/dev/null 2>&1; then ok "$what"; else
        echo "FAIL: $what: $q" >&2; printf '%s\n' "$out" | head -20 >&2; cat "$T/cli.err" >&2
        failures=$((failures + 1))
    fi
}

# start NAME COLS LINES ARGS...: the console in a new tmux session, in $T
start() {
    name=$1 cols=$2 lines=$3
    shift 3
    rm -f "$T/exit"
    old=$CUR
    CUR=run$((${CUR#run} + 1))
    args=""
    for a in "$@"; do args="$args '$a'"; done
    tm -f /dev/null new-session -d -s "$CUR" -x "$cols" -y "$lines" -c "$T" \
        "env $ENVV TERM=$TERMV LC_ALL=C.UTF-8 ASAN_OPTIONS=\${ASAN_OPTIONS:-}:log_path=$T/asan \
         '$BIN' $args; echo EXIT=\$? > '$T/exit'; sleep 60"
    tm kill-session -t "$old" 2>/dev/null || true
    before=$failures
    wait_until "$name: the console is up" has "$UPTEXT"
    if [ "$failures" -ne "$before" ]; then
        cat "$T/exit" "$T"/asan* 2>/dev/null >&2 || true
        exit 1
    fi
}

# ------------------------------------------------- SQLite, two pending
cp -r "$SRC/migrations/sqlite" "$T/mig"
DB="sqlite:///$T/t.db"
A="--db $DB --migrations $T/mig"
third=$(for f in "$T"/mig/*.sql; do basename "$f"; done | tail -n 3 | head -n 1 | cut -d_ -f1)
newest=$(for f in "$T"/mig/*.sql; do basename "$f" .sql; done | tail -n 1)
nv=${newest%%_*}
nn=${newest#*_}
# shellcheck disable=SC2086
"$BIN" $A up "$third" >"$T/up.out" 2>&1 || { cat "$T/up.out" >&2; exit 1; }
cli_is "setup: two pending" '.pending == 2' $A
ENVV="-u NO_COLOR"
UPTEXT=VERSION

start "sqlite" 80 24 --db "$DB" --migrations "$T/mig"
wait_until "header says pending 2" has "pending 2"
wait_until "the newest migration is pending" has_re "^$nv +$nn +pending"

keys /
wait_until "/ opens the filter prompt" has "Filter migrations (regex): /"
text "audit"
keys Enter
wait_until "the filter narrows the list" has "Filter /audit/: 1 of"
wait_until "the match is listed" has "create_audit_log"
wait_until "other rows are hidden" lacks "create_users"
keys n
wait_until "n with one match wraps around" has "Search wrapped around"
keys / C-u
text "(unclosed"
keys Enter
wait_until "an invalid pattern says so in the status bar" line_has 24 "Invalid regular expression"
wait_until "the old filter stays after an invalid one" has "Filter /audit/"
keys Escape
wait_until "Esc clears the filter" has "create_users"

keys g Enter
wait_until "Enter opens the SQL view" has "$newest.sql"
wait_until "the SQL view has the up section" has "-- migrate:up"
wait_until "the SQL view has line numbers" has_re "^ *1  -- migrate:up"
keys G
wait_until "G scrolls to the down section" has "-- migrate:down"
keys Escape
wait_until "Esc goes back to the list" has "VERSION"

keys u
wait_until "u opens the confirmation" has "Run up?"
wait_until "the dialog shows the plan" has "apply 2 migrations"
wait_until "the dialog shows the exact SQL" has "BEGIN IMMEDIATE;"
keys End
wait_until "End scrolls the SQL to its end" has "INSERT INTO dbwarden_migrations"
keys n
wait_until "n cancels" has "Cancelled: nothing was done"
wait_until "the dialog is gone" lacks "Run up?"
cli_is "after n nothing changed" '.pending == 2' $A

keys u
wait_until "u again" has "Run up?"
keys y
WAIT=300
wait_until "u + y applies" has "Last: up: ok: applied 2 migrations"
WAIT=100
wait_until "the screen shows them applied" has "pending 0"
wait_until "the newest migration is applied" has_re "^$nv +$nn +applied"
cli_is "the command line agrees: nothing pending" ".pending == 0 and .current == [\"$nv\"]" $A

keys d
wait_until "d opens the confirmation" has "Run down?"
wait_until "down's dialog offers a backup" has "Backup first into backups/"
keys End
wait_until "down's dialog shows the SQL" has "DELETE FROM dbwarden_migrations WHERE version = '$nv'"
keys y
WAIT=300
wait_until "d + y rolls back one" has "Last: down: ok: rolled back 1 migration"
WAIT=100
wait_until "the screen says where the backup went" has "(backup: backups/t-"
wait_until "the newest is pending again" has_re "^$nv +$nn +pending"
if ls "$T"/backups/t-*.sqlite3 >/dev/null 2>&1; then ok "a backup file is in the backup folder"
else fail "no backup file in $T/backups"; fi
cli_is "the command line agrees: one pending" '.pending == 1' $A

keys L
wait_until "L shows the log" has "LOG of this session"
wait_until "the log has the cancelled up" has "up: cancelled at the confirmation"
wait_until "the log has the up that ran" has_re "up: ok in [0-9.]+ s: applied 2 migrations"
wait_until "the log has each step" has "applied ${newest}"
wait_until "the log has the backup file" has "backup written: backups/t-"
wait_until "the log has the down" has_re "down: ok in [0-9.]+ s: rolled back 1 migration"
keys L
wait_until "L again goes back" has "VERSION"

keys B
wait_until "B lists the backups" has "Backups in backups/"
wait_until "the backup is listed" has_re "t-[0-9T]+Z\\.sqlite3 "
keys Enter
wait_until "Enter asks before restoring" has "Run restore?"
wait_until "the restore dialog says what it does" has "copy every page of backups/t-"
keys y
WAIT=300
wait_until "restore runs" has "Last: restore: ok: restored backups/t-"
WAIT=100
cli_is "restored: the database is as it was before the down" '.pending == 0' $A
wait_until "the safety backup is listed too" count_is 2 "^t-[0-9T]+Z(-[0-9]+)?\\.sqlite3 "
keys Escape
wait_until "Esc leaves the backups" has "VERSION"
wait_until "the list shows the restored state" has "pending 0"

keys d
wait_until "d again" has "Backup first into backups/"
keys Tab
wait_until "Tab turns the backup off" has "No backup will be taken"
keys y
WAIT=300
wait_until "d without a backup" has_re "Last: down: ok: rolled back 1 migration *$"
WAIT=100
n=$(ls "$T"/backups/t-*.sqlite3 | wc -l)
if [ "$n" -eq 2 ]; then ok "no backup was taken the second time"; else
    fail "$n backups, expected 2 (one before the first down, one before the restore)"; fi
cli_is "one pending again" '.pending == 1' $A
keys L
wait_until "the log has the restore" has_re "restore: ok in [0-9.]+ s: restored backups/t-"
wait_until "the log says the backup was turned off" has "down: no backup first (turned off for this run)"
keys Escape
wait_until "Esc leaves the log" has "VERSION"

keys '?'
wait_until "? opens help" has "close this help"
keys PgDn
wait_until "help pages on to the pane's actions" has "up: apply every pending migration"
keys PgDn
wait_until "help lists down-to" has "roll back all newer"
help_has "help lists the dialog's keys" "Confirmation dialog"
keys Escape
wait_until "Esc closes help" lacks "close this help"
quit_ok "sqlite"

# ------------------- bad files in the folder: the state, and every problem
mkdir -p "$T/badmig"
cp "$T"/mig/*.sql "$T/badmig/"
printf 'SELECT 1;\n' > "$T/badmig/0099_nomarkers.sql"
printf -- '-- migrate:up\nSELECT 1;\n' > "$T/badmig/bad-name.sql"
start "bad files" 100 30 --db "$DB" --migrations "$T/badmig"
wait_until "bad files: the migrations are still listed" has_re "^$third +[a-z_]+ +applied"
wait_until "bad files: the note counts them and names the key" has "2 problems (p lists them all)"
keys p
wait_until "p: the problems view" has "Problems (2)"
wait_until "p lists the file without markers" has "0099_nomarkers.sql: no '-- migrate:up' line"
wait_until "p lists the badly named file" has "bad-name.sql: a migration file is named"
keys Escape
wait_until "Esc: back to the list" has "VERSION"
keys u
wait_until "no dialog opens" lacks "Run up?"
keys L
wait_until "u is refused: the log says nothing was planned" has "nothing was planned"
quit_ok "bad files"

# --------------------------- no folder given: applied is not a problem
start "no folder" 100 30 --db "$DB"
wait_until "no folder: the applied migrations are listed" has_re "^$third +[a-z_]+ +applied"
wait_until "no folder: no problems counted" lacks "problems"
wait_until "no folder: nothing is called missing" lacks "missing"
quit_ok "no folder"

# ------------------------------------------ a slow migration, stopped
mkdir -p "$T/slow"
cp "$T"/mig/*.sql "$T/slow/"
cat > "$T/slow/9999_slow.sql" <<'SQL'
-- migrate:up
CREATE TABLE slow_t (x int);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1e12)
SELECT count(*) FROM n;
-- migrate:down
DROP TABLE slow_t;
SQL
SDB="sqlite:///$T/slow.db"
"$BIN" --db "$SDB" --migrations "$T/slow" up "$nv" >/dev/null 2>&1
start "slow" 100 30 --db "$SDB" --migrations "$T/slow"
keys u
wait_until "slow: the dialog" has "Run up?"
keys y
wait_until "slow: the progress line" has_re "up 1 of 1 .*9999_slow .*[0-9]{2}:[0-9]{2}  Esc/Ctrl-C stops"
keys q
wait_until "slow: q is refused while it runs" has "up is running: Ctrl-C stops it"
keys Tab
wait_until "slow: the Schema pane works meanwhile" has "SCHEMA"
keys BTab
wait_until "slow: back on Migrations, still running" has "Esc/Ctrl-C stops"
keys C-c
WAIT=300
wait_until "slow: Ctrl-C stops it" has "Last: up cancelled: "
WAIT=100
wait_until "slow: the error names the file and line" has "9999_slow.sql:3"
wait_until "slow: the console is still there" has "VERSION"
wait_until "slow: the migration is still pending" has_re "^9999 +slow +pending"
cli_is "slow: the command line agrees: pending, nothing half-done" '.pending == 1' \
    --db "$SDB" --migrations "$T/slow"
quit_ok "slow"

# ------------------------------------------------ read-only, NO_COLOR
ENVV="NO_COLOR=1"
start "read-only" 100 30 --db "$DB" --migrations "$T/mig" --read-only
wait_until "read-only: the status bar says so" line_has 30 "READ-ONLY"
for k in u U d D s; do
    keys "$k"
    wait_until "read-only: $k is refused" has "Read-only (--read-only)"
    wait_until "read-only: $k opens no dialog" lacks "What will run"
done
keys B
wait_until "read-only: the backups view opens" has "Backups in backups/"
keys Enter
wait_until "read-only: restore is refused" has "Read-only (--read-only): restore"
keys Escape
quit_ok "read-only"
cli_is "read-only: nothing changed" '.pending == 1' $A
ENVV="-u NO_COLOR"

# --------------------------------------------------------- production
mkdir -p "$T/prod"
printf '[database]\nurl = %s\nenvironment = production\n[migrations]\ndir = %s\n[backup]\ndir = %s\n' \
    "$DB" "$T/mig" "$T/prodbk" > "$T/prod/dbwarden.ini"
start "production" 100 30 --config "$T/prod/dbwarden.ini"
wait_until "production: the status bar says production" line_has 30 "production"
keys u
wait_until "production: asks for the name" has "Production: type the name (t.db)"
keys y Enter
wait_until "production: y is not an answer" has "That is not the database name: type t.db"
cli_is "production: nothing ran yet" '.pending == 1' $A
keys C-u
text "t.db"
wait_until "production: the name shows as it is typed" has "and Enter: t.db"
keys Enter
WAIT=300
wait_until "production: the name typed in full runs it" has "Last: up: ok: applied 1 migration"
WAIT=100
cli_is "production: applied" '.pending == 0' $A
keys d
wait_until "production: down asks for the name too" has "type the name (t.db)"
wait_until "production: backup into the configured folder" has "Backup first into $T/prodbk/"
keys Escape
wait_until "production: Esc cancels" has "Cancelled: nothing was done"
cli_is "production: nothing rolled back" '.pending == 0' $A
quit_ok "production"

# ------------------------------------------------------------ Alembic
P="$SRC/tests/alembic/project/alembic.ini"
ADB="$T/alembic.db"
touch "$ADB"
AA="--db sqlite:///$ADB --alembic $P"
ENVV="-u NO_COLOR -u DATABASE_URL PYTHONDONTWRITEBYTECODE=1"
UPTEXT=HISTORY
start "alembic" 100 30 --db "sqlite:///$ADB" --alembic "$P"
wait_until "alembic: the project's state" has "Alembic applied 0 · pending 6"
wait_until "alembic: the graph shows the branch" has_re "^\\|\\\\ *$"
wait_until "alembic: and the merge" has_re "^\\|/ *$"
keys j j U
wait_until "alembic: the selection skips graph lines" has "Run up to 3c4d5e6f7081?"
wait_until "alembic: the dialog shows the command line" has "alembic -c alembic.ini upgrade 3c4d5e6f7081"
keys y
WAIT=300
wait_until "alembic: upgrade runs" has "Last: up to 3c4d5e6f7081: ok"
WAIT=100
wait_until "alembic: current and applied marked" has "3c4d5e6f7081 (current, billing) [applied]"
cli_is "alembic: the command line agrees" '.current == ["3c4d5e6f7081"] and .applied == 3' $AA
keys L
wait_until "alembic: its output is in the log" has "Running upgrade 2b3c4d5e6f70 -> 3c4d5e6f7081"
keys L Enter
wait_until "alembic: Enter shows the revision file" has "Revision ID: 3c4d5e6f7081"
keys Escape d
wait_until "alembic: down shows its explicit command" has "alembic -c alembic.ini downgrade 3c4d5e6f7081@2b3c4d5e6f70"
wait_until "alembic: down offers a backup" has "Backup first into backups/"
keys y
WAIT=300
wait_until "alembic: downgrade runs" has "Last: down: ok"
WAIT=100
cli_is "alembic: one step down" '.current == ["2b3c4d5e6f70"]' $AA
if ls "$T"/backups/alembic-*.sqlite3 >/dev/null 2>&1; then ok "alembic: the backup was taken"
else fail "alembic: no backup in $T/backups"; fi
quit_ok "alembic"
ENVV="-u NO_COLOR"
UPTEXT=VERSION

# ------------------------------------------ PostgreSQL, a failing step
if [ -n "${DBW_PG_HOST:-}" ]; then
    PGOPTIONS='-c client_min_messages=warning' \
    psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS con_mig WITH (FORCE)" -c "DROP ROLE IF EXISTS con_mig_user" \
        -c "CREATE ROLE con_mig_user LOGIN PASSWORD 'Pw4mig!'" \
        -c "CREATE DATABASE con_mig OWNER con_mig_user" >/dev/null
    PURL="postgresql://con_mig_user:Pw4mig%21@/con_mig?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
    cp -r "$SRC/migrations/postgres" "$T/pgmig"
    cat > "$T/pgmig/9999_broken.sql" <<'SQL'
-- migrate:up
CREATE TABLE broken_t (x int);
INSERT INTO no_such_table VALUES (1);
-- migrate:down
DROP TABLE broken_t;
SQL
    PA="--db $PURL --migrations $T/pgmig"
    # shellcheck disable=SC2086
    "$BIN" --db "$PURL" --migrations "$SRC/migrations/postgres" up >/dev/null
    cli_is "pg: all but the broken one applied" '.pending == 1' $PA
    start "pg" 100 30 --db "$PURL" --migrations "$T/pgmig"
    wait_until "pg: the broken migration is pending" has_re "^9999 +broken +pending"
    keys u
    wait_until "pg: the dialog shows the broken SQL" has "INSERT INTO no_such_table"
    keys y
    WAIT=300
    wait_until "pg: the failure is shown" has "Last: up failed: "
    WAIT=100
    wait_until "pg: with the file and line" has "9999_broken.sql:3"
    wait_until "pg: still pending on screen" has_re "^9999 +broken +pending"
    if screen | grep -qF "Pw4mig"; then fail "pg: the password is on screen"; else
        ok "pg: no password on screen"; fi
    keys L
    wait_until "pg: the log has the error with file:line" has_re "up: failed after [0-9.]+ s: .*9999_broken.sql:3"
    wait_until "pg: and the engine's words" has "no_such_table"
    keys L
    quit_ok "pg"
    cli_is "pg: the database is unchanged" '.pending == 1 and .current == ["0010"]' $PA
    n=$(psql -X -A -t -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d con_mig \
        -c "SELECT count(*) FROM pg_tables WHERE tablename = 'broken_t'")
    if [ "$n" = 0 ]; then ok "pg: the failed step left no table"; else
        fail "pg: broken_t exists after the failed step"; fi
    psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres \
        -c "DROP DATABASE IF EXISTS con_mig WITH (FORCE)" -c "DROP ROLE IF EXISTS con_mig_user" \
        >/dev/null 2>&1 || true
else
    echo "FAIL: DBW_PG_HOST is not set: run through ctest (needs the pg fixture)" >&2
    failures=$((failures + 1))
fi

if ls "$T"/asan* >/dev/null 2>&1; then
    echo "FAIL: AddressSanitizer reported:" >&2
    cat "$T"/asan* | head -60 >&2
    failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
echo "all checks passed"
