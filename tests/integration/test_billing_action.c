/* test_billing_action.c: the license-set action row on a real database:
 * every allowed transition writes the new state, a license_events row and
 * an audit_log row; a forbidden one is refused with the allowed list and
 * changes nothing; when the audit (or the event) insert fails nothing is
 * changed; a license moved by someone else meanwhile is refused under the
 * lock; read-only refuses; no backup is taken; production asks its name.
 *   test_billing_action sqlite|postgres */
#include "action.h"
#include "test_billing_fixture.h"

static int backups;

static void ev_backup(void *ctx, const char *path, long long bytes, long ms)
{
    (void)ctx;
    (void)path;
    (void)bytes;
    (void)ms;
    backups++;
}

static const ActionEvents events = { NULL, NULL, NULL, ev_backup, NULL, NULL, NULL };

static void reference_session(Session *s, const char *name, const char *ini)
{
    fx_session(s, name, ini, false);
    fx_reference_schema(s->conn);
    fx(s->conn, "INSERT INTO users (id, email, username) VALUES (1, 'a@example.com', 'alice');\n"
                "INSERT INTO subscriptions (user_id, status, plan_type) VALUES (1, 'active', "
                "'monthly');");
}

/* A new license of alice's in that state; its id (caller frees). */
static char *new_license(DbConn *c, const char *state)
{
    char *sql = xasprintf("INSERT INTO licenses (user_id, product, status) VALUES (1, 'pro', "
                          "'%s')", state);
    fx(c, sql);
    free(sql);
    return fx_value(c, "SELECT CAST(max(id) AS TEXT) FROM licenses");
}

/* The count a query gives; takes sql over. */
static long long count_q(DbConn *c, char *sql)
{
    char *v = fx_value(c, sql);
    long long n = v ? atoll(v) : -1;
    free(v);
    free(sql);
    return n;
}

static char *state_of(DbConn *c, const char *id)
{
    char *sql = xasprintf("SELECT status FROM licenses WHERE id = %s", id);
    char *v = fx_value(c, sql);
    free(sql);
    return v;
}

/* Plans and runs id -> to; returns the run's status (the plan's when it
 * failed), with err set. */
static int transition(Session *s, const char *id, const char *to, const char *reason,
                      char **corr, DbError *err)
{
    char *arg = billing_set_arg(id, to, reason, "tester");
    ActionPlan p;
    int rc = action_plan(s, s->conn, &action_license_set, arg, false, &p, err);
    char *outcome = NULL, *bpath = NULL;
    if (rc == 0) {
        CHECK(p.count == 1 && p.what && strstr(p.what, "UPDATE") && strstr(p.what, "audit_log"));
        CHECK(action_confirm_word(s, s->conn, &p) == NULL);   /* not asked off production */
        rc = action_execute(s, s->conn, &p, true, &events, &outcome, &bpath, err);
        const BillSet *b = billing_set_of(&p);
        CHECK(b != NULL);
        if (rc == 0 && b) {
            CHECK(b->event_id && b->audit_id);
            CHECK_CONTAINS(outcome, "license_events");
        }
        if (corr && b)
            *corr = xstrdup(b->correlation_id);
    }
    free(outcome);
    free(bpath);
    action_plan_free(&p);
    free(arg);
    return rc;
}

