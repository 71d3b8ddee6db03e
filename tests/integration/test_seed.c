/* test_seed.c: the demo set on the reference schema of a real database:
 * every Integrity and Licenses finding the story promises is there; a run
 * again adds nothing and says so; rows deleted by hand come back with
 * their keys; the plan writes nothing; a database that is not the
 * reference schema is refused untouched; production refuses without
 * --force, read-only always; a cancel and a failure half way leave
 * nothing behind.
 *   test_seed sqlite|postgres */
#include "seed_fixture.h"

static bool pg(void)
{
    return engine == DB_ENGINE_POSTGRES;
}

/* How many rows a query of the story finds. */
static void finds(DbConn *c, const char *what, const char *sql, long long want)
{
    long long n = count_of(c, sql);
    test_checks++;
    if (n != want) {
        test_failures++;
        fprintf(stderr, "demo: %s: %lld rows, expected %lld\n  %s\n", what, n, want, sql);
    }
}

#define ORPHANS(child, col, parent) \
    "SELECT count(*) FROM " child " c WHERE c." col " IS NOT NULL AND NOT EXISTS " \
    "(SELECT 1 FROM " parent " p WHERE p.id = c." col ")"

static void check_integrity_findings(DbConn *c)
{
    finds(c, "project of a missing workspace", ORPHANS("projects", "workspace_id", "workspaces"), 1);
    finds(c, "subscription of a missing user", ORPHANS("subscriptions", "user_id", "users"), 1);
    finds(c, "license of a missing user", ORPHANS("licenses", "user_id", "users"), 1);
    finds(c, "job of a missing license", ORPHANS("jobs", "license_id", "licenses"), 1);
    finds(c, "job of a missing user", ORPHANS("jobs", "user_id", "users"), 1);
    finds(c, "event of a missing license", ORPHANS("license_events", "license_id", "licenses"), 1);
    finds(c, "invoice of a missing subscription",
          ORPHANS("invoices", "subscription_id", "subscriptions"), 1);
    finds(c, "invoices with no subscription (not orphans)",
          "SELECT count(*) FROM invoices WHERE subscription_id IS NULL", 2);
    finds(c, "item of a missing booth", ORPHANS("nft_items", "booth_id", "market_booths"), 1);
    finds(c, "item with no booth (not an orphan)",
          "SELECT count(*) FROM nft_items WHERE booth_id IS NULL", 1);
    finds(c, "inferred orphan: creator missing", ORPHANS("nft_items", "creator_id", "users"), 1);
    finds(c, "money as float: prices", "SELECT count(*) FROM nft_items WHERE price IS NOT NULL", 6);
    finds(c, "VAT 20.00 on every invoice", "SELECT count(*) FROM invoices WHERE vat_rate <> 20", 0);
    finds(c, "total = amount * 1.2",
          "SELECT count(*) FROM invoices WHERE total IS NOT NULL AND abs(total - amount * 1.2) "
          "> 0.001", 0);
    if (!pg())
        finds(c, "PRAGMA foreign_key_check", "SELECT count(*) FROM pragma_foreign_key_check", 8);
}

