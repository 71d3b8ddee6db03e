#!/bin/sh
# Console test against PostgreSQL through a URL with a password: the
# console shows the database redacted, on every pane and in the help, and
# never the password itself.
#   test_console_postgres.sh BIN MIGRATIONS_DIR
set -eu
BIN=$1
MIG=$2
T=$(mktemp -d /tmp/dbw-con.XXXXXX)
SOCK="dbw-pgcon-$$"
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# a role of its own, so that other tests running at the same time are not touched
psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS con_pg WITH (FORCE)" -c "DROP ROLE IF EXISTS con_user" \
    -c "CREATE ROLE con_user LOGIN PASSWORD 'Sekr3tPw!'" \
    -c "CREATE DATABASE con_pg OWNER con_user" >/dev/null
URL="postgresql://con_user:Sekr3tPw%21@/con_pg?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
"$BIN" --db "$URL" --migrations "$MIG" up >/dev/null

screen() { tmux -L "$SOCK" capture-pane -p -t dbw; }
# wait_for TEXT: polls the screen for up to 10 s
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        if screen | grep -qF -- "$1"; then return 0; fi
        sleep 0.1
        i=$((i + 1))
    done
    fail "screen never showed '$1'"
    screen | sed 's/^/    | /' >&2
    return 1
}
no_password() {
    if screen | grep -qF "Sekr3tPw"; then fail "the password is on screen ($1)"; screen | sed 's/^/    | /' >&2; fi
}

tmux -L "$SOCK" -f /dev/null new-session -d -s dbw -x 120 -y 30 \
    "$BIN --db '$URL' --migrations '$MIG'; echo EXIT=\$? > $T/exit"
wait_for "postgresql"
wait_for "con_user:***@"
no_password "Migrations"
wait_for "applied"
tmux -L "$SOCK" send-keys -t dbw 2
wait_for "subscriptions"
no_password "Schema"
tmux -L "$SOCK" send-keys -t dbw '?'
sleep 0.3
no_password "help"
tmux -L "$SOCK" send-keys -t dbw Escape
# the server ends the console's session (as a restart does): r reconnects,
# and an action plans on the new session
kill_session() {
    psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres -t -A -c \
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'con_pg' AND usename = 'con_user'" >/dev/null
}
kill_session
tmux -L "$SOCK" send-keys -t dbw 1 r
wait_for "Reconnected to postgresql://con_user:***@"
wait_for "applied"
no_password "reconnect"
kill_session
tmux -L "$SOCK" send-keys -t dbw d
wait_for "Run down?"
tmux -L "$SOCK" send-keys -t dbw n
wait_for "Cancelled: nothing was done"
tmux -L "$SOCK" send-keys -t dbw q
i=0
while [ ! -s "$T/exit" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "EXIT=0" "$T/exit" 2>/dev/null || fail "the console did not quit with status 0 ($(cat "$T/exit" 2>/dev/null))"

if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
echo "all checks passed"
