/* pane_integrity_rows.c: the detail of one check in the Integrity pane:
 * what was found, why it matters and the SQL that finds or fixes it (a
 * TextView), and for an orphan check its offending rows, paged by the
 * child's key: the first page (INT_ROWS_PAGE rows) read by a PaneTask on a
 * connection of its own through core/integrity_rows.h, into a GridList;
 * when the selection reaches the last row read, the next page (the rows
 * after that row's key: integrity_rows_seek) is read by another PaneTask
 * and appended, the selection kept.  The line over the rows says which
 * rows of how many.  The columns of the key are marked with the table
 * they miss.  v moves the keys between the text and the rows; Esc stops
 * a page being read, else goes back (see pane_integrity_internal.h). */
#include "pane_integrity_internal.h"
#include "escape.h"
#include "strbuf.h"
#include "strv.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool has_rows(const IntegrityCheck *ck)
{
    return ck->group == IG_ORPHANS || ck->group == IG_INFERRED;
}

static void rows_free(void *arg)
{
    IntRows *r = arg;
    if (!r)
        return;
    integrity_check_clear(&r->ck);
    for (int c = 0; c < r->ncols; c++)
        free(r->names[c]);
    free(r->names);
    free(r->is_key);
    for (size_t i = 0; i < r->nrows * (size_t)r->ncols; i++)
        free(r->cells[i]);
    free(r->cells);
    strv_free(r->after);
    free(r);
}

/* Copies the page into r (the cursor's page lives only until it closes). */
static void copy_page(IntRows *r, const IntegrityRowsPage *p)
{
    r->ncols = p->ncols;
    r->names = xcalloc((size_t)(p->ncols ? p->ncols : 1), sizeof *r->names);
    r->is_key = xcalloc((size_t)(p->ncols ? p->ncols : 1), sizeof *r->is_key);
    for (int c = 0; c < p->ncols; c++) {
        r->is_key[c] = p->is_key[c];
        r->names[c] = p->is_key[c] && r->ck.ref_table
            ? xasprintf("%s → %s", p->names[c], r->ck.ref_table) : xstrdup(p->names[c]);
    }
    r->nrows = p->nrows;
    r->more = p->more;
    r->cells = xcalloc(p->nrows * (size_t)p->ncols + 1, sizeof *r->cells);
    for (size_t i = 0; i < p->nrows; i++)
        for (int c = 0; c < p->ncols; c++) {
            const RowsCell *cell = integrity_rows_cell(p, i, c);
            r->cells[i * (size_t)p->ncols + (size_t)c] = cell->null ? NULL
                                                                    : xstrdup(cell->text);
        }
}

/* JobFn: a page of the check's orphans: the first, or the one after the
 * key r->after (then replaced by the new page's last key). */
static int read_rows(Job *job, DbConn *c, void *arg, char **summary, DbError *err)
{
    (void)job;
    IntRows *r = arg;
    IntegrityRowsCursor *cur = NULL;
    const IntegrityRowsPage *page = NULL;
    if (integrity_rows_open(&cur, c, &r->ck, INT_ROWS_PAGE, err) != 0 ||
        (r->after && integrity_rows_seek(cur, (const char *const *)r->after, err) != 0) ||
        integrity_rows_next(cur, &page, err) != 0)
        goto fail;
    copy_page(r, page);
    strv_free(r->after);
    r->after = integrity_rows_position(cur);
    integrity_rows_close(cur);
    *summary = xasprintf("%zu row%s", r->nrows, r->nrows == 1 ? "" : "s");
    return 0;
fail:
    integrity_rows_close(cur);
    return -1;
}

static const char *grid_cell(void *ctx, size_t row, int col)
{
    const IntRows *r = ctx;
    return r->cells[row * (size_t)r->ncols + (size_t)col];
}

void int_detail_init(IntPane *ip)
{
    tv_init(&ip->text, &ip->base, true);
    ip->rows_err = (DbError)DB_ERROR_INIT;
}

static void drop_rows(IntPane *ip)
{
    task_free(&ip->more_task);
    ip->more_failed = false;
    task_free(&ip->rows_task);   /* cancels a read that goes on; frees its rows */
    ip->rows = NULL;
    gridlist_free(&ip->grid);
    db_error_clear(&ip->rows_err);
}

