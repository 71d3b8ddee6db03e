/* test_migrate_safety.c: migrations that must not half-apply, against a
 * real database (argv[1]: sqlite|postgres): SQL that would end dbwarden's
 * transaction, split by the engine's own rules, is refused before anything
 * runs; a statement that ends it anyway stops the script at once; a
 * transaction:false migration that fails half way is recorded as failed
 * and blocks `up` until it is stamped; names never leave a SQL comment. */
#include "itest.h"
#include "migrate.h"
#include "test.h"

static DbEngine engine;

static MigState state_of(const MigStatus *st, const char *version, const MigEntry **e)
{
    for (size_t i = 0; i < st->count; i++) {
        if (strcmp(st->items[i].version, version) == 0) {
            if (e)
                *e = &st->items[i];
            return st->items[i].state;
        }
    }
    return (MigState)-1;
}

static long count_rows(DbConn *c, const char *table)
{
    char *sql = xasprintf("SELECT count(*) FROM %s", table);
    char *v = NULL;
    DbError err = DB_ERROR_INIT;
    long n = db_query_value(c, "t", sql, NULL, &v, &err) == 0 && v ? atol(v) : -1;
    db_error_clear(&err);
    free(v);
    free(sql);
    return n;
}

typedef struct Hostile {
    DbEngine    engine;
    const char *sql;      /* the up section (its first line is line 2) */
    int         line;     /* the line of the statement that ends the transaction */
    const char *word;     /* what the error names */
} Hostile;

/* Each hides a statement that ends the transaction from the other engine's
 * rules (or from simple ones); line 1 is the marker. */
static const Hostile hostile[] = {
    { DB_ENGINE_SQLITE, "CREATE TABLE h1 (x integer);\n/* logs/*.gz */ COMMIT;\nCREATE TABLE h2 (x integer);\n", 3, "COMMIT" },
    { DB_ENGINE_SQLITE, "CREATE TABLE h1 (x integer);\nSELECT 1 AS [it's];\nCOMMIT;\nCREATE TABLE h2 (x integer);\n", 4, "COMMIT" },
    { DB_ENGINE_SQLITE, "CREATE TABLE h1 (x integer);\n/* a /* b */ END TRANSACTION;\nCREATE TABLE h2 (x integer);\n", 3, "END" },
    { DB_ENGINE_SQLITE, "CREATE TABLE h1 (\"a;b\" integer, [x;y] integer, `c;d` integer);\ncommit transaction;\nCREATE TABLE h2 (x integer);\n", 3, "COMMIT" },
    { DB_ENGINE_SQLITE, "CREATE TABLE h1 (x integer);\nSELECT 'a\\';\nROLLBACK;\nCREATE TABLE h2 (x integer);\n", 4, "ROLLBACK" },
    { DB_ENGINE_POSTGRES, "CREATE TABLE h1 (trigger integer, begin integer);\nCOMMIT;\nCREATE TABLE h2 (x integer);\n", 3, "COMMIT" },
    { DB_ENGINE_POSTGRES, "CREATE TABLE h1 (x integer);\nSELECT 1 AS begin, atomic FROM (SELECT 2 AS atomic) s;\nCOMMIT;\nCREATE TABLE h2 (x integer);\n", 4, "COMMIT" },
    { DB_ENGINE_POSTGRES, "CREATE TABLE h1 (x text DEFAULT E'\\'');\nEND;\nCREATE TABLE h2 (x integer);\n", 3, "END" },
    { DB_ENGINE_POSTGRES, "CREATE TABLE h1 (x text DEFAULT $q$;$q$);\nCOMMIT AND CHAIN;\nCREATE TABLE h2 (x integer);\n", 3, "COMMIT" },
};

