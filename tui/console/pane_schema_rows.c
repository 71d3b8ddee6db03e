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
 * page in the pager, but the tab shows the error, never that page.
 *
 * The database is read only by tasks (pane_schema_rowjob.c): the
 * functions marked "work" run on the worker thread and touch nothing but
 * the task and the rows it works on; the keys (console) prepare a task,
 * or only move the cursor on the page. */
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
    r->stopped = false;
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

/* ---- opening (work) -------------------------------------------------------- */

void sch_rows_set_stopped(SchRows *r)
{
    sch_rows_set_error(r, "stopped");
    r->stopped = true;
}

/* Keeps why the rows could not be read: stopped (Esc), or e's message. */
static void set_failure(SchTask *t, SchRows *r, const DbError *e, const char *why)
{
    if (sch_task_cut(t, e))
        sch_rows_set_stopped(r);
    else
        sch_rows_set_error(r, e->message ? e->message : why);
}

int sch_rows_open_on(SchTask *t, SchRows *r, const SchTableSpec *s, int page_size)
{
    RowsKey k = { 0 };
    DbError e = DB_ERROR_INIT;
    const char **cols = NULL;
    int ncols = 0, rc = -1;
    r->schema = xstrdup(s->schema);
    r->table = xstrdup(s->name);
    r->cat_rows = s->rows;
    r->cat_exact = s->rows_exact;
    r->total = -1;
    if (!t->conn) {
        sch_rows_set_error(r, t->no_conn);
        goto fail;
    }
    if (!sch_task_go(t)) {
        sch_rows_set_stopped(r);
        goto fail;
    }
    if (rows_find_key(t->conn, s->schema, s->name, &k, &e) != 0) {
        set_failure(t, r, &e, "cannot find the key");
        goto fail;
    }
    r->kind = k.kind;
    r->nkey = k.ncols;
    r->key = sch_strv_copy(k.ncols, k.cols);
    bool key_cols = k.kind != ROWS_KEY_COLUMNS; /* else: every column is the key */
    r->nfrozen = key_cols ? k.ncols : 0;
    /* the key first, then the table's columns (without a key: the
     * relation's own columns, which the pager shows itself) */
    cols = xcalloc((size_t)r->nkey + s->ncolumns + 1, sizeof *cols);
    for (int i = 0; key_cols && i < r->nkey; i++)
        cols[ncols++] = r->key[i];
    for (size_t i = 0; key_cols && i < s->ncolumns; i++) {
        bool dup = false;
        for (int j = 0; j < r->nkey; j++)
            dup |= strcmp(r->key[j], s->columns[i]) == 0;
        if (!dup)
            cols[ncols++] = s->columns[i];
    }
    RowsSpec spec = { s->schema, s->name, r->nkey, (const char *const *)r->key, ncols, cols,
                      page_size, k.kind, k.by_text };
    if (rows_open(&r->pager, t->conn, &spec, &e) != 0) {
        set_failure(t, r, &e, "cannot open the rows");
        goto fail;
    }
    r->page_size = page_size;
    r->hscroll = r->nfrozen;
    rc = 0;
fail:
    if (rc != 0) {
        rows_close(r->pager);
        r->pager = NULL;
    }
    free(cols);
    rows_key_free(&k);
    db_error_clear(&e);
    return rc;
}

/* ---- fetching (work) ---------------------------------------------------------- */

typedef int (*FetchFn)(RowsPager *p, DbError *err);

/* One fetch into t->r's pager; on failure the page stays and the error
 * (or the stop) is kept to be shown in its place. */
