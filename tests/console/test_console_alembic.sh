#!/bin/sh
# Console test of the Migrations pane on an Alembic project with the real
# alembic, in a private tmux server, checked afterwards with the command
# line (dbwarden status --json):
#   two current heads: d asks which branch in a small list, Esc cancels,
#   the choice leads to the confirmation with the explicit target
#   (<head>@<parent>) and the revision that goes, y rolls back that one;
#   at a merge, d rolls back the merge alone;
#   an alembic.ini whose sqlalchemy.url names another database: u refuses
#   in the status bar, opens no dialog, changes nothing.
#   test_console_alembic.sh BIN SRC
# Every wait polls the screen and gives up after 10 s (30 s for a job).
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
T=$(mktemp -d /tmp/dbw-alcon.XXXXXX)
SOCK="dbw-alcon-$$"
CUR=run0
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT INT TERM
failures=0

. "$(dirname "$0")/lib.sh"

export PYTHONDONTWRITEBYTECODE=1
unset DATABASE_URL
P="$SRC/tests/alembic/project/alembic.ini"
DB="sqlite:///$T/alembic.db"
touch "$T/alembic.db"
A="--db $DB --alembic $P"

# cli_is DESCRIPTION JQ ARGS...: dbwarden status --json satisfies JQ
cli_is() {
    what=$1 q=$2
    shift 2
    out=$("$BIN" "$@" status --json 2>"$T/cli.err") || true
    if printf '%s' "$out" | jq -e "$q" >/dev/null 2>&1; then ok "$what"; else
        echo "FAIL: $what: $q" >&2; printf '%s\n' "$out" | head -20 >&2; cat "$T/cli.err" >&2
        failures=$((failures + 1))
    fi
}

