#!/bin/sh
# fixture.sh: the fixed database the golden tests (and the screenshots)
# run against, built the same way every time: no random values, no clock.
#   fixture.sh sqlite   DIR BIN SRC    DIR/golden.db, URL sqlite:///golden.db
#   fixture.sh postgres DIR BIN SRC    database "golden" (GOLDEN_PGDB names
#                                      another) on DBW_PG_HOST/DBW_PG_PORT
# In both: DIR/migrations is a copy of migrations/ENGINE with 0001-0009
# applied and 0010 pending, 0004's file edited after it was applied (its
# state is "changed"), the recorded applied_at, duration_ms and applied_by
# set to fixed values (2001-02-03 04:05:NN UTC), and a few rows with fixed
# values (every timestamp given, none from the clock) in users, workspaces,
# projects, subscriptions, licenses, license_events, jobs, invoices,
# transaction_idempotency and audit_log: enough for the Rows view, NULL next
# to an empty string, and foreign keys to follow.  On PostgreSQL the tables
# are analysed, so the estimates are the same every time (few rows: no
# autovacuum comes to change them).
# Prints the URL to use (commands run with DIR as the working directory).
set -eu
engine=$1 dir=$2 bin=$3 src=$4

mkdir -p "$dir"
rm -rf "$dir/migrations" "$dir/backups"
cp -r "$src/migrations/$engine" "$dir/migrations"
cd "$dir"

case "$engine" in
sqlite)
    rm -f golden.db
    url="sqlite:///golden.db"
    Z=""
    sql() { sqlite3 -bail golden.db; }
    ;;
postgres)
    db=${GOLDEN_PGDB:-golden}
    url="postgresql://app:s3cret%21pw@/$db?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
    Z="+00"
    PGOPTIONS="-c client_min_messages=warning" \
    psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER app" >/dev/null
    sql() { psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 >/dev/null; }
    ;;
*)
    echo "fixture.sh: unknown engine $engine" >&2
    exit 2
    ;;
esac

"$bin" --db "$url" --migrations migrations up 0009 >fixture-up.log 2>&1 ||
    { cat fixture-up.log >&2; exit 1; }
rm -f fixture-up.log
# an applied migration edited afterwards: its checksum no longer matches
sed -i '/^-- migrate:up/a -- reviewed: seats may need a per-product limit' migrations/0004_*.sql

# The recorded runs: fixed times (N*3 seconds past 04:05 for version N),
# durations (one over a second) and who applied them.
if [ "$engine" = sqlite ]; then
    at="'2001-02-03 04:05:' || printf('%02d', CAST(version AS INTEGER) * 3)"
    ms="CAST(version AS INTEGER) * 7"
else
    at="timestamptz '2001-02-03 04:05:00+00' + CAST(version AS integer) * 3 * interval '1 second'"
    ms="CAST(version AS integer) * 7"
fi

# On PostgreSQL, fixed estimates (pg_class) for every table.  (SQLite's
# ANALYZE would add a table: none there.)
pg_tail=""
[ "$engine" = sqlite ] || pg_tail="ANALYZE;"

sql <<SQL
UPDATE dbwarden_migrations SET applied_at = $at,
    duration_ms = CASE version WHEN '0003' THEN 1534 ELSE $ms END,
    applied_by = CASE version WHEN '0002' THEN 'ada@laptop' ELSE 'deploy@ci-runner' END;

INSERT INTO users (id, email, username, api_key, stripe_customer_id, created_at) VALUES
  (1, 'ada@example.com', 'ada', 'key-ada-01', 'cus_0001', '2001-01-01 09:00:00$Z'),
  (2, 'grace@example.com', 'grace', NULL, 'cus_0002', '2001-01-02 10:30:00$Z'),
  (3, 'linus@example.com', 'linus', '', NULL, '2001-01-03 11:45:00$Z'),
  (4, 'margaret@example.com', 'margaret', 'key-margaret-04', 'cus_0004', '2001-01-04 08:15:00$Z'),
  (5, 'ken@example.com', 'ken', NULL, NULL, '2001-01-05 17:20:00$Z'),
  (6, 'barbara@example.com', 'barbara', 'key-barbara-06', 'cus_0006', '2001-01-06 12:00:00$Z');

