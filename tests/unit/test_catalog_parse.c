/* test_catalog_parse.c: the catalog's readers of stored SQL and of
 * PostgreSQL's text forms (core/catalog_sqlparse.c, catalog_pg.c,
 * catalog_quote_ident). */
#include "catalog_internal.h"
#include "test.h"
#include "xalloc.h"

#include <stdlib.h>

static const SqpConstraint *nth(const SqpTable *t, SqpKind kind, size_t n)
{
    for (size_t i = 0; i < t->ncons; i++)
        if (t->cons[i].kind == kind && n-- == 0)
            return &t->cons[i];
    return NULL;
}

static void test_column_and_table_constraints(void)
{
    SqpTable t;
    cat_sqlite_parse(
        "CREATE TABLE \"We\"\"ird\" (\n"
        "  id INTEGER CONSTRAINT \"pk \"\"q\"\"\" PRIMARY KEY AUTOINCREMENT, -- a comment, (\n"
        "  [a b] VARCHAR(10, 2) NOT NULL DEFAULT ('x,y') CONSTRAINT c1 CHECK (length([a b]) > 0),\n"
        "  `c` TEXT COLLATE NOCASE UNIQUE REFERENCES other(\"x\") ON DELETE CASCADE,\n"
        "  d INT CONSTRAINT d_fk REFERENCES Parent,\n"
        "  g INT GENERATED ALWAYS AS (id * 2) STORED,\n"
        "  h INT AS (d + 1),\n"
        "  /* table constraints */ CONSTRAINT two UNIQUE (\"a b\", c),\n"
        "  CHECK (d IS NULL OR d > 0) CONSTRAINT fk2 FOREIGN KEY (d, c) REFERENCES p (x, y)\n"
        ") WITHOUT ROWID, STRICT", &t);
    CHECK(t.parsed && t.without_rowid && t.strict && !t.is_virtual);
    const SqpConstraint *k = nth(&t, SQP_PRIMARY_KEY, 0);
    CHECK(k && k->name && strcmp(k->name, "pk \"q\"") == 0 && k->ncolumns == 1);
    CHECK(k && strcmp(k->columns[0], "id") == 0);
    k = nth(&t, SQP_CHECK, 0);
    CHECK(k && k->name && strcmp(k->name, "c1") == 0);
    CHECK(k && k->expression && strcmp(k->expression, "length([a b]) > 0") == 0);
    CHECK(k && k->ncolumns == 1 && strcmp(k->columns[0], "a b") == 0);
    k = nth(&t, SQP_UNIQUE, 0);
    CHECK(k && k->name == NULL && k->ncolumns == 1 && strcmp(k->columns[0], "c") == 0);
    k = nth(&t, SQP_FOREIGN_KEY, 0);
    CHECK(k && k->name == NULL && strcmp(k->ref_table, "other") == 0 && k->nref_columns == 1);
    CHECK(k && strcmp(k->ref_columns[0], "x") == 0 && strcmp(k->columns[0], "c") == 0);
    k = nth(&t, SQP_FOREIGN_KEY, 1);
    CHECK(k && k->name && strcmp(k->name, "d_fk") == 0 && strcmp(k->ref_table, "Parent") == 0);
    CHECK(k && k->nref_columns == 0);
    k = nth(&t, SQP_UNIQUE, 1);
    CHECK(k && k->name && strcmp(k->name, "two") == 0 && k->ncolumns == 2);
    CHECK(k && strcmp(k->columns[0], "a b") == 0 && strcmp(k->columns[1], "c") == 0);
    k = nth(&t, SQP_CHECK, 1);
    CHECK(k && k->name == NULL && k->ncolumns == 0);
    CHECK(k && strcmp(k->expression, "d IS NULL OR d > 0") == 0);
    k = nth(&t, SQP_FOREIGN_KEY, 2);
    CHECK(k && k->name && strcmp(k->name, "fk2") == 0 && k->ncolumns == 2 && k->nref_columns == 2);
    CHECK(nth(&t, SQP_FOREIGN_KEY, 3) == NULL);
    CHECK(t.ngen == 2);
    CHECK(t.ngen == 2 && strcmp(t.gen[0].column, "g") == 0 &&
          strcmp(t.gen[0].expression, "id * 2") == 0);
    CHECK(t.ngen == 2 && strcmp(t.gen[1].column, "h") == 0 &&
          strcmp(t.gen[1].expression, "d + 1") == 0);
    cat_sqlite_parse_free(&t);
}

static void test_odd_statements(void)
{
    SqpTable t;
    cat_sqlite_parse("CREATE VIRTUAL TABLE f USING fts5(a, b)", &t);
    CHECK(t.parsed && t.is_virtual && t.ncons == 0);
    cat_sqlite_parse_free(&t);
    cat_sqlite_parse("CREATE TABLE x AS SELECT 1 AS a", &t);
    CHECK(!t.parsed && t.ncons == 0);
    cat_sqlite_parse_free(&t);
    cat_sqlite_parse("CREATE TABLE IF NOT EXISTS main.'s q' (a, b, PRIMARY KEY (a DESC, b))", &t);
    CHECK(t.parsed && !t.without_rowid && t.ncons == 1 && t.cons[0].ncolumns == 2);
    cat_sqlite_parse_free(&t);
    /* broken text: no crash, what can be read is read */
    cat_sqlite_parse("CREATE TABLE y (a CHECK (a > (1), b REFERENCES", &t);
    cat_sqlite_parse_free(&t);
    cat_sqlite_parse("CREATE TABLE z (a \"unterminated", &t);
    cat_sqlite_parse_free(&t);
    cat_sqlite_parse("", &t);
    CHECK(!t.parsed);
    cat_sqlite_parse_free(&t);
    cat_sqlite_parse(NULL, &t);
    CHECK(!t.parsed);
    cat_sqlite_parse_free(&t);
}

