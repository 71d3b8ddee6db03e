/* pane_schema_trail.c: places in the Schema pane and the trail between
 * them: a place (table, tab, focus, the rows' first key and cursor) is
 * saved before a foreign key is followed and restored by 'b', and kept
 * across a reload and a resize.  The rows of a place are read again by a
 * task (SCH_OP_RESTORE, SCH_OP_BACK; see pane_schema_internal.h): 'b'
 * selects the place's table only once its rows have come, and stays
 * where it is (the step back on the trail) when they were stopped. */
#include "pane_schema_internal.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sch_step_free(SchStep *s)
{
    free(s->schema);
    free(s->name);
    rows_mark_free(s->mark);
    free(s->widths);
    memset(s, 0, sizeof *s);
}

void sch_place_save(SchemaPane *sp, SchStep *s)
{
    memset(s, 0, sizeof *s);
    const CatTable *t = sch_selected(sp);
    if (!t)
        return;
    s->schema = xstrdup(t->schema);
    s->name = xstrdup(t->name);
    s->tab = sp->tab;
    s->detail = sp->detail;
    s->tab_sel = sp->tab < SCH_LIST_TABS ? sp->tab_lv[sp->tab].sel : 0;
    SchRows *r = &sp->rows;
    if (sp->tab != SCH_TAB_ROWS || !sch_rows_on(r, t) || !r->pager)
        return;
    s->has_rows = true;
    s->row = r->row;
    s->col = r->col;
    s->hscroll = r->hscroll;
    s->first = r->first;
    s->first_how = r->first_how;
    s->page_size = r->page_size;
    if (r->nwidths > 0) {
        s->widths = xcalloc((size_t)r->nwidths, sizeof *s->widths);
        memcpy(s->widths, r->widths, (size_t)r->nwidths * sizeof *s->widths);
        s->nwidths = r->nwidths;
    }
    if (!r->error)   /* after a failure the pager's page is not where we are */
        s->mark = rows_mark(r->pager);
}

