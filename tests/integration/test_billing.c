/* test_billing.c: the licenses model on a real database with the
 * reference schema: each anomaly planted and counted (with its rows), the
 * counts per state and plan, "why" for a user in each situation, the
 * candidates of a pattern, a user's story in time order, and a database
 * without the tables.  Dates are relative to the database's clock.
 *   test_billing sqlite|postgres */
#include "test_billing_fixture.h"

/* One user per situation (see each comment); orphans of users 98 and 99. */
static const char *const world =
    "INSERT INTO users (id, email, username) VALUES "
    "(1, 'alice@example.com', 'alice'), (2, 'bob@example.com', 'bob'), "
    "(3, 'carol@example.com', 'carol'), (4, 'dave@example.com', 'dave'), "
    "(5, 'erin@example.com', 'erin'), (6, 'frank@example.com', 'frank'), "
    "(7, 'grace@example.com', 'grace'), (8, 'heidi@example.com', 'heidi'), "
    "(9, 'ivan@example.com', 'ivan'), (10, 'judy@example.com', 'judy'), "
    "(11, 'ken@example.com', 'ken'), (12, 'leo@example.com', 'leo'), "
    "(13, 'mallory@example.com', 'mallory');\n"
    /* subscriptions: alice fine; bob active 10 days past billing (beyond the
     * 3-day grace); carol 1 day past (within it); erin two live ones; frank
     * only ended ones; grace none; heidi past_due; user 99 does not exist */
    "INSERT INTO subscriptions (id, user_id, status, plan_type, next_billing_date, created_at) "
    "VALUES (1, 1, 'active', 'monthly', {D+10}, {T-40}), "
    "(2, 2, 'active', 'monthly', {D-10}, {T-40}), (3, 3, 'active', 'annual', {D-1}, {T-40}), "
    "(4, 4, 'active', 'monthly', {D+10}, {T-40}), (5, 5, 'active', 'monthly', {D+10}, {T-40}), "
    "(6, 5, 'trial', 'monthly', {D+5}, {T-2}), (7, 6, 'cancelled', 'monthly', NULL, {T-90}), "
    "(8, 6, 'expired', 'annual', NULL, {T-400}), (9, 8, 'past_due', 'monthly', {D-1}, {T-40}), "
    "(10, 9, 'active', 'annual', {D+100}, {T-40}), (11, 10, 'active', 'monthly', {D+10}, {T-40}), "
    "(12, 11, 'active', 'monthly', {D+10}, {T-40}), (13, 12, 'active', 'monthly', {D+10}, {T-40}), "
    "(14, 13, 'active', 'monthly', {D+10}, {T-40}), (15, 99, 'active', 'monthly', NULL, {T-40});\n"
    /* licenses: carol's active one expired yesterday; dave's suspended and
     * judy's expired ones have jobs running; frank's is still active; leo's
     * one seat is taken; mallory has a revoked and a suspended one */
    "INSERT INTO licenses (id, user_id, product, status, seats, starts_at, expires_at) VALUES "
    "(1, 1, 'pro', 'active', 2, {T-30}, {T+30}), (2, 2, 'pro', 'active', 1, {T-30}, NULL), "
    "(3, 3, 'pro', 'active', 1, {T-30}, {T-1}), (4, 4, 'pro', 'suspended', 1, {T-30}, NULL), "
    "(5, 5, 'basic', 'active', 1, {T-30}, NULL), (6, 6, 'pro', 'active', 1, {T-300}, NULL), "
    "(7, 8, 'pro', 'active', 1, {T-30}, NULL), (8, 9, 'pro', 'revoked', 1, {T-30}, NULL), "
    "(9, 10, 'pro', 'expired', 1, {T-60}, {T-5}), (10, 12, 'basic', 'active', 1, {T-30}, NULL), "
    "(11, 13, 'pro', 'revoked', 1, {T-30}, NULL), (12, 13, 'basic', 'suspended', 1, {T-30}, NULL), "
    "(13, 98, 'pro', 'trial', 1, {T-30}, NULL);\n"
    "INSERT INTO jobs (id, license_id, user_id, status, created_at) VALUES "
    "(1, 1, 1, 'running', {T-1}), (2, 1, 1, 'succeeded', {T-3}), (3, 4, 4, 'queued', {T-1}), "
    "(4, 4, 4, 'running', {T-1}), (5, 9, 10, 'running', {T-1}), (6, 10, 12, 'running', {T-1}), "
    "(7, 8, 9, 'failed', {T-10});\n";

