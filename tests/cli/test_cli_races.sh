#!/bin/sh
# Runs that meet: a plan made before another run lands is refused under
# the run lock; Ctrl-C and SIGTERM stop the server's statement; the SQLite
# run lock holds through a symlinked path; a second run waits for a busy
# SQLite database instead of failing at connect; a state that cannot be
# read is "unknown".  Both engines where they apply.
#   test_cli_races.sh BIN SRC
. "$(dirname "$0")/lib.sh"

PSQL="psql -X -q -t -A -h $DBW_PG_HOST -p $DBW_PG_PORT -U postgres"
# a run that waits for another waits long enough on a busy machine
printf '[database]\nlock_wait = 120s\n' > "$T/wait.ini"
W="--config $T/wait.ini"

# chain ENGINE DIR: three small migrations; the third one takes seconds
chain() {
    mkdir -p "$2"
    printf -- '-- migrate:up\nCREATE TABLE one (id integer);\n-- migrate:down\nDROP TABLE one;\n' > "$2/0001_one.sql"
    printf -- '-- migrate:up\nCREATE TABLE two (id integer);\nINSERT INTO two VALUES (2);\n-- migrate:down\nDROP TABLE two;\n' > "$2/0002_two.sql"
    if [ "$1" = postgres ]; then
        slow="SELECT pg_sleep(2);"
    else
        slow="WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x+1 FROM c WHERE x<12000000) SELECT count(*) FROM c;"
    fi
    printf -- '-- migrate:up\nCREATE TABLE three (id integer);\n%s\n-- migrate:down\nDROP TABLE three;\n' "$slow" > "$2/0003_three.sql"
}