static void check_license_findings(DbConn *c)
{
    const char *overdue = pg()
        ? "SELECT count(*) FROM subscriptions WHERE status = 'active' AND next_billing_date < "
          "current_date - 3"
        : "SELECT count(*) FROM subscriptions WHERE status = 'active' AND next_billing_date < "
          "date('now', '-3 days')";
    finds(c, "active subscription overdue past grace", overdue, 1);
    const char *past = pg()
        ? "SELECT count(*) FROM licenses WHERE status = 'active' AND expires_at < now()"
        : "SELECT count(*) FROM licenses WHERE status = 'active' AND expires_at < "
          "strftime('%Y-%m-%d %H:%M:%S', 'now')";
    finds(c, "active license past its end", past, 1);
    finds(c, "dead license with jobs waiting or running",
          "SELECT count(DISTINCT l.id) FROM licenses l JOIN jobs j ON j.license_id = l.id WHERE "
          "l.status IN ('expired', 'suspended', 'revoked') AND j.status IN ('queued', 'running')",
          3);
    finds(c, "user with two active subscriptions",
          "SELECT count(*) FROM (SELECT user_id FROM subscriptions WHERE status = 'active' "
          "GROUP BY user_id HAVING count(*) > 1) x", 1);
    finds(c, "active license, every subscription cancelled or expired",
          "SELECT count(*) FROM licenses l WHERE l.status = 'active' AND EXISTS (SELECT 1 FROM "
          "subscriptions s WHERE s.user_id = l.user_id) AND NOT EXISTS (SELECT 1 FROM "
          "subscriptions s WHERE s.user_id = l.user_id AND s.status NOT IN ('cancelled', "
          "'expired'))", 1);
    finds(c, "user with no subscription",
          "SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE "
          "s.user_id = u.id)", 1);
    finds(c, "seats exhausted (an active license of a user who exists)",
          "SELECT count(*) FROM licenses l JOIN users u ON u.id = l.user_id WHERE l.status = "
          "'active' AND l.seats <= (SELECT count(*) FROM jobs j WHERE j.license_id = l.id AND "
          "j.status = 'running')", 1);
    finds(c, "a past_due subscription", "SELECT count(*) FROM subscriptions WHERE status = "
          "'past_due'", 1);
    finds(c, "every subscription state", "SELECT count(DISTINCT status) FROM subscriptions", 5);
    finds(c, "every license state", "SELECT count(DISTINCT status) FROM licenses", 5);
    finds(c, "every job status", "SELECT count(DISTINCT status) FROM jobs", 5);
    finds(c, "the users", "SELECT count(*) FROM users", 13);
    finds(c, "NULLs: no api key", "SELECT count(*) FROM users WHERE api_key IS NULL", 1);
    finds(c, "long values", "SELECT count(*) FROM projects WHERE length(name) > 200", 1);
    finds(c, "the ghost user is key 1 in a fresh database",
          "SELECT count(*) FROM subscriptions WHERE user_id = 1", 1);
    finds(c, "alice is key 2", "SELECT count(*) FROM users WHERE id = 2 AND username = 'alice'",
          1);
}

