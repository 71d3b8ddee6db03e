/* pane_schema_rows.c: the Rows tab's model: a pager (core/rows.h) on the
 * selected table, paged by its key with a page that fits the window, the
 * cursor on the page, and where the page is (which rows, of how many).
 *
 * The pager is asked for the key columns first and then the table's own
 * columns, so the key is always on the page (a rowid or ctid too, shown
 * as the first column) and the grid can keep it in view.  A relation
 * without a key (a view) is paged by all its columns with its duplicates
 * numbered (ROWS_KEY_COLUMNS): every row shows once.
 *
 * Where the page is: the first page is row 1; paging adds and takes away
 * the rows paged over; the total is counted when the pager opens, reading
 * at most SCH_COUNT_CAP rows, else it is the catalog's (estimated or
 * exact, as the catalog says).  The last page, a jump and a seek that lost
 * its row count the rows before the page the same way; when there are more
 * than the cap, the last page's place is estimated from the total, and a
 * jump's is only known to be past the cap.  A failed fetch leaves the old
 * page in the pager, but the tab shows the error, never that page. */
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
    free(r->widths);
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
    r->cat_rows = t->rows;
    r->cat_exact = t->rows_exact;
    r->total = -1;
    if (rows_find_key(c, t->schema, t->name, &k, &e) != 0) {
        *msg = xstrdup(e.message ? e.message : "cannot find the key");
        goto fail;
    }
    r->kind = k.kind;
    r->nkey = k.ncols;
    r->key = sch_strv_copy(k.ncols, k.cols);
    bool key_cols = k.kind != ROWS_KEY_COLUMNS; /* else: every column is the key */
    r->nfrozen = key_cols ? k.ncols : 0;
    /* the key first, then the table's columns (without a key: the
     * relation's own columns, which the pager shows itself) */
    cols = xcalloc((size_t)r->nkey + t->ncolumns + 1, sizeof *cols);
    for (int i = 0; key_cols && i < r->nkey; i++)
        cols[ncols++] = r->key[i];
    for (size_t i = 0; key_cols && i < t->ncolumns; i++) {
        bool dup = false;
        for (int j = 0; j < r->nkey; j++)
            dup |= strcmp(r->key[j], t->columns[i].name) == 0;
        if (!dup)
            cols[ncols++] = t->columns[i].name;
    }
    RowsSpec spec = { t->schema, t->name, r->nkey, (const char *const *)r->key, ncols, cols,
                      page_size, k.kind, k.by_text };
    if (rows_open(&r->pager, c, &spec, &e) != 0) {
        *msg = xstrdup(e.message);
        goto fail;
    }
    r->page_size = page_size;
    r->hscroll = r->nfrozen;
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