# running_slow ENGINE URL: waits until a run is inside the slow migration
running_slow() {
    i=0
    while [ $i -lt 100 ]; do
        if [ "$1" = postgres ]; then
            n=$($PSQL -d "$3" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$3' AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()")
            [ "$n" -gt 0 ] && return 0
        else
            [ -s "$2.dbwarden-lock" ] && { sleep 0.3; return 0; }
        fi
        sleep 0.1; i=$((i + 1))
    done
    fail "the slow migration never started"
}

pg_createdb races_pg
PGURL="postgresql://app:s3cret%21pw@/races_pg?host=$DBW_PG_HOST&port=$DBW_PG_PORT"

for engine in sqlite postgres; do
    D="$T/m_$engine"
    chain $engine "$D"
    if [ $engine = postgres ]; then
        URL=$PGURL; FILE=""; DBN=races_pg
        pg_createdb races_pg
    else
        FILE="$T/race.db"; URL="sqlite:///$FILE"; DBN=""
        rm -f "$FILE"
    fi
    tbl() { # tbl NAME: does the table exist?
        if [ $engine = postgres ]; then
            $PSQL -d races_pg -c "SELECT count(*) FROM pg_tables WHERE tablename = '$1'"
        else
            sqlite3 "$FILE" "SELECT count(*) FROM sqlite_master WHERE name = '$1'"
        fi
    }
    run "$engine-up2" 0 --db "$URL" --migrations "$D" up 0002

    # 1. down during an up: PostgreSQL plans at once ("roll back 0002") and
    # the up lands before down holds the lock: refused under the lock.
    # SQLite waits for the run first (its migration may keep readers out),
    # then plans "roll back 0003": never 0002 under a newer migration.
    "$BIN" --db "$URL" --migrations "$D" up >up.out 2>up.err & upid=$!
    running_slow $engine "$FILE" $DBN
    if [ $engine = postgres ]; then
        run "$engine-race-down" 1 --db "$URL" --migrations "$D" down --yes --no-backup
        has "$engine-race-down.err" "moved from 0002 to 0003 while you were confirming: nothing was done"
    else
        run "$engine-race-down" 0 $W --db "$URL" --migrations "$D" down --yes --no-backup
        has "$engine-race-down.out" "rolled back 0003_three"
    fi
    wait $upid || fail "$engine: the up that landed failed: $(cat up.err)"
    [ "$(tbl two)" = 1 ] && ok "$engine: 0002's table is still there" \
        || fail "$engine: down rolled back 0002 under a newer migration"
    if [ $engine = postgres ]; then
        [ "$(tbl three)" = 1 ] && ok "$engine: 0003 stays applied" || fail "$engine: 0003 is gone"
    else
        run "$engine-reup" 0 --db "$URL" --migrations "$D" up
    fi
    run "$engine-race-status" 0 --db "$URL" --migrations "$D" status --json
    jq_ok "$engine-race-status" '.current == ["0003"] and .applied == 3'

    # the same race for stamp
    run "$engine-down1" 0 --db "$URL" --migrations "$D" down --yes --no-backup
    "$BIN" --db "$URL" --migrations "$D" up >up.out 2>up.err & upid=$!
    running_slow $engine "$FILE" $DBN
    if [ $engine = postgres ]; then
        run "$engine-race-stamp" 1 --db "$URL" --migrations "$D" stamp 0001 --yes --no-backup
        has "$engine-race-stamp.err" "nothing was done"
    else
        run "$engine-race-stamp" 0 $W --db "$URL" --migrations "$D" stamp 0003 --yes --no-backup
        has "$engine-race-stamp.out" "nothing to do"
    fi
    wait $upid || fail "$engine: the up that landed failed: $(cat up.err)"
    run "$engine-race-status2" 0 --db "$URL" --migrations "$D" status --json
    jq_ok "$engine-race-status2" '.current == ["0003"] and .applied == 3'

    # 12. Ctrl-C (SIGINT) and SIGTERM on up: the server's statement stops,
    # the migration rolls back, the lock is free
    for sig in INT TERM; do
        run "$engine-down-$sig" 0 --db "$URL" --migrations "$D" down --yes --no-backup
        "$BIN" --db "$URL" --migrations "$D" up >sig.out 2>sig.err & upid=$!
        running_slow $engine "$FILE" $DBN
        kill -$sig $upid
        st=0; wait $upid || st=$?
        [ $st -eq 1 ] && ok "$engine: SIG$sig: exit 1" || fail "$engine: SIG$sig: exit $st"
        has sig.err "stopped by a signal"
        if [ $engine = postgres ]; then
            left=$($PSQL -d races_pg -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'races_pg' AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()")
            locks=$($PSQL -d races_pg -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = 'races_pg')")
            [ "$left" = 0 ] && [ "$locks" = 0 ] && ok "$engine: SIG$sig: no statement, no lock left on the server" \
                || fail "$engine: SIG$sig: $left statement(s) and $locks advisory lock(s) left on the server"
        fi
        [ "$(tbl three)" = 0 ] && ok "$engine: SIG$sig: 0003 rolled back" || fail "$engine: SIG$sig: 0003 half done"
        run "$engine-after-$sig" 0 --db "$URL" --migrations "$D" status --json
        jq_ok "$engine-after-$sig" '.current == ["0002"]'
    done
    run "$engine-finish" 0 --db "$URL" --migrations "$D" up
done

# 13. SQLite: the run lock belongs to the file, whatever the path: a run
# through a symlink waits for the run through the real path
FILE="$T/race.db"
ln -s "$FILE" "$T/link.db"
D="$T/m_sqlite"
run sl-down 0 --db "$FILE" --migrations "$D" down --yes --no-backup
"$BIN" --db "$FILE" --migrations "$D" up >up.out 2>up.err & upid=$!
running_slow sqlite "$FILE"
run sl-up 0 $W --db "$T/link.db" --migrations "$D" up --json
wait $upid || fail "the first run failed: $(cat up.err)"
jq_ok sl-up '.applied == [] and .current == ["0003"]'
has up.out "1 migration applied"

# 14. SQLite: a second run while a migration holds the database (a big
# insert keeps readers out) waits for the run lock, and names its holder
# when that takes too long, instead of failing at connect (exit 3,
# "database is locked")
printf -- '-- migrate:up\nCREATE TABLE big (x integer);\nINSERT INTO big WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x+1 FROM c WHERE x<8000000) SELECT x FROM c;\nWITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x+1 FROM c WHERE x<25000000) SELECT count(*) FROM c;\n-- migrate:down\nDROP TABLE big;\n' > "$D/0004_big.sql"
"$BIN" --db "$FILE" --migrations "$D" up >up.out 2>up.err & upid=$!
running_slow sqlite "$FILE"
sleep 2
set +e
"$BIN" $W --db "$FILE" --migrations "$D" up --json >busy.out 2>busy.err </dev/null
st=$?
set -e
wait $upid || fail "the first run failed: $(cat up.err)"
lacks busy.err "database is locked"
if [ $st -eq 0 ]; then
    jq_ok busy '.current == ["0004"] and .applied == []'
elif [ $st -eq 1 ]; then
    has busy.err "holds the lock"
else
    fail "a second run on a busy database: exit $st"; cat busy.err >&2
fi
[ ! -e "$FILE.dbwarden-lock" ] && ok "no lock file stays beside the database" \
    || fail "the lock file stays: $(ls -l "$FILE.dbwarden-lock")"

# 17. a server gone in the middle of up: the state is unknown, not "no version"
pg_createdb races_pg
D="$T/m_crash"
mkdir -p "$D"
printf -- '-- migrate:up\nCREATE TABLE one (id integer);\n-- migrate:down\nDROP TABLE one;\n' > "$D/0001_one.sql"
printf -- '-- migrate:up\nSELECT pg_terminate_backend(pg_backend_pid());\n-- migrate:down\nSELECT 1;\n' > "$D/0002_gone.sql"
run crash 3 --db "$PGURL" --migrations "$D" up
has crash.err "the database is at an unknown version"
lacks crash.err "no version"

finish
