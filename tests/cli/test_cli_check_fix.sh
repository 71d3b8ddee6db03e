#!/bin/sh
# The changes of dbwarden check, SQLite and PostgreSQL: fix --dry-run
# shows the exact rows (cascades included) and the SQL and changes
# nothing; fix --delete and --set-null with --json say rows, backup and
# inverse_file, and the inverse file, run with sqlite3 or psql, puts the
# data back exactly; read-only refuses every change; accept turns a
# problem into accepted (exit 0) until the count changes, unaccept takes
# it back; fix --migration writes the migrations that declare an inferred
# key.
#   test_cli_check_fix.sh BIN SRC
. "$(dirname "$0")/lib.sh"

SCHEMA="
CREATE TABLE users (id integer PRIMARY KEY, name text);
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer REFERENCES users (id), note text);
CREATE INDEX orders_user_idx ON orders (user_id);
CREATE TABLE items (id integer PRIMARY KEY, order_id integer REFERENCES orders (id) ON DELETE CASCADE, sku text);
CREATE INDEX items_order_idx ON items (order_id);
CREATE TABLE posts (id integer PRIMARY KEY, author_id integer, title text);
CREATE INDEX posts_author_idx ON posts (author_id);
"
DATA="
INSERT INTO users VALUES (1, 'a');
INSERT INTO orders VALUES (1, 1, 'kept'), (2, 9, 'orphan'), (3, 9, 'it''s an orphan');
INSERT INTO items VALUES (1, 1, 'x'), (2, 2, 'y'), (3, 3, 'z');
INSERT INTO posts VALUES (1, 1, 'kept'), (2, 40, 'orphan');
"

