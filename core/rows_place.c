/* rows_place.c: where a page is: marks of its first row to come back to
 * (rows_mark, rows_seek) and bounded counts of rows (rows_count,
 * rows_count_before); see rows.h. */
#include "rows_internal.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct RowsMark {
    int       nkey;
    char    **key;     /* the key parts' names, to check the pager's */
    RowsBound bound;   /* their values (and SQLite types) */
};

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

RowsMark *rows_mark(const RowsPager *p)
{
    if (p->page.nrows == 0 || !p->first.vals)
        return NULL;
    RowsMark *m = xcalloc(1, sizeof *m);
    m->nkey = p->nkey;
    m->key = xcalloc((size_t)p->nkey + 1, sizeof *m->key);
    for (int i = 0; i < p->nkey; i++)
        m->key[i] = xstrdup(p->key[i]);
    rows_bound_copy(p, &m->bound, &p->first);
    return m;
}

void rows_mark_free(RowsMark *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->nkey; i++) {
        free(m->key[i]);
        free(m->bound.vals[i]);
        if (m->bound.types)
            free(m->bound.types[i]);
    }
    free(m->key);
    free(m->bound.vals);
    free(m->bound.types);
    free(m);
}

/* Was m made on a pager with p's key (names and engine)? */
static bool mark_fits(const RowsPager *p, const RowsMark *m)
{
    if (m->nkey != p->nkey || (m->bound.types != NULL) != (p->engine == DB_ENGINE_SQLITE))
        return false;
    for (int i = 0; i < p->nkey; i++)
        if (strcmp(m->key[i], p->key[i]) != 0)
            return false;
    return true;
}

int rows_seek(RowsPager *p, const RowsMark *m, bool *found, bool *exact, DbError *err)
{
    *found = *exact = false;
    if (!m || !mark_fits(p, m))
        return 0;
    RowsResult r;
    memset(&r, 0, sizeof r);
    bool before = false;
    RowsFetch f = { false, &m->bound, true };
    int rc = -1;
    if (rows_fetch(p, &f, &r, err) != 0 || rows_probe(p, &m->bound, false, &before, err) != 0)
        goto fail;
    rc = 0;
    if (r.page.nrows == 0)
        goto fail;
    *found = true;
    *exact = true;
    for (int i = 0; i < p->nkey; i++)
        *exact = *exact && same_text(r.first.vals[i], m->bound.vals[i]) &&
                 (!m->bound.types || same_text(r.first.types[i], m->bound.types[i]));
    rc = rows_install(p, &r, before, r.extra, err);
fail:
    rows_result_free(p, &r);
    return rc;
}

static int count_row(void *ctx, const DbRow *row)
{
    *(long long *)ctx = row->ncols > 0 && row->values[0] ? strtoll(row->values[0], NULL, 10) : 0;
    return 1;
}

/* SELECT count(*) of the rows before b (all rows when b is NULL), reading
 * at most cap of them. */
static int count_rows(RowsPager *p, const RowsBound *b, long long cap, long long *n,
                      DbError *err)
{
    StrBuf sql = STRBUF_INIT;
    RowsArgs args = { 0 };
    *n = 0;
    sb_appendf(&sql, "/* rows: count%s */ SELECT count(*) FROM (SELECT 1 AS one",
               b ? " before" : "");
    if (b) {
        rows_sql_from(p, &sql, &args, b, true);
        sb_append(&sql, " WHERE ");
        rows_sql_key_cmp(p, &sql, &args, b, "<");
    } else { /* no order, no duplicate numbers: the plain relation */
        sb_appendf(&sql, " FROM %s AS r", p->table_q);
    }
    sb_appendf(&sql, " LIMIT %lld) AS c", cap < 1 ? 1 : cap);
    DbParams params = { args.n, (const char *const *)args.vals };
    int rc = db_query(p->c, "rows: count", sb_str(&sql), &params, count_row, n, err);
    if (rc != 0)
        db_error_prefix(err, "rows of %s: counting", p->display);
    rows_args_free(&args);
    sb_free(&sql);
    return rc;
}

int rows_count(RowsPager *p, long long cap, long long *n, DbError *err)
{
    return count_rows(p, NULL, cap, n, err);
}

int rows_count_before(RowsPager *p, long long cap, long long *n, DbError *err)
{
    if (p->page.nrows == 0 || !p->first.vals) {
        *n = 0;
        return 0;
    }
    return count_rows(p, &p->first, cap, n, err);
}
