#!/bin/sh
# dbwarden licenses on both engines: the counts and every anomaly planted
# (text and --json, exit 1 when found, 0 when clean), why and user, set
# (a reason required, a forbidden transition refused, --dry-run's SQL, the
# three rows written, read-only and production refused without an
# answer), a database without the tables, renamed tables through
# [billing], and names from the database printed escaped.
#   test_cli_licenses.sh BIN SRC
. "$(dirname "$0")/lib.sh"

ESC=$(printf 'x\033]0;pwned\007y')

# one of each anomaly, relative to the database's clock: bob's subscription
# 10 days past billing, carol's license past expiry, dave's suspended one
# with a job running, erin's two live subscriptions, frank's active license
# after his subscription ended, grace with none, users 98 and 99 missing
world() { # world ENGINE: the SQL
    if [ "$1" = sqlite ]; then ago() { echo "datetime('now', '-$1 days')"; }; day() { echo "date('now', '$1 days')"; }
    else ago() { echo "(now() - interval '$1 days')"; }; day() { echo "(CURRENT_DATE + $1)"; }; fi
    cat <<SQL
INSERT INTO users (id, email, username) VALUES (1, 'alice@example.com', 'alice'),
  (2, 'bob@example.com', 'bob'), (3, 'carol@example.com', 'carol'), (4, 'dave@example.com', 'dave'),
  (5, 'erin@example.com', 'erin'), (6, 'frank@example.com', 'frank'), (7, 'grace@example.com', 'grace');
INSERT INTO subscriptions (id, user_id, status, plan_type, next_billing_date) VALUES
  (1, 1, 'active', 'monthly', $(day 10)), (2, 2, 'active', 'monthly', $(day -10)),
  (3, 3, 'active', 'annual', $(day 30)), (4, 4, 'active', 'monthly', $(day 10)),
  (5, 5, 'active', 'monthly', $(day 10)), (6, 5, 'trial', 'monthly', $(day 10)),
  (7, 6, 'cancelled', 'monthly', NULL), (8, 99, 'active', 'monthly', NULL);
INSERT INTO licenses (id, user_id, product, status, seats, starts_at, expires_at) VALUES
  (1, 1, 'pro', 'active', 2, $(ago 30), NULL), (2, 2, 'pro', 'active', 1, $(ago 30), NULL),
  (3, 3, 'pro', 'active', 1, $(ago 30), $(ago 1)), (4, 4, 'pro', 'suspended', 1, $(ago 30), NULL),
  (5, 5, 'pro', 'active', 1, $(ago 30), NULL), (6, 6, 'pro', 'active', 1, $(ago 30), NULL),
  (7, 98, 'pro', 'trial', 1, $(ago 30), NULL);
INSERT INTO jobs (id, license_id, user_id, status) VALUES (1, 4, 4, 'running'), (2, 1, 1, 'succeeded');
SQL
}

sql_sqlite() { sqlite3 "$T/lic.db"; }
sql_postgres() { PGPASSWORD='s3cret!pw' psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U app -d lic_pg -v ON_ERROR_STOP=1 >/dev/null; }
value_sqlite() { sqlite3 "$T/lic.db" "$1"; }
value_postgres() { PGPASSWORD='s3cret!pw' psql -X -q -t -A -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U app -d lic_pg -c "$1"; }

pg_createdb lic_pg
PGURL="postgresql://app:s3cret%21pw@/lic_pg?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
for engine in sqlite postgres; do
    if [ $engine = sqlite ]; then URL="sqlite:///$T/lic.db"; else URL=$PGURL; fi
    e=$engine
    run "$e-up" 0 --db "$URL" --migrations "$SRC/migrations/$engine" up

    # a clean database: nothing found, exit 0
    run "$e-clean" 0 --db "$URL" licenses --json
    jq_ok "$e-clean" '.anomalies | length == 8 and all(.count == 0)'
    jq_ok "$e-clean" '.subscriptions.by_state == {"trial":0,"active":0,"past_due":0,"cancelled":0,"expired":0}'
    jq_ok "$e-clean" '.licenses.by_plan == {} and (.transitions | length) == 7'

    if [ $engine = postgres ]; then
        echo "ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_user_id_fkey;
ALTER TABLE licenses DROP CONSTRAINT licenses_user_id_fkey;" | sql_$engine
    fi
    world $engine | sql_$engine
    if [ $engine = postgres ]; then   # rows added later take ids after those given
        echo "SELECT setval(pg_get_serial_sequence('subscriptions', 'id'), 100);
