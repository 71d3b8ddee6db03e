/* pane_schema_rows.c: the Rows tab's model: a pager (core/rows.h) on the
 * selected table, paged by its key with a page that fits the window, and
 * the cursor on the page (see pane_schema_internal.h).
 *
 * The pager is asked for the key columns first and then the table's own
 * columns, so the key is always on the page (a rowid or ctid too, shown
 * as the first column) and the grid can keep it in view.  A relation
 * without a key (a view) is paged by its columns (those PostgreSQL can
 * sort): rows that are equal in every column then show once, and since a
 * row-value comparison with NULL is not true, a NULL in the last row of a
 * page hides the following rows that share the columns before it. */
#include "pane_schema_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char **sch_strv_copy(int n, char *const *v)
{
    char **out = xcalloc((size_t)n + 1, sizeof *out);
    for (int i = 0; i < n; i++)
        out[i] = xstrdup(v[i]);
    return out;
}

void sch_strv_free(int n, char **v)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void sch_rows_set_error(SchRows *r, const char *msg)
{
    free(r->error);
    r->error = msg ? xstrdup(msg) : NULL;
}

void sch_rows_close(SchRows *r)
{
    rows_close(r->pager);
    free(r->schema);
    free(r->table);
    sch_strv_free(r->nkey, r->key);
    free(r->anchor);
    free(r->error);
    *r = (SchRows){ .grid_y = -1 };
}

bool sch_rows_on(const SchRows *r, const CatTable *t)
{
    return t && r->table && strcmp(r->table, t->name) == 0 && strcmp(r->schema, t->schema) == 0;
}

const CatTable *sch_rows_table(const SchemaPane *sp)
{
    if (!sp->cat || !sp->rows.table)
        return NULL;
    return catalog_find(sp->cat, sp->rows.schema, sp->rows.table);
}

int sch_page_col(const RowsPage *pg, const char *name)
{
    for (int i = 0; i < pg->ncols; i++)
        if (strcmp(pg->names[i], name) == 0)
            return i;
    return -1;
}

/* ---- opening -------------------------------------------------------------- */

/* Types PostgreSQL cannot sort (no btree operator class). */
static bool orderable(DbEngine e, const char *type)
{
    static const char *const no[] = { "json", "xml", "point", "line", "lseg", "box", "path",
                                      "polygon", "circle" };
    if (e != DB_ENGINE_POSTGRES)
        return true;
    size_t n = strcspn(type, "[");
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strlen(no[i]) == n && strncmp(type, no[i], n) == 0)
            return false;
    return true;
}

/* The key of a relation rows_find_key() has none for: its columns. */
static int key_by_columns(SchemaPane *sp, SchRows *r, const CatTable *t, char **msg)
{
    r->key = xcalloc(t->ncolumns + 1, sizeof *r->key);
    for (size_t i = 0; i < t->ncolumns; i++)
        if (orderable(sp->cat->engine, t->columns[i].type))
            r->key[r->nkey++] = xstrdup(t->columns[i].name);
    if (r->nkey == 0) {
        *msg = xasprintf("rows of %s: it has no key and none of its columns can be sorted, "
                         "so its rows cannot be paged; D shows its definition", t->name);
        return -1;
    }
    r->by_columns = true;
    r->nfrozen = 0;
    return 0;
}

int sch_rows_open_on(SchemaPane *sp, SchRows *r, const CatTable *t, int page_size, char **msg)
{
    DbConn *c = sp->base.ctx->conn;
    RowsKey k = { 0 };
    DbError e = DB_ERROR_INIT;
    const char **cols = NULL;
    int ncols = 0, rc = -1;
    *msg = NULL;
    r->schema = xstrdup(t->schema);
    r->table = xstrdup(t->name);
    if (rows_find_key(c, t->schema, t->name, &k, &e) == 0) {
        r->kind = k.kind;
        r->nkey = r->nfrozen = k.ncols;
        r->key = sch_strv_copy(k.ncols, k.cols);
    } else if (e.kind == DB_ERR_USAGE && t->kind != CAT_KIND_TABLE && t->ncolumns > 0) {
        if (key_by_columns(sp, r, t, msg) != 0)
            goto fail;
    } else {
        *msg = xstrdup(e.message ? e.message : "cannot find the key");
        goto fail;
    }
    /* the key first (when it is one), then the table's columns */
    cols = xcalloc((size_t)r->nkey + t->ncolumns + 1, sizeof *cols);
    for (int i = 0; !r->by_columns && i < r->nkey; i++)
        cols[ncols++] = r->key[i];
    for (size_t i = 0; i < t->ncolumns; i++) {
        bool dup = false;
        for (int j = 0; !r->by_columns && j < r->nkey; j++)
            dup |= strcmp(r->key[j], t->columns[i].name) == 0;
        if (!dup)
            cols[ncols++] = t->columns[i].name;
    }
    RowsSpec spec = { t->schema, t->name, r->nkey, (const char *const *)r->key, ncols, cols,
                      page_size };
    if (rows_open(&r->pager, c, &spec, &e) != 0) {
        *msg = xstrdup(e.message);
        goto fail;
    }
    r->page_size = page_size;
    r->hscroll = r->nfrozen;
    r->to_end = -1;
    rc = 0;
fail:
    free(cols);
    rows_key_free(&k);
    db_error_clear(&e);
    return rc;
}

