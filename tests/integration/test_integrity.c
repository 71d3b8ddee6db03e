/* test_integrity.c: the orphan counts on a real database (argv[1]:
 * sqlite|postgres), planted past the foreign keys: declared keys of one
 * and of two columns, NULL keys that are not orphans, inferred
 * relationships (an alias, a plural, and the names that must not be
 * inferred), hostile names; on PostgreSQL also a schema of its own, a
 * partitioned table with a key on the parent and one on a partition, a
 * NOT VALID key; on SQLite PRAGMA foreign_key_check next to them.  Every
 * count and every number of missing keys must be exact.  Also: thresholds
 * and acceptances turn counts into states; ids stay the same from run to
 * run; the SQLite statement timeout; the job the console runs (progress
 * per check, handed-over checks, cancel). */
#include "job_integrity.h"
#include "test_integrity_fixture.h"

#include <time.h>

static const char schema_sql[] =
    "CREATE TABLE users (id integer PRIMARY KEY, name text);\n"
    "CREATE TABLE orders (id integer PRIMARY KEY, user_id integer REFERENCES users (id), "
    "note text);\n"
    "CREATE TABLE regions (country text NOT NULL, code text NOT NULL, "
    "PRIMARY KEY (country, code));\n"
    "CREATE TABLE shops (id integer PRIMARY KEY, country text, region_code text, "
    "CONSTRAINT shops_region_fkey FOREIGN KEY (country, region_code) "
    "REFERENCES regions (country, code));\n"
    "CREATE TABLE teams (id integer PRIMARY KEY, name text);\n"
    "CREATE TABLE slugs (id integer PRIMARY KEY);\n"
    "CREATE TABLE posts (id integer PRIMARY KEY, author_id integer, team_id integer, "
    "category_id integer, slug_id text);\n"
    "CREATE TABLE profiles (user_id integer PRIMARY KEY, bio text);\n"
    "CREATE TABLE \"Wei\"\"rd Parent\" (\"Key Col\" integer PRIMARY KEY);\n"
    "CREATE TABLE \"we'ird child;--\" (id integer PRIMARY KEY, \"Parent Ref\" integer "
    "CONSTRAINT \"odd fk\" REFERENCES \"Wei\"\"rd Parent\" (\"Key Col\"));\n";

static const char data_sql[] =
    "INSERT INTO users VALUES (1, 'a'), (2, 'b'), (3, 'c');\n"
    "INSERT INTO orders VALUES (1, 1, 'ok'), (2, 2, 'ok'), (3, NULL, 'null'), (4, 10, 'o'), "
    "(5, 10, 'o'), (6, 11, 'o'), (7, NULL, 'null');\n"
    "INSERT INTO regions VALUES ('FR', 'IDF'), ('FR', 'PAC'), ('DE', 'BY');\n"
    "INSERT INTO shops VALUES (1, 'FR', 'IDF'), (2, 'FR', 'XXX'), (3, 'DE', 'XXX'), "
    "(4, 'FR', NULL), (5, NULL, 'IDF'), (6, 'FR', 'XXX');\n"
    "INSERT INTO teams VALUES (1, 't');\n"
    "INSERT INTO posts VALUES (1, 1, 1, 5, 'a'), (2, 50, 2, 5, 'b'), (3, 50, NULL, 5, 'c'), "
    "(4, NULL, 9, 5, 'd'), (5, 51, 9, 5, 'e');\n"
    "INSERT INTO profiles VALUES (99, 'nobody');\n"
    "INSERT INTO \"Wei\"\"rd Parent\" VALUES (1);\n"
    "INSERT INTO \"we'ird child;--\" VALUES (1, 1), (2, 5), (3, 5), (4, NULL);\n";

static const char pg_schema_sql[] =
    "CREATE SCHEMA \"Sales Dept\";\n"
    "CREATE TABLE \"Sales Dept\".invoices (id integer PRIMARY KEY, user_id integer "
    "REFERENCES public.users (id));\n"
    "CREATE TABLE events (id integer NOT NULL, user_id integer REFERENCES users (id), "
    "team_id integer) PARTITION BY RANGE (id);\n"
    "CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (100);\n"
    "CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (100) TO (200);\n"
    "ALTER TABLE events_2 ADD CONSTRAINT events_2_team_fkey FOREIGN KEY (team_id) "
    "REFERENCES teams (id);\n"
    "ALTER TABLE orders ADD COLUMN buyer integer;\n"
    "ALTER TABLE orders ADD CONSTRAINT orders_buyer_fkey FOREIGN KEY (buyer) "
    "REFERENCES users (id) NOT VALID;\n";

