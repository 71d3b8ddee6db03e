/* integrity_rows.c: the orphans of a check, one page at a time, paged by
 * the child's key (see integrity_rows.h). */
#include "integrity_rows.h"
#include "strbuf.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct IntegrityRowsCursor {
    DbConn           *conn;
    IntegrityCheck    ck;
    RowsKey           key;
    int               page_size;
    char            **after;      /* the last key of the page before; NULL: start */
    bool              done;
    char             *sql_first;  /* the statement of the first page */
    char             *sql_next;   /* ... of the pages after a key */
    IntegrityRowsPage page;
};

static void page_clear(IntegrityRowsPage *p)
{
    for (size_t i = 0; i < p->nrows * (size_t)p->ncols; i++)
        free(p->cells[i].text);
    free(p->cells);
    p->cells = NULL;
    p->nrows = 0;
    p->more = false;
}

/* The key's expression on o, with the cast a PostgreSQL system column's
 * parameter needs. */
static char *key_expr(DbConn *c, const RowsKey *k, int i, const char **cast)
{
    const char *name = k->cols[i];
    *cast = "";
    if (k->kind == ROWS_KEY_CTID) {
        *cast = strcmp(name, "tableoid") == 0 ? "::oid" : "::tid";
        return xasprintf("o.%s", name);
    }
    if (k->kind == ROWS_KEY_ROWID)
        return xasprintf("o.%s", name);
    char *q = db_quote_ident(c, name), *e = xasprintf("o.%s", q);
    free(q);
    return e;
}

static char *page_sql(DbConn *c, const IntegrityRowsCursor *cur, bool after)
{
    const RowsKey *k = &cur->key;
    char *child = integrity_qualified(c, cur->ck.schema, cur->ck.table);
    char *cond = integrity_orphan_condition(c, &cur->ck, "o");
    StrBuf sel = STRBUF_INIT, ord = STRBUF_INIT, lhs = STRBUF_INIT, rhs = STRBUF_INIT;
    for (int i = 0; i < k->ncols; i++) {
        const char *cast;
        char *e = key_expr(c, k, i, &cast);
        sb_appendf(&sel, "%s, ", e);
        sb_appendf(&ord, "%s%s", i ? ", " : "", e);
        sb_appendf(&lhs, "%s%s", i ? ", " : "", e);
        sb_appendf(&rhs, "%s$%d%s", i ? ", " : "", i + 1, cast);
        free(e);
    }
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "/* integrity: orphan rows */ SELECT %so.* FROM %s o WHERE %s", sb_str(&sel),
               child, cond);
    if (after)
        sb_appendf(&b, k->ncols > 1 ? " AND (%s) > (%s)" : " AND %s > %s", sb_str(&lhs),
                   sb_str(&rhs));
    sb_appendf(&b, " ORDER BY %s LIMIT %d", sb_str(&ord), cur->page_size + 1);
    sb_free(&sel);
    sb_free(&ord);
    sb_free(&lhs);
    sb_free(&rhs);
    free(child);
    free(cond);
    return sb_take(&b);
}

int integrity_rows_open(IntegrityRowsCursor **out, DbConn *c, const IntegrityCheck *ck,
                        int page_size, DbError *err)
{
    *out = NULL;
    if (ck->group != IG_ORPHANS && ck->group != IG_INFERRED) {
        db_error_set(err, DB_ERR_USAGE, "%s is a %s check: only orphan checks have rows",
                     ck->id, integrity_kind_name(ck->kind));
        return -1;
    }
    if (page_size < 1 || page_size > ROWS_MAX_PAGE) {
        db_error_set(err, DB_ERR_USAGE, "a page holds 1 to %d rows", ROWS_MAX_PAGE);
        return -1;
    }
    IntegrityRowsCursor *cur = xcalloc(1, sizeof *cur);
    cur->conn = c;
    cur->page_size = page_size;
    integrity_check_copy(&cur->ck, ck);
    if (rows_find_key(c, ck->schema, ck->table, &cur->key, err) != 0) {
        integrity_rows_close(cur);
        return -1;
    }
    cur->sql_first = page_sql(c, cur, false);
    cur->sql_next = page_sql(c, cur, true);
    *out = cur;
    return 0;
}

