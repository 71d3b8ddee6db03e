#!/bin/sh
# Command-line tests of an Alembic project with the real alembic command.
# Usage: test_cli_alembic.sh DBWARDEN SRC sqlite|postgres
. "$2/tests/cli/lib.sh"
ENGINE=$3
P="$SRC/tests/alembic/project/alembic.ini"
export PYTHONDONTWRITEBYTECODE=1
if [ "$ENGINE" = postgres ]; then
    pg_createdb it_alembic_cli
    URL="postgresql://app:s3cret%21pw@/it_alembic_cli?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
    ENGINE_NAME=postgresql
else
    URL="sqlite:///$T/app.db"   # absolute: alembic runs in the project's folder
    touch "$T/app.db"
    ENGINE_NAME=sqlite
fi
# the test project's env.py reads DATABASE_URL, which dbwarden sets
A="--db $URL --alembic $P"

# nothing applied
run status0 0 $A status --json
jq_ok status0 ".source == \"alembic\" and .engine == \"$ENGINE_NAME\" and .current == [] and .heads == [\"6f708192a3b4\"] and .applied == 0 and .pending == 6 and .problems == [] and .table_exists == false"
run history0 0 $A history --json
jq_ok history0 '.migrations | length == 6 and all(.state == "pending") and all(.applied_at == null)'
jq_ok history0 '.migrations[0].version == "6f708192a3b4" and .migrations[0].is_head and .migrations[0].name == "create licenses"'
jq_ok history0 '[.migrations[] | select(.version == "5e6f708192a3")][0].down_revisions == ["3c4d5e6f7081", "4d5e6f708192"]'
jq_ok history0 '[.migrations[] | select(.version == "3c4d5e6f7081")][0].branch_labels == ["billing"]'
jq_ok history0 '.migrations[-1].version == "1a2b3c4d5e6f" and .migrations[-1].down_revisions == [] and (.migrations[-1].file | endswith("1a2b3c4d5e6f_create_users.py"))'

# part of one branch
run up1 0 $A up 3c4d5e6f7081
has up1.out "Running upgrade 2b3c4d5e6f70 -> 3c4d5e6f7081, create invoices"
has up1.out "current     3c4d5e6f7081"
run status1 0 $A status --json
jq_ok status1 '.current == ["3c4d5e6f7081"] and .applied == 3 and .pending == 3 and .table_exists'
run history1 0 $A history
has history1.out "* | 3c4d5e6f7081 (current, billing) [applied] <- 2b3c4d5e6f70, create invoices"
has history1.out "| * 4d5e6f708192 [pending] <- 2b3c4d5e6f70, create audit_log"
has history1.out "|\\"
has history1.out "|/"
run history1j 0 $A history --json
jq_ok history1j '[.migrations[] | select(.is_current)] | length == 1 and .[0].version == "3c4d5e6f7081"'
jq_ok history1j '[.migrations[] | select(.state == "applied") | .version] | sort == ["1a2b3c4d5e6f", "2b3c4d5e6f70", "3c4d5e6f7081"]'
run statustext 0 $A status
has statustext.out "current     3c4d5e6f7081"
has statustext.out "pending     3"

# a dry run shows the SQL and changes nothing
run dry 0 $A --dry-run up
has dry.out "CREATE TABLE audit_log"
has dry.out "UPDATE alembic_version"
run status2 0 $A status --json
jq_ok status2 '.current == ["3c4d5e6f7081"] and .pending == 3'

# read-only refuses changes, not dry runs
run ro 2 $A --read-only up
has ro.err "--read-only"
run rodry 0 $A --read-only --dry-run up
run status3 0 $A status --json
jq_ok status3 '.pending == 3'

# everything
run up2 0 $A up --json
jq_ok up2 '.exit_status == 0 and .current == ["6f708192a3b4"] and .pending == 0 and .error == null and (.output | map(select(test("Running upgrade"))) | length == 3)'

# down needs confirmation
run down0 1 $A down
has down0.err "needs confirmation"
has down0.err "downgrade 6f708192a3b4@5e6f708192a3"
has down0.err "roll back 6f708192a3b4 (create licenses)"
run status4 0 $A status --json
jq_ok status4 '.current == ["6f708192a3b4"]'
run downdry 0 $A --dry-run down
has downdry.out "DROP TABLE licenses"
run down1 0 $A --yes down 1
has down1.out "Running downgrade 6f708192a3b4 -> 5e6f708192a3"
run status5 0 $A status --json
jq_ok status5 '.current == ["5e6f708192a3"] and .pending == 1'

# stamp
run stamp0 2 $A --yes stamp
run stamp1 0 $A --yes stamp 1a2b3c4d5e6f --json
jq_ok stamp1 '.exit_status == 0 and .current == ["1a2b3c4d5e6f"] and .pending == 5'
run ronly 2 $A --read-only --yes stamp base
has ronly.err "--read-only"

# alembic fails (the tables exist: the stamp lied): status and output come back
run upfail 1 $A up --json
jq_ok upfail '.exit_status != 0 and (.error | type == "string") and .current == ["1a2b3c4d5e6f"]'
run upfailtext 1 $A up
has upfailtext.err "exited with status"

# alembic_command from the configuration file
touch go
cat > dbwarden.ini <<INI
[migrations]
alembic_command = sh '$SRC/tests/alembic/fake_alembic.sh'
INI
# a stand-in that exits 0 but changes nothing: dbwarden reads alembic_version
# again and says so, not "ok"
FAKE_GO="$T/go" run fake 1 --config dbwarden.ini $A up
has fake.out "args: -c alembic.ini upgrade heads"
has fake.out "went on"
has fake.err "holds 1a2b3c4d5e6f, not 6f708192a3b4 as planned"

# a broken project: every problem kind, with its files
run broken 1 --db "$URL" --alembic "$SRC/tests/alembic/broken/alembic.ini" status --json
jq_ok broken '[.problems[].kind] | sort == ["bad_id", "cycle", "duplicate_id", "missing_parent", "multiple_heads", "no_revision", "unknown_current"]'
jq_ok broken '[.problems[] | select(.kind == "missing_parent")][0].files[0] | endswith("versions/b1_orphan.py")'
jq_ok broken '[.problems[] | select(.kind == "duplicate_id")][0].files | length == 2'
jq_ok broken '.current == ["1a2b3c4d5e6f"] and .problems[0].message != null'
run brokentext 1 --db "$URL" --alembic "$SRC/tests/alembic/broken/alembic.ini" status
has brokentext.out "problem     cycle: revisions x5 -> y6 -> x5"

# a missing project
run missing 1 --db "$URL" --alembic "$T/nope/alembic.ini" status
has missing.err "nope/alembic.ini"
finish
