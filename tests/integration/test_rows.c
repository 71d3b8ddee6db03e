/* test_rows.c: the row pager against a real database (argv[1]:
 * sqlite|postgres).  Every statement the pager sends is logged and checked
 * for OFFSET at the end. */
#include "rows.h"
#include "itest.h"
#include "strbuf.h"
#include "test.h"

#include <ctype.h>

static DbEngine engine;
static bool is_pg;

/* ---- the statement log ----------------------------------------------- */

typedef struct SqlLog {
    char  **sql;
    size_t  n, cap;
} SqlLog;

static SqlLog sqllog;

static void log_sql(void *ctx, const char *label, const char *sql)
{
    SqlLog *l = ctx;
    (void)label;
    l->sql = xgrow(l->sql, &l->cap, l->n + 1, sizeof *l->sql);
    l->sql[l->n++] = xstrdup(sql);
}

static size_t log_mark(void)
{
    return sqllog.n;
}

/* Does sql hold the word OFFSET outside quoted identifiers and strings? */
static bool has_offset(const char *sql)
{
    for (const char *p = sql; *p; p++) {
        if (*p == '"' || *p == '\'') {
            char q = *p;
            for (p++; *p && *p != q; p++)
                ;
            if (!*p)
                break;
            continue;
        }
        if (strncasecmp(p, "offset", 6) == 0 && (p == sql || !isalnum((unsigned char)p[-1])) &&
            !isalnum((unsigned char)p[6]) && p[6] != '_')
            return true;
    }
    return false;
}

