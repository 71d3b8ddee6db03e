/* pane_schema_trail.c: places in the Schema pane and the trail between
 * them: a place (table, tab, focus, the rows' first key and cursor) is
 * saved before a foreign key is followed and restored by 'b', and kept
 * across a reload and a resize; following a foreign key from a cell to
 * the row it references (see pane_schema_internal.h). */
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

/* Reopens the pager at the row the step's page started with. */
static void restore_rows(SchemaPane *sp, const CatTable *t, const SchStep *s)
{
    SchRows *r = &sp->rows;
    sch_rows_close(r);
    char *msg = NULL;
    if (sch_rows_open_on(sp, r, t, sch_rows_page_fit(sp), &msg) != 0) {
        rows_close(r->pager);
        r->pager = NULL;
        sch_rows_set_error(r, msg);
        free(msg);
        return;
    }
    if (s->nwidths > 0) {
        r->widths = xcalloc((size_t)s->nwidths, sizeof *r->widths);
        memcpy(r->widths, s->widths, (size_t)s->nwidths * sizeof *r->widths);
        r->nwidths = s->nwidths;
    }
    if (!s->mark) {
        sch_rows_first(sp);
        return;
    }
    bool found = false, exact = false;
    DbError e = DB_ERROR_INIT;
    if (rows_seek(r->pager, s->mark, &found, &exact, &e) != 0) {
        sch_rows_set_error(r, e.message);
        db_error_clear(&e);
        return;
    }
    if (!found) {
        pane_say(&sp->base, false, "The rows the page showed are gone: back at the first page.");
        sch_rows_first(sp);
        return;
    }
    r->row = s->row;
    r->col = s->col;
    r->hscroll = s->hscroll;
    sch_rows_count_total(r);   /* afresh: a reload comes this way too */
    if (exact) {   /* the same first row */
        r->first = s->first;
        r->first_how = s->first_how;
    } else {
        pane_say(&sp->base, false, "The row the page started with is gone: the rows after it.");
        sch_rows_locate(r);
    }
    sch_rows_note_ends(r);
    sch_rows_clamp(r);
}

void sch_place_restore(SchemaPane *sp, const SchStep *s)
{
    if (!s->name || !sp->cat)
        return;
    const CatTable *t = catalog_find(sp->cat, s->schema, s->name);
    if (!t) {
        pane_say(&sp->base, true, "%s.%s is no longer in the database.", s->schema, s->name);
        return;
    }
    sch_list_select(sp, t);
    sch_detail_sync(sp);
    sp->tab = s->tab;
    sp->detail = s->detail;
    if (s->tab < SCH_LIST_TABS) {
        ListView *lv = &sp->tab_lv[s->tab];
        lv_set_count(lv, sch_tab_count(t, s->tab));
        lv->sel = lv->count && s->tab_sel < lv->count ? s->tab_sel : 0;
    }
    if (s->has_rows)
        restore_rows(sp, t, s);
}

void sch_rows_refit(SchemaPane *sp, int page_size)
{
    SchRows *r = &sp->rows;
    if (!r->pager || r->page_size == page_size || !sch_rows_on(r, sch_selected(sp))
        || sp->tab != SCH_TAB_ROWS)
        return;
    SchStep s;
    sch_place_save(sp, &s);
    sch_place_restore(sp, &s);
    sch_step_free(&s);
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
    sch_place_restore(sp, &s);
    sch_step_free(&s);
}

void sch_trail_free(SchemaPane *sp)
{
    for (size_t i = 0; i < sp->ntrail; i++)
        sch_step_free(&sp->trail[i]);
    free(sp->trail);
    sp->trail = NULL;
    sp->ntrail = 0;
}

/* ---- following a foreign key ------------------------------------------------- */