static const char pg_data_sql[] =
    "INSERT INTO \"Sales Dept\".invoices VALUES (1, 1), (2, 42), (3, NULL);\n"
    "INSERT INTO events VALUES (1, 1, NULL), (2, 99, NULL), (150, 98, 1), (151, 1, 7), "
    "(152, NULL, NULL);\n"
    "UPDATE orders SET buyer = 77 WHERE id = 1;\n";

static void expect(const IntegrityList *l, const char *id, long long count, long long distinct,
                   IntegrityState state)
{
    const IntegrityCheck *ck = fx_find(l, id);
    CHECK(ck != NULL);
    if (!ck)
        return;
    if (ck->count != count || ck->distinct_keys != distinct || ck->state != state)
        fprintf(stderr, "%s: count %lld distinct %lld state %s (%s)\n", id, ck->count,
                ck->distinct_keys, integrity_state_name(ck->state), ck->message);
    CHECK(ck->count == count);
    CHECK(ck->distinct_keys == distinct);
    CHECK(ck->state == state);
}

/* A session on a new database with the schema and the rows; returns its
 * URL (caller frees). */
static char *setup(const char *name, Session *s, const char *ini)
{
    char *url = itest_url(engine, name);
    fx_session(s, url, name, ini, false);
    fx_exec(s->conn, schema_sql);
    if (engine == DB_ENGINE_POSTGRES)
        fx_exec(s->conn, pg_schema_sql);
    DbConn *load = fx_loader(url, name);
    fx_exec(load, data_sql);
    if (engine == DB_ENGINE_POSTGRES)
        fx_exec(load, pg_data_sql);
    db_close(load);
    return url;
}

static void test_counts(void)
{
    Session s;
    free(setup("integ_counts", &s, ""));
    IntegrityList l;
    fx_run(&s, NULL, &l);
    char *id;
    expect(&l, id = fx_rel_id("fk", "orders", "user_id", "users", "id"), 3, 2, IS_PROBLEM);
    free(id);
    expect(&l, id = fx_rel_id("fk", "shops", "country,region_code", "regions", "country,code"),
           3, 2, IS_PROBLEM);
    free(id);
    expect(&l, id = fx_rel_id("fk", "\"we'ird child;--\"", "\"Parent Ref\"",
                              "\"Wei\"\"rd Parent\"", "\"Key Col\""), 2, 1, IS_PROBLEM);
    free(id);
    /* inferred: an alias (author -> users) and a plural (team -> teams);
     * warnings by default */
    expect(&l, id = fx_rel_id("inferred", "posts", "author_id", "users", "id"), 3, 2,
           IS_WARNING);
    const IntegrityCheck *ck = integrity_find(&l, id);
    CHECK(ck && ck->inferred && ck->group == IG_INFERRED);
    free(id);
    expect(&l, id = fx_rel_id("inferred", "posts", "team_id", "teams", "id"), 3, 2, IS_WARNING);
    free(id);
    /* not inferred: no such table, a text key against an integer one, a
     * column that is its table's primary key, a column a declared key covers */
    for (size_t i = 0; i < l.count; i++) {
        const IntegrityCheck *c = &l.checks[i];
        if (c->kind != IK_INFERRED_KEY)
            continue;
        CHECK(strcmp(c->columns[0], "category_id") != 0);
        CHECK(strcmp(c->columns[0], "slug_id") != 0);
        CHECK(strcmp(c->table, "profiles") != 0);
        CHECK(strcmp(c->table, "orders") != 0);
    }
    if (engine == DB_ENGINE_POSTGRES) {
        expect(&l, "fk:\"Sales Dept\".invoices(user_id)->public.users(id)", 1, 1, IS_PROBLEM);
        expect(&l, "fk:public.events(user_id)->public.users(id)", 2, 2, IS_PROBLEM);
        expect(&l, "fk:public.events_2(team_id)->public.teams(id)", 1, 1, IS_PROBLEM);
        /* the partitions' copies of the parent's key are not checked twice */
        CHECK(!integrity_find(&l, "fk:public.events_1(user_id)->public.users(id)"));
        CHECK(!integrity_find(&l, "fk:public.events_2(user_id)->public.users(id)"));
        expect(&l, "fk:public.orders(buyer)->public.users(id)", 1, 1, IS_PROBLEM);
        ck = integrity_find(&l, "fk:public.orders(buyer)->public.users(id)");
        CHECK(ck && !ck->validated);
        CHECK(ck && strstr(ck->message, "NOT VALID"));
    } else {
        /* PRAGMA foreign_key_check: 3 + 3 + 2 rows, as dbwarden counts them */
        ck = integrity_find(&l, "engine:foreign_key_check");
        CHECK(ck && ck->count == 8 && ck->state == IS_PROBLEM);
        CHECK(ck && strstr(ck->message, "agrees with dbwarden's counts"));
        CHECK(ck && strstr(ck->message, "PRAGMA foreign_keys on"));
        ck = integrity_find(&l, "engine:quick_check");
        CHECK(ck && ck->count == 0 && ck->state == IS_OK);
    }
    /* a second run: the same ids, in the same order */
    IntegrityList again;
    fx_run(&s, NULL, &again);
    CHECK(again.count == l.count);
    for (size_t i = 0; i < l.count && i < again.count; i++)
        CHECK_STR(again.checks[i].id, l.checks[i].id);
    integrity_list_free(&again);
    integrity_list_free(&l);
    session_free(&s);
}