static void plant_world(Session *s)
{
    fx_reference_schema(s->conn);
    if (engine == DB_ENGINE_POSTGRES)   /* orphans need the constraints gone */
        fx(s->conn, "ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_user_id_fkey;\n"
                    "ALTER TABLE licenses DROP CONSTRAINT licenses_user_id_fkey;\n");
    fx(s->conn, world);
    if (engine == DB_ENGINE_POSTGRES)   /* the ids given above: later rows take new ones */
        fx(s->conn, "SELECT setval(pg_get_serial_sequence('subscriptions', 'id'), 1000);\n"
                    "SELECT setval(pg_get_serial_sequence('licenses', 'id'), 1000);\n"
                    "SELECT setval(pg_get_serial_sequence('jobs', 'id'), 1000);\n");
}

static void test_each_anomaly_counted(void)
{
    Session s;
    fx_session(&s, "bill_world", NULL, false);
    plant_world(&s);
    BillModel m;
    DbError err = DB_ERROR_INIT;
    CHECK(billing_load(&s, s.conn, &m, &err) == 0);
    if (err.message)
        fprintf(stderr, "  %s\n", err.message);
    CHECK(m.nanomalies == 8);
    CHECK(fx_count(&m, "subscription_past_billing", NULL) == 1);   /* bob, not carol */
    const BillAnomaly *a = fx_anomaly(&m, "subscription_past_billing", NULL);
    CHECK(a && a->rows.nrows == 1 && strcmp(bill_cell(&a->rows, 0, bill_col(&a->rows, "id")),
                                            "2") == 0);
    CHECK(fx_count(&m, "license_past_expiry", NULL) == 1);          /* carol's */
    a = fx_anomaly(&m, "jobs_under_dead_license", NULL);            /* dave's and judy's */
    CHECK(a && a->count == 2 && a->nrows == 3 && a->rows.nrows == 3);
    CHECK(a && strcmp(a->table, "jobs") == 0 && bill_col(&a->rows, "license_status") >= 0);
    a = fx_anomaly(&m, "duplicate_live_subscriptions", NULL);       /* erin, two rows */
    CHECK(a && a->count == 1 && a->rows.nrows == 2);
    CHECK(fx_count(&m, "access_after_end", NULL) == 1);             /* frank's license */
    a = fx_anomaly(&m, "user_without_subscription", NULL);          /* grace */
    CHECK(a && a->count == 1 && strcmp(bill_cell(&a->rows, 0, bill_col(&a->rows, "username")),
                                       "grace") == 0);
    CHECK(fx_count(&m, "missing_user", "subscriptions") == 1);
    CHECK(fx_count(&m, "missing_user", "licenses") == 1);
    CHECK(billing_anomalies_found(&m) == 8);
    /* counts per state, the vocabulary's order first */
    CHECK(m.subscriptions.total == 15 && m.licenses.total == 13);
    CHECK(strcmp(m.subscriptions.by_state[0].key, "trial") == 0);
    CHECK(fx_state(&m.subscriptions, "active") == 11 && fx_state(&m.subscriptions, "trial") == 1);
    CHECK(fx_state(&m.subscriptions, "past_due") == 1);
    CHECK(fx_state(&m.licenses, "suspended") == 2 && fx_state(&m.licenses, "revoked") == 2);
    CHECK(m.subscriptions.nplans == 2 && strcmp(m.subscriptions.by_plan[0].key, "annual") == 0 &&
          m.subscriptions.by_plan[0].n == 3);
    CHECK(m.licenses.nplans == 2);   /* products: basic, pro */
    CHECK(m.ntransitions == 7 && m.transitions[6].from == NULL);
    billing_model_free(&m);
    /* put right, each goes to 0 */
    fx(s.conn, "UPDATE subscriptions SET next_billing_date = {D+20} WHERE id = 2;\n"
               "UPDATE licenses SET status = 'expired' WHERE id = 3;\n"
               "UPDATE jobs SET status = 'cancelled' WHERE license_id IN (4, 9);\n"
               "UPDATE subscriptions SET status = 'cancelled' WHERE id = 6;\n"
               "UPDATE licenses SET status = 'revoked' WHERE id = 6;\n"
               "INSERT INTO subscriptions (user_id, status, plan_type) VALUES (7, 'trial', 'monthly');\n"
               "DELETE FROM subscriptions WHERE id = 15;\n"
               "DELETE FROM licenses WHERE id = 13;\n");
    CHECK(billing_load(&s, s.conn, &m, &err) == 0);
    CHECK(billing_anomalies_found(&m) == 0);
    for (size_t i = 0; i < m.nanomalies; i++)
        if (m.anomalies[i].count)
            fprintf(stderr, "  left: %s\n", m.anomalies[i].message);
    billing_model_free(&m);
    session_free(&s);
}

