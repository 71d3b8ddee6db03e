/* test_db_copy.c: the driver's bulk paths on a real database: COPY FROM
 * STDIN (PostgreSQL) with every value that must be escaped, a row the
 * server refuses, an abort, a cancel from another thread and statements
 * refused while a COPY runs; SQLite refuses COPY; prepared statements on
 * both engines (NULLs, changes, a constraint, cancel).
 *   test_db_copy sqlite|postgres */
#include "db.h"
#include "itest.h"
#include "strbuf.h"
#include "test.h"

#include <pthread.h>
#include <time.h>

static DbEngine engine;
static DbConn *conn;

static void exec_ok(const char *sql)
{
    DbError err = DB_ERROR_INIT;
    if (db_exec(conn, "test", sql, NULL, &err) != 0) {
        fprintf(stderr, "%s: %s\n", sql, err.message);
        test_failures++;
    }
    db_error_clear(&err);
}

static char *value(const char *sql)
{
    DbError err = DB_ERROR_INIT;
    char *v = NULL;
    if (db_query_value(conn, "test", sql, NULL, &v, &err) != 0) {
        fprintf(stderr, "%s: %s\n", sql, err.message);
        test_failures++;
    }
    db_error_clear(&err);
    return v;
}

static void check_value(const char *sql, const char *want)
{
    char *v = value(sql);
    CHECK_STR(v, want);
    free(v);
}

/* One row of COPY text: id, then t (NULL when t is NULL). */
static void copy_row(StrBuf *b, int id, const char *t)
{
    sb_appendf(b, "%d\t", id);
    db_copy_field(b, t, t ? strlen(t) : 0);
    sb_appendc(b, '\n');
}

static void test_copy_escapes(void)
{
    exec_ok("CREATE TABLE cp (id integer PRIMARY KEY, t text)");
    DbError err = DB_ERROR_INIT;
    const char *vals[] = { "plain", "tab\there", "new\nline", "back\\slash", "cr\rx", "",
                           "\\N", "héllo ✓", NULL };
    StrBuf b = STRBUF_INIT;
    for (int i = 0; i < 9; i++)
        copy_row(&b, i + 1, vals[i]);
    CHECK(db_copy_begin(conn, "test: copy", "COPY cp (id, t) FROM STDIN", &err) == 0);
    /* statements wait for the end */
    DbError e2 = DB_ERROR_INIT;
    CHECK(db_exec(conn, "test", "SELECT 1", NULL, &e2) != 0 && e2.kind == DB_ERR_USAGE);
    db_error_clear(&e2);
    /* sent in two pieces, cut in the middle of a row */
    size_t half = b.len / 2;
    CHECK(db_copy_put(conn, b.s, half, &err) == 0);
    CHECK(db_copy_put(conn, b.s + half, b.len - half, &err) == 0);
    long long rows = -1;
    CHECK(db_copy_end(conn, &rows, &err) == 0);
    CHECK(rows == 9);
    sb_free(&b);
    db_error_clear(&err);
    for (int i = 0; i < 9; i++) {
        char *sql = xasprintf("SELECT coalesce(t, '<null>') FROM cp WHERE id = %d", i + 1);
        check_value(sql, vals[i] ? vals[i] : "<null>");
        free(sql);
    }
    check_value("SELECT count(*) FROM cp WHERE t IS NULL", "1");
}

static void test_copy_refused_row(void)
{
    DbError err = DB_ERROR_INIT;
    exec_ok("BEGIN");
    CHECK(db_copy_begin(conn, "test", "COPY cp (id, t) FROM STDIN", &err) == 0);
    StrBuf b = STRBUF_INIT;
    copy_row(&b, 100, "new");
    copy_row(&b, 1, "duplicate key");
    copy_row(&b, 101, "after");
    int rc = db_copy_put(conn, b.s, b.len, &err);
    if (rc == 0)
        rc = db_copy_end(conn, NULL, &err);
    CHECK(rc != 0);
    CHECK(err.kind == DB_ERR_SQL);
    CHECK_STR(err.code, "23505");
    CHECK_CONTAINS(err.message, "duplicate key");
    db_error_clear(&err);
    sb_free(&b);
    db_rollback(conn);
    check_value("SELECT count(*) FROM cp WHERE id >= 100", "0");
    /* the connection goes on */
    check_value("SELECT count(*) FROM cp", "9");
}

