/* test_catalog_scale.c: the catalog at scale, against a real database
 * (argv[1]: sqlite or postgres):
 *   - one table (catalog_load_table) is read with statements filtered to
 *     it, as many for 3 tables as for 60, and says the same as the whole
 *     catalog about every table of the test schema;
 *   - the number of statements of the whole catalog is the one the README
 *     gives;
 *   - the list estimates sizes from page counts (PostgreSQL) or leaves them
 *     out (SQLite); catalog_measure_sizes measures them; merging keeps the
 *     list's tables where they are;
 *   - the relations of some names, without regard to case;
 *   - a cancel from another thread ends a read that waits for a lock;
 *   - a failed load frees what it took (run under AddressSanitizer's leak
 *     check: a leak fails the test). */
#include "catalog.h"
#include "catalog_fixture.h"
#include "fsutil.h"
#include "itest.h"
#include "strbuf.h"
#include "test.h"

#include <pthread.h>
#include <time.h>

static DbEngine engine;
static bool pg;

/* ---- helpers ---- */

static void exec_ok(DbConn *c, const char *sql)
{
    DbError err = DB_ERROR_INIT;
    size_t at = 0;
    if (db_exec_script(c, "test", sql, &at, &err) != 0) {
        fprintf(stderr, "  exec failed at %zu: %s\n  in: %.200s\n", at, err.message, sql + at);
        db_error_clear(&err);
        CHECK(!"exec failed");
    }
}

static const char *main_schema(void)
{
    return pg ? "public" : "main";
}

/* The statements a connection ran: label and text. */
typedef struct Log {
    char  **labels, **sqls;
    size_t  n, cap, scap;
} Log;

static void log_statement(void *ctx, const char *label, const char *sql)
{
    Log *l = ctx;
    l->labels = xgrow(l->labels, &l->cap, l->n + 1, sizeof *l->labels);
    l->sqls = xgrow(l->sqls, &l->scap, l->n + 1, sizeof *l->sqls);
    l->labels[l->n] = xstrdup(label);
    l->sqls[l->n++] = xstrdup(sql);
}

static void log_free(Log *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->labels[i]);
        free(l->sqls[i]);
    }
    free(l->labels);
    free(l->sqls);
    memset(l, 0, sizeof *l);
}

static char *joined(char **v, size_t n)
{
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        sb_appendf(&b, "%s%s", i ? "|" : "", v[i] ? v[i] : "(null)");
    return sb_take(&b);
}

/* ---- one table, filtered, constant ---- */

/* n tables, each referring to the one before, with a check, a unique key
 * and a partial index; a view every tenth. */
static DbConn *chain_of(int n, const char *name)
{
    char *url = itest_url(engine, name);
    DbConn *c = itest_open(url);
    free(url);
    StrBuf sql = STRBUF_INIT;
    sb_append(&sql, "CREATE TABLE t0 (id integer PRIMARY KEY, v text);\n"
                    "INSERT INTO t0 VALUES (1, 'a');\n");
    for (int i = 1; i < n; i++) {
        sb_appendf(&sql,
            "CREATE TABLE t%d (id integer PRIMARY KEY, parent integer "
            "CONSTRAINT t%d_parent_fkey REFERENCES t%d (id), v text CONSTRAINT t%d_v_check "
            "CHECK (v <> ''), CONSTRAINT t%d_v_key UNIQUE (v));\n"
            "CREATE INDEX t%d_parent_idx ON t%d (parent) WHERE parent IS NOT NULL;\n"
            "INSERT INTO t%d VALUES (1, 1, 'a');\n", i, i, i - 1, i, i, i, i, i);
        if (i % 10 == 0)
            sb_appendf(&sql, "CREATE VIEW v%d AS SELECT * FROM t%d;\n", i, i);
    }
    exec_ok(c, sb_str(&sql));
    sb_free(&sql);
    return c;
}

