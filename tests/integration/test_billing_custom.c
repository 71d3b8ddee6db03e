/* test_billing_custom.c: a database whose tables and columns have other
 * names and whose states are another vocabulary (Stripe's for
 * subscriptions): refused with what is missing until [billing] says where
 * things are, then counted, answered and moved as the reference schema is.
 *   test_billing_custom sqlite|postgres */
#include "action.h"
#include "test_billing_fixture.h"

static const char *const schema =
    "CREATE TABLE accounts (id {ID}, mail text NOT NULL, handle text NOT NULL);\n"
    "CREATE TABLE plans_subs (id {ID}, account_id integer, state text, price text, "
    "renews_on {DATE}, created {TS});\n"
    "CREATE TABLE entitlements (id {ID}, account_id integer, sku text, lifecycle text, "
    "seats integer, valid_from {TS}, valid_until {TS});\n"
    "CREATE TABLE entitlement_log (id {ID}, entitlement_id integer, was text, became text, "
    "why text, who text, at {TS});\n"
    "CREATE TABLE tasks (id {ID}, entitlement_id integer, account_id integer, phase text, "
    "created {TS});\n"
    "CREATE TABLE audit (id {ID}, actor text, action text, entity text, entity_id integer, "
    "correlation_id text, details text, created_at {TS});\n"
    "INSERT INTO accounts (id, mail, handle) VALUES (1, 'a@x.io', 'ann'), (2, 'b@x.io', 'ben'), "
    "(3, 'c@x.io', 'cyd'), (4, 'd@x.io', 'dot');\n"
    /* ann fine; ben unpaid (not live here); cyd canceled but entitled;
     * dot two live ones, one past its renewal */
    "INSERT INTO plans_subs (account_id, state, price, renews_on, created) VALUES "
    "(1, 'active', 'price_pro', {D+10}, {T-40}), (2, 'unpaid', 'price_pro', {D-20}, {T-40}), "
    "(3, 'canceled', 'price_basic', NULL, {T-40}), (4, 'trialing', 'price_pro', {D-9}, {T-10}), "
    "(4, 'active', 'price_pro', {D+20}, {T-5});\n"
    "INSERT INTO entitlements (id, account_id, sku, lifecycle, seats, valid_from, valid_until) "
    "VALUES (1, 1, 'pro', 'valid', 3, {T-30}, NULL), (2, 2, 'pro', 'frozen', 1, {T-30}, NULL), "
    "(3, 3, 'basic', 'valid', 1, {T-30}, NULL), (4, 4, 'pro', 'lapsed', 1, {T-30}, {T-2});\n"
    "INSERT INTO tasks (entitlement_id, account_id, phase, created) VALUES "
    "(2, 2, 'working', {T-1}), (1, 1, 'done', {T-1}), (4, 4, 'waiting', {T-1});\n";

static const char *const settings =
    "[billing]\n"
    "users = accounts\nsubscriptions = plans_subs\nlicenses = entitlements\n"
    "license_events = entitlement_log\njobs = tasks\naudit_log = audit\n"
    "subscription_states = trialing active past_due canceled unpaid paused\n"
    "subscription_live = trialing active past_due\n"
    "subscription_past_due = past_due\n"
    "subscription_ended = canceled\n"
    "license_states = pending valid frozen dead lapsed\n"
    "license_live = valid\nlicense_suspended = frozen\nlicense_revoked = dead\n"
    "license_expired = lapsed\n"
    "job_active = waiting working\n"
    "transitions = pending>valid valid>frozen frozen>valid valid>lapsed lapsed>valid *>dead\n"
    "columns = users.email:mail users.username:handle\n"
    "  subscriptions.user_id:account_id subscriptions.status:state\n"
    "  subscriptions.plan_type:price subscriptions.next_billing_date:renews_on\n"
    "  subscriptions.created_at:created\n"
    "  licenses.user_id:account_id licenses.product:sku licenses.status:lifecycle\n"
    "  licenses.starts_at:valid_from licenses.expires_at:valid_until\n"
    "  license_events.license_id:entitlement_id license_events.from_status:was\n"
    "  license_events.to_status:became license_events.reason:why\n"
    "  license_events.actor:who license_events.created_at:at\n"
    "  jobs.license_id:entitlement_id jobs.user_id:account_id jobs.status:phase\n"
    "  jobs.created_at:created\n";

