#!/bin/sh
# Command-line tests against the real PostgreSQL test server, through a URL
# that carries a password: the password must never be printed.
. "$(dirname "$0")/lib.sh"
ENGINE=postgres
pg_createdb cli_pg
URL="postgresql://app:s3cret%21pw@/cli_pg?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
. "$(dirname "$0")/migrate_checks.sh"

# other spellings: SQLAlchemy's +driver form and a libpq keyword string
run alchemy 0 --db "postgresql+psycopg2://app:s3cret%21pw@/cli_pg?host=$DBW_PG_HOST&port=$DBW_PG_PORT" --migrations "$M" status --json
jq_ok alchemy ".applied == $N and (.database | contains(\"app:***@\"))"
run keywords 0 --db "host=$DBW_PG_HOST port=$DBW_PG_PORT dbname=cli_pg user=app password=s3cret!pw" --migrations "$M" status --json
jq_ok keywords ".applied == $N and (.database | contains(\"password=***\"))"
DATABASE_URL="$URL" run envurl 0 --migrations "$M" status --json
jq_ok envurl ".applied == $N"

# statement_timeout from the configuration reaches the session: a
# migration slower than it fails with PostgreSQL's own code
printf '[database]\nurl = %s\nstatement_timeout = 200ms\n' "$URL" > slow.ini
mkdir slow && printf -- '-- migrate:up\nSELECT pg_sleep(2);\n-- migrate:down\nSELECT 1;\n' > slow/9999_slow.sql
run slowmig 1 --config slow.ini --migrations slow up
has slowmig.err "slow/9999_slow.sql:2: canceling statement due to statement timeout"

for f in *.out *.err; do
    if grep -qF 's3cret' "$f"; then fail "$f shows the password"; fi
done
ok "no output shows the password"
finish