/* Only some groups, only some tables. */
static void test_filters(void)
{
    Session s;
    free(setup("integ_filters", &s, ""));
    IntegrityOptions o = { 1u << IG_INFERRED, NULL, NULL, false };
    IntegrityList l;
    fx_run(&s, &o, &l);
    /* PostgreSQL: events.team_id too (declared on one partition only) */
    CHECK(l.count == (engine == DB_ENGINE_POSTGRES ? 3 : 2));
    for (size_t i = 0; i < l.count; i++)
        CHECK(l.checks[i].kind == IK_INFERRED_KEY);
    integrity_list_free(&l);
    IntegrityOptions t = { 0, "^(main|public)\\.shops$", NULL, false };
    fx_run(&s, &t, &l);
    CHECK(l.count > 0);
    for (size_t i = 0; i < l.count; i++)
        CHECK_STR(l.checks[i].table, "shops");
    integrity_list_free(&l);
    IntegrityOptions bad = { 0, "(", NULL, false };
    DbError err = DB_ERROR_INIT;
    CHECK(integrity_run(s.conn, &s, &bad, NULL, &l, &err) != 0 && err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "--table");
    db_error_clear(&err);
    integrity_list_free(&l);
    session_free(&s);
}

/* warn_if / error_if, counts and percentages, and the inferred ones. */
static void test_thresholds(void)
{
    Session s;
    free(setup("integ_thresh", &s, "[integrity]\nwarn_if = > 0\nerror_if = >= 3\n"
                             "inferred_warn_if = > 50%\ninferred_error_if = never\n"));
    IntegrityList l;
    fx_run(&s, NULL, &l);
    char *id = fx_rel_id("fk", "orders", "user_id", "users", "id");
    expect(&l, id, 3, 2, IS_PROBLEM);
    free(id);
    expect(&l, id = fx_rel_id("fk", "\"we'ird child;--\"", "\"Parent Ref\"",
                              "\"Wei\"\"rd Parent\"", "\"Key Col\""), 2, 1, IS_WARNING);
    free(id);
    /* 3 of posts' 5 rows: 60% > 50% */
    id = fx_rel_id("inferred", "posts", "author_id", "users", "id");
    expect(&l, id, 3, 2, IS_WARNING);
    CHECK(integrity_find(&l, id)->rows == 5);
    free(id);
    integrity_list_free(&l);
    session_free(&s);
    free(setup("integ_thresh2", &s, "[integrity]\ninferred_warn_if = > 60%\n"));
    fx_run(&s, NULL, &l);
    expect(&l, id = fx_rel_id("inferred", "posts", "author_id", "users", "id"), 3, 2, IS_OK);
    free(id);
    integrity_list_free(&l);
    session_free(&s);
    IntegrityThreshold t;
    DbError err = DB_ERROR_INIT;
    CHECK(integrity_threshold_parse(">= 2.5 %", &t, &err) == 0 && t.percent && t.value == 2.5);
    CHECK(integrity_threshold_met(&t, 3, 100) && !integrity_threshold_met(&t, 2, 100));
    CHECK(integrity_threshold_parse("lots", &t, &err) != 0);
    db_error_clear(&err);
}