INSERT INTO workspaces (id, owner_id, name, created_at) VALUES
  (1, 1, 'Analytical Engines', '2001-01-07 09:00:00$Z'),
  (2, 2, 'Compilers', '2001-01-07 09:30:00$Z'),
  (3, 4, 'Apollo Guidance', '2001-01-08 14:00:00$Z');

INSERT INTO projects (id, workspace_id, name, created_at) VALUES
  (1, 1, 'difference engine', '2001-01-09 09:00:00$Z'),
  (2, 1, 'notes on the engine', '2001-01-09 09:05:00$Z'),
  (3, 2, 'cobol', '2001-01-10 10:00:00$Z'),
  (4, 3, 'luminary', '2001-01-11 11:00:00$Z');

INSERT INTO subscriptions (id, user_id, status, plan_type, next_billing_date, created_at) VALUES
  (1, 2, 'active', 'monthly', '2001-03-01', '2001-01-12 09:00:00$Z'),
  (2, 1, 'trial', 'annual', NULL, '2001-01-12 09:10:00$Z'),
  (3, 4, 'past_due', 'monthly', '2001-02-15', '2001-01-13 15:00:00$Z'),
  (4, 3, 'cancelled', 'annual', NULL, '2001-01-14 16:30:00$Z'),
  (5, 6, 'active', 'annual', '2002-01-01', '2001-01-15 08:00:00$Z');

INSERT INTO licenses (id, user_id, product, status, seats, starts_at, expires_at) VALUES
  (1, 1, 'dbwarden-pro', 'active', 5, '2001-01-12 09:00:00$Z', '2002-01-12 09:00:00$Z'),
  (2, 2, 'dbwarden-pro', 'trial', 1, '2001-01-12 09:10:00$Z', '2001-02-12 09:10:00$Z'),
  (3, 4, 'dbwarden-team', 'suspended', 12, '2001-01-13 15:00:00$Z', NULL),
  (4, 6, 'dbwarden-pro', 'expired', 2, '2000-01-15 08:00:00$Z', '2001-01-15 08:00:00$Z');

INSERT INTO license_events (id, license_id, from_status, to_status, reason, actor, created_at) VALUES
  (1, 1, NULL, 'trial', 'signup', 'system', '2001-01-12 09:00:00$Z'),
  (2, 1, 'trial', 'active', 'paid', 'billing', '2001-01-20 09:00:00$Z'),
  (3, 3, 'active', 'suspended', 'payment failed', 'billing', '2001-02-01 00:00:00$Z');

INSERT INTO jobs (id, license_id, user_id, status, created_at) VALUES
  (1, 1, 1, 'succeeded', '2001-01-21 10:00:00$Z'),
  (2, 1, 1, 'running', '2001-01-21 10:05:00$Z'),
  (3, 3, 4, 'failed', '2001-01-22 11:00:00$Z');

INSERT INTO invoices (id, user_id, subscription_id, invoice_number, amount, vat_rate, total, currency, issued_at) VALUES
  (1, 2, 1, 'INV-2001-0001', 49.00, 20.00, 58.80, 'EUR', '2001-02-01 00:00:00$Z'),
  (2, 6, 5, 'INV-2001-0002', 490.00, 0.00, 490.00, 'USD', '2001-02-01 00:00:00$Z'),
  (3, 4, NULL, 'INV-2001-0003', 12.50, 20.00, NULL, 'EUR', '2001-02-02 00:00:00$Z');

INSERT INTO transaction_idempotency (id, idempotency_key, request_hash, response_code, created_at) VALUES
  (1, 'idem-0001', 'sha256:00aa', 201, '2001-02-01 00:00:00$Z'),
  (2, 'idem-0002', NULL, NULL, '2001-02-01 00:00:01$Z');

INSERT INTO audit_log (id, actor, action, entity, entity_id, correlation_id, details, created_at) VALUES
  (1, 'ada@example.com', 'create', 'workspace', 1, 'corr-01', '{"name": "Analytical Engines"}', '2001-01-07 09:00:00$Z'),
  (2, 'billing', 'suspend', 'license', 3, 'corr-02', NULL, '2001-02-01 00:00:00$Z');
$pg_tail
SQL
echo "$url"
