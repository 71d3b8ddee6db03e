/* test_billing_settings.c: the [billing] settings: defaults, a Stripe-style
 * vocabulary, renamed columns, the transitions table, and bad values named
 * with their file and line. */
#include "billing.h"
#include "billing_settings.h"
#include "config.h"
#include "strv.h"
#include "test.h"

#include <stdlib.h>

static const char *write_tmp(const char *name, const char *text)
{
    FILE *f = fopen(name, "w");
    fputs(text, f);
    fclose(f);
    return name;
}

static void test_defaults(void)
{
    Config c;
    config_defaults(&c);
    const BillingSettings *b = &c.billing;
    const char *key = NULL, *other = NULL;
    DbError err = DB_ERROR_INIT;
    CHECK(billing_config_check(&c, &key, &other, &err) == 0);
    CHECK_STR(b->license_states, "trial active suspended expired revoked");
    size_t n = 0;
    char **cur = billing_set_words(b, BS_SUB_CURRENT, &n);
    CHECK(n == 2 && strcmp(cur[0], "trial") == 0 && strcmp(cur[1], "active") == 0);
    strv_free(cur);
    char **dead = billing_set_words(b, BS_LIC_DEAD, &n);
    CHECK(n == 3 && strcmp(dead[0], "suspended") == 0 && strcmp(dead[2], "expired") == 0);
    strv_free(dead);
    /* the default transitions */
    const char *yes[][2] = { { "trial", "active" }, { "trial", "expired" },
                             { "active", "suspended" }, { "suspended", "active" },
                             { "active", "expired" }, { "expired", "active" },
                             { "trial", "revoked" }, { "suspended", "revoked" } };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        CHECK(billing_transition_allowed(b, yes[i][0], yes[i][1]));
    const char *no[][2] = { { "active", "trial" }, { "revoked", "active" },
                            { "expired", "suspended" }, { "revoked", "revoked" },
                            { "suspended", "expired" } };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        CHECK(!billing_transition_allowed(b, no[i][0], no[i][1]));
    char *from = billing_transitions_from(b, "active");
    CHECK_STR(from, "active>suspended, active>expired, *>revoked");
    free(from);
    from = billing_transitions_from(b, "revoked");
    CHECK_STR(from, "none");
    free(from);
    char *col = billing_column(b, BT_LICENSES, "status");
    CHECK_STR(col, "status");
    free(col);
    CHECK_STR(billing_table(b, BT_AUDIT), "audit_log");
    config_free(&c);
}

/* A Stripe-style vocabulary, other tables and renamed columns (a list
 * over two lines). */
static void test_stripe_style(void)
{
    const char *p = write_tmp("cfg_billing.ini",
        "[billing]\nsubscriptions = stripe_subscriptions\n"
        "subscription_states = trialing active past_due canceled unpaid paused\n"
        "subscription_live = trialing active past_due\n"
        "subscription_past_due = past_due unpaid\n"
        "subscription_ended = canceled\n"
        "license_states = pending valid frozen dead\n"
        "license_live = valid\nlicense_suspended = frozen\nlicense_revoked = dead\n"
        "license_expired =\n"
        "transitions = pending>valid valid>frozen frozen>valid *>dead\n"
        "columns = licenses.status:state subscriptions.plan_type:price_id\n"
        "    licenses.status:lifecycle\n");
    Config c;
    DbError err = DB_ERROR_INIT;
    CHECK(config_load(&c, p, &err) == 0);
    if (err.message)
        fprintf(stderr, "  %s\n", err.message);
    const BillingSettings *b = &c.billing;
    CHECK_STR(billing_table(b, BT_SUBSCRIPTIONS), "stripe_subscriptions");
    char *col = billing_column(b, BT_LICENSES, "status");
    CHECK_STR(col, "lifecycle");   /* the last one wins */
    free(col);
    col = billing_column(b, BT_SUBSCRIPTIONS, "plan_type");
    CHECK_STR(col, "price_id");
    free(col);
    col = billing_column(b, BT_SUBSCRIPTIONS, "status");
    CHECK_STR(col, "status");
    free(col);
    size_t n = 0;
    char **cur = billing_set_words(b, BS_SUB_CURRENT, &n);
    CHECK(n == 2 && strcmp(cur[0], "trialing") == 0);
    strv_free(cur);
    char **exp = billing_set_words(b, BS_LIC_EXPIRED, &n);
    CHECK(n == 0 && exp == NULL);
    CHECK(billing_transition_allowed(b, "frozen", "dead"));
    CHECK(!billing_transition_allowed(b, "dead", "valid"));
    config_free(&c);
}

typedef struct Bad {
    const char *text;
    const char *error;
} Bad;

static const Bad bad[] = {
    { "[billing]\nlicense_live = trial actve\n",
      "cfg_billing_bad.ini:2: license_live = 'trial actve': 'actve' is not one of license_states" },
    { "[billing]\njobs = jobs\nlicense_states = a b\n",
      "cfg_billing_bad.ini:3: license_live = 'trial active': 'trial' is not one of license_states (a b)" },
    { "[billing]\ntransitions = trial>active a>\n",
      "cfg_billing_bad.ini:2: transitions = 'trial>active a>': 'a>' is not a transition" },
    { "[billing]\ntransitions = trial>active\n\ntransitions = trial>activ\n",
      "cfg_billing_bad.ini:4: transitions: 'activ' in trial>activ is not one of license_states" },
    { "[billing]\ntransitions = active>active\n",
      "cfg_billing_bad.ini:2: transitions: active>active goes nowhere" },
    { "[billing]\ncolumns = licenses.stat:x\n",
      "cfg_billing_bad.ini:2: columns = 'licenses.stat:x': 'licenses.stat:x' is not table.column:name" },
    { "[billing]\ncolumns = licenses.status\n", "cfg_billing_bad.ini:2: columns = " },
    { "[billing]\nsubscription_states = trial, active\n",
      "cfg_billing_bad.ini:2: subscription_states = 'trial, active': 'trial,' is not a state" },
    { "[billing]\nsubscription_ended = cancelled active\n",
      "cfg_billing_bad.ini:2: subscription_live = 'trial active past_due': 'active' is also in subscription_ended" },
    { "[billing]\nlicense_states = a a\n", "cfg_billing_bad.ini:2: license_states = 'a a' names 'a' twice" },
    { "[billing]\nlicense_states =\n", "cfg_billing_bad.ini:2: license_states is empty" },
};

static void test_bad(void)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Config c;
        DbError err = DB_ERROR_INIT;
        CHECK(config_load(&c, write_tmp("cfg_billing_bad.ini", bad[i].text), &err) == -1);
        CHECK(err.kind == DB_ERR_PARSE);
        CHECK_CONTAINS(err.message, bad[i].error);
        db_error_clear(&err);
    }
}

int main(void)
{
    RUN(test_defaults);
    RUN(test_stripe_style);
    RUN(test_bad);
    return test_report();
}
