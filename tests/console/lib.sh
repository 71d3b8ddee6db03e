# lib.sh: what the console tests share (sourced).  The test sets, before
# sourcing: SOCK (its private tmux server), T (its temporary folder, where
# the console writes "$T/exit"), CUR (the current tmux session) and
# failures=0.  Every wait polls the screen, for up to $WAIT tenths of a
# second (default 100), and never sleeps blindly.

# The terminal type tmux announces, when this system knows it.
TERMV=tmux-256color
infocmp "$TERMV" >/dev/null 2>&1 || TERMV=screen

tm() { tmux -L "$SOCK" "$@"; }
screen() { tm capture-pane -p -t "$CUR"; }
screen_e() { tm capture-pane -p -e -t "$CUR"; }
keys() { tm send-keys -t "$CUR" "$@"; }
text() { tm send-keys -t "$CUR" -l "$1"; }
show() { screen | sed 's/^/    | /' >&2; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); show; }
ok() { echo "ok   $*"; }

# wait_until DESCRIPTION COMMAND...: polls COMMAND until it succeeds; a
# failure is counted and the screen shown, and the test goes on
wait_until() {
    what=$1
    shift
    i=0
    while [ $i -lt "${WAIT:-100}" ]; do
        if "$@" >/dev/null 2>&1; then ok "$what"; return 0; fi
        [ $i -gt 0 ] && ! tm has-session -t "$CUR" 2>/dev/null && break
        sleep 0.1
        i=$((i + 1))
    done
    fail "$what"
    return 0
}
has() { screen | grep -qF -- "$1"; }
# has_text TEXT: the screen shows TEXT, its lines joined as words (a long
# message is wrapped; the frame of a box is left out)
has_text() { screen | sed 's/│//g' | tr '\n' ' ' | tr -s ' ' | grep -qF -- "$1"; }
lacks() { ! screen | grep -qF -- "$1"; }
has_re() { screen | grep -qE -- "$1"; }
lacks_re() { ! screen | grep -qE -- "$1"; }
line_has() { screen | sed -n "$1p" | grep -qF -- "$2"; }
line_re() { screen | sed -n "$1p" | grep -qE -- "$2"; }
size_is() { [ "$(screen | wc -l)" -eq "$2" ] && [ "$(tm display -p -t "$CUR" '#{pane_width}')" -eq "$1" ]; }
exited() { [ -s "$T/exit" ]; }

# quit_ok NAME: q quits the console with exit status 0 (and no sanitizer report)
quit_ok() {
    keys q
    wait_until "$1: q quits" exited
    if grep -q "EXIT=0" "$T/exit" 2>/dev/null; then ok "$1: exit status 0"; else
        fail "$1: exit status $(cat "$T/exit" 2>/dev/null), expected 0"
        cat "$T"/asan* 2>/dev/null | head -40 >&2 || true
    fi
}

# click X Y: a press and release of button 1 at (x, y), 0-based, as a
# terminal sends it (X10 encoding); ncurses turns it into a click
click() {
    tm send-keys -t "$CUR" -l "$(printf '\033[M %b%b\033[M#%b%b' \
        "$(printf '\\%03o' $(($1 + 33)))" "$(printf '\\%03o' $(($2 + 33)))" \
        "$(printf '\\%03o' $(($1 + 33)))" "$(printf '\\%03o' $(($2 + 33)))")"
}

# help_has DESCRIPTION TEXT: with help open, pages on (PgDn) until TEXT is
# shown, at most 12 pages
help_has() {
    n=0
    while ! has "$2" && [ $n -lt 12 ]; do
        keys NPage
        sleep 0.1
        n=$((n + 1))
    done
    wait_until "$1" has "$2"
}

# console_start NAME COLS LINES ARGS...: the console ($BIN with ARGS, each
# quoted) in a new tmux session of COLSxLINES working in $T (the previous
# session closed; ENVV: more environment); waits until it shows its tabs,
# else shows what it left and exits
console_start() {
    name=$1 cols=$2 lines=$3
    shift 3
    rm -f "$T/exit"
    old=$CUR
    CUR=run$((${CUR#run} + 1))
    args=""
    for a in "$@"; do args="$args '$a'"; done
    tm -f /dev/null new-session -d -s "$CUR" -x "$cols" -y "$lines" -c "$T" \
        "env ${ENVV:-} TERM=$TERMV LC_ALL=C.UTF-8 ASAN_OPTIONS=\${ASAN_OPTIONS:-}:log_path=$T/asan \
         '$BIN' $args; echo EXIT=\$? > '$T/exit'; sleep 60"
    tm kill-session -t "$old" 2>/dev/null || true
    before=$failures
    wait_until "$name: the console is up" has "Migrations"
    if [ "$failures" -ne "$before" ]; then
        cat "$T/exit" "$T"/asan* 2>/dev/null >&2 || true
        exit 1
    fi
}

# start_console NAME DB [VAR=VALUE...]: the console at 100x30 on DB, with
# those variables in its environment (console_start)
start_console() {
    name=$1 db=$2
    shift 2
    ENVV="$*" console_start "$name" 100 30 --db "$db"
}

# pg_psql DB ARGS...: psql as postgres on the test server (DBW_PG_HOST,
# DBW_PG_PORT), quiet, stopping at the first error
pg_psql() {
    db=$1
    shift
    psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"
}

# checks_done: a sanitizer's report is a failure; exits 1 when a check
# failed, else says all passed
checks_done() {
    if ls "$T"/asan* >/dev/null 2>&1; then
        fail "AddressSanitizer reported:"
        cat "$T"/asan* | head -60 >&2
    fi
    if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
    echo "all checks passed"
}
