/* catalog_list.c: see catalog.h.  The cheap reads of the catalog: the
 * table list (rows and estimated sizes), the relations of some names, and
 * the measured sizes of every table (for the background). */
#include "catalog_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The relations the catalog shows: c is pg_class, n its pg_namespace. */
#define PG_FROM_REL \
    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
#define PG_USER_REL \
    "c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname <> 'information_schema' " \
    "AND n.nspname NOT LIKE 'pg\\_%' "

typedef struct ListCtx {
    Catalog *cat;
    size_t   cap;
    bool    *unreadable;   /* per table: no SELECT privilege, not counted */
    size_t   ucap;
    bool     sqlite_list;  /* SQLite's list: its query names sqlite_stat1 too */
    bool     has_stat1;    /* SQLite: sqlite_stat1 exists */
} ListCtx;

static CatTable *new_table(ListCtx *lc)
{
    Catalog *cat = lc->cat;
    cat->tables = xgrow(cat->tables, &lc->cap, cat->count + 1, sizeof *cat->tables);
    CatTable *t = &cat->tables[cat->count++];
    memset(t, 0, sizeof *t);
    t->rows = -1;
    t->bytes = -1;
    lc->unreadable = xgrow(lc->unreadable, &lc->ucap, cat->count, sizeof *lc->unreadable);
    lc->unreadable[cat->count - 1] = false;
    return t;
}

/* schema, name, relkind, rows (NULL unknown), bytes, main fork bytes when
 * rows is unknown, readable, bytes measured */
static int collect_table(void *ctx, const DbRow *row)
{
    ListCtx *lc = ctx;
    const char *const *v = row->values;
    if (lc->sqlite_list && v[1] && strcmp(v[1], "sqlite_stat1") == 0) {
        lc->has_stat1 = true;
        return 0;
    }
    CatTable *t = new_table(lc);
    t->schema = xstrdup(v[0] ? v[0] : "");
    t->name = xstrdup(v[1] ? v[1] : "");
    t->kind = cat_kind_of(v[2]);
    t->is_view = t->kind == CAT_KIND_VIEW || t->kind == CAT_KIND_MATVIEW;
    if (row->ncols < 8)
        return 0;
    t->rows = cat_i64(v[3], -1);
    t->bytes = cat_i64(v[4], -1);
    if (t->rows < 0 && v[5] && cat_i64(v[5], -1) == 0) {
        t->rows = 0; /* never analysed, but nothing on disk */
        t->rows_exact = true;
    }
    lc->unreadable[lc->cat->count - 1] = v[6] && !cat_bool(v[6]);
    t->bytes_exact = t->bytes >= 0 && cat_bool(v[7]);
    return 0;
}

/* SQLite: the estimate of sqlite_stat1. */
static int collect_stat(void *ctx, const DbRow *row)
{
    Catalog *cat = ctx;
    CatTable *t = (CatTable *)catalog_find(cat, "main", row->values[0]);
    if (t && t->kind == CAT_KIND_TABLE && row->values[1])
        t->rows = cat_i64(row->values[1], -1);
    return 0;
}

/* Counts the tables whose rows are unknown (not views, foreign or virtual
 * tables, nor those marked in skip). */
static int count_unknown(DbConn *c, Catalog *cat, const bool *skip, DbError *err)
{
    size_t *need = xcalloc(cat->count ? cat->count : 1, sizeof *need), n = 0;
    for (size_t i = 0; i < cat->count; i++)
        if ((cat->tables[i].kind == CAT_KIND_TABLE || cat->tables[i].kind == CAT_KIND_MATVIEW ||
             cat->tables[i].kind == CAT_KIND_PARTITIONED) && cat->tables[i].rows < 0 &&
            !(skip && skip[i]))
            need[n++] = i;
    int rc = cat_count_rows(c, cat->tables, need, n, err);
    free(need);
    return rc;
}