/* Loads t2 alone with the statements logged; checks what came. */
static size_t one_table(DbConn *c, Log *log)
{
    db_set_log(c, log_statement, log);
    Catalog *cat = NULL;
    DbError err = DB_ERROR_INIT;
    CHECK(catalog_load_table(c, main_schema(), "t2", &cat, &err) == 0);
    if (err.message)
        fprintf(stderr, "  %s\n", err.message);
    db_error_clear(&err);
    db_set_log(c, NULL, NULL);
    CHECK(cat && cat->count == 1);
    const CatTable *t = cat ? catalog_find(cat, main_schema(), "t2") : NULL;
    CHECK(t && t->detailed && t->ncolumns == 3 && t->nconstraints == 4 && t->nindexes >= 2);
    CHECK(t && t->rows == 1 && (t->bytes > 0) == (pg || cat->sizes_known));
    CHECK(t && (t->bytes < 0 || t->bytes_exact));
    for (size_t i = 0; t && i < t->nconstraints; i++) {
        const CatConstraint *k = &t->constraints[i];
        if (k->type != CAT_CON_FOREIGN_KEY)
            continue;
        CHECK_STR(k->ref_table, "t1");
        char *j = joined(k->ref_columns, k->nref_columns);
        CHECK_STR(j, "id");   /* named without t1 loaded */
        free(j);
    }
    catalog_free(cat);
    return log->n;
}

/* Every statement about the table names it through a parameter: none reads
 * a catalog table whole ("catalog: key words" reads PostgreSQL's list of
 * key words, the settings statements read none). */
static void check_filtered(const Log *log)
{
    for (size_t i = 0; i < log->n; i++) {
        const char *label = log->labels[i];
        if (strcmp(label, "catalog: key words") == 0 || strcmp(label, "catalog: settings") == 0 ||
            strcmp(label, "catalog: foreign keys enforced") == 0)   /* the connection's */
            continue;
        if (strcmp(label, "catalog: exact row counts") == 0) {   /* names t2 only */
            CHECK_CONTAINS(log->sqls[i], "\"t2\"");
            CHECK(strstr(log->sqls[i], "UNION") == NULL);
            continue;
        }
        if (!strstr(log->sqls[i], "$1")) {
            fprintf(stderr, "  not filtered: %s: %.300s\n", label, log->sqls[i]);
            CHECK(!"a statement of catalog_load_table reads every table");
        }
    }
}

static void test_one_table_is_filtered_and_constant(void)
{
    DbConn *small = chain_of(3, "scale_n3"), *large = chain_of(60, "scale_n60");
    Log a = { 0 }, b = { 0 };
    size_t na = one_table(small, &a), nb = one_table(large, &b);
    fprintf(stderr, "  statements for one table: %zu of 3 tables, %zu of 60\n", na, nb);
    CHECK(na > 0 && na == nb);
    if (pg)   /* + 1 exact count: t2 was never analysed */
        CHECK(na == CATALOG_PG_TABLE_STATEMENTS + 1);
    check_filtered(&a);
    check_filtered(&b);
    log_free(&a);
    log_free(&b);
    db_close(small);
    db_close(large);
}

/* ---- one table says what the whole catalog says ---- */

static void same_strings(char **x, size_t nx, char **y, size_t ny)
{
    char *a = joined(x, nx), *b = joined(y, ny);
    CHECK_STR(a, b);
    free(a);
    free(b);
}

static void same_details(const Catalog *wa, const CatTable *x, const Catalog *wb,
                         const CatTable *y)
{
    CHECK(y->detailed && x->kind == y->kind && x->rows == y->rows);
    CHECK(x->rows_exact == y->rows_exact && x->ncolumns == y->ncolumns);
    CHECK_STR(x->definition, y->definition);
    CHECK_STR(x->parent_name, y->parent_name);
    CHECK_STR(x->partition_bound, y->partition_bound);
    CHECK(x->has_rowid == y->has_rowid && x->strict == y->strict);
    for (size_t i = 0; i < x->ncolumns && i < y->ncolumns; i++) {
        CHECK_STR(x->columns[i].name, y->columns[i].name);
        CHECK_STR(x->columns[i].type, y->columns[i].type);
        CHECK_STR(x->columns[i].default_expr, y->columns[i].default_expr);
        CHECK_STR(x->columns[i].seq_name, y->columns[i].seq_name);
        CHECK(x->columns[i].pk_position == y->columns[i].pk_position);
    }
    CHECK(x->nconstraints == y->nconstraints);
    for (size_t i = 0; i < x->nconstraints && i < y->nconstraints; i++) {
        const CatConstraint *p = &x->constraints[i], *q = &y->constraints[i];
        CHECK_STR(p->name, q->name);
        CHECK_STR(p->definition, q->definition);
        CHECK_STR(p->expression, q->expression);
        CHECK_STR(p->ref_table, q->ref_table);
        same_strings(p->columns, p->ncolumns, q->columns, q->ncolumns);
        same_strings(p->ref_columns, p->nref_columns, q->ref_columns, q->nref_columns);
        CHECK(p->validated == q->validated && p->inherited == q->inherited);
    }
    CHECK(x->nindexes == y->nindexes);
    for (size_t i = 0; i < x->nindexes && i < y->nindexes; i++) {
        CHECK_STR(x->indexes[i].definition, y->indexes[i].definition);
        same_strings(x->indexes[i].columns, x->indexes[i].ncolumns, y->indexes[i].columns,
                     y->indexes[i].ncolumns);
    }
    CHECK(x->npolicies == y->npolicies && x->ntriggers == y->ntriggers);
    char *dx = catalog_table_ddl(wa, x), *dy = catalog_table_ddl(wb, y);
    CHECK_STR(dx, dy);
    free(dx);
    free(dy);
}