static void test_demo_findings(void)
{
    Session s;
    seed_session(&s, "seed_demo", false, NULL, false);
    DbError err = DB_ERROR_INIT;
    ActionPlan p;
    /* the plan writes nothing */
    CHECK(action_plan(&s, s.conn, &action_seed, "set=demo", false, &p, &err) == 0);
    CHECK(p.count > 100 && !p.nothing && p.nitems == SEED_NTABLES);
    CHECK_CONTAINS(p.summary, "seed demo:");
    CHECK(p.warning == NULL);
    CHECK(count_of(s.conn, "SELECT count(*) FROM users") == 0);
    CHECK(!itest_table_exists(s.conn, "dbwarden_seed_runs"));
    long long planned = p.count;
    action_plan_free(&p);

    Events ev = { 0, 0, NULL };
    char *outcome = NULL;
    CHECK(act(&s, "seed", "set=demo", &ev, &outcome, &err) == 0);
    if (err.message)
        fprintf(stderr, "seed demo: %s\n", err.message);
    db_error_clear(&err);
    CHECK_CONTAINS(outcome, "seeded demo:");
    CHECK(ev.progress > 0 && ev.last && strstr(ev.last, "rows/s"));
    free(outcome);
    free(ev.last);
    CHECK(count_of(s.conn, "SELECT sum(rows) FROM dbwarden_seed_runs") == planned);
    check_integrity_findings(s.conn);
    check_license_findings(s.conn);

    /* again: nothing new, and it says so */
    CHECK(action_plan(&s, s.conn, &action_seed, "set=demo", false, &p, &err) == 0);
    CHECK(p.nothing && p.count == 0);
    char want[64];
    snprintf(want, sizeof want, "0 new rows; %lld already seeded", planned);
    CHECK_CONTAINS(p.summary, want);
    action_plan_free(&p);
    CHECK(act(&s, "seed", "set=demo", NULL, &outcome, &err) == 0);
    CHECK_CONTAINS(outcome, "0 new rows");
    free(outcome);
    CHECK(count_of(s.conn, "SELECT count(*) FROM dbwarden_seed_runs") == 1);

    /* rows deleted by hand come back with their keys, and only they */
    exec_ok(s.conn, "DELETE FROM audit_log WHERE actor = 'alice'");
    exec_ok(s.conn, "DELETE FROM transaction_idempotency WHERE idempotency_key = 'idem-demo-0004'");
    CHECK(act(&s, "seed", "set=demo", NULL, &outcome, &err) == 0);
    CHECK_CONTAINS(outcome, "2 new rows");
    free(outcome);
    CHECK(count_of(s.conn, "SELECT count(*) FROM audit_log WHERE actor = 'alice' AND entity_id = 2")
          == 1);
    CHECK(count_of(s.conn, "SELECT count(*) FROM dbwarden_seed_runs") == 2);
    check_integrity_findings(s.conn);

    /* the status the Seed pane shows */
    SeedStatus st;
    CHECK(seed_status(s.conn, true, &st, &err) == 0);
    CHECK(st.ledger && st.nruns == 2);
    long long users = 0;
    for (size_t i = 0; i < st.ntables; i++)
        if (strcmp(st.tables[i].table, "users") == 0)
            users += st.tables[i].rows;
    CHECK(users == 13);
    /* a row seeded again is seeded once: the audit_log's seeded rows are
     * its rows, not one more for the run that put the row back */
    long long audit = 0;
    for (size_t i = 0; i < st.ntables; i++)
        if (strcmp(st.tables[i].table, "audit_log") == 0)
            audit += st.tables[i].rows;
    CHECK(audit == count_of(s.conn, "SELECT count(*) FROM audit_log"));
    seed_status_free(&st);
    /* and reset removes them all (it refused: "N planned, N-1 found") */
    CHECK(act(&s, "reset", "set=demo", NULL, NULL, &err) == 0);
    if (err.message)
        fprintf(stderr, "reset demo: %s\n", err.message);
    db_error_clear(&err);
    CHECK(count_of(s.conn, "SELECT count(*) FROM audit_log") == 0);
    CHECK(count_of(s.conn, "SELECT count(*) FROM users") == 0);
    session_free(&s);
}