/* PostgreSQL: sizes from page counts (catalog.h); a table never analysed
 * is measured, a partitioned one is left unknown (it has no pages). */
static int list_pg(DbConn *c, ListCtx *lc, DbError *err)
{
    CatPgSettings was;
    cat_pg_settings_begin(c, &was);
    int rc = db_query(c, "catalog: tables",
        "/* catalog: tables */ WITH ix AS (SELECT i.indrelid, sum(x.relpages)::bigint AS pages "
        "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid "
        "GROUP BY i.indrelid) "
        "SELECT n.nspname, c.relname, c.relkind, "
        "CASE WHEN c.relkind IN ('v', 'f') OR c.reltuples < 0 THEN NULL "
        "ELSE c.reltuples::bigint END, "
        "CASE WHEN c.relkind IN ('v', 'f', 'p') THEN NULL "
        "WHEN c.reltuples < 0 THEN pg_catalog.pg_total_relation_size(c.oid) "
        "ELSE (c.relpages::bigint + COALESCE(t.relpages, 0) + COALESCE(ix.pages, 0) "
        "+ COALESCE(tix.pages, 0)) * pg_catalog.current_setting('block_size')::bigint END, "
        "CASE WHEN c.relkind IN ('r', 'm') AND c.reltuples < 0 AND c.relispopulated "
        "THEN pg_catalog.pg_relation_size(c.oid) END, "
        "c.reltuples >= 0 OR (c.relispopulated "
        "AND pg_catalog.has_table_privilege(c.oid, 'SELECT')), c.reltuples < 0 "
        PG_FROM_REL
        "LEFT JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid "
        "LEFT JOIN ix ON ix.indrelid = c.oid "
        "LEFT JOIN ix tix ON tix.indrelid = c.reltoastrelid "
        "WHERE " PG_USER_REL
        "ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\"",
        NULL, collect_table, lc, err);
    cat_pg_settings_end(c, &was);
    if (rc != 0)
        cat_explain_lock(err);
    return rc;
}

/* SQLite: no sizes (reading them is reading every page); the estimates of
 * sqlite_stat1 when it exists. */
static int list_sqlite(DbConn *c, ListCtx *lc, DbError *err)
{
    lc->sqlite_list = true;
    int rc = db_query(c, "catalog: tables",
        "/* catalog: tables */ SELECT 'main', name, CASE WHEN type = 'view' THEN 'v' "
        "WHEN sql LIKE 'CREATE VIRTUAL%' THEN 'x' ELSE 't' END "
        "FROM sqlite_schema WHERE type IN ('table', 'view') "
        "AND (name NOT LIKE 'sqlite\\_%' ESCAPE '\\' OR name = 'sqlite_stat1')",
        NULL, collect_table, lc, err);
    cat_sort_tables(lc->cat->tables, lc->cat->count);
    if (rc == 0 && lc->has_stat1)
        rc = db_query(c, "catalog: row estimates",
            "/* catalog: row estimates (sqlite_stat1) */ SELECT tbl, "
            "max(CAST(stat AS INTEGER)) FROM sqlite_stat1 GROUP BY tbl",
            NULL, collect_stat, lc->cat, err);
    return rc;
}

int catalog_list_tables(DbConn *c, Catalog **out, DbError *err)
{
    Catalog *cat = xcalloc(1, sizeof *cat);
    cat->engine = db_engine(c);
    cat->sizes_known = cat->engine == DB_ENGINE_POSTGRES;
    ListCtx lc = { cat, 0, NULL, 0, false, false };
    int rc = cat->engine == DB_ENGINE_POSTGRES ? list_pg(c, &lc, err) : list_sqlite(c, &lc, err);
    cat_sort_tables(cat->tables, cat->count);   /* (unreadable[] is by place: PG is sorted) */
    if (rc == 0)
        rc = count_unknown(c, cat, lc.unreadable, err);
    free(lc.unreadable);
    if (rc != 0) {
        db_error_prefix(err, "reading the tables of %s", db_display_url(c));
        catalog_free(cat);
        *out = NULL;
        return -1;
    }
    *out = cat;
    return 0;
}

