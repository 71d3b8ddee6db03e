/* rows_fetch.c: one page query and the rows it brings back.
 *
 *   SELECT <shown>, <key> FROM t AS r [WHERE (key) > ($1, …)]
 *   ORDER BY key [DESC] LIMIT n + 1
 *
 * The extra row only tells whether more rows follow; it is not kept.  A
 * ctid key adds a window of heap blocks (ctid < '(b,0)'::tid): PostgreSQL
 * cannot read a heap in ctid order, so without it every page would sort
 * the whole table; the window doubles until it holds a page or reaches the
 * end of the heap, where the bound is dropped. */
#include "rows_internal.h"
#include "xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rows_page_free(RowsPage *pg)
{
    for (int i = 0; pg->names && i < pg->ncols; i++)
        free(pg->names[i]);
    free(pg->names);
    for (size_t i = 0; i < pg->nrows * (size_t)pg->ncols; i++)
        free(pg->cells[i].text);
    free(pg->cells);
    memset(pg, 0, sizeof *pg);
}

void rows_bound_free(const RowsPager *p, RowsBound *b)
{
    for (int i = 0; b->vals && i < p->nkey; i++)
        free(b->vals[i]);
    for (int i = 0; b->types && i < p->nkey; i++)
        free(b->types[i]);
    free(b->vals);
    free(b->types);
    b->vals = NULL;
    b->types = NULL;
}

void rows_result_free(const RowsPager *p, RowsResult *r)
{
    rows_page_free(&r->page);
    rows_bound_free(p, &r->first);
    rows_bound_free(p, &r->last);
    r->extra = false;
}

static int hidden_count(const RowsPager *p)
{
    return p->engine == DB_ENGINE_SQLITE ? 2 * p->nkey : p->nkey;
}

void rows_bound_read(const RowsPager *p, const DbRow *row, RowsBound *b)
{
    int at = row->ncols - hidden_count(p);
    bool sqlite = p->engine == DB_ENGINE_SQLITE;
    rows_bound_free(p, b);
    b->vals = xcalloc((size_t)p->nkey, sizeof *b->vals);
    if (sqlite)
        b->types = xcalloc((size_t)p->nkey, sizeof *b->types);
    for (int i = 0; i < p->nkey; i++) {
        int col = at + (sqlite ? 2 * i : i);
        if (row->values[col])
            b->vals[i] = xstrndup(row->values[col], row->lengths[col]);
        if (sqlite)
            b->types[i] = xstrdup(row->values[col + 1] ? row->values[col + 1] : "null");
    }
}

typedef struct Collect {
    RowsPager  *p;
    RowsResult *out;
    size_t      cap;     /* cells allocated */
    bool        bad;     /* a row came with too few columns */
} Collect;

static void copy_names(RowsPager *p, const DbRow *row, int nvis)
{
    for (int i = 0; i < p->ncols; i++)
        free(p->names[i]);
    free(p->names);
    p->ncols = nvis;
    p->names = xcalloc((size_t)nvis + 1, sizeof *p->names);
    for (int i = 0; i < nvis; i++)
        p->names[i] = xstrdup(row->names[i]);
}

static int on_row(void *ctx, const DbRow *row)
{
    Collect *k = ctx;
    RowsPage *pg = &k->out->page;
    int nvis = row->ncols - hidden_count(k->p);
    if (nvis < 0) {
        k->bad = true;
        return 1;
    }
    if (pg->nrows == (size_t)k->p->page_size) {
        k->out->extra = true;
        return 1;
    }
    if (pg->nrows == 0) {
        copy_names(k->p, row, nvis);
        pg->ncols = nvis;
    }
    size_t need = (pg->nrows + 1) * (size_t)nvis;
    pg->cells = xgrow(pg->cells, &k->cap, need ? need : 1, sizeof *pg->cells);
    RowsCell *cell = &pg->cells[pg->nrows * (size_t)nvis];
    for (int i = 0; i < nvis; i++) {
        bool null = row->values[i] == NULL;
        cell[i].null = null;
        cell[i].binary = !null && row->binary && row->binary[i];
        cell[i].len = null ? 0 : row->lengths[i];
        cell[i].text = null ? NULL : xstrndup(row->values[i], row->lengths[i]);
    }
    pg->nrows++;
    rows_bound_read(k->p, row, pg->nrows == 1 ? &k->out->first : &k->out->last);
    return 0;
}

