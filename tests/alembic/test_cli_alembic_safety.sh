#!/bin/sh
# Command-line tests of the Alembic safety rules, with the real alembic:
#   down on branches and merges: explicit targets, the revisions named, the
#     same change in --dry-run as in the real run, a choice required;
#   the database alembic connects to: sqlalchemy.url when nothing else
#     names one, dbwarden's URL handed over in an environment variable, a
#     refusal when the ini names another database, a failure when alembic
#     did not do what was planned;
#   plan under the lock: an upgrade that lands while down waits for the
#     run lock makes it refuse, before its backup.
# Usage: test_cli_alembic_safety.sh DBWARDEN SRC sqlite|postgres
. "$2/tests/cli/lib.sh"
ENGINE=$3
P="$SRC/tests/alembic/project/alembic.ini"
export PYTHONDONTWRITEBYTECODE=1
unset DATABASE_URL
pgq() { psql -X -A -t -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d "$1" -c "$2"; }
if [ "$ENGINE" = postgres ]; then
    for d in mine mine2 mine3 other; do pg_createdb "it_alsafe_$d"; done
    url() { echo "postgresql://app:s3cret%21pw@/it_alsafe_$1?host=$DBW_PG_HOST&port=$DBW_PG_PORT"; }
    MINE=$(url mine) MINE2=$(url mine2) MINE3=$(url mine3)
    # in an ini a percent sign is written %%
    OTHER_INI="postgresql://app:s3cret%%21pw@/it_alsafe_other?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
    OTHER_SHOWN="postgresql://app:***@/it_alsafe_other?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
    # a libpq keyword string: alembic gets it as a URL
    MINE2_GIVEN="host=$DBW_PG_HOST port=$DBW_PG_PORT dbname=it_alsafe_mine2 user=app password=s3cret!pw"
    MINE2_CHILD="/it_alsafe_mine2?host=%2F"
    MINE3_ALEMBIC=$MINE3
    has_table() { [ "$(pgq "it_alsafe_$1" "SELECT count(*) FROM pg_tables WHERE tablename = '$2'")" = 1 ]; }
else
    MINE="sqlite:///$T/mine.db" MINE2="sqlite:///$T/mine2.db" MINE3="sqlite:///$T/mine3.db"
    touch mine.db mine2.db mine3.db
    OTHER_INI="sqlite:///other.db"          # relative: to the ini's folder
    OTHER_SHOWN="sqlite:///$T/p4/other.db"
    MINE2_GIVEN="sqlite:///mine2.db"        # relative to here; alembic runs elsewhere
    MINE2_CHILD="url=sqlite:///$T/mine2.db"
    MINE3_ALEMBIC=$MINE3
    has_table() {
        f=$T/$1.db
        [ "$1" = other ] && f=$T/p4/other.db
        [ "$(sqlite3 "$f" "SELECT count(*) FROM sqlite_master WHERE name = '$2'")" = 1 ]
    }
fi
table_ok() { if has_table "$1" "$2"; then ok "$1 has $2"; else fail "$1 lacks table $2"; fi; }
no_table() { if has_table "$1" "$2"; then fail "$1 has table $2"; else ok "$1 has no $2"; fi; }

