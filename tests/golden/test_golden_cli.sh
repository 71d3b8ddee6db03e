#!/bin/sh
# Golden test of the command line's output: each command of
# tests/golden/commands.txt run on the fixed database of ENGINE
# (tests/golden/fixture.sh), its output normalised
# (tests/golden/normalise.sh) and compared byte for byte with
# tests/cli/expected/ENGINE/NAME, its exit status and standard error with
# tests/cli/expected/ENGINE/exit-status.txt; with DBW_GOLDEN_REGEN=1 it
# writes them instead (tests/golden/regen.sh).
#   test_golden_cli.sh sqlite|postgres BIN SRC
# PostgreSQL: the test server of DBW_PG_HOST/DBW_PG_PORT, database golden_cli.
set -eu
ENGINE=$1
BIN=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
SRC=$(cd "$3" && pwd)
G=$SRC/tests/golden
T=$(mktemp -d /tmp/dbw-golden.XXXXXX)
GOLDEN_PGDB=golden_cli
export GOLDEN_PGDB
cleanup() {
    rm -rf "$T"
    if [ "$ENGINE" = postgres ]; then
        psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres \
            -c "DROP DATABASE IF EXISTS $GOLDEN_PGDB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$G/lib.sh"
trim() { printf '%s' "$1" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//'; }

URL=$("$G/fixture.sh" "$ENGINE" "$T/db" "$BIN" "$SRC")
mkdir "$T/got"
cd "$T/db"
set -f
while IFS='|' read -r name args; do
    name=$(trim "$name")
    case "$name" in ''|'#'*) continue ;; esac
    args=$(trim "$args")
    set +e
    # shellcheck disable=SC2086
    "$BIN" --db "$URL" --migrations migrations $args >"$T/out" 2>"$T/err" </dev/null
    status=$?
    set -e
    GOLDEN_DIR="$T/db" "$G/normalise.sh" < "$T/out" > "$T/got/$name"
    {
        echo "$name: exit $status"
        GOLDEN_DIR="$T/db" "$G/normalise.sh" < "$T/err" | sed "s/^/$name: stderr: /"
    } >> "$T/got/exit-status.txt"
done < "$G/commands.txt"
set +f
golden_compare "$T/got" "$SRC/tests/cli/expected/$ENGINE"