/* ---- fetching ------------------------------------------------------------- */

typedef int (*FetchFn)(RowsPager *p, DbError *err);

static bool fetch(SchemaPane *sp, FetchFn fn)
{
    DbError e = DB_ERROR_INIT;
    if (fn(sp->rows.pager, &e) != 0) {
        sch_rows_set_error(&sp->rows, e.message);
        pane_say(&sp->base, true, "%s", e.message);
        db_error_clear(&e);
        return false;
    }
    sch_rows_set_error(&sp->rows, NULL);
    return true;
}

void sch_rows_clamp(SchRows *r)
{
    const RowsPage *pg = rows_page(r->pager);
    if (r->row >= pg->nrows)
        r->row = pg->nrows ? pg->nrows - 1 : 0;
    if (r->col >= pg->ncols)
        r->col = pg->ncols ? pg->ncols - 1 : 0;
    if (r->col < 0)
        r->col = 0;
}

void sch_rows_note_ends(SchRows *r)
{
    const RowsPage *pg = rows_page(r->pager);
    if (!pg->more_before)
        r->from_start = 1;
    if (!pg->more_after)
        r->to_end = 0;
}

void sch_rows_first(SchemaPane *sp)
{
    SchRows *r = &sp->rows;
    if (!fetch(sp, rows_first))
        return;
    r->from_start = 1;
    r->to_end = -1;
    r->row = 0;
    free(r->anchor);
    r->anchor = NULL;
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

static void last_page(SchemaPane *sp)
{
    SchRows *r = &sp->rows;
    if (!fetch(sp, rows_last))
        return;
    r->from_start = 0;
    r->to_end = 0;
    free(r->anchor);
    r->anchor = NULL;
    const RowsPage *pg = rows_page(r->pager);
    r->row = pg->nrows ? pg->nrows - 1 : 0;
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

static void next_page(SchemaPane *sp, bool to_top)
{
    SchRows *r = &sp->rows;
    const RowsPage *pg = rows_page(r->pager);
    if (!pg->more_after) {
        pane_say(&sp->base, false, "This is the last page.");
        r->row = pg->nrows ? pg->nrows - 1 : 0;
        return;
    }
    size_t before = pg->nrows;
    if (!fetch(sp, rows_next))
        return;
    free(r->anchor);
    r->anchor = NULL;
    pg = rows_page(r->pager);
    r->from_start = r->from_start > 0 ? r->from_start + (long long)before : 0;
    r->to_end = r->to_end > 0 ? r->to_end - (long long)pg->nrows : -1;
    if (to_top)
        r->row = 0;
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

static void prev_page(SchemaPane *sp, bool to_bottom)
{
    SchRows *r = &sp->rows;
    const RowsPage *pg = rows_page(r->pager);
    if (!pg->more_before) {
        pane_say(&sp->base, false, "This is the first page.");
        r->row = 0;
        return;
    }
    size_t before = pg->nrows;
    if (!fetch(sp, rows_prev))
        return;
    free(r->anchor);
    r->anchor = NULL;
    pg = rows_page(r->pager);
    r->to_end = r->to_end >= 0 ? r->to_end + (long long)before : -1;
    r->from_start = r->from_start > (long long)pg->nrows ? r->from_start - (long long)pg->nrows
                                                         : 0;
    if (to_bottom)
        r->row = pg->nrows ? pg->nrows - 1 : 0;
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

void sch_rows_show(SchemaPane *sp, const CatTable *t)
{
    if (sch_rows_on(&sp->rows, t))
        return;
    sch_rows_close(&sp->rows);
    char *msg = NULL;
    if (sch_rows_open_on(sp, &sp->rows, t, sch_rows_page_fit(sp), &msg) != 0) {
        rows_close(sp->rows.pager);
        sp->rows.pager = NULL;
        sch_rows_set_error(&sp->rows, msg);
        free(msg);
        return;
    }
    sch_rows_first(sp);
}

bool sch_rows_action(SchemaPane *sp, KeyAction a)
{
    SchRows *r = &sp->rows;
    if (!r->pager)
        return a != ACT_LEFT;   /* Left still goes back to the list */
    const RowsPage *pg = rows_page(r->pager);
    switch (a) {
    case ACT_UP:
        if (r->row > 0)
            r->row--;
        else
            prev_page(sp, true);
        break;
    case ACT_DOWN:
        if (r->row + 1 < pg->nrows)
            r->row++;
        else
            next_page(sp, true);
        break;
    case ACT_PAGE_UP: prev_page(sp, false); break;
    case ACT_PAGE_DOWN: next_page(sp, false); break;
    case ACT_TOP: sch_rows_first(sp); break;
    case ACT_BOTTOM: last_page(sp); break;
    case ACT_LEFT:
        if (r->col > 0)
            r->col--;
        break;
    case ACT_RIGHT:
        if (r->col + 1 < pg->ncols)
            r->col++;
        break;
    case ACT_LINE_START:
        r->col = 0;
        r->hscroll = r->nfrozen;
        break;
    case ACT_LINE_END:
        r->col = pg->ncols ? pg->ncols - 1 : 0;
        break;
    default:
        return false;
    }
    sch_rows_clamp(r);
    return true;
}
