/* test_catalog.c: the catalog against a real database (argv[1]: sqlite or
 * postgres): the table list; every kind of constraint and index; strange
 * identifiers; tables without a primary key, empty tables, views; NOT
 * VALID constraints, an INVALID index, row-level security, partitions
 * (PostgreSQL); WITHOUT ROWID, implicit parent keys, sqlite_stat1, a broken
 * view (SQLite); the DDL run into a fresh database gives the same catalog;
 * and the number of statements does not grow with the number of tables. */
#include "catalog.h"
#include "catalog_fixture.h"
#include "itest.h"
#include "strbuf.h"
#include "test.h"

#include <time.h>

static DbEngine engine;
static bool pg;

/* ---- helpers ---- */

static const CatTable *find(const Catalog *l, const char *name)
{
    for (size_t i = 0; l && i < l->count; i++)
        if (strcmp(l->tables[i].name, name) == 0)
            return &l->tables[i];
    return NULL;
}

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

static Catalog *load(DbConn *c)
{
    Catalog *cat = NULL;
    DbError err = DB_ERROR_INIT;
    CHECK(catalog_load(c, &cat, &err) == 0);
    if (err.message) {
        fprintf(stderr, "  catalog_load: %s\n", err.message);
        db_error_clear(&err);
    }
    return cat;
}

static const char *main_schema(void)
{
    return pg ? "public" : "main";
}

static const CatColumn *column(const CatTable *t, const char *name)
{
    for (size_t i = 0; t && i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0)
            return &t->columns[i];
    return NULL;
}

static const CatConstraint *constraint(const CatTable *t, const char *name)
{
    for (size_t i = 0; t && i < t->nconstraints; i++)
        if (t->constraints[i].name && strcmp(t->constraints[i].name, name) == 0)
            return &t->constraints[i];
    return NULL;
}

static const CatConstraint *constraint_of(const CatTable *t, CatConType type)
{
    for (size_t i = 0; t && i < t->nconstraints; i++)
        if (t->constraints[i].type == type)
            return &t->constraints[i];
    return NULL;
}

static const CatIndex *index_named(const CatTable *t, const char *name)
{
    for (size_t i = 0; t && i < t->nindexes; i++)
        if (strcmp(t->indexes[i].name, name) == 0)
            return &t->indexes[i];
    return NULL;
}

/* The strings joined with '|', for comparing lists in one CHECK_STR. */
static char *joined(char **v, size_t n)
{
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        sb_appendf(&b, "%s%s", i ? "|" : "", v[i] ? v[i] : "(null)");
    return sb_take(&b);
}

#define CHECK_LIST(v, n, want) do { char *j_ = joined((v), (n)); CHECK_STR(j_, (want)); \
    free(j_); } while (0)

/* ---- the table list (catalog_list_tables) ---- */

static void test_tables_views_counts_and_odd_names(void)
{
    char *url = itest_url(engine, "catalog");
    DbConn *c = itest_open(url);
    DbError err = DB_ERROR_INIT;
    exec_ok(c,
        "CREATE TABLE plain (id integer PRIMARY KEY, v text);\n"
        "CREATE TABLE \"Odd 'name\"\"s\" (id integer);\n"
        "CREATE TABLE \"select\" (id integer);\n"
        "CREATE TABLE empty_one (id integer);\n"
        "INSERT INTO plain VALUES (1, 'a'), (2, 'b'), (3, NULL);\n"
        "INSERT INTO \"Odd 'name\"\"s\" VALUES (7);\n"
        "CREATE VIEW plain_view AS SELECT id FROM plain;\n");
    Catalog *l = NULL;
    CHECK(catalog_list_tables(c, &l, &err) == 0);
    if (err.message) fprintf(stderr, "  %s\n", err.message);
    CHECK(l && l->count == 5);
    const CatTable *t = find(l, "plain");
    CHECK(t && !t->is_view && t->rows == 3);
    t = find(l, "Odd 'name\"s");
    CHECK(t && t->rows == 1);
    t = find(l, "select");
    CHECK(t && t->rows == 0);
    t = find(l, "empty_one");
    CHECK(t && t->rows == 0);
    t = find(l, "plain_view");
    CHECK(t && t->is_view && t->rows == -1 && t->kind == CAT_KIND_VIEW);
    CHECK(l && l->count && strcmp(l->tables[0].schema, main_schema()) == 0);
    catalog_free(l);
    db_close(c);
    free(url);
}

