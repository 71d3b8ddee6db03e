/* test_rows_views.c: the row pager on relations without a unique key,
 * where it is, and what it says of a value (argv[1]: sqlite|postgres):
 *   - a view with duplicate rows and NULLs, paged forward and back with
 *     pages that cut groups of duplicates: every row exactly once (the
 *     plain keyset over the same columns is shown to skip rows, so the
 *     data does test that);
 *   - PostgreSQL: columns that cannot be sorted (json, point) ordered by
 *     their text;
 *   - bounded counts (rows_count, rows_count_before), marks and seeks;
 *   - a BLOB in a TEXT column is binary, a text that reads like hex is not;
 *   - PostgreSQL: a table the role may not read fails with the server's
 *     error, never as an empty page;
 *   - SQLite: a view that no longer compiles: the catalog keeps SQLite's
 *     error for its columns (the other views keep theirs), and its key
 *     fails with that error. */
#include "catalog.h"
#include "rows.h"
#include "itest.h"
#include "strbuf.h"
#include "test.h"

static DbEngine engine;
static bool is_pg;

static DbConn *open_db(const char *name)
{
    char *url = itest_url(engine, name);
    DbConn *c = itest_open(url);
    free(url);
    return c;
}

static void setup(DbConn *c, const char *script)
{
    DbError err = DB_ERROR_INIT;
    size_t at;
    if (db_exec_script(c, "setup", script, &at, &err) != 0) {
        fprintf(stderr, "setup failed at %zu: %s\n", at, err.message);
        exit(1);
    }
}

typedef struct StrList {
    char  **s;
    size_t  n, cap;
} StrList;

static void list_add(StrList *l, const char *s)
{
    l->s = xgrow(l->s, &l->cap, l->n + 1, sizeof *l->s);
    l->s[l->n++] = xstrdup(s);
}

static void list_free(StrList *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l->s);
    memset(l, 0, sizeof *l);
}

static int collect_first(void *ctx, const DbRow *row)
{
    list_add(ctx, row->values[0] ? row->values[0] : "<NULL>");
    return 0;
}

/* The oracle: column 0 of sql's rows, in order. */
static StrList query_list(DbConn *c, const char *sql)
{
    StrList l = { 0 };
    DbError err = DB_ERROR_INIT;
    if (db_query(c, "oracle", sql, NULL, collect_first, &l, &err) != 0) {
        fprintf(stderr, "oracle failed: %s\n", err.message);
        exit(1);
    }
    return l;
}

/* A row of the page as one string: "a|b|<NULL>". */
static char *row_text(const RowsPage *pg, size_t r)
{
    StrBuf b = STRBUF_INIT;
    for (int c = 0; c < pg->ncols; c++) {
        const RowsCell *cell = rows_cell(pg, r, c);
        sb_appendf(&b, "%s%s", c ? "|" : "", cell->null ? "<NULL>" : cell->text);
    }
    return sb_take(&b);
}

static bool same_rows(const StrList *got, const StrList *want, bool reversed)
{
    if (got->n != want->n) {
        fprintf(stderr, "  %zu rows, want %zu\n", got->n, want->n);
        return false;
    }
    for (size_t i = 0; i < got->n; i++) {
        const char *w = want->s[reversed ? want->n - 1 - i : i];
        if (strcmp(got->s[i], w) != 0) {
            fprintf(stderr, "  row %zu: %s, want %s\n", i, got->s[i], w);
            return false;
        }
    }
    return true;
}

static RowsPager *open_on(DbConn *c, const char *table, int page, RowsKey *key)
{
    DbError err = DB_ERROR_INIT;
    RowsPager *p = NULL;
    if (rows_find_key(c, NULL, table, key, &err) != 0) {
        fprintf(stderr, "  find key of %s: %s\n", table, err.message);
        db_error_clear(&err);
        return NULL;
    }
    RowsSpec spec = { NULL, table, key->ncols, (const char *const *)key->cols, 0, NULL, page,
                      key->kind, key->by_text };
    if (rows_open(&p, c, &spec, &err) != 0) {
        fprintf(stderr, "  open %s: %s\n", table, err.message);
        db_error_clear(&err);
    }
    return p;
}

