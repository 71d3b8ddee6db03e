#!/bin/sh
# Console test of the shared views, in both panes, on the real binary in a
# private tmux server:
#   - the list filters as it is typed (the match count shown while typing),
#     Esc in the prompt puts back the filter there was, an invalid pattern
#     keeps the one before;
#   - the text view (a migration's SQL, a table's DDL, the log) wraps a long
#     line by default, w makes it scroll sideways (h l 0 $), a search moves
#     to its match as it is typed, n/N;
#   - the bottom bar shows the keys of the view in front;
#   - m opens every message of the session with its time, from any pane.
#   test_console_views.sh BIN SRC
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
T=$(mktemp -d /tmp/dbw-views.XXXXXX)
SOCK="dbw-views-$$"
CUR=run0
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT INT TERM
failures=0
. "$(dirname "$0")/lib.sh"

# A folder of the reference migrations and one with a line too long for
# any terminal, its foreign key's action at the very end.
mkdir "$T/mig"
cp "$SRC"/migrations/sqlite/*.sql "$T/mig/"
cols=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do cols="$cols, quite_a_long_column_name_$i INTEGER"; done
printf -- '-- migrate:up\nCREATE TABLE wide (id INTEGER PRIMARY KEY%s, owner_id INTEGER REFERENCES users (id) ON DELETE CASCADE, tail_marker_at_the_end TEXT);\n-- migrate:down\nDROP TABLE wide;\n' \
    "$cols" > "$T/mig/0011_wide.sql"
DB="sqlite:///$T/v.db"
"$BIN" --db "$DB" --migrations "$T/mig" up >"$T/up.out" 2>&1 || {
    echo "FAIL: cannot build the test database:" >&2; cat "$T/up.out" >&2; exit 1; }

start() {
    name=$1
    rm -f "$T/exit"
    old=$CUR
    CUR=run$((${CUR#run} + 1))
    tm -f /dev/null new-session -d -s "$CUR" -x 100 -y 30 \
        "env -u NO_COLOR TERM=$TERMV LC_ALL=C.UTF-8 ASAN_OPTIONS=\${ASAN_OPTIONS:-}:log_path=$T/asan \
         '$BIN' --db '$DB' --migrations '$T/mig'; echo EXIT=\$? > '$T/exit'; sleep 60"
    tm kill-session -t "$old" 2>/dev/null || true
    before=$failures
    wait_until "$name: the console is up" has "Migrations"
    [ "$failures" -eq "$before" ] || exit 1
}

bar_has() { line_has 30 "$1"; }

start "views"
wait_until "the wide migration is listed" has_re "^0011 +wide +applied"

# ------------------------------------------- Migrations: the list
wait_until "bar: the list's keys" bar_has "Enter SQL  u up  d down"
wait_until "bar: help stays" bar_has "? help"
keys /
wait_until "/ opens the prompt" has "Filter migrations (regex): /"
wait_until "bar: the prompt's keys" bar_has "Enter keep  Esc cancel"
text "aud"
wait_until "typing narrows the list before Enter" has "1 of 11 migrations"
wait_until "typing: the match is listed" has_re "^0009 +create_audit_log"
wait_until "typing: others are hidden" lacks "create_users"
keys BSpace BSpace BSpace
text "user"
wait_until "typing again: the new match" has_re "^0001 +create_users"
keys Enter
wait_until "Enter keeps the filter" has "Filter /user/: 1 of 11 migrations"
keys / C-u
text "inv"
wait_until "a second filter as it is typed" has_re "^0007 +create_invoices"
keys Escape
wait_until "Esc in the prompt puts back the filter there was" has "Filter /user/: 1 of 11"
wait_until "Esc: its row again" has_re "^0001 +create_users"
keys / C-u
text "(bad"
wait_until "an invalid pattern says why as it is typed" has "Invalid regular expression"
keys Enter
wait_until "Enter on it keeps the filter there was" has "Filter /user/: 1 of 11"
keys Escape
wait_until "Esc clears the filter" has "create_invoices"

# ------------------------------------------- Migrations: the SQL view
keys g Enter
wait_until "Enter: the SQL of the newest" has "0011_wide.sql"
wait_until "bar: the text view's keys" bar_has "w wrap  / search"
wait_until "the long line wraps: its end is seen" has "tail_marker_at_the_end"
keys w
wait_until "w: long lines scroll sideways" has "Long lines scroll sideways"
wait_until "w: the end is off the screen" lacks "tail_marker_at_the_end"
keys '$'
wait_until "\$: the end of the long line" has "tail_marker_at_the_end"
wait_until "\$: the place says the column" has_re "lines 1-[0-9]+ of [0-9]+ · col [0-9]+"
keys 0
wait_until "0: back to the first column" lacks "tail_marker_at_the_end"
keys l
wait_until "l: scrolled right" has_re "· col [0-9]+"
keys h
wait_until "h: back left" lacks_re "· col [0-9]+"
keys w
wait_until "w again: wrapped" has "tail_marker_at_the_end"
keys /
wait_until "/ in a text: the search prompt" has "Search (regex): /"
text "drop"
wait_until "the search moves to its match as typed" has_re "DROP TABLE wide"
keys Enter n
wait_until "n: one match wraps around" line_has 30 "Search wrapped around"
keys Escape
wait_until "Esc: back to the list" has "VERSION"

# ------------------------------------------- the message log
keys r
wait_until "r: a message" line_has 30 "Reloaded Migrations."
keys m
wait_until "m: the messages" has "Messages of this session"
wait_until "m: the message with its time" has_re "[0-9]{2}:[0-9]{2}:[0-9]{2}  Reloaded Migrations\\."
wait_until "m: the earlier ones too" has "Search wrapped around"
wait_until "bar: the messages' keys" bar_has "Esc close"
keys m
wait_until "m again closes it" lacks "Messages of this session"

# ------------------------------------------- Schema: the list
keys 2
wait_until "Schema: the list" has "SCHEMA"
wait_until "Schema bar: the list's keys" bar_has "/ filter  o sort"
keys /
wait_until "Schema: / opens the prompt" has "Filter tables (regex): /"
text "^wi"
wait_until "Schema: typing narrows the list" has_re "1 of [0-9]+ tables"
wait_until "Schema: the match" has_re "main +wide "
keys Escape
wait_until "Schema: Esc puts back no filter" has "users"
keys o
wait_until "o: sorted by rows" has "sorted by rows"
keys O
wait_until "O: the other way round" has "smallest first"
keys o o
wait_until "o o: by name again" has "Tables sorted by name."

# ------------------------------------------- Schema: the DDL
keys /
text "^wide\$"
keys Enter D
wait_until "the DDL tab" has "CREATE TABLE wide"
wait_until "DDL bar: the text view's keys" bar_has "w wrap"
wait_until "the DDL wraps: the foreign key's action is seen" has "tail_marker_at_the_end"
keys w
wait_until "w: the DDL scrolls sideways" lacks "tail_marker_at_the_end"
keys '$'
wait_until "\$: the end of the DDL's long line" has "tail_marker_at_the_end"
keys /
text "REFERENCES"
keys Enter
wait_until "/ in the DDL searches it, not the tables" lacks "Filter tables"
keys Escape Escape
wait_until "Esc: back to the list" has "SCHEMA"

# ------------------------------------------- m from the Schema pane
keys m
wait_until "m from another pane: the same messages" has "Reloaded Migrations."
keys Escape

quit_ok "views"
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed" >&2; exit 1; }
echo "all console view checks passed"
