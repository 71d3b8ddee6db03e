#!/bin/sh
# `dbwarden restore` takes the run lock: while another run holds it (a
# `dbwarden up` whose migration sleeps on PostgreSQL; the lock file held by
# another process on SQLite) the restore waits, then fails naming the
# holder, with nothing changed and no backup taken.
#   test_cli_restore_lock.sh BIN SRC
. "$(dirname "$0")/lib.sh"

# waited NAME SECONDS: NAME took at least SECONDS (from its .t0 and .t1)
waited() {
    d=$(( $(cat "$1.t1") - $(cat "$1.t0") ))
    [ "$d" -ge "$2" ] && ok "$1 waited ${d}s for the lock" || fail "$1 took ${d}s, expected >= $2s"
}
timed() { # timed NAME STATUS ARGS...: run, recording start and end times
    date +%s > "$1.t0"
    run "$@"
    date +%s > "$1.t1"
}

# ---- SQLite: the lock file is held by another process ----
sqlite3 app.db "CREATE TABLE items (id integer PRIMARY KEY, label text);
                INSERT INTO items VALUES (1, 'one'), (2, 'two');"
run sq_bk 0 --db app.db --json backup
F=$(jq -r .file sq_bk.out)
sqlite3 app.db "UPDATE items SET label = 'changed'; CREATE TABLE later (x integer);"
n=$(ls backups | wc -l)
printf 'pid 4242, user tester@here, running dbwarden up (the holder), since now\n' > app.db.dbwarden-lock
flock -o app.db.dbwarden-lock sleep 30 &   # -o: the lock is flock's own
holder=$!
sleep 0.3
timed sq_locked 1 --db app.db --yes restore "$F"
waited sq_locked 9
has sq_locked.err "holds the lock"
has sq_locked.err "dbwarden up (the holder)"
has sq_locked.err "nothing was changed"
[ "$(sqlite3 app.db "SELECT group_concat(label) FROM items")" = "changed,changed" ] \
    && ok "sqlite: data unchanged" || fail "sqlite: data changed while the lock was held"
[ "$(sqlite3 app.db "SELECT count(*) FROM sqlite_master WHERE name = 'later'")" = 1 ] \
    && ok "sqlite: later table still there" || fail "sqlite: later table gone"
[ "$(ls backups | wc -l)" = "$n" ] && ok "sqlite: no backup taken" || fail "sqlite: a backup was taken"
sleeper=$(pgrep -P $holder || true)
kill $holder $sleeper; wait $holder 2>/dev/null || true
run sq_free 0 --db app.db --yes restore "$F"
[ "$(sqlite3 app.db "SELECT group_concat(label) FROM items")" = "one,two" ] \
    && ok "sqlite: restored once the lock is free" || fail "sqlite: not restored"

# ---- PostgreSQL: a `dbwarden up` is running ----
pg_createdb cli_lock
URL="postgresql://app:s3cret%21pw@/cli_lock?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
appsql() { PGPASSWORD='s3cret!pw' psql -X -q -At -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U app -d cli_lock -v ON_ERROR_STOP=1 -c "$1"; }
mkdir chain
cat > chain/0001_items.sql <<'SQL'
-- migrate:up
CREATE TABLE items (id integer PRIMARY KEY, label text);
INSERT INTO items VALUES (1, 'one'), (2, 'two');
-- migrate:down
DROP TABLE items;
SQL
run pg_up1 0 --db "$URL" --migrations chain up
run pg_bk 0 --db "$URL" --json backup
P=$(jq -r .file pg_bk.out)
appsql "UPDATE items SET label = 'changed'"
cat > chain/0002_slow.sql <<'SQL'
-- migrate:up
SELECT pg_sleep(14);
CREATE TABLE slow_done (id integer);
-- migrate:down
DROP TABLE slow_done;
SQL
"$BIN" --db "$URL" --migrations chain up >up.out 2>up.err &
up=$!
i=0
until [ "$(appsql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(14)%' AND pid <> pg_backend_pid()")" = 1 ] || [ $i -ge 100 ]; do
    sleep 0.1; i=$((i + 1))
done
n=$(ls backups | wc -l)
timed pg_locked 1 --db "$URL" --yes restore "$P"
waited pg_locked 9
has pg_locked.err "holds the lock"
has pg_locked.err "user app"
has pg_locked.err "nothing was changed"
[ "$(ls backups | wc -l)" = "$n" ] && ok "postgres: no backup taken" || fail "postgres: a backup was taken"
wait $up && ok "the up finished" || fail "the up failed: $(cat up.err)"
[ "$(appsql "SELECT string_agg(label, ',' ORDER BY id) FROM items")" = "changed,changed" ] \
    && ok "postgres: data as the up left it" || fail "postgres: data changed by the restore"
[ "$(appsql "SELECT count(*) FROM dbwarden_migrations")" = 2 ] && [ "$(appsql "SELECT to_regclass('slow_done') IS NOT NULL")" = t ] \
    && ok "postgres: the up applied 0002 whole" || fail "postgres: the up's work is mixed with the restore"

for f in *.out *.err; do
    if grep -qF 's3cret' "$f"; then fail "$f shows the password"; fi
done
finish