/* Pages from the first page to the end (fwd), then back to the start
 * (back, in reverse order), each row as row_text(). */
static void walk(RowsPager *p, StrList *fwd, StrList *back)
{
    DbError err = DB_ERROR_INIT;
    CHECK(rows_first(p, &err) == 0);
    const RowsPage *pg = rows_page(p);
    for (int guard = 0; guard < 1000; guard++) {
        for (size_t r = 0; r < pg->nrows; r++) {
            char *t = row_text(pg, r);
            list_add(fwd, t);
            free(t);
        }
        if (!pg->more_after)
            break;
        CHECK(rows_next(p, &err) == 0);
    }
    for (int guard = 0; guard < 1000; guard++) {
        for (size_t r = pg->nrows; r > 0; r--) {
            char *t = row_text(pg, r - 1);
            list_add(back, t);
            free(t);
        }
        if (!pg->more_before)
            break;
        CHECK(rows_prev(p, &err) == 0);
    }
    if (err.message)
        fprintf(stderr, "  %s\n", err.message);
    db_error_clear(&err);
}

/* Duplicates and NULLs: 48 rows in groups of up to 6 equal rows. */
static const char *const DUP_SQL =
    "CREATE TABLE d (id integer PRIMARY KEY, g integer, t text);\n"
    "CREATE VIEW dv AS SELECT g, t FROM d;\n";

static void fill_dups(DbConn *c)
{
    StrBuf s = STRBUF_INIT;
    for (int i = 1; i <= 48; i++) {
        int g = i % 4, t = i % 3;
        sb_appendf(&s, "INSERT INTO d VALUES (%d, %s, %s);\n", i,
                   g == 0 ? "NULL" : (g == 1 ? "1" : g == 2 ? "2" : "10"),
                   t == 0 ? "NULL" : t == 1 ? "'a'" : "'b'");
    }
    setup(c, sb_str(&s));
    sb_free(&s);
}

/* The oracle's rows of dv as row_text() writes them, in the engine's order
 * (NULLs last on PostgreSQL, first on SQLite, as ORDER BY puts them). */
static const char *dup_oracle(void)
{
    return is_pg ? "SELECT coalesce(g::text, '<NULL>') || '|' || coalesce(t, '<NULL>') "
                   "FROM dv ORDER BY g, t"
                 : "SELECT coalesce(CAST(g AS TEXT), '<NULL>') || '|' || coalesce(t, '<NULL>') "
                   "FROM dv ORDER BY g, t";
}

static void test_view_duplicates(void)
{
    DbConn *c = open_db("rowsv_dup");
    setup(c, DUP_SQL);
    fill_dups(c);
    StrList want = query_list(c, dup_oracle());
    CHECK(want.n == 48);
    int sizes[] = { 1, 3, 5, 7, 48, 100 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        RowsKey key;
        RowsPager *p = open_on(c, "dv", sizes[i], &key);
        CHECK(p != NULL);
        CHECK(key.kind == ROWS_KEY_COLUMNS && key.ncols == 2);
        if (p) {
            StrList fwd = { 0 }, back = { 0 };
            walk(p, &fwd, &back);
            if (!same_rows(&fwd, &want, false) || !same_rows(&back, &want, true)) {
                fprintf(stderr, "  (pages of %d)\n", sizes[i]);
                CHECK(false);
            }
            /* the page shows the view's columns, not the duplicate number */
            CHECK(rows_page(p)->ncols == 2);
            list_free(&fwd);
            list_free(&back);
        }
        rows_close(p);
        rows_key_free(&key);
    }
    /* the same columns taken for a unique key skip rows: the data tests
     * what it should */
    const char *cols[] = { "g", "t" };
    RowsSpec spec = { NULL, "dv", 2, cols, 0, NULL, 5, ROWS_KEY_PRIMARY, NULL };
    RowsPager *p = NULL;
    DbError err = DB_ERROR_INIT;
    CHECK(rows_open(&p, c, &spec, &err) == 0);
    if (p) {
        StrList fwd = { 0 }, back = { 0 };
        walk(p, &fwd, &back);
        CHECK(fwd.n < want.n);
        list_free(&fwd);
        list_free(&back);
    }
    rows_close(p);
    list_free(&want);
    db_close(c);
}