static void test_hostile_sql_refused_before_anything_runs(void)
{
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        if (hostile[i].engine != engine)
            continue;
        char name[32];
        snprintf(name, sizeof name, "hostile%zu", i);
        char *d = itest_fresh_dir("safe", name, engine);
        itest_write_file(d, "0001_first.sql", "-- migrate:up\nCREATE TABLE first (id integer);\n"
                                              "-- migrate:down\nDROP TABLE first;\n");
        char *text = xasprintf("-- migrate:up\n%s-- migrate:down\nDROP TABLE h1;\n", hostile[i].sql);
        itest_write_file(d, "0002_hostile.sql", text);
        free(text);
        char *url = itest_url(engine, name);
        DbConn *c = itest_open(url);
        MigDir dir;
        DbError err = DB_ERROR_INIT;
        CHECK(migrate_load_dir(&dir, d, &err) == 0);
        size_t n = 99;
        CHECK(migrate_up(c, &dir, NULL, NULL, &n, &err) == -1);
        CHECK(n == 0);
        CHECK(err.kind == DB_ERR_PARSE);
        char *want = xasprintf("0002_hostile.sql:%d: %s in the up section", hostile[i].line,
                               hostile[i].word);
        CHECK_CONTAINS(err.message, want);
        if (!err.message || !strstr(err.message, want))
            fprintf(stderr, "  case %zu\n", i);
        free(want);
        db_error_clear(&err);
        /* nothing ran: not the file, not the one before it */
        CHECK(!itest_table_exists(c, "first"));
        CHECK(!itest_table_exists(c, "h1"));
        CHECK(!itest_table_exists(c, "h2"));
        /* status shows it as a bad file, with the rest */
        MigStatus st;
        CHECK(migrate_status(c, &dir, &st, &err) == 0);
        CHECK(st.nbad == 1 && st.problems == 1);
        CHECK(st.nbad == 1 && strstr(st.bad[0].message, "0002_hostile.sql"));
        migrate_status_free(&st);
        migrate_dir_free(&dir);
        db_close(c);
        free(url);
        free(d);
    }
}

typedef struct Ender {
    DbEngine    engine;   /* DB_ENGINE_NONE: both */
    const char *stmt;     /* ends the transaction */
    bool        committed;
} Ender;

static const Ender enders[] = {
    { DB_ENGINE_NONE, "COMMIT", true },
    { DB_ENGINE_NONE, "END", true },
    { DB_ENGINE_NONE, "ROLLBACK", false },
    { DB_ENGINE_SQLITE, "COMMIT TRANSACTION", true },
    { DB_ENGINE_SQLITE, "END TRANSACTION", true },
    { DB_ENGINE_POSTGRES, "COMMIT AND CHAIN", true },
    { DB_ENGINE_POSTGRES, "ROLLBACK AND CHAIN", false },
    { DB_ENGINE_POSTGRES, "ABORT", false },
};

/* The run-time check: a statement that ends the transaction stops the
 * script before the next statement. */
static void test_transaction_end_stops_the_script_at_once(void)
{
    char *url = itest_url(engine, "ender");
    DbConn *c = itest_open(url);
    DbError err = DB_ERROR_INIT;
    for (size_t i = 0; i < sizeof enders / sizeof enders[0]; i++) {
        if (enders[i].engine != DB_ENGINE_NONE && enders[i].engine != engine)
            continue;
        db_exec(c, "t", "DROP TABLE IF EXISTS r1", NULL, &err);
        db_exec(c, "t", "DROP TABLE IF EXISTS r2", NULL, &err);
        char *script = xasprintf("CREATE TABLE r1 (x integer);\n%s;\nCREATE TABLE r2 (x integer);\n",
                                 enders[i].stmt);
        size_t at = 0;
        bool committed = !enders[i].committed;
        CHECK(db_begin(c, true, &err) == 0);
        CHECK(db_exec_script_in_tx(c, "t", script, &at, &committed, &err) == -1);
        CHECK(err.kind == DB_ERR_SQL);
        CHECK_CONTAINS(err.message, "ended the transaction");
        CHECK(at == (size_t)(strstr(script, enders[i].stmt) - script));
        CHECK(committed == enders[i].committed);
        db_error_clear(&err);
        db_rollback(c);
        CHECK(itest_table_exists(c, "r1") == enders[i].committed);
        CHECK(!itest_table_exists(c, "r2"));
        if (itest_table_exists(c, "r2"))
            fprintf(stderr, "  %s let the next statement run\n", enders[i].stmt);
        free(script);
    }
    /* a savepoint rolled back to stays inside; the script runs to its end */
    const char *sp = "SAVEPOINT a;\nCREATE TABLE s1 (x integer);\nROLLBACK TO SAVEPOINT a;\n"
                     "CREATE TABLE s2 (x integer);\n";
    CHECK(db_begin(c, true, &err) == 0);
    CHECK(db_exec_script_in_tx(c, "t", sp, NULL, NULL, &err) == 0);
    CHECK(db_commit(c, &err) == 0);
    CHECK(!itest_table_exists(c, "s1") && itest_table_exists(c, "s2"));
    db_error_clear(&err);
    db_close(c);
    free(url);
}