static void test_every_allowed_transition(void)
{
    Session s;
    reference_session(&s, "bill_allowed", NULL);
    static const char *const allowed[][2] = {
        { "trial", "active" }, { "trial", "expired" }, { "active", "suspended" },
        { "suspended", "active" }, { "active", "expired" }, { "expired", "active" },
        { "trial", "revoked" }, { "active", "revoked" }, { "suspended", "revoked" },
        { "expired", "revoked" },
    };
    DbError err = DB_ERROR_INIT;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        const char *from = allowed[i][0], *to = allowed[i][1];
        char *id = new_license(s.conn, from), *corr = NULL;
        char reason[64];
        snprintf(reason, sizeof reason, "reason %zu: it's \"%s\"", i, to);
        CHECK(transition(&s, id, to, reason, &corr, &err) == 0);
        if (err.message)
            fprintf(stderr, "  %s>%s: %s\n", from, to, err.message);
        db_error_clear(&err);
        char *st = state_of(s.conn, id);
        CHECK_STR(st, to);
        CHECK(count_q(s.conn, xasprintf("SELECT count(*) FROM license_events WHERE "
                                        "license_id = %s AND from_status = '%s' AND "
                                        "to_status = '%s' AND actor = 'tester' AND "
                                        "reason LIKE 'reason %zu:%%'", id, from, to, i)) == 1);
        CHECK(count_q(s.conn, xasprintf("SELECT count(*) FROM audit_log WHERE entity = "
                                        "'license' AND entity_id = %s AND actor = 'tester' "
                                        "AND action = 'license.transition' AND "
                                        "correlation_id = '%s' AND CAST(details AS TEXT) "
                                        "LIKE '%%\"to\": \"%s\"%%'", id, corr ? corr : "",
                                        to)) == 1);
        free(st);
        free(corr);
        free(id);
    }
    CHECK(backups == 0);   /* not destructive: no backup */
    /* the actor defaults to user@host */
    char *id = new_license(s.conn, "trial");
    char *arg = billing_set_arg(id, "active", "paid", NULL);
    ActionPlan p;
    CHECK(action_plan(&s, s.conn, &action_license_set, arg, false, &p, &err) == 0);
    CHECK(billing_set_of(&p) && strchr(billing_set_of(&p)->actor, '@'));
    action_plan_free(&p);
    free(arg);
    free(id);
    session_free(&s);
}