/* PostgreSQL: json and point cannot be sorted: ordered by their text. */
static void test_view_unsortable(void)
{
    if (!is_pg)
        return;
    DbConn *c = open_db("rowsv_json");
    setup(c, DUP_SQL);
    fill_dups(c);
    setup(c, "CREATE VIEW jv AS SELECT json_build_object('g', g) AS j, point(coalesce(g, 0), 1) "
             "AS pt, t FROM d;\n");
    RowsKey key;
    RowsPager *p = open_on(c, "jv", 4, &key);
    CHECK(p != NULL && key.kind == ROWS_KEY_COLUMNS && key.ncols == 3);
    if (p && key.ncols == 3) {
        CHECK(key.by_text[0] && key.by_text[1] && !key.by_text[2]);
        StrList want = query_list(c, "SELECT j::text || '|' || pt::text || '|' || "
                                     "coalesce(t, '<NULL>') FROM jv ORDER BY j::text, pt::text, t");
        StrList fwd = { 0 }, back = { 0 };
        walk(p, &fwd, &back);
        CHECK(same_rows(&fwd, &want, false));
        CHECK(same_rows(&back, &want, true));
        list_free(&want);
        list_free(&fwd);
        list_free(&back);
    }
    rows_close(p);
    rows_key_free(&key);
    db_close(c);
}

static long long count_before(RowsPager *p, long long cap)
{
    long long n = -1;
    DbError err = DB_ERROR_INIT;
    CHECK(rows_count_before(p, cap, &n, &err) == 0);
    db_error_clear(&err);
    return n;
}

static void test_counts(void)
{
    DbConn *c = open_db("rowsv_count");
    setup(c, DUP_SQL);
    fill_dups(c);
    setup(c, "CREATE TABLE nokey (n integer);\n"
             "INSERT INTO nokey SELECT id FROM d;\n");
    const char *tables[] = { "d", "dv", "nokey" };
    for (size_t i = 0; i < 3; i++) {
        RowsKey key;
        RowsPager *p = open_on(c, tables[i], 7, &key);
        CHECK(p != NULL);
        if (!p)
            continue;
        DbError err = DB_ERROR_INIT;
        long long n = -1;
        CHECK(rows_count(p, 1000, &n, &err) == 0 && n == 48);
        CHECK(rows_count(p, 10, &n, &err) == 0 && n == 10);
        CHECK(count_before(p, 1000) == 0); /* an empty page */
        CHECK(rows_first(p, &err) == 0 && count_before(p, 1000) == 0);
        CHECK(rows_next(p, &err) == 0 && count_before(p, 1000) == 7);
        CHECK(rows_next(p, &err) == 0 && count_before(p, 1000) == 14);
        CHECK(rows_last(p, &err) == 0 && count_before(p, 1000) == 41);
        CHECK(count_before(p, 5) == 5);
        CHECK(rows_prev(p, &err) == 0 && count_before(p, 1000) == 34);
        if (err.message)
            fprintf(stderr, "  %s: %s\n", tables[i], err.message);
        db_error_clear(&err);
        rows_close(p);
        rows_key_free(&key);
    }
    db_close(c);
}

static const char *first_text(RowsPager *p, char *buf, size_t size)
{
    const RowsPage *pg = rows_page(p);
    char *t = pg->nrows ? row_text(pg, 0) : xstrdup("<none>");
    snprintf(buf, size, "%s", t);
    free(t);
    return buf;
}