static bool fetch(SchTask *t, FetchFn fn)
{
    SchRows *r = t->r;
    DbError e = DB_ERROR_INIT;
    if (!sch_task_go(t)) {
        sch_rows_set_stopped(r);
        return false;
    }
    if (fn(r->pager, &e) != 0) {
        set_failure(t, r, &e, "cannot read the rows");
        if (!r->stopped)
            sch_task_say(t, true, "%s", r->error);
        db_error_clear(&e);
        return false;
    }
    sch_rows_set_error(r, NULL);
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

/* ---- where the page is (work) ---------------------------------------------------- */

/* A bounded count; false (the stop noted) when it failed. */
static bool count(SchTask *t, bool before, long long *n)
{
    SchRows *r = t->r;
    DbError e = DB_ERROR_INIT;
    if (!sch_task_go(t))
        return false;
    sch_task_doing(t, before ? "working out where the page is in %s" : "counting the rows of %s",
                   r->table);
    int rc = before ? rows_count_before(r->pager, SCH_COUNT_CAP, n, &e)
                    : rows_count(r->pager, SCH_COUNT_CAP, n, &e);
    if (rc != 0)
        sch_task_cut(t, &e);
    db_error_clear(&e);
    return rc == 0;
}

void sch_rows_count_total(SchTask *t)
{
    SchRows *r = t->r;
    long long n = 0;
    bool ok = count(t, false, &n);
    if (ok && n < SCH_COUNT_CAP) {
        r->total = n;
        r->total_how = SCH_EXACT;
    } else if (r->cat_rows >= 0 && (!ok || r->cat_rows >= SCH_COUNT_CAP)) {
        r->total = r->cat_rows;
        r->total_how = r->cat_exact ? SCH_EXACT : SCH_ABOUT;
    } else if (ok) {   /* the catalog's number is behind the table */
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

void sch_rows_locate(SchTask *t)
{
    SchRows *r = t->r;
    if (r->total < 0)
        sch_rows_count_total(t);
    long long before = 0;
    if (!count(t, true, &before)) {
        r->first = 0;   /* unknown */
    } else if (before < SCH_COUNT_CAP) {
        r->first = before + 1;
        r->first_how = SCH_EXACT;
    } else {
        r->first = SCH_COUNT_CAP + 1;
        r->first_how = SCH_PAST;
    }
    sch_rows_note_ends(r);
}

/* ---- paging (work) ------------------------------------------------------------- */

static void clear_anchor(SchRows *r)
{
    free(r->anchor);
    r->anchor = NULL;
}

void sch_rows_first(SchTask *t)
{
    SchRows *r = t->r;
    if (!fetch(t, rows_first))
        return;
    r->first = 1;
    r->first_how = SCH_EXACT;
    r->row = 0;
    clear_anchor(r);
    if (r->total < 0 || r->total_how != SCH_EXACT)
        sch_rows_count_total(t);
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

static void last_work(SchTask *t)
{
    SchRows *r = t->r;
    if (!fetch(t, rows_last))
        return;
    clear_anchor(r);
    const RowsPage *pg = rows_page(r->pager);
    long long n = (long long)pg->nrows;
    r->row = n ? (size_t)n - 1 : 0;
    if (r->total_how == SCH_EXACT && r->total >= n) {
        r->first = r->total - n + 1;
        r->first_how = SCH_EXACT;
    } else {
        sch_rows_locate(t);
        if (r->first_how == SCH_PAST && r->total_how == SCH_ABOUT && r->total - n + 1 > r->first) {
            r->first = r->total - n + 1;   /* the estimate says where */
            r->first_how = SCH_ABOUT;
        }
    }
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

static void next_work(SchTask *t)
{
    SchRows *r = t->r;
    size_t before = rows_page(r->pager)->nrows;   /* a failed fetch left page and
                                                     place as they were */
    if (!fetch(t, rows_next))
        return;
    clear_anchor(r);
    if (r->first > 0)
        r->first += (long long)before;
    if (t->edge)
        r->row = 0;
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

static void prev_work(SchTask *t)
{
    SchRows *r = t->r;
    if (!fetch(t, rows_prev))
        return;
    clear_anchor(r);
    const RowsPage *pg = rows_page(r->pager);
    if (r->first > 0)
        r->first -= (long long)pg->nrows;
    if (t->edge)
        r->row = pg->nrows ? pg->nrows - 1 : 0;
    /* a lower bound that fell under the cap, or an estimate gone wrong */
    if ((pg->more_before && r->first <= 1) ||
        (r->first_how == SCH_PAST && r->first - 1 < SCH_COUNT_CAP))
        sch_rows_locate(t);
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

/* SHOW: a new pager on the table, its first page, into t->rows. */
static void show_work(SchTask *t)
{
    t->r = &t->rows;
    if (sch_rows_open_on(t, t->r, &t->table, t->page_size) == 0)
        sch_rows_first(t);
}

void sch_rows_work(SchTask *t)
{
    switch (t->op) {
    case SCH_OP_SHOW: show_work(t); break;
    case SCH_OP_FIRST: sch_rows_first(t); break;
    case SCH_OP_LAST: last_work(t); break;
    case SCH_OP_NEXT: next_work(t); break;
    case SCH_OP_PREV: prev_work(t); break;
    default: break;
    }
}

void sch_rows_apply(SchemaPane *sp, SchTask *t)
{
    if (t->op != SCH_OP_SHOW)
        return;   /* the paging ops worked on sp->rows itself */
    sch_rows_close(&sp->rows);
    sp->rows = t->rows;
    t->rows = (SchRows){ .grid_y = -1 };
}

/* ---- the keys (console) ------------------------------------------------------- */

/* Runs a paging op on sp->rows (the console does not read them until it
 * has ended). */
static void page(SchemaPane *sp, SchOp op, bool edge, const char *what)
{
    SchRows *r = &sp->rows;
    SchTask *t = sch_task_new(op, r->schema, r->table, "reading %s of %s", what, r->table);
    t->edge = edge;
    t->r = r;
    sch_rowjob_run(sp, t);
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
    page(sp, SCH_OP_NEXT, to_top, "the next page");
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
    page(sp, SCH_OP_PREV, to_bottom, "the page before");
}

void sch_rows_show(SchemaPane *sp, const CatTable *t)
{
    if (sch_rows_on(&sp->rows, t) || sch_rowjob_on(sp, t))
        return;
    SchTask *task = sch_task_new(SCH_OP_SHOW, t->schema, t->name, "reading the rows of %s",
                                 t->name);
    sch_spec_set(&task->table, t);
    task->page_size = sch_rows_page_fit(sp);
    sch_rowjob_run(sp, task);
}

bool sch_rows_retry(SchemaPane *sp)
{
    SchRows *r = &sp->rows;
    const CatTable *t = sp->shown;
    if (sch_rowjob_busy(sp) || !t || !t->detailed || !sch_rows_on(r, t) || !r->error)
        return false;
    sch_rows_close(r);
    sch_rows_show(sp, t);
    return true;
}

/* Keys that read a page; on rows that could not be opened they read the
 * table again. */
static bool reads(KeyAction a)
{
    return a == ACT_UP || a == ACT_DOWN || a == ACT_PAGE_UP || a == ACT_PAGE_DOWN ||
           a == ACT_TOP || a == ACT_BOTTOM;
}

bool sch_rows_action(SchemaPane *sp, KeyAction a)
{
    SchRows *r = &sp->rows;
    if (!r->pager) {
        if (reads(a))
            sch_rows_retry(sp);
        return a != ACT_LEFT;   /* Left still goes back to the list */
    }
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
    case ACT_TOP: page(sp, SCH_OP_FIRST, false, "the first page"); break;
    case ACT_BOTTOM: page(sp, SCH_OP_LAST, false, "the last page"); break;
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
    if (!sch_rowjob_busy(sp))   /* (a page read in the background is not read here) */
        sch_rows_clamp(r);
    return true;
}
