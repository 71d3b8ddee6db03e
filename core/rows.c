/* rows.c: the pager: open, close, and moving between pages (rows.h).
 * The queries themselves are in rows_fetch.c and rows_sql.c. */
#include "rows_internal.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char **copy_names(int n, const char *const *names)
{
    char **out = xcalloc((size_t)n + 1, sizeof *out);
    for (int i = 0; i < n; i++)
        out[i] = xstrdup(names[i]);
    return out;
}

static void free_names(int n, char **names)
{
    for (int i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

static int check_spec(const RowsSpec *s, DbError *err)
{
    if (!s || !s->table || !*s->table) {
        db_error_set(err, DB_ERR_USAGE, "rows: no table given");
        return -1;
    }
    if (s->nkey < 1 || !s->key) {
        db_error_set(err, DB_ERR_USAGE, "rows of %s: no key columns given "
                     "(rows_find_key() names them)", s->table);
        return -1;
    }
    for (int i = 0; i < s->nkey; i++) {
        if (!s->key[i] || !*s->key[i]) {
            db_error_set(err, DB_ERR_USAGE, "rows of %s: key column %d has no name",
                         s->table, i + 1);
            return -1;
        }
    }
    if (s->ncols < 0 || (s->ncols > 0 && !s->cols)) {
        db_error_set(err, DB_ERR_USAGE, "rows of %s: bad column list", s->table);
        return -1;
    }
    for (int i = 0; i < s->ncols; i++) {
        if (!s->cols[i]) {
            db_error_set(err, DB_ERR_USAGE, "rows of %s: column %d has no name",
                         s->table, i + 1);
            return -1;
        }
    }
    if (s->page_size < 1 || s->page_size > ROWS_MAX_PAGE) {
        db_error_set(err, DB_ERR_USAGE, "rows of %s: page size %d is out of range "
                     "(1 to %d)", s->table, s->page_size, ROWS_MAX_PAGE);
        return -1;
    }
    return 0;
}

/* Does this SQLite have unhex() (3.41.0 and later)? */
static int sqlite_has_unhex(DbConn *c, bool *yes, DbError *err)
{
    char *v = NULL;
    if (db_query_value(c, "rows: sqlite version", "/* rows: sqlite version */ "
                       "SELECT sqlite_version()", NULL, &v, err) != 0)
        return -1;
    int major = 0, minor = 0;
    if (v)
        sscanf(v, "%d.%d", &major, &minor);
    *yes = major > 3 || (major == 3 && minor >= 41);
    free(v);
    return 0;
}

/* The key: spec's columns, and for a key that is not unique the
 * duplicate number after them. */
static void set_key(RowsPager *p, DbConn *c, const RowsSpec *spec)
{
    p->kind = spec->kind;
    p->dup = spec->kind == ROWS_KEY_COLUMNS;
    p->nkey = spec->nkey + (p->dup ? 1 : 0);
    p->key = xcalloc((size_t)p->nkey + 1, sizeof *p->key);
    p->key_text = xcalloc((size_t)p->nkey + 1, sizeof *p->key_text);
    p->keyq = xcalloc((size_t)p->nkey + 1, sizeof *p->keyq);
    for (int i = 0; i < p->nkey; i++) {
        bool dupcol = i == spec->nkey;
        p->key[i] = xstrdup(dupcol ? ROWS_DUP_COL : spec->key[i]);
        p->key_text[i] = !dupcol && p->dup && spec->key_text && spec->key_text[i] &&
                         p->engine == DB_ENGINE_POSTGRES;
        char *q = db_quote_ident(c, p->key[i]);
        p->keyq[i] = p->key_text[i] ? xasprintf("(r.%s)::text", q) : xasprintf("r.%s", q);
        free(q);
    }
}

int rows_open(RowsPager **out, DbConn *c, const RowsSpec *spec, DbError *err)
{
    *out = NULL;
    if (check_spec(spec, err) != 0)
        return -1;
    RowsPager *p = xcalloc(1, sizeof *p);
    p->c = c;
    p->engine = db_engine(c);
    p->page_size = spec->page_size;
    p->ncols = -1;
    set_key(p, c, spec);
    char *tq = db_quote_ident(c, spec->table);
    if (spec->schema) {
        char *sq = db_quote_ident(c, spec->schema);
        p->table_q = xasprintf("%s.%s", sq, tq);
        p->display = xasprintf("%s.%s", spec->schema, spec->table);
        free(sq);
        free(tq);
    } else {
        p->table_q = tq;
        p->display = xstrdup(spec->table);
    }
    /* r.* would show the duplicate number: without a key, the columns */
    int nvis = spec->ncols ? spec->ncols : p->dup ? spec->nkey : 0;
    const char *const *vis_cols = spec->ncols ? spec->cols : spec->key;
    StrBuf vis = STRBUF_INIT;
    for (int i = 0; i < nvis; i++) {
        char *q = db_quote_ident(c, vis_cols[i]);
        sb_appendf(&vis, "%sr.%s", i ? ", " : "", q);
        free(q);
    }
    p->visible = nvis ? sb_take(&vis) : xstrdup("r.*");
    sb_free(&vis);
    p->ctid_window = p->engine == DB_ENGINE_POSTGRES && p->nkey == 1 &&
                     strcmp(p->key[0], "ctid") == 0;
    if (p->engine == DB_ENGINE_SQLITE && sqlite_has_unhex(c, &p->has_unhex, err) != 0)
        goto fail;
    *out = p;
    return 0;
fail:
    rows_close(p);
    return -1;
}

void rows_close(RowsPager *p)
{
    if (!p)
        return;
    rows_page_free(&p->page);
    rows_bound_free(p, &p->first);
    rows_bound_free(p, &p->last);
    free_names(p->nkey, p->key);
    free_names(p->nkey, p->keyq);
    free(p->key_text);
    free_names(p->ncols, p->names);
    free(p->table_q);
    free(p->display);
    free(p->visible);
    free(p);
}

const RowsPage *rows_page(const RowsPager *p)
{
    return &p->page;
}

void rows_bound_copy(const RowsPager *p, RowsBound *dst, const RowsBound *src)
{
    dst->vals = xcalloc((size_t)p->nkey, sizeof *dst->vals);
    dst->types = src->types ? xcalloc((size_t)p->nkey, sizeof *dst->types) : NULL;
    for (int i = 0; i < p->nkey; i++) {
        dst->vals[i] = xstrdup(src->vals[i]);
        if (src->types)
            dst->types[i] = xstrdup(src->types[i]);
    }
}

int rows_install(RowsPager *p, RowsResult *r, bool more_before, bool more_after, DbError *err)
{
    if (p->ncols < 0 && rows_fetch_names(p, err) != 0) {
        rows_result_free(p, r);
        return -1;
    }
    rows_page_free(&p->page);
    rows_bound_free(p, &p->first);
    rows_bound_free(p, &p->last);
    p->page = r->page;
    p->page.ncols = p->ncols;
    p->page.names = copy_names(p->ncols, (const char *const *)p->names);
    p->page.more_before = more_before;
    p->page.more_after = more_after;
    p->first = r->first;
    p->last = r->last;
    /* a page of one row: its first row is its last (a fetch keeps the one
     * row in first, or in last after a backward fetch is reversed) */
    if (!p->last.vals && p->first.vals)
        rows_bound_copy(p, &p->last, &p->first);
    else if (!p->first.vals && p->last.vals)
        rows_bound_copy(p, &p->first, &p->last);
    memset(r, 0, sizeof *r);
    return 0;
}

int rows_first(RowsPager *p, DbError *err)
{
    RowsFetch f = { false, NULL, false };
    RowsResult r;
    if (rows_fetch(p, &f, &r, err) != 0)
        return -1;
    return rows_install(p, &r, false, r.extra, err);
}

int rows_last(RowsPager *p, DbError *err)
{
    RowsFetch f = { true, NULL, false };
    RowsResult r;
    if (rows_fetch(p, &f, &r, err) != 0)
        return -1;
    return rows_install(p, &r, r.extra, false, err);
}

int rows_next(RowsPager *p, DbError *err)
{
    if (p->page.nrows == 0)
        return rows_first(p, err);
    RowsFetch f = { false, &p->last, false };
    RowsResult r;
    if (rows_fetch(p, &f, &r, err) != 0)
        return -1;
    if (r.page.nrows == 0) {
        rows_result_free(p, &r);
        p->page.more_after = false;
        return 0;
    }
    return rows_install(p, &r, true, r.extra, err);
}

int rows_prev(RowsPager *p, DbError *err)
{
    if (p->page.nrows == 0)
        return rows_last(p, err);
    RowsFetch f = { true, &p->first, false };
    RowsResult r;
    if (rows_fetch(p, &f, &r, err) != 0)
        return -1;
    if (r.page.nrows == 0) {
        rows_result_free(p, &r);
        p->page.more_before = false;
        return 0;
    }
    return rows_install(p, &r, r.extra, true, err);
}

static int key_row(void *ctx, const DbRow *row)
{
    void **k = ctx;
    rows_bound_read(k[0], row, k[1]);
    return 1;
}

/* The key of the first row whose columns equal values; b->vals stays NULL
 * when there is none. */
static int find_row(RowsPager *p, int ncols, const char *const *cols,
                    const char *const *values, RowsBound *b, DbError *err)
{
    StrBuf sql = STRBUF_INIT;
    RowsArgs args = { 0 };
    sb_append(&sql, "/* rows: find a row */ SELECT 1");
    rows_sql_hidden(p, &sql);
    rows_sql_from(p, &sql, &args, NULL, false);
    sb_append(&sql, " WHERE ");
    for (int i = 0; i < ncols; i++) {
        if (i)
            sb_append(&sql, " AND ");
        rows_sql_equals(p, &sql, &args, cols[i], values[i]);
    }
    sb_append(&sql, " ORDER BY ");
    rows_sql_order(p, &sql, false);
    sb_append(&sql, " LIMIT 1");
    DbParams params = { args.n, (const char *const *)args.vals };
    void *ctx[2] = { p, b };
    int rc = db_query(p->c, "rows: find a row", sb_str(&sql), &params, key_row, ctx, err);
    if (rc != 0)
        db_error_prefix(err, "rows of %s", p->display);
    rows_args_free(&args);
    sb_free(&sql);
    return rc;
}

int rows_jump(RowsPager *p, int ncols, const char *const *cols, const char *const *values,
              bool *found, DbError *err)
{
    *found = false;
    if (ncols < 1 || !cols || !values) {
        db_error_set(err, DB_ERR_USAGE, "rows of %s: a jump needs at least one column "
                     "and its value", p->display);
        return -1;
    }
    for (int i = 0; i < ncols; i++) {
        if (!cols[i]) {
            db_error_set(err, DB_ERR_USAGE, "rows of %s: jump column %d has no name",
                         p->display, i + 1);
            return -1;
        }
    }
    RowsBound target = { NULL, NULL };
    RowsResult r;
    memset(&r, 0, sizeof r);
    bool before = false;
    int rc = -1;
    if (find_row(p, ncols, cols, values, &target, err) != 0)
        goto fail;
    if (!target.vals) {
        rc = 0;
        goto fail;
    }
    RowsFetch f = { false, &target, true };
    if (rows_fetch(p, &f, &r, err) != 0 || rows_probe(p, &target, false, &before, err) != 0)
        goto fail;
    if (r.page.nrows == 0) { /* deleted in between */
        rc = 0;
        goto fail;
    }
    *found = true;
    rc = rows_install(p, &r, before, r.extra, err);
fail:
    rows_result_free(p, &r);
    rows_bound_free(p, &target);
    return rc;
}
