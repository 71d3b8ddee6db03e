#!/bin/sh
# Guards around destructive commands, through a real terminal (tmux):
# confirmation by "yes", the database name on production, and two
# `dbwarden up` at once applying each migration exactly once.
#   test_cli_guards.sh BIN SRC
. "$(dirname "$0")/lib.sh"
M="$SRC/migrations/sqlite"
# a tmux server of its own per terminal session, so that one shutting down
# never races the next one starting
n=0
SOCK="dbw-guard-$$-$n"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$T"' EXIT

# two runners at once, on SQLite and on PostgreSQL
pg_createdb guards_pg
PGURL="postgresql://app:s3cret%21pw@/guards_pg?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
for url in "sqlite:///$T/race.db" "$PGURL"; do
    mig="$SRC/migrations/sqlite"
    case "$url" in postgresql*) mig="$SRC/migrations/postgres" ;; esac
    touch "$T/race.db"
    "$BIN" --db "$url" --migrations "$mig" up --json >r1.out 2>r1.err & p1=$!
    "$BIN" --db "$url" --migrations "$mig" up --json >r2.out 2>r2.err & p2=$!
    s1=0; s2=0
    wait $p1 || s1=$?
    wait $p2 || s2=$?
    [ $s1 -eq 0 ] && [ $s2 -eq 0 ] || { fail "two runners: exit $s1 and $s2"; cat r1.err r2.err >&2; }
    total=$(jq -s '[.[].applied | length] | add' r1.out r2.out)
    [ "$total" = "$(mig_count "$mig")" ] && ok "two runners applied $total migrations once each" \
        || fail "two runners applied $total migrations, expected $(mig_count "$mig")"
done

# interactive confirmation, in a real terminal
screen() { tmux -L "$SOCK" capture-pane -p -t g; }
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        if screen | grep -qF -- "$1"; then return 0; fi
        sleep 0.1; i=$((i + 1))
    done
    fail "terminal never showed '$1'"; screen | sed 's/^/    | /' >&2
}
term() { # term ARGS...: runs dbwarden in tmux; the exit status lands in $T/st
    rm -f "$T/st"
    n=$((n + 1))
    SOCK="dbw-guard-$$-$n"
    tmux -L "$SOCK" -f /dev/null new-session -d -s g -x 150 -y 40 \
        "cd $T && $BIN $* ; echo EXIT=\$? > $T/st; sleep 30"
}
finished() {
    i=0
    while [ ! -s "$T/st" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    st=$(cat "$T/st" 2>/dev/null)
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    [ "$st" = "EXIT=$1" ] && ok "exit $1" || fail "expected EXIT=$1, got '$st'"
}

URL="sqlite:///$T/race.db"
term --db "$URL" --migrations "$M" --no-backup down
wait_for "Type yes to go on"
wait_for "DROP TABLE"
tmux -L "$SOCK" send-keys -t g "no" Enter
wait_for "not confirmed"
finished 1

term --db "$URL" --migrations "$M" --no-backup down
wait_for "Type yes to go on"
tmux -L "$SOCK" send-keys -t g "yes" Enter
wait_for "1 migration rolled back"
finished 0

printf '[database]\nurl = %s\nenvironment = production\n' "$URL" > "$T/prod.ini"
term --config "$T/prod.ini" --migrations "$M" --no-backup stamp 0001
wait_for "This is a production database. Type its name (race.db)"
tmux -L "$SOCK" send-keys -t g "yes" Enter
wait_for "the name typed was not race.db"
finished 1

term --config "$T/prod.ini" --migrations "$M" --no-backup stamp 0001
wait_for "Type its name"
tmux -L "$SOCK" send-keys -t g "race.db" Enter
wait_for "stamp"
finished 0
run afterprod 0 --db "$URL" --migrations "$M" status --json
jq_ok afterprod '.current == ["0001"]'
finish