/* ---- the relations of some names ---- */

int catalog_find_named(DbConn *c, const char *const *names, size_t n, Catalog **out,
                       DbError *err)
{
    bool pg = db_engine(c) == DB_ENGINE_POSTGRES;
    StrBuf sql = STRBUF_INIT;
    if (pg)
        sb_append(&sql, "/* catalog: table names */ SELECT n.nspname, c.relname, c.relkind "
                  PG_FROM_REL "WHERE " PG_USER_REL);
    else
        sb_append(&sql, "/* catalog: table names */ SELECT 'main', name, "
                  "CASE WHEN type = 'view' THEN 'v' WHEN sql LIKE 'CREATE VIRTUAL%' THEN 'x' "
                  "ELSE 't' END FROM sqlite_schema WHERE type IN ('table', 'view') "
                  "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ");
    if (!names)
        n = 0;
    else if (n == 0)
        sb_append(&sql, "AND false");
    for (size_t i = 0; i < n; i++)
        sb_appendf(&sql, "%slower($%zu)", i ? ", " : pg ? "AND lower(c.relname) IN ("
                                                        : "AND lower(name) IN (", i + 1);
    if (n)
        sb_append(&sql, ")");
    Catalog *cat = xcalloc(1, sizeof *cat);
    cat->engine = db_engine(c);
    ListCtx lc = { cat, 0, NULL, 0, false, false };
    DbParams p = { (int)n, names };
    int rc = db_query(c, "catalog: table names", sb_str(&sql), &p, collect_table, &lc, err);
    sb_free(&sql);
    free(lc.unreadable);
    cat_sort_tables(cat->tables, cat->count);
    if (rc != 0) {
        db_error_prefix(err, "looking for a table in %s", db_display_url(c));
        catalog_free(cat);
        *out = NULL;
        return -1;
    }
    *out = cat;
    return 0;
}

/* ---- measured sizes ---- */

/* schema, name, bytes */
static int collect_size(void *ctx, const DbRow *row)
{
    ListCtx *lc = ctx;
    CatTable *t = new_table(lc);
    t->schema = xstrdup(row->values[0] ? row->values[0] : "");
    t->name = xstrdup(row->values[1] ? row->values[1] : "");
    t->bytes = cat_i64(row->values[2], -1);
    t->bytes_exact = t->bytes >= 0;
    return 0;
}

static int measure_pg(DbConn *c, ListCtx *lc, DbError *err)
{
    CatPgSettings was;
    cat_pg_settings_begin(c, &was);
    int rc = db_query(c, "catalog: sizes",
        "/* catalog: sizes */ SELECT n.nspname, c.relname, CASE WHEN c.relkind = 'p' "
        "THEN (SELECT sum(pg_catalog.pg_total_relation_size(p.relid))::bigint "
        "FROM pg_catalog.pg_partition_tree(c.oid) p) "
        "ELSE pg_catalog.pg_total_relation_size(c.oid) END "
        PG_FROM_REL "WHERE c.relkind IN ('r', 'p', 'm') AND " PG_USER_REL,
        NULL, collect_size, lc, err);
    cat_sort_tables(lc->cat->tables, lc->cat->count);
    cat_pg_settings_end(c, &was);
    if (rc != 0)
        cat_explain_lock(err);
    return rc;
}

/* SQLite: dbstat's pages by btree, added up by table in C (a join of
 * dbstat with sqlite_schema makes SQLite read dbstat once per object). */
typedef struct SqIndex {
    char *name;             /* owned */
    char *table;            /* owned: its table (tbl_name) */
} SqIndex;

typedef struct SqSizes {
    ListCtx *lc;
    SqIndex *index_of;      /* sorted by name */
    size_t   nindex, icap;
} SqSizes;