static void test_one_table_says_what_the_whole_says(void)
{
    char *url = itest_url(engine, "scale_same");
    DbConn *c = itest_open(url);
    exec_ok(c, common_schema);
    exec_ok(c, pg ? pg_schema : sqlite_schema);
    Catalog *whole = NULL;
    DbError err = DB_ERROR_INIT;
    CHECK(catalog_load(c, &whole, &err) == 0);
    for (size_t i = 0; whole && i < whole->count; i++) {
        const CatTable *x = &whole->tables[i];
        Catalog *one = NULL;
        CHECK(catalog_load_table(c, x->schema, x->name, &one, &err) == 0);
        if (err.message)
            fprintf(stderr, "  %s.%s: %s\n", x->schema, x->name, err.message);
        db_error_clear(&err);
        const CatTable *y = one ? catalog_find(one, x->schema, x->name) : NULL;
        CHECK(y != NULL);
        if (y) {
            fprintf(stderr, "  comparing %s.%s\n", x->schema, x->name);
            same_details(whole, x, one, y);
        }
        catalog_free(one);
    }
    Catalog *none = NULL;
    CHECK(catalog_load_table(c, main_schema(), "no such table", &none, &err) == 0);
    CHECK(none && none->count == 0);
    catalog_free(none);
    catalog_free(whole);
    db_close(c);
    free(url);
}

/* ---- the documented number of statements ---- */

static void test_readme_gives_the_number(void)
{
    if (!pg)
        return;
    char *path = xasprintf("%s/README.md", getenv("DBW_SRC") ? getenv("DBW_SRC") : "..");
    size_t len = 0;
    DbError err = DB_ERROR_INIT;
    char *text = fs_read_file(path, &len, &err);
    CHECK(text != NULL);
    db_error_clear(&err);
    char *whole = xasprintf("(`schema --json`): %d on PostgreSQL", CATALOG_PG_STATEMENTS);
    char *one = xasprintf("then %d on PostgreSQL", CATALOG_PG_TABLE_STATEMENTS);
    CHECK_CONTAINS(text, whole);
    CHECK_CONTAINS(text, one);
    free(whole);
    free(one);
    free(text);
    free(path);
}

/* ---- sizes: estimated, measured, merged ---- */