static const char *const notx_up =
    "-- migrate:up transaction:false\n"       /* 1 */
    "CREATE TABLE n1 (x integer);\n"          /* 2 */
    "CREATE TABLE n2 (x integer);\n"          /* 3 */
    "CREATE TABLEE n3 (x integer);\n"         /* 4: fails */
    "CREATE TABLE n4 (x integer);\n"          /* 5 */
    "-- migrate:down\nDROP TABLE n2;\nDROP TABLE n1;\n";

static void write_chain(const char *d)
{
    itest_write_file(d, "0001_a.sql", "-- migrate:up\nCREATE TABLE a (id integer);\n-- migrate:down\nDROP TABLE a;\n");
    itest_write_file(d, "0002_notx.sql", notx_up);
    itest_write_file(d, "0003_c.sql", "-- migrate:up\nCREATE TABLE c (id integer);\n-- migrate:down\nDROP TABLE c;\n");
}

static void test_half_applied_is_recorded_and_blocks_up(void)
{
    char *d = itest_fresh_dir("safe", "half", engine);
    write_chain(d);
    char *url = itest_url(engine, "half");
    DbConn *c = itest_open(url);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    MigPlan stale;
    CHECK(migrate_plan_up(c, &dir, NULL, &stale, &err) == 0 && stale.count == 3);
    size_t n = 99;
    CHECK(migrate_run(c, &stale, NULL, &n, &err) == -1);
    CHECK(n == 1);
    CHECK_CONTAINS(err.message, "0002_notx.sql:4:");
    CHECK_CONTAINS(err.message, "TABLEE");
    CHECK_CONTAINS(err.message, "recorded as failed half way");
    CHECK_CONTAINS(err.message, "dbwarden stamp 0002");
    db_error_clear(&err);
    CHECK(itest_table_exists(c, "n1") && itest_table_exists(c, "n2"));
    CHECK(!itest_table_exists(c, "n4") && !itest_table_exists(c, "c"));
    MigStatus st;
    const MigEntry *e = NULL;
    CHECK(migrate_status(c, &dir, &st, &err) == 0);
    CHECK(state_of(&st, "0002", &e) == MIG_FAILED);
    CHECK(e && e->failed_line == 4);
    CHECK(e && e->failed_error && strstr(e->failed_error, "TABLEE"));
    CHECK(e && e->failed_at && strlen(e->failed_at) == 19);
    CHECK(e && e->failed_by && strchr(e->failed_by, '@'));
    CHECK(state_of(&st, "0003", NULL) == MIG_PENDING);
    CHECK(st.problems == 1 && st.applied == 1 && st.pending == 2);
    CHECK_STR(migrate_state_name(MIG_FAILED), "failed");
    migrate_status_free(&st);
    /* up refuses, whether planned now or planned before the failure */
    MigPlan p;
    CHECK(migrate_plan_up(c, &dir, NULL, &p, &err) == -1);
    CHECK_CONTAINS(err.message, "0002_notx.sql:4: migration 0002 failed half way");
    CHECK_CONTAINS(err.message, "dbwarden stamp 0002");
    db_error_clear(&err);
    CHECK(migrate_plan_up(c, &dir, "0001", &p, &err) == -1);
    db_error_clear(&err);
    CHECK(migrate_run(c, &stale, NULL, &n, &err) == -1);
    CHECK(n == 0);
    CHECK_CONTAINS(err.message, "migration 0002 failed half way");
    db_error_clear(&err);
    CHECK(!itest_table_exists(c, "c") && !itest_table_exists(c, "n4"));
    CHECK(count_rows(c, MIGRATE_TABLE) == 1);
    migrate_plan_free(&stale);
    /* with nothing after it, up still refuses (it does not say "nothing to do") */
    migrate_dir_free(&dir);
    char *p3 = xasprintf("%s/0003_c.sql", d);
    unlink(p3);
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    CHECK(migrate_up(c, &dir, NULL, NULL, &n, &err) == -1);
    CHECK_CONTAINS(err.message, "failed half way");
    db_error_clear(&err);
    /* fixed by hand, then stamped: recorded as applied, the failure gone */
    CHECK(db_exec(c, "t", "CREATE TABLE n4 (x integer)", NULL, &err) == 0);
    CHECK(migrate_plan_stamp(c, &dir, "0002", &p, &err) == 0);
    CHECK(p.count == 1 && p.steps[0].kind == MIG_STEP_RECORD);
    char *sql = migrate_plan_sql(c, &p);
    CHECK_CONTAINS(sql, "DELETE FROM " MIGRATE_FAILURES_TABLE " WHERE version = '0002';");
    free(sql);
    CHECK(migrate_run(c, &p, NULL, &n, &err) == 0 && n == 1);
    migrate_plan_free(&p);
    CHECK(count_rows(c, MIGRATE_FAILURES_TABLE) == 0);
    CHECK(migrate_status(c, &dir, &st, &err) == 0);
    CHECK(state_of(&st, "0002", NULL) == MIG_APPLIED && st.problems == 0);
    migrate_status_free(&st);
    itest_write_file(d, "0003_c.sql", "-- migrate:up\nCREATE TABLE c (id integer);\n-- migrate:down\nDROP TABLE c;\n");
    migrate_dir_free(&dir);
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    CHECK(migrate_up(c, &dir, NULL, NULL, &n, &err) == 0 && n == 1);
    CHECK(itest_table_exists(c, "c"));
    free(p3);
    migrate_dir_free(&dir);
    db_close(c);
    free(url);
    free(d);
}