static void test_grace_period(void)
{
    /* carol's subscription is a day past its billing date: within a 3-day
     * grace, past a 12-hour one */
    Session s;
    fx_session(&s, "bill_grace", "[billing]\ngrace_period = 12h\n", false);
    plant_world(&s);
    BillModel m;
    DbError err = DB_ERROR_INIT;
    CHECK(billing_load(&s, s.conn, &m, &err) == 0);
    CHECK(fx_count(&m, "subscription_past_billing", NULL) == 2);
    CHECK_CONTAINS(fx_anomaly(&m, "subscription_past_billing", NULL)->message, "12h");
    billing_model_free(&m);
    CHECK_STR(fx_why(&s, "carol"), "subscription_past_due");
    session_free(&s);
}

static void test_why_in_each_situation(void)
{
    Session s;
    fx_session(&s, "bill_why", NULL, false);
    plant_world(&s);
    static const char *const cases[][2] = {
        { "alice", "ok" }, { "bob", "subscription_past_due" }, { "carol", "license_expired" },
        { "dave", "license_suspended" }, { "erin", "ok" }, { "frank", "no_live_subscription" },
        { "grace", "no_live_subscription" }, { "heidi", "subscription_past_due" },
        { "ivan", "license_revoked" }, { "judy", "license_expired" }, { "ken", "no_license" },
        { "leo", "seats_exhausted" }, { "mallory", "license_suspended" },
        { "nobody", "user_missing" }, { "CAROL@Example.com", "license_expired" },
        { "4", "license_suspended" }, { "99", "user_missing" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = fx_why(&s, cases[i][0]);
        if (strcmp(got, cases[i][1]) != 0)
            fprintf(stderr, "  why %s: %s, expected %s\n", cases[i][0], got, cases[i][1]);
        CHECK(strcmp(got, cases[i][1]) == 0);
    }
    /* the evidence: dave's suspended license; the user as found */
    BillWhy w;
    DbError err = DB_ERROR_INIT;
    CHECK(billing_why(&s, s.conn, "dave@example.com", &w, &err) == 0);
    CHECK(w.found && strcmp(w.user.username, "dave") == 0 && strcmp(w.user.id, "4") == 0);
    CHECK(w.evidence.nrows == 1 && strcmp(w.table, "licenses") == 0);
    CHECK_STR(bill_cell(&w.evidence, 0, bill_col(&w.evidence, "id")), "4");
    CHECK_CONTAINS(w.message, "license 4 (pro) is suspended");
    billing_why_free(&w);
    /* leo: his one license, its seat taken by a running job */
    CHECK(billing_why(&s, s.conn, "leo", &w, &err) == 0);
    CHECK(w.evidence.nrows == 1);
    CHECK_STR(bill_cell(&w.evidence, 0, bill_col(&w.evidence, "jobs_active")), "1");
    billing_why_free(&w);
    /* a user that is not there: the candidates a pattern finds */
    CHECK(billing_why(&s, s.conn, "^(a|b)[a-z]+$", &w, &err) == 0);
    CHECK(!w.found && w.code == BILL_USER_MISSING && w.candidates.count == 2);
    CHECK(w.candidates.count == 2 && strcmp(w.candidates.items[0].username, "alice") == 0 &&
          strcmp(w.candidates.items[1].username, "bob") == 0);
    billing_why_free(&w);
    /* ken has no license: then a suspended one arrives */
    fx(s.conn, "INSERT INTO licenses (user_id, product, status) VALUES (11, 'pro', 'suspended');");
    CHECK_STR(fx_why(&s, "ken"), "license_suspended");
    session_free(&s);
}

static void test_candidates(void)
{
    Session s;
    fx_session(&s, "bill_cands", NULL, false);
    plant_world(&s);
    BillUsers u;
    DbError err = DB_ERROR_INIT;
    CHECK(billing_find_users(&s, s.conn, "^(D|E)", 10, &u, &err) == 0);   /* caseless */
    CHECK(u.count == 2 && !u.more);   /* dave, erin */
    if (u.count == 2)
        CHECK(strcmp(u.items[0].username, "dave") == 0 && strcmp(u.items[1].username, "erin") == 0);
    billing_users_free(&u);
    CHECK(billing_find_users(&s, s.conn, "example", 3, &u, &err) == 0);
    CHECK(u.count == 3 && u.more);
    billing_users_free(&u);
    CHECK(billing_find_users(&s, s.conn, "(", 3, &u, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    billing_users_free(&u);
    session_free(&s);
}

static void test_story_in_time_order(void)
{
    Session s;
    fx_session(&s, "bill_story", NULL, false);
    plant_world(&s);
    fx(s.conn, "INSERT INTO license_events (license_id, from_status, to_status, reason, actor, "
               "created_at) VALUES (1, NULL, 'trial', 'signed up', 'web', {T-30}), "
               "(1, 'trial', 'active', 'paid', 'billing', {T-20});\n"
               "INSERT INTO audit_log (actor, action, entity, entity_id, created_at) VALUES "
               "('support', 'note', 'user', 1, {T-5}), ('x', 'note', 'user', 2, {T-5}), "
               "('billing', 'renew', 'subscription', 1, {T-10}), "
               "('ops', 'touch', 'licenses', 1, {T-25});\n");
    BillStory st;
    DbError err = DB_ERROR_INIT;
    CHECK(billing_story(&s, s.conn, "alice", &st, &err) == 0);
    CHECK(st.found);
    /* subscription -40, license -30 and its first event -30, audit on the
     * license -25, event -20, audit on the subscription -10, audit on the
     * user -5, jobs -3 and -1 */
    static const char *const kinds[] = { "subscription", "license", "license_event", "audit",
                                         "license_event", "audit", "audit", "job", "job" };
    CHECK(st.count == sizeof kinds / sizeof kinds[0]);
    for (size_t i = 0; i < st.count && i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(st.events[i].kind, kinds[i]) != 0)
            fprintf(stderr, "  story[%zu]: %s %s %s\n", i, st.events[i].at, st.events[i].kind,
                    st.events[i].text);
        CHECK_STR(st.events[i].kind, kinds[i]);
    }
    for (size_t i = 1; i < st.count; i++)
        CHECK(st.events[i - 1].at && st.events[i].at &&
              strcmp(st.events[i - 1].at, st.events[i].at) <= 0);
    if (st.count > 4)
        CHECK_CONTAINS(st.events[4].text, "license 1: trial -> active by billing: paid");
    billing_story_free(&st);
    CHECK(billing_story(&s, s.conn, "nobody", &st, &err) == 0);
    CHECK(!st.found && st.count == 0);
    billing_story_free(&st);
    session_free(&s);
}

static void test_without_the_tables(void)
{
    Session s;
    fx_session(&s, "bill_none", NULL, false);
    fx(s.conn, "CREATE TABLE users (id integer PRIMARY KEY, email text, login text);");
    BillModel m;
    DbError err = DB_ERROR_INIT;
    CHECK(billing_load(&s, s.conn, &m, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "no table subscriptions, licenses, license_events, jobs, "
                                "audit_log (set subscriptions, licenses");
    CHECK_CONTAINS(err.message, "table users has no column username (set columns = "
                                "users.username:NAME in [billing])");
    db_error_clear(&err);
    billing_model_free(&m);
    BillWhy w;
    CHECK(billing_why(&s, s.conn, "x", &w, &err) == -1 && err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    billing_why_free(&w);
    session_free(&s);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_each_anomaly_counted);
    RUN(test_grace_period);
    RUN(test_why_in_each_situation);
    RUN(test_candidates);
    RUN(test_story_in_time_order);
    RUN(test_without_the_tables);
    return test_report();
}