/* ---- the whole catalog ---- */

/* The invalid index: a unique index built concurrently over duplicates. */
static void make_invalid_index(DbConn *c)
{
    DbError err = DB_ERROR_INIT;
    CHECK(db_exec(c, "test", "CREATE UNIQUE INDEX CONCURRENTLY dup_v_key ON dup (v)", NULL,
                  &err) != 0);
    db_error_clear(&err);
}

static void check_common(const Catalog *cat)
{
    const char *s = main_schema();
    const CatTable *parent = catalog_find(cat, s, "parent");
    CHECK(parent && parent->kind == CAT_KIND_TABLE && !parent->is_view);
    CHECK(parent && parent->ncolumns == 4);
    const CatColumn *col = column(parent, "b");
    CHECK(col && col->primary_key && col->pk_position == 2 && !col->nullable);
    col = column(parent, "qty");
    CHECK(col && !col->primary_key && col->nullable);
    CHECK(col && col->default_expr && strcmp(col->default_expr, "1") == 0);
    const CatConstraint *k = constraint(parent, "parent_pkey");
    CHECK(k && k->type == CAT_CON_PRIMARY_KEY && k->validated);
    if (k) CHECK_LIST(k->columns, k->ncolumns, "a|b");
    k = constraint(parent, "parent_code_key");
    CHECK(k && k->type == CAT_CON_UNIQUE);
    if (k) CHECK_LIST(k->columns, k->ncolumns, "code");
    CHECK(k && k->index_name);
    k = constraint(parent, "parent_qty_check");
    CHECK(k && k->type == CAT_CON_CHECK && k->validated && k->expression);
    if (k) CHECK_CONTAINS(k->expression, "qty > 0");
    if (k) CHECK_LIST(k->columns, k->ncolumns, "qty");
    CHECK(parent && parent->rows == 1);

    const CatTable *child = catalog_find(cat, s, "child");
    CHECK(child != NULL);
    k = constraint(child, "child_parent_fkey");
    CHECK(k && k->type == CAT_CON_FOREIGN_KEY && k->validated);
    if (k) {
        CHECK_LIST(k->columns, k->ncolumns, "pa|pb");
        CHECK_STR(k->ref_schema, s);
        CHECK_STR(k->ref_table, "parent");
        CHECK_LIST(k->ref_columns, k->nref_columns, "a|b");
        CHECK_STR(k->on_delete, "CASCADE");
        CHECK_STR(k->on_update, "SET NULL");
        CHECK(catalog_fk_target(cat, k) == parent);
    }
    k = constraint(child, "child_pkey");
    CHECK(k && k->type == CAT_CON_PRIMARY_KEY);
    CHECK(child && child->constraints[0].type == CAT_CON_PRIMARY_KEY);
    const CatIndex *x = index_named(child, "child_note_key");
    CHECK(x && x->unique && !x->partial && x->valid && !x->constraint && !x->primary);
    if (x) CHECK_LIST(x->columns, x->ncolumns, "note");
    x = index_named(child, "child_note_partial");
    CHECK(x && !x->unique && x->partial && x->valid);
    CHECK(x && x->predicate);
    if (x && x->predicate) CHECK_CONTAINS(x->predicate, "note IS NOT NULL");
    x = index_named(child, "child_lower_note");
    CHECK(x && x->ncolumns == 1);
    if (x && x->ncolumns == 1) CHECK_CONTAINS(x->columns[0], "lower(note)");
    CHECK(x && strstr(x->definition, "lower"));
    x = index_named(child, "child_pa_pb");
    if (x) CHECK_LIST(x->columns, x->ncolumns, "pa|pb");
    CHECK(x != NULL);
    col = column(child, "doubled");
    CHECK(col && col->generated == 's' && col->generation_expr && !col->default_expr);
    if (col && col->generation_expr) CHECK_CONTAINS(col->generation_expr, "id * 2");
    CHECK(child && child->rows == 2);

    const CatTable *nopk = catalog_find(cat, s, "nopk");
    CHECK(nopk && nopk->nconstraints == 0 && nopk->rows == 2 && nopk->ncolumns == 1);
    CHECK(nopk && nopk->has_rowid == !pg);
    const CatTable *empty = catalog_find(cat, s, "empty_one");
    CHECK(empty && empty->rows == 0 && empty->rows_exact);

    const CatTable *weird = catalog_find(cat, s, "We\"ird 'Tab.le");
    CHECK(weird && weird->ncolumns == 3);
    CHECK(column(weird, "Über Größe") && column(weird, "MixedCase"));
    col = column(weird, "select");
    CHECK(col && col->primary_key);
    k = constraint(weird, "pk \"odd\"");
    CHECK(k && k->type == CAT_CON_PRIMARY_KEY);
    if (k) CHECK_LIST(k->columns, k->ncolumns, "select");
    k = constraint(weird, "odd check");
    CHECK(k && k->type == CAT_CON_CHECK);
    if (k) CHECK_CONTAINS(k->expression, "MixedCase");
    x = index_named(weird, "Ünï idx");
    if (x) CHECK_LIST(x->columns, x->ncolumns, "Über Größe|MixedCase");
    CHECK(x != NULL);
    const CatTable *order = catalog_find(cat, s, "order");
    k = constraint(order, "order_from_fkey");
    CHECK(k && k->type == CAT_CON_FOREIGN_KEY);
    if (k) {
        CHECK_STR(k->ref_table, "We\"ird 'Tab.le");
        CHECK_LIST(k->ref_columns, k->nref_columns, "select");
        CHECK_LIST(k->columns, k->ncolumns, "from");
        CHECK_STR(k->on_delete, "SET NULL");
        CHECK_STR(k->on_update, "NO ACTION");
    }

    const CatTable *view = catalog_find(cat, s, "child_view");
    CHECK(view && view->is_view && view->kind == CAT_KIND_VIEW && view->rows == -1);
    CHECK(view && view->definition && strstr(view->definition, "child"));
    CHECK(view && view->definition && !strstr(view->definition, "CREATE"));
    CHECK(view && view->ncolumns == 2);
    CHECK(catalog_find(cat, NULL, "child") == child);
    CHECK(catalog_find(cat, s, "no such table") == NULL);
    for (size_t i = 1; i < cat->count; i++) {
        int o = strcmp(cat->tables[i - 1].schema, cat->tables[i].schema);
        CHECK(o < 0 || (o == 0 && strcmp(cat->tables[i - 1].name, cat->tables[i].name) < 0));
    }
}

