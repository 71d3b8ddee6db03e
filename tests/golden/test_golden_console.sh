#!/bin/sh
# Golden test of the console's screens: every view of tests/golden/views.txt
# captured in one console session (tests/golden/driver.sh) at COLSxLINES on
# the fixed SQLite database (tests/golden/fixture.sh), normalised
# (tests/golden/normalise.sh) and compared byte for byte with
# tests/console/expected/COLSxLINES/NAME.txt; with DBW_GOLDEN_REGEN=1 it
# writes them instead (tests/golden/regen.sh).
#   test_golden_console.sh COLSxLINES BIN SRC
set -eu
SIZE=$1
BIN=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
SRC=$(cd "$3" && pwd)
G=$SRC/tests/golden
T=$(mktemp -d /tmp/dbw-golden.XXXXXX)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
. "$G/lib.sh"

"$G/fixture.sh" sqlite "$T/db" "$BIN" "$SRC" >/dev/null
"$G/driver.sh" "$T/raw" "${SIZE%x*}" "${SIZE#*x}" "$T/db" \
    "$BIN" --db sqlite:///golden.db --migrations migrations
rm -f "$T/raw/index"
mkdir "$T/got"
for f in "$T"/raw/*.txt; do
    GOLDEN_DIR="$T/db" "$G/normalise.sh" < "$f" > "$T/got/$(basename "$f")"
done
golden_compare "$T/got" "$SRC/tests/console/expected/$SIZE"