static DbConn *open_db(const char *name)
{
    char *url = itest_url(engine, name);
    DbConn *c = itest_open(url);
    free(url);
    db_set_log(c, log_sql, &sqllog);
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

/* ---- helpers ----------------------------------------------------------- */

typedef struct StrList {
    char  **s;
    size_t  n, cap;
} StrList;

static void list_add(StrList *l, const char *s)
{
    l->s = xgrow(l->s, &l->cap, l->n + 1, sizeof *l->s);
    l->s[l->n++] = xstrdup(s ? s : "<NULL>");
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
    list_add(ctx, row->values[0]);
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

static bool lists_equal(const StrList *a, const StrList *b, bool reversed)
{
    if (a->n != b->n) {
        fprintf(stderr, "  %zu rows, want %zu\n", a->n, b->n);
        return false;
    }
    for (size_t i = 0; i < a->n; i++) {
        const char *want = b->s[reversed ? b->n - 1 - i : i];
        if (strcmp(a->s[i], want) != 0) {
            fprintf(stderr, "  row %zu: %s, want %s\n", i, a->s[i], want);
            return false;
        }
    }
    return true;
}

static int col_index(const RowsPage *pg, const char *name)
{
    for (int i = 0; i < pg->ncols; i++)
        if (strcmp(pg->names[i], name) == 0)
            return i;
    return -1;
}

static const char *cell_text(const RowsPage *pg, size_t row, int col)
{
    const RowsCell *cell = rows_cell(pg, row, col);
    return cell->null ? NULL : cell->text;
}

static RowsPager *open_pager(DbConn *c, const char *schema, const char *table, int page)
{
    RowsKey key;
    DbError err = DB_ERROR_INIT;
    RowsPager *p = NULL;
    if (rows_find_key(c, schema, table, &key, &err) != 0) {
        fprintf(stderr, "  find key of %s: %s\n", table, err.message);
        db_error_clear(&err);
        return NULL;
    }
    RowsSpec spec = { schema, table, key.ncols, (const char *const *)key.cols, 0, NULL, page,
                      key.kind, key.by_text };
    if (rows_open(&p, c, &spec, &err) != 0) {
        fprintf(stderr, "  open %s: %s\n", table, err.message);
        db_error_clear(&err);
    }
    rows_key_free(&key);
    return p;
}

/* Pages from the first page to the end, then back to the start, checking
 * that each direction visits the oracle's rows (column col) exactly once,
 * in order, and that no page holds more than the page size. */
static void check_walk(RowsPager *p, DbConn *c, const char *col, const char *oracle_sql,
                       size_t page_size)
{
    DbError err = DB_ERROR_INIT;
    StrList want = query_list(c, oracle_sql), fwd = { 0 }, back = { 0 };
    CHECK(rows_first(p, &err) == 0);
    const RowsPage *pg = rows_page(p);
    int ci = col_index(pg, col);
    CHECK(ci >= 0);
    CHECK(!pg->more_before);
    size_t pages = 0;
    for (;;) {
        CHECK(pg->nrows <= page_size);
        if (pg->more_after)
            CHECK(pg->nrows == page_size);
        for (size_t r = 0; ci >= 0 && r < pg->nrows; r++)
            list_add(&fwd, cell_text(pg, r, ci));
        if (!pg->more_after || ++pages > want.n + 2)
            break;
        CHECK(rows_next(p, &err) == 0);
        if (err.message) fprintf(stderr, "  %s\n", err.message);
        pg = rows_page(p);
    }
    /* at the end: next leaves the page as it is */
    size_t before = pg->nrows;
    CHECK(rows_next(p, &err) == 0);
    CHECK(rows_page(p)->nrows == before && !rows_page(p)->more_after);
    CHECK(lists_equal(&fwd, &want, false));
    pages = 0;
    for (;;) {
        CHECK(pg->nrows <= page_size);
        for (size_t r = pg->nrows; ci >= 0 && r > 0; r--)
            list_add(&back, cell_text(pg, r - 1, ci));
        if (!pg->more_before || ++pages > want.n + 2)
            break;
        CHECK(rows_prev(p, &err) == 0);
        if (err.message) fprintf(stderr, "  %s\n", err.message);
        pg = rows_page(p);
    }
    CHECK(lists_equal(&back, &want, true));
    before = pg->nrows;
    CHECK(rows_prev(p, &err) == 0);
    CHECK(rows_page(p)->nrows == before && !rows_page(p)->more_before);
    /* the last page: the last n rows, in order */
    CHECK(rows_last(p, &err) == 0);
    pg = rows_page(p);
    size_t n = want.n < page_size ? want.n : page_size;
    CHECK(pg->nrows == n);
    CHECK(!pg->more_after);
    CHECK(pg->more_before == (want.n > page_size));
    for (size_t r = 0; ci >= 0 && r < pg->nrows && r < n; r++) {
        const char *got = cell_text(pg, r, ci);
        CHECK_STR(got ? got : "<NULL>", want.s[want.n - n + r]);
    }
    db_error_clear(&err);
    list_free(&want);
    list_free(&fwd);
    list_free(&back);
}

static void check_key(DbConn *c, const char *schema, const char *table, RowsKeyKind kind,
                      const char *cols)
{
    RowsKey key;
    DbError err = DB_ERROR_INIT;
    CHECK(rows_find_key(c, schema, table, &key, &err) == 0);
    if (err.message) fprintf(stderr, "  %s\n", err.message);
    StrBuf b = STRBUF_INIT;
    for (int i = 0; i < key.ncols; i++)
        sb_appendf(&b, "%s%s", i ? "," : "", key.cols[i]);
    CHECK_STR(sb_str(&b), cols);
    CHECK(key.kind == kind);
    sb_free(&b);
    rows_key_free(&key);
}

/* ---- the tests ------------------------------------------------------- */

static void test_single_column_pk(void)
{
    DbConn *c = open_db("rows_pk");
    StrBuf s = STRBUF_INIT;
    sb_append(&s, "CREATE TABLE items (id integer PRIMARY KEY, name text);\n");
    for (int i = 1; i <= 25; i++)
        sb_appendf(&s, "INSERT INTO items VALUES (%d, 'item %d');\n", i * 3, i);
    setup(c, sb_str(&s));
    sb_free(&s);
    check_key(c, NULL, "items", ROWS_KEY_PRIMARY, "id");
    RowsPager *p = open_pager(c, NULL, "items", 7);
    CHECK(p != NULL);
    if (!p)
        goto done;
    CHECK(rows_page(p)->nrows == 0); /* nothing fetched yet */
    check_walk(p, c, "id", "SELECT id FROM items ORDER BY id", 7);
    DbError err = DB_ERROR_INIT;
    CHECK(rows_first(p, &err) == 0);
    const RowsPage *pg = rows_page(p);
    CHECK(pg->ncols == 2);
    CHECK_STR(pg->names[0], "id");
    CHECK_STR(pg->names[1], "name");
    CHECK(pg->nrows == 7);
    CHECK_STR(cell_text(pg, 0, 0), "3");
    CHECK_STR(cell_text(pg, 6, 1), "item 7");
    /* 25 rows, pages of 7: 7 + 7 + 7 + 4 */
    CHECK(rows_next(p, &err) == 0 && rows_next(p, &err) == 0 && rows_next(p, &err) == 0);
    CHECK(rows_page(p)->nrows == 4 && !rows_page(p)->more_after);
    /* jump to a key */
    bool found = false;
    const char *cols[] = { "id" }, *vals[] = { "30" }, *missing[] = { "31" };
    CHECK(rows_jump(p, 1, cols, vals, &found, &err) == 0 && found);
    pg = rows_page(p);
    CHECK(pg->nrows == 7 && pg->more_before && pg->more_after);
    CHECK_STR(cell_text(pg, 0, 0), "30");
    CHECK_STR(cell_text(pg, 6, 0), "48");
    CHECK(rows_prev(p, &err) == 0);
    CHECK_STR(cell_text(rows_page(p), 0, 0), "9");
    CHECK_STR(cell_text(rows_page(p), 6, 0), "27");
    CHECK(rows_jump(p, 1, cols, missing, &found, &err) == 0 && !found);
    CHECK_STR(cell_text(rows_page(p), 0, 0), "9"); /* unchanged */
    /* a jump by a column that is not the key */
    const char *ncols[] = { "name" }, *nvals[] = { "item 24" };
    CHECK(rows_jump(p, 1, ncols, nvals, &found, &err) == 0 && found);
    pg = rows_page(p);
    CHECK(pg->nrows == 2 && pg->more_before && !pg->more_after);
    CHECK_STR(cell_text(pg, 0, 0), "72");
    /* the first row: nothing before it */
    vals[0] = "3";
    CHECK(rows_jump(p, 1, cols, vals, &found, &err) == 0 && found);
    CHECK(!rows_page(p)->more_before);
    if (err.message) fprintf(stderr, "  %s\n", err.message);
    db_error_clear(&err);
    rows_close(p);
done:
    db_close(c);
}

static void test_multi_column_pk(void)
{
    DbConn *c = open_db("rows_pk2");
    StrBuf s = STRBUF_INIT;
    /* key order (b, a), not the column order */
    sb_append(&s, "CREATE TABLE pairs (a integer NOT NULL, b text NOT NULL, v text, "
                  "PRIMARY KEY (b, a));\n");
    for (int i = 0; i < 40; i++)
        sb_appendf(&s, "INSERT INTO pairs VALUES (%d, 'g%d', 'v%d');\n", i % 8, i % 5, i);
    setup(c, sb_str(&s));
    sb_free(&s);
    check_key(c, NULL, "pairs", ROWS_KEY_PRIMARY, "b,a");
    RowsPager *p = open_pager(c, NULL, "pairs", 6);
    CHECK(p != NULL);
    if (p) {
        check_walk(p, c, "v", "SELECT v FROM pairs ORDER BY b, a", 6);
        bool found = false;
        DbError err = DB_ERROR_INIT;
        const char *cols[] = { "a", "b" }, *vals[] = { "3", "g3" };
        CHECK(rows_jump(p, 2, cols, vals, &found, &err) == 0 && found);
        const RowsPage *pg = rows_page(p);
        CHECK_STR(cell_text(pg, 0, col_index(pg, "a")), "3");
        CHECK_STR(cell_text(pg, 0, col_index(pg, "b")), "g3");
        CHECK_STR(cell_text(pg, 1, col_index(pg, "b")), "g3");
        db_error_clear(&err);
        rows_close(p);
    }
    db_close(c);
}

/* SQLite: a primary key whose columns may hold NULL (not NOT NULL) cannot
 * be paged past its NULLs: such a table is paged by rowid, and every row
 * shows.  A TEXT key '7.0' is not the row '7'. */
static void test_sqlite_nullable_key_and_text_numbers(void)
{
    if (is_pg)
        return;
    DbConn *c = open_db("rows_nullpk");
    setup(c, "CREATE TABLE m (a integer, b text, v text, PRIMARY KEY (a, b));\n"
             "INSERT INTO m VALUES (1, NULL, 'r1'), (1, 'x', 'r2'), (1, 'y', 'r3'), "
             "(2, NULL, 'r4'), (2, 'z', 'r5');\n"
             "CREATE TABLE p (code TEXT PRIMARY KEY, name text);\n"
             "INSERT INTO p VALUES ('007', 'double-oh'), ('7', 'seven'), ('7.0', 'seven point oh');\n");
    check_key(c, NULL, "m", ROWS_KEY_ROWID, "rowid");
    RowsPager *pm = open_pager(c, NULL, "m", 2);
    CHECK(pm != NULL);
    if (pm) {
        check_walk(pm, c, "v", "SELECT v FROM m ORDER BY rowid", 2);
        rows_close(pm);
    }
    RowsPager *pp = open_pager(c, NULL, "p", 10);
    CHECK(pp != NULL);
    if (pp) {
        DbError err = DB_ERROR_INIT;
        bool found = false;
        const char *cols[] = { "code" }, *vals[] = { "7.0" };
        CHECK(rows_jump(pp, 1, cols, vals, &found, &err) == 0 && found);
        const RowsPage *pg = rows_page(pp);
        CHECK_STR(cell_text(pg, 0, col_index(pg, "name")), "seven point oh");
        vals[0] = "7";
        CHECK(rows_jump(pp, 1, cols, vals, &found, &err) == 0 && found);
        pg = rows_page(pp);
        CHECK_STR(cell_text(pg, 0, col_index(pg, "name")), "seven");
        db_error_clear(&err);
        rows_close(pp);
    }
    db_close(c);
}

static void test_no_pk(void)
{
    DbConn *c = open_db("rows_nopk");
    StrBuf s = STRBUF_INIT;
    sb_append(&s, "CREATE TABLE loose (n integer, pad text);\n");
    /* rows wide enough for many heap blocks, then holes in the middle */
    sb_append(&s, is_pg ? "INSERT INTO loose SELECT g, repeat('x', 200) FROM generate_series(1, 3000) g;\n"
                     : "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 3000) "
                       "INSERT INTO loose SELECT n, printf('%.200c', 'x') FROM g;\n");
    sb_append(&s, "DELETE FROM loose WHERE n BETWEEN 500 AND 2400 OR n % 7 = 0;\n");
    if (is_pg)
        sb_append(&s, "VACUUM loose;\nANALYZE loose;\n");
    setup(c, sb_str(&s));
    sb_free(&s);
    check_key(c, NULL, "loose", is_pg ? ROWS_KEY_CTID : ROWS_KEY_ROWID, is_pg ? "ctid" : "rowid");
    RowsPager *p = open_pager(c, NULL, "loose", 50);
    CHECK(p != NULL);
    if (p) {
        size_t mark = log_mark();
        check_walk(p, c, "n", is_pg ? "SELECT n FROM loose ORDER BY ctid"
                                 : "SELECT n FROM loose ORDER BY rowid", 50);
        if (is_pg) { /* pages read heap windows, not the whole heap */
            bool windowed = false;
            for (size_t i = mark; i < sqllog.n; i++)
                if (strstr(sqllog.sql[i], "r.ctid < $") || strstr(sqllog.sql[i], "r.ctid >= $"))
                    windowed = true;
            CHECK(windowed);
        }
        DbError err = DB_ERROR_INIT;
        bool found = false;
        const char *cols[] = { "n" }, *vals[] = { "2500" };
        CHECK(rows_jump(p, 1, cols, vals, &found, &err) == 0 && found);
        const RowsPage *pg = rows_page(p);
        CHECK(pg->nrows == 50 && pg->more_before && pg->more_after);
        CHECK_STR(cell_text(pg, 0, 0), "2500");
        CHECK_STR(cell_text(pg, 1, 0), "2501");
        CHECK(rows_prev(p, &err) == 0);
        CHECK_STR(cell_text(rows_page(p), 49, 0), "2498"); /* 2499 is gone */
        CHECK(rows_prev(p, &err) == 0); /* across the hole */
        pg = rows_page(p);
        CHECK(pg->nrows == 50 && pg->more_before);
        bool low = false, high = false;
        for (size_t r = 0; r < pg->nrows; r++) {
            low = low || strcmp(cell_text(pg, r, 0), "499") == 0;
            high = high || strcmp(cell_text(pg, r, 0), "2402") == 0;
        }
        CHECK(low && high);
        db_error_clear(&err);
        rows_close(p);
    }
    /* a column named rowid hides the rowid: SQLite pages by _rowid_ */
    if (!is_pg) {
        setup(c, "CREATE TABLE shadow (rowid text, v integer);\n"
                 "INSERT INTO shadow VALUES ('b', 1), ('a', 2), (NULL, 3);\n");
        check_key(c, NULL, "shadow", ROWS_KEY_ROWID, "_rowid_");
        p = open_pager(c, NULL, "shadow", 2);
        if (p)
            check_walk(p, c, "v", "SELECT v FROM shadow ORDER BY _rowid_", 2);
        rows_close(p);
    }
    db_close(c);
}

static void test_without_rowid_and_odd_keys(void)
{
    DbConn *c = open_db("rows_wr");
    if (is_pg)
        setup(c, "CREATE TABLE wr (k text PRIMARY KEY, v integer);\n"
                 "CREATE TABLE bk (k bytea PRIMARY KEY, v integer);\n"
                 "CREATE TABLE rk (k double precision PRIMARY KEY, v integer);\n");
    else
        setup(c, "CREATE TABLE wr (k text PRIMARY KEY, v integer) WITHOUT ROWID;\n"
                 "CREATE TABLE bk (k blob PRIMARY KEY, v integer) WITHOUT ROWID;\n"
                 "CREATE TABLE rk (k real NOT NULL PRIMARY KEY, v integer);\n");
    setup(c, "INSERT INTO wr VALUES ('b', 1), ('a', 2), ('', 3), ('B', 4), ('ab', 5), ('a b', 6);\n"
             "INSERT INTO rk VALUES (0.1, 1), (0.2, 2), (0.30000000000000004, 3), (0.3, 4), "
             "(1e-300, 5), (-2.5, 6);\n");
    setup(c, is_pg ? "INSERT INTO bk VALUES ('\\x00ff', 1), ('\\x00', 2), ('\\x', 3), ('\\xff00', 4), "
                  "('\\x0001', 5);\n"
                : "INSERT INTO bk VALUES (x'00ff', 1), (x'00', 2), (x'', 3), (x'ff00', 4), "
                  "(x'0001', 5);\n");
    check_key(c, NULL, "wr", ROWS_KEY_PRIMARY, "k");
    RowsPager *p = open_pager(c, NULL, "wr", 2);
    CHECK(p != NULL);
    if (p)
        check_walk(p, c, "v", "SELECT v FROM wr ORDER BY k", 2);
    rows_close(p);
    /* BLOB/bytea keys: shown as \x-hex, bound back as bytes */
    p = open_pager(c, NULL, "bk", 2);
    CHECK(p != NULL);
    if (p) {
        check_walk(p, c, "v", "SELECT v FROM bk ORDER BY k", 2);
        DbError err = DB_ERROR_INIT;
        bool found = false;
        const char *cols[] = { "k" }, *vals[] = { "\\x00ff" };
        CHECK(rows_jump(p, 1, cols, vals, &found, &err) == 0 && found);
        const RowsPage *pg = rows_page(p);
        CHECK_STR(cell_text(pg, 0, 0), "\\x00ff");
        CHECK(rows_cell(pg, 0, 0)->len == 6);
        CHECK_STR(cell_text(pg, 1, 1), "4");
        if (err.message) fprintf(stderr, "  %s\n", err.message);
        db_error_clear(&err);
    }
    rows_close(p);
    /* REAL keys come back exactly: pages of one row find the next one */
    p = open_pager(c, NULL, "rk", 1);
    CHECK(p != NULL);
    if (p)
        check_walk(p, c, "v", "SELECT v FROM rk ORDER BY k", 1);
    rows_close(p);
    if (!is_pg) { /* no affinity: integers, text and blobs in one key column */
        setup(c, "CREATE TABLE mixed (k NOT NULL PRIMARY KEY, v integer);\n"
                 "INSERT INTO mixed VALUES (10, 1), ('10', 2), (9.5, 3), ('a', 4), (x'01', 5), "
                 "(2, 6);\n");
        p = open_pager(c, NULL, "mixed", 2);
        CHECK(p != NULL);
        if (p) {
            check_walk(p, c, "v", "SELECT v FROM mixed ORDER BY k", 2);
            DbError err = DB_ERROR_INIT;
            bool found = false;
            const char *cols[] = { "k" }, *text10[] = { "10" };
            CHECK(rows_jump(p, 1, cols, text10, &found, &err) == 0 && found);
            CHECK_STR(cell_text(rows_page(p), 0, 1), "1"); /* the integer 10 comes first */
            const char *blob[] = { "\\x01" };
            CHECK(rows_jump(p, 1, cols, blob, &found, &err) == 0 && found);
            CHECK_STR(cell_text(rows_page(p), 0, 1), "5");
            db_error_clear(&err);
        }
        rows_close(p);
    }
    db_close(c);
}

static void test_empty_null_blob(void)
{
    DbConn *c = open_db("rows_cells");
    setup(c, is_pg ? "CREATE TABLE cells (id integer PRIMARY KEY, t text, b bytea);\n"
                  "INSERT INTO cells VALUES (1, NULL, NULL), (2, '', '\\x'), "
                  "(3, 'long ' || repeat('y', 100000), '\\x00ff10');\n"
                  "CREATE TABLE empty_t (id integer PRIMARY KEY, \"Some Col\" text);\n"
                : "CREATE TABLE cells (id integer PRIMARY KEY, t text, b blob);\n"
                  "INSERT INTO cells VALUES (1, NULL, NULL), (2, '', x''), "
                  "(3, 'long ' || printf('%.100000c', 'y'), x'00ff10');\n"
                  "CREATE TABLE empty_t (id integer PRIMARY KEY, \"Some Col\" text);\n");
    RowsPager *p = open_pager(c, NULL, "cells", 10);
    CHECK(p != NULL);
    if (p) {
        DbError err = DB_ERROR_INIT;
        CHECK(rows_first(p, &err) == 0);
        const RowsPage *pg = rows_page(p);
        CHECK(pg->nrows == 3 && pg->ncols == 3);
        CHECK(rows_cell(pg, 0, 1)->null && rows_cell(pg, 0, 1)->text == NULL);
        CHECK(rows_cell(pg, 0, 2)->null);
        CHECK(!rows_cell(pg, 1, 1)->null && rows_cell(pg, 1, 1)->len == 0);
        CHECK_STR(cell_text(pg, 1, 1), "");
        CHECK_STR(cell_text(pg, 1, 2), "\\x");
        CHECK_STR(cell_text(pg, 2, 2), "\\x00ff10");
        /* the page keeps the full value of a long cell */
        CHECK(rows_cell(pg, 2, 1)->len == 100005);
        CHECK(strlen(cell_text(pg, 2, 1)) == 100005);
        /* a NULL value in a jump matches SQL NULL */
        bool found = false;
        const char *cols[] = { "t" }, *vals[] = { NULL };
        CHECK(rows_jump(p, 1, cols, vals, &found, &err) == 0 && found);
        CHECK_STR(cell_text(rows_page(p), 0, 0), "1");
        db_error_clear(&err);
    }
    rows_close(p);
    /* an empty table: no rows, but its column names */
    p = open_pager(c, NULL, "empty_t", 5);
    CHECK(p != NULL);
    if (p) {
        DbError err = DB_ERROR_INIT;
        CHECK(rows_first(p, &err) == 0);
        const RowsPage *pg = rows_page(p);
        CHECK(pg->nrows == 0 && !pg->more_before && !pg->more_after);
        CHECK(pg->ncols == 2);
        if (pg->ncols == 2)
            CHECK_STR(pg->names[1], "Some Col");
        CHECK(rows_last(p, &err) == 0 && rows_page(p)->nrows == 0);
        CHECK(rows_next(p, &err) == 0 && rows_page(p)->nrows == 0);
        CHECK(rows_prev(p, &err) == 0 && rows_page(p)->nrows == 0);
        bool found = true;
        const char *cols[] = { "id" }, *vals[] = { "1" };
        CHECK(rows_jump(p, 1, cols, vals, &found, &err) == 0 && !found);
        if (err.message) fprintf(stderr, "  %s\n", err.message);
        db_error_clear(&err);
    }
    rows_close(p);
    db_close(c);
}

static void test_odd_identifiers(void)
{
    DbConn *c = open_db("rows_odd");
    const char *table = "Odd \"Tab\" ü 'x' select";
    setup(c, "CREATE TABLE \"Odd \"\"Tab\"\" ü 'x' select\" (\"Key Col\" integer PRIMARY KEY, "
             "\"select\" text, \"ÜniCode\" text, \"a\"\"b\" text);\n"
             "INSERT INTO \"Odd \"\"Tab\"\" ü 'x' select\" VALUES (1, 'one', 'é', 'q'), "
             "(2, 'two', NULL, ''), (3, 'three', 'ß', 'x'), (4, 'four', 'z', 'y');\n"
             "CREATE TABLE \"order\" (\"from\" integer, \"Group By\" text);\n"
             "INSERT INTO \"order\" VALUES (1, 'a'), (2, 'b'), (3, 'c');\n"
             "CREATE TABLE \"Parent\" (\"ID\" integer PRIMARY KEY, name text);\n"
             "CREATE TABLE child (id integer PRIMARY KEY, \"Parent ID\" integer REFERENCES \"Parent\");\n"
             "INSERT INTO \"Parent\" VALUES (10, 'ten'), (20, 'twenty'), (30, 'thirty');\n"
             "INSERT INTO child VALUES (1, 20), (2, 30);\n");
    check_key(c, NULL, table, ROWS_KEY_PRIMARY, "Key Col");
    RowsPager *p = open_pager(c, NULL, table, 3);
    CHECK(p != NULL);
    if (p) {
        check_walk(p, c, "select",
                   "SELECT \"select\" FROM \"Odd \"\"Tab\"\" ü 'x' select\" ORDER BY \"Key Col\"", 3);
        const RowsPage *pg = rows_page(p);
        CHECK(col_index(pg, "ÜniCode") == 2 && col_index(pg, "a\"b") == 3);
        DbError err = DB_ERROR_INIT;
        bool found = false;
        const char *cols[] = { "ÜniCode", "a\"b" }, *vals[] = { "ß", "x" };
        CHECK(rows_jump(p, 2, cols, vals, &found, &err) == 0 && found);
        CHECK_STR(cell_text(rows_page(p), 0, 1), "three");
        db_error_clear(&err);
    }
    rows_close(p);
    /* a keyword table with no key, in an explicit schema */
    const char *schema = is_pg ? "public" : "main";
    check_key(c, schema, "order", is_pg ? ROWS_KEY_CTID : ROWS_KEY_ROWID, is_pg ? "ctid" : "rowid");
    p = open_pager(c, schema, "order", 2);
    CHECK(p != NULL);
    if (p)
        check_walk(p, c, "Group By", is_pg ? "SELECT \"Group By\" FROM \"order\" ORDER BY ctid"
                                        : "SELECT \"Group By\" FROM \"order\" ORDER BY rowid", 2);
    rows_close(p);
    /* following a foreign key: the child's value, the parent's column */
    p = open_pager(c, NULL, "child", 10);
    RowsPager *parent = open_pager(c, NULL, "Parent", 1);
    CHECK(p && parent);
    if (p && parent) {
        DbError err = DB_ERROR_INIT;
        CHECK(rows_first(p, &err) == 0);
        const RowsPage *cp = rows_page(p);
        const char *cols[] = { "ID" }, *vals[] = { cell_text(cp, 1, col_index(cp, "Parent ID")) };
        bool found = false;
        CHECK(rows_jump(parent, 1, cols, vals, &found, &err) == 0 && found);
        CHECK_STR(cell_text(rows_page(parent), 0, 1), "thirty");
        CHECK(rows_page(parent)->nrows == 1);
        CHECK(rows_prev(parent, &err) == 0);
        CHECK_STR(cell_text(rows_page(parent), 0, 1), "twenty");
        db_error_clear(&err);
    }
    rows_close(p);
    rows_close(parent);
    db_close(c);
}

static void test_columns_schemas_and_errors(void)
{
    DbConn *c = open_db("rows_misc");
    setup(c, "CREATE TABLE t (id integer PRIMARY KEY, a text, b text, c text);\n"
             "INSERT INTO t VALUES (1, 'a1', 'b1', 'c1'), (2, 'a2', 'b2', 'c2');\n"
             "CREATE VIEW v AS SELECT * FROM t;\n");
    if (is_pg)
        setup(c, "CREATE SCHEMA \"My Schema\";\n"
                 "CREATE TABLE \"My Schema\".t (k text PRIMARY KEY, n integer);\n"
                 "INSERT INTO \"My Schema\".t VALUES ('x', 1), ('y', 2);\n"
                 "CREATE TABLE parts (d integer, v text) PARTITION BY RANGE (d);\n"
                 "CREATE TABLE parts_1 PARTITION OF parts FOR VALUES FROM (0) TO (10);\n"
                 "CREATE TABLE parts_2 PARTITION OF parts FOR VALUES FROM (10) TO (20);\n"
                 "INSERT INTO parts VALUES (15, 'p15'), (1, 'p1'), (16, 'p16'), (2, 'p2');\n");
    /* a chosen subset of columns, in the order given */
    const char *key[] = { "id" }, *cols[] = { "c", "a" };
    RowsSpec spec = { NULL, "t", 1, key, 2, cols, 5, ROWS_KEY_PRIMARY, NULL };
    RowsPager *p = NULL;
    DbError err = DB_ERROR_INIT;
    CHECK(rows_open(&p, c, &spec, &err) == 0);
    if (p) {
        CHECK(rows_last(p, &err) == 0);
        const RowsPage *pg = rows_page(p);
        CHECK(pg->ncols == 2 && pg->nrows == 2);
        CHECK_STR(pg->names[0], "c");
        CHECK_STR(cell_text(pg, 1, 0), "c2");
        CHECK_STR(cell_text(pg, 1, 1), "a2");
    }
    rows_close(p);
    /* bad specs and missing tables */
    spec.page_size = 0;
    CHECK(rows_open(&p, c, &spec, &err) == -1 && err.kind == DB_ERR_USAGE && p == NULL);
    db_error_clear(&err);
    spec.page_size = 5;
    spec.nkey = 0;
    CHECK(rows_open(&p, c, &spec, &err) == -1 && err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    RowsKey k;
    CHECK(rows_find_key(c, NULL, "no_such_table", &k, &err) == -1 && err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "no_such_table");
    CHECK(k.ncols == 0 && k.cols == NULL);
    db_error_clear(&err);
    /* a view: no key, every column (checked in test_view_duplicates) */
    CHECK(rows_find_key(c, NULL, "v", &k, &err) == 0 && k.kind == ROWS_KEY_COLUMNS);
    CHECK(k.ncols == 4 && k.by_text != NULL);
    rows_key_free(&k);
    db_error_clear(&err);
    CHECK(rows_find_key(c, is_pg ? "nope" : "temp", "t", &k, &err) == -1);
    db_error_clear(&err);
    /* a table that went away fails the fetch with its name */
    spec.table = "gone";
    spec.nkey = 1;
    spec.ncols = 0;
    CHECK(rows_open(&p, c, &spec, &err) == 0);
    if (p) {
        CHECK(rows_first(p, &err) == -1 && err.kind == DB_ERR_SQL);
        CHECK_CONTAINS(err.message, "rows of gone");
    }
    db_error_clear(&err);
    rows_close(p);
    if (is_pg) {
        check_key(c, "My Schema", "t", ROWS_KEY_PRIMARY, "k");
        p = open_pager(c, "My Schema", "t", 1);
        CHECK(p != NULL);
        if (p)
            check_walk(p, c, "n", "SELECT n FROM \"My Schema\".t ORDER BY k", 1);
        rows_close(p);
        check_key(c, NULL, "parts", ROWS_KEY_CTID, "tableoid,ctid");
        p = open_pager(c, NULL, "parts", 3);
        CHECK(p != NULL);
        if (p)
            check_walk(p, c, "v", "SELECT v FROM parts ORDER BY tableoid, ctid", 3);
        rows_close(p);
    } else {
        check_key(c, "main", "t", ROWS_KEY_PRIMARY, "id");
    }
    db_close(c);
}

static void test_no_offset_anywhere(void)
{
    CHECK(sqllog.n > 50);
    size_t bad = 0;
    for (size_t i = 0; i < sqllog.n; i++) {
        if (has_offset(sqllog.sql[i])) {
            fprintf(stderr, "  OFFSET in: %s\n", sqllog.sql[i]);
            bad++;
        }
    }
    CHECK(bad == 0);
    CHECK(has_offset("SELECT 1 LIMIT 1 OFFSET 5")); /* the check itself can fail */
    CHECK(!has_offset("SELECT \"offset\" FROM t"));
    for (size_t i = 0; i < sqllog.n; i++)
        free(sqllog.sql[i]);
    free(sqllog.sql);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    is_pg = engine == DB_ENGINE_POSTGRES;
    RUN(test_single_column_pk);
    RUN(test_multi_column_pk);
    RUN(test_no_pk);
    RUN(test_without_rowid_and_odd_keys);
    RUN(test_empty_null_blob);
    RUN(test_sqlite_nullable_key_and_text_numbers);
    RUN(test_odd_identifiers);
    RUN(test_columns_schemas_and_errors);
    RUN(test_no_offset_anywhere);
    return test_report();
}
