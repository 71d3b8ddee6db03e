/* test_migrate.c: dbwarden's own migrations against a real database
 * (argv[1]: sqlite|postgres): the reference schema, a failing statement,
 * targets, the states, transaction:false, two runners at once. */
#include "itest.h"
#include "migrate.h"
#include "runlock.h"
#include "test.h"

#include <pthread.h>
#include <sys/stat.h>

static DbEngine engine;

static const char *ref_dir(void)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/migrations/%s", getenv("DBW_SRC"),
             engine == DB_ENGINE_POSTGRES ? "postgres" : "sqlite");
    return buf;
}

static void test_reference_schema_up_and_down(void)
{
    char *url = itest_url(engine, "ref");
    DbConn *c = itest_open(url);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&dir, ref_dir(), &err) == 0);
    CHECK(dir.count >= 8 && dir.count <= 12);
    size_t n = 0;
    CHECK(migrate_up(c, &dir, NULL, NULL, &n, &err) == 0);
    if (err.message) fprintf(stderr, "  %s\n", err.message);
    CHECK(n == dir.count);
    MigStatus st;
    CHECK(migrate_status(c, &dir, &st, &err) == 0);
    CHECK(st.applied == dir.count && st.pending == 0 && st.problems == 0);
    CHECK_STR(st.current, dir.files[dir.count - 1].version);
    CHECK(st.items[0].applied_by && strchr(st.items[0].applied_by, '@'));
    CHECK(st.items[0].applied_at && strlen(st.items[0].applied_at) == 19);
    migrate_status_free(&st);
    const char *tables[] = { "users", "workspaces", "projects", "subscriptions", "licenses",
                             "license_events", "jobs", "invoices", "transaction_idempotency",
                             "audit_log", "market_booths", "nft_items" };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        CHECK(itest_table_exists(c, tables[i]));
    /* a second run applies nothing */
    CHECK(migrate_up(c, &dir, NULL, NULL, &n, &err) == 0);
    CHECK(n == 0);
    /* every down section works, in reverse order */
    for (size_t i = dir.count; i-- > 0;) {
        size_t at;
        CHECK(db_exec_script(c, "down", dir.files[i].down.sql, &at, &err) == 0);
        if (err.message) { fprintf(stderr, "  %s: %s\n", dir.files[i].filename, err.message); db_error_clear(&err); }
    }
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        CHECK(!itest_table_exists(c, tables[i]));
    migrate_dir_free(&dir);
    db_close(c);
    free(url);
}

static void test_failing_statement_names_file_and_line(void)
{
    char *d = itest_fresh_dir("mig", "fail", engine);
    itest_write_file(d, "0001_first.sql", "-- migrate:up\nCREATE TABLE first (id integer);\n"
                                    "-- migrate:down\nDROP TABLE first;\n");
    itest_write_file(d, "0002_broken.sql",
               "-- migrate:up\n"                                   /* line 1 */
               "CREATE TABLE b1 (id integer);\n"                   /* 2 */
               "CREATE TABLE b2 (id integer);\n"                   /* 3 */
               "\n"                                                /* 4 */
               "INSERT INTO b1 VALUES (1);\n"                      /* 5 */
               "CREATE TABLEE b3 (id integer);\n"                  /* 6: 4th statement */
               "CREATE TABLE b4 (id integer);\n"                   /* 7 */
               "-- migrate:down\nDROP TABLE b2;\nDROP TABLE b1;\n");
    itest_write_file(d, "0003_after.sql", "-- migrate:up\nCREATE TABLE after (id integer);\n"
                                    "-- migrate:down\nDROP TABLE after;\n");
    char *url = itest_url(engine, "fail");
    DbConn *c = itest_open(url);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    size_t n = 99;
    CHECK(migrate_up(c, &dir, NULL, NULL, &n, &err) == -1);
    CHECK(n == 1);
    CHECK(err.kind == DB_ERR_SQL);
    char *want = xasprintf("%s/0002_broken.sql:6:", d);
    CHECK_CONTAINS(err.message, want);
    free(want);
    CHECK_CONTAINS(err.message, "TABLEE");
    db_error_clear(&err);
    CHECK(itest_table_exists(c, "first"));
    CHECK(!itest_table_exists(c, "b1"));
    CHECK(!itest_table_exists(c, "b2"));
    CHECK(!itest_table_exists(c, "after"));
    MigStatus st;
    CHECK(migrate_status(c, &dir, &st, &err) == 0);
    CHECK_STR(st.current, "0001");
    CHECK(st.applied == 1 && st.pending == 2);
    migrate_status_free(&st);
    migrate_dir_free(&dir);
    db_close(c);
    free(url);
    free(d);
}