static void test_sizes_estimated_then_measured(void)
{
    char *url = itest_url(engine, "scale_sizes");
    DbConn *c = itest_open(url);
    exec_ok(c, "CREATE TABLE filled (id integer PRIMARY KEY, v text);\n"
               "CREATE INDEX filled_v ON filled (v);\n"
               "CREATE TABLE fresh (id integer);\n"
               "CREATE VIEW filled_view AS SELECT id FROM filled;\n");
    exec_ok(c, pg ? "INSERT INTO filled SELECT g, repeat('x', 100) "
                    "FROM generate_series(1, 2000) g;\nANALYZE filled;\n"
                  : "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 2000) INSERT INTO filled SELECT i, hex(zeroblob(50)) FROM n;\n"
                    "ANALYZE;\n");
    DbError err = DB_ERROR_INIT;
    Catalog *list = NULL, *sizes = NULL;
    CHECK(catalog_list_tables(c, &list, &err) == 0);
    CHECK(catalog_measure_sizes(c, &sizes, &err) == 0);
    if (err.message)
        fprintf(stderr, "  %s\n", err.message);
    db_error_clear(&err);
    const CatTable *l = list ? catalog_find(list, main_schema(), "filled") : NULL;
    const CatTable *s = sizes ? catalog_find(sizes, main_schema(), "filled") : NULL;
    CHECK(l && !l->detailed && l->rows == 2000);
    if (pg) {
        /* analysed: from page counts; a table never analysed: measured */
        CHECK(l && l->bytes > 8192 * 3 && !l->bytes_exact);
        const CatTable *f = list ? catalog_find(list, "public", "fresh") : NULL;
        CHECK(f && f->bytes >= 0 && f->bytes_exact);
    } else {
        CHECK(l && l->bytes == -1 && !l->bytes_exact);   /* SQLite: not in the list */
    }
    CHECK(s && s->bytes > 4096 * 3 && s->bytes_exact);
    if (l && s && pg)   /* the estimate is near what is measured */
        CHECK(l->bytes > s->bytes / 2 && l->bytes < s->bytes * 2);
    CHECK(sizes && catalog_find(sizes, main_schema(), "filled_view") == NULL);
    if (list && sizes) {
        const CatTable *before = catalog_find(list, main_schema(), "filled");
        catalog_merge_sizes(list, sizes);
        CHECK(catalog_find(list, main_schema(), "filled") == before);
        CHECK(before && s && before->bytes == s->bytes && before->bytes_exact);
    }
    /* one table's details into the list: the list's table stays put */
    Catalog *one = NULL;
    CHECK(catalog_load_table(c, main_schema(), "filled", &one, &err) == 0);
    const CatTable *t = list ? catalog_find(list, main_schema(), "filled") : NULL;
    CHECK(t && !t->detailed && t->ncolumns == 0);
    CHECK(one && list && catalog_merge_table(list, one, main_schema(), "filled"));
    CHECK(t && t == catalog_find(list, main_schema(), "filled"));
    CHECK(t && t->detailed && t->ncolumns == 2 && t->nindexes >= 1 && t->bytes_exact);
    CHECK(!list || !catalog_merge_table(list, one, main_schema(), "fresh"));
    if (pg)
        CHECK(list && list->nkeywords > 50);
    catalog_free(one);
    catalog_free(sizes);
    catalog_free(list);
    db_close(c);
    free(url);
}

/* ---- the relations of some names ---- */

static void test_find_named(void)
{
    char *url = itest_url(engine, "scale_named");
    DbConn *c = itest_open(url);
    exec_ok(c, "CREATE TABLE \"Users\" (id integer);\n"
               "CREATE TABLE orders (id integer);\n"
               "CREATE VIEW users_v AS SELECT id FROM \"Users\";\n");
    if (pg)
        exec_ok(c, "CREATE SCHEMA sales;\nCREATE TABLE sales.users (id integer);\n");
    const char *names[] = { "users", "ORDERS", "nothing" };
    Catalog *cat = NULL;
    DbError err = DB_ERROR_INIT;
    CHECK(catalog_find_named(c, names, 3, &cat, &err) == 0);
    CHECK(cat && cat->count == (pg ? 3u : 2u));
    CHECK(cat && catalog_find(cat, main_schema(), "Users"));
    CHECK(cat && catalog_find(cat, main_schema(), "orders"));
    CHECK(cat && !catalog_find(cat, main_schema(), "users_v"));
    if (pg)
        CHECK(cat && catalog_find(cat, "sales", "users"));
    catalog_free(cat);
    CHECK(catalog_find_named(c, NULL, 0, &cat, &err) == 0);
    CHECK(cat && cat->count == (pg ? 4u : 3u));
    catalog_free(cat);
    db_close(c);
    free(url);
}

/* ---- a failed load ---- */

/* PostgreSQL: the session is ended under the catalog's feet (a reload in
 * the console after the server restarted): every statement fails, the
 * load says so, and frees all it took, the error of its first statement
 * too (AddressSanitizer's leak check at exit fails the test otherwise). */