static void test_marks(void)
{
    DbConn *c = open_db("rowsv_mark");
    setup(c, DUP_SQL);
    fill_dups(c);
    DbError err = DB_ERROR_INIT;
    char a[128], b[128];
    /* a view: a mark inside a group of duplicates comes back to the same
     * place, and from there every row after it follows once */
    RowsKey key, key2;
    RowsPager *p = open_on(c, "dv", 5, &key), *q = open_on(c, "dv", 2, &key2);
    CHECK(p && q);
    if (p && q) {
        StrList want = query_list(c, dup_oracle());
        CHECK(rows_first(p, &err) == 0 && rows_next(p, &err) == 0 && rows_next(p, &err) == 0);
        RowsMark *m = rows_mark(p);
        CHECK(m != NULL);
        bool found = false, exact = false;
        CHECK(rows_seek(q, m, &found, &exact, &err) == 0 && found && exact);
        CHECK_STR(first_text(q, b, sizeof b), first_text(p, a, sizeof a));
        CHECK(rows_page(q)->more_before);
        StrList rest = { 0 };
        for (const RowsPage *pg = rows_page(q);;) {
            for (size_t r = 0; r < pg->nrows; r++) {
                char *t = row_text(pg, r);
                list_add(&rest, t);
                free(t);
            }
            if (!pg->more_after || rows_next(q, &err) != 0)
                break;
        }
        CHECK(rest.n == want.n - 10);
        for (size_t i = 0; i < rest.n && i + 10 < want.n; i++)
            if (strcmp(rest.s[i], want.s[i + 10]) != 0) {
                fprintf(stderr, "  after the seek, row %zu: %s, want %s\n", i, rest.s[i],
                        want.s[i + 10]);
                CHECK(false);
                break;
            }
        list_free(&rest);
        list_free(&want);
        rows_mark_free(m);
    }
    rows_close(p);
    rows_close(q);
    rows_key_free(&key);
    rows_key_free(&key2);
    /* a table: the marked row deleted, the seek lands on the next one; a
     * mark of another key is refused */
    p = open_on(c, "d", 5, &key);
    q = open_on(c, "d", 3, &key2);
    RowsKey key3;
    RowsPager *v = open_on(c, "dv", 3, &key3);
    CHECK(p && q && v);
    if (p && q && v) {
        CHECK(rows_first(p, &err) == 0 && rows_next(p, &err) == 0);
        RowsMark *m = rows_mark(p);
        bool found = false, exact = false;
        setup(c, "DELETE FROM d WHERE id = 6;\n");
        CHECK(rows_seek(q, m, &found, &exact, &err) == 0 && found && !exact);
        CHECK_STR(rows_cell(rows_page(q), 0, 0)->text, "7");
        CHECK(rows_seek(v, m, &found, &exact, &err) == 0 && !found);
        rows_mark_free(m);
        CHECK(rows_mark(v) == NULL); /* nothing fetched yet */
    }
    if (err.message)
        fprintf(stderr, "  %s\n", err.message);
    db_error_clear(&err);
    rows_close(p);
    rows_close(q);
    rows_close(v);
    rows_key_free(&key);
    rows_key_free(&key2);
    rows_key_free(&key3);
    db_close(c);
}

/* A value's own type: a BLOB stored in a TEXT column is binary; a text
 * that reads like hex is text. */
static void test_binary(void)
{
    DbConn *c = open_db("rowsv_bin");
    if (is_pg)
        setup(c, "CREATE DOMAIN blobby AS bytea;\n"
                 "CREATE TABLE bt (id integer PRIMARY KEY, t text, b bytea, d blobby);\n"
                 "INSERT INTO bt VALUES (1, 'plain', '\\xdeadbeef00ff', '\\x01'), "
                 "(2, '\\xdeadbeef00ff', '\\x', NULL);\n");
    else
        setup(c, "CREATE TABLE bt (id integer PRIMARY KEY, t TEXT, b BLOB, d);\n"
                 "INSERT INTO bt VALUES (1, x'deadbeef00ff', x'deadbeef00ff', x'01'), "
                 "(2, '\\xdeadbeef00ff', x'', NULL);\n");
    RowsKey key;
    RowsPager *p = open_on(c, "bt", 10, &key);
    CHECK(p != NULL);
    if (p) {
        DbError err = DB_ERROR_INIT;
        CHECK(rows_first(p, &err) == 0);
        const RowsPage *pg = rows_page(p);
        CHECK(pg->nrows == 2 && pg->ncols == 4);
        if (pg->nrows == 2 && pg->ncols == 4) {
            CHECK(!rows_cell(pg, 0, 0)->binary);
            CHECK(rows_cell(pg, 0, 1)->binary == !is_pg); /* SQLite: a BLOB in TEXT */
            CHECK(rows_cell(pg, 0, 2)->binary && rows_cell(pg, 0, 2)->len == 14);
            CHECK(rows_cell(pg, 0, 3)->binary);          /* no type; a domain */
            CHECK(!rows_cell(pg, 1, 1)->binary);         /* text that looks like hex */
            CHECK_STR(rows_cell(pg, 1, 1)->text, "\\xdeadbeef00ff");
            CHECK(rows_cell(pg, 1, 2)->binary && rows_cell(pg, 1, 2)->len == 2);
            CHECK(!rows_cell(pg, 1, 3)->binary && rows_cell(pg, 1, 3)->null);
        }
        db_error_clear(&err);
    }
    rows_close(p);
    rows_key_free(&key);
    db_close(c);
}