/* A transaction:false section whose first statement fails left nothing
 * behind: it stays pending, and runs again once fixed. */
static void test_first_statement_failure_is_not_half_way(void)
{
    char *d = itest_fresh_dir("safe", "first", engine);
    itest_write_file(d, "0001_f.sql", "-- migrate:up transaction:false\nCREATE TABLEE f1 (x integer);\n"
                                      "CREATE TABLE f2 (x integer);\n");
    char *url = itest_url(engine, "first");
    DbConn *c = itest_open(url);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    CHECK(migrate_up(c, &dir, NULL, NULL, NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "0001_f.sql:2:");
    CHECK(!strstr(err.message ? err.message : "", "half way"));
    db_error_clear(&err);
    MigStatus st;
    CHECK(migrate_status(c, &dir, &st, &err) == 0);
    CHECK(state_of(&st, "0001", NULL) == MIG_PENDING && st.problems == 0);
    migrate_status_free(&st);
    migrate_dir_free(&dir);
    itest_write_file(d, "0001_f.sql", "-- migrate:up transaction:false\nCREATE TABLE f1 (x integer);\n"
                                      "CREATE TABLE f2 (x integer);\n");
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    CHECK(migrate_up(c, &dir, NULL, NULL, NULL, &err) == 0);
    CHECK(itest_table_exists(c, "f2"));
    migrate_dir_free(&dir);
    db_close(c);
    free(url);
    free(d);
}

/* A failure whose file is gone is still shown and still blocks up; a
 * stamp past it records it (and status then calls it missing). */
static void test_failure_without_its_file(void)
{
    char *d = itest_fresh_dir("safe", "gone", engine);
    write_chain(d);
    char *url = itest_url(engine, "gone");
    DbConn *c = itest_open(url);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    CHECK(migrate_up(c, &dir, NULL, NULL, NULL, &err) == -1);
    db_error_clear(&err);
    migrate_dir_free(&dir);
    char *p2 = xasprintf("%s/0002_notx.sql", d);
    unlink(p2);
    free(p2);
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    MigStatus st;
    const MigEntry *e = NULL;
    CHECK(migrate_status(c, &dir, &st, &err) == 0);
    CHECK(state_of(&st, "0002", &e) == MIG_FAILED && e && !e->file);
    migrate_status_free(&st);
    CHECK(migrate_status(c, NULL, &st, &err) == 0);
    CHECK(state_of(&st, "0002", NULL) == MIG_FAILED);
    migrate_status_free(&st);
    CHECK(migrate_up(c, &dir, NULL, NULL, NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "migration 0002 notx (line 4) failed half way");
    db_error_clear(&err);
    MigPlan p;
    CHECK(migrate_plan_stamp(c, &dir, "0003", &p, &err) == 0);
    char *sql = migrate_plan_sql(c, &p);
    free(sql);
    CHECK(migrate_run(c, &p, NULL, NULL, &err) == 0);
    migrate_plan_free(&p);
    CHECK(migrate_status(c, &dir, &st, &err) == 0);
    CHECK(state_of(&st, "0002", NULL) == MIG_MISSING);
    migrate_status_free(&st);
    migrate_dir_free(&dir);
    db_close(c);
    free(url);
    free(d);
}

/* Names and versions from the version table go into the dry run's
 * comments escaped: a line break cannot end the comment. */
static void test_names_stay_in_their_comments(void)
{
    char *d = itest_fresh_dir("safe", "names", engine);
    itest_write_file(d, "0001_users.sql", "-- migrate:up\nCREATE TABLE users (id integer);\n"
                                          "-- migrate:down\nDROP TABLE users;\n");
    char *url = itest_url(engine, "names");
    DbConn *c = itest_open(url);
    MigDir dir;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&dir, d, &err) == 0);
    CHECK(migrate_up(c, &dir, NULL, NULL, NULL, &err) == 0);
    const char *vals[2] = { "0009", "x\nDROP TABLE users;--\r\x1b[2J" };
    DbParams prm = { 2, vals };
    CHECK(db_exec(c, "t", "INSERT INTO " MIGRATE_TABLE " (version, name, checksum, duration_ms, "
                  "applied_by) VALUES ($1, $2, 'x', 0, 'me')", &prm, &err) == 0);
    MigPlan p;
    CHECK(migrate_plan_stamp(c, &dir, "0001", &p, &err) == 0);
    char *sql = migrate_plan_sql(c, &p);
    CHECK_CONTAINS(sql, "-- stamp: forget 0009_x\\nDROP TABLE users;--\\r\\x1b[2J\n");
    CHECK(!strstr(sql, "\nDROP TABLE users"));
    CHECK(!strchr(sql, '\r') && !strchr(sql, '\x1b'));
    /* the whole dry run, as a script, leaves users alone */
    CHECK(db_exec_script(c, "t", sql, NULL, &err) == 0);
    if (err.message) fprintf(stderr, "  %s\n", err.message);
    db_error_clear(&err);
    CHECK(itest_table_exists(c, "users"));
    free(sql);
    migrate_plan_free(&p);
    migrate_dir_free(&dir);
    db_close(c);
    free(url);
    free(d);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_hostile_sql_refused_before_anything_runs);
    RUN(test_transaction_end_stops_the_script_at_once);
    RUN(test_half_applied_is_recorded_and_blocks_up);
    RUN(test_first_statement_failure_is_not_half_way);
    RUN(test_failure_without_its_file);
    RUN(test_names_stay_in_their_comments);
    return test_report();
}