/* Work: reopens the pager at the row the step's page started with. */
static void restore_rows(SchTask *t)
{
    SchRows *r = &t->rows;
    const SchStep *s = &t->step;
    t->r = r;
    if (sch_rows_open_on(t, r, &t->table, t->page_size) != 0)
        return;
    if (s->nwidths > 0) {
        r->widths = xcalloc((size_t)s->nwidths, sizeof *r->widths);
        memcpy(r->widths, s->widths, (size_t)s->nwidths * sizeof *r->widths);
        r->nwidths = s->nwidths;
    }
    if (!s->mark) {
        sch_rows_first(t);
        return;
    }
    bool found = false, exact = false;
    DbError e = DB_ERROR_INIT;
    int rc = -1;
    if (sch_task_go(t))
        rc = rows_seek(r->pager, s->mark, &found, &exact, &e);
    if (rc != 0) {
        if (!t->was_stopped && !sch_task_cut(t, &e))
            sch_rows_set_error(r, e.message);
        else
            sch_rows_set_stopped(r);
        db_error_clear(&e);
        return;
    }
    if (!found) {
        sch_task_say(t, false, "The rows the page showed are gone: back at the first page.");
        sch_rows_first(t);
        return;
    }
    r->row = s->row;
    r->col = s->col;
    r->hscroll = s->hscroll;
    sch_rows_count_total(t);   /* afresh: a reload comes this way too */
    if (exact) {   /* the same first row */
        r->first = s->first;
        r->first_how = s->first_how;
    } else {
        sch_task_say(t, false, "The row the page started with is gone: the rows after it.");
        sch_rows_locate(t);
    }
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

void sch_place_work(SchTask *t)
{
    if (!sch_task_details(t)) {   /* (BACK to a table whose details had not come;
                                     the reason is said) */
        t->rows.schema = xstrdup(t->table.schema);
        t->rows.table = xstrdup(t->table.name);
        if (t->was_stopped)
            sch_rows_set_stopped(&t->rows);
        else if (t->op == SCH_OP_RESTORE)
            sch_rows_set_error(&t->rows, "its columns could not be read");
        return;
    }
    restore_rows(t);
}

/* The step's table selected, its tab and focus as they were. */
static void select_place(SchemaPane *sp, const CatTable *t, const SchStep *s)
{
    sch_list_select(sp, t);
    sch_detail_sync(sp);
    sp->tab = s->tab;
    sp->detail = s->detail;
    if (s->tab < SCH_LIST_TABS) {
        ListView *lv = &sp->tab_lv[s->tab];
        lv_set_count(lv, sch_tab_count(t, s->tab));
        lv->sel = lv->count && s->tab_sel < lv->count ? s->tab_sel : 0;
    }
}

/* Puts a step back on top of the trail (a 'b' that did not get there). */
static void trail_put_back(SchemaPane *sp, SchStep *s)
{
    sp->trail = xrealloc(sp->trail, (sp->ntrail + 1) * sizeof *sp->trail);
    sp->trail[sp->ntrail++] = *s;
    memset(s, 0, sizeof *s);
}

void sch_place_apply(SchemaPane *sp, SchTask *t)
{
    if (t->one) {
        sch_table_take(sp, t->table.schema, t->table.name, t->one);
        t->one = NULL;
    }
    if (t->op == SCH_OP_BACK) {
        const CatTable *ct = catalog_find(sp->cat, t->table.schema, t->table.name);
        if (!ct) {
            pane_say(&sp->base, true, "%s.%s is no longer in the database.", t->table.schema,
                     t->table.name);
            return;
        }
        if (t->rows.stopped || !t->rows.pager) {   /* not there: stay, b tries again */
            if (t->rows.stopped)
                pane_say(&sp->base, false, "Still here: b goes back.");
            else if (t->rows.error)
                pane_say(&sp->base, true, "Cannot go back to %s: %s", ct->name, t->rows.error);
            trail_put_back(sp, &t->step);
            return;
        }
        select_place(sp, ct, &t->step);
    }
    sch_rows_close(&sp->rows);
    sp->rows = t->rows;
    t->rows = (SchRows){ .grid_y = -1 };
}

/* A task that reopens the rows of t at place s (taken over). */
static SchTask *restore_task(SchemaPane *sp, SchOp op, const CatTable *t, SchStep *s)
{
    const CatTable *at = sch_selected(sp);
    if (op == SCH_OP_RESTORE || !at)
        at = t;
    SchTask *task = sch_task_new(op, at->schema, at->name, op == SCH_OP_BACK
                                 ? "going back to the rows of %s" : "reading the rows of %s again",
                                 t->name);
    sch_spec_set(&task->table, t);
    task->page_size = sch_rows_page_fit(sp);
    task->step = *s;
    memset(s, 0, sizeof *s);
    return task;
}

void sch_place_restore(SchemaPane *sp, SchStep *s)
{
    const CatTable *t = s->name && sp->cat ? catalog_find(sp->cat, s->schema, s->name) : NULL;
    if (s->name && sp->cat && !t)
        pane_say(&sp->base, true, "%s.%s is no longer in the database.", s->schema, s->name);
    if (!t) {
        sch_step_free(s);
        return;
    }
    select_place(sp, t, s);
    if (s->has_rows)
        sch_rowjob_run(sp, restore_task(sp, SCH_OP_RESTORE, t, s));
    sch_step_free(s);
}

void sch_rows_refit(SchemaPane *sp, int page_size)
{
    SchRows *r = &sp->rows;
    if (sch_rowjob_busy(sp) || !r->pager || r->page_size == page_size ||
        !sch_rows_on(r, sch_selected(sp)) || sp->tab != SCH_TAB_ROWS)
        return;
    SchStep s;
    sch_place_save(sp, &s);
    sch_place_restore(sp, &s);
}

void sch_trail_push(SchemaPane *sp)
{
    SchStep s;
    sch_place_save(sp, &s);
    if (!s.name)
        return;
    sp->trail = xrealloc(sp->trail, (sp->ntrail + 1) * sizeof *sp->trail);
    sp->trail[sp->ntrail++] = s;
}

void sch_trail_back(SchemaPane *sp)
{
    if (sp->ntrail == 0) {
        pane_say(&sp->base, false, "Nothing to go back to (f follows a foreign key).");
        return;
    }
    SchStep s = sp->trail[--sp->ntrail];
    const CatTable *t = catalog_find(sp->cat, s.schema, s.name);
    if (!t || !s.has_rows) {   /* gone, or a place in a list tab: no rows to read */
        if (t)
            sch_table_ensure(sp, t);   /* for its item to be selected */
        sch_place_restore(sp, &s);
        return;
    }
    sch_rowjob_run(sp, restore_task(sp, SCH_OP_BACK, t, &s));
}

void sch_trail_free(SchemaPane *sp)
{
    for (size_t i = 0; i < sp->ntrail; i++)
        sch_step_free(&sp->trail[i]);
    free(sp->trail);
    sp->trail = NULL;
    sp->ntrail = 0;
}
