#!/bin/sh
# `dbwarden seed` on SQLite: the dry run writes nothing; demo seeds and a
# second run adds nothing and says so; seed list; reset asks, takes a
# backup, removes only the seeded rows; production refuses without
# --force, --read-only always; bad arguments and a database that is not
# the reference schema are usage errors; Ctrl-C in the middle leaves the
# database as it was; `demo` builds a database that opens on seeded data.
#   test_cli_seed.sh BIN SRC
. "$(dirname "$0")/lib.sh"
M="$SRC/migrations/sqlite"
q() { sqlite3 "$T/app.db" "$1"; }

run up 0 --db app.db --migrations "$M" up
q "INSERT INTO users (email, username) VALUES ('own@app.org', 'own')"

# the dry run: the plan, nothing written
run dry 0 --db app.db seed demo --dry-run
has dry.out "seed demo: 118 new rows in 12 tables"
has dry.out "users                              13 new rows"
has dry.out "BEGIN IMMEDIATE;"
[ "$(q "SELECT count(*) FROM users")" = 1 ] && ok "dry run wrote nothing" || fail "dry run wrote rows"
[ -z "$(q "SELECT name FROM sqlite_master WHERE name = 'dbwarden_seed_runs'")" ] \
    && ok "dry run made no ledger" || fail "dry run made the ledger"
run dryjson 0 --db app.db seed demo --dry-run --json
jq_ok dryjson '.action == "seed" and .rows == 118 and (.tables | length) == 12 and .already == 0'

# seed demo, progress on stderr
run demo 0 --db app.db seed demo --json
jq_ok demo '.inserted == 118 and .already == 0 and .tables.users == 13 and .run == 1'
has demo.err "rows/s"
[ "$(q "SELECT count(*) FROM users")" = 14 ] && ok "13 users seeded beside ours" || fail "users: $(q "SELECT count(*) FROM users")"
# again: nothing new, and it says so
run again 0 --db app.db seed demo
has again.out "0 new rows; 118 already seeded"
run againjson 0 --db app.db seed demo --json
jq_ok againjson '.inserted == 0 and .already == 118 and .run == null'
# one row deleted by hand (in a copy): one new row, said in the singular
cp "$T/app.db" "$T/one.db"
sqlite3 "$T/one.db" "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"
run one_dry 0 --db one.db seed demo --dry-run
has one_dry.out "seed demo: 1 new row in 1 table; 117 already seeded"

# seed list
run list 0 --db app.db seed list
has list.out "RUNS"
has list.out "demo"
run listjson 0 --db app.db seed list --json
jq_ok listjson '(.runs | length) == 1 and .runs[0].set == "demo" and .runs[0].rows == 118 and ([.seeded[] | select(.table == "users") | .rows] == [13]) and (.sets | map(.name)) == ["demo", "scale", "files"]'

# bad arguments
run bogus 2 --db app.db seed bogus
has bogus.err "unknown seed set 'bogus'"
run noscale 2 --db app.db seed scale
has noscale.err "scale needs --scale N"
run badscale 2 --db app.db seed scale --scale 12x
has badscale.err "--scale '12x'"
run badjson 2 --db app.db seed scale --scale 0 --json
jq_ok badjson '.error.exit_status == 2'
run listargs 2 --db app.db seed list --reset
# a database that is not the reference schema
sqlite3 other.db "CREATE TABLE users (id integer PRIMARY KEY)"
run notref 2 --db other.db seed demo
has notref.err "missing tables: workspaces"
has notref.err "missing columns: users.email"
[ -z "$(sqlite3 other.db "SELECT name FROM sqlite_master WHERE name LIKE 'dbwarden_%'")" ] \
    && ok "nothing written to a foreign schema" || fail "a foreign schema got the ledger"