/* "users.id = 42", "t.(a, b) = (1, x)" */
static char *anchor_text(const CatTable *target, const CatConstraint *k, const char *const *vals)
{
    StrBuf b = STRBUF_INIT;
    size_t n = k->ncolumns;
    sb_appendf(&b, "%s.%s", target->name, n > 1 ? "(" : "");
    for (size_t i = 0; i < n; i++)
        sb_appendf(&b, "%s%s", i ? ", " : "", k->ref_columns[i]);
    sb_append(&b, n > 1 ? ") = (" : " = ");
    for (size_t i = 0; i < n; i++) {   /* at most about 40 bytes of each */
        size_t len = strlen(vals[i]), cut = len > 40 ? 40 : len;
        while (cut < len && cut > 0 && ((unsigned char)vals[i][cut] & 0xc0) == 0x80)
            cut--;
        sb_appendf(&b, "%s%.*s%s", i ? ", " : "", (int)cut, vals[i],
                   cut < len ? text_glyph(GLYPH_ELLIPSIS) : "");
    }
    if (n > 1)
        sb_append(&b, ")");
    return sb_take(&b);
}

/* The cursor row's values of k's columns into vals; false (and a message)
 * when one is missing or NULL. */
static bool fk_values(SchemaPane *sp, const RowsPage *pg, const CatConstraint *k,
                      const CatTable *target, const char **vals)
{
    for (size_t i = 0; i < k->ncolumns; i++) {
        int c = sch_page_col(pg, k->columns[i]);
        if (c < 0) {
            pane_say(&sp->base, true, "Column %s is not on the page.", k->columns[i]);
            return false;
        }
        const RowsCell *cell = rows_cell(pg, sp->rows.row, c);
        if (cell->null) {
            pane_say(&sp->base, false, "%s is NULL: this row references no %s row.", k->columns[i],
                    target->name);
            return false;
        }
        vals[i] = cell->text;
    }
    return true;
}

void sch_rows_follow(SchemaPane *sp)
{
    SchRows *r = &sp->rows;
    const CatTable *t = sch_rows_table(sp);
    if (!t || !r->pager)
        return;
    const RowsPage *pg = rows_page(r->pager);
    if (r->error || pg->nrows == 0) {
        pane_say(&sp->base, false, "No row here to follow a foreign key from.");
        return;
    }
    const char *colname = pg->names[r->col];
    const CatConstraint *k = sch_fk_of_column(t, colname);
    if (!k) {
        pane_say(&sp->base, false, "%s is not part of a foreign key (K lists the constraints).", colname);
        return;
    }
    const CatTable *target = catalog_fk_target(sp->cat, k);
    if (!target || k->nref_columns != k->ncolumns) {
        pane_say(&sp->base, true, "%s references %s, which is not in the catalog.",
                k->name ? k->name : colname, k->ref_table ? k->ref_table : "?");
        return;
    }
    const char **vals = xcalloc(k->ncolumns + 1, sizeof *vals);
    SchRows nr = { .grid_y = -1 };
    char *msg = NULL;
    if (!fk_values(sp, pg, k, target, vals))
        goto done;
    if (sch_rows_open_on(sp, &nr, target, sch_rows_page_fit(sp), &msg) != 0) {
        pane_say(&sp->base, true, "%s", msg);
        goto done;
    }
    bool found = false;
    DbError e = DB_ERROR_INIT;
    if (rows_jump(nr.pager, (int)k->ncolumns, (const char *const *)k->ref_columns, vals, &found,
                  &e) != 0) {
        pane_say(&sp->base, true, "%s", e.message);
        db_error_clear(&e);
        goto done;
    }
    char *anchor = anchor_text(target, k, vals);
    if (!found && target->rls_enabled) { /* a policy may hide the row from us */
        pane_say(&sp->base, true, "No %s row visible here has %s: row security may hide it, "
                 "or the reference is an orphan.", target->name, anchor);
        free(anchor);
        goto done;
    }
    if (!found) {
        pane_say(&sp->base, true, "No %s row has %s: the reference is an orphan.", target->name,
                anchor);
        free(anchor);
        goto done;
    }
    sch_trail_push(sp);
    sch_rows_close(r);
    *r = nr;
    nr = (SchRows){ .grid_y = -1 };
    r->anchor = anchor;
    sch_rows_locate(r);
    int c = sch_page_col(rows_page(r->pager), k->ref_columns[0]);
    r->col = c >= 0 ? c : 0;
    sch_list_select(sp, target);
    sch_detail_sync(sp);
    sp->tab = SCH_TAB_ROWS;
    sp->detail = true;
    pane_say(&sp->base, false, "Followed to %s (b: back)", anchor);
done:
    sch_rows_close(&nr);
    free(msg);
    free(vals);
}