static int collect_object(void *ctx, const DbRow *row)
{
    SqSizes *z = ctx;
    const char *type = row->values[0] ? row->values[0] : "";
    const char *name = row->values[1] ? row->values[1] : "";
    const char *tbl = row->values[2] ? row->values[2] : "";
    if (strcmp(type, "table") == 0) {
        if (strncmp(name, "sqlite_", 7) == 0)
            return 0;
        CatTable *t = new_table(z->lc);
        t->schema = xstrdup("main");
        t->name = xstrdup(name);
        return 0;
    }
    z->index_of = xgrow(z->index_of, &z->icap, z->nindex + 1, sizeof *z->index_of);
    z->index_of[z->nindex++] = (SqIndex){ xstrdup(name), xstrdup(tbl) };
    return 0;
}

static int cmp_index(const void *a, const void *b)
{
    return strcmp(((const SqIndex *)a)->name, ((const SqIndex *)b)->name);
}

static int collect_pages(void *ctx, const DbRow *row)
{
    SqSizes *z = ctx;
    Catalog *cat = z->lc->cat;
    const char *name = row->values[0] ? row->values[0] : "";
    CatTable *t = (CatTable *)catalog_find(cat, "main", name);
    if (!t) {
        SqIndex key = { (char *)name, NULL };
        const SqIndex *x = z->nindex ? bsearch(&key, z->index_of, z->nindex, sizeof key,
                                               cmp_index) : NULL;
        t = x ? (CatTable *)catalog_find(cat, "main", x->table) : NULL;
    }
    if (t) {
        t->bytes = (t->bytes < 0 ? 0 : t->bytes) + cat_i64(row->values[1], 0);
        t->bytes_exact = true;
    }
    return 0;
}

static int measure_sqlite(DbConn *c, ListCtx *lc, DbError *err)
{
    SqSizes z = { lc, NULL, 0, 0 };
    DbError e = DB_ERROR_INIT;
    int rc = db_query(c, "catalog: objects",
        "/* catalog: tables and indexes */ SELECT type, name, tbl_name FROM sqlite_schema "
        "WHERE type IN ('table', 'index')", NULL, collect_object, &z, &e);
    cat_sort_tables(lc->cat->tables, lc->cat->count);
    if (z.nindex > 1)
        qsort(z.index_of, z.nindex, sizeof *z.index_of, cmp_index);
    if (rc == 0) {
        rc = db_query(c, "catalog: sizes",
            "/* catalog: sizes (dbstat) */ SELECT name, sum(pgsize) FROM dbstat GROUP BY name",
            NULL, collect_pages, &z, &e);
        lc->cat->sizes_known = rc == 0;
        if (rc != 0 && strstr(e.message ? e.message : "", "dbstat")) {
            db_error_clear(&e);   /* this SQLite has no dbstat: sizes stay unknown */
            rc = 0;
        }
    }
    for (size_t i = 0; i < z.nindex; i++) {
        free(z.index_of[i].name);
        free(z.index_of[i].table);
    }
    free(z.index_of);
    if (rc != 0)
        db_error_move(err, &e);
    return rc;
}

int catalog_measure_sizes(DbConn *c, Catalog **out, DbError *err)
{
    Catalog *cat = xcalloc(1, sizeof *cat);
    cat->engine = db_engine(c);
    cat->sizes_known = true;
    ListCtx lc = { cat, 0, NULL, 0, false, false };
    int rc = cat->engine == DB_ENGINE_POSTGRES ? measure_pg(c, &lc, err)
                                               : measure_sqlite(c, &lc, err);
    free(lc.unreadable);
    if (rc != 0) {
        db_error_prefix(err, "measuring the tables of %s", db_display_url(c));
        catalog_free(cat);
        *out = NULL;
        return -1;
    }
    *out = cat;
    return 0;
}
