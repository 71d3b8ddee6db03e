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
finish
