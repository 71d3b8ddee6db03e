#!/bin/sh
# Console test: drives the real binary in a private tmux server and reads
# the screen: tabs, status bar, the Migrations and Schema panes, pane
# switching by Tab, Shift-Tab, numbers and mouse, row selection by keys and
# mouse, the help overlay, resizes (80x24, 40x10 with names cut by an
# ellipsis, 20x10), NO_COLOR, a placeholder pane, reload, and q.
#   test_console_shell.sh BIN MIGRATIONS_DIR      (migrations/sqlite)
# Every wait polls the screen and gives up after 10 s.
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
MIG=$(cd "$2" && pwd)
T=$(mktemp -d /tmp/dbw-console.XXXXXX)
SOCK="dbw-test-$$"
CUR=run0
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT INT TERM
failures=0

DB="sqlite:///$T/t.db"
"$BIN" --db "$DB" --migrations "$MIG" up >"$T/up.out" 2>&1 || {
    echo "FAIL: cannot build the test database:" >&2; cat "$T/up.out" >&2; exit 1; }

. "$(dirname "$0")/lib.sh"

# start NAME ENV...: the console in a new tmux session of 100x30; the
# test stops here when it does not come up.
start() {
    name=$1
    shift
    rm -f "$T/exit"
    old=$CUR
    CUR=run$((${CUR#run} + 1))
    tm -f /dev/null new-session -d -s "$CUR" -x 100 -y 30 \
        "env $* TERM=$TERMV LC_ALL=C.UTF-8 ASAN_OPTIONS=\${ASAN_OPTIONS:-}:log_path=$T/asan \
         '$BIN' --db '$DB' --migrations '$MIG'; echo EXIT=\$? > '$T/exit'; sleep 60"
    tm kill-session -t "$old" 2>/dev/null || true
    before=$failures
    wait_until "$name: the console is up" has "Migrations"
    if [ "$failures" -ne "$before" ]; then
        cat "$T/exit" "$T"/asan* 2>/dev/null >&2 || true
        exit 1
    fi
}

names() { for f in "$MIG"/*.sql; do basename "$f" .sql | cut -d_ -f2-; done; }

# ---------------------------------------------------------------- colour
start "colour" -u NO_COLOR

for tab in "1 Migrations" "2 Schema" "3 Integrity" "4 Licenses" "5 Seed"; do
    wait_until "tab '$tab' on the top line" line_has 1 "$tab"
done
wait_until "status bar: engine sqlite" line_has 30 "sqlite"
wait_until "status bar: the database" line_has 30 "$T/t.db"
wait_until "status bar: environment" line_has 30 "development"
wait_until "status bar: key hints" line_has 30 "? help"
count=$(names | wc -l | tr -d ' ')
wait_until "migrations header counts $count applied" has "applied $count"
for n in $(names); do
    wait_until "migration $n listed as applied" has_re "^[0-9]+ +$n +applied "
done
newest=$(names | tail -n 1)
wait_until "newest migration first" line_has 5 "$newest"

keys Tab
wait_until "Tab: Schema pane" has "SCHEMA"
for t in users subscriptions licenses; do
    wait_until "Schema lists $t with a row count" has_re " $t +table +[0-9]+ "
done
keys BTab
wait_until "Shift-Tab: back to Migrations" has "VERSION"
keys 2
wait_until "2: Schema pane" has "SCHEMA"
keys 1
wait_until "1: Migrations pane" has "VERSION"

keys 3
wait_until "3: Integrity pane, its checks run" has "checks in"
keys 4
wait_until "Licenses shows its counts" has "anomalies: 0 of 8 checks found some"
keys 5
wait_until "5: Seed pane" has "seeded by"

keys 1 '?'
wait_until "? opens help" has "Keys"
for k in "Tab" "next pane" "Shift-Tab" "1-5" "quit" "show or hide this help" "Down j" \
         "first row" "close this help"; do
    wait_until "help lists '$k'" has "$k"
done
keys q
wait_until "q closes help first" lacks "close this help"
wait_until "the console still runs after q in help" has "VERSION"
keys '?'
wait_until "? opens help again" has "close this help"
keys Escape
wait_until "Esc closes help" lacks "close this help"

keys r
wait_until "r reloads" has "Reloaded Migrations"

click 17 0
wait_until "a click on the Schema tab selects it" has "SCHEMA"
sleep 0.3   # so that ncurses does not merge the two clicks into a double click
click 3 0
wait_until "a click on the Migrations tab selects it" has "VERSION"

tm resize-window -t "$CUR" -x 80 -y 24
wait_until "resize to 80x24" size_is 80 24
wait_until "80x24: tabs redrawn" line_has 1 "5 Seed"
wait_until "80x24: status bar on the last line" line_has 24 "sqlite"
wait_until "80x24: migration list redrawn" has_re "^[0-9]+ +$newest +applied "
wait_until "80x24: nothing left of the old layout" lacks "CHECKSUM"

tm resize-window -t "$CUR" -x 40 -y 10
wait_until "resize to 40x10" size_is 40 10
wait_until "40x10: states still shown" has_re "applied *$"
wait_until "40x10: long names cut with an ellipsis" has_re "create_[a-z_]+… +applied"
wait_until "40x10: status bar" line_has 10 "sqlite"

tm resize-window -t "$CUR" -x 20 -y 10
wait_until "resize to 20x10" size_is 20 10
wait_until "20x10: says the terminal is too small" has "too small"

tm resize-window -t "$CUR" -x 100 -y 30
wait_until "back to 100x30" line_has 30 "? help"
quit_ok "colour"

# -------------------------------------------------------------- NO_COLOR
start "NO_COLOR" NO_COLOR=1
wait_until "NO_COLOR: draws the tabs" line_has 1 "2 Schema"
wait_until "NO_COLOR: draws the list" has_re "^[0-9]+ +$newest +applied "
if screen_e | grep -qE '\[([0-9]+;)*(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)(;[0-9]+)*m'; then
    fail "NO_COLOR: the screen has colours"
    screen_e | grep -E '\[([0-9]+;)*(3[0-7]|4[0-7])' | head -3 | cat -v >&2
else
    ok "NO_COLOR: no colours on screen"
fi
oldest=$(names | head -n 1)
keys G
sel_last() { screen_e | grep -E "$oldest" | grep -qE '\[([0-9]+;)*7(;[0-9]+)*m'; }
wait_until "NO_COLOR: G selects the last row (reverse video)" sel_last
click 10 4
sel_first() { screen_e | grep -E "$newest" | grep -qE '\[([0-9]+;)*7(;[0-9]+)*m'; }
wait_until "NO_COLOR: a click on the first row selects it" sel_first
quit_ok "NO_COLOR"

# ----------------------------------------------------------- TERM=dumb
rm -f "$T/exit"
old=$CUR
CUR=dumb
tm -f /dev/null new-session -d -s "$CUR" -x 100 -y 30 \
    "env TERM=dumb '$BIN' --db '$DB'; echo EXIT=\$? > '$T/exit'; sleep 60"
tm kill-session -t "$old" 2>/dev/null || true
wait_until "TERM=dumb: refused with a message" has "cannot draw on terminal type 'dumb'"
wait_until "TERM=dumb: exits" exited
grep -q "EXIT=1" "$T/exit" && ok "TERM=dumb: exit status 1" || fail "TERM=dumb: $(cat "$T/exit")"

if ls "$T"/asan* >/dev/null 2>&1; then
    fail "AddressSanitizer reported:"
    cat "$T"/asan* | head -60 >&2
fi

if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
echo "all checks passed"