SELECT setval(pg_get_serial_sequence('licenses', 'id'), 100);" | sql_$engine
    fi

    run "$e-text" 1 --db "$URL" licenses
    has "$e-text.out" "anomalies: 8 of 8 checks found some"
    has "$e-text.out" "1 subscription (trial, active) whose next_billing_date passed more than 3d ago"
    has "$e-text.out" "1 license suspended, revoked or expired with 1 job queued or running"
    has "$e-text.out" "1 row of licenses whose user does not exist in users"
    run "$e-json" 1 --db "$URL" licenses --json
    jq_ok "$e-json" '.subscriptions.by_state.active == 6 and .subscriptions.by_state.trial == 1'
    jq_ok "$e-json" '.subscriptions.by_plan == {"annual":1,"monthly":7}'
    jq_ok "$e-json" '.licenses.by_state.suspended == 1 and .licenses.by_plan.pro == 7'
    jq_ok "$e-json" '[.anomalies[] | select(.count == 1)] | length == 8'
    jq_ok "$e-json" 'all(.anomalies[]; has("kind") and has("count") and has("message") and has("table"))'
    jq_ok "$e-json" '[.anomalies[] | select(.kind == "missing_user") | .table] == ["subscriptions","licenses"]'
    jq_ok "$e-json" '.anomalies[] | select(.kind == "jobs_under_dead_license") | .rows[0].license_id == "4"'
    jq_ok "$e-json" '.anomalies[] | select(.kind == "duplicate_live_subscriptions") | (.rows | length) == 2'

    # why and user
    run "$e-why-alice" 0 --db "$URL" licenses why alice
    has "$e-why-alice.out" "answer    ok"
    run "$e-why-bob" 1 --db "$URL" licenses why bob --json
    jq_ok "$e-why-bob" '.code == "subscription_past_due" and .user.username == "bob" and .table == "subscriptions"'
    jq_ok "$e-why-bob" '.evidence[0].id == "2"'
    run "$e-why-dave" 1 --db "$URL" licenses why dave@example.com
    has "$e-why-dave.out" "license_suspended"
    has "$e-why-dave.out" "license 4 (pro) is suspended"
    run "$e-why-frank" 1 --db "$URL" licenses why 6 --json
    jq_ok "$e-why-frank" '.code == "no_live_subscription"'
    run "$e-why-none" 1 --db "$URL" licenses why '^(al|bo)' --json
    jq_ok "$e-why-none" '.code == "user_missing" and .user == null and ([.candidates[].username] == ["alice","bob"])'
    run "$e-user" 0 --db "$URL" licenses user alice --json
    jq_ok "$e-user" '.code == "ok" and ([.story[].kind] | sort) == ["job","license","subscription"]'
    run "$e-user-text" 0 --db "$URL" licenses user alice
    has "$e-user-text.out" "story     3 entries, oldest first:"
    run "$e-user-none" 1 --db "$URL" licenses user nobody

    # set: a reason, the transitions table, the dry run, the three rows
    run "$e-set-noreason" 2 --db "$URL" licenses set 4 active
    has "$e-set-noreason.err" "licenses set needs --reason TEXT"
    run "$e-set-forbidden" 2 --db "$URL" licenses set 4 trial --reason "try"
    has "$e-set-forbidden.err" "license 4 is suspended: suspended>trial is not allowed; allowed from suspended: suspended>active, *>revoked"
    run "$e-set-unknown" 2 --db "$URL" licenses set 4 gone --reason "try"
    has "$e-set-unknown.err" "'gone' is not a license state"
    run "$e-set-dry" 0 --db "$URL" --dry-run licenses set 4 active --reason "paid at last"
    has "$e-set-dry.out" 'UPDATE "licenses" SET "status" = '"'active'"
    has "$e-set-dry.out" "'paid at last'"
    [ "$(value_$engine "SELECT status FROM licenses WHERE id = 4")" = suspended ] \
        && ok "$e: the dry run changed nothing" || fail "$e: the dry run changed the license"
    run "$e-set-ro" 2 --db "$URL" --read-only licenses set 4 active --reason "paid"
    has "$e-set-ro.err" "--read-only"
    run "$e-set" 0 --db "$URL" licenses set 4 active --reason "paid at last" --json
    jq_ok "$e-set" '.from == "suspended" and .to == "active" and .reason == "paid at last" and (.actor | contains("@"))'
    jq_ok "$e-set" '(.event_id | length) > 0 and (.audit_id | length) > 0 and (.correlation_id | length) == 36'
    [ "$(value_$engine "SELECT status FROM licenses WHERE id = 4")" = active ] \
        && ok "$e: license 4 is active" || fail "$e: license 4 was not moved"
    [ "$(value_$engine "SELECT count(*) FROM license_events WHERE license_id = 4 AND reason = 'paid at last'")" = 1 ] \
        && ok "$e: one license event" || fail "$e: no license event"
    [ "$(value_$engine "SELECT count(*) FROM audit_log WHERE entity = 'license' AND entity_id = 4")" = 1 ] \
        && ok "$e: one audit entry" || fail "$e: no audit entry"
    run "$e-set-text" 0 --db "$URL" licenses set 4 suspended --reason "chargeback"
    has "$e-set-text.out" "license 4: active -> suspended (license_events"
    has "$e-set-text.out" "reason   chargeback"
    run "$e-user-after" 0 --db "$URL" licenses user dave --json
    jq_ok "$e-user-after" '[.story[] | select(.kind == "license_event")] | length == 2'

    # production: the name is asked for; no terminal and no --yes refuses
    printf '[database]\nenvironment = production\n' > "prod-$e.ini"
    run "$e-set-prod" 1 --config "prod-$e.ini" --db "$URL" licenses set 4 active --reason "ok"
    has "$e-set-prod.err" "needs confirmation"
    [ "$(value_$engine "SELECT status FROM licenses WHERE id = 4")" = suspended ] \
        && ok "$e: refused on production without an answer" || fail "$e: changed without an answer"
    run "$e-set-prod-yes" 0 --config "prod-$e.ini" --db "$URL" --yes licenses set 4 active --reason "ok"

    # names from the database are printed escaped
    echo "INSERT INTO users (id, email, username) VALUES (8, 'h@example.com', '$ESC');
