/* test_seed_reset.c: reset removes exactly the seeded rows, on a real
 * database.  The test writes rows of its own in the same tables before and
 * after seeding, some of them referencing seeded rows: reset refuses and
 * names those, deletes nothing; once they are gone it removes every seeded
 * row (children first, after a backup) and keeps every other one, also a
 * row that took the key of a seeded row deleted by hand; one set is reset
 * without touching another; a cancel deletes nothing.
 *   test_seed_reset sqlite|postgres */
#include "seed_fixture.h"

static bool pg(void)
{
    return engine == DB_ENGINE_POSTGRES;
}

static long long id_of(DbConn *c, const char *sql)
{
    return count_of(c, sql);
}

/* exec_ok of a statement made with one printf argument */
#define EXEC_FMT(c, fmt, a) do { char *s_ = xasprintf(fmt, a); exec_ok(c, s_); free(s_); } \
    while (0)

static void test_reset_keeps_others_and_refuses_references(void)
{
    Session s;
    seed_session(&s, "seed_reset", false, NULL, false);
    DbConn *c = s.conn;
    /* rows of the application before the seed */
    exec_ok(c, "INSERT INTO users (email, username) VALUES ('early@app.org', 'early')");
    exec_ok(c, "INSERT INTO subscriptions (user_id, status, plan_type) SELECT id, 'active', "
               "'monthly' FROM users WHERE username = 'early'");
    DbError err = DB_ERROR_INIT;
    CHECK(act(&s, "seed", "set=demo", NULL, NULL, &err) == 0);
    db_error_clear(&err);
    long long seeded_users = count_of(c, "SELECT count(*) FROM users") - 1;
    CHECK(seeded_users == 13);
    /* rows of the application after it, one of them in a seeded workspace,
     * one an invoice of a seeded user, one an item in a seeded booth */
    exec_ok(c, "INSERT INTO users (email, username) VALUES ('late@app.org', 'late')");
    long long late = id_of(c, "SELECT id FROM users WHERE username = 'late'");
    CHECK(late > id_of(c, "SELECT max(id) FROM users WHERE username <> 'late'"));
    EXEC_FMT(c, "INSERT INTO workspaces (owner_id, name) VALUES (%lld, 'late''s own')", late);
    long long alice_ws = id_of(c, "SELECT id FROM workspaces WHERE name = 'Alice Studio'");
    EXEC_FMT(c, "INSERT INTO projects (workspace_id, name) VALUES (%lld, 'written by the app')",
             alice_ws);
    exec_ok(c, "INSERT INTO invoices (user_id, invoice_number, amount) SELECT id, 'APP-1', 10 "
               "FROM users WHERE username = 'alice'");
    exec_ok(c, "INSERT INTO nft_items (owner_id, booth_id, name) SELECT u.id, b.id, 'app item' "
               "FROM users u, market_booths b WHERE u.username = 'late' AND b.name = "
               "'Frank''s Render Bazaar'");
    long long before_users = count_of(c, "SELECT count(*) FROM users");
    long long before_projects = count_of(c, "SELECT count(*) FROM projects");

    /* refused, naming the rows, nothing deleted */
    ActionPlan p;
    CHECK(action_plan(&s, c, &action_reset, "set=demo", false, &p, &err) == -1);
    CHECK(err.kind == DB_ERR_SQL);
    CHECK_STR(err.code, SEED_REFERENCED);
    CHECK_CONTAINS(err.message, "reset refused");
    CHECK_CONTAINS(err.message, "(workspace_id=");
    CHECK_CONTAINS(err.message, "references seeded workspaces");
    CHECK_CONTAINS(err.message, "references seeded users");
    CHECK_CONTAINS(err.message, "references seeded market_booths");
    CHECK_CONTAINS(err.message, "nothing was deleted");
    db_error_clear(&err);
    action_plan_free(&p);
    CHECK(count_of(c, "SELECT count(*) FROM users") == before_users);
    CHECK(count_of(c, "SELECT count(*) FROM projects") == before_projects);

    /* those rows go (the application's choice); then reset goes through */
    exec_ok(c, "DELETE FROM projects WHERE name = 'written by the app'");
    exec_ok(c, "DELETE FROM invoices WHERE invoice_number = 'APP-1'");
    exec_ok(c, "UPDATE nft_items SET booth_id = NULL WHERE name = 'app item'");
    CHECK(action_plan(&s, c, &action_reset, "set=demo", false, &p, &err) == 0);
    CHECK_STR(action_confirm_word(&s, c, &p), "yes");
    CHECK(p.count > 100 && p.what && strstr(p.what, "DELETE FROM jobs"));
    /* children first: jobs before licenses before users */
    const char *w = p.what;
    CHECK(strstr(w, "DELETE FROM jobs") < strstr(w, "DELETE FROM licenses") &&
          strstr(w, "DELETE FROM licenses") < strstr(w, "DELETE FROM users "));
    Events ev = { 0, 0, NULL };
    ActionEvents aev = { on_progress, NULL, NULL, NULL, on_cancelled, NULL, &ev };
    char *out = NULL, *backup = NULL;
    CHECK(action_execute(&s, c, &p, true, &aev, &out, &backup, &err) == 0);
    if (err.message)
        fprintf(stderr, "reset: %s\n", err.message);
    db_error_clear(&err);
    CHECK_CONTAINS(out, "seeded rows removed");
    CHECK(backup != NULL);
    free(out);
    free(backup);
    free(ev.last);
    action_plan_free(&p);
    /* the application's rows stay, every seeded one is gone */
    CHECK(count_of(c, "SELECT count(*) FROM users") == 2);
    CHECK(count_of(c, "SELECT count(*) FROM users WHERE username IN ('early', 'late')") == 2);
    CHECK(count_of(c, "SELECT count(*) FROM subscriptions") == 1);
    CHECK(count_of(c, "SELECT count(*) FROM workspaces") == 1);
    CHECK(count_of(c, "SELECT count(*) FROM nft_items WHERE name = 'app item'") == 1);
    CHECK(count_of(c, "SELECT count(*) FROM jobs") == 0);
    CHECK(count_of(c, "SELECT count(*) FROM licenses") == 0);
    CHECK(count_of(c, "SELECT count(*) FROM dbwarden_seed_runs") == 0);
    CHECK(count_of(c, "SELECT count(*) FROM dbwarden_seed_keys") == 0);
    /* nothing left to reset */
    CHECK(action_plan(&s, c, &action_reset, NULL, false, &p, &err) == 0);
    CHECK(p.nothing);
    action_plan_free(&p);
    session_free(&s);
}