static void test_view_and_index_text(void)
{
    char *q = cat_sqlite_view_query("CREATE VIEW IF NOT EXISTS \"v w\" (a, b) AS\n"
                                    "  SELECT 1, 2 ;");
    CHECK_STR(q, "SELECT 1, 2");
    free(q);
    q = cat_sqlite_view_query("CREATE TEMP VIEW v AS select x from t");
    CHECK_STR(q, "select x from t");
    free(q);
    char **items = NULL, *where = NULL;
    size_t n = 0;
    cat_sqlite_index_parts("CREATE UNIQUE INDEX IF NOT EXISTS i ON t (lower(a), b DESC, "
                           "substr(c, 1, 2)) WHERE a IS NOT NULL AND b > 0", &items, &n, &where);
    CHECK(n == 3);
    if (n == 3) {
        CHECK_STR(items[0], "lower(a)");
        CHECK_STR(items[1], "b DESC");
        CHECK_STR(items[2], "substr(c, 1, 2)");
    }
    CHECK_STR(where, "a IS NOT NULL AND b > 0");
    cat_strv_free(items, n);
    free(where);
    cat_sqlite_index_parts("CREATE INDEX i ON main.t(a)", &items, &n, &where);
    CHECK(n == 1 && where == NULL);
    cat_strv_free(items, n);
}

static void test_pg_text_forms(void)
{
    char **v = NULL;
    size_t n = 0;
    cat_pg_text_array("{\"a b\",\"c\\\"d\",\"e,f\",NULL,\"NULL\",\"x\\\\y\",plain,\"\"}", &v, &n);
    CHECK(n == 8);
    if (n == 8) {
        CHECK_STR(v[0], "a b");
        CHECK_STR(v[1], "c\"d");
        CHECK_STR(v[2], "e,f");
        CHECK(v[3] == NULL);
        CHECK_STR(v[4], "NULL");
        CHECK_STR(v[5], "x\\y");
        CHECK_STR(v[6], "plain");
        CHECK_STR(v[7], "");
    }
    cat_strv_free(v, n);
    cat_pg_text_array("{}", &v, &n);
    CHECK(n == 0);
    cat_strv_free(v, n);
    cat_pg_text_array(NULL, &v, &n);
    CHECK(n == 0 && v == NULL);
    int *k = NULL;
    cat_pg_int_vector("1 2 0 -3", &k, &n);
    CHECK(n == 4 && k[0] == 1 && k[1] == 2 && k[2] == 0 && k[3] == -3);
    free(k);
    cat_pg_int_vector("{4,5}", &k, &n);
    CHECK(n == 2 && k[0] == 4 && k[1] == 5);
    free(k);
}

static void test_quote_ident(void)
{
    Catalog cat;
    memset(&cat, 0, sizeof cat);
    cat.engine = DB_ENGINE_SQLITE;
    char *q = catalog_quote_ident(&cat, "users");
    CHECK_STR(q, "users");
    free(q);
    q = catalog_quote_ident(&cat, "select");
    CHECK_STR(q, "\"select\"");
    free(q);
    q = catalog_quote_ident(&cat, "Mixed");
    CHECK_STR(q, "\"Mixed\"");
    free(q);
    q = catalog_quote_ident(&cat, "a\"b c");
    CHECK_STR(q, "\"a\"\"b c\"");
    free(q);
    q = catalog_quote_ident(&cat, "1abc");
    CHECK_STR(q, "\"1abc\"");
    free(q);
    q = catalog_quote_ident(&cat, "");
    CHECK_STR(q, "\"\"");
    free(q);
    static const char *const kws[] = { "abort", "action", "current_date", "current_timestamp",
        "exclude", "exclusive", "exists", "glob", "groups", "isnull", "nothing", "notnull",
        "null", "nulls", "primary", "temp", "temporary", "ties", "without", "window" };
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++) {
        q = catalog_quote_ident(&cat, kws[i]);
        CHECK(q[0] == '"');
        free(q);
    }
    char *words[] = { "order", "user" };
    cat.engine = DB_ENGINE_POSTGRES;
    cat.keywords = words;
    cat.nkeywords = 2;
    q = catalog_quote_ident(&cat, "user");
    CHECK_STR(q, "\"user\"");
    free(q);
    q = catalog_quote_ident(&cat, "select"); /* not in this catalog's list */
    CHECK_STR(q, "select");
    free(q);
}

int main(void)
{
    RUN(test_column_and_table_constraints);
    RUN(test_odd_statements);
    RUN(test_view_and_index_text);
    RUN(test_pg_text_forms);
    RUN(test_quote_ident);
    return test_report();
}
