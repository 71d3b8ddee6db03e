/* test_db.c: the driver against a real database (argv[1]: sqlite|postgres). */
#include "itest.h"
#include "test.h"

#include <pthread.h>
#include <time.h>

static DbEngine engine;

typedef struct Rows {
    int  n;
    char first[64];
    bool saw_null;
} Rows;

static int count_rows(void *ctx, const DbRow *row)
{
    Rows *r = ctx;
    if (r->n == 0 && row->values[0])
        snprintf(r->first, sizeof r->first, "%s", row->values[0]);
    for (int i = 0; i < row->ncols; i++)
        if (!row->values[i])
            r->saw_null = true;
    r->n++;
    return 0;
}

static int stop_after_two(void *ctx, const DbRow *row)
{
    (void)row;
    return ++*(int *)ctx >= 2;
}

static void test_query_params_and_quoting(void)
{
    char *url = itest_url(engine, "query");
    DbConn *c = itest_open(url);
    DbError err = DB_ERROR_INIT;
    char *q = db_quote_ident(c, "we\"ird Table");
    CHECK_STR(q, "\"we\"\"ird Table\"");
    char *sql = xasprintf("CREATE TABLE %s (id integer PRIMARY KEY, label text)", q);
    CHECK(db_exec(c, "t", sql, NULL, &err) == 0);
    free(sql);
    sql = xasprintf("INSERT INTO %s (id, label) VALUES ($1, $2)", q);
    const char *v1[] = { "1", "it's \"quoted\"; DROP TABLE x; --" };
    const char *v2[] = { "2", NULL };
    DbParams p1 = { 2, v1 }, p2 = { 2, v2 };
    CHECK(db_exec(c, "t", sql, &p1, &err) == 0);
    CHECK(db_exec(c, "t", sql, &p2, &err) == 0);
    free(sql);
    Rows r = { 0, "", false };
    sql = xasprintf("SELECT label, id FROM %s ORDER BY id", q);
    CHECK(db_query(c, "t", sql, NULL, count_rows, &r, &err) == 0);
    CHECK(r.n == 2);
    CHECK_STR(r.first, "it's \"quoted\"; DROP TABLE x; --");
    CHECK(r.saw_null);
    int seen = 0;
    CHECK(db_query(c, "t", sql, NULL, stop_after_two, &seen, &err) == 0);
    CHECK(seen == 2);
    free(sql);
    /* the connection is still usable after stopping early */
    char *v = NULL;
    CHECK(db_query_value(c, "t", "SELECT 40 + 2", NULL, &v, &err) == 0);
    CHECK_STR(v, "42");
    free(v);
    bool exists = false;
    CHECK(db_table_exists(c, "we\"ird Table", &exists, &err) == 0 && exists);
    CHECK(db_table_exists(c, "nope", &exists, &err) == 0 && !exists);
    free(q);
    db_close(c);
    free(url);
}

static void test_errors_carry_engine_code(void)
{
    char *url = itest_url(engine, "errors");
    DbConn *c = itest_open(url);
    DbError err = DB_ERROR_INIT;
    CHECK(db_exec(c, "t", "SELEC 1", NULL, &err) == -1);
    CHECK(err.kind == DB_ERR_SQL);
    CHECK_STR(err.code, engine == DB_ENGINE_POSTGRES ? "42601" : "SQLITE_ERROR");
    CHECK_CONTAINS(err.message, "syntax error");
    CHECK(err.position == 0);
    db_error_clear(&err);
    CHECK(db_exec(c, "t", "CREATE TABLE u (k text UNIQUE)", NULL, &err) == 0);
    CHECK(db_exec(c, "t", "INSERT INTO u VALUES ('a')", NULL, &err) == 0);
    CHECK(db_exec(c, "t", "INSERT INTO u VALUES ('a')", NULL, &err) == -1);
    CHECK_STR(err.code, engine == DB_ENGINE_POSTGRES ? "23505" : "SQLITE_CONSTRAINT");
    db_error_clear(&err);
    db_close(c);
    free(url);
}

static void test_transactions(void)
{
    char *url = itest_url(engine, "tx");
    DbConn *c = itest_open(url);
    DbError err = DB_ERROR_INIT;
    CHECK(db_exec(c, "t", "CREATE TABLE t (x integer)", NULL, &err) == 0);
    CHECK(db_begin(c, true, &err) == 0);
    CHECK(db_exec(c, "t", "INSERT INTO t VALUES (1)", NULL, &err) == 0);
    CHECK(db_rollback(c) == 0);
    CHECK(db_begin(c, false, &err) == 0);
    CHECK(db_exec(c, "t", "INSERT INTO t VALUES (2)", NULL, &err) == 0);
    CHECK(db_commit(c, &err) == 0);
    char *v = NULL;
    CHECK(db_query_value(c, "t", "SELECT count(*) || ':' || max(x) FROM t", NULL, &v, &err) == 0);
    CHECK_STR(v, "1:2");
    free(v);
    db_close(c);
    free(url);
}

static void test_exec_script_offsets(void)
{
    char *url = itest_url(engine, "script");
    DbConn *c = itest_open(url);
    DbError err = DB_ERROR_INIT;
    const char *script =
        "-- a comment; with a semicolon\n"
        "CREATE TABLE a (x text DEFAULT 'x;y');\n"
        "/* block; */ CREATE TABLE b (y integer);\n"
        "INSERT INTO a VALUES ('one;two');\n"
        "CREAT TABLE c (z integer);\n"
        "CREATE TABLE d (w integer);\n";
    size_t at = 0;
    CHECK(db_exec_script(c, "t", script, &at, &err) == -1);
    const char *want = strstr(script, "CREAT TABLE");
    CHECK(at == (size_t)(want - script));
    CHECK(err.position == (int)(want - script));
    db_error_clear(&err);
    bool exists = true;
    CHECK(db_table_exists(c, "b", &exists, &err) == 0 && exists);
    CHECK(db_table_exists(c, "d", &exists, &err) == 0 && !exists);
    CHECK(db_exec_script(c, "t", "  -- only a comment\n", &at, &err) == 0);
    db_close(c);
    free(url);
}