/* PostgreSQL: a table this role may not read fails every fetch and count
 * with the server's error; the page stays empty, not "no rows". */
static void test_no_select(void)
{
    if (!is_pg)
        return;
    DbConn *c = open_db("rowsv_priv");
    setup(c, "CREATE TABLE secret (id integer PRIMARY KEY, v text);\n"
             "INSERT INTO secret VALUES (1, 'x');\n"
             "REVOKE SELECT ON secret FROM app;\n");
    RowsKey key;
    RowsPager *p = open_on(c, "secret", 10, &key);
    CHECK(p != NULL);
    if (p) {
        DbError err = DB_ERROR_INIT;
        CHECK(rows_first(p, &err) == -1 && err.kind == DB_ERR_SQL);
        CHECK_CONTAINS(err.message, "permission denied");
        CHECK_CONTAINS(err.message, "rows of secret");
        db_error_clear(&err);
        CHECK(rows_page(p)->nrows == 0);
        long long n = 0;
        CHECK(rows_count(p, 100, &n, &err) == -1);
        CHECK_CONTAINS(err.message, "permission denied");
        db_error_clear(&err);
    }
    rows_close(p);
    rows_key_free(&key);
    db_close(c);
}

static void test_broken_view(void)
{
    if (is_pg)
        return;
    DbConn *c = open_db("rowsv_broken");
    setup(c, "CREATE TABLE gone_t (x integer);\n"
             "CREATE TABLE kept (a integer, b text);\n"
             "CREATE VIEW broken_v AS SELECT x FROM gone_t;\n"
             "CREATE VIEW fine_v AS SELECT a, b FROM kept;\n"
             "DROP TABLE gone_t;\n");
    Catalog *cat = NULL;
    DbError err = DB_ERROR_INIT;
    CHECK(catalog_load(c, &cat, &err) == 0);
    if (err.message)
        fprintf(stderr, "  %s\n", err.message);
    db_error_clear(&err);
    const CatTable *broken = cat ? catalog_find(cat, NULL, "broken_v") : NULL;
    const CatTable *fine = cat ? catalog_find(cat, NULL, "fine_v") : NULL;
    const CatTable *kept = cat ? catalog_find(cat, NULL, "kept") : NULL;
    CHECK(broken && broken->ncolumns == 0 && broken->columns_error);
    if (broken && broken->columns_error)
        CHECK_CONTAINS(broken->columns_error, "gone_t");
    CHECK(fine && fine->ncolumns == 2 && !fine->columns_error);
    CHECK(kept && kept->ncolumns == 2 && !kept->columns_error);
    catalog_free(cat);
    RowsKey key;
    CHECK(rows_find_key(c, NULL, "broken_v", &key, &err) == -1 && err.kind == DB_ERR_SQL);
    CHECK_CONTAINS(err.message, "gone_t");
    db_error_clear(&err);
    db_close(c);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    is_pg = engine == DB_ENGINE_POSTGRES;
    RUN(test_view_duplicates);
    RUN(test_view_unsortable);
    RUN(test_counts);
    RUN(test_marks);
    RUN(test_binary);
    RUN(test_no_select);
    RUN(test_broken_view);
    return test_report();
}