static void check_pg(const Catalog *cat)
{
    const CatTable *child = catalog_find(cat, "public", "child");
    const CatConstraint *k = constraint(child, "child_note_nv");
    CHECK(k && k->type == CAT_CON_CHECK && !k->validated);
    k = constraint(child, "child_after_fkey");
    CHECK(k && k->type == CAT_CON_FOREIGN_KEY && !k->validated);
    if (k) CHECK_LIST(k->columns, k->ncolumns, "after_gone");
    if (k) CHECK_LIST(k->ref_columns, k->nref_columns, "id");
    const CatIndex *x = index_named(child, "child_pkey");
    CHECK(x && x->primary && x->unique && x->constraint && x->bytes > 0 && x->scans >= 0);
    CHECK(x && x->method && strcmp(x->method, "btree") == 0);
    CHECK(column(child, "gone") == NULL && column(child, "after_gone"));
    CHECK(child && child->ntriggers == 1 && child->triggers[0].enabled);
    CHECK(child && child->bytes > 0);
    const CatColumn *id = column(child, "id");
    CHECK(id && id->type && strcmp(id->type, "integer") == 0);

    const CatTable *dup = catalog_find(cat, "public", "dup");
    x = index_named(dup, "dup_v_key");
    CHECK(x && !x->valid && x->unique);

    const CatTable *other = catalog_find(cat, "Other Schema", "parent");
    CHECK(other && other != catalog_find(cat, "public", "parent"));
    CHECK(catalog_find(cat, NULL, "parent") == catalog_find(cat, "public", "parent"));
    k = constraint_of(other, CAT_CON_FOREIGN_KEY);
    CHECK(k && strcmp(k->ref_schema, "public") == 0 && strcmp(k->ref_table, "parent") == 0);
    const CatColumn *serial = column(other, "id");
    CHECK(serial && serial->seq_name && strcmp(serial->seq_name, "parent_id_seq") == 0);
    CHECK(serial && serial->default_expr && strstr(serial->default_expr, "nextval"));

    const CatTable *sec = catalog_find(cat, "public", "secured");
    CHECK(sec && sec->rls_enabled && sec->rls_forced && sec->npolicies == 2);
    if (sec && sec->npolicies == 2) {
        const CatPolicy *w = &sec->policies[0], *r = &sec->policies[1];
        CHECK_STR(w->name, "Secured write");
        CHECK_STR(w->command, "INSERT");
        CHECK(!w->permissive && w->using_expr == NULL);
        CHECK_LIST(w->roles, w->nroles, "public");
        CHECK(w->check_expr && strstr(w->check_expr, "id > 0"));
        CHECK_STR(r->name, "secured_read");
        CHECK_STR(r->command, "SELECT");
        CHECK(r->permissive && r->check_expr == NULL);
        CHECK_LIST(r->roles, r->nroles, "app");
        CHECK(r->using_expr && strstr(r->using_expr, "CURRENT_USER"));
    }
    CHECK(!catalog_find(cat, "public", "child")->rls_enabled);

    const CatTable *m = catalog_find(cat, "public", "measures");
    CHECK(m && m->kind == CAT_KIND_PARTITIONED && m->rows == 3 && m->rows_exact);
    CHECK(m && m->partition_key && strstr(m->partition_key, "RANGE (day)"));
    CHECK(m && m->bytes > 0);
    const CatTable *p24 = catalog_find(cat, "public", "measures_2024");
    CHECK(p24 && p24->rows == 2 && p24->parent_name && strcmp(p24->parent_name, "measures") == 0);
    CHECK(p24 && p24->partition_bound && strstr(p24->partition_bound, "FOR VALUES"));
    CHECK(p24 && p24->nindexes == 1 && p24->indexes[0].inherited);
    CHECK(p24 && p24->ntriggers == 1 && p24->triggers[0].inherited);
    CHECK(m && m->ntriggers == 1 && !m->triggers[0].inherited);
    const CatTable *mv = catalog_find(cat, "public", "child_counts");
    CHECK(mv && mv->kind == CAT_KIND_MATVIEW && mv->is_view && mv->definition);
    const CatTable *nf = catalog_find(cat, "public", "not_filled");
    CHECK(nf && nf->kind == CAT_KIND_MATVIEW && nf->rows == -1);
    const CatTable *priv = catalog_find(cat, "public", "private_stuff");
    CHECK(priv && priv->rows == -1 && priv->bytes > 0 && priv->ncolumns == 1);
    const CatTable *big = catalog_find(cat, "public", "big_unanalysed");
    CHECK(big && big->rows == 100 && big->rows_exact);
    CHECK(cat->nkeywords > 50);
}