/* The text: what was found, the acceptance, why it matters, the SQL. */
static char *detail_text(const IntPane *ip, const IntegrityCheck *ck)
{
    StrBuf b = STRBUF_INIT;
    char *found = int_found_text(ck);
    if (ck->state != IS_ERROR)   /* an error's text says "error: " itself */
        sb_appendf(&b, "%s: ", integrity_state_name(ck->state));
    esc_append_str(&b, found, 0);
    sb_append(&b, "\n");
    if (ck->message && ck->state != IS_ERROR && strcmp(ck->message, found) != 0) {
        esc_append_str(&b, ck->message, 0);
        sb_append(&b, "\n");
    }
    free(found);
    if (ck->accepted) {
        sb_appendf(&b, "Accepted at a count of %lld by ", ck->accepted_count);
        esc_append_str(&b, ck->accepted_by ? ck->accepted_by : "?", 0);
        sb_append(&b, " on ");
        esc_append_str(&b, ck->accepted_at ? ck->accepted_at : "?", 0);
        sb_append(&b, ": ");
        esc_append_str(&b, ck->accepted_reason, 0);
        sb_append(&b, "\n");
    }
    sb_append(&b, "Id: ");
    esc_append_str(&b, ck->id, 0);
    sb_append(&b, "\n\nWhy it matters: ");
    if (ck->why)
        sb_appendf(&b, "%s\n", ck->why);
    else if (ck->group == IG_INFERRED)
        sb_append(&b, "no constraint declares this relationship, so nothing stops rows that "
                  "point at a missing parent; joins silently drop them. M writes the migration "
                  "that declares it.\n");
    else if (ck->group == IG_ORPHANS)
        sb_append(&b, "rows that point at a parent that does not exist: joins silently drop "
                  "them, and the key cannot be enforced or validated while they remain. "
                  "d deletes them, s sets their key to NULL (asks first, shows the SQL).\n");
    else
        sb_append(&b, "the engine's own check of the database file.\n");
    if (has_rows(ck) && ck->table) {
        char *q = integrity_qualified(ip->base.ctx->conn, ck->schema, ck->table);
        char *cond = integrity_orphan_condition(ip->base.ctx->conn, ck, "o");
        /* each line escaped: a name with a newline shows it as \n */
        sb_append(&b, "\nThe SQL that finds them:\nSELECT o.* FROM ");
        esc_append_str(&b, q, 0);
        sb_append(&b, " o\nWHERE ");
        esc_append_str(&b, cond, 0);
        sb_append(&b, ";\n");
        free(q);
        free(cond);
    }
    if (ck->fix_sql) {
        sb_append(&b, "\nThe SQL that fixes it:\n");
        esc_append_str(&b, ck->fix_sql, 0);
        sb_append(&b, "\n");
    }
    return sb_take(&b);
}

static void start_rows(IntPane *ip, const IntegrityCheck *ck)
{
    const PaneContext *ctx = ip->base.ctx;
    IntRows *r = xcalloc(1, sizeof *r);
    r->session = ctx->session;
    integrity_check_copy(&r->ck, ck);
    DbError err = DB_ERROR_INIT;
    if (!task_start(&ip->rows_task, ctx->session, "orphan rows", read_rows, r, rows_free, &err))
        ip->rows_err = err;
}

void int_detail_open(IntPane *ip)
{
    const IntegrityCheck *ck = int_selected(ip);
    if (!ck)
        return;
    int_detail_close(ip);
    integrity_check_copy(&ip->detail, ck);
    ip->have_detail = true;
    char *t = detail_text(ip, ck);
    tv_set_text(&ip->text, t);
    free(t);
    ip->focus_rows = has_rows(ck);
    if (has_rows(ck) && ck->count != 0 && ck->state != IS_ERROR)
        start_rows(ip, ck);
    ip->view = IVIEW_DETAIL;
}

void int_detail_close(IntPane *ip)
{
    drop_rows(ip);
    if (ip->have_detail)
        integrity_check_clear(&ip->detail);
    ip->have_detail = false;
    ip->view = IVIEW_LIST;
}

/* The next page's rows moved to the end of ip->rows; the selection stays. */
static void append_page(IntPane *ip, IntRows *next)
{
    IntRows *r = ip->rows;
    if (next->nrows && next->ncols != r->ncols) {
        pane_say(&ip->base, true, "The orphan rows of %s have other columns now: Esc, then "
                 "Enter reads them again.", r->ck.id);
        ip->more_failed = true;
        return;
    }
    size_t n = (size_t)r->ncols;
    r->cells = xrealloc(r->cells, ((r->nrows + next->nrows) * n + 1) * sizeof *r->cells);
    memcpy(r->cells + r->nrows * n, next->cells, next->nrows * n * sizeof *r->cells);
    r->nrows += next->nrows;
    next->nrows = 0;   /* its cells are r's now */
    r->more = next->more && next->after;
    strv_free(r->after);
    r->after = next->after;
    next->after = NULL;
    ip->grid.nrows = r->nrows;
    lm_rebuild(&ip->grid.lm, -1);
}

/* The next page after the last row's key, when the selection is on the
 * last row shown and more orphans come. */
void int_rows_more_check(IntPane *ip)
{
    size_t item;
    const ListMode *lm = &ip->grid.lm;
    if (!ip->rows || !ip->rows->more || !ip->rows->after || ip->more_failed ||
        task_running(&ip->more_task) || !lm->nrows || !lm_selected(lm, &item) ||
        item != lm->rows[lm->nrows - 1])
        return;
    IntRows *r = xcalloc(1, sizeof *r);
    r->session = ip->rows->session;
    integrity_check_copy(&r->ck, &ip->rows->ck);
    r->after = strv_dup((const char *const *)ip->rows->after);
    DbError err = DB_ERROR_INIT;
    if (!task_start(&ip->more_task, ip->base.ctx->session, "more orphan rows", read_rows, r,
                    rows_free, &err)) {
        pane_say(&ip->base, true, "Cannot read more orphan rows: %s", err.message);
        db_error_clear(&err);
        ip->more_failed = true;
    }
}