/* A database without the reference tables: refused, naming what is missing. */
static void test_not_reference_schema(void)
{
    Session s;
    seed_session(&s, "seed_bare", true, NULL, false);
    exec_ok(s.conn, "CREATE TABLE users (id integer PRIMARY KEY, email text)");
    DbError err = DB_ERROR_INIT;
    CHECK(act(&s, "seed", "set=demo", NULL, NULL, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "missing tables: workspaces, projects, subscriptions");
    CHECK_CONTAINS(err.message, "missing columns: users.username");
    db_error_clear(&err);
    CHECK(act(&s, "seed", "set=scale\nscale=10", NULL, NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "seed scale --scale 10 --seed 1 needs the reference schema");
    db_error_clear(&err);
    CHECK(count_of(s.conn, "SELECT count(*) FROM users") == 0);
    CHECK(!itest_table_exists(s.conn, "dbwarden_seed_runs"));
    session_free(&s);
}

static void test_production_and_read_only(void)
{
    Session s;
    seed_session(&s, "seed_prod", false, "[database]\nenvironment = production\n", false);
    DbError err = DB_ERROR_INIT;
    ActionPlan p;
    CHECK(action_plan(&s, s.conn, &action_seed, "set=demo", false, &p, &err) == -1);
    CHECK_CONTAINS(err.message, "production database: seed refused; give --force");
    db_error_clear(&err);
    action_plan_free(&p);
    CHECK(action_plan(&s, s.conn, &action_reset, "", false, &p, &err) == -1);
    CHECK_CONTAINS(err.message, "reset refused");
    db_error_clear(&err);
    action_plan_free(&p);
    /* a dry run shows the plan */
    CHECK(action_plan(&s, s.conn, &action_seed, "set=demo", true, &p, &err) == 0);
    action_plan_free(&p);
    /* forced: the database name must be typed */
    CHECK(action_plan(&s, s.conn, &action_seed, "set=demo\nforce=yes", false, &p, &err) == 0);
    CHECK_STR(action_confirm_word(&s, s.conn, &p), db_name(s.conn));
    action_plan_free(&p);
    CHECK(count_of(s.conn, "SELECT count(*) FROM users") == 0);
    session_free(&s);

    seed_session(&s, "seed_ro", false, NULL, true);
    CHECK(action_plan(&s, s.conn, &action_seed, "set=demo", false, &p, &err) == -1);
    CHECK_CONTAINS(err.message, "--read-only");
    db_error_clear(&err);
    action_plan_free(&p);
    CHECK(action_plan(&s, s.conn, &action_reset, NULL, false, &p, &err) == -1);
    CHECK_CONTAINS(err.message, "--read-only");
    db_error_clear(&err);
    action_plan_free(&p);
    session_free(&s);
}

/* What the database holds, as one number per table and the ledger. */
static void snapshot(DbConn *c, long long out[SEED_NTABLES + 1])
{
    static const char *const t[] = { "users", "workspaces", "projects", "subscriptions",
                                     "licenses", "license_events", "jobs", "invoices",
                                     "transaction_idempotency", "audit_log", "market_booths",
                                     "nft_items" };
    for (int i = 0; i < SEED_NTABLES; i++) {
        char *sql = xasprintf("SELECT count(*) FROM %s", t[i]);
        out[i] = count_of(c, sql);
        free(sql);
    }
    out[SEED_NTABLES] = itest_table_exists(c, "dbwarden_seed_runs")
        ? count_of(c, "SELECT count(*) FROM dbwarden_seed_runs") : -1;
}

static void test_cancel_and_failure_leave_nothing(void)
{
    Session s;
    seed_session(&s, "seed_cancel", false, NULL, false);
    exec_ok(s.conn, "INSERT INTO users (email, username) VALUES ('own@x.org', 'own')");
    long long before[SEED_NTABLES + 1], after[SEED_NTABLES + 1];
    snapshot(s.conn, before);
    DbError err = DB_ERROR_INIT;
    /* cancelled after a few progress events, in the middle of the load */
    Events ev = { 0, 3, NULL };
    CHECK(act(&s, "seed", "set=scale\nscale=3000", &ev, NULL, &err) == -1);
    CHECK(err.kind == DB_ERR_CANCELLED);
    CHECK_CONTAINS(err.message, "rolled back");
    db_error_clear(&err);
    free(ev.last);
    snapshot(s.conn, after);
    CHECK(memcmp(before, after, sizeof before) == 0);
    /* a failure half way: jobs refuse a second row of one status */
    exec_ok(s.conn, "CREATE UNIQUE INDEX one_job_per_status ON jobs (status)");
    CHECK(act(&s, "seed", "set=scale\nscale=200", NULL, NULL, &err) == -1);
    CHECK(err.kind == DB_ERR_SQL);
    CHECK_CONTAINS(err.message, "jobs");
    db_error_clear(&err);
    snapshot(s.conn, after);
    CHECK(memcmp(before, after, sizeof before) == 0);
    exec_ok(s.conn, "DROP INDEX one_job_per_status");
    /* and then it goes through, above the row that was there */
    CHECK(act(&s, "seed", "set=scale\nscale=200", NULL, NULL, &err) == 0);
    db_error_clear(&err);
    CHECK(count_of(s.conn, "SELECT count(*) FROM users WHERE username = 'own'") == 1);
    CHECK(count_of(s.conn, "SELECT min(id) FROM users WHERE username <> 'own'") > 1);
    session_free(&s);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    grant_replica();
    RUN(test_demo_findings);
    RUN(test_not_reference_schema);
    RUN(test_production_and_read_only);
    RUN(test_cancel_and_failure_leave_nothing);
    return test_report();
}