# ----------------------------------------------- down on branches, merges
A="--db $MINE --alembic $P"
run b1 0 $A up 3c4d5e6f7081
run b2 0 $A up 4d5e6f708192
# two current heads: down says which it could roll back, and does nothing
run b3 2 $A --yes down
has b3.err "the database has 2 current revisions (3c4d5e6f7081, 4d5e6f708192)"
has b3.err "down 3c4d5e6f7081"
run b3s 0 $A status --json
jq_ok b3s '.current == ["3c4d5e6f7081", "4d5e6f708192"]'
# the head named goes, by an explicit target; the preview is the same change
run b4 0 $A --dry-run down 4d5e6f708192 --json
jq_ok b4 '.command == "alembic -c alembic.ini downgrade 4d5e6f708192:4d5e6f708192@2b3c4d5e6f70 --sql"'
jq_ok b4 '.plan.revisions == ["4d5e6f708192"] and (.output | map(select(test("DROP TABLE audit_log"))) | length == 1)'
run b5 0 $A --yes down 4d5e6f708192 --json
jq_ok b5 '.command == "alembic -c alembic.ini downgrade 4d5e6f708192@2b3c4d5e6f70"'
jq_ok b5 '.current == ["3c4d5e6f7081"] and .error == null and .plan.summary == "roll back 4d5e6f708192 (create audit_log)"'
no_table mine audit_log
table_ok mine invoices
# at a merge: the merge alone goes
run b6 0 $A up
run b7 0 $A --yes down
run b8 0 $A --dry-run down --json
jq_ok b8 '.command == "alembic -c alembic.ini downgrade 5e6f708192a3:5e6f708192a3@3c4d5e6f7081 --sql"'
jq_ok b8 '.output | map(select(test("DROP TABLE jobs"))) | length == 1'
run b9 0 $A --yes down --json
jq_ok b9 '.command == "alembic -c alembic.ini downgrade 5e6f708192a3@3c4d5e6f7081"'
jq_ok b9 '.current == ["3c4d5e6f7081", "4d5e6f708192"] and .error == null'
no_table mine jobs
table_ok mine audit_log
# steps: through a merge is refused; up to it is fine
run b10 0 $A up
run b11 2 $A --yes down 3
has b11.err "past the merge 5e6f708192a3"
run b12 0 $A --yes down 2 --json
jq_ok b12 '.plan.revisions == ["6f708192a3b4", "5e6f708192a3"] and .current == ["3c4d5e6f7081", "4d5e6f708192"]'
# a dry run that Alembic cannot show as one change is refused, not faked
run b13 1 $A --dry-run down 2b3c4d5e6f70
has b13.err "--sql preview walks down one branch"