static void test_refused_until_configured(void)
{
    Session s;
    fx_session(&s, "bill_custom_bare", NULL, false);
    fx(s.conn, schema);
    BillModel m;
    DbError err = DB_ERROR_INIT;
    CHECK(billing_load(&s, s.conn, &m, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "no table users, subscriptions, licenses, license_events, jobs, "
                                "audit_log (set users, subscriptions, licenses, license_events, "
                                "jobs, audit_log in [billing]");
    db_error_clear(&err);
    billing_model_free(&m);
    session_free(&s);
    /* the tables named, not yet the columns */
    fx_session(&s, "bill_custom_half", "[billing]\nusers = accounts\nsubscriptions = plans_subs\n"
               "licenses = entitlements\nlicense_events = entitlement_log\njobs = tasks\n"
               "audit_log = audit\n", false);
    fx(s.conn, schema);
    CHECK(billing_load(&s, s.conn, &m, &err) == -1);
    CHECK_CONTAINS(err.message, "table accounts has no column email (set columns = "
                                "users.email:NAME in [billing])");
    CHECK_CONTAINS(err.message, "table plans_subs has no column status");
    db_error_clear(&err);
    billing_model_free(&m);
    session_free(&s);
}

static void test_works_once_configured(void)
{
    Session s;
    fx_session(&s, "bill_custom", settings, false);
    fx(s.conn, schema);
    BillModel m;
    DbError err = DB_ERROR_INIT;
    CHECK(billing_load(&s, s.conn, &m, &err) == 0);
    if (err.message)
        fprintf(stderr, "  %s\n", err.message);
    CHECK(m.subscriptions.nstates == 6 && strcmp(m.subscriptions.by_state[0].key, "trialing") == 0);
    CHECK(fx_state(&m.subscriptions, "unpaid") == 1 && fx_state(&m.subscriptions, "paused") == 0);
    CHECK(fx_state(&m.licenses, "lapsed") == 1 && fx_state(&m.licenses, "valid") == 2);
    CHECK(m.subscriptions.nplans == 2);   /* price_basic, price_pro */
    CHECK(fx_count(&m, "subscription_past_billing", NULL) == 1);     /* dot's trial */
    CHECK(fx_count(&m, "duplicate_live_subscriptions", NULL) == 1);  /* dot */
    CHECK(fx_count(&m, "jobs_under_dead_license", NULL) == 2);       /* ben's, dot's */
    CHECK(fx_count(&m, "access_after_end", NULL) == 1);              /* cyd */
    CHECK(fx_count(&m, "user_without_subscription", NULL) == 0);
    CHECK(fx_count(&m, "license_past_expiry", NULL) == 0);
    billing_model_free(&m);
    CHECK_STR(fx_why(&s, "ann"), "ok");
    CHECK_STR(fx_why(&s, "b@x.io"), "no_live_subscription");   /* unpaid is not live here */
    CHECK_STR(fx_why(&s, "cyd"), "no_live_subscription");
    CHECK_STR(fx_why(&s, "dot"), "license_expired");           /* lapsed */
    /* a transition in this vocabulary, into these tables */
    char *arg = billing_set_arg("1", "frozen", "chargeback", "support");
    ActionPlan p;
    char *outcome = NULL;
    CHECK(action_plan(&s, s.conn, &action_license_set, arg, false, &p, &err) == 0);
    CHECK(p.what && strstr(p.what, "\"entitlements\"") && strstr(p.what, "\"lifecycle\""));
    CHECK(action_execute(&s, s.conn, &p, true, NULL, &outcome, NULL, &err) == 0);
    if (err.message)
        fprintf(stderr, "  %s\n", err.message);
    char *v = fx_value(s.conn, "SELECT lifecycle FROM entitlements WHERE id = 1");
    CHECK_STR(v, "frozen");
    free(v);
    v = fx_value(s.conn, "SELECT count(*) FROM entitlement_log WHERE entitlement_id = 1 AND "
                         "was = 'valid' AND became = 'frozen' AND who = 'support'");
    CHECK_STR(v, "1");
    free(v);
    v = fx_value(s.conn, "SELECT count(*) FROM audit WHERE entity_id = 1 AND actor = 'support'");
    CHECK_STR(v, "1");
    free(v);
    free(outcome);
    action_plan_free(&p);
    CHECK_STR(fx_why(&s, "ann"), "license_suspended");
    /* the story reads the renamed columns too */
    BillStory st;
    CHECK(billing_story(&s, s.conn, "ann", &st, &err) == 0);
    CHECK(st.count == 5);   /* subscription, license, task, event, audit */
    billing_story_free(&st);
    /* this vocabulary's own rules */
    CHECK(action_plan(&s, s.conn, &action_license_set, arg, false, &p, &err) == -1);
    CHECK_CONTAINS(err.message, "frozen>frozen is not allowed; allowed from frozen: "
                                "frozen>valid, *>dead");
    db_error_clear(&err);
    action_plan_free(&p);
    free(arg);
    session_free(&s);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_refused_until_configured);
    RUN(test_works_once_configured);
    return test_report();
}