static MigState state_of(const MigStatus *st, const char *version)
{
    for (size_t i = 0; i < st->count; i++)
        if (strcmp(st->items[i].version, version) == 0)
            return st->items[i].state;
    return (MigState)-1;
}

static void test_target_and_states(void)
{
    char *d = itest_fresh_dir("mig", "states", engine);
    itest_write_file(d, "0001_a.sql", "-- migrate:up\nCREATE TABLE a (id integer);\n-- migrate:down\nDROP TABLE a;\n");
    itest_write_file(d, "0002_b.sql", "-- migrate:up\nCREATE TABLE b (id integer);\n-- migrate:down\nDROP TABLE b;\n");
    itest_write_file(d, "0004_d.sql", "-- migrate:up\nCREATE TABLE d (id integer);\n-- migrate:down\nDROP TABLE d;\n");
    itest_write_file(d, "0005_e.sql", "-- migrate:up\nCREATE TABLE e (id integer);\n-- migrate:down\nDROP TABLE e;\n");
    char *url = itest_url(engine, "states");
    DbConn *c = itest_open(url);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    size_t n = 0;
    CHECK(migrate_up(c, &dir, "0004", NULL, &n, &err) == 0);
    CHECK(n == 3);
    CHECK(!itest_table_exists(c, "e"));
    CHECK(migrate_up(c, &dir, "0099", NULL, &n, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    migrate_dir_free(&dir);
    /* change 0001, remove 0002, add an older 0003 */
    itest_write_file(d, "0001_a.sql", "-- migrate:up\nCREATE TABLE a (id bigint);\n-- migrate:down\nDROP TABLE a;\n");
    char *p = xasprintf("%s/0002_b.sql", d);
    unlink(p);
    free(p);
    itest_write_file(d, "0003_c.sql", "-- migrate:up\nCREATE TABLE c (id integer);\n-- migrate:down\nDROP TABLE c;\n");
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    MigStatus st;
    CHECK(migrate_status(c, &dir, &st, &err) == 0);
    CHECK(state_of(&st, "0001") == MIG_CHANGED);
    CHECK(state_of(&st, "0002") == MIG_MISSING);
    CHECK(state_of(&st, "0003") == MIG_OUT_OF_ORDER);
    CHECK(state_of(&st, "0004") == MIG_APPLIED);
    CHECK(state_of(&st, "0005") == MIG_PENDING);
    CHECK(st.problems == 3 && st.pending == 2 && st.applied == 3);
    migrate_status_free(&st);
    migrate_dir_free(&dir);
    db_close(c);
    free(url);
    free(d);
}

static void test_transaction_false(void)
{
    char *d = itest_fresh_dir("mig", "notx", engine);
    const char *idx = engine == DB_ENGINE_POSTGRES
        ? "-- migrate:up transaction:false\nCREATE TABLE t (id integer);\n"
          "CREATE INDEX CONCURRENTLY t_id ON t (id);\n-- migrate:down\nDROP TABLE t;\n"
        : "-- migrate:up transaction:false\nCREATE TABLE t (id integer);\n"
          "CREATE INDEX t_id ON t (id);\n-- migrate:down\nDROP TABLE t;\n";
    itest_write_file(d, "0001_t.sql", idx);
    char *url = itest_url(engine, "notx");
    DbConn *c = itest_open(url);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    CHECK(!dir.files[0].up.transaction);
    size_t n = 0;
    CHECK(migrate_up(c, &dir, NULL, NULL, &n, &err) == 0);
    if (err.message) fprintf(stderr, "  %s\n", err.message);
    CHECK(n == 1);
    migrate_dir_free(&dir);
    db_close(c);
    free(url);
    free(d);
}

typedef struct Runner {
    const char   *url;
    const MigDir *dir;
    size_t        applied;
    int           rc;
    char         *error;
} Runner;

static void *run_up(void *arg)
{
    Runner *r = arg;
    DbConn *c = itest_open(r->url);
    DbError err = DB_ERROR_INIT;
    r->rc = migrate_up(c, r->dir, NULL, NULL, &r->applied, &err);
    r->error = err.message ? xstrdup(err.message) : NULL;
    db_error_clear(&err);
    db_close(c);
    return NULL;
}

static void test_two_runners_apply_each_once(void)
{
    char *url = itest_url(engine, "race");
    DbConn *c = itest_open(url); /* creates the SQLite file */
    db_close(c);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&dir, ref_dir(), &err) == 0);
    Runner a = { url, &dir, 0, 0, NULL }, b = { url, &dir, 0, 0, NULL };
    pthread_t ta, tb;
    pthread_create(&ta, NULL, run_up, &a);
    pthread_create(&tb, NULL, run_up, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    if (a.error) fprintf(stderr, "  a: %s\n", a.error);
    if (b.error) fprintf(stderr, "  b: %s\n", b.error);
    CHECK(a.rc == 0 && b.rc == 0);
    CHECK(a.applied + b.applied == dir.count);
    free(a.error);
    free(b.error);
    migrate_dir_free(&dir);
    free(url);
}

static void test_down_and_stamp_plans(void)
{
    char *d = itest_fresh_dir("mig", "plans", engine);
    itest_write_file(d, "0001_a.sql", "-- migrate:up\nCREATE TABLE a (id integer);\n-- migrate:down\nDROP TABLE a;\n");
    itest_write_file(d, "0002_b.sql", "-- migrate:up\nCREATE TABLE b (id integer);\n-- migrate:down\nDROP TABLE b;\n");
    itest_write_file(d, "0003_c.sql", "-- migrate:up\nCREATE TABLE c (id integer);\n-- migrate:down\n\n");
    itest_write_file(d, "0004_d.sql", "-- migrate:up\nCREATE TABLE d (id integer);\n-- migrate:down\nDROP TABLE d;\n");
    char *url = itest_url(engine, "plans");
    DbConn *c = itest_open(url);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    CHECK(migrate_up(c, &dir, NULL, NULL, NULL, &err) == 0);
    MigPlan p;
    /* one step by default */
    CHECK(migrate_plan_down(c, &dir, NULL, &p, &err) == 0);
    CHECK(p.count == 1 && strcmp(p.steps[0].version, "0004") == 0);
    CHECK_CONTAINS(p.summary, "the database ends at 0003");
    char *sql = migrate_plan_sql(c, &p);
    CHECK_CONTAINS(sql, "DROP TABLE d;");
    CHECK_CONTAINS(sql, "DELETE FROM dbwarden_migrations WHERE version = '0004';");
    free(sql);
    size_t n = 0;
    CHECK(migrate_run(c, &p, NULL, &n, &err) == 0 && n == 1);
    CHECK(!itest_table_exists(c, "d"));
    migrate_plan_free(&p);
    /* 0003 has an empty down section: refused, naming the file */
    CHECK(migrate_plan_down(c, &dir, "1", &p, &err) == -1);
    CHECK_CONTAINS(err.message, "0003_c.sql");
    CHECK_CONTAINS(err.message, "empty");
    db_error_clear(&err);
    /* stamp past it, then down to 0001 */
    CHECK(migrate_plan_stamp(c, &dir, "0002", &p, &err) == 0);
    CHECK(p.count == 1 && p.steps[0].kind == MIG_STEP_FORGET);
    CHECK(migrate_run(c, &p, NULL, &n, &err) == 0 && n == 1);
    migrate_plan_free(&p);
    CHECK(itest_table_exists(c, "c")); /* stamp ran no SQL */
    CHECK(migrate_plan_down(c, &dir, "0001", &p, &err) == 0);
    CHECK(p.count == 1 && strcmp(p.steps[0].version, "0002") == 0);
    CHECK(migrate_run(c, &p, NULL, &n, &err) == 0);
    migrate_plan_free(&p);
    CHECK(!itest_table_exists(c, "b") && itest_table_exists(c, "a"));
    /* a version whose file is gone cannot be rolled back, but can be stamped away */
    CHECK(migrate_plan_stamp(c, &dir, "0004", &p, &err) == 0);
    CHECK(p.count == 3); /* records 0002, 0003, 0004 */
    CHECK(migrate_run(c, &p, NULL, &n, &err) == 0 && n == 3);
    migrate_plan_free(&p);
    migrate_dir_free(&dir);
    char *path = xasprintf("%s/0004_d.sql", d);
    unlink(path);
    free(path);
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    CHECK(migrate_plan_down(c, &dir, NULL, &p, &err) == -1);
    CHECK_CONTAINS(err.message, "no file");
    db_error_clear(&err);
    CHECK(migrate_plan_stamp(c, &dir, "0003", &p, &err) == 0);
    CHECK(p.count == 1 && p.steps[0].kind == MIG_STEP_FORGET && !p.steps[0].file);
    CHECK(migrate_run(c, &p, NULL, &n, &err) == 0 && n == 1);
    migrate_plan_free(&p);
    MigStatus st;
    CHECK(migrate_status(c, &dir, &st, &err) == 0);
    CHECK_STR(st.current, "0003");
    CHECK(st.problems == 0);
    migrate_status_free(&st);
    CHECK(migrate_plan_down(c, &dir, "to:0077", &p, &err) == -1 && err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    /* bad arguments */
    CHECK(migrate_plan_down(c, &dir, "12", &p, &err) == -1 && err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    CHECK(migrate_plan_down(c, &dir, "steps:x", &p, &err) == -1 && err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    CHECK(migrate_plan_stamp(c, &dir, "0099", &p, &err) == -1 && err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    migrate_dir_free(&dir);
    db_close(c);
    free(url);
    free(d);
}

/* Versions 1, 2, 3: "down 1" could mean either; it is refused. */
static void test_ambiguous_down(void)
{
    char *d = itest_fresh_dir("mig", "ambig", engine);
    itest_write_file(d, "1_a.sql", "-- migrate:up\nCREATE TABLE a (id integer);\n-- migrate:down\nDROP TABLE a;\n");
    itest_write_file(d, "2_b.sql", "-- migrate:up\nCREATE TABLE b (id integer);\n-- migrate:down\nDROP TABLE b;\n");
    itest_write_file(d, "3_c.sql", "-- migrate:up\nCREATE TABLE c (id integer);\n-- migrate:down\nDROP TABLE c;\n");
    char *url = itest_url(engine, "ambig");
    DbConn *c = itest_open(url);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    MigPlan p;
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    CHECK(migrate_up(c, &dir, NULL, NULL, NULL, &err) == 0);
    CHECK(migrate_plan_down(c, &dir, "1", &p, &err) == -1);
    CHECK_CONTAINS(err.message, "both a version and a number of steps");
    db_error_clear(&err);
    CHECK(migrate_plan_down(c, &dir, "steps:1", &p, &err) == 0 && p.count == 1 &&
          strcmp(p.steps[0].version, "3") == 0);
    migrate_plan_free(&p);
    CHECK(migrate_plan_down(c, &dir, "to:1", &p, &err) == 0 && p.count == 2);
    migrate_plan_free(&p);
    migrate_dir_free(&dir);
    db_close(c);
    free(url);
    free(d);
}

static void test_lock_names_its_holder(void)
{
    char *url = itest_url(engine, "lock");
    DbConn *a = itest_open(url), *b = itest_open(url);
    DbError err = DB_ERROR_INIT;
    RunLock *la = NULL, *lb = NULL;
    CHECK(runlock_acquire(a, "migrations", "dbwarden up", 0, &la, &err) == 0);
    CHECK(runlock_acquire(b, "migrations", "dbwarden up", 300, &lb, &err) == -1);
    CHECK(err.kind == DB_ERR_BUSY);
    CHECK_CONTAINS(err.message, "another dbwarden run holds the lock");
    CHECK_CONTAINS(err.message, engine == DB_ENGINE_POSTGRES ? "application dbwarden" : "running dbwarden up");
    CHECK_CONTAINS(err.message, "pid ");
    db_error_clear(&err);
    char *who = runlock_holder(b, "migrations");
    CHECK(who != NULL);
    free(who);
    runlock_release(la);
    CHECK(runlock_acquire(b, "migrations", "dbwarden up", 1000, &lb, &err) == 0);
    runlock_release(lb);
    db_close(a);
    db_close(b);
    free(url);
}

typedef struct Hooks {
    int before, skipped, done;
} Hooks;

static int hook_before(void *ctx, const MigPlan *plan, DbError *err)
{
    (void)plan;
    (void)err;
    ((Hooks *)ctx)->before++;
    return 0;
}

static void hook_skip(void *ctx, const MigStep *s)
{
    (void)s;
    ((Hooks *)ctx)->skipped++;
}

static void hook_done(void *ctx, const MigStep *s, long ms)
{
    (void)s;
    (void)ms;
    ((Hooks *)ctx)->done++;
}

/* A plan confirmed before another run landed is made again under the run
 * lock: down and stamp refuse with nothing done (and no backup hook); an
 * up skips what the other run applied and does the rest. */
static void test_plan_made_again_under_the_lock(void)
{
    char d[] = "replan_XXXXXX";
    CHECK(mkdtemp(d) != NULL);
    itest_write_file(d, "0001_a.sql", "-- migrate:up\nCREATE TABLE a (id integer);\n-- migrate:down\nDROP TABLE a;\n");
    itest_write_file(d, "0002_b.sql", "-- migrate:up\nCREATE TABLE b (id integer);\n-- migrate:down\nDROP TABLE b;\n");
    itest_write_file(d, "0003_c.sql", "-- migrate:up\nCREATE TABLE c (id integer);\n-- migrate:down\nDROP TABLE c;\n");
    itest_write_file(d, "0004_d.sql", "-- migrate:up\nCREATE TABLE d (id integer);\n-- migrate:down\nDROP TABLE d;\n");
    char *url = itest_url(engine, "replan");
    DbConn *a = itest_open(url), *b = itest_open(url);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    CHECK(migrate_up(a, &dir, "0002", NULL, NULL, &err) == 0);
    Hooks h = { 0, 0, 0 };
    MigProgress prog = { NULL, hook_done, &h, hook_before, NULL, hook_skip };
    /* down, confirmed at 0002; meanwhile 0003 lands */
    MigPlan p;
    CHECK(migrate_plan_down(a, &dir, NULL, &p, &err) == 0);
    CHECK(p.count == 1 && strcmp(p.steps[0].version, "0002") == 0);
    CHECK(migrate_up(b, &dir, "0003", NULL, NULL, &err) == 0);
    size_t n = 9;
    CHECK(migrate_run(a, &p, &prog, &n, &err) == -1);
    CHECK(n == 0 && h.before == 0 && h.done == 0);
    CHECK(err.kind == DB_ERR_BUSY);
    CHECK_STR(err.code, MIGRATE_PLAN_CHANGED);
    CHECK_CONTAINS(err.message, "the database moved from 0002 to 0003 while you were "
                   "confirming: nothing was done");
    db_error_clear(&err);
    CHECK(itest_table_exists(a, "b") && itest_table_exists(a, "c"));
    migrate_plan_free(&p);
    /* stamp, confirmed at 0003; meanwhile 0003 is rolled back */
    CHECK(migrate_plan_stamp(a, &dir, "0001", &p, &err) == 0);
    MigPlan down;
    CHECK(migrate_plan_down(b, &dir, NULL, &down, &err) == 0);
    CHECK(migrate_run(b, &down, NULL, NULL, &err) == 0);
    migrate_plan_free(&down);
    CHECK(migrate_run(a, &p, &prog, &n, &err) == -1);
    CHECK_STR(err.code, MIGRATE_PLAN_CHANGED);
    db_error_clear(&err);
    CHECK(h.before == 0);
    migrate_plan_free(&p);
    /* up, confirmed as 0003 and 0004; meanwhile 0003 lands: skipped */
    CHECK(migrate_plan_up(a, &dir, NULL, &p, &err) == 0);
    CHECK(p.count == 2);
    CHECK(migrate_up(b, &dir, "0003", NULL, NULL, &err) == 0);
    CHECK(migrate_run(a, &p, &prog, &n, &err) == 0);
    CHECK(n == 1 && h.skipped == 1 && h.done == 1 && h.before == 1);
    CHECK(itest_table_exists(a, "d"));
    migrate_plan_free(&p);
    /* up, confirmed as 0004 alone; meanwhile rolled back to 0002: refused */
    CHECK(migrate_plan_down(a, &dir, NULL, &p, &err) == 0);
    CHECK(migrate_run(a, &p, NULL, NULL, &err) == 0);
    migrate_plan_free(&p);
    CHECK(migrate_plan_up(a, &dir, NULL, &p, &err) == 0);
    CHECK(p.count == 1);
    CHECK(migrate_plan_down(b, &dir, NULL, &down, &err) == 0);
    CHECK(migrate_run(b, &down, NULL, NULL, &err) == 0);
    migrate_plan_free(&down);
    CHECK(migrate_run(a, &p, NULL, NULL, &err) == -1);
    CHECK_STR(err.code, MIGRATE_PLAN_CHANGED);
    db_error_clear(&err);
    CHECK(!itest_table_exists(a, "c") && !itest_table_exists(a, "d"));
    migrate_plan_free(&p);
    migrate_dir_free(&dir);
    db_close(a);
    db_close(b);
    free(url);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_reference_schema_up_and_down);
    RUN(test_failing_statement_names_file_and_line);
    RUN(test_target_and_states);
    RUN(test_transaction_false);
    RUN(test_two_runners_apply_each_once);
    RUN(test_down_and_stamp_plans);
    RUN(test_ambiguous_down);
    RUN(test_lock_names_its_holder);
    RUN(test_plan_made_again_under_the_lock);
    return test_report();
}