static void test_failed_load_frees_everything(void)
{
    char *url = itest_url(engine, "scale_fail");
    DbConn *c = itest_open(url);
    exec_ok(c, "CREATE TABLE a (id integer PRIMARY KEY);\n");
    if (pg) {
        char *pid = NULL;
        DbError err = DB_ERROR_INIT;
        CHECK(db_query_value(c, "t", "SELECT pg_backend_pid()::text", NULL, &pid, &err) == 0);
        DbConn *admin = itest_open(getenv("DBW_PG_ADMIN"));
        const char *vals[1] = { pid };
        DbParams p = { 1, vals };
        CHECK(db_exec(admin, "t", "SELECT pg_terminate_backend($1::int)", &p, &err) == 0);
        db_close(admin);
        free(pid);
    } else {
        exec_ok(c, "CREATE VIEW broken AS SELECT gone_col FROM a;\n");
    }
    Catalog *cat = NULL;
    DbError err = DB_ERROR_INIT;
    int rc = catalog_load(c, &cat, &err);
    if (pg) {
        CHECK(rc == -1 && cat == NULL);
        CHECK_CONTAINS(err.message, "reading the catalog of");
        db_error_clear(&err);
        CHECK(catalog_load_table(c, "public", "a", &cat, &err) == -1);
        db_error_clear(&err);
        CHECK(catalog_list_tables(c, &cat, &err) == -1);
        db_error_clear(&err);
        CHECK(catalog_measure_sizes(c, &cat, &err) == -1);
    } else {
        CHECK(rc == 0);   /* SQLite: a broken view does not fail the catalog */
        catalog_free(cat);
    }
    db_error_clear(&err);
    db_close(c);
    free(url);
}

/* ---- a cancel reaches a read that waits for a lock ---- */

static void *cancel_later(void *arg)
{
    struct timespec d = { 0, 300 * 1000000L };
    nanosleep(&d, NULL);
    db_cancel(arg);
    return NULL;
}

/* Another session holds a lock the list needs (PostgreSQL: a table never
 * analysed, whose size is measured; SQLite: the whole file): db_cancel()
 * from another thread (the console's Esc, q) ends the wait at once, not
 * after the lock wait (2 s, PostgreSQL) or the busy timeout (5 s, SQLite),
 * and says it was cancelled. */
static void test_cancel_ends_a_lock_wait(void)
{
    char *url = itest_url(engine, "scale_cancel");
    DbConn *c = itest_open(url), *holder = itest_open(url);
    exec_ok(c, "CREATE TABLE busy (id integer);\n");
    DbError err = DB_ERROR_INIT;
    if (pg) {
        CHECK(db_begin(holder, false, &err) == 0);
        CHECK(db_exec(holder, "t", "LOCK TABLE busy IN ACCESS EXCLUSIVE MODE", NULL, &err) == 0);
    } else {
        CHECK(db_exec(holder, "t", "BEGIN EXCLUSIVE", NULL, &err) == 0);
    }
    pthread_t th;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(pthread_create(&th, NULL, cancel_later, c) == 0);
    Catalog *cat = NULL;
    CHECK(catalog_list_tables(c, &cat, &err) == -1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_join(th, NULL);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000L + (t1.tv_nsec - t0.tv_nsec) / 1000000L;
    fprintf(stderr, "  cancelled after %ld ms: %s\n", ms, err.message ? err.message : "");
    CHECK(ms < 1500);
    CHECK(err.kind == DB_ERR_CANCELLED);
    db_error_clear(&err);
    db_rollback(holder);
    CHECK(catalog_list_tables(c, &cat, &err) == 0);   /* the next read is not cancelled */
    CHECK(cat && catalog_find(cat, main_schema(), "busy"));
    catalog_free(cat);
    db_close(holder);
    db_close(c);
    free(url);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    pg = engine == DB_ENGINE_POSTGRES;
    RUN(test_one_table_is_filtered_and_constant);
    RUN(test_one_table_says_what_the_whole_says);
    RUN(test_readme_gives_the_number);
    RUN(test_sizes_estimated_then_measured);
    RUN(test_find_named);
    RUN(test_failed_load_frees_everything);
    RUN(test_cancel_ends_a_lock_wait);
    return test_report();
}