static bool more_poll(IntPane *ip)
{
    if (!task_poll(&ip->more_task))
        return task_running(&ip->more_task) &&
               task_moved(&ip->more_task);
    if (ip->more_task.outcome == JOB_CANCELLED) {
        pane_say(&ip->base, false, "Stopped reading the orphan rows; the last row reads on.");
        return true;
    }
    if (ip->more_task.outcome != JOB_OK) {
        pane_say(&ip->base, true, "Cannot read more orphan rows: %s",
                 ip->more_task.err.message ? ip->more_task.err.message : "it failed");
        ip->more_failed = true;
        return true;
    }
    if (ip->rows)
        append_page(ip, task_arg(&ip->more_task));
    int_rows_more_check(ip);   /* a filter that matched none of it: on to the next */
    return true;
}

bool int_rows_more_running(const IntPane *ip)
{
    return task_running(&ip->more_task);
}

void int_rows_more_stop(IntPane *ip)
{
    task_cancel(&ip->more_task);
}

bool int_rows_poll(IntPane *ip)
{
    if (more_poll(ip))
        return true;
    if (!task_poll(&ip->rows_task))
        return task_running(&ip->rows_task) &&
               task_moved(&ip->rows_task);
    if (ip->rows_task.outcome != JOB_OK) {
        ip->rows_err = ip->rows_task.err;
        ip->rows_task.err = (DbError)DB_ERROR_INIT;
        if (!ip->rows_err.message)
            db_error_set(&ip->rows_err, DB_ERR_SQL, "cannot read the rows");
        return true;
    }
    ip->rows = task_arg(&ip->rows_task);
    gridlist_set(&ip->grid, &ip->base, ip->rows->ncols, ip->rows->names, ip->rows->nrows,
                 grid_cell, ip->rows, "orphan rows");
    return true;
}

bool int_detail_key(IntPane *ip, int key)
{
    if (ip->focus_rows && ip->rows && lm_key(&ip->grid.lm, key) != LM_IGNORED) {
        int_rows_more_check(ip);
        return true;
    }
    if (!ip->focus_rows || !ip->rows)
        return tv_key(&ip->text, key);
    return false;
}

/* The line over the rows: how many, or that they are being read. */
static void rows_line(IntPane *ip, WINDOW *w, int y)
{
    const Palette *pal = ip->base.ctx->pal;
    if (task_running(&ip->rows_task) || task_running(&ip->more_task)) {
        task_draw(task_running(&ip->rows_task) ? &ip->rows_task : &ip->more_task, w, y, pal);
        return;
    }
    if (ip->rows_err.message) {
        pane_draw_error(w, &ip->base, y, 1, "Cannot read the orphan rows", ip->rows_err.message);
        return;
    }
    /* which rows are read, of how many (the check's count while more come) */
    const IntRows *r = ip->rows;
    char *t = !r || !r->nrows ? xstrdup("Orphan rows: none to show")
              : r->more && ip->detail.count > (long long)r->nrows
                  ? xasprintf("Orphan rows 1-%zu of %lld, by key; the last row reads the next %d",
                              r->nrows, ip->detail.count, INT_ROWS_PAGE)
              : r->more ? xasprintf("Orphan rows 1-%zu of more, by key; the last row reads the "
                                    "next %d", r->nrows, INT_ROWS_PAGE)
                        : xasprintf("Orphan rows 1-%zu of %zu, by key", r->nrows, r->nrows);
    pane_add(w, &ip->base, y, 0, ip->focus_rows ? SLOT_TITLE : SLOT_DIM, t);
    free(t);
}

void int_detail_draw(IntPane *ip, WINDOW *w, int y, int height)
{
    const Palette *pal = ip->base.ctx->pal;
    const IntegrityCheck *ck = &ip->detail;
    int width = getmaxx(w);
    bool rows = has_rows(ck);
    /* the rows get two thirds when there are some (or they are coming) */
    bool some = task_running(&ip->rows_task) || (ip->rows && ip->rows->nrows);
    int text_h = !rows ? height : some ? height / 3 + 1 : height - 1;
    if (rows && text_h < 5)
        text_h = 5;
    if (text_h > height)
        text_h = height;
    tv_draw(&ip->text, w, y, 0, text_h, width, ck->id, pal);
    if (!rows || height - text_h < 1)
        return;
    int ry = y + text_h;
    rows_line(ip, w, ry);
    if (ip->rows && lm_draw_filter(&ip->grid.lm, w, ry + 1, width, pal))
        ry++;
    if (ip->rows && ip->rows->nrows && y + height - ry - 1 > 1)
        lm_draw(&ip->grid.lm, w, ry + 1, y + height - ry - 1, pal);
}

void int_detail_free(IntPane *ip)
{
    int_detail_close(ip);
    tv_free(&ip->text);
}
