# lib.sh: what the golden tests share (sourced by test_golden_console.sh
# and test_golden_cli.sh).
#
# golden_compare GOT EXPECTED: GOT is a folder of normalised captures, one
# file per name; EXPECTED the folder of expected files under tests/*/expected/.
#   test mode (default): every file of GOT must be byte for byte its
#     expected file (diff -u shown when not), and EXPECTED must hold no file
#     that GOT lacks.  Returns 1 when anything differs.
#   regenerate mode (DBW_GOLDEN_REGEN=1, tests/golden/regen.sh): EXPECTED
#     becomes GOT: new and changed files are written, files of views or
#     commands that are gone are removed, and each is named ("changed:",
#     "new:", "removed:") for the reviewer, who reads `git diff`.
golden_compare() {
    got=$1 exp=$2
    bad=0
    if [ "${DBW_GOLDEN_REGEN:-}" = 1 ]; then
        mkdir -p "$exp"
        for f in "$got"/*; do
            n=$(basename "$f")
            if [ ! -f "$exp/$n" ]; then
                cp "$f" "$exp/$n"
                echo "new:     $exp/$n"
            elif ! cmp -s "$f" "$exp/$n"; then
                cp "$f" "$exp/$n"
                echo "changed: $exp/$n"
            fi
        done
        for f in "$exp"/*; do
            [ -e "$f" ] || continue
            n=$(basename "$f")
            if [ ! -e "$got/$n" ]; then
                rm -f "$f"
                echo "removed: $f"
            fi
        done
        return 0
    fi
    for f in "$got"/*; do
        n=$(basename "$f")
        if [ ! -f "$exp/$n" ]; then
            echo "FAIL: $n: no expected file $exp/$n (tests/golden/regen.sh writes it)" >&2
            bad=1
        elif cmp -s "$f" "$exp/$n"; then
            echo "ok   $n"
        else
            echo "FAIL: $n differs from $exp/$n:" >&2
            diff -u "$exp/$n" "$f" | sed 's/^/    /' >&2 || true
            bad=1
        fi
    done
    for f in "$exp"/*; do
        [ -e "$f" ] || continue
        n=$(basename "$f")
        if [ ! -e "$got/$n" ]; then
            echo "FAIL: $exp/$n is expected but nothing made it (a view or command gone? tests/golden/regen.sh)" >&2
            bad=1
        fi
    done
    if [ $bad -ne 0 ]; then
        echo "If the change is intended: tests/golden/regen.sh, then review git diff." >&2
    fi
    return $bad
}