# start NAME ARGS...: the console (100x30) in a new tmux session, in $T
start() {
    name=$1
    shift
    rm -f "$T/exit"
    old=$CUR
    CUR=run$((${CUR#run} + 1))
    args=""
    for a in "$@"; do args="$args '$a'"; done
    tm -f /dev/null new-session -d -s "$CUR" -x 100 -y 30 -c "$T" \
        "env -u NO_COLOR -u DATABASE_URL PYTHONDONTWRITEBYTECODE=1 TERM=$TERMV LC_ALL=C.UTF-8 \
         ASAN_OPTIONS=\${ASAN_OPTIONS:-}:log_path=$T/asan '$BIN' $args; echo EXIT=\$? > '$T/exit'; \
         sleep 60"
    tm kill-session -t "$old" 2>/dev/null || true
    before=$failures
    wait_until "$name: the console is up" has "HISTORY"
    if [ "$failures" -ne "$before" ]; then
        cat "$T/exit" "$T"/asan* 2>/dev/null >&2 || true
        exit 1
    fi
}

# -------------------------------------------------- two current heads
# shellcheck disable=SC2086
"$BIN" $A up 3c4d5e6f7081 >"$T/setup.out" 2>&1 && "$BIN" $A up 4d5e6f708192 >>"$T/setup.out" 2>&1 ||
    { cat "$T/setup.out" >&2; exit 1; }
cli_is "setup: two current heads" '.current == ["3c4d5e6f7081", "4d5e6f708192"]' $A
start "branches" $A
keys d
wait_until "d asks which branch" has "Down: which branch?"
wait_until "the question says why" has "The database is at 2 revisions (branches)"
wait_until "the first head is offered" has "1  3c4d5e6f7081  create invoices"
wait_until "the second head is offered" has "2  4d5e6f708192  create audit_log"
wait_until "no confirmation yet" lacks "Run down"
keys Escape
wait_until "Esc cancels the choice" has "Cancelled: nothing was done"
wait_until "the list is gone" lacks "Down: which branch?"
keys d
wait_until "d again" has "Down: which branch?"
keys j Enter
wait_until "the choice leads to the confirmation" has "Run down 4d5e6f708192?"
wait_until "the dialog names the revision that goes" has "roll back 4d5e6f708192 (create audit_log)"
wait_until "the dialog shows the explicit target" has "alembic -c alembic.ini downgrade 4d5e6f708192@2b3c4d5e6f70"
wait_until "a backup is offered" has "Backup first into backups/"
keys y
WAIT=300
wait_until "the branch is rolled back" has "Last: down 4d5e6f708192: ok"
WAIT=100
cli_is "only that branch went" '.current == ["3c4d5e6f7081"]' $A
if ls "$T"/backups/alembic-*.sqlite3 >/dev/null 2>&1; then ok "the backup was taken"
else fail "no backup in $T/backups"; fi

# ------------------------------------------------------------ a merge
keys u
wait_until "u: everything" has "Run up?"
keys y
WAIT=300
wait_until "up runs" has "Last: up: ok"
WAIT=100
keys d
wait_until "d off the head" has "downgrade 6f708192a3b4@5e6f708192a3"
keys y
WAIT=300
wait_until "the head is rolled back" has_re "Last: down: ok: roll back 6f708192a3b4"
WAIT=100
keys d
wait_until "at the merge: the merge alone" has "alembic -c alembic.ini downgrade 5e6f708192a3@3c4d5e6f7081"
keys y
WAIT=300
wait_until "the merge is rolled back" has_re "Last: down: ok: roll back 5e6f708192a3"
WAIT=100
cli_is "both branches stay" '.current == ["3c4d5e6f7081", "4d5e6f708192"]' $A
quit_ok "branches"

# ------------------------------------- sqlalchemy.url: another database
mkdir -p "$T/p"
sed "s|^\\[alembic\\]\$|[alembic]\\nsqlalchemy.url = sqlite:///other.db|" "$P" |
    sed "s|%(here)s/migrations|$SRC/tests/alembic/project/migrations|" > "$T/p/alembic.ini"
start "other database" --db "$DB" --alembic "$T/p/alembic.ini"
keys u
wait_until "u is refused in the status bar" line_has 30 "up: $T/p/alembic.ini:4: sqlalchemy"
wait_until "the cut message says m has it whole" line_re 30 "… \\(m\\) *$"
wait_until "no dialog opens" lacks "Run up?"
keys d
wait_until "d is refused too" line_has 30 "down: $T/p/alembic.ini:4:"
keys m
wait_until "m: the messages, the refusal whole" has_text "up: $T/p/alembic.ini:4: sqlalchemy.url"
wait_until "m: each with its time" has_re "[0-9][0-9]:[0-9][0-9]:[0-9][0-9]  down: "
wait_until "m: the bottom bar says how to close" line_has 30 "Esc close"
keys Escape
wait_until "Esc closes the messages" lacks "Messages of this session"
keys L
wait_until "the log has the refusals" has "up: cannot plan it: $T/p/alembic.ini:4:"
wait_until "the log has the other database" has "other.db"
quit_ok "other database"
cli_is "nothing changed" '.current == ["3c4d5e6f7081", "4d5e6f708192"]' $A
if [ -e "$T/p/other.db" ]; then fail "the other database was made"; else ok "the other database was never touched"; fi

# ----------------------- a broken project: every problem visible, warned
touch "$T/broken.db"
start "broken" --db "sqlite:///$T/broken.db" --alembic "$SRC/tests/alembic/broken/alembic.ini"
wait_until "broken: the note counts the problems and names the key" has_re "[0-9]+ problems \(p lists them all\)"
keys p
wait_until "p: the problems view" has_re "Problems \([0-9]+\)"
for k in bad_id no_revision duplicate_id missing_parent cycle multiple_heads; do
    wait_until "p lists $k" has "$k:"
done
wait_until "p names the files" has "file: "
keys Escape
wait_until "Esc: back to the history" has "HISTORY"
keys U
keys g u
wait_until "u: the confirmation warns before running" has "problems of the project will likely make alembic fail"
keys n
quit_ok "broken"

if ls "$T"/asan* >/dev/null 2>&1; then
    echo "FAIL: AddressSanitizer reported:" >&2
    cat "$T"/asan* | head -60 >&2
    failures=$((failures + 1))
fi
if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
echo "all checks passed"
