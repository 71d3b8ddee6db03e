#!/bin/sh
# Console test of the Licenses pane on the demo database (its demo set
# plants every anomaly): the counts and the anomalies agree with
# `dbwarden licenses --json`; Enter shows an anomaly's rows; u finds a user
# by name (the why first, then the story) and by a pattern (a choice of
# users); t moves the selected license: the states allowed from where it
# is, a reason required, the confirmation with the SQL, and after it the
# database says the new state, with its license event and audit entry;
# --read-only refuses t and writes nothing; Esc cancels at every step.
#   test_console_licenses.sh BIN
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d /tmp/dbw-lic.XXXXXX)
SOCK="dbw-lic-$$"
CUR=run0
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT INT TERM
failures=0

DB="$T/demo.db"
"$BIN" --db "$DB" demo </dev/null >"$T/demo.out" 2>&1 || {
    echo "FAIL: cannot build the demo database:" >&2; cat "$T/demo.out" >&2; exit 1; }

. "$(dirname "$0")/lib.sh"

# start NAME OPTIONS...: the console on the demo database, on Licenses.
start() {
    name=$1
    shift
    console_start "$name" 120 35 --db "$DB" "$@"
    keys 4
    wait_until "$name: the Licenses pane has read the database" has "checks found some"
}

q() { sqlite3 "$DB" "$1"; }
json() { "$BIN" --db "$DB" licenses --json; }

# ------------------------------------------------------------ the overview
start "overview"
subs=$(json | jq '.subscriptions.total')
lics=$(json | jq '.licenses.total')
found=$(json | jq '[.anomalies[] | select(.count > 0)] | length')
wait_until "the header has the totals of licenses --json ($subs, $lics, $found)" \
    has "subscriptions $subs · licenses $lics · anomalies: $found of 8 checks found some"
wait_until "the license states with their arrows" has_re "suspended +█+ 1 → active, revoked"
wait_until "revoked leads nowhere" has "(no way out)"
expired_n=$(json | jq '.anomalies[] | select(.kind == "license_past_expiry") | .count')
wait_until "the license past its expiry, counted as licenses --json counts it" \
    has_re "^ +$expired_n +$expired_n license \(trial, active\) past its expires_at"

# Enter on "past its expires_at": its rows; the license's id from the database
lic=$(q "SELECT id FROM licenses WHERE status IN ('trial','active') AND expires_at < datetime('now')")
keys /
text "past its expires"
keys Enter
wait_until "the filter keeps the one anomaly" has "1 of 8 anomalies"
keys Enter
wait_until "Enter: the anomaly's rows" has_re "^$lic +[0-9]+ +Studio +active"
wait_until "the bottom bar says how to move one" has "t transition"

# t: the states active may go to, not trial; Esc cancels
keys t
wait_until "t: the states allowed from active" has "License $lic is active. Move it to:"
wait_until "suspended is offered" has_re "│ [0-9]  suspended"
if has_re "│ [0-9]  trial "; then fail "trial offered from active"; else ok "trial is not offered"; fi
keys Escape
wait_until "Esc: cancelled" has "Cancelled: nothing was done."

# t, expired, an empty reason is refused, then a reason, the dialog, n
keys t
wait_until "t again" has "Move it to:"
keys 2
wait_until "the reason is asked" has "Why (written with the event and the audit entry):"
keys Enter
wait_until "an empty reason is refused" has "A reason is required"
text "renewal lapsed"
keys Enter
wait_until "the confirmation names the change" has "active -> expired"
wait_until "the confirmation shows the SQL" has "UPDATE \"licenses\" SET"
keys n
wait_until "n: nothing was done" has "Cancelled: nothing was done."
if [ "$(q "SELECT status FROM licenses WHERE id = $lic")" = active ]; then
    ok "n left the license active"; else fail "n changed the license"; fi

# and now y
events=$(q "SELECT count(*) FROM license_events")
keys t
wait_until "t once more" has "Move it to:"
keys 2
wait_until "the reason again" has "Why (written"
text "renewal lapsed"
keys Enter
wait_until "the confirmation again" has "active -> expired"
keys y
wait_until "the outcome line" has "Last: license $lic to expired: ok"
if [ "$(q "SELECT status FROM licenses WHERE id = $lic")" = expired ]; then
    ok "the database says expired"; else fail "the license is not expired in the database"; fi