/* An acceptance holds while the count is the one accepted. */
static void test_acceptance(void)
{
    Session s;
    char *url = setup("integ_accept", &s, "");
    char *id = fx_rel_id("fk", "orders", "user_id", "users", "id");
    DbError err = DB_ERROR_INIT;
    CHECK(integrity_accept(s.conn, id, 3, "legacy import, cleaned in Q3", "ana", &err) == 0);
    IntegrityList l;
    fx_run(&s, NULL, &l);
    const IntegrityCheck *ck = fx_find(&l, id);
    CHECK(ck && ck->state == IS_ACCEPTED && ck->accepted && ck->accepted_count == 3);
    CHECK(ck && !strcmp(ck->accepted_by, "ana") && strstr(ck->accepted_reason, "legacy"));
    integrity_list_free(&l);
    /* one more orphan: a problem again, the acceptance still said */
    DbConn *load = fx_loader(url, "integ_accept");
    fx_exec(load, "INSERT INTO orders VALUES (8, 12, 'new')");
    db_close(load);
    fx_run(&s, NULL, &l);
    ck = fx_find(&l, id);
    CHECK(ck && ck->state == IS_PROBLEM && ck->count == 4 && ck->accepted);
    integrity_list_free(&l);
    /* taken back */
    bool removed = false;
    CHECK(integrity_unaccept(s.conn, id, &removed, &err) == 0 && removed);
    CHECK(integrity_unaccept(s.conn, id, &removed, &err) == 0 && !removed);
    fx_run(&s, NULL, &l);
    ck = fx_find(&l, id);
    CHECK(ck && ck->state == IS_PROBLEM && !ck->accepted);
    integrity_list_free(&l);
    session_free(&s);
    free(id);
    free(url);
}

