#!/bin/sh
# Command-line tests of `dbwarden schema` against the reference schema
# (migrations/sqlite and migrations/postgres applied with `dbwarden up`),
# plus a view, a table with strange names and, on PostgreSQL, row-level
# security and a NOT VALID foreign key: the table list, the whole catalog
# as JSON, one table as JSON and as text (sizes measured), unknown names,
# usage errors; on PostgreSQL, one table is read alone: a lock on another
# table (a migration running) does not hold it up.
. "$(dirname "$0")/lib.sh"

# jq_table NAME TABLE FILTER: in NAME.out, the table called TABLE satisfies FILTER
jq_table() {
    jq_ok "$1" "[.tables[] | select(.name == \"$2\")] | length == 1 and (.[0] | $3)"
}

# the checks for one engine: $E (sqlite|postgres), $URL, $S (main|public)
reference_checks() {
    # the list, as text
    run ${E}_list 0 --db "$URL" schema
    has ${E}_list.out "SCHEMA"
    has ${E}_list.out "nft_items"
    has ${E}_list.out "active_jobs"
    has ${E}_list.out "14 tables, 1 view"

    # the whole catalog, as JSON
    run ${E}_all 0 --db "$URL" schema --json
    jq_ok ${E}_all '.tables | length == 15'
    jq_ok ${E}_all "all(.tables[]; (.name | type) == \"string\" and .schema == \"$S\" and (.kind == \"table\" or .kind == \"view\") and has(\"rows_estimate\") and has(\"bytes\") and (.columns | type) == \"array\" and (.constraints | type) == \"array\" and (.indexes | type) == \"array\" and (has(\"ddl\") | not))"
    jq_ok ${E}_all 'all(.tables[].columns[]; has("name") and has("type") and (.nullable | type) == "boolean" and has("default") and (.primary_key | type) == "boolean")'
    jq_ok ${E}_all 'all(.tables[].constraints[]; has("name") and (.type | IN("primary_key", "foreign_key", "unique", "check")) and (.columns | type) == "array" and (.validated != null or (.type == "foreign_key" and (.enforced | type) == "boolean")))'
    jq_ok ${E}_all 'all(.tables[].indexes[]; has("name") and (.definition | type) == "string" and (.unique | type) == "boolean" and (.valid | type) == "boolean" and (.partial | type) == "boolean" and has("bytes") and has("scans"))'
    jq_ok ${E}_all '[.tables[].name] | contains(["users", "workspaces", "projects", "subscriptions", "licenses", "license_events", "jobs", "invoices", "transaction_idempotency", "audit_log", "market_booths", "nft_items", "dbwarden_migrations"])'
    jq_ok ${E}_all '[.tables[].name] == ([.tables[].name] | sort)'
    jq_table ${E}_all dbwarden_migrations '.rows_estimate == 10'
    jq_table ${E}_all users '(.columns[] | select(.name == "id") | .primary_key and (.nullable | not)) and ([.columns[] | select(.primary_key) | .name] == ["id"])'
    jq_table ${E}_all users '[.constraints[] | select(.type == "unique") | .name] | sort == ["users_api_key_key", "users_email_key", "users_stripe_customer_id_key", "users_username_key"]'
    jq_table ${E}_all users '.constraints[] | select(.name == "users_email_key") | .columns == ["email"] and .validated'
    jq_table ${E}_all users '.columns[] | select(.name == "email") | (.nullable | not) and .default == null and (.primary_key | not)'
    jq_table ${E}_all projects '.constraints[] | select(.name == "projects_workspace_id_name_key") | .type == "unique" and .columns == ["workspace_id", "name"]'
    jq_table ${E}_all workspaces ".constraints[] | select(.name == \"workspaces_owner_id_fkey\") | .type == \"foreign_key\" and .columns == [\"owner_id\"] and .references == {\"schema\": \"$S\", \"table\": \"users\", \"columns\": [\"id\"]} and .on_delete == \"CASCADE\" and .on_update == \"NO ACTION\" and (.validated or .enforced == false)"
    jq_table ${E}_all nft_items '[.constraints[] | select(.type == "foreign_key") | .name] | sort == ["nft_items_booth_id_fkey", "nft_items_owner_id_fkey"]'
    jq_table ${E}_all nft_items '[.constraints[] | select(.type == "foreign_key") | .columns[]] | index("creator_id") == null'
    jq_table ${E}_all nft_items '.constraints[] | select(.name == "nft_items_booth_id_fkey") | .on_delete == "SET NULL" and .references.table == "market_booths"'
    jq_table ${E}_all licenses '[.constraints[] | select(.type == "check") | .name] | sort == ["licenses_expires_after_starts_check", "licenses_seats_check", "licenses_status_check"]'
    jq_table ${E}_all licenses '.constraints[] | select(.name == "licenses_seats_check") | (.expression | test("seats > 0")) and .validated and .columns == ["seats"]'
    jq_table ${E}_all jobs '.indexes[] | select(.name == "jobs_active_status_idx") | .partial and .valid and (.unique | not) and (.definition | test("WHERE"))'
    jq_table ${E}_all jobs '.indexes[] | select(.name == "jobs_license_id_idx") | (.partial | not) and .valid'
    jq_table ${E}_all subscriptions '.indexes[] | select(.name == "subscriptions_status_next_billing_date_idx") | .columns == ["status", "next_billing_date"]'
    jq_table ${E}_all invoices '.columns[] | select(.name == "vat_rate") | .default | test("20.00")'
    jq_table ${E}_all invoices '.indexes[] | select(.name == "invoices_invoice_number_key" or .name == "sqlite_autoindex_invoices_1") | .unique and .constraint'
    jq_table ${E}_all active_jobs '.kind == "view" and .rows_estimate == null and (.definition | test("jobs")) and ([.columns[].name] == ["id", "status"])'
    jq_table ${E}_all 'Odd \"T\" ü' '([.columns[].name] == ["Sel ect", "select"]) and (.constraints[] | select(.type == "check") | .name == "odd \"chk\"" and (.expression | test("<>")))'
    jq_table ${E}_all 'Odd \"T\" ü' '.constraints[] | select(.type == "primary_key") | .columns == ["Sel ect"]'

    # one table: everything, and its DDL
    run ${E}_one 0 --db "$URL" schema nft_items --json
    jq_ok ${E}_one '.tables | length == 1 and .[0].name == "nft_items" and (.[0].ddl | test("CREATE TABLE")) and (.[0].ddl | test("CREATE INDEX nft_items_owner_id_idx"))'
    jq_ok ${E}_one '.tables[0].bytes > 0 and .tables[0].bytes_exact and all(.tables[0].indexes[]; .bytes > 0)'
    jq_ok ${E}_one '.tables[0].constraints[] | select(.name == "nft_items_booth_id_fkey") | .references.columns == ["id"]'
    run ${E}_case 0 --db "$URL" schema NFT_Items --json
    jq_ok ${E}_case '.tables[0].name == "nft_items"'
    run ${E}_qualified 0 --db "$URL" schema "$S.users" --json
    jq_ok ${E}_qualified '.tables[0].name == "users"'
    run ${E}_quoted 0 --db "$URL" schema "\"$S\".\"Odd \"\"T\"\" ü\"" --json
    jq_ok ${E}_quoted '.tables[0].name == "Odd \"T\" ü"'
    run ${E}_odd 0 --db "$URL" schema 'Odd "T" ü' --json
    jq_ok ${E}_odd '.tables[0].name == "Odd \"T\" ü" and (.tables[0].ddl | length > 0)'
    run ${E}_view 0 --db "$URL" schema active_jobs --json
    jq_ok ${E}_view '.tables[0].kind == "view" and (.tables[0].ddl | test("VIEW"))'

    run ${E}_text 0 --db "$URL" schema nft_items
    for want in "Columns" "Constraints" "Indexes" "DDL" "nft_items_booth_id_fkey" \
                "ON DELETE SET NULL" "creator_id" "CREATE INDEX nft_items_owner_id_idx"; do
        has ${E}_text.out "$want"
    done

    # unknown names: exit 1, the name, close names
    run ${E}_unknown 1 --db "$URL" schema usr
    has ${E}_unknown.err "no table or view named 'usr'"
    has ${E}_unknown.err "did you mean 'users'"
    run ${E}_typo 1 --db "$URL" schema nft_itemz --json
    has ${E}_typo.err "did you mean 'nft_items'"
    lacks ${E}_typo.out "tables"
    run ${E}_nothing 1 --db "$URL" schema zzzzzzzzzzzzzzzz
    has ${E}_nothing.err "no table or view named 'zzzzzzzzzzzzzzzz'"
    lacks ${E}_nothing.err "did you mean"
    run ${E}_usage 2 --db "$URL" schema users jobs
    has ${E}_usage.err "at most one table"
    run ${E}_readonly 0 --db "$URL" --read-only schema users --json
    jq_ok ${E}_readonly '.tables[0].name == "users"'
}

