#!/bin/sh
# Console test of the Integrity pane, on the real binary in a private tmux
# server, reading the screen, on SQLite databases:
#   the demo database (migrations up, then `dbwarden seed demo`): every
#   orphan check of `dbwarden check --json` is on screen with its state,
#   table, key, count and missing keys; Enter on one shows its orphan row
#   (the one `dbwarden check rows` gives); d asks (the exact DELETE), runs,
#   and the count on screen goes to 0, as `dbwarden check --json` says
#   afterwards; an empty reason is refused; accept with a reason shows
#   accepted (and check --json agrees); u takes it back;
#   --read-only: d and a refused with a message, nothing changed;
#   a database whose foreign key SQLite cannot check: the error shown with
#   its message, never a count;
#   a check that takes seconds (a two-column key over 30,000 rows of a
#   parent without an index): the progress line names it, Esc stops it,
#   and it shows as cancelled; Ctrl-C stops it too.
#   test_console_integrity.sh BIN SRC
# Every wait polls the screen and gives up after 10 s (30 s for the checks).
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
T=$(mktemp -d /tmp/dbw-ipane.XXXXXX)
SOCK="dbw-ipane-$$"
CUR=run0
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT INT TERM
failures=0

. "$(dirname "$0")/lib.sh"

# start NAME ARGS...: the console at 150x50 in a new tmux session, on the
# Integrity pane once its checks have run
start() {
    name=$1
    shift
    rm -f "$T/exit"
    old=$CUR
    CUR=run$((${CUR#run} + 1))
    args=""
    for a in "$@"; do args="$args '$a'"; done
    tm -f /dev/null new-session -d -s "$CUR" -x 150 -y 50 -c "$T" \
        "env TERM=$TERMV LC_ALL=C.UTF-8 NO_COLOR=1 ASAN_OPTIONS=\${ASAN_OPTIONS:-}:log_path=$T/asan \
         '$BIN' $args; echo EXIT=\$? > '$T/exit'; sleep 60"
    tm kill-session -t "$old" 2>/dev/null || true
    before=$failures
    wait_until "$name: the console is up" has "Migrations"
    if [ "$failures" -ne "$before" ]; then
        cat "$T/exit" "$T"/asan* 2>/dev/null >&2 || true
        exit 1
    fi
    keys 3
}
# filter PATTERN: a new '/' filter of the list in front
filter() {
    keys /
    wait_until "/ opens the prompt" has "(regex): /"
    keys C-u
    text "$1"
    keys Enter
}
# same FILE1 FILE2: the two files are equal, byte for byte
same() { cmp -s "$1" "$2"; }
# said DESCRIPTION TEXT: the messages of the session (m) hold TEXT, whole
said() {
    keys m
    wait_until "$1" has_text "$2"
    keys Escape
    wait_until "the messages close" lacks "Messages of this session"
}
checks_json() { "$BIN" --db "$1" check --json > "$T/check.json" || true; }
# count ID: the check's count as `dbwarden check --json` says
count_of() { jq -r --arg id "$1" '.checks[] | select(.id == $id) | .count' "$T/check.json"; }
state_of() { jq -r --arg id "$1" '.checks[] | select(.id == $id) | .state' "$T/check.json"; }

# ------------------------------------------------------------ the demo database
DB="sqlite:///$T/demo.db"
{ "$BIN" --db "$DB" --migrations "$SRC/migrations/sqlite" up &&
  "$BIN" --db "$DB" seed demo; } >"$T/demo.out" 2>&1 || {
    echo "FAIL: cannot build the demo database:" >&2; cat "$T/demo.out" >&2; exit 1; }
cp "$T/demo.db" "$T/demo0.db"   # untouched, for the sections after the first
checks_json "$DB"
total=$(jq '.summary.total' "$T/check.json")
norph=$(jq '[.checks[] | select(.group == "orphans" and .count > 0)] | length' "$T/check.json")
[ "$norph" -gt 2 ] || { echo "FAIL: the demo has $norph orphan checks with orphans" >&2; exit 1; }

start "demo" --db "$DB"
WAIT=300 wait_until "the checks ran: $total checks" has "$total checks in"
wait_until "the header sums them up" \
    has "$(jq -r '"\(.summary.problem) problems, \(.summary.warning) warnings"' "$T/check.json")"
wait_until "problems first" line_re 5 "^(error|problem) "
wait_until "the bar shows c and e" has "c recheck  e export"
keys '?'
help_has "help lists c" "c                  check the selected check again, alone"
help_has "help lists e" "e                  export the check's orphan rows to a file"
keys Escape
wait_until "help closes" has "$total checks in"

# every orphan check of check --json, as the pane shows it
filter "^orphans\$"
wait_until "the filter keeps the orphan checks" has "checks  (n/N"
jq -r '.checks[] | select(.group == "orphans") |
       "\(.state)|\(.table.name)|\(.columns | join(", "))|\(.references.table.name)|\(.references.columns | join(", "))|\(.count)|\(.distinct_keys)"' \
    "$T/check.json" > "$T/orphans.txt"
while IFS='|' read -r st tb cols ref rcols n dk; do
    re="^$st +orphans +$tb\\($cols\\) → $ref\\($rcols\\) +$n +"
    if [ "$n" -gt 0 ]; then
        s=s; [ "$n" -eq 1 ] && s=""
        re="$re$n row$s → $dk missing $ref"
    else
        re="${re}no orphans"
    fi
    wait_until "orphans of $tb($cols): $st, $n" has_re "$re"
done < "$T/orphans.txt"

# Enter: the detail and the orphan row of jobs(user_id)
ID='fk:main.jobs(user_id)->main.users(id)'
"$BIN" --db "$DB" check rows "$ID" --json > "$T/rows.json"
rowid=$(jq -r '.rows[0][0]' "$T/rows.json")
nrows=$(jq '.rows | length' "$T/rows.json")
filter '^fk:main\.jobs\(user_id\)'
wait_until "the filter finds jobs(user_id)" has "1 of $total checks"
keys Enter
wait_until "Enter: the detail of $ID" has "$ID"
wait_until "its orphan rows: $nrows" has "Orphan rows 1-$nrows of $nrows, by key"
wait_until "the key column names the table it misses" has "USER_ID → USERS"
wait_until "the orphan row $rowid is shown" has_re "^$rowid "
wait_until "the SQL that finds them" has "The SQL that finds them:"

# d: asks with the exact DELETE, runs, and the count goes to 0
keys d
wait_until "d asks" has "Run delete the orphans of main.jobs(user_id)?"
wait_until "the dialog shows the DELETE" has 'DELETE FROM "main"."jobs"'
keys y
wait_until "the fix ran" has "Last: delete the orphans of main.jobs(user_id): ok"
wait_until "the detail says no orphans now" has "ok: no orphans"
keys Escape
wait_until "back to the list: jobs(user_id) ok, 0" has_re "^ok +orphans +jobs\\(user_id\\) → users\\(id\\) +0 +no orphans"
checks_json "$DB"
n=$(count_of "$ID")
if [ "$n" = 0 ]; then ok "check --json agrees: 0 orphans"; else
    fail "check --json says $ID has $n orphans after the fix"; fi

# a: the reason first; an empty one is refused; then accepted
IID='inferred:main.nft_items(creator_id)->main.users(id)'
filter '^inferred:main\.nft_items\(creator_id\)'
wait_until "the filter finds the inferred key" has "1 of "
keys a
wait_until "a asks for a reason" has "reason:"
keys Enter
wait_until "an empty reason is refused" has "An acceptance needs a reason"
keys a
wait_until "a asks again" has "reason:"
text "legacy rows, see ticket 12"
keys Enter
wait_until "the accept dialog" has "Run accept $IID?"
keys y
wait_until "accepted on screen" has_re "^accepted +inferred +nft_items\\(creator_id\\) → users"
checks_json "$DB"
if [ "$(state_of "$IID")" = accepted ]; then ok "check --json agrees: accepted"; else
    fail "check --json says $IID is $(state_of "$IID")"; fi
keys u
wait_until "u asks" has "Run unaccept $IID?"
keys y
wait_until "taken back on screen" has_re "^warning +inferred +nft_items\\(creator_id\\) → users"
quit_ok "demo"

# ------------------------------------------------------------ c: one check again
# the data behind two checks changes while the console is open; c on one
# of them updates its line from the database, the other keeps its count
cp "$T/demo0.db" "$T/one.db"
ODB="sqlite:///$T/one.db"
JID='fk:main.jobs(user_id)->main.users(id)'
PID='fk:main.projects(workspace_id)->main.workspaces(id)'
checks_json "$ODB"
jn=$(count_of "$JID")
pn=$(count_of "$PID")
start "one check again" --db "$ODB"
WAIT=300 wait_until "one: the checks ran" has "checks in"
wait_until "jobs(user_id): $jn orphan" has_re "^problem +orphans +jobs\\(user_id\\) → users\\(id\\) +$jn "
sqlite3 "$T/one.db" "UPDATE jobs SET user_id = 900000 + id
    WHERE id IN (SELECT id FROM jobs WHERE user_id IN (SELECT id FROM users) LIMIT 3);
  UPDATE projects SET workspace_id = 900000 + id
    WHERE id IN (SELECT id FROM projects WHERE workspace_id IN (SELECT id FROM workspaces) LIMIT 2);"
checks_json "$ODB"
jn2=$(count_of "$JID")
pn2=$(count_of "$PID")
[ "$jn2" -gt "$jn" ] && [ "$pn2" -gt "$pn" ] ||
    fail "the update did not make orphans: jobs $jn -> $jn2, projects $pn -> $pn2"
filter '^fk:main\.jobs\(user_id\)'
wait_until "the filter finds jobs(user_id)" has "1 of $total checks"
keys c
wait_until "c: jobs(user_id) now counts $jn2, as the database says" \
    has_re "^problem +orphans +jobs\\(user_id\\) → users\\(id\\) +$jn2 +$jn2 rows → $jn2 missing users"
wait_until "c says what it found" has_text "Checked again: $JID: problem: $jn2 rows"
filter '^fk:main\.projects\(workspace_id\)'
wait_until "projects(workspace_id) keeps the count of the last run: $pn" \
    has_re "^problem +orphans +projects\\(workspace_id\\) → workspaces\\(id\\) +$pn +"
keys Enter
wait_until "Enter: the detail of $PID, at the last run's count" has "problem: $pn row"
keys c
wait_until "c in the detail: its count follows the database" \
    has "problem: $pn2 rows → $pn2 missing workspaces"
wait_until "and so do its rows" has "Orphan rows 1-$pn2 of $pn2, by key"
keys Escape
wait_until "back: projects(workspace_id) counts $pn2" \
    has_re "^problem +orphans +projects\\(workspace_id\\) → workspaces\\(id\\) +$pn2 +"
quit_ok "one check again"

# ------------------------------------------------------------ e: export rows
# read-only: the file is what `check rows ID --csv|--json` prints, byte for
# byte; an existing file is replaced only after y; a folder that cannot be
# written says why
cp "$T/demo0.db" "$T/export.db"
XDB="sqlite:///$T/export.db"
XID='fk:main.jobs(user_id)->main.users(id)'
"$BIN" --db "$XDB" check rows "$XID" --csv > "$T/want.csv"
"$BIN" --db "$XDB" check rows "$XID" --json > "$T/want.json"
xn=$(jq '.rows | length' "$T/want.json")
s=s; [ "$xn" -eq 1 ] && s=""
start "export" --db "$XDB" --read-only
WAIT=300 wait_until "export: the checks ran" has "checks in"
filter '^fk:main\.jobs\(user_id\)'
wait_until "the filter finds jobs(user_id)" has "1 of $total checks"
keys e
wait_until "e asks for the file, the table and key's columns as its name" \
    has "Export the orphan rows of jobs to (.csv, or .json): jobs_user_id.csv"
keys Enter
wait_until "the CSV is check rows --csv, byte for byte" same "$T/want.csv" "$T/jobs_user_id.csv"
said "e: says where the rows went and how many" \
    "Exported $xn orphan row$s to $(realpath "$T")/jobs_user_id.csv (CSV)."
keys e
wait_until "e asks again" has "(.csv, or .json): jobs_user_id.csv"
keys C-u
text "orphans.json"
keys Enter
wait_until "a .json name: check rows --json, byte for byte" same "$T/want.json" "$T/orphans.json"
said "it says JSON" "Exported $xn orphan row$s to $(realpath "$T")/orphans.json (JSON)."
printf 'keep me\n' > "$T/jobs_user_id.csv"
keys e
wait_until "e on a name that exists" has "(.csv, or .json): jobs_user_id.csv"
keys Enter
wait_until "it asks before replacing it" has "Replace jobs_user_id.csv?"
keys n
said "n: not replaced" "Not replaced: jobs_user_id.csv is as it was"
if [ "$(cat "$T/jobs_user_id.csv")" = "keep me" ]; then ok "the file is untouched"; else
    fail "the file was changed without a yes"; fi
keys e
wait_until "e again" has "(.csv, or .json): jobs_user_id.csv"
keys Enter
wait_until "it asks again" has "Replace jobs_user_id.csv?"
keys y
wait_until "y: replaced with the rows" same "$T/want.csv" "$T/jobs_user_id.csv"
wait_until "y: the export is done" has "Exported $xn orphan row"
keys e
wait_until "e for a folder that does not exist" has "(.csv, or .json): jobs_user_id.csv"
keys C-u
text "$T/no/such/x.csv"
keys Enter
said "it says why it cannot write there" \
    "not exported: cannot write $T/no/such/x.csv: No such file or directory"
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$T/locked" && chmod 555 "$T/locked"
    keys e
    wait_until "e for a folder it may not write" has "(.csv, or .json): jobs_user_id.csv"
    keys C-u
    text "$T/locked/x.csv"
    keys Enter
    said "it says why: permission denied" \
        "not exported: cannot write $T/locked/x.csv: Permission denied"
fi
if ls "$T"/*.tmp-* "$T"/no "$T"/locked/* >/dev/null 2>&1; then
    fail "an export left a file behind: $(ls "$T"/*.tmp-* "$T"/locked/* 2>/dev/null)"; else
    ok "nothing half-written is left"; fi
quit_ok "export"

# ------------------------------------------------------------ rows paged by key
# 1,201 orphans of jobs(user_id) (loaded with foreign keys off): the detail
# reads 500, then the next page after the last key whenever the selection
# reaches the last row read; G goes on to the last orphan, the one
# `check rows --json --limit 100000` ends with
cp "$T/demo0.db" "$T/big.db"
BDB="sqlite:///$T/big.db"
sqlite3 "$T/big.db" "PRAGMA foreign_keys = OFF;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
  INSERT INTO jobs (license_id, user_id, status)
    SELECT (SELECT min(id) FROM licenses), 900000 + i, 'queued' FROM n;"
"$BIN" --db "$BDB" check rows "$XID" --json --limit 100000 > "$T/big.json"
bn=$(jq '.rows | length' "$T/big.json")
blast=$(jq -r '.rows[-1] | "\(.[0]) +\(.[1]) +\(.[2]) "' "$T/big.json")
[ "$bn" -eq 1201 ] || fail "check rows gives $bn orphans of $XID, not 1201"
start "paged rows" --db "$BDB" --read-only
WAIT=300 wait_until "paged: the checks ran" has "checks in"
filter '^fk:main\.jobs\(user_id\)'
wait_until "the filter finds jobs(user_id)" has "1 of $total checks"
keys Enter
wait_until "the first page: rows 1-500 of $bn" has "Orphan rows 1-500 of $bn, by key"
keys G
wait_until "G at the last row read: the next page, rows 1-1000" has "Orphan rows 1-1000 of $bn, by key"
keys G
wait_until "G again: all $bn rows, by key" has "Orphan rows 1-$bn of $bn, by key"
keys G
wait_until "G: the last orphan's key is check rows' last: $blast" has_re "^$blast"
keys g
wait_until "g: back to the first row" has_re "^$(jq -r '.rows[0][0]' "$T/big.json") "
keys Escape
wait_until "Esc: back to the list" lacks "Orphan rows"
"$BIN" --db "$BDB" check rows "$XID" --csv --limit 0 > "$T/big.csv"
keys e
wait_until "e for the rows of more than one page" has "(.csv, or .json): jobs_user_id.csv"
keys C-u
text "big.csv.out"
keys Enter
wait_until "the export of $bn rows is check rows --csv --limit 0" same "$T/big.csv" "$T/big.csv.out"
quit_ok "paged rows"

# ------------------------------------------------------------ read-only
RID='fk:main.subscriptions(user_id)->main.users(id)'
checks_json "$DB"
rbefore=$(count_of "$RID")
start "read-only" --db "$DB" --read-only
WAIT=300 wait_until "read-only: the checks ran" has "checks in"
filter '^fk:main\.subscriptions\(user_id\)'
wait_until "the filter finds subscriptions(user_id)" has "1 of "
keys d
wait_until "read-only refuses d" has_text "Read-only (--read-only)"
wait_until "no dialog" lacks "Run delete"
keys a
wait_until "read-only refuses a" has_text "Read-only (--read-only): accepting $RID"
wait_until "no reason asked" lacks "reason:"
quit_ok "read-only"
checks_json "$DB"
if [ "$(count_of "$RID")" = "$rbefore" ] && [ "$rbefore" -gt 0 ]; then
    ok "read-only: nothing changed ($rbefore orphans)"; else
    fail "read-only: $RID went from $rbefore to $(count_of "$RID")"; fi

# ------------------------------------------------------------ an error is no count
sqlite3 "$T/mm.db" "CREATE TABLE p (a INTEGER, b INTEGER);
  CREATE TABLE ch (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, FOREIGN KEY (a, b) REFERENCES p (a, b));
  INSERT INTO ch VALUES (1, 1, 1);"
start "error" --db "sqlite:///$T/mm.db"
WAIT=300 wait_until "error: the checks ran" has "checks in"
wait_until "the error comes first, with its message and no count" \
    has_re "^error +engine +foreign_key_check +— +error: foreign key mismatch"
wait_until "the header counts it" has "1 error, 1 problem"
quit_ok "error"

# ------------------------------------------------------------ hostile text in the detail
# a reason with a newline and an escape sequence, and a table whose name has
# them, never make a line of the detail of their own
sqlite3 "$T/ev.db" "CREATE TABLE users (id INTEGER PRIMARY KEY);
  CREATE TABLE \"ev\"\"il
ok: no orphans\" (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));
  INSERT INTO \"ev\"\"il
ok: no orphans\" VALUES (1, 7);"
EID=$("$BIN" --db "sqlite:///$T/ev.db" check --json | jq -r '[.checks[] | select(.kind == "foreign_key")][0].id')
"$BIN" --db "sqlite:///$T/ev.db" check accept "$EID" --reason "$(printf 'old\nfine: \033[32mall good')" --yes >/dev/null 2>&1 ||
    fail "hostile: cannot accept $EID"
start "hostile" --db "sqlite:///$T/ev.db"
WAIT=300 wait_until "hostile: the checks ran" has "checks in"
filter "accepted"
keys Enter
wait_until "hostile: the reason is shown escaped, on its line" has 'old\nfine: \x1b[32mall good'
if screen | grep -qE '^(fine:|ok: no orphans)'; then fail "hostile: a name or a reason made a line of its own"; else
    ok "hostile: no line made by a name or a reason"; fi
keys Escape
filter "fk_without_index"
keys Enter
wait_until "hostile: the fixing SQL shows the name's newline as \\n" has 'CREATE INDEX "ev""il\nok: no orphans_user_id_idx"'
if screen | grep -qE '^ok: no orphans'; then fail "hostile: a name in the SQL made a line of its own"; else
    ok "hostile: no line made by a name in the SQL"; fi
quit_ok "hostile"

# ------------------------------------------------------------ Esc stops a slow check
sqlite3 "$T/slow.db" <<'SQL'
CREATE TABLE p (a INTEGER, b INTEGER, c TEXT);
CREATE TABLE ch (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER,
                 FOREIGN KEY (a, b) REFERENCES p (a, b));
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
INSERT INTO p SELECT i, i, 'x' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
INSERT INTO ch SELECT i, i + 1, i FROM n;
SQL
start "slow" --db "sqlite:///$T/slow.db"
wait_until "the progress line names the check being counted" has "counting main.ch"
wait_until "it says Esc stops it" has "Esc/Ctrl-C stops"
keys Escape
wait_until "Esc stops the checks" has "Stopped: the checks not run are cancelled"
wait_until "the slow check is cancelled, no count" \
    has_re "^cancelled +orphans +ch\\(a, b\\) → p\\(a, b\\) +— +cancelled"
wait_until "the header says so" has_re "[0-9]+ cancelled"
quit_ok "slow"
start "slow, Ctrl-C" --db "sqlite:///$T/slow.db"
wait_until "Ctrl-C: the check is being counted" has "counting main.ch"
keys C-c
wait_until "Ctrl-C stops the checks too" has "Stopped: the checks not run are cancelled"
quit_ok "slow, Ctrl-C"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all integrity pane checks passed"
