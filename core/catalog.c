/* catalog.c: see catalog.h. */
#include "catalog.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct ListCtx {
    CatTableList *l;
    size_t        cap;
} ListCtx;

static int collect_table(void *ctx, const DbRow *row)
{
    ListCtx *lc = ctx;
    CatTableList *l = lc->l;
    l->items = xgrow(l->items, &lc->cap, l->count + 1, sizeof *l->items);
    CatTable *t = &l->items[l->count++];
    t->schema = xstrdup(row->values[0] ? row->values[0] : "");
    t->name = xstrdup(row->values[1] ? row->values[1] : "");
    t->is_view = row->values[2] && row->values[2][0] == 'v';
    t->rows = row->values[3] ? atoll(row->values[3]) : -1;
    t->rows_exact = false;
    t->bytes = row->ncols > 4 && row->values[4] ? atoll(row->values[4]) : -1;
    return 0;
}

static CatTable *find(CatTableList *l, const char *schema, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].name, name) == 0 && strcmp(l->items[i].schema, schema) == 0)
            return &l->items[i];
    return NULL;
}

typedef struct CountCtx {
    CatTableList *l;
} CountCtx;

static int collect_count(void *ctx, const DbRow *row)
{
    CountCtx *cc = ctx;
    CatTable *t = find(cc->l, row->values[0] ? row->values[0] : "",
                       row->values[1] ? row->values[1] : "");
    if (t && row->values[2]) {
        t->rows = atoll(row->values[2]);
        t->rows_exact = true;
    }
    return 0;
}

/* Counts the rows of every table whose estimate is unknown, in one query. */
static int count_unknown(DbConn *c, CatTableList *l, DbError *err)
{
    StrBuf sql = STRBUF_INIT;
    StrBuf lit = STRBUF_INIT;
    size_t n = 0;
    sb_append(&sql, "/* catalog: exact row counts */ ");
    for (size_t i = 0; i < l->count; i++) {
        CatTable *t = &l->items[i];
        if (t->is_view || t->rows >= 0)
            continue;
        char *qs = db_quote_ident(c, t->schema), *qn = db_quote_ident(c, t->name);
        /* The names go back as string literals: quote them as such. */
        lit.len = 0;
        sb_appendc(&lit, '\'');
        for (const char *p = t->schema; *p; p++) {
            if (*p == '\'') sb_appendc(&lit, '\'');
            sb_appendc(&lit, *p);
        }
        sb_append(&lit, "', '");
        for (const char *p = t->name; *p; p++) {
            if (*p == '\'') sb_appendc(&lit, '\'');
            sb_appendc(&lit, *p);
        }
        sb_appendc(&lit, '\'');
        sb_appendf(&sql, "%sSELECT %s, count(*) FROM %s.%s", n ? " UNION ALL " : "",
                   sb_str(&lit), qs, qn);
        free(qs);
        free(qn);
        n++;
    }
    int rc = 0;
    if (n > 0) {
        CountCtx cc = { l };
        rc = db_query(c, "catalog: exact row counts", sb_str(&sql), NULL, collect_count, &cc,
                      err);
    }
    sb_free(&sql);
    sb_free(&lit);
    return rc;
}

static int cmp_table(const void *a, const void *b)
{
    const CatTable *x = a, *y = b;
    int c = strcmp(x->schema, y->schema);
    return c ? c : strcmp(x->name, y->name);
}

/* SQLite: sizes per table from the dbstat virtual table, when compiled in. */
static int collect_size(void *ctx, const DbRow *row)
{
    CatTableList *l = ctx;
    CatTable *t = find(l, "main", row->values[0] ? row->values[0] : "");
    if (t && row->values[1])
        t->bytes = atoll(row->values[1]);
    return 0;
}

int catalog_list_tables(DbConn *c, CatTableList *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    ListCtx lc = { out, 0 };
    int rc;
    if (db_engine(c) == DB_ENGINE_POSTGRES) {
        rc = db_query(c, "catalog: tables",
            "/* catalog: tables */ SELECT n.nspname, c.relname, "
            "CASE WHEN c.relkind IN ('v', 'm') THEN 'v' ELSE 't' END, "
            "CASE WHEN c.relkind IN ('v', 'm') OR c.reltuples < 0 THEN NULL "
            "ELSE c.reltuples::bigint END, "
            "CASE WHEN c.relkind = 'v' THEN NULL ELSE pg_catalog.pg_total_relation_size(c.oid) END "
            "FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') "
            "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
            "ORDER BY 1, 2", NULL, collect_table, &lc, err);
    } else {
        rc = db_query(c, "catalog: tables",
            "/* catalog: tables */ SELECT 'main', name, substr(type, 1, 1), NULL, NULL "
            "FROM sqlite_schema WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            NULL, collect_table, &lc, err);
        if (rc == 0) {
            DbError ignore = DB_ERROR_INIT; /* dbstat may not be compiled in */
            db_query(c, "catalog: table sizes",
                     "/* catalog: table sizes */ SELECT name, sum(pgsize) FROM dbstat "
                     "GROUP BY name", NULL, collect_size, out, &ignore);
            db_error_clear(&ignore);
        }
    }
    if (rc == 0)
        rc = count_unknown(c, out, err);
    if (rc != 0) {
        catalog_tables_free(out);
        return -1;
    }
    if (out->count)
        qsort(out->items, out->count, sizeof *out->items, cmp_table);
    return 0;
}

void catalog_tables_free(CatTableList *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].schema);
        free(l->items[i].name);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