static void check_sqlite(const Catalog *cat)
{
    const CatTable *kv = catalog_find(cat, "main", "kv");
    CHECK(kv && !kv->has_rowid);
    const CatConstraint *k = constraint_of(kv, CAT_CON_PRIMARY_KEY);
    CHECK(k && k->index_name);
    if (k) CHECK_LIST(k->columns, k->ncolumns, "k");
    CHECK(kv && kv->nindexes == 1 && kv->indexes[0].primary && kv->indexes[0].valid);
    CHECK(column(kv, "k") && !column(kv, "k")->nullable);
    const CatTable *ref = catalog_find(cat, "main", "implicit_ref");
    k = constraint_of(ref, CAT_CON_FOREIGN_KEY);
    CHECK(k && k->name == NULL);
    if (k) {
        CHECK_STR(k->ref_table, "empty_one");
        CHECK_LIST(k->ref_columns, k->nref_columns, "id");
    }
    k = constraint_of(ref, CAT_CON_CHECK);
    CHECK(k && k->name == NULL && k->ncolumns == 0 && strstr(k->expression, "p > 0"));
    CHECK(ref && ref->has_rowid);
    const CatTable *st = catalog_find(cat, "main", "strict_one");
    CHECK(st && st->strict);
    const CatTable *child = catalog_find(cat, "main", "child");
    CHECK(child && child->ntriggers == 1);
    CHECK(column(child, "id") && !column(child, "id")->nullable);
    const CatTable *parent = catalog_find(cat, "main", "parent");
    size_t autos = 0, primary = 0;
    for (size_t i = 0; parent && i < parent->nindexes; i++) {
        const CatIndex *x = &parent->indexes[i];
        if (strncmp(x->name, "sqlite_autoindex_parent_", 24) != 0)
            continue;
        autos++;
        primary += x->primary;
        CHECK(x->constraint && x->unique && x->valid && x->scans == -1);
        CHECK((x->bytes > 0) == cat->sizes_known);
        CHECK(strncmp(x->definition, x->primary ? "PRIMARY KEY (" : "UNIQUE (", 8) == 0);
    }
    CHECK(autos == 2 && primary == 1);
    const CatConstraint *pk = constraint(parent, "parent_pkey");
    CHECK(pk && pk->index_name && strncmp(pk->index_name, "sqlite_autoindex_", 17) == 0);
}