/* Puts the rows of a DESC fetch in key order. */
static void reverse(RowsResult *r)
{
    RowsPage *pg = &r->page;
    size_t w = (size_t)pg->ncols;
    for (size_t a = 0, b = pg->nrows; w && a + 1 < b; a++, b--) {
        for (size_t i = 0; i < w; i++) {
            RowsCell t = pg->cells[a * w + i];
            pg->cells[a * w + i] = pg->cells[(b - 1) * w + i];
            pg->cells[(b - 1) * w + i] = t;
        }
    }
    RowsBound t = r->first;
    r->first = r->last;
    r->last = t;
}

/* The heap window of a ctid fetch: blocks [lo, hi); no lower bound when
 * lo <= 0, no upper bound when hi < 0. */
typedef struct Window {
    int64_t lo, hi;
} Window;

static int run_once(RowsPager *p, const RowsFetch *f, const Window *w, RowsResult *out,
                    DbError *err)
{
    StrBuf sql = STRBUF_INIT;
    RowsArgs args = { 0 };
    const char *sep = " WHERE ";
    sb_appendf(&sql, "/* rows: %s page */ SELECT %s", f->back ? "backward" : "forward",
               p->visible);
    rows_sql_hidden(p, &sql);
    rows_sql_from(p, &sql, &args, f->anchor, f->back);
    if (f->anchor) {
        const char *op = f->back ? (f->inclusive ? "<=" : "<") : (f->inclusive ? ">=" : ">");
        sb_append(&sql, sep);
        rows_sql_key_cmp(p, &sql, &args, f->anchor, op);
        sep = " AND ";
    }
    char tid[48];
    if (w && w->lo > 0) {
        snprintf(tid, sizeof tid, "(%" PRId64 ",0)", w->lo);
        sb_appendf(&sql, "%sr.ctid >= $%d::tid", sep, rows_args_add(&args, tid));
        sep = " AND ";
    }
    if (w && w->hi >= 0) {
        snprintf(tid, sizeof tid, "(%" PRId64 ",0)", w->hi);
        sb_appendf(&sql, "%sr.ctid < $%d::tid", sep, rows_args_add(&args, tid));
    }
    sb_append(&sql, " ORDER BY ");
    rows_sql_order(p, &sql, f->back);
    sb_appendf(&sql, " LIMIT %d", p->page_size + 1);

    Collect k = { p, out, 0, false };
    DbParams params = { args.n, (const char *const *)args.vals };
    memset(out, 0, sizeof *out);
    int rc = db_query(p->c, "rows: page", sb_str(&sql), &params, on_row, &k, err);
    if (rc == 0 && k.bad) {
        db_error_set(err, DB_ERR_SQL, "the page query returned too few columns");
        rc = -1;
    }
    if (rc != 0)
        rows_result_free(p, out);
    else if (f->back)
        reverse(out);
    rows_args_free(&args);
    sb_free(&sql);
    return rc;
}

typedef struct HeapSize {
    int64_t blocks;
    double  per_block;   /* 0 when unknown (never analyzed) */
} HeapSize;

static int heap_row(void *ctx, const DbRow *row)
{
    HeapSize *h = ctx;
    if (row->ncols >= 2) {
        h->blocks = row->values[0] ? strtoll(row->values[0], NULL, 10) : 0;
        h->per_block = row->values[1] ? strtod(row->values[1], NULL) : 0;
    }
    return 1;
}