engine_tests() {
    U=$1 LOAD=$2 DUMP=$3 APPLY=$4 S=$5 MIG=$6
    ID="fk:$S.orders(user_id)->$S.users(id)"
    INF="inferred:$S.posts(author_id)->$S.users(id)"
    before=$($DUMP)

    run dry 0 --db "$U" check fix "$ID" --delete --dry-run
    has dry.out "delete 2 orphan rows of $S.orders (1 missing key): 4 rows changed in all"
    has dry.out "$S.items: 2 rows deleted (ON DELETE CASCADE)"
    has dry.out "DELETE FROM"
    run dry_json 0 --db "$U" check fix "$ID" --delete --dry-run --json
    jq_ok dry_json '.dry_run == true and .rows == 4 and .orphans == 2 and (.tables | length) == 2'
    [ "$($DUMP)" = "$before" ] && ok "dry run changed nothing" || fail "dry run changed data"

    # read-only refuses every change, before connecting
    run ro_fix 2 --read-only --db "$U" check fix "$ID" --delete --yes
    has ro_fix.err "read-only"
    run ro_accept 2 --read-only --db "$U" check accept "$ID" --reason "x" --yes
    has ro_accept.err "read-only"
    run ro_unaccept 2 --read-only --db "$U" check unaccept "$ID" --yes
    run ro_mig 2 --read-only --db "$U" --migrations "$MIG" check fix "$INF" --migration --yes
    [ "$($DUMP)" = "$before" ] && ok "read-only changed nothing" || fail "read-only changed data"

    # usage
    run no_mode 2 --db "$U" check fix "$ID"
    run two_modes 2 --db "$U" check fix "$ID" --delete --set-null
    run no_reason 2 --db "$U" check accept "$ID" --yes
    run no_tty 1 --db "$U" check fix "$ID" --delete --no-backup

    # accept: the problem becomes accepted, the exit status 0 (only that one)
    run before_accept 1 --db "$U" check --only orphans
    run accept 0 --db "$U" check accept "$ID" --reason "legacy import" --actor "ana" --yes --json
    jq_ok accept '.count == 2 and (.outcome | test("accepted"))'
    run accepted 0 --db "$U" check --only orphans --json
    jq_ok accepted "[.checks[] | select(.id == \"$ID\")][0] | .state == \"accepted\" and .acceptance.by == \"ana\" and .acceptance.reason == \"legacy import\" and .acceptance.count == 2"
    # the dry run's SQL is the exact statement: run as it is, it accepts
    run accept_dry 0 --db "$U" check accept "$ID" --reason "from the dry run" --actor "bo" --dry-run
    lacks accept_dry.out "..."
    grep -v '^--' accept_dry.out >accept_dry.sql
    $APPLY accept_dry.sql
    run accepted_dry 0 --db "$U" check --only orphans --json
    jq_ok accepted_dry "[.checks[] | select(.id == \"$ID\")][0] | .acceptance.reason == \"from the dry run\" and .acceptance.by == \"bo\""
    run unaccept 0 --db "$U" check unaccept "$ID" --yes
    run unaccepted 1 --db "$U" check --only orphans

    # the fix, with a backup and an inverse file
    run fix 0 --db "$U" check fix "$ID" --delete --yes --json
    jq_ok fix '.rows == 4 and .orphans == 2 and (.backup | type) == "string" and (.inverse_file | test("inverse.sql$")) and .error == null'
    inv=$(jq -r .inverse_file fix.out)
    perm=$(stat -c %a "$inv")
    [ "$perm" = "600" ] && ok "inverse file mode 600" || fail "inverse file mode $perm"
    run after_fix 0 --db "$U" check --only orphans
    [ "$($DUMP)" != "$before" ] && ok "fix changed the data" || fail "fix changed nothing"
    $APPLY "$inv"
    [ "$($DUMP)" = "$before" ] && ok "inverse file put the data back" || { fail "inverse differs"; $DUMP >&2; echo "$before" >&2; }

    # set-null on the inferred key, without a backup
    run setnull 0 --db "$U" check fix "$INF" --set-null --yes --no-backup --json
    jq_ok setnull '.rows == 1 and .backup == null and (.inverse_file | type) == "string"'
    $APPLY "$(jq -r .inverse_file setnull.out)"
    [ "$($DUMP)" = "$before" ] && ok "set-null inverse put the data back" || fail "set-null inverse differs"

    # the migration that declares the inferred key
    # no folder: the error names the configuration file that was read
    printf '[database]\nenvironment = development\n' >other.ini
    run mig_nodir 2 --config other.ini --db "$U" check fix "$INF" --migration --yes
    has mig_nodir.err "set dir in [migrations] of other.ini"
    run mig_dry 0 --db "$U" --migrations "$MIG" check fix "$INF" --migration --dry-run
    has mig_dry.out "FOREIGN KEY"
    run mig 0 --db "$U" --migrations "$MIG" check fix "$INF" --migration --yes --json
    jq_ok mig '(.written | length) >= 1 and all(.written[]; test("_fk_posts_author_id.sql$"))'
    run mig_status 0 --db "$U" --migrations "$MIG" status --json
    jq_ok mig_status '(.pending | length) >= 1'
}

# ---- SQLite ----
SQ="$T/fix.db"
mkdir -p sqmig
sqlite3 "$SQ" "$SCHEMA"
sqlite3 "$SQ" "$DATA"
sq_dump() { sqlite3 "$SQ" "SELECT * FROM orders ORDER BY id; SELECT * FROM items ORDER BY id; SELECT * FROM posts ORDER BY id;"; }
sq_apply() { sqlite3 "$SQ" < "$1"; }
engine_tests "sqlite:///$SQ" true sq_dump sq_apply main "$T/sqmig"

# ---- PostgreSQL ----
pg_createdb fix_pg
PG="postgresql://app:s3cret%21pw@/fix_pg?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
mkdir -p pgmig
psql -X -q "$PG" -v ON_ERROR_STOP=1 -c "$SCHEMA" >/dev/null
psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d fix_pg -v ON_ERROR_STOP=1 \
    -c "SET session_replication_role = replica; $DATA" >/dev/null
pg_dump_rows() { psql -X -q -A -t "$PG" -c "SELECT * FROM orders ORDER BY id" -c "SELECT * FROM items ORDER BY id" -c "SELECT * FROM posts ORDER BY id"; }
pg_apply() { psql -X -q "$PG" -v ON_ERROR_STOP=1 -f "$1" >/dev/null; }
engine_tests "$PG" true pg_dump_rows pg_apply public "$T/pgmig"

finish