EXTRA_SQL="CREATE VIEW active_jobs AS SELECT id, status FROM jobs WHERE status = 'running';
CREATE TABLE \"Odd \"\"T\"\" ü\" (\"Sel ect\" integer PRIMARY KEY,
    \"select\" text CONSTRAINT \"odd \"\"chk\"\"\" CHECK (\"select\" <> ''));"

# ---- SQLite ----
E=sqlite S=main URL="sqlite:///$T/app.db"
run sqlite_create 0 --db "$URL" --migrations "$SRC/migrations/sqlite" up
sqlite3 "$T/app.db" "$EXTRA_SQL"
reference_checks
jq_table sqlite_all users '.has_rowid and (has("rls") | not) and all(.indexes[]; .scans == null)'
jq_table sqlite_all users '.constraints[] | select(.type == "primary_key") | .name == null'

# ---- PostgreSQL ----
pg_createdb cli_schema
E=postgres S=public URL="postgresql://app:s3cret%21pw@/cli_schema?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
run postgres_create 0 --db "$URL" --migrations "$SRC/migrations/postgres" up
PGPASSWORD='s3cret!pw' psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U app -d cli_schema \
    -v ON_ERROR_STOP=1 -c "$EXTRA_SQL" -c "ALTER TABLE transaction_idempotency ENABLE ROW LEVEL SECURITY;