/* How many heap blocks the table has and about how many rows fit in one. */
static int heap_size(RowsPager *p, HeapSize *h, DbError *err)
{
    const char *sql =
        "/* rows: heap size */ SELECT pg_catalog.pg_relation_size(c.oid) / "
        "pg_catalog.current_setting('block_size')::bigint, "
        "CASE WHEN c.relpages > 0 AND c.reltuples > 0 THEN c.reltuples / c.relpages END "
        "FROM pg_catalog.pg_class c WHERE c.oid = $1::regclass";
    const char *vals[1] = { p->table_q };
    DbParams params = { 1, vals };
    h->blocks = 0;
    h->per_block = 0;
    return db_query(p->c, "rows: heap size", sql, &params, heap_row, h, err);
}

/* Block number of a ctid's text, "(12,3)"; 0 when unreadable. */
static int64_t tid_block(const char *tid)
{
    return tid && tid[0] == '(' ? strtoll(tid + 1, NULL, 10) : 0;
}

static int fetch_windowed(RowsPager *p, const RowsFetch *f, RowsResult *out, DbError *err)
{
    HeapSize h;
    if (heap_size(p, &h, err) != 0)
        return -1;
    int64_t width = 8;   /* blocks; then about 1.5 pages' worth */
    if (h.per_block > 0)
        width = (int64_t)((p->page_size + 1) / h.per_block * 1.5) + 1;
    int64_t at = f->anchor ? tid_block(f->anchor->vals[0]) : (f->back ? h.blocks - 1 : 0);
    for (;;) {
        Window w;
        bool last_try;
        if (f->back) {
            w.lo = at - width + 1;
            w.hi = -1;
            last_try = w.lo <= 0;
        } else {
            w.lo = 0;
            w.hi = at + width;
            last_try = w.hi >= h.blocks;
            if (last_try)
                w.hi = -1;
        }
        if (run_once(p, f, &w, out, err) != 0)
            return -1;
        if (out->extra || last_try)
            return 0;
        rows_result_free(p, out);
        width *= 2;
    }
}

int rows_fetch(RowsPager *p, const RowsFetch *f, RowsResult *out, DbError *err)
{
    int rc = p->ctid_window ? fetch_windowed(p, f, out, err) : run_once(p, f, NULL, out, err);
    if (rc != 0)
        db_error_prefix(err, "rows of %s", p->display);
    return rc;
}

static int names_row(void *ctx, const DbRow *row)
{
    RowsPager *p = ctx;
    copy_names(p, row, row->ncols);
    return 1;
}

int rows_fetch_names(RowsPager *p, DbError *err)
{
    StrBuf sql = STRBUF_INIT;
    sb_appendf(&sql, "/* rows: column names */ SELECT %s FROM (SELECT 1 AS dbw_one) AS one "
                     "LEFT JOIN %s AS r ON 1 = 0", p->visible, p->table_q);
    int rc = db_query(p->c, "rows: column names", sb_str(&sql), NULL, names_row, p, err);
    sb_free(&sql);
    if (rc != 0)
        db_error_prefix(err, "rows of %s", p->display);
    return rc;
}

static int any_row(void *ctx, const DbRow *row)
{
    (void)row;
    *(bool *)ctx = true;
    return 1;
}

int rows_probe(RowsPager *p, const RowsBound *b, bool after, bool *any, DbError *err)
{
    StrBuf sql = STRBUF_INIT;
    RowsArgs args = { 0 };
    sb_appendf(&sql, "/* rows: any row %s? */ SELECT 1", after ? "after" : "before");
    rows_sql_from(p, &sql, &args, b, !after);
    sb_append(&sql, " WHERE ");
    rows_sql_key_cmp(p, &sql, &args, b, after ? ">" : "<");
    sb_append(&sql, " LIMIT 1");
    DbParams params = { args.n, (const char *const *)args.vals };
    *any = false;
    int rc = db_query(p->c, "rows: probe", sb_str(&sql), &params, any_row, any, err);
    if (rc != 0)
        db_error_prefix(err, "rows of %s", p->display);
    rows_args_free(&args);
    sb_free(&sql);
    return rc;
}
