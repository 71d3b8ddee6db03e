# lib.sh: helpers for the command-line tests (sourced).
#   BIN  the dbwarden binary     SRC  the source tree
# Each test runs in its own temporary folder, removed at exit.
set -eu
BIN=$1
SRC=$2
T=$(mktemp -d /tmp/dbw-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T"
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

# run NAME EXPECTED_STATUS ARGS...: runs dbwarden, keeps NAME.out/NAME.err
run() {
    name=$1 want=$2
    shift 2
    set +e
    "$BIN" "$@" >"$name.out" 2>"$name.err" </dev/null
    got=$?
    set -e
    if [ "$got" -ne "$want" ]; then
        fail "$name: exit status $got, expected $want"
        sed 's/^/    out: /' "$name.out" >&2
        sed 's/^/    err: /' "$name.err" >&2
    fi
}

# jq_ok NAME FILTER: the JSON in NAME.out satisfies FILTER
jq_ok() {
    if jq -e "$2" "$1.out" >/dev/null 2>&1; then ok "$1: $2"; else
        fail "$1: JSON does not satisfy $2"; sed 's/^/    /' "$1.out" >&2; fi
}

# has NAME.out|NAME.err TEXT / lacks FILE TEXT
has() { if grep -qF -- "$2" "$1"; then ok "$1 has '$2'"; else fail "$1 lacks '$2'"; sed 's/^/    /' "$1" >&2; fi; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$1 shows '$2'"; sed 's/^/    /' "$1" >&2; else ok "$1 hides '$2'"; fi; }

# pg_createdb NAME: a fresh database owned by app on the test server
pg_createdb() {
    psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 OWNER app" >/dev/null
}

# the migration chain: count and newest version
mig_count() { ls "$1"/*.sql | wc -l | tr -d ' '; }
mig_last() { ls "$1"/*.sql | sort | tail -n 1 | xargs basename | cut -d_ -f1; }

finish() {
    if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
    echo "all checks passed"
}

# broken_chain DIR: a copy of migrations/$1 with a migration whose fourth
# statement has a syntax error (at line 7 of its file)
broken_chain() {
    cp -r "$SRC/migrations/$1" chain
    cat > chain/9999_broken.sql <<'SQL'
-- migrate:up
CREATE TABLE broken_one (id integer);
CREATE TABLE broken_two (id integer);
INSERT INTO broken_one VALUES (1);

CREATE TABLEE broken_three (id integer);
CREATE TABLE broken_four (id integer);

-- migrate:down
DROP TABLE broken_two;
DROP TABLE broken_one;
SQL
}