INSERT INTO subscriptions (user_id, status, plan_type) VALUES (8, 'active', 'monthly');
INSERT INTO licenses (user_id, product, status) VALUES (8, '$ESC', 'suspended');" | sql_$engine
    run "$e-esc-all" 1 --db "$URL" licenses
    run "$e-esc-why" 1 --db "$URL" licenses why h@example.com
    run "$e-esc-user" 0 --db "$URL" licenses user h@example.com
    for n in "$e-esc-all" "$e-esc-why" "$e-esc-user"; do
        if LC_ALL=C grep -q "$(printf '[\033\007]')" "$n.out"; then fail "$n: a raw control character"
        else ok "$n: no raw control character"; fi
        has "$n.out" 'x\x1b]0;pwned\x07y'
    done
done

# a database without the tables: what is missing and the setting
touch "$T/empty.db"
run none 2 --db "sqlite:///$T/empty.db" licenses
has none.err "no table users, subscriptions, licenses, license_events, jobs, audit_log (set users, subscriptions, licenses, license_events, jobs, audit_log in [billing]"
run none-json 2 --db "sqlite:///$T/empty.db" licenses --json
jq_ok none-json '.error.kind == "usage" and (.error.message | contains("no table users"))'

# other names for the tables, through [billing]
sqlite3 "$T/lic.db" "ALTER TABLE licenses RENAME TO entitlements; ALTER TABLE jobs RENAME TO tasks;"
run renamed 2 --db "sqlite:///$T/lic.db" licenses
has renamed.err "no table licenses, jobs (set licenses, jobs in [billing]"
printf '[billing]\nlicenses = entitlements\njobs = tasks\n' > renamed.ini
run renamed-ok 1 --config renamed.ini --db "sqlite:///$T/lic.db" licenses --json
jq_ok renamed-ok '.licenses.table == "entitlements" and .licenses.total == 8'

# a bad [billing] setting names its file and line
printf '[billing]\n\nlicense_live = trial actve\n' > bad.ini
run bad-setting 2 --config bad.ini --db "sqlite:///$T/lic.db" licenses
has bad-setting.err "bad.ini:3: license_live = 'trial actve': 'actve' is not one of license_states"

run usage 2 --db "sqlite:///$T/lic.db" licenses frobnicate
has usage.err "usage: dbwarden licenses"
finish