/* PostgreSQL: a table of another owner that the test's role may not
 * read: it is listed, but not counted (a count would fail the load). */
static void make_unreadable_table(const char *db)
{
    char *url = xasprintf("postgresql://postgres@/%s?host=%s&port=%s", db,
                          getenv("DBW_PG_HOST"), getenv("DBW_PG_PORT"));
    DbConn *admin = itest_open(url);
    exec_ok(admin, "CREATE TABLE private_stuff (v integer);\n"
                   "INSERT INTO private_stuff VALUES (1), (2), (3);\n");
    db_close(admin);
    free(url);
}

static void test_full_catalog(void)
{
    char *url = itest_url(engine, "catalog_full");
    DbConn *c = itest_open(url);
    exec_ok(c, common_schema);
    exec_ok(c, pg ? pg_schema : sqlite_schema);
    if (pg) {
        make_invalid_index(c);
        make_unreadable_table("it_catalog_full");
        Catalog *l = NULL;
        DbError err = DB_ERROR_INIT;
        CHECK(catalog_list_tables(c, &l, &err) == 0);
        if (err.message) fprintf(stderr, "  %s\n", err.message);
        const CatTable *priv = find(l, "private_stuff");
        CHECK(priv && priv->rows == -1);
        const CatTable *m = find(l, "measures");
        CHECK(m && m->kind == CAT_KIND_PARTITIONED && m->rows == 3);
        catalog_free(l);
        db_error_clear(&err);
    }
    Catalog *cat = load(c);
    if (cat) {
        check_common(cat);
        if (pg)
            check_pg(cat);
        else
            check_sqlite(cat);
    }
    catalog_free(cat);
    db_close(c);
    free(url);
}

/* ---- the DDL: run into a fresh database, same catalog ---- */

static void same_table(const Catalog *a, const CatTable *x, const CatTable *y)
{
    fprintf(stderr, "  comparing %s.%s\n", x->schema, x->name);
    CHECK(x->kind == y->kind && x->ncolumns == y->ncolumns);
    CHECK(x->rls_enabled == y->rls_enabled && x->rls_forced == y->rls_forced);
    for (size_t i = 0; i < x->ncolumns && i < y->ncolumns; i++) {
        const CatColumn *p = &x->columns[i], *q = &y->columns[i];
        CHECK_STR(p->name, q->name);
        CHECK_STR(p->type, q->type);
        CHECK_STR(p->default_expr, q->default_expr);
        CHECK_STR(p->generation_expr, q->generation_expr);
        CHECK(p->nullable == q->nullable && p->primary_key == q->primary_key);
        CHECK(p->identity == q->identity && p->generated == q->generated);
    }
    CHECK(x->nconstraints == y->nconstraints);
    for (size_t i = 0; i < x->nconstraints && i < y->nconstraints; i++) {
        const CatConstraint *p = &x->constraints[i], *q = &y->constraints[i];
        CHECK_STR(p->name, q->name);
        CHECK_STR(p->definition, q->definition);
        CHECK(p->type == q->type && p->validated == q->validated);
    }
    size_t valid = 0;
    for (size_t i = 0; i < x->nindexes; i++) {
        const CatIndex *p = &x->indexes[i];
        if (!p->valid)
            continue; /* not recreated, on purpose */
        valid++;
        const CatIndex *q = index_named(y, p->name);
        CHECK(q != NULL);
        if (!q)
            continue;
        CHECK_STR(p->definition, q->definition);
        CHECK(p->unique == q->unique && p->partial == q->partial && q->valid);
    }
    CHECK(valid == y->nindexes);
    CHECK(x->npolicies == y->npolicies);
    for (size_t i = 0; i < x->npolicies && i < y->npolicies; i++) {
        CHECK_STR(x->policies[i].name, y->policies[i].name);
        CHECK_STR(x->policies[i].using_expr, y->policies[i].using_expr);
        CHECK_STR(x->policies[i].check_expr, y->policies[i].check_expr);
        CHECK(x->policies[i].permissive == y->policies[i].permissive);
    }
    CHECK(x->ntriggers == y->ntriggers);
    CHECK_STR(x->definition, y->definition);
    char *dx = catalog_table_ddl(a, x), *dy = catalog_table_ddl(a, y);
    if (valid == x->nindexes) /* else the invalid index shows, commented out */
        CHECK_STR(dx, dy);
    free(dx);
    free(dy);
}

