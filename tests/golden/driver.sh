#!/bin/sh
# driver.sh: runs the console in a private tmux server and captures each
# view of tests/golden/views.txt, in one session: the golden tests
# (test_golden_console.sh) and the screenshots (scripts/screenshots.sh)
# both go through it.
#
#   driver.sh [-e] [-u NAME] OUTDIR COLS LINES DIR BIN ARGS...
#
# Starts BIN ARGS in DIR (TERM tmux-256color or screen, LC_ALL=C.UTF-8,
# NO_COLOR unset) in a tmux window of COLS x LINES; for each line of the
# views file sends its keys, waits until the view is ready (its text shows,
# no busy text shows, two captures in a row 0.15 s apart are the same) and
# writes the screen as it is (not normalised) to OUTDIR/NAME.txt
# (capture-pane -p), or with -e to OUTDIR/NAME.ansi with its colours
# (capture-pane -p -e -N).  OUTDIR/index gets "NAME SHOT COLS LINES" for each
# capture.  -u NAME stops after NAME.  At the end q must quit the console
# with status 0 and no sanitizer report.
# Environment: GOLDEN_VIEWS (another views file), GOLDEN_WAIT (tenths of a
# second a view may take, default 300).
# Exit status: 0 when every view came, 1 when one did not (the screen is
# shown), 2 on bad usage.
set -eu
set -f   # keys such as ? are not file patterns
ANSI=""
UNTIL=""
while [ $# -gt 0 ]; do
    case "$1" in
    -e) ANSI=1; shift ;;
    -u) UNTIL=$2; shift 2 ;;
    *) break ;;
    esac
done
if [ $# -lt 5 ]; then
    echo "usage: driver.sh [-e] [-u NAME] OUTDIR COLS LINES DIR BIN ARGS..." >&2
    exit 2
fi
OUT=$1 COLS=$2 LINES_=$3 DIR=$4
shift 4
HERE=$(cd "$(dirname "$0")" && pwd)
VIEWS=${GOLDEN_VIEWS:-$HERE/views.txt}
WAIT=${GOLDEN_WAIT:-300}
# what shows while the console is still reading: a capture waits for it to go
BUSY='Reading the catalog|Reading its columns|Measuring the sizes'

mkdir -p "$OUT"
: > "$OUT/index"
rm -f "$DIR/exit" "$DIR"/asan.*
SOCK="dbw-golden-$$"
S=golden
tm() { tmux -L "$SOCK" "$@" </dev/null; }
trap 'tm kill-server 2>/dev/null || true' EXIT
trap 'exit 1' INT TERM

TERMV=tmux-256color
infocmp "$TERMV" >/dev/null 2>&1 || TERMV=screen

# the command line, each argument quoted for the shell tmux runs it with
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
cmd="$(q "$1")"
shift
for a in "$@"; do cmd="$cmd $(q "$a")"; done

screen() { tm capture-pane -p -t "$S"; }
trim() { printf '%s' "$1" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//'; }

# ready WAIT PREVIOUS: the view's text shows ("~": the screen is not
# PREVIOUS; "!TEXT": TEXT does not show) and nothing is being read
ready() {
    cur=$(screen)
    if [ "$1" = "~" ]; then
        [ "$cur" != "$2" ] || return 1
    elif [ "${1#!}" != "$1" ]; then
        ! printf '%s\n' "$cur" | grep -qF -- "${1#!}" || return 1
    else
        printf '%s\n' "$cur" | grep -qF -- "$1" || return 1
    fi
    ! printf '%s\n' "$cur" | grep -qE -- "$BUSY"
}

# wait_view NAME WAIT PREVIOUS: polls until ready, then until two captures
# in a row agree; 1 (with the screen shown) when it never is
wait_view() {
    i=0
    until ready "$2" "$3"; do
        i=$((i + 1))
        if [ $i -ge "$WAIT" ] || ! tm has-session -t "$S" 2>/dev/null; then
            echo "driver: $1: the screen never showed '$2' (or stayed busy):" >&2
            screen 2>/dev/null | sed 's/^/    | /' >&2 || true
            cat "$DIR"/exit "$DIR"/asan.* 2>/dev/null >&2 || true
            return 1
        fi
        sleep 0.1
    done
    a=$(screen)
    while :; do
        sleep 0.15
        b=$(screen)
        [ "$a" != "$b" ] || break
        a=$b
    done
}

send() {
    for k in $1; do
        case "$k" in
        =*) tm send-keys -t "$S" -l "${k#=}" ;;
        *) tm send-keys -t "$S" "$k" ;;
        esac
    done
}

tm -f /dev/null new-session -d -s "$S" -x "$COLS" -y "$LINES_" -c "$DIR" \
    "env -u NO_COLOR TERM=$TERMV LC_ALL=C.UTF-8 ASAN_OPTIONS=\${ASAN_OPTIONS:-}:log_path=$DIR/asan \
     $cmd; echo EXIT=\$? > '$DIR/exit'; sleep 600"

prev=""
failed=0
while IFS='|' read -r name keys wait shot; do
    name=$(trim "$name")
    case "$name" in ''|'#'*) continue ;; esac
    keys=$(trim "$keys") wait=$(trim "$wait") shot=$(trim "$shot")
    send "$keys"
    if ! wait_view "$name" "$wait" "$prev"; then failed=1; break; fi
    prev=$(screen)
    [ "$name" != "-" ] || continue
    if [ -n "$ANSI" ]; then
        tm capture-pane -p -e -N -t "$S" > "$OUT/$name.ansi"
    else
        tm capture-pane -p -t "$S" > "$OUT/$name.txt"
    fi
    echo "$name ${shot:--} $COLS $LINES_" >> "$OUT/index"
    [ "$name" != "$UNTIL" ] || break
done < "$VIEWS"

if [ $failed -eq 0 ]; then
    tm send-keys -t "$S" q
    i=0
    while [ ! -s "$DIR/exit" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    if ! grep -q '^EXIT=0$' "$DIR/exit" 2>/dev/null; then
        echo "driver: q did not end the console with status 0: $(cat "$DIR/exit" 2>/dev/null)" >&2
        screen 2>/dev/null | sed 's/^/    | /' >&2 || true
        failed=1
    fi
fi
if ls "$DIR"/asan.* >/dev/null 2>&1; then
    echo "driver: the sanitizers reported:" >&2
    cat "$DIR"/asan.* >&2
    failed=1
fi
exit $failed