bool sch_rows_ready(const SchRows *r)
{
    return r->pager && !r->error;
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

/* ---- where the page is -------------------------------------------------------- */

void sch_rows_count_total(SchRows *r)
{
    long long n = 0;
    DbError e = DB_ERROR_INIT;
    int rc = rows_count(r->pager, SCH_COUNT_CAP, &n, &e);
    db_error_clear(&e);
    if (rc == 0 && n < SCH_COUNT_CAP) {
        r->total = n;
        r->total_how = SCH_EXACT;
    } else if (r->cat_rows >= 0 && (rc != 0 || r->cat_rows >= SCH_COUNT_CAP)) {
        r->total = r->cat_rows;
        r->total_how = r->cat_exact ? SCH_EXACT : SCH_ABOUT;
    } else if (rc == 0) {   /* the catalog's number is behind the table */
        r->total = SCH_COUNT_CAP;
        r->total_how = SCH_PAST;
    } else {
        r->total = -1;
    }
}

void sch_rows_note_ends(SchRows *r)
{
    const RowsPage *pg = rows_page(r->pager);
    long long n = (long long)pg->nrows;
    if (!pg->more_before) {
        r->first = 1;
        r->first_how = SCH_EXACT;
    }
    if (r->first <= 0)
        return;
    long long last = r->first + (n ? n : 1) - 1;
    if (!pg->more_after && r->first_how == SCH_EXACT) {
        r->total = n ? last : r->first - 1;
        r->total_how = SCH_EXACT;
    } else if (r->total >= 0 && r->total < last + (pg->more_after ? 1 : 0)) {
        r->total = last + (pg->more_after ? 1 : 0);   /* at least that */
        r->total_how = SCH_PAST;
    }
}

void sch_rows_locate(SchRows *r)
{
    if (r->total < 0)
        sch_rows_count_total(r);
    long long before = 0;
    DbError e = DB_ERROR_INIT;
    if (rows_count_before(r->pager, SCH_COUNT_CAP, &before, &e) != 0) {
        r->first = 0;   /* unknown */
    } else if (before < SCH_COUNT_CAP) {
        r->first = before + 1;
        r->first_how = SCH_EXACT;
    } else {
        r->first = SCH_COUNT_CAP + 1;
        r->first_how = SCH_PAST;
    }
    db_error_clear(&e);
    sch_rows_note_ends(r);
}

/* ---- paging ------------------------------------------------------------------ */

static void clear_anchor(SchRows *r)
{
    free(r->anchor);
    r->anchor = NULL;
}

void sch_rows_first(SchemaPane *sp)
{
    SchRows *r = &sp->rows;
    if (!fetch(sp, rows_first))
        return;
    r->first = 1;
    r->first_how = SCH_EXACT;
    r->row = 0;
    clear_anchor(r);
    if (r->total < 0 || r->total_how != SCH_EXACT)
        sch_rows_count_total(r);
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

static void last_page(SchemaPane *sp)
{
    SchRows *r = &sp->rows;
    if (!fetch(sp, rows_last))
        return;
    clear_anchor(r);
    const RowsPage *pg = rows_page(r->pager);
    long long n = (long long)pg->nrows;
    r->row = n ? (size_t)n - 1 : 0;
    if (r->total_how == SCH_EXACT && r->total >= n) {
        r->first = r->total - n + 1;
        r->first_how = SCH_EXACT;
    } else {
        sch_rows_locate(r);
        if (r->first_how == SCH_PAST && r->total_how == SCH_ABOUT && r->total - n + 1 > r->first) {
            r->first = r->total - n + 1;   /* the estimate says where */
            r->first_how = SCH_ABOUT;
        }
    }
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

static void next_page(SchemaPane *sp, bool to_top)
{
    SchRows *r = &sp->rows;
    const RowsPage *pg = rows_page(r->pager);
    if (!r->error && !pg->more_after) {
        pane_say(&sp->base, false, "This is the last page.");
        r->row = pg->nrows ? pg->nrows - 1 : 0;
        return;
    }
    size_t before = pg->nrows;   /* a failed fetch left page and place as they were */
    if (!fetch(sp, rows_next))
        return;
    clear_anchor(r);
    if (r->first > 0)
        r->first += (long long)before;
    if (to_top)
        r->row = 0;
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

static void prev_page(SchemaPane *sp, bool to_bottom)
{
    SchRows *r = &sp->rows;
    const RowsPage *pg = rows_page(r->pager);
    if (!r->error && !pg->more_before) {
        pane_say(&sp->base, false, "This is the first page.");
        r->row = 0;
        return;
    }
    if (!fetch(sp, rows_prev))
        return;
    clear_anchor(r);
    pg = rows_page(r->pager);
    if (r->first > 0)
        r->first -= (long long)pg->nrows;
    if (to_bottom)
        r->row = pg->nrows ? pg->nrows - 1 : 0;
    /* a lower bound that fell under the cap, or an estimate gone wrong */
    if ((pg->more_before && r->first <= 1) ||
        (r->first_how == SCH_PAST && r->first - 1 < SCH_COUNT_CAP))
        sch_rows_locate(r);
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
        if (r->row > 0 && !r->error)
            r->row--;
        else
            prev_page(sp, true);
        break;
    case ACT_DOWN:
        if (r->row + 1 < pg->nrows && !r->error)
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
