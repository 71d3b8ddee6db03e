/* pane_schema_follow.c: 'f' in the Rows tab: from a cell of a foreign key
 * to the row it references, as a task (see pane_schema_internal.h).  The
 * console finds the foreign key and copies the cursor row's values; the
 * work reads the referenced table's details when they have not come,
 * opens a pager on it and jumps to the row; the apply pushes the place
 * onto the trail ('b' comes back) and shows the row.  A row that is not
 * there (an orphan, or one a row policy hides) is said, and the tab stays
 * where it was. */
#include "pane_schema_internal.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The foreign key of the cursor's column and the table it references;
 * false (said) when there is none to follow. */
static bool fk_here(SchemaPane *sp, const CatConstraint **k, const CatTable **target)
{
    SchRows *r = &sp->rows;
    const CatTable *t = sch_rows_table(sp);
    if (!t || !r->pager)
        return false;
    const RowsPage *pg = rows_page(r->pager);
    if (r->error || pg->nrows == 0) {
        pane_say(&sp->base, false, "No row here to follow a foreign key from.");
        return false;
    }
    const char *colname = pg->names[r->col];
    *k = sch_fk_of_column(t, colname);
    if (!*k) {
        pane_say(&sp->base, false, "%s is not part of a foreign key (K lists the constraints).",
                 colname);
        return false;
    }
    *target = catalog_fk_target(sp->cat, *k);
    if (!*target || (*k)->nref_columns != (*k)->ncolumns) {
        pane_say(&sp->base, true, "%s references %s, which is not in the catalog.",
                 (*k)->name ? (*k)->name : colname, (*k)->ref_table ? (*k)->ref_table : "?");
        return false;
    }
    return true;
}

void sch_rows_follow(SchemaPane *sp)
{
    const CatConstraint *k = NULL;
    const CatTable *target = NULL;
    if (!fk_here(sp, &k, &target))
        return;
    const char **vals = xcalloc(k->ncolumns + 1, sizeof *vals);
    if (!fk_values(sp, rows_page(sp->rows.pager), k, target, vals)) {
        free(vals);
        return;
    }
    char *anchor = anchor_text(target, k, vals);
    SchTask *t = sch_task_new(SCH_OP_FOLLOW, sp->rows.schema, sp->rows.table, "following %s",
                              anchor);
    sch_spec_set(&t->table, target);
    t->page_size = sch_rows_page_fit(sp);
    t->nfk = (int)k->ncolumns;
    t->ref_cols = sch_strv_copy(t->nfk, k->ref_columns);
    t->vals = sch_strv_copy(t->nfk, (char *const *)vals);
    t->anchor = anchor;
    free(vals);
    sch_rowjob_run(sp, t);
}

/* Work: is the referenced row there?  Said when it is not. */
static bool jump(SchTask *t)
{
    SchRows *r = &t->rows;
    DbError e = DB_ERROR_INIT;
    bool found = false;
    if (!sch_task_go(t))
        return false;
    sch_task_doing(t, "looking for %s", t->anchor);
    if (rows_jump(r->pager, t->nfk, (const char *const *)t->ref_cols,
                  (const char *const *)t->vals, &found, &e) != 0) {
        if (!sch_task_cut(t, &e))
            sch_task_say(t, true, "%s", e.message);
        db_error_clear(&e);
        return false;
    }
    if (!found && t->table.rls)   /* a policy may hide the row from us */
        sch_task_say(t, true, "No %s row visible here has %s: row security may hide it, "
                     "or the reference is an orphan.", t->table.name, t->anchor);
    else if (!found)
        sch_task_say(t, true, "No %s row has %s: the reference is an orphan.", t->table.name,
                     t->anchor);
    return found;
}

void sch_follow_work(SchTask *t)
{
    SchRows *r = &t->rows;
    t->r = r;
    if (!sch_task_details(t))
        return;
    if (sch_rows_open_on(t, r, &t->table, t->page_size) != 0) {
        if (!r->stopped)
            sch_task_say(t, true, "%s", r->error);
        return;
    }
    if (!jump(t))
        return;
    t->found = true;
    r->anchor = xstrdup(t->anchor);
    sch_rows_locate(t);
    int c = sch_page_col(rows_page(r->pager), t->ref_cols[0]);
    r->col = c >= 0 ? c : 0;
}

void sch_follow_apply(SchemaPane *sp, SchTask *t)
{
    if (t->one) {
        sch_table_take(sp, t->table.schema, t->table.name, t->one);
        t->one = NULL;
    }
    const CatTable *target = catalog_find(sp->cat, t->table.schema, t->table.name);
    if (!t->found || !target)
        return;   /* said by the work; the tab stays where it was */
    sch_trail_push(sp);
    sch_rows_close(&sp->rows);
    sp->rows = t->rows;
    t->rows = (SchRows){ .grid_y = -1 };
    sch_list_select(sp, target);
    sch_detail_sync(sp);
    sp->tab = SCH_TAB_ROWS;
    sp->detail = true;
    pane_say(&sp->base, false, "Followed to %s (b: back)", t->anchor);
}
