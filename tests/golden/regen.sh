#!/bin/sh
# regen.sh: writes the golden tests' expected files again from the code as
# it is (after an intended change of a screen or an output), then names
# what changed, for review with git diff.
#   tests/golden/regen.sh [REGEX]   REGEX picks tests (default ^golden_):
#                                   golden_console_80x24, golden_console_120x35,
#                                   golden_cli_sqlite, golden_cli_postgres
# Builds build/asan as `make test` does and runs the golden tests there
# with DBW_GOLDEN_REGEN=1 (ctest starts and stops the PostgreSQL server
# the PostgreSQL one needs).
set -eu
cd "$(dirname "$0")/../.."
ASAN=build/asan
[ -f "$ASAN/CMakeCache.txt" ] ||
    cmake -S . -B "$ASAN" -DCMAKE_BUILD_TYPE=Debug -DDBWARDEN_SANITIZE=ON >/dev/null
cmake --build "$ASAN" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
(cd "$ASAN" && DBW_GOLDEN_REGEN=1 ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" \
    -R "${1:-^golden_}")
echo
changes=$(git status --porcelain -uall -- tests/console/expected tests/cli/expected)
if [ -z "$changes" ]; then
    echo "regen: the expected files are unchanged."
else
    echo "regen: the expected files that differ from the last commit:"
    printf '%s\n' "$changes"
    echo "Review them: git diff -- tests/console/expected tests/cli/expected"
fi