/* ---- a count that takes long: timeout, cancel, the job ------------------ */

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void nap(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* A table "big" of millions of rows, whose count takes long. */
static char *setup_big(const char *name, Session *s, const char *ini)
{
    char *url = setup(name, s, ini);
    fx_exec(s->conn, "CREATE TABLE big (id integer PRIMARY KEY, user_id integer "
                     "REFERENCES users (id), pad text)");
    fx_exec(s->conn, engine == DB_ENGINE_SQLITE
        ? "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) "
          "INSERT INTO big SELECT i, i % 3 + 1, 'some padding to make rows wider' FROM n"
        : "INSERT INTO big SELECT i, i % 3 + 1, 'some padding to make rows wider' FROM "
          "generate_series(1, 2000000) i");
    return url;
}

static const char *big_id(void)
{
    static char id[128];
    snprintf(id, sizeof id, "fk:%s.big(user_id)->%s.users(id)", fx_schema(), fx_schema());
    return id;
}

/* [database] statement_timeout ends the count: the check is an error that
 * says so, and the checks after it still run.  (SQLite: the whole run
 * with the setting; PostgreSQL, whose catalog statements a short timeout
 * could end on a busy machine: the timeout set once the catalog is read.) */
static void test_statement_timeout(void)
{
    Session s;
    char *url = setup_big("integ_timeout", &s, "");
    IntegrityOptions o = { 1u << IG_ORPHANS, NULL, NULL, false };
    IntegrityList l;
    long t0 = now_ms();
    if (engine == DB_ENGINE_SQLITE) {
        Session t;
        fx_session(&t, url, "integ_timeout_t", "[database]\nstatement_timeout = 100ms\n", false);
        fx_run(&t, &o, &l);
        session_free(&t);
    } else {
        Catalog *cat = NULL;
        DbError err = DB_ERROR_INIT;
        CHECK(catalog_load(s.conn, &cat, &err) == 0);
        CHECK(integrity_build(cat, &s.cfg.integrity, &o, &l, &err) == 0);
        CHECK(db_set_statement_timeout(s.conn, 20, &err) == 0);
        for (size_t i = 0; i < l.count; i++)
            CHECK(integrity_run_check(s.conn, cat, &s.cfg.integrity, NULL, &l, i, &err) == 0);
        catalog_free(cat);
    }
    const IntegrityCheck *ck = fx_find(&l, big_id());
    CHECK(ck && ck->state == IS_ERROR);
    CHECK(ck && ck->message && strstr(ck->message, "statement timeout"));
    CHECK(now_ms() - t0 < 5000);
    char *id = fx_rel_id("fk", "orders", "user_id", "users", "id");
    ck = fx_find(&l, id);
    CHECK(ck && ck->state == IS_PROBLEM && ck->count == 3);
    free(id);
    integrity_list_free(&l);
    session_free(&s);
    free(url);
}

/* The job: a progress event per check that runs, every check handed over,
 * and Esc (job_cancel) stops the count that runs. */
static void test_job(void)
{
    Session s;
    char *url = setup_big("integ_job", &s, "");
    Job *job = NULL;
    IntegrityJob *ij = NULL;
    DbError err = DB_ERROR_INIT;
    IntegrityOptions o = { 1u << IG_ORPHANS, NULL, NULL, false };
    CHECK(integrity_job_start(&job, &ij, &s, &o, &err) == 0);
    size_t progress = 0, taken = 0, cancelled = 0;
    bool finished = false, sent = false;
    JobOutcome outcome = JOB_OK;
    long t0 = now_ms();
    while (!finished && now_ms() - t0 < 60000) {
        JobEvent ev;
        while (job_poll(job, &ev)) {
            if (ev.kind == JOB_PROGRESS) {
                progress++;
                CHECK(ev.total > 0 && ev.index < ev.total);
                if (strstr(ev.text, "counting") && strstr(ev.text, ".big") && !sent) {
                    job_cancel(job);
                    sent = true;
                }
            }
            if (ev.kind == JOB_FINISHED) {
                finished = true;
                outcome = ev.outcome;
            }
            job_event_clear(&ev);
        }
        IntegrityCheck ck;
        while (integrity_job_take(ij, &ck)) {
            taken++;
            cancelled += ck.state == IS_CANCELLED;
            integrity_check_clear(&ck);
        }
        nap(10);
    }
    CHECK(finished && sent);
    CHECK(outcome == JOB_CANCELLED);
    CHECK(progress >= 1);
    IntegrityList l;
    CHECK(integrity_job_result(ij, &l));
    CHECK(taken == l.count);
    const IntegrityCheck *big = fx_find(&l, big_id());
    CHECK(big && big->state == IS_CANCELLED);
    CHECK(cancelled >= 1);
    CHECK(now_ms() - t0 < 20000);
    integrity_list_free(&l);
    job_free(job);
    /* one check run again (the console's re-run of one): ok, its summary */
    char *id = fx_rel_id("fk", "orders", "user_id", "users", "id");
    IntegrityOptions one = { 0, NULL, id, false };
    CHECK(integrity_job_start(&job, &ij, &s, &one, &err) == 0);
    finished = false;
    t0 = now_ms();
    while (!finished && now_ms() - t0 < 30000) {
        JobEvent ev;
        while (job_poll(job, &ev)) {
            if (ev.kind == JOB_FINISHED) {
                finished = true;
                CHECK(ev.outcome == JOB_OK);
                CHECK_STR(ev.text, "1 problem, 0 warnings, 0 ok");
            }
            job_event_clear(&ev);
        }
        nap(10);
    }
    CHECK(finished && integrity_job_result(ij, &l));
    CHECK(l.count == 1 && l.checks[0].count == 3 && l.checks[0].state == IS_PROBLEM);
    integrity_list_free(&l);
    job_free(job);
    free(id);
    session_free(&s);
    free(url);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_counts);
    RUN(test_filters);
    RUN(test_thresholds);
    RUN(test_acceptance);
    RUN(test_statement_timeout);
    RUN(test_job);
    return test_report();
}