if [ "$(q "SELECT count(*) FROM license_events")" -eq $((events + 1)) ] &&
   [ "$(q "SELECT reason FROM license_events ORDER BY id DESC LIMIT 1")" = "renewal lapsed" ]; then
    ok "one license event with the reason"; else fail "no license event with the reason"; fi
if [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'license.transition' AND entity_id = '$lic'")" -eq 1 ]; then
    ok "one audit entry"; else fail "no audit entry for the transition"; fi
wait_until "the pane read the database again: that anomaly is gone" \
    has "subscriptions $subs · licenses $lics · anomalies: $((found - 1)) of 8 checks found some"

# t with an id typed: an unknown id is said at once; a known one offers
# only the states its state may go to
keys Escape
keys t
wait_until "t in the overview asks for the license" has "Move which license (its id):"
text 999
keys Enter
wait_until "an unknown license is said at once" has "No license has the id 999"
keys C-u
text "$lic"
keys Enter
wait_until "the license typed: its state read first" has "License $lic is expired. Move it to:"
if has_re "│ [0-9]  suspended"; then fail "suspended offered from expired"; else
    ok "only the states allowed from expired"; fi
keys Escape

# ------------------------------------------------------------ a user
keys Escape
keys u
wait_until "u asks for a user" has "User (id, email, username, or a pattern):"
text "bob"
keys Enter
wait_until "bob's why comes first" has "WHY: subscription_past_due"
wait_until "then the evidence" has "EVIDENCE (subscriptions)"
wait_until "then the story in time order" has_re "^STORY: [0-9]+ events, in time order"
keys u
text "^(al|fr)"
keys Enter
wait_until "a pattern offers the users it finds" has "No user is called ^(al|fr); 2 match it as a pattern:"
keys 2
wait_until "the chosen user's answer" has "User frank@example.com"
keys Escape
wait_until "Esc: back to the overview" has "COUNT  ANOMALY"
quit_ok "read-write"

# ------------------------------------------------------------ read-only
states0=$(q "SELECT group_concat(status) FROM (SELECT status FROM licenses ORDER BY id)")
start "read-only" --read-only
keys t
wait_until "t is refused read-only" has "Read-only (--read-only): a license transition would change"
if lacks "Move it to:" && lacks "Move which license"; then ok "nothing is asked"; else
    fail "read-only asked for a transition"; fi
after=$(q "SELECT group_concat(status) FROM (SELECT status FROM licenses ORDER BY id)")
if [ "$states0" = "$after" ]; then ok "read-only changed nothing"; else fail "read-only changed licenses: $states0 / $after"; fi
# a value from the database never makes a line of its own: bob's username
# with a newline, a fake answer and an escape sequence is shown escaped
sqlite3 "$DB" "UPDATE users SET username = 'evil' || char(10) || 'WHY: ok' || char(27) || '[31m' WHERE email = 'bob@example.com'"
keys u
text "bob@example.com"
keys Enter
wait_until "a hostile username is shown escaped" has 'evil\nWHY: ok\x1b[31m'
if screen | grep -q '^WHY: ok'; then fail "a value made a WHY line of its own"; else
    ok "no fake WHY line"; fi
# a right-to-left override in an email shows as ? in the list of users
sqlite3 "$DB" "UPDATE users SET email = 'evil' || char(8238) || 'gnp.exe@x.com' WHERE username = 'frank'"
keys u
text "^(al|fr)"
keys Enter
wait_until "a right-to-left override is shown, not obeyed" has "evil?gnp.exe@x.com"
keys Escape
quit_ok "read-only"

# ------------------------------------------------------------ no billing tables
sqlite3 "$T/other.db" "CREATE TABLE t (x INTEGER)"
DB="$T/other.db"
console_start "another database" 120 35 --db "$DB"
keys 4
wait_until "no billing tables: says which, and the setting" \
    has_text "no table users, subscriptions, licenses, license_events, jobs, audit_log (set"
wait_until "... in [billing]" has_text "in [billing] to the tables that hold them here"
quit_ok "no billing tables"

if [ "$failures" -gt 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
echo "all console licenses checks passed"