/* Runs every table's DDL into c; tables whose parents are not there yet
 * (foreign keys, views, partitions) are tried again in the next round. */
static void replay(DbConn *c, const Catalog *cat)
{
    bool *done = xcalloc(cat->count, sizeof *done);
    size_t left = cat->count;
    for (int round = 0; round < 10 && left; round++) {
        for (size_t i = 0; i < cat->count; i++) {
            if (done[i])
                continue;
            char *ddl = catalog_table_ddl(cat, &cat->tables[i]);
            DbError err = DB_ERROR_INIT;
            CHECK(db_begin(c, false, &err) == 0);
            if (db_exec_script(c, "ddl", ddl, NULL, &err) == 0 && db_commit(c, &err) == 0) {
                done[i] = true;
                left--;
            } else {
                if (round == 9)
                    fprintf(stderr, "  DDL of %s failed: %s\n%s", cat->tables[i].name,
                            err.message, ddl);
                db_rollback(c);
            }
            db_error_clear(&err);
            free(ddl);
        }
    }
    CHECK(left == 0);
    free(done);
}

static void test_ddl_round_trip(void)
{
    char *url = itest_url(engine, "catalog_ddl_from");
    char *url2 = itest_url(engine, "catalog_ddl_to");
    DbConn *c = itest_open(url), *c2 = itest_open(url2);
    exec_ok(c, common_schema);
    exec_ok(c, pg ? pg_schema : sqlite_schema);
    if (pg) {
        make_invalid_index(c);
        exec_ok(c2, "CREATE SCHEMA \"Other Schema\";\n"
                    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN NEW.note := coalesce(NEW.note, 'x'); RETURN NEW; END $$;\n");
    }
    Catalog *a = load(c);
    if (a) {
        const CatTable *child = catalog_find(a, main_schema(), "child");
        char *ddl = child ? catalog_table_ddl(a, child) : NULL;
        CHECK(ddl && strstr(ddl, "child_parent_fkey"));
        if (pg && ddl) {
            CHECK_CONTAINS(ddl, "CREATE TABLE public.child (");
            CHECK_CONTAINS(ddl, "ALTER TABLE ONLY public.child ADD CONSTRAINT child_note_nv "
                                "CHECK (length(note) < 3) NOT VALID;");
            CHECK_CONTAINS(ddl, "CREATE TRIGGER child_touch");
            CHECK_CONTAINS(ddl, "GENERATED ALWAYS AS ((id * 2)) STORED");
        } else if (ddl) {
            CHECK_CONTAINS(ddl, "CREATE TABLE child (");
            CHECK_CONTAINS(ddl, "CREATE INDEX child_note_partial ON child (note) WHERE");
            CHECK_CONTAINS(ddl, "CREATE TRIGGER child_touch");
        }
        free(ddl);
        if (pg) {
            const CatTable *dup = catalog_find(a, "public", "dup");
            ddl = dup ? catalog_table_ddl(a, dup) : NULL;
            CHECK(ddl && strstr(ddl, "-- CREATE UNIQUE INDEX dup_v_key"));
            free(ddl);
            const CatTable *sec = catalog_find(a, "public", "secured");
            ddl = sec ? catalog_table_ddl(a, sec) : NULL;
            CHECK(ddl && strstr(ddl, "ALTER TABLE public.secured ENABLE ROW LEVEL SECURITY;"));
            CHECK(ddl && strstr(ddl, "CREATE POLICY \"Secured write\" ON public.secured AS "
                                     "RESTRICTIVE FOR INSERT TO PUBLIC WITH CHECK ((id > 0));"));
            free(ddl);
            const CatTable *w = catalog_find(a, "public", "We\"ird 'Tab.le");
            ddl = w ? catalog_table_ddl(a, w) : NULL;
            CHECK(ddl && strstr(ddl, "CREATE TABLE public.\"We\"\"ird 'Tab.le\" ("));
            CHECK(ddl && strstr(ddl, "    \"select\" integer NOT NULL"));
            free(ddl);
        }
        replay(c2, a);
        Catalog *b = load(c2);
        CHECK(b && b->count == a->count);
        for (size_t i = 0; b && i < a->count; i++) {
            const CatTable *x = &a->tables[i];
            const CatTable *y = catalog_find(b, x->schema, x->name);
            CHECK(y != NULL);
            if (y)
                same_table(a, x, y);
        }
        catalog_free(b);
    }
    catalog_free(a);
    db_close(c);
    db_close(c2);
    free(url);
    free(url2);
}

/* ---- the number of statements ---- */

static void count_statement(void *ctx, const char *label, const char *sql)
{
    (void)label;
    (void)sql;
    (*(int *)ctx)++;
}

/* tables of every kind of object; returns the statements catalog_load ran */
static int statements_for(int ntables, const char *name)
{
    char *url = itest_url(engine, name);
    DbConn *c = itest_open(url);
    StrBuf sql = STRBUF_INIT;
    sb_append(&sql, "CREATE TABLE t0 (id integer PRIMARY KEY, v text);\n"
                    "INSERT INTO t0 VALUES (1, 'a');\n");
    for (int i = 1; i < ntables; i++) {
        sb_appendf(&sql,
            "CREATE TABLE t%d (id integer PRIMARY KEY, parent integer "
            "CONSTRAINT t%d_parent_fkey REFERENCES t%d (id), v text CONSTRAINT t%d_v_check "
            "CHECK (v <> ''), CONSTRAINT t%d_v_key UNIQUE (v));\n"
            "CREATE INDEX t%d_parent_idx ON t%d (parent) WHERE parent IS NOT NULL;\n"
            "INSERT INTO t%d VALUES (1, 1, 'a');\n", i, i, i - 1, i, i, i, i, i);
        if (i % 10 == 0)
            sb_appendf(&sql, "CREATE VIEW v%d AS SELECT * FROM t%d;\n", i, i);
    }
    sb_append(&sql, "ANALYZE;\n");   /* estimates for every table: no exact counts */
    exec_ok(c, sb_str(&sql));
    sb_free(&sql);
    int n = 0;
    db_set_log(c, count_statement, &n);
    Catalog *cat = load(c);
    CHECK(cat && cat->count == (size_t)(ntables + ntables / 10 - (ntables % 10 == 0)));
    const CatTable *last = cat ? catalog_find(cat, NULL, ntables > 1 ? "t2" : "t0") : NULL;
    CHECK(last && last->rows == 1 && last->nconstraints == 4 && last->nindexes >= 2);
    catalog_free(cat);
    db_close(c);
    free(url);
    return n;
}

static void test_fixed_number_of_statements(void)
{
    int small = statements_for(3, "catalog_n3");
    int large = statements_for(60, "catalog_n60");
    fprintf(stderr, "  statements: %d for 3 tables, %d for 60 tables\n", small, large);
    CHECK(small > 0);
    CHECK(small == large);
    /* the number catalog.h (and the README) says */
    if (pg)
        CHECK(small == CATALOG_PG_STATEMENTS);
    else
        CHECK(small == 6);   /* schema, columns, foreign keys, indexes, sqlite_stat1,
                                PRAGMA foreign_keys */
}

/* ---- SQLite only ---- */

static void test_sqlite_stat1_and_broken_view(void)
{
    char *url = itest_url(engine, "catalog_stat1");
    DbConn *c = itest_open(url);
    exec_ok(c, "CREATE TABLE a (id integer PRIMARY KEY, v text);\n"
               "CREATE INDEX a_v ON a (v);\n"
               "INSERT INTO a (v) VALUES ('x'), ('y'), ('z');\n"
               "ANALYZE;\n"
               "INSERT INTO a (v) VALUES ('late');\n"
               "CREATE TABLE b (id integer);\n"
               "INSERT INTO b VALUES (1), (2);\n"
               "CREATE TABLE gone (x integer);\n"
               "CREATE VIEW broken AS SELECT x FROM gone;\n"
               "DROP TABLE gone;\n"
               "CREATE VIRTUAL TABLE docs USING fts5(body);\n"
               "INSERT INTO docs VALUES ('hello');\n");
    Catalog *cat = load(c);
    const CatTable *a = cat ? catalog_find(cat, "main", "a") : NULL;
    CHECK(a && a->rows == 3 && !a->rows_exact); /* the estimate, not the count */
    const CatTable *b = cat ? catalog_find(cat, "main", "b") : NULL;
    CHECK(b && b->rows == 2 && b->rows_exact);  /* not in sqlite_stat1: counted */
    CHECK(a && a->ncolumns == 2);
    const CatTable *v = cat ? catalog_find(cat, "main", "broken") : NULL;
    CHECK(v && v->is_view && v->ncolumns == 0);
    CHECK(cat && catalog_find(cat, "main", "sqlite_stat1") == NULL);
    const CatTable *docs = cat ? catalog_find(cat, "main", "docs") : NULL;
    CHECK(docs && docs->kind == CAT_KIND_VIRTUAL && !docs->has_rowid && docs->rows == -1);
    CHECK(cat && catalog_find(cat, "main", "docs_content") != NULL);
    catalog_free(cat);
    DbError err = DB_ERROR_INIT;
    Catalog *l = NULL;
    CHECK(catalog_list_tables(c, &l, &err) == 0);
    const CatTable *ld = find(l, "docs");
    CHECK(ld && ld->kind == CAT_KIND_VIRTUAL && ld->rows == -1);
    ld = find(l, "broken");
    CHECK(ld && ld->is_view);
    catalog_free(l);
    db_error_clear(&err);
    db_close(c);
    free(url);
}

/* PostgreSQL: a table locked by a running migration makes the catalog
 * give up after CATALOG_LOCK_WAIT_MS with a clear message, instead of
 * freezing the console; the session's lock_timeout is left as it was. */
static void test_locked_table_does_not_hang(void)
{
    char *url = itest_url(engine, "catalog_lock");
    DbConn *c = itest_open(url), *holder = itest_open(url);
    DbError err = DB_ERROR_INIT;
    CHECK(db_exec(c, "t", "CREATE TABLE busy (x int)", NULL, &err) == 0);
    CHECK(db_begin(holder, false, &err) == 0);
    CHECK(db_exec(holder, "t", "LOCK TABLE busy IN ACCESS EXCLUSIVE MODE", NULL, &err) == 0);
    Catalog *cat = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(catalog_load(c, &cat, &err) == -1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(t1.tv_sec - t0.tv_sec < 10);
    CHECK_CONTAINS(err.message, "a table is locked by another session");
    db_error_clear(&err);
    Catalog *l = NULL;
    CHECK(catalog_list_tables(c, &l, &err) == -1);
    CHECK_CONTAINS(err.message, "locked");
    db_error_clear(&err);
    char *v = NULL;
    CHECK(db_query_value(c, "t", "SHOW lock_timeout", NULL, &v, &err) == 0);
    CHECK_STR(v, "0");
    free(v);
    CHECK(db_rollback(holder) == 0);
    CHECK(catalog_load(c, &cat, &err) == 0);
    catalog_free(cat);
    db_close(holder);
    db_close(c);
    free(url);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    pg = engine == DB_ENGINE_POSTGRES;
    RUN(test_tables_views_counts_and_odd_names);
    RUN(test_full_catalog);
    RUN(test_ddl_round_trip);
    RUN(test_fixed_number_of_statements);
    if (!pg)
        RUN(test_sqlite_stat1_and_broken_view);
    else
        RUN(test_locked_table_does_not_hang);
    return test_report();
}