/* A seeded row deleted by hand whose key the application gets again
 * (SQLite hands out the largest key plus one; an application may insert
 * keys of its own) is the application's row: reset keeps it. */
static void test_reused_key_is_not_seeded(void)
{
    Session s;
    seed_session(&s, "seed_reuse", false, "[seed]\nanomalies = 0\n", false);
    DbConn *c = s.conn;
    DbError err = DB_ERROR_INIT;
    CHECK(act(&s, "seed", "set=scale\nscale=60\nseed=3", NULL, NULL, &err) == 0);
    if (err.message)
        fprintf(stderr, "seed: %s\n", err.message);
    db_error_clear(&err);
    long long top = id_of(c, "SELECT max(id) FROM transaction_idempotency");
    CHECK(top > 0);
    EXEC_FMT(c, "DELETE FROM transaction_idempotency WHERE id = %lld", top);
    if (pg())
        EXEC_FMT(c, "INSERT INTO transaction_idempotency (id, idempotency_key) VALUES (%lld, "
                    "'the app''s own')", top);
    else
        exec_ok(c, "INSERT INTO transaction_idempotency (idempotency_key) VALUES "
                   "('the app''s own')");
    CHECK(id_of(c, "SELECT id FROM transaction_idempotency WHERE idempotency_key = 'the app''s "
                   "own'") == top);
    CHECK(act(&s, "reset", "set=scale", NULL, NULL, &err) == 0);
    if (err.message)
        fprintf(stderr, "reset: %s\n", err.message);
    db_error_clear(&err);
    CHECK(count_of(c, "SELECT count(*) FROM transaction_idempotency") == 1);
    CHECK(count_of(c, "SELECT count(*) FROM users") == 0);
    session_free(&s);
}

/* Two sets: resetting one leaves the other whole; a cancel deletes nothing. */
static void test_one_set_of_two_and_cancel(void)
{
    Session s;
    seed_session(&s, "seed_two", false, NULL, false);
    DbConn *c = s.conn;
    DbError err = DB_ERROR_INIT;
    CHECK(act(&s, "seed", "set=demo", NULL, NULL, &err) == 0);
    CHECK(act(&s, "seed", "set=scale\nscale=40\nseed=9", NULL, NULL, &err) == 0);
    db_error_clear(&err);
    long long demo_users = count_of(c, "SELECT count(*) FROM users WHERE email LIKE "
                                       "'%@example.com'");
    long long all = count_of(c, "SELECT count(*) FROM jobs");
    CHECK(demo_users == 13);
    /* cancelled: everything stays */
    Events ev = { 0, 1, NULL };   /* cancelled once the first table is deleted */
    CHECK(act(&s, "reset", "set=scale", &ev, NULL, &err) == -1);
    CHECK(err.kind == DB_ERR_CANCELLED);
    db_error_clear(&err);
    free(ev.last);
    CHECK(count_of(c, "SELECT count(*) FROM jobs") == all);
    CHECK(count_of(c, "SELECT count(*) FROM dbwarden_seed_runs") == 2);
    /* the scale set goes, demo stays */
    CHECK(act(&s, "reset", "set=scale\nscale=40\nseed=9", NULL, NULL, &err) == 0);
    db_error_clear(&err);
    CHECK(count_of(c, "SELECT count(*) FROM users") == 13);
    CHECK(count_of(c, "SELECT count(*) FROM users WHERE email LIKE '%.example'") == 0);
    CHECK(count_of(c, "SELECT count(*) FROM dbwarden_seed_runs WHERE set_name = 'demo'") == 1);
    CHECK(count_of(c, "SELECT count(*) FROM dbwarden_seed_runs") == 1);
    session_free(&s);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    grant_replica();
    RUN(test_reset_keeps_others_and_refuses_references);
    RUN(test_reused_key_is_not_seeded);
    RUN(test_one_set_of_two_and_cancel);
    return test_report();
}
