#!/bin/sh
# Every action row (dbwarden actions --json) is reachable from both front
# ends, and both run it through the same guard:
#   - the rows listed here are exactly the rows of the table (a new row
#     without a line here fails), each with its command (its first word a
#     command of --help) and a console key (dbwarden keys --json);
#   - read-only: a row that writes is refused on the command line and in
#     the console (its key, in its pane), and the database is unchanged;
#     a row that does not write runs read-only;
#   - production: the database's name must be typed, on the command line
#     (at its prompt, in a terminal) and in the console's dialog; "yes" or
#     y is not enough, and the name runs it (down, and license-set: every
#     write asks on production, not only the destructive ones);
#   - the backup: a destructive row (down) takes one first from both front
#     ends, and none when it is turned off (--no-backup, Tab in the dialog);
#   - the run lock: while another process holds the database's run lock
#     (flock on DB.dbwarden-lock), a row that takes it fails on the
#     command line and in the console after the confirmation, saying who
#     holds it, and the database is unchanged.
#   test_guards_both.sh BIN SRC
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
T=$(mktemp -d /tmp/dbw-guards.XXXXXX)
SOCK="dbw-guards-$$"
CUR=run0
holder=
cleanup() {
    [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT INT TERM
failures=0
. "$(dirname "$0")/lib.sh"

# The database: the demo (every migration applied, the demo data), a
# migrations folder with one migration more (pending), a backup, and a
# lock wait of 1 s.
MIG="$T/migrations"
cp -r "$SRC/migrations/sqlite" "$MIG"
printf -- '-- migrate:up\nCREATE TABLE guard_extra (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE guard_extra;\n' \
    >"$MIG/0011_guard_extra.sql"
cat >"$T/dbwarden.ini" <<EOF
[database]
lock_wait = 1s
[backup]
dir = $T/backups
EOF
TEMPLATE="$T/template.db"
"$BIN" --db "$TEMPLATE" demo </dev/null >"$T/demo.out" 2>&1 || {
    echo "FAIL: cannot build the demo database:" >&2; cat "$T/demo.out" >&2; exit 1; }
DB="$T/guard.db"
fresh() { rm -f "$DB" "$DB.dbwarden-lock"; cp "$TEMPLATE" "$DB"; }
dbw() { "$BIN" --config "$T/dbwarden.ini" --db "$DB" --migrations "$MIG" "$@" </dev/null; }
fresh
dbw backup >"$T/backup.out" 2>&1 || { echo "FAIL: no backup:" >&2; cat "$T/backup.out" >&2; exit 1; }
BACKUP=$(ls "$T"/backups/* | head -1)
fp() { sqlite3 "$DB" .dump </dev/null | md5sum; }

# The rows: NAME | COMMAND LINE (after the global options) | PANE | KEYS
# to the refusal (read-only) | KEYS from there to the confirmation's yes
# (the lock) | a COMMAND LINE run first (what the row needs to have
# something to do).  Keys are tmux key names; "=text" types text.
ROWS="$T/rows"
FK='fk:main.jobs(user_id)->main.users(id)'
INF='inferred:main.nft_items(creator_id)->main.users(id)'
cat >"$ROWS" <<EOF
up|up --yes|1|u|y
down|down --yes --no-backup|1|d|y
stamp|stamp 0011 --yes|1|G s|y
backup|backup|1|B c|
restore|restore $BACKUP --yes --no-backup|1|B Enter|y
license-set|licenses set 3 expired --reason guard --yes|4|t|=3 Enter 2 =guard Enter y
fix|check fix $FK --delete --yes --no-backup|3|/ =jobs.user_id Enter d|y
fk-migration|check fix $INF --migration --yes|3|/ =creator_id Enter M|y
accept|check accept $FK --reason guard --yes|3|/ =jobs.user_id Enter a|=guard Enter y
unaccept|check unaccept $FK --yes|3|/ =jobs.user_id Enter u|y|check accept $FK --reason guard --yes
seed|seed demo --yes|5|s|y|seed --reset --yes --no-backup
reset|seed --reset --yes --no-backup|5|R|1 y
EOF

# ---------------------------------------------------------------- coverage
dbw actions --json >"$T/actions.json"
dbw keys --json >"$T/keys.json"
"$BIN" --help >"$T/help.txt"
jq -r '.actions[].name' "$T/actions.json" | sort >"$T/table.names"
cut -d'|' -f1 "$ROWS" | sort >"$T/test.names"
if cmp -s "$T/table.names" "$T/test.names"; then ok "every action row has a line here, and no other"
else
    echo "FAIL: the action table (<) and this test's rows (>) differ:" >&2
    failures=$((failures + 1))
    diff "$T/table.names" "$T/test.names" >&2 || true
fi
while IFS='|' read -r name cmd pane ro_keys lock_keys prep; do
    command=$(jq -r --arg n "$name" '.actions[] | select(.name == $n) | .command' "$T/actions.json")
    word=${command%% *}
    if [ -n "$command" ] && grep -qE "^  $word( |$)" "$T/help.txt"; then
        ok "$name: its command ($command) is a command of --help"
    else fail "$name: no command, or '$word' is not in --help"; fi
    ckey=$(jq -r --arg n "$name" '[.panes[] | .actions[]? | select(.action == $n) | .keys][0] // ""' "$T/keys.json")
    if [ -n "$ckey" ]; then ok "$name: console key $ckey"; else fail "$name: no console key"; fi
done <"$ROWS"

flag() { jq -r --arg n "$1" --arg f "$2" '.actions[] | select(.name == $n) | .[$f]' "$T/actions.json"; }

# start OPTIONS...: the console on DB (lib.sh: console_start)
start() {
    console_start "$name" 120 35 --config "$T/dbwarden.ini" --db "$DB" --migrations "$MIG" "$@"
}

# to_pane N: shows pane N and waits until it has read the database
to_pane() {
    keys "$1"
    case "$1" in
    3) wait_until "the Integrity pane has run its checks" has_re "checks in [0-9.]+ s" ;;
    4) wait_until "the Licenses pane has read the database" has "checks found some" ;;
    5) wait_until "the Seed pane has read the database" has "seeded by" ;;
    *) sleep 1 ;;
    esac
}

# send KEYS: tmux key names, "=text" typed as it is, a pause after each
send() {
    for k in $1; do
        case "$k" in
        =*) text "${k#=}" ;;
        *) keys "$k" ;;
        esac
        sleep 0.3
    done
}

# ---------------------------------------------------------------- read-only
while IFS='|' read -r name cmd pane ro_keys lock_keys prep; do
    fresh
    # shellcheck disable=SC2086
    [ -z "$prep" ] || dbw $prep >"$T/prep.out" 2>&1 || {
        fail "$name: cannot prepare ($prep)"; cat "$T/prep.out" >&2; }
    fp0=$(fp)
    # shellcheck disable=SC2086
    if [ "$(flag "$name" writes)" = true ]; then
        if dbw --read-only $cmd >"$T/ro.out" 2>"$T/ro.err"; then
            fail "$name: the command line ran read-only"
        elif grep -q -- "--read-only" "$T/ro.err"; then ok "$name: the command line refuses read-only"
        else fail "$name: the command line failed read-only without saying why"; cat "$T/ro.err" >&2; fi
        [ "$(fp)" = "$fp0" ] && ok "$name: nothing changed (command line)" ||
            fail "$name: the database changed (command line, read-only)"
        start --read-only
        to_pane "$pane"
        send "$ro_keys"
        wait_until "$name: the console refuses read-only" has_text "Read-only (--read-only):"
        [ "$(fp)" = "$fp0" ] && ok "$name: nothing changed (console)" ||
            fail "$name: the database changed (console, read-only)"
        quit_ok "$name read-only"
    else
        if dbw --read-only $cmd >"$T/ro.out" 2>"$T/ro.err"; then ok "$name: runs read-only (it writes nothing)"
        else fail "$name: failed read-only"; cat "$T/ro.err" >&2; fi
    fi
done <"$ROWS"

# ---------------------------------------------------------------- the run lock
while IFS='|' read -r name cmd pane ro_keys lock_keys prep; do
    [ "$(flag "$name" run_lock)" = true ] || continue
    fresh
    # shellcheck disable=SC2086
    [ -z "$prep" ] || dbw $prep >"$T/prep.out" 2>&1 || {
        fail "$name: cannot prepare ($prep)"; cat "$T/prep.out" >&2; }
    fp0=$(fp)
    # the lock, as another dbwarden takes it: flock on the lock file, held
    # by a process that is $! itself (killed, the lock goes with it)
    (exec 9>"$DB.dbwarden-lock"; flock 9; exec sleep 120) </dev/null >/dev/null 2>&1 &
    holder=$!
    sleep 0.3
    # shellcheck disable=SC2086
    if dbw $cmd >"$T/lk.out" 2>"$T/lk.err"; then
        fail "$name: the command line ran while another held the lock"
    elif grep -q "holds the lock" "$T/lk.err"; then ok "$name: the command line waits, then refuses"
    else fail "$name: failed without naming the lock"; cat "$T/lk.err" >&2; fi
    [ "$(fp)" = "$fp0" ] && ok "$name: nothing changed (command line)" ||
        fail "$name: the database changed under another's lock (command line)"
    start
    to_pane "$pane"
    send "$ro_keys"
    send "$lock_keys"
    # the outcome, then the whole of it in the messages (m)
    wait_until "$name: the console's run fails" has_re "failed|holds the lock"
    keys m
    wait_until "$name: the console refuses under another's lock" has_text "holds the lock"
    keys Escape
    [ "$(fp)" = "$fp0" ] && ok "$name: nothing changed (console)" ||
        fail "$name: the database changed under another's lock (console)"
    quit_ok "$name locked"
    kill "$holder" 2>/dev/null || true
    wait "$holder" 2>/dev/null || true
    holder=
done <"$ROWS"

# ---------------------------------------------------------------- production
cat >"$T/prod.ini" <<EOF
[database]
environment = production
lock_wait = 1s
[backup]
dir = $T/backups
EOF
# cli_in_tmux ARGS: the command line in a terminal (tmux), its exit status
# into $T/exit
cli_in_tmux() {
    rm -f "$T/exit"
    old=$CUR
    CUR=run$((${CUR#run} + 1))
    tm -f /dev/null new-session -d -s "$CUR" -x 120 -y 35 \
        "env ASAN_OPTIONS=\${ASAN_OPTIONS:-}:log_path=$T/asan '$BIN' --config '$T/prod.ini' \
         --db '$DB' --migrations '$MIG' $*; echo EXIT=\$? > '$T/exit'; sleep 60"
    tm kill-session -t "$old" 2>/dev/null || true
}
for row in "down|down --no-backup|1|d" \
           "license-set|licenses set 3 expired --reason guard|4|t =3 Enter 2 =guard Enter"; do
    name=${row%%|*} rest=${row#*|}
    cmd=${rest%%|*} rest=${rest#*|}
    pane=${rest%%|*} ckeys=${rest#*|}
    fresh
    fp0=$(fp)
    cli_in_tmux "$cmd"
    wait_until "$name, production: the command line asks for the name" \
        has "This is a production database. Type its name"
    word=$(screen | sed -n 's/.*Type its name (\(.*\)) to go on.*/\1/p' | head -1)
    text yes
    keys Enter
    wait_until "$name, production: 'yes' is not the name" exited
    if grep -q "EXIT=0" "$T/exit"; then fail "$name, production: 'yes' ran it"; else ok "$name: refused"; fi
    if [ "$(fp)" = "$fp0" ]; then ok "$name: nothing changed (command line)"; else
        fail "$name: 'yes' changed a production database (command line)"; fi
    cli_in_tmux "$cmd"
    wait_until "$name, production: asked again" has "Type its name ($word)"
    text "$word"
    keys Enter
    wait_until "$name, production: the name runs it" exited
    if grep -q "EXIT=0" "$T/exit"; then ok "$name: the name ran it"; else fail "$name: the name did not run it"; fi
    if [ "$(fp)" != "$fp0" ]; then ok "$name: it changed the database (command line)"; else
        fail "$name: nothing changed after the name (command line)"; fi
    fresh
    fp0=$(fp)
    start --config "$T/prod.ini"
    to_pane "$pane"
    send "$ckeys"
    wait_until "$name, production: the console's dialog asks for the name" \
        has_text "Production: type the name ($word)"
    keys y Enter
    wait_until "$name, production: y is not the name" has_text "That is not the database name"
    if [ "$(fp)" = "$fp0" ]; then ok "$name: nothing changed (console)"; else
        fail "$name: y changed a production database (console)"; fi
    keys BSpace
    text "$word"
    keys Enter
    wait_until "$name, production: the name runs it (console)" has_re "Last: .*ok"
    if [ "$(fp)" != "$fp0" ]; then ok "$name: it changed the database (console)"; else
        fail "$name: nothing changed after the name (console)"; fi
    quit_ok "$name production"
done

# ---------------------------------------------------------------- the backup
nbackups() { ls "$T/backups" | wc -l; }
fresh
n0=$(nbackups)
dbw down --yes >"$T/bk.out" 2>&1 || { fail "down: failed"; cat "$T/bk.out" >&2; }
if [ "$(nbackups)" -eq $((n0 + 1)) ]; then ok "down, command line: a backup first"; else
    fail "down, command line: no backup was taken"; fi
fresh
n0=$(nbackups)
dbw down --yes --no-backup >"$T/bk.out" 2>&1 || { fail "down --no-backup: failed"; cat "$T/bk.out" >&2; }
if [ "$(nbackups)" -eq "$n0" ]; then ok "down --no-backup, command line: none"; else
    fail "down --no-backup, command line: a backup was taken"; fi
fresh
n0=$(nbackups)
start
keys 1 d
wait_until "down, console: the dialog says a backup comes first" has_text "Backup first"
keys y
wait_until "down, console: done" has_re "Last: down.*ok"
if [ "$(nbackups)" -eq $((n0 + 1)) ]; then ok "down, console: a backup first"; else
    fail "down, console: no backup was taken"; fi
quit_ok "backup"
fresh
n0=$(nbackups)
start
keys 1 d
wait_until "down again, console: the dialog" has_text "Backup first"
keys Tab
sleep 0.3
keys y
wait_until "down without a backup, console: done" has_re "Last: down.*ok"
if [ "$(nbackups)" -eq "$n0" ]; then ok "down, console, Tab: no backup"; else
    fail "down, console, Tab: a backup was taken"; fi
quit_ok "no backup"

if [ "$failures" -gt 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
echo "all guard checks passed"
