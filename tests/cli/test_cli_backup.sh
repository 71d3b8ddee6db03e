#!/bin/sh
# Command-line tests of backup, backup list and restore: on a real SQLite
# file, and on the PostgreSQL test server through a URL with a password
# that must never be shown, nor given to pg_dump on its command line.
. "$(dirname "$0")/lib.sh"

# same FILE CMD: the output of the sqlite3 query $2 on $1 is $3
same() {
    got=$(sqlite3 "$1" "$2")
    if [ "$got" = "$3" ]; then ok "$1: $2 = $3"; else fail "$1: $2 gave '$got', expected '$3'"; fi
}

# ---- SQLite ----
sqlite3 app.db "CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL);
                INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three');"

run sq_backup 0 --db app.db backup
has sq_backup.out "backups/app-"
has sq_backup.out "took"
run sq_json 0 --db app.db --json backup
jq_ok sq_json '(.file | test("^backups/app-[0-9]{8}T[0-9]{6}Z(-[0-9]+)?\\.sqlite3$")) and .bytes > 0 and .engine == "sqlite" and .database == "app.db" and (.duration_ms | type == "number")'
F=$(jq -r .file sq_json.out)
if [ -f "$F" ] && [ "$(stat -c %a "$F")" = 600 ]; then ok "$F written, mode 600"; else fail "$F missing or not mode 600"; fi
if [ "$(ls -A backups | grep -c '^\.')" = 0 ]; then ok "no temporary file left"; else fail "a temporary file is left in backups/"; fi

run sq_list 0 --db app.db --json backup list
jq_ok sq_list '(.backups | length) == 2 and .backups[0].engine == "sqlite" and .backups[0].database == "app" and (.backups[0].created | test("Z$"))'
run sq_listtext 0 --db app.db backup list
has sq_listtext.out "$F"
run sq_usage 2 --db app.db backup now
has sq_usage.err "usage: dbwarden backup [list]"

# the folder from the configuration file, created when missing
printf '[backup]\ndir = elsewhere/sub\n' > other.ini
run sq_cfg 0 --db app.db --config other.ini --json backup
jq_ok sq_cfg '.file | startswith("elsewhere/sub/app-")'

# change the data; a restore needs a confirmation, and --read-only refuses it
sqlite3 app.db "DELETE FROM items; INSERT INTO items VALUES (9, 'nine');"
run sq_noconfirm 1 --db app.db restore "$F"
has sq_noconfirm.err "--yes"
run sq_ro 2 --db app.db --read-only --yes restore "$F"
has sq_ro.err "read-only"
same app.db "SELECT group_concat(label) FROM items" "nine"

run sq_restore 0 --db app.db --yes --json restore "$F"
jq_ok sq_restore ".file == \"$F\" and .engine == \"sqlite\" and (.backup_before | startswith(\"backups/app-\")) and (.duration_ms | type == \"number\")"
same app.db "SELECT group_concat(label, ',') FROM (SELECT label FROM items ORDER BY id)" "one,two,three"
# the backup taken just before holds what was replaced
BEFORE=$(jq -r .backup_before sq_restore.out)
same "$BEFORE" "SELECT group_concat(label) FROM items" "nine"

# --no-backup skips it; a bare name is found in the backup folder
sqlite3 app.db "DELETE FROM items WHERE id = 1"
n=$(ls backups | wc -l)
run sq_bare 0 --db app.db --yes --no-backup restore "$(basename "$F")"
has sq_bare.err "no backup before restore"
has sq_bare.out "restored $F"
[ "$(ls backups | wc -l)" = "$n" ] && ok "no backup with --no-backup" || fail "a backup was taken despite --no-backup"
same app.db "SELECT count(*) FROM items" "3"

# files that are not backups of this engine: a clear error, nothing changed
sqlite3 app.db "INSERT INTO items VALUES (4, 'four')"
run sq_missing 2 --db app.db --yes restore nope.sqlite3
has sq_missing.err "nope.sqlite3 does not exist"
echo "hello, not a backup" > notes.txt
run sq_garbage 2 --db app.db --yes restore notes.txt
has sq_garbage.err "notes.txt is not a backup"
printf 'PGDMP\001\016\000' > pg.dump
run sq_wrong 2 --db app.db --yes restore pg.dump
has sq_wrong.err "pg.dump is a PostgreSQL backup"
head -c 2000 "$F" > cut.sqlite3
run sq_cut 2 --db app.db --yes restore cut.sqlite3
has sq_cut.err "cut.sqlite3"
same app.db "SELECT count(*) FROM items" "4"
run sq_usage2 2 --db app.db --yes restore
has sq_usage2.err "usage: dbwarden restore FILE"

# a backup that fails half way (the file size limit) leaves no file
sqlite3 big.db "CREATE TABLE big (id integer PRIMARY KEY, v text);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
  INSERT INTO big SELECT i, hex(randomblob(100)) FROM n;"