static void test_copy_stdin_refused(void)
{
    if (engine != DB_ENGINE_POSTGRES)
        return;
    char *url = itest_url(engine, "copy");
    DbConn *c = itest_open(url);
    DbError err = DB_ERROR_INIT;
    size_t at = 0;
    const char *script = "CREATE TABLE t (x int);\nCOPY t FROM STDIN;\nSELECT 1;\n";
    CHECK(db_begin(c, false, &err) == 0);
    CHECK(db_exec_script(c, "t", script, &at, &err) == -1);
    CHECK(at == (size_t)(strstr(script, "COPY") - script));
    CHECK_CONTAINS(err.message, "COPY from standard input");
    db_error_clear(&err);
    CHECK(db_rollback(c) == 0); /* the connection is not wedged */
    CHECK(db_exec(c, "t", "CREATE TABLE u (x int)", NULL, &err) == 0);
    CHECK(db_exec(c, "t", "COPY u TO STDOUT", NULL, &err) == -1);
    db_error_clear(&err);
    char *v = NULL;
    CHECK(db_query_value(c, "t", "SELECT 7", NULL, &v, &err) == 0);
    CHECK_STR(v, "7");
    free(v);
    db_close(c);
    free(url);
}

typedef struct CancelCtx {
    DbConn *c;
} CancelCtx;

static void *cancel_soon(void *arg)
{
    CancelCtx *cc = arg;
    struct timespec ts = { 0, 300 * 1000000L };
    nanosleep(&ts, NULL);
    db_cancel(cc->c);
    return NULL;
}

static void test_cancel_from_another_thread(void)
{
    char *url = itest_url(engine, "cancel");
    DbConn *c = itest_open(url);
    DbError err = DB_ERROR_INIT;
    const char *slow = engine == DB_ENGINE_POSTGRES
        ? "SELECT pg_sleep(30)"
        : "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
          "SELECT count(*) FROM n";
    CancelCtx cc = { c };
    pthread_t th;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_create(&th, NULL, cancel_soon, &cc);
    int rc = db_exec(c, "slow", slow, NULL, &err);
    pthread_join(th, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(rc == -1);
    CHECK(err.kind == DB_ERR_CANCELLED);
    CHECK(t1.tv_sec - t0.tv_sec < 20);
    db_error_clear(&err);
    char *v = NULL;
    CHECK(db_query_value(c, "t", "SELECT 1", NULL, &v, &err) == 0); /* still usable */
    CHECK_STR(v, "1");
    free(v);
    db_close(c);
    free(url);
}

static void test_open_failures_hide_password(void)
{
    DbConn *c = NULL;
    DbError err = DB_ERROR_INIT;
    if (engine == DB_ENGINE_POSTGRES) {
        char *bad = itest_pg_url("postgres", "Wr0ngPassw0rd");
        CHECK(db_open(&c, bad, NULL, &err) == -1);
        CHECK(err.kind == DB_ERR_CONNECT);
        CHECK_CONTAINS(err.message, "password authentication failed");
        CHECK(!strstr(err.message, "Wr0ngPassw0rd"));
        CHECK_CONTAINS(err.message, "app:***@");
        db_error_clear(&err);
        free(bad);
        CHECK(db_open(&c, "postgresql://app:Zz9secret@/x?host=/nonexistent-dir&port=1", NULL, &err) == -1);
        CHECK(err.kind == DB_ERR_CONNECT);
        CHECK(!strstr(err.message, "Zz9secret"));
        db_error_clear(&err);
    } else {
        CHECK(db_open(&c, "sqlite:///no/such/dir/x.db", NULL, &err) == -1);
        CHECK(err.kind == DB_ERR_CONNECT);
        CHECK_CONTAINS(err.message, "no/such/dir/x.db");
        db_error_clear(&err);
        FILE *f = fopen("it_notadb.db", "w");
        fputs("this is not a database, just text that is long enough to be read ..........."
              "...............................................................................",
              f);
        fclose(f);
        CHECK(db_open(&c, "it_notadb.db", NULL, &err) == -1);
        CHECK(err.kind == DB_ERR_CONNECT);
        db_error_clear(&err);
    }
}

static void test_read_only(void)
{
    char *url = itest_url(engine, "ro");
    DbConn *c = itest_open(url);
    DbError err = DB_ERROR_INIT;
    CHECK(db_exec(c, "t", "CREATE TABLE t (x integer)", NULL, &err) == 0);
    db_close(c);
    DbOpenOptions o = { .read_only = true };
    CHECK(db_open(&c, url, &o, &err) == 0);
    CHECK(db_exec(c, "t", "INSERT INTO t VALUES (1)", NULL, &err) == -1);
    db_error_clear(&err);
    char *v = NULL;
    CHECK(db_query_value(c, "t", "SELECT count(*) FROM t", NULL, &v, &err) == 0);
    CHECK_STR(v, "0");
    free(v);
    db_close(c);
    free(url);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_query_params_and_quoting);
    RUN(test_errors_carry_engine_code);
    RUN(test_transactions);
    RUN(test_exec_script_offsets);
    RUN(test_copy_stdin_refused);
    RUN(test_cancel_from_another_thread);
    RUN(test_open_failures_hide_password);
    RUN(test_read_only);
    return test_report();
}
