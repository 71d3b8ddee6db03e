#!/bin/sh
# A password given with --db does not stay in the process list: while
# dbwarden runs (an `up` whose migration sleeps), /proc/PID/cmdline shows
# x's in its place, byte for byte, for a URL and for a keyword string; and
# the process has core dumps off (a limit of 0, and not dumpable).
#   test_cli_secret_argv.sh BIN SRC
. "$(dirname "$0")/lib.sh"

# As root, run dbwarden as nobody: a process that is not dumpable has its
# /proc files owned by root, which only shows when it runs as someone else.
AS=""
if [ "$(id -u)" = 0 ]; then
    AS="env HOME=$T XDG_CONFIG_HOME=$T setpriv --reuid=nobody --regid=nogroup --clear-groups --"
    chmod 755 "$T"
fi
appsql() { PGPASSWORD='s3cret!pw' psql -X -q -At -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U app -d "$1" -v ON_ERROR_STOP=1 -c "$2"; }

mkdir chain
cat > chain/0001_slow.sql <<'SQL'
-- migrate:up
SELECT pg_sleep(4);
CREATE TABLE slow_done (id integer);
-- migrate:down
DROP TABLE slow_done;
SQL

# watch NAME DB ARGS...: runs dbwarden ARGS in the background, and while
# its migration sleeps keeps its command line, limits and /proc owner
watch() {
    name=$1 db=$2
    shift 2
    $AS "$BIN" "$@" >"$name.out" 2>"$name.err" &
    pid=$!
    i=0
    until [ "$(appsql "$db" "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(4)%' AND pid <> pg_backend_pid()")" = 1 ] || [ $i -ge 100 ]; do
        sleep 0.1; i=$((i + 1))
    done
    [ -e /proc/$pid/cmdline ] || { fail "$name: dbwarden ended early: $(cat "$name.err")"; return; }
    tr '\0' ' ' < /proc/$pid/cmdline > "$name.cmdline"
    cat /proc/$pid/limits > "$name.limits"
    stat -c '%u' /proc/$pid/status > "$name.owner"
    awk '/^Uid:/ { print $2 }' /proc/$pid/status > "$name.uid"
    wait $pid || fail "$name: dbwarden failed: $(cat "$name.err")"
}
dumps_off() {
    if grep -Eq '^Max core file size +0 +0 ' "$1.limits"; then ok "$1: core file size limit 0"
    else fail "$1: core dumps on"; grep core "$1.limits" >&2; fi
    if [ "$(cat "$1.uid")" = 0 ]; then
        echo "$1: runs as root, dumpable flag not observable"
    elif [ "$(cat "$1.owner")" = 0 ]; then ok "$1: not dumpable (/proc owned by root)"
    else fail "$1: dumpable (/proc/PID owned by uid $(cat "$1.owner"))"; fi
}

pg_createdb cli_argv1
URL="postgresql://app:s3cret%21pw@/cli_argv1?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
watch url cli_argv1 --db "$URL" --migrations chain up
lacks url.cmdline "s3cret"
has url.cmdline "--db postgresql://app:xxxxxxxxxxx@/cli_argv1?host="
has url.cmdline "--migrations chain up"
dumps_off url
[ "$(appsql cli_argv1 "SELECT to_regclass('slow_done') IS NOT NULL")" = t ] \
    && ok "url: the run used the real password" || fail "url: migration not applied"

pg_createdb cli_argv2
KW="host=$DBW_PG_HOST port=$DBW_PG_PORT dbname=cli_argv2 user=app password='s3cret!pw'"
watch kw cli_argv2 --db="$KW" --migrations chain up
lacks kw.cmdline "s3cret"
has kw.cmdline "user=app password=xxxxxxxxxxx"
has kw.cmdline "--db=host="
dumps_off kw
[ "$(appsql cli_argv2 "SELECT to_regclass('slow_done') IS NOT NULL")" = t ] \
    && ok "kw: the run used the real password" || fail "kw: migration not applied"
finish