# ------------------------------------------- the database alembic changes
# p4: Alembic's own template env.py, which reads sqlalchemy.url
mkdir -p p4/migrations/versions p5/migrations/versions
for p in p4 p5; do
    cp "$SRC"/tests/alembic/project/migrations/versions/*.py "$p/migrations/versions/"
    cp "$SRC/tests/alembic/project/migrations/script.py.mako" "$p/migrations/"
done
cat > p4/migrations/env.py <<'PY'
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=None,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
PY
printf '[alembic]\nscript_location = %%(here)s/migrations\nsqlalchemy.url = %s\n' "$OTHER_INI" \
    > p4/alembic.ini
P4=$T/p4/alembic.ini
# p5: env.py as the README says (DATABASE_URL first); the template's placeholder
cp "$SRC/tests/alembic/project/migrations/env.py" p5/migrations/env.py
sed 's|^\[alembic\]$|[alembic]\nsqlalchemy.url = driver://user:pass@localhost/dbname|' "$P" \
    > p5/alembic.ini
P5=$T/p5/alembic.ini

# nothing else names a database: the one in sqlalchemy.url (relative to the ini)
run u1 0 --alembic "$P4" up --json
jq_ok u1 '.current == ["6f708192a3b4"] and .error == null'
run u2 0 --alembic "$P4" status --json
jq_ok u2 ".database == \"$OTHER_SHOWN\" and .current == [\"6f708192a3b4\"]"
table_ok other licenses
# --db names another one: up, down and stamp refuse before anything
run u3 2 --db "$MINE2" --alembic "$P4" --yes down 1a2b3c4d5e6f
has u3.err "sqlalchemy.url names $OTHER_SHOWN, but dbwarden works on"
has u3.err "Nothing was done"
lacks u3.err "s3cret"
lacks u3.err "backup before"
run u4 2 --db "$MINE2" --alembic "$P4" up
run u5 2 --db "$MINE2" --alembic "$P4" --yes stamp base
if ls backups/*mine2-* >/dev/null 2>&1; then fail "a backup was taken before a refusal"; else
    ok "no backup before a refusal"; fi
run u6 0 --alembic "$P4" status --json
jq_ok u6 '.current == ["6f708192a3b4"]'
table_ok other projects
# alembic_url_from_env = yes, but env.py reads sqlalchemy.url anyway: alembic
# changes the other database, and dbwarden, reading its own again, fails
printf '[migrations]\nalembic_url_from_env = yes\n' > fromenv.ini
run u7 1 --config fromenv.ini --db "$MINE2" --alembic "$P4" up
has u7.err "holds nothing applied, not 6f708192a3b4 as planned"
no_table mine2 users
# an env.py that reads DATABASE_URL, which dbwarden sets (from a relative
# SQLite path, or a keyword string: the same database for alembic)
run u8 0 --db "$MINE2_GIVEN" --alembic "$P5" up --json
jq_ok u8 '.current == ["6f708192a3b4"] and .error == null'
table_ok mine2 licenses
# the variable's name is a setting
cat > envname.ini <<'INI'
[migrations]
alembic_url_env = MY_DB
alembic_command = sh -c 'echo "url=${MY_DB#*@}"; exit 3' alembic
INI
run u9 1 --config envname.ini --db "$MINE2_GIVEN" --alembic "$P5" --yes down
has u9.out "$MINE2_CHILD"
lacks u9.out "s3cret"
# bad settings name the file and line
printf '[migrations]\nalembic_url_from_env = maybe\n' > bad1.ini
run u10 2 --config bad1.ini --alembic "$P5" status
has u10.err "bad1.ini:2"
printf '[migrations]\nalembic_url_env = 9DB\n' > bad2.ini
run u11 2 --config bad2.ini --alembic "$P5" status
has u11.err "not an environment variable name"

# ------------------------------------------------ plan under the run lock
A3="--db $MINE3 --alembic $P"
run r0 0 $A3 up 2b3c4d5e6f70
# someone holds dbwarden's run lock
if [ "$ENGINE" = postgres ]; then
    (echo "SELECT pg_advisory_lock(1145197380, hashtext('migrations'));"
     i=0; while [ ! -e "$T/release" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done) |
        psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d it_alsafe_mine3 >held.out &
    holder=$!
    held() {
        [ "$(pgq it_alsafe_mine3 "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
             AND granted AND classid = 1145197380")" -gt 0 ]
    }
    waiting() {
        [ "$(pgq postgres "SELECT count(*) FROM pg_stat_activity WHERE datname = 'it_alsafe_mine3'
             AND query LIKE '/* lock: try run lock */%'")" -gt 0 ]
    }
else
    flock "$T/mine3.db.dbwarden-lock" sh -c "touch '$T/held'; i=0; while [ ! -e '$T/release' ] \
        && [ \$i -lt 600 ]; do sleep 0.05; i=\$((i + 1)); done" &
    holder=$!
    held() { [ -e "$T/held" ]; }
    waiting() { ls -l "/proc/$pid/fd" 2>/dev/null | grep -q dbwarden-lock; }
fi
poll() { i=0; while ! "$@" && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done; "$@"; }
poll held || fail "race: the lock was not taken"
# down plans (roll back 2b3c4d5e6f70) and waits for the lock
"$BIN" $A3 --yes down >race.out 2>race.err </dev/null &
pid=$!
poll waiting || fail "race: dbwarden never waited for the lock"
# meanwhile an upgrade lands
if (cd "$SRC/tests/alembic/project" && DATABASE_URL=$MINE3_ALEMBIC alembic -c alembic.ini \
        upgrade 3c4d5e6f7081) >landed.out 2>&1; then ok "race: an upgrade landed"; else
    fail "race: the upgrade failed"; sed 's/^/    /' landed.out >&2; fi
touch "$T/release"
set +e
wait $pid
got=$?
wait $holder
set -e
if [ $got -eq 1 ]; then ok "race: down failed"; else fail "race: down exited with $got"; fi
has race.err "the database moved from 2b3c4d5e6f70 to 3c4d5e6f7081"
has race.err "nothing was done"
lacks race.err "backup before"
run r1 0 $A3 status --json
jq_ok r1 '.current == ["3c4d5e6f7081"]'
table_ok mine3 invoices
table_ok mine3 projects
finish