CREATE POLICY idem_own ON transaction_idempotency FOR SELECT TO app USING (response_code IS NOT NULL);
ALTER TABLE nft_items ADD CONSTRAINT nft_items_creator_nv CHECK (creator_id > 0) NOT VALID;" >/dev/null
reference_checks
jq_table postgres_all users '.rls == {"enabled": false, "forced": false, "policies": []} and all(.indexes[]; .bytes > 0 and .scans >= 0)'
jq_table postgres_all users '.constraints[] | select(.type == "primary_key") | .name == "users_pkey"'
jq_table postgres_all transaction_idempotency '.rls.enabled and (.rls.forced | not) and .rls.policies == [{"name": "idem_own", "command": "SELECT", "permissive": true, "roles": ["app"], "using": "(response_code IS NOT NULL)", "with_check": null}]'
jq_table postgres_all nft_items '.constraints[] | select(.name == "nft_items_creator_nv") | .type == "check" and (.validated | not)'
run postgres_rls 0 --db "$URL" schema transaction_idempotency
has postgres_rls.out "Row-level security: enabled"
has postgres_rls.out "CREATE POLICY idem_own ON public.transaction_idempotency FOR SELECT TO app USING ((response_code IS NOT NULL));"
# One table is read alone: a migration holding a lock on another table
# (jobs) does not stop it; the locked table itself says so.
psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d cli_schema \
    -c "BEGIN" -c "LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(60)" \
    >/dev/null 2>&1 &
locker=$!
i=0
until [ "$(psql -X -A -t -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d cli_schema -c \
        "SELECT count(*) FROM pg_locks WHERE relation = 'jobs'::regclass AND mode = 'AccessExclusiveLock' AND granted")" = 1 ] \
        || [ $i -ge 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
t0=$(date +%s%N)
run postgres_beside_lock 0 --db "$URL" schema users --json
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
jq_ok postgres_beside_lock '.tables[0].name == "users" and (.tables[0].columns | length > 0)'
if [ "$ms" -lt 1500 ]; then ok "users read in $ms ms beside a locked table"; else
    fail "users took $ms ms beside a locked table (waited for its lock?)"; fi
run postgres_locked 1 --db "$URL" schema jobs
has postgres_locked.err "a table is locked by another session"
kill "$locker" 2>/dev/null || true
wait "$locker" 2>/dev/null || true
for f in *.out *.err; do
    if grep -qF 's3cret' "$f"; then fail "$f shows the password"; fi
done
ok "no output shows the password"
finish
