/* test_catalog.c: the table list against a real database (argv[1]). */
#include "catalog.h"
#include "itest.h"
#include "test.h"

static DbEngine engine;

static const CatTable *find(const CatTableList *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    return NULL;
}

static void test_tables_views_counts_and_odd_names(void)
{
    char *url = itest_url(engine, "catalog");
    DbConn *c = itest_open(url);
    DbError err = DB_ERROR_INIT;
    size_t at;
    const char *script =
        "CREATE TABLE plain (id integer PRIMARY KEY, v text);\n"
        "CREATE TABLE \"Odd 'name\"\"s\" (id integer);\n"
        "CREATE TABLE \"select\" (id integer);\n"
        "CREATE TABLE empty_one (id integer);\n"
        "INSERT INTO plain VALUES (1, 'a'), (2, 'b'), (3, NULL);\n"
        "INSERT INTO \"Odd 'name\"\"s\" VALUES (7);\n"
        "CREATE VIEW plain_view AS SELECT id FROM plain;\n";
    CHECK(db_exec_script(c, "setup", script, &at, &err) == 0);
    if (err.message) fprintf(stderr, "  %s\n", err.message);
    CatTableList l;
    CHECK(catalog_list_tables(c, &l, &err) == 0);
    if (err.message) fprintf(stderr, "  %s\n", err.message);
    CHECK(l.count == 5);
    const CatTable *t = find(&l, "plain");
    CHECK(t && !t->is_view && t->rows == 3);
    t = find(&l, "Odd 'name\"s");
    CHECK(t && t->rows == 1);
    t = find(&l, "select");
    CHECK(t && t->rows == 0);
    t = find(&l, "empty_one");
    CHECK(t && t->rows == 0);
    t = find(&l, "plain_view");
    CHECK(t && t->is_view && t->rows == -1);
    CHECK_STR(l.items[0].schema, engine == DB_ENGINE_POSTGRES ? "public" : "main");
    catalog_tables_free(&l);
    db_close(c);
    free(url);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_tables_views_counts_and_odd_names);
    return test_report();
}