static void test_copy_abort(void)
{
    DbError err = DB_ERROR_INIT;
    CHECK(db_copy_begin(conn, "test", "COPY cp (id, t) FROM STDIN", &err) == 0);
    StrBuf b = STRBUF_INIT;
    copy_row(&b, 200, "never");
    CHECK(db_copy_put(conn, b.s, b.len, &err) == 0);
    db_copy_abort(conn, "the test gave up");
    db_copy_abort(conn, "twice is harmless");
    sb_free(&b);
    check_value("SELECT count(*) FROM cp WHERE id = 200", "0");
    /* not in a COPY any more */
    CHECK(db_copy_put(conn, "x", 1, &err) != 0 && err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    /* a plain query still refuses to stream a COPY */
    CHECK(db_exec(conn, "test", "COPY cp FROM STDIN", NULL, &err) != 0);
    db_error_clear(&err);
    /* begin refuses what is not a COPY FROM STDIN */
    CHECK(db_copy_begin(conn, "test", "SELECT 1", &err) != 0 && err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    CHECK(db_copy_begin(conn, "test", "COPY cp TO STDOUT", &err) != 0);
    db_error_clear(&err);
    CHECK(db_copy_begin(conn, "test", "COPY nosuch FROM STDIN", &err) != 0 &&
          err.kind == DB_ERR_SQL);
    db_error_clear(&err);
    check_value("SELECT 1", "1");
}

static void *cancel_soon(void *arg)
{
    struct timespec ts = { 0, 300 * 1000000L };
    nanosleep(&ts, NULL);
    db_cancel(arg);
    return NULL;
}

/* A cancel from another thread stops a COPY that is sending data. */
static void test_copy_cancel(void)
{
    exec_ok("CREATE TABLE big (id bigint, t text)");
    exec_ok("BEGIN");
    DbError err = DB_ERROR_INIT;
    CHECK(db_copy_begin(conn, "test", "COPY big (id, t) FROM STDIN", &err) == 0);
    pthread_t th;
    pthread_create(&th, NULL, cancel_soon, conn);
    StrBuf b = STRBUF_INIT;
    int rc = 0;
    time_t t0 = time(NULL);
    for (long i = 0; rc == 0 && time(NULL) - t0 < 30; i++) {
        b.len = 0;
        for (int k = 0; k < 1000; k++)
            sb_appendf(&b, "%ld\tsome text of a row %ld\n", i * 1000 + k, i);
        rc = db_copy_put(conn, b.s, b.len, &err);
        if (rc == 0 && i % 50 == 49) {
            /* the cancel shows at the end at the latest */
            struct timespec ts = { 0, 1000000L };
            nanosleep(&ts, NULL);
        }
        if (rc == 0 && time(NULL) - t0 >= 2)
            rc = db_copy_end(conn, NULL, &err);
    }
    pthread_join(th, NULL);
    CHECK(rc != 0);
    CHECK(err.kind == DB_ERR_CANCELLED);
    db_error_clear(&err);
    sb_free(&b);
    db_rollback(conn);
    check_value("SELECT count(*) FROM big", "0");
}

static void test_sqlite_has_no_copy(void)
{
    DbError err = DB_ERROR_INIT;
    CHECK(db_copy_begin(conn, "test", "COPY t FROM STDIN", &err) != 0);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "PostgreSQL");
    db_error_clear(&err);
    check_value("SELECT 1", "1");
}

static void test_prepared(void)
{
    exec_ok("CREATE TABLE ps (id integer PRIMARY KEY, name text UNIQUE, n integer)");
    DbError err = DB_ERROR_INIT;
    DbStmt *st = NULL;
    CHECK(db_prepare(conn, "test: insert", "INSERT INTO ps (id, name, n) VALUES ($1, $2, $3)",
                     &st, &err) == 0);
    exec_ok("BEGIN");
    long long changes = -1;
    for (int i = 1; i <= 500; i++) {
        char id[16], name[32];
        snprintf(id, sizeof id, "%d", i);
        snprintf(name, sizeof name, "name %d", i);
        const char *v[3] = { id, name, i % 10 ? id : NULL };
        DbParams p = { 3, v };
        if (db_stmt_exec(st, &p, &changes, &err) != 0 || changes != 1) {
            CHECK(!"prepared insert");
            break;
        }
    }
    exec_ok("COMMIT");
    check_value("SELECT count(*) FROM ps", "500");
    check_value("SELECT count(*) FROM ps WHERE n IS NULL", "50");
    check_value("SELECT name FROM ps WHERE id = 77", "name 77");
    /* a constraint: the error, and the statement goes on afterwards */
    const char *dup[3] = { "9999", "name 5", "1" };
    DbParams pd = { 3, dup };
    CHECK(db_stmt_exec(st, &pd, &changes, &err) != 0 && err.kind == DB_ERR_SQL);
    db_error_clear(&err);
    const char *ok[3] = { "9999", "fresh", "1" };
    DbParams po = { 3, ok };
    CHECK(db_stmt_exec(st, &po, &changes, &err) == 0 && changes == 1);
    db_stmt_free(st);

    /* changes of an insert that does nothing */
    const char *ig_sql = engine == DB_ENGINE_POSTGRES
        ? "INSERT INTO ps (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        : "INSERT OR IGNORE INTO ps (id, name) VALUES ($1, $2)";
    CHECK(db_prepare(conn, "test", ig_sql, &st, &err) == 0);
    const char *ig[2] = { "1", "again" };
    DbParams pi = { 2, ig };
    CHECK(db_stmt_exec(st, &pi, &changes, &err) == 0 && changes == 0);
    /* a cancel between two runs stops the next one (SQLite), or is
     * harmless (PostgreSQL: nothing was running) */
    db_cancel(conn);
    int rc = db_stmt_exec(st, &pi, &changes, &err);
    if (engine == DB_ENGINE_SQLITE)
        CHECK(rc != 0 && err.kind == DB_ERR_CANCELLED);
    db_error_clear(&err);
    db_stmt_free(st);
    check_value("SELECT count(*) FROM ps", "501");
    /* a bad statement is refused at once */
    CHECK(db_prepare(conn, "test", "INSERT INTO nosuch VALUES ($1)", &st, &err) != 0);
    CHECK(st == NULL && err.kind == DB_ERR_SQL);
    db_error_clear(&err);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    char *url = itest_url(engine, "db_copy");
    conn = itest_open(url);
    free(url);
    if (engine == DB_ENGINE_POSTGRES) {
        RUN(test_copy_escapes);
        RUN(test_copy_refused_row);
        RUN(test_copy_abort);
        RUN(test_copy_cancel);
    } else {
        RUN(test_sqlite_has_no_copy);
    }
    RUN(test_prepared);
    db_close(conn);
    return test_report();
}