static void test_forbidden_changes_nothing(void)
{
    Session s;
    reference_session(&s, "bill_forbidden", NULL);
    DbError err = DB_ERROR_INIT;
    char *id = new_license(s.conn, "active");
    CHECK(transition(&s, id, "trial", "no", NULL, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_STR(err.code, BILLING_NOT_ALLOWED);
    CHECK_CONTAINS(err.message, "active>trial is not allowed; allowed from active: "
                                "active>suspended, active>expired, *>revoked");
    db_error_clear(&err);
    char *st = state_of(s.conn, id);
    CHECK_STR(st, "active");
    free(st);
    CHECK(count_q(s.conn, xasprintf("SELECT count(*) FROM license_events WHERE license_id = %s", id)) == 0);
    CHECK(count_q(s.conn, xasprintf("SELECT count(*) FROM audit_log WHERE entity_id = %s", id)) == 0);
    /* revoked is final; the same state is no transition */
    char *rev = new_license(s.conn, "revoked");
    CHECK(transition(&s, rev, "active", "no", NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "allowed from revoked: none");
    db_error_clear(&err);
    CHECK(transition(&s, id, "active", "no", NULL, &err) == -1);
    CHECK_STR(err.code, BILLING_NOT_ALLOWED);
    db_error_clear(&err);
    /* what cannot be planned */
    CHECK(transition(&s, id, "gone", "no", NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "'gone' is not a license state");
    db_error_clear(&err);
    CHECK(transition(&s, "424242", "active", "no", NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "no license has the id 424242");
    db_error_clear(&err);
    CHECK(transition(&s, id, "suspended", "", NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "needs a reason");
    db_error_clear(&err);
    ActionPlan p;
    CHECK(action_plan(&s, s.conn, &action_license_set, "12", false, &p, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    action_plan_free(&p);
    CHECK(count_q(s.conn, xasprintf("SELECT count(*) FROM audit_log")) == 0);
    free(rev);
    free(id);
    session_free(&s);
}

/* A write of the three fails: nothing of the others stays. */
static void failing_write(const char *table, const char *name)
{
    Session s;
    reference_session(&s, name, NULL);
    char *fail = engine == DB_ENGINE_POSTGRES
        ? xasprintf("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    "RAISE EXCEPTION '%s is down'; END $$;\n"
                    "CREATE TRIGGER refuse BEFORE INSERT ON %s FOR EACH ROW "
                    "EXECUTE FUNCTION refuse();", table, table)
        : xasprintf("CREATE TRIGGER refuse BEFORE INSERT ON %s BEGIN "
                    "SELECT RAISE(ABORT, '%s is down'); END;", table, table);
    fx(s.conn, fail);
    free(fail);
    DbError err = DB_ERROR_INIT;
    char *id = new_license(s.conn, "active");
    CHECK(transition(&s, id, "suspended", "card declined", NULL, &err) == -1);
    char *want = xasprintf("%s is down", table);
    CHECK_CONTAINS(err.message, want);
    free(want);
    CHECK_CONTAINS(err.message, "nothing was changed");
    db_error_clear(&err);
    char *st = state_of(s.conn, id);
    CHECK_STR(st, "active");
    free(st);
    CHECK(count_q(s.conn, xasprintf("SELECT count(*) FROM license_events WHERE license_id = %s", id)) == 0);
    CHECK(count_q(s.conn, xasprintf("SELECT count(*) FROM audit_log WHERE entity_id = %s", id)) == 0);
    /* once it works again, the same transition goes through */
    char *drop = engine == DB_ENGINE_POSTGRES ? xasprintf("DROP TRIGGER refuse ON %s", table)
                                               : xstrdup("DROP TRIGGER refuse");
    fx(s.conn, drop);
    free(drop);
    CHECK(transition(&s, id, "suspended", "card declined", NULL, &err) == 0);
    db_error_clear(&err);
    CHECK(count_q(s.conn, xasprintf("SELECT count(*) FROM audit_log WHERE entity_id = %s", id)) == 1);
    free(id);
    session_free(&s);
}

static void test_audit_failure_changes_nothing(void)
{
    failing_write("audit_log", "bill_audit_fails");
}

static void test_event_failure_changes_nothing(void)
{
    failing_write("license_events", "bill_event_fails");
}

static void test_moved_meanwhile(void)
{
    Session s;
    reference_session(&s, "bill_moved", NULL);
    DbError err = DB_ERROR_INIT;
    char *id = new_license(s.conn, "active");
    char *arg = billing_set_arg(id, "suspended", "fraud", "tester");
    ActionPlan p;
    CHECK(action_plan(&s, s.conn, &action_license_set, arg, false, &p, &err) == 0);
    DbConn *other = NULL;
    CHECK(session_open(&s, false, &other, &err) == 0);
    char *sql = xasprintf("UPDATE licenses SET status = 'expired' WHERE id = %s", id);
    fx(other, sql);
    free(sql);
    char *outcome = NULL;
    CHECK(action_execute(&s, s.conn, &p, true, &events, &outcome, NULL, &err) == -1);
    CHECK(err.kind == DB_ERR_BUSY);
    CHECK_STR(err.code, MIGRATE_PLAN_CHANGED);
    CHECK_CONTAINS(err.message, "moved from active to expired while you were confirming: "
                                "nothing was done");
    db_error_clear(&err);
    char *st = state_of(s.conn, id);
    CHECK_STR(st, "expired");
    free(st);
    CHECK(count_q(s.conn, xasprintf("SELECT count(*) FROM license_events WHERE license_id = %s", id)) == 0);
    action_plan_free(&p);
    db_close(other);
    free(arg);
    free(id);
    session_free(&s);
}

static void test_guard(void)
{
    /* read-only: refused before planning */
    Session ro;
    fx_session(&ro, "bill_ro", NULL, true);
    DbError err = DB_ERROR_INIT;
    ActionPlan p;
    char *arg = billing_set_arg("1", "active", "x", NULL);
    CHECK(action_plan(&ro, ro.conn, &action_license_set, arg, false, &p, &err) == -1);
    CHECK_CONTAINS(err.message, "--read-only");
    db_error_clear(&err);
    action_plan_free(&p);
    session_free(&ro);
    /* production: the name is typed */
    Session s;
    reference_session(&s, "bill_prod", "[database]\nenvironment = production\n");
    char *id = new_license(s.conn, "trial");
    free(arg);
    arg = billing_set_arg(id, "active", "paid", NULL);
    CHECK(action_plan(&s, s.conn, &action_license_set, arg, false, &p, &err) == 0);
    CHECK_STR(action_confirm_word(&s, s.conn, &p), db_name(s.conn));
    CHECK(action_preflight(&s, s.conn, &p, true, &err) == 0);   /* no backup to check */
    action_plan_free(&p);
    free(arg);
    free(id);
    session_free(&s);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_every_allowed_transition);
    RUN(test_forbidden_changes_nothing);
    RUN(test_audit_failure_changes_nothing);
    RUN(test_event_failure_changes_nothing);
    RUN(test_moved_meanwhile);
    RUN(test_guard);
    return test_report();
}
