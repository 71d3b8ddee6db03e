#!/bin/sh
# `dbwarden seed` on PostgreSQL: demo through COPY (orphans planted with
# session_replication_role = replica), a second run adds nothing, the
# application's next key comes after the seeded block; a role that may not
# plant orphans gets the demo without them, and is told; Ctrl-C during a
# COPY stops the server's statement and keeps nothing; reset after a
# pg_dump backup removes only the seeded rows.
#   test_cli_seed_pg.sh BIN SRC
. "$(dirname "$0")/lib.sh"
M="$SRC/migrations/postgres"
PSQL="psql -X -q -At -h $DBW_PG_HOST -p $DBW_PG_PORT -U postgres"
$PSQL -d postgres -c "GRANT SET ON PARAMETER session_replication_role TO app"
pg_createdb seed_cli_pg
URL="postgresql://app:s3cret%21pw@/seed_cli_pg?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
q() { $PSQL -d seed_cli_pg -c "$1"; }

run up 0 --db "$URL" --migrations "$M" up
q "INSERT INTO users (email, username) VALUES ('own@app.org', 'own')"
run dry 0 --db "$URL" seed demo --dry-run
has dry.out "COPY users FROM STDIN;  -- 13 rows"
run demo 0 --db "$URL" seed demo --json
jq_ok demo '.inserted == 118 and .tables.users == 13 and .warning == null'
[ "$(q "SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id)")" = 2 ] \
    && ok "heidi (and our own user) have no subscription" || fail "users without a subscription"
[ "$(q "SELECT count(*) FROM licenses l WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = l.user_id)")" = 1 ] \
    && ok "a license of a missing user, planted past the foreign key" || fail "no orphan license"
run again 0 --db "$URL" seed demo
has again.out "0 new rows; 118 already seeded"
# the application's next user comes after the seeded block
q "INSERT INTO users (email, username) VALUES ('next@app.org', 'next')"
[ "$(q "SELECT id > (SELECT max(id) FROM users WHERE username <> 'next') FROM users WHERE username = 'next'")" = t ] \
    && ok "the sequence was moved past the block" || fail "the application's next key is inside the seeded block"

# scale through COPY, with progress
run scale 0 --db "$URL" seed scale --scale 3000 --seed 11 --json
jq_ok scale '.inserted > 20000 and .tables.users == 3000'
has scale.err "rows/s"

# Ctrl-C during a COPY: the server's statement stops, nothing stays
before=$(q "SELECT count(*) FROM users")
"$BIN" --db "$URL" seed scale --scale 400000 --seed 12 >int.out 2>int.err & pid=$!
i=0
while ! grep -q "rows/s" int.err 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
kill -INT $pid
st=0; wait $pid || st=$?
[ $st -eq 1 ] && ok "Ctrl-C: exit 1" || fail "Ctrl-C: exit $st"
has int.err "stopped by a signal"
[ "$(q "SELECT count(*) FROM users")" = "$before" ] && ok "Ctrl-C: nothing kept" || fail "Ctrl-C kept rows"
left=$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = 'seed_cli_pg' AND query LIKE '%COPY%' AND pid <> pg_backend_pid()")
locks=$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = 'seed_cli_pg')")
[ "$left" = 0 ] && [ "$locks" = 0 ] && ok "Ctrl-C: no COPY, no lock left on the server" \
    || fail "Ctrl-C: $left COPY and $locks advisory locks left"

# reset: a backup first (pg_dump), only the seeded rows go
run reset 0 --db "$URL" seed --reset --yes --json
jq_ok reset '.action == "reset" and (.runs | length) == 2 and (.backup | test("dump"))'
[ "$(q "SELECT string_agg(username, ',' ORDER BY username) FROM users")" = "next,own" ] \
    && ok "reset kept the application's rows" || fail "after reset: $(q "SELECT string_agg(username, ',') FROM users")"
[ "$(q "SELECT count(*) FROM jobs") $(q "SELECT count(*) FROM dbwarden_seed_runs")" = "0 0" ] \
    && ok "no seeded row, no run left" || fail "seeded rows or runs left"

# a role that may not set session_replication_role: demo without orphans
$PSQL -d postgres -c "DROP DATABASE IF EXISTS seed_noset_pg WITH (FORCE)" \
    -c "DROP ROLE IF EXISTS seed_noset" \
    -c "CREATE ROLE seed_noset LOGIN PASSWORD 'noset'" \
    -c "CREATE DATABASE seed_noset_pg OWNER seed_noset"
NURL="postgresql://seed_noset:noset@/seed_noset_pg?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
run nsup 0 --db "$NURL" --migrations "$M" up
run nsdemo 0 --db "$NURL" seed demo --json
jq_ok nsdemo '.inserted == 109 and (.warning | test("9 orphan rows .and the rows under them. are left out"))'
[ "$($PSQL -d seed_noset_pg -c "SELECT count(*) FROM licenses l WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = l.user_id)")" = 0 ] \
    && ok "no orphans planted without the privilege" || fail "orphans planted without the privilege"
$PSQL -d postgres -c "DROP DATABASE seed_noset_pg WITH (FORCE)" -c "DROP ROLE seed_noset"
finish