# read-only and production
run ro 2 --db app.db --read-only seed demo
has ro.err "--read-only"
run roreset 2 --db app.db --read-only seed --reset
printf '[database]\nurl = app.db\nenvironment = production\n' > prod.ini
run prod 2 --config prod.ini seed scale --scale 5
has prod.err "production database: seed refused; give --force"
run prodreset 2 --config prod.ini seed --reset
has prodreset.err "reset refused; give --force"
run prodforce 1 --config prod.ini seed scale --scale 5 --force
has prodforce.err "needs confirmation"
run prodyes 0 --config prod.ini seed scale --scale 5 --force --yes
has prodyes.out "seeded scale --scale 5 --seed 1"

# reset: a row of ours referencing a seeded one refuses it, naming the row
q "INSERT INTO projects (workspace_id, name) SELECT id, 'ours' FROM workspaces WHERE name = 'Alice Studio'"
run refused 1 --db app.db seed --reset --yes --no-backup
has refused.err "reset refused"
has refused.err "references seeded workspaces"
[ "$(q "SELECT count(*) FROM users")" -gt 14 ] && ok "refused reset deleted nothing" || fail "a refused reset deleted rows"
q "DELETE FROM projects WHERE name = 'ours'"
run resetdry 0 --db app.db seed demo --reset --dry-run
has resetdry.out "DELETE FROM jobs WHERE id BETWEEN"
run resetconfirm 1 --db app.db seed demo --reset
has resetconfirm.err "needs confirmation"
run reset 0 --db app.db seed demo --reset --yes --json
jq_ok reset '.action == "reset" and .deleted == 118 and .runs == [1] and (.backup | test("backups/"))'
[ "$(q "SELECT group_concat(username) FROM users WHERE email NOT LIKE '%.example'")" = own ] \
    && ok "reset kept our row only" || fail "after reset: $(q "SELECT group_concat(username) FROM users")"
ls backups/*.sqlite3 >/dev/null 2>&1 && ok "a backup before the reset" || fail "no backup before the reset"
run resetall 0 --db app.db seed --reset --yes --no-backup
[ "$(q "SELECT count(*) FROM users")" = 1 ] && ok "every seeded row gone" || fail "users left: $(q "SELECT count(*) FROM users")"
run nothing 0 --db app.db seed --reset --yes
has nothing.out "nothing to reset"

# Ctrl-C in the middle: rolled back, as it was
before=$(q "SELECT count(*) FROM users")
"$BIN" --db app.db seed scale --scale 400000 >int.out 2>int.err & pid=$!
i=0
while ! grep -q "rows/s" int.err 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
kill -INT $pid
st=0; wait $pid || st=$?
[ $st -eq 1 ] && ok "Ctrl-C: exit 1" || fail "Ctrl-C: exit $st"
has int.err "stopped by a signal"
[ "$(q "SELECT count(*) FROM users")" = "$before" ] && ok "Ctrl-C: nothing kept" || fail "Ctrl-C kept rows"
[ "$(q "SELECT count(*) FROM dbwarden_seed_runs")" = 0 ] && ok "Ctrl-C: no run in the ledger" || fail "Ctrl-C left a run"

# SQL seed files from [seed] dir
mkdir seeds
printf "INSERT INTO users (email, username) VALUES ('s1@seed.org', 's1');\n" > seeds/0001_a.sql
printf "INSERT INTO users (email, username) VALUES ('s2@seed.org', 's2');\n" > seeds/0002_b.sql
printf '[seed]\ndir = seeds\n' > dbwarden.ini
run files 0 --db app.db seed --json
jq_ok files '.files_run == 2 and .inserted == 2'
run files2 0 --db app.db seed
has files2.out "0 new rows: files seeded already"
run onefile 0 --db app.db seed seeds/0001_a.sql
has onefile.out "seeded already"

# make demo's database opens on seeded data
run builddemo 0 --db demo.db --migrations "$M" demo
sqlite3 demo.db "SELECT count(*) FROM users" > demo.count
[ "$(cat demo.count)" = 13 ] && ok "the demo database has the demo set" || fail "demo users: $(cat demo.count)"
run demolist 0 --db demo.db seed list --json
jq_ok demolist '.runs[0].set == "demo"'
finish