typedef struct Fetch {
    IntegrityRowsCursor *cur;
    size_t               cap;
} Fetch;

/* The page's column names, and which are the key's, from the first row. */
static void take_names(IntegrityRowsCursor *cur, const DbRow *row)
{
    IntegrityRowsPage *p = &cur->page;
    int nk = cur->key.ncols;
    p->ncols = row->ncols - nk;
    p->names = xcalloc((size_t)p->ncols + 1, sizeof *p->names);
    p->is_key = xcalloc((size_t)p->ncols + 1, sizeof *p->is_key);
    for (int i = 0; i < p->ncols; i++) {
        p->names[i] = xstrdup(row->names[nk + i]);
        for (size_t k = 0; k < cur->ck.ncolumns; k++)
            if (strcmp(p->names[i], cur->ck.columns[k]) == 0)
                p->is_key[i] = true;
    }
}

static int on_row(void *ctx, const DbRow *row)
{
    Fetch *f = ctx;
    IntegrityRowsCursor *cur = f->cur;
    IntegrityRowsPage *p = &cur->page;
    int nk = cur->key.ncols;
    if (!p->names)
        take_names(cur, row);
    if (p->nrows == (size_t)cur->page_size) {
        p->more = true;
        return 1;
    }
    size_t need = (p->nrows + 1) * (size_t)p->ncols;
    p->cells = xgrow(p->cells, &f->cap, need ? need : 1, sizeof *p->cells);
    for (int i = 0; i < p->ncols; i++) {
        RowsCell *cell = &p->cells[p->nrows * (size_t)p->ncols + (size_t)i];
        const char *v = row->values[nk + i];
        cell->null = v == NULL;
        cell->text = v ? xstrndup(v, row->lengths[nk + i]) : NULL;
        cell->len = v ? row->lengths[nk + i] : 0;
        cell->binary = row->binary && row->binary[nk + i];
    }
    strv_free(cur->after);
    cur->after = xcalloc((size_t)nk + 1, sizeof *cur->after);
    for (int i = 0; i < nk; i++)
        cur->after[i] = xstrdup(row->values[i] ? row->values[i] : "");
    p->nrows++;
    return 0;
}

int integrity_rows_next(IntegrityRowsCursor *cur, const IntegrityRowsPage **page,
                        DbError *err)
{
    page_clear(&cur->page);
    *page = &cur->page;
    if (cur->done)
        return 0;
    Fetch f = { cur, 0 };
    DbParams p = { cur->key.ncols, (const char *const *)cur->after };
    int rc = db_query(cur->conn, "integrity: orphan rows",
                      cur->after ? cur->sql_next : cur->sql_first, cur->after ? &p : NULL,
                      on_row, &f, err);
    if (rc != 0) {
        page_clear(&cur->page);
        return -1;
    }
    cur->done = !cur->page.more;
    return 0;
}

void integrity_rows_close(IntegrityRowsCursor *cur)
{
    if (!cur)
        return;
    page_clear(&cur->page);
    strv_free(cur->page.names);
    free(cur->page.is_key);
    strv_free(cur->after);
    rows_key_free(&cur->key);
    integrity_check_clear(&cur->ck);
    free(cur->sql_first);
    free(cur->sql_next);
    free(cur);
}

char **integrity_rows_position(const IntegrityRowsCursor *cur)
{
    return cur->after ? strv_dup((const char *const *)cur->after) : NULL;
}

int integrity_rows_seek(IntegrityRowsCursor *cur, const char *const *after, DbError *err)
{
    if (!after || strv_len(after) != (size_t)cur->key.ncols) {
        db_error_set(err, DB_ERR_USAGE, "a position in the orphan rows of %s has %d value%s",
                     cur->ck.id, cur->key.ncols, cur->key.ncols == 1 ? "" : "s");
        return -1;
    }
    strv_free(cur->after);
    cur->after = strv_dup(after);
    cur->done = false;
    return 0;
}