printf '[backup]\ndir = half\n' > half.ini
set +e
(trap '' XFSZ; ulimit -f 32; "$BIN" --db big.db --config half.ini backup) >half.out 2>half.err
st=$?
set -e
[ "$st" = 1 ] && ok "half: exit status 1" || fail "half: exit status $st, expected 1"
has half.err "half"
[ -z "$(ls -A half)" ] && ok "half: no file left" || fail "half: files left: $(ls -A half)"
# an unwritable folder (a path through a file)
echo x > afile
printf '[backup]\ndir = afile/sub\n' > unw.ini
run unwritable 1 --db big.db --config unw.ini backup
has unwritable.err "afile/sub"

# ---- PostgreSQL ----
pg_createdb cli_bk
URL="postgresql://app:s3cret%21pw@/cli_bk?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
appsql() { PGPASSWORD='s3cret!pw' psql -X -q -At -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U app -d cli_bk -v ON_ERROR_STOP=1 -c "$1"; }
pgsame() {
    got=$(appsql "$1")
    if [ "$got" = "$2" ]; then ok "cli_bk: $1 = $2"; else fail "cli_bk: $1 gave '$got', expected '$2'"; fi
}
appsql "CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL);
        INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three');"

run pg_backup 0 --db "$URL" --json backup
jq_ok pg_backup '(.file | test("^backups/cli_bk-[0-9]{8}T[0-9]{6}Z(-[0-9]+)?\\.dump$")) and .bytes > 0 and .engine == "postgresql" and .database == "cli_bk"'
P=$(jq -r .file pg_backup.out)
run pg_text 0 --db "$URL" backup
has pg_text.out "app:***@"

appsql "DELETE FROM items; INSERT INTO items VALUES (9, 'nine');"
run pg_restore 0 --db "$URL" --yes --json restore "$P"
jq_ok pg_restore ".file == \"$P\" and .engine == \"postgresql\" and (.backup_before | endswith(\".dump\"))"
has pg_restore.err "drop every object of the database"
pgsame "SELECT string_agg(label, ',' ORDER BY id) FROM items" "one,two,three"

# restoring a SQLite backup into PostgreSQL: refused, nothing changed
run pg_wrong 2 --db "$URL" --yes restore "$F"
has pg_wrong.err "is a SQLite backup"
pgsame "SELECT count(*) FROM items" "3"

# pg_dump gets no password on its command line: a wrapper records it
real=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
mkdir tools
cat > tools/pg_dump <<EOF
#!/bin/sh
case "\$1" in --version) exec "$real/pg_dump" "\$@";; esac
{ printf '%s\n' "\$@"; tr '\\0' ' ' < /proc/\$\$/cmdline; echo; echo "PGPASSWORD=\${PGPASSWORD-unset}"; } >> "$T/tools/log"
exec "$real/pg_dump" "\$@"
EOF
chmod 755 tools/pg_dump
export DBWARDEN_PG_PATH="$T/tools:$real"
export PGPASSWORD=not-this-one
run pg_wrapped 0 --db "$URL" backup
unset PGPASSWORD
has tools/log "passfile="
has tools/log "--format=custom"
has tools/log "PGPASSWORD=unset"
lacks tools/log "s3cret"
lacks tools/log "not-this-one"

# without pg_dump: a clear refusal, and no file
export DBWARDEN_PG_PATH=""
n=$(ls backups | wc -l)
run pg_notool 1 --db "$URL" backup
has pg_notool.err "pg_dump was not found"
has pg_notool.err "DBWARDEN_PG_PATH"
[ "$(ls backups | wc -l)" = "$n" ] && ok "no file without pg_dump" || fail "a file was written without pg_dump"
run pg_norestore 1 --db "$URL" --yes restore "$P"
has pg_norestore.err "pg_restore was not found"
# pg_restore but no pg_dump: the backup before the restore is refused,
# with the way to go on without it
mkdir only_restore
ln -s "$real/pg_restore" only_restore/pg_restore
export DBWARDEN_PG_PATH="$T/only_restore"
appsql "UPDATE items SET label = 'changed'"
run pg_nodump 1 --db "$URL" --yes restore "$P"
has pg_nodump.err "pg_dump was not found"
has pg_nodump.err "--no-backup"
pgsame "SELECT count(*) FROM items WHERE label = 'changed'" "3"
run pg_nodump_ok 0 --db "$URL" --yes --no-backup restore "$P"
pgsame "SELECT count(*) FROM items WHERE label = 'changed'" "0"
unset DBWARDEN_PG_PATH

for f in *.out *.err tools/log; do
    if grep -qF 's3cret' "$f"; then fail "$f shows the password"; fi
done
ok "no output shows the password"
finish
