#!/bin/sh
# PostgreSQL restore brings the database back to what it was at backup
# time: whatever was made after the backup (tables, foreign keys into the
# restored tables, views, sequences, types, functions, schemas, extensions,
# large objects, a newer migration...) is gone, compared by pg_dump of the
# schema and of the data before and after.  A restore that fails half way
# changes nothing.
#   test_cli_restore_pg.sh BIN SRC
. "$(dirname "$0")/lib.sh"

pg_createdb cli_rs
URL="postgresql://app:s3cret%21pw@/cli_rs?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
appsql() { PGPASSWORD='s3cret!pw' psql -X -q -At -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U app -d cli_rs -v ON_ERROR_STOP=1 -c "$1"; }
admin() { psql -X -q -At -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d "${2:-cli_rs}" -v ON_ERROR_STOP=1 -c "$1"; }
# snap NAME: the schema and the data as pg_dump sees them (as the superuser,
# so that nothing is hidden), without the dump's random \restrict key
snap() {
    for part in schema-only data-only; do
        pg_dump -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres --$part cli_rs
    done | grep -v '^\\\(un\)\{0,1\}restrict ' > "$1.snap"
}
same_snap() { # same_snap A B WHAT
    if [ -s "$1.snap" ] && cmp -s "$1.snap" "$2.snap"; then ok "$3: schema and data as they were"; else
        fail "$3: the database differs"; diff "$1.snap" "$2.snap" | head -40 | sed 's/^/    /' >&2; fi
}

# the reference application, ten migrations, and some data
cp -r "$SRC/migrations/postgres" chain
run up 0 --db "$URL" --migrations chain up
appsql "INSERT INTO users (email, username) VALUES ('a@x', 'a'), ('b@x', 'b');
        INSERT INTO workspaces (owner_id, name) SELECT id, 'w' || id FROM users;
        COMMENT ON TABLE users IS 'people'"
run bk 0 --db "$URL" --json backup
B=$(jq -r .file bk.out)
snap at_backup

# each kind of object made after the backup, then restore
restore_after() { # restore_after WHAT SQL
    appsql "$2" >/dev/null
    run "rs_$1" 0 --db "$URL" --yes --no-backup restore "$B"
    snap "after_$1"
    same_snap at_backup "after_$1" "$1"
}
restore_after table "CREATE TABLE later (id int PRIMARY KEY, note text); INSERT INTO later VALUES (1, 'x')"
restore_after foreign_key "CREATE TABLE later (id int PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id));
    INSERT INTO later SELECT 1, min(id) FROM users"
restore_after view "CREATE VIEW later_v AS SELECT id, email FROM users;
    CREATE MATERIALIZED VIEW later_mv AS SELECT count(*) AS n FROM users"
restore_after sequence "CREATE SEQUENCE later_seq START 100; SELECT nextval('later_seq')"
restore_after types "CREATE TYPE mood AS ENUM ('ok', 'bad'); CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
    CREATE TYPE pair AS (a int, b text); CREATE TYPE span AS RANGE (subtype = float8);
    CREATE TABLE later (m mood, p posint, q pair, s span)"
restore_after function "CREATE FUNCTION later_f(users) RETURNS text LANGUAGE sql AS 'SELECT \$1.email';
    CREATE PROCEDURE later_p() LANGUAGE sql AS 'SELECT 1';
    CREATE AGGREGATE later_sum(int) (sfunc = int4pl, stype = int)"
restore_after schema "CREATE SCHEMA later; CREATE TABLE later.t (id int PRIMARY KEY, user_id bigint REFERENCES public.users(id));
    CREATE TABLE public.back (id int REFERENCES later.t(id))"
restore_after extension "CREATE EXTENSION citext; CREATE TABLE later (name citext)"
restore_after large_object "SELECT lo_from_bytea(0, 'later')"
restore_after changed_tables "ALTER TABLE users ADD COLUMN later text; CREATE INDEX users_later ON users (later);
    DELETE FROM workspaces; UPDATE users SET username = username || '!';
    INSERT INTO users (email, username) VALUES ('c@x', 'c');
    CREATE FUNCTION later_t() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
    CREATE TRIGGER later_t BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION later_t()"
restore_after public_schema "GRANT CREATE ON SCHEMA public TO PUBLIC; COMMENT ON SCHEMA public IS 'changed'"
restore_after everything "CREATE SCHEMA s2; CREATE TYPE s2.kind AS ENUM ('a');
    CREATE TABLE s2.items (id serial PRIMARY KEY, k s2.kind, user_id bigint REFERENCES users(id));
    CREATE TABLE later (id int PRIMARY KEY, item int REFERENCES s2.items(id));
    CREATE VIEW later_v AS SELECT later.id, items.k FROM later JOIN s2.items ON items.id = later.item;
    CREATE EXTENSION pgcrypto; SELECT lo_from_bytea(0, 'x');
    CREATE TEXT SEARCH CONFIGURATION later_ts (COPY = english);
    CREATE STATISTICS later_st ON id, item FROM later"
has rs_table.err "drop every object of the database"

# a newer migration applied after the backup: after the restore it is
# pending again, and `up` applies it again
cat > chain/0011_later.sql <<'SQL'
-- migrate:up
CREATE TABLE reviews (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id));
-- migrate:down
DROP TABLE reviews;
SQL
run up11 0 --db "$URL" --migrations chain up
run rs_mig 0 --db "$URL" --migrations chain --yes --no-backup restore "$B"
snap after_mig
same_snap at_backup after_mig "migration 0011"
run st_mig 0 --db "$URL" --migrations chain --json status
jq_ok st_mig '(.pending | length) == 1'
run up11b 0 --db "$URL" --migrations chain up
run st_mig2 0 --db "$URL" --migrations chain --json status
jq_ok st_mig2 '(.pending | length) == 0 and (.current | index("0011") != null)'

# a restore that fails half way leaves the database as it was
#  (1) an archive whose data is cut short: pg_restore fails mid-way
appsql "CREATE TABLE big AS SELECT i, md5(i::text) AS v FROM generate_series(1, 60000) AS i"
run bk_big 0 --db "$URL" --json backup
BIG=$(jq -r .file bk_big.out)
size=$(stat -c %s "$BIG")
head -c $((size * 6 / 10)) "$BIG" > cut.dump
appsql "DROP TABLE big; CREATE TABLE later (id int REFERENCES users(id)); INSERT INTO users (email, username) VALUES ('d@x', 'd')"
snap before_cut
run rs_cut 1 --db "$URL" --yes --no-backup restore cut.dump
has rs_cut.err "pg_restore could not restore"
has rs_cut.err "left as it was"
snap after_cut
same_snap before_cut after_cut "an archive cut short"
#  (2) a statement that fails near the end (a grant to a role gone since)
admin "CREATE ROLE gone_role"
appsql "GRANT SELECT ON users TO gone_role"
run bk_grant 0 --db "$URL" --json backup
G=$(jq -r .file bk_grant.out)
appsql "REVOKE SELECT ON users FROM gone_role"
admin "DROP ROLE gone_role"
appsql "CREATE TABLE later2 (id int REFERENCES users(id))"
snap before_grant
run rs_grant 1 --db "$URL" --yes --no-backup restore "$G"
has rs_grant.err "psql could not restore"
has rs_grant.err "gone_role"
has rs_grant.err "left as it was"
lacks rs_grant.err "dbwarden-restore-xid"
snap after_grant
same_snap before_grant after_grant "a statement failing half way"

for f in *.out *.err; do
    if grep -qF 's3cret' "$f"; then fail "$f shows the password"; fi
done
finish
