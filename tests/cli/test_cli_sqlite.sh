#!/bin/sh
# Command-line tests against a real SQLite file.
. "$(dirname "$0")/lib.sh"
ENGINE=sqlite
URL="sqlite:///$T/app.db"
. "$(dirname "$0")/migrate_checks.sh"

# the other spellings of a SQLite database
run plainpath 0 --db "$T/app.db" --migrations "$M" status --json
jq_ok plainpath ".applied == $N"
run relative 0 --db "sqlite:///app.db" --migrations "$M" status --json
jq_ok relative ".applied == $N"
DATABASE_URL="sqlite+pysqlite:///app.db" run envurl 0 --migrations "$M" status --json
jq_ok envurl ".applied == $N"

# up to a target, on a new file
run target 0 --db "sqlite:///target.db" --migrations "$M" up 0003 --json
jq_ok target '.current == ["0003"] and (.applied | length) == 3'

# the demo command builds a database without a terminal
run demo 0 --db demo.db --migrations "$M" demo
has demo.out "demo database ready: demo.db"
run demostatus 0 --db demo.db --migrations "$M" status --json
jq_ok demostatus ".applied == $N"
run demoagain 0 --db demo.db --migrations "$M" demo
# without a migrations folder, applied versions are applied: no problems
run nofolder 0 --db demo.db status --json
jq_ok nofolder ".problems == [] and .applied == $N and .pending == 0"
run nofoldertext 0 --db demo.db status
lacks nofoldertext.out "problem"
run nofolderhist 0 --db demo.db history --json
jq_ok nofolderhist "[.migrations[].state] | unique == [\"applied\"]"
# --read-only refuses demo too: the demo database is not rebuilt
sqlite3 demo.db "CREATE TABLE kept (x integer)"
run demoro 2 --db demo.db --migrations "$M" --read-only demo
has demoro.err "read-only"
[ "$(sqlite3 demo.db "SELECT count(*) FROM sqlite_master WHERE name = 'kept'")" = 1 ] \
    && ok "--read-only demo left the demo database alone" || fail "--read-only demo rebuilt the demo database"
if ls | grep -q 'tmp-'; then fail "demo left a temporary file: $(ls | grep tmp-)"; else ok "demo leaves no temporary file"; fi
# demo never replaces a database it did not make, nor the configured one
printf '[database]\nurl = app.db\n' > demo.ini
run democonfig 0 --config demo.ini --migrations "$M" demo
has democonfig.out "demo database ready: demo.db"
run demoprecious 2 --db app.db --migrations "$M" demo
has demoprecious.err "app.db exists and is not a demo database"
run appintact 0 --db app.db --migrations "$M" status --json
jq_ok appintact ".applied == $N"

# an empty database, with no folder and with an empty folder
touch empty.db
mkdir emptydir
run emptystatus 0 --db empty.db status --json
jq_ok emptystatus '.current == [] and .applied == 0 and .pending == 0'
run emptydir 0 --db empty.db --migrations emptydir status --json
jq_ok emptydir '.current == [] and .heads == [] and .pending == 0'
run emptyup 0 --db empty.db --migrations emptydir up
has emptyup.out "nothing to do"

# a database another tool manages: status and history say which, read-only
sqlite3 goose.db "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now'))); INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (20240101000000, 1), (20240202000000, 1);"
run goose 0 --db goose.db status --json
jq_ok goose '.source == "goose" and .current == ["20240202000000"]'
run goosehistory 0 --db goose.db history --json
jq_ok goosehistory '.migrations | length >= 2'
finish
