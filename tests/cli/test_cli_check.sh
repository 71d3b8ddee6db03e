#!/bin/sh
# dbwarden check on the command line, SQLite and PostgreSQL: exit statuses
# (0 nothing at or above --fail-on, 1 something, 2 usage, 3 cannot connect),
# the text (one line per check, problems first, the summary last) and the
# JSON, --only, --table, thresholds from the configuration, the rows of a
# check (text, CSV as RFC 4180 says, JSON), hostile names escaped.
#   test_cli_check.sh BIN SRC
. "$(dirname "$0")/lib.sh"

SCHEMA="
CREATE TABLE users (id integer PRIMARY KEY, name text);
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer REFERENCES users (id), note text);
CREATE INDEX orders_user_idx ON orders (user_id);
CREATE TABLE posts (id integer PRIMARY KEY, author_id integer, title text);
CREATE INDEX posts_author_idx ON posts (author_id);
CREATE TABLE \"Odd
Name\" (id integer PRIMARY KEY, user_id integer REFERENCES users (id));
CREATE INDEX odd_user_idx ON \"Odd
Name\" (user_id);
INSERT INTO users VALUES (1, 'a'), (2, 'b');
INSERT INTO orders VALUES (1, 1, 'fine'), (2, 2, 'fine');
INSERT INTO posts VALUES (1, 1, 'fine');
"
ORPHANS="
INSERT INTO orders VALUES (3, 7, 'plain'), (4, 7, 'with, comma'), (5, 8, 'with \"quote\"
and a line'), (6, NULL, 'null key');
"
INFERRED="INSERT INTO posts VALUES (2, 40, 'orphan post');"

summary_ok() { # the last line of NAME.out is the summary
    if tail -n 1 "$1.out" | grep -Eq '^[0-9]+ problems?, [0-9]+ warnings?, [0-9]+ ok in [0-9]+\.[0-9] s$'; then
        ok "$1: summary line"; else fail "$1: no summary line"; tail -n 3 "$1.out" >&2; fi
}

# engine_tests URL LOAD: LOAD runs SQL past the foreign keys
engine_tests() {
    U=$1 LOAD=$2 S=$3
    run clean 0 --db "$U" check
    summary_ok clean
    has clean.out "ok"
    lacks clean.out "problem "

    $LOAD "$INFERRED"
    run inferred 0 --db "$U" check
    has inferred.out "warning"
    run inferred_fail 1 --db "$U" check --fail-on warning
    run bad_fail_on 2 --db "$U" check --fail-on sometimes

    $LOAD "$ORPHANS"
    run orphans 1 --db "$U" check
    summary_ok orphans
    first=$(head -n 1 orphans.out)
    case "$first" in problem*) ok "problems first" ;; *) fail "first line: $first" ;; esac
    has orphans.out "fk:$S.orders(user_id)->$S.users(id)"
    has orphans.out "3 rows point at 2 missing users (id)"
    # hostile names: escaped, never raw
    has orphans.out '"Odd\nName"'

    run json 1 --db "$U" check --json
    jq_ok json '.checks | length > 5'
    jq_ok json "[.checks[] | select(.id == \"fk:$S.orders(user_id)->$S.users(id)\")][0] |
        .kind == \"foreign_key\" and .state == \"problem\" and .count == 3 and .distinct_keys == 2
        and .table == {\"schema\": \"$S\", \"name\": \"orders\"} and .columns == [\"user_id\"]
        and .references.table.name == \"users\" and .references.columns == [\"id\"]
        and .inferred == false and (.ms | type) == \"number\" and (.message | type) == \"string\"
        and has(\"fix_sql\")"
    jq_ok json "[.checks[] | select(.id == \"inferred:$S.posts(author_id)->$S.users(id)\")][0] |
        .inferred == true and .state == \"warning\" and .count == 1"
    jq_ok json '.summary.problem >= 1 and .summary.total == (.checks | length) and .summary.exit_status == 1'
    jq_ok json '[.checks[] | select(.kind == "fk_without_index" and .state == "warning")] | length == 0'

    run only 0 --db "$U" check --only lints --json
    jq_ok only '(.checks | length) > 0 and all(.checks[]; .group == "lints")'
    run only2 1 --db "$U" check --only orphans,inferred --json
    jq_ok only2 'all(.checks[]; .group == "orphans" or .group == "inferred")'
    run bad_only 2 --db "$U" check --only nonsense
    has bad_only.err "--only nonsense"
    run table 1 --db "$U" check --table '^orders$' --json
    jq_ok table '(.checks | length) > 0 and all(.checks[]; .table.name == "orders")'

    # thresholds: 3 orphans under error_if = > 5 are a warning
    printf '[integrity]\nerror_if = > 5\n' > soft.ini
    run soft 0 --config soft.ini --db "$U" check --only orphans
    has soft.out "warning"
    run soft_warn 1 --config soft.ini --db "$U" check --only orphans --fail-on warning
    printf '[integrity]\nerror_if = > 50%%\n' > pct.ini
    run pct 0 --config pct.ini --db "$U" check --only orphans --json
    jq_ok pct "[.checks[] | select(.id == \"fk:$S.orders(user_id)->$S.users(id)\")][0] | .state == \"warning\" and .rows == 6"
    printf '[integrity]\nwarn_if = about 3\n' > bad.ini
    run bad_threshold 2 --config bad.ini --db "$U" check
    has bad_threshold.err "bad.ini:2"
    has bad_threshold.err "warn_if"

    # rows of a check: text, CSV (RFC 4180), JSON; paged by key
    ID="fk:$S.orders(user_id)->$S.users(id)"
    run rows 0 --db "$U" check rows "$ID"
    has rows.out "orphan rows of $S.orders"
    has rows.out "3 rows"
    lacks rows.out "null key"
    run csv 0 --db "$U" check rows "$ID" --csv
    printf 'id,user_id,note\r\n3,7,plain\r\n4,7,"with, comma"\r\n5,8,"with ""quote""\nand a line"\r\n' > csv.want
    if cmp -s csv.out csv.want; then ok "csv as RFC 4180"; else fail "csv differs"; od -c csv.out | head -20 >&2; fi
    run rows_json 0 --db "$U" check rows "$ID" --json --limit 2
    jq_ok rows_json '.rows == [["3","7","plain"],["4","7","with, comma"]] and .truncated == true and .key_columns == ["user_id"]'
    run rows_lint 2 --db "$U" check rows "lint:no_primary_key:$S.users"
    has rows_lint.err "only orphan checks have rows"
    run rows_none 2 --db "$U" check rows "fk:nothing"
    has rows_none.err "no check has the id"
    run rows_usage 2 --db "$U" check rows
    run rows_limit 2 --db "$U" check rows "$ID" --limit many
    run run_limit 2 --db "$U" check --limit 3
    has run_limit.err "does not take --limit"
}

# ---- SQLite ----
SQ="$T/check.db"
sqlite3 "$SQ" "$SCHEMA"
sq_load() { sqlite3 "$SQ" "$1"; }
engine_tests "sqlite:///$SQ" sq_load main
run sq_engine 1 --db "$SQ" check --only engine --json
jq_ok sq_engine '[.checks[] | select(.id == "engine:foreign_key_check")][0] | .count == 3 and (.message | test("not compared")) and (.message | test("PRAGMA foreign_keys on"))'
run sq_full 1 --db "$SQ" check --full --json
jq_ok sq_full '[.checks[] | select(.id == "engine:integrity_check")] | length == 1'
run sq_missing 3 --db "$T/nosuch.db" check
run sq_missing_json 3 --db "$T/nosuch.db" check --json
jq_ok sq_missing_json '.error.exit_status == 3'

# ---- PostgreSQL ----
pg_createdb check_pg
PG="postgresql://app:s3cret%21pw@/check_pg?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
psql -X -q "$PG" -v ON_ERROR_STOP=1 -c "$SCHEMA" >/dev/null
pg_load() {
    psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d check_pg -v ON_ERROR_STOP=1 \
        -c "SET session_replication_role = replica; $1" >/dev/null
}
engine_tests "$PG" pg_load public
run pg_nodb 3 --db "postgresql://app:s3cret%21pw@/no_such_db?host=$DBW_PG_HOST&port=$DBW_PG_PORT" check
run pg_read_only 1 --read-only --db "$PG" check --json
jq_ok pg_read_only '.summary.problem >= 1'

finish
