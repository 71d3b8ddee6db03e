/* pane_schema_detail.c: the selected table's side of the Schema pane: its
 * header line, the tab bar, and the Columns, Constraints, Indexes and DDL
 * tabs, all drawn from the catalog; the Rows tab is pane_schema_grid.c
 * (see pane_schema_internal.h). */
#include "format.h"
#include "pane_schema_internal.h"
#include "strbuf.h"
#include "table.h"
#include "text.h"
#include "xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const tab_names[SCH_TAB_COUNT] = { "Columns", "Constraints", "Indexes",
                                                      "DDL", "Rows" };
static const char *const tab_short[SCH_TAB_COUNT] = { "Cols", "Cons", "Idx", "DDL", "Rows" };
static const char tab_keys[SCH_TAB_COUNT] = { 'C', 'K', 'I', 'D', 'R' };

size_t sch_tab_count(const CatTable *t, SchTab tab)
{
    switch (tab) {
    case SCH_TAB_COLUMNS: return t->ncolumns;
    case SCH_TAB_CONSTRAINTS: return t->nconstraints;
    case SCH_TAB_INDEXES: return t->nindexes;
    default: return 0;
    }
}

static ThemeSlot ddl_style(void *ctx, size_t i, const char *line);

void sch_detail_sync(SchemaPane *sp)
{
    const CatTable *t = sch_selected(sp);
    if (t == sp->shown)
        return;
    sp->shown = t;
    for (int i = 0; i < SCH_LIST_TABS; i++) {
        sp->tab_lv[i] = (ListView){ 0 };
        lv_set_count(&sp->tab_lv[i], t ? sch_tab_count(t, (SchTab)i) : 0);
    }
    tv_set_text(&sp->ddl, NULL);
    sp->ddl_built = false;
}

void sch_detail_init(SchemaPane *sp)
{
    tv_init(&sp->ddl, &sp->base, true);
    sp->ddl.hang = 2;
    sp->ddl.style = ddl_style;
}

/* ---- the tables of the list tabs ------------------------------------------- */

enum { CC_PK, CC_NAME, CC_TYPE, CC_NULL, CC_DEFAULT, CC_REF };
static const TableColumn column_cols[] = {
    [CC_PK] = { "PK", 3, 0, ALIGN_LEFT, false, 0 },
    [CC_NAME] = { "NAME", 32, 0, ALIGN_LEFT, false, 0 },
    [CC_TYPE] = { "TYPE", 28, 0, ALIGN_LEFT, false, 0 },
    [CC_NULL] = { "NULL", 8, 0, ALIGN_LEFT, false, 0 },
    [CC_DEFAULT] = { "DEFAULT", 0, 12, ALIGN_LEFT, true, 0 },
    [CC_REF] = { "REFERENCES", 32, 0, ALIGN_LEFT, false, 1 },
};

enum { KC_NAME, KC_TYPE, KC_COLUMNS, KC_DEF, KC_VALID };
static const TableColumn con_cols[] = {
    [KC_NAME] = { "NAME", 28, 0, ALIGN_LEFT, false, 0 },
    [KC_TYPE] = { "TYPE", 0, 0, ALIGN_LEFT, false, 0 },
    [KC_COLUMNS] = { "COLUMNS", 24, 0, ALIGN_LEFT, false, 2 },
    [KC_DEF] = { "DEFINITION", 0, 16, ALIGN_LEFT, true, 0 },
    [KC_VALID] = { "VALID", 9, 0, ALIGN_LEFT, false, 1 },
};

enum { IC_NAME, IC_UNIQUE, IC_PARTIAL, IC_VALID, IC_SIZE, IC_SCANS, IC_DEF };
static const TableColumn idx_cols[] = {
    [IC_NAME] = { "NAME", 28, 0, ALIGN_LEFT, false, 0 },
    [IC_UNIQUE] = { "UNIQUE", 0, 0, ALIGN_LEFT, false, 0 },
    [IC_PARTIAL] = { "PARTIAL", 0, 0, ALIGN_LEFT, false, 2 },
    [IC_VALID] = { "VALID", 0, 0, ALIGN_LEFT, false, 1 },
    [IC_SIZE] = { "SIZE", 10, 0, ALIGN_RIGHT, false, 3 },
    [IC_SCANS] = { "SCANS", 12, 0, ALIGN_RIGHT, false, 4 },
    [IC_DEF] = { "DEFINITION", 0, 16, ALIGN_LEFT, true, 0 },
};

static TableCell dash(void)
{
    return (TableCell){ text_glyph(GLYPH_DASH), SLOT_DIM };
}

static TableCell yes_no(bool yes, bool bad_when_no)
{
    if (yes)
        return (TableCell){ "yes", SLOT_NORMAL };
    return (TableCell){ "no", bad_when_no ? SLOT_STATE_PROBLEM : SLOT_DIM };
}

static TableCell column_cell(void *ctx, size_t row, size_t col, char *buf, size_t size)
{
    const CatTable *t = ((SchemaPane *)ctx)->shown;
    const CatColumn *c = &t->columns[row];
    switch (col) {
    case CC_PK:
        if (!c->pk_position)
            return (TableCell){ "", SLOT_NORMAL };
        if (sch_pk_width(t) > 1)
            snprintf(buf, size, "PK%d", c->pk_position);
        else
            snprintf(buf, size, "PK");
        return (TableCell){ buf, SLOT_TITLE };
    case CC_NAME: return (TableCell){ c->name, SLOT_NORMAL };
    case CC_TYPE:
        return *c->type ? (TableCell){ c->type, SLOT_NORMAL } : (TableCell){ "(none)", SLOT_DIM };
    case CC_NULL:
        return c->nullable ? (TableCell){ "null", SLOT_DIM } : (TableCell){ "not null", SLOT_NORMAL };
    case CC_DEFAULT:
        if (c->identity) {
            snprintf(buf, size, "identity %s", c->identity == 'a' ? "always" : "by default");
            return (TableCell){ buf, SLOT_DIM };
        }
        if (c->generated) {
            snprintf(buf, size, "generated: %s", c->generation_expr ? c->generation_expr : "?");
            return (TableCell){ buf, SLOT_DIM };
        }
        return (TableCell){ c->default_expr ? c->default_expr : "", SLOT_NORMAL };
    case CC_REF: {
        const CatConstraint *k = sch_fk_of_column(t, c->name);
        if (!k)
            return (TableCell){ "", SLOT_NORMAL };
        StrBuf b = STRBUF_INIT;
        sch_append_ref(&b, t, k);
        snprintf(buf, size, "%s", sb_str(&b));
        sb_free(&b);
        return (TableCell){ buf, SLOT_NORMAL };
    }
    default: return dash();
    }
}

/* A SQLite foreign key: whether this connection enforces foreign keys
 * (PRAGMA foreign_keys); Enter says it in words. */
static TableCell fk_enforced_cell(const Catalog *cat)
{
    return cat->fk_not_enforced ? (TableCell){ "FK off", SLOT_STATE_PROBLEM }
                                : (TableCell){ "FK on", SLOT_NORMAL };
}

static TableCell con_cell(void *ctx, size_t row, size_t col, char *buf, size_t size)
{
    const CatTable *t = ((SchemaPane *)ctx)->shown;
    const CatConstraint *k = &t->constraints[row];
    StrBuf b = STRBUF_INIT;
    switch (col) {
    case KC_NAME:
        return k->name ? (TableCell){ k->name, SLOT_NORMAL } : (TableCell){ "(unnamed)", SLOT_DIM };
    case KC_TYPE: return (TableCell){ sch_con_type(k->type, false), SLOT_NORMAL };
    case KC_COLUMNS:
        sch_append_list(&b, k->columns, k->ncolumns);
        break;
    case KC_DEF:
        if (k->type == CAT_CON_FOREIGN_KEY) {
            sch_append_ref(&b, t, k);
            sb_appendf(&b, " ON DELETE %s ON UPDATE %s%s", k->on_delete ? k->on_delete : "?",
                       k->on_update ? k->on_update : "?",
                       k->deferrable ? (k->deferred ? " DEFERRABLE INITIALLY DEFERRED"
                                                    : " DEFERRABLE") : "");
        } else if (k->type == CAT_CON_CHECK) {
            sb_append(&b, k->expression ? k->expression : k->definition ? k->definition : "");
        } else if (k->type == CAT_CON_EXCLUDE) {
            sb_append(&b, k->definition ? k->definition : "");
        }
        break;
    case KC_VALID:
        if (sch_fk_unchecked(((SchemaPane *)ctx)->cat, k))   /* SQLite has no such flag */
            return fk_enforced_cell(((SchemaPane *)ctx)->cat);
        return k->validated ? (TableCell){ "yes", SLOT_NORMAL }
                            : (TableCell){ "NOT VALID", SLOT_STATE_PROBLEM };
    default: return dash();
    }
    snprintf(buf, size, "%s", sb_str(&b));
    sb_free(&b);
    return (TableCell){ buf, SLOT_NORMAL };
}

static TableCell idx_cell(void *ctx, size_t row, size_t col, char *buf, size_t size)
{
    const CatTable *t = ((SchemaPane *)ctx)->shown;
    const CatIndex *x = &t->indexes[row];
    switch (col) {
    case IC_NAME: return (TableCell){ x->name, SLOT_NORMAL };
    case IC_UNIQUE:
        if (x->primary)
            return (TableCell){ "primary", SLOT_TITLE };
        return yes_no(x->unique, false);
    case IC_PARTIAL: return yes_no(x->partial, false);
    case IC_VALID: return yes_no(x->valid, true);
    case IC_SIZE:
        return x->bytes < 0 ? dash() : (TableCell){ fmt_bytes(x->bytes, buf, size), SLOT_NORMAL };
    case IC_SCANS:
        if (x->scans < 0)
            return dash();
        snprintf(buf, size, "%" PRId64, x->scans);
        return (TableCell){ buf, SLOT_NORMAL };
    case IC_DEF:
        return (TableCell){ x->definition ? sch_index_tail(x->definition) : "", SLOT_NORMAL };
    default: return dash();
    }
}

static const char *empty_text(const CatTable *t, SchTab tab)
{
    bool view = t->kind == CAT_KIND_VIEW;
    switch (tab) {
    case SCH_TAB_COLUMNS: return "No columns.";
    case SCH_TAB_CONSTRAINTS: return view ? "A view has no constraints." : "No constraints.";
    case SCH_TAB_INDEXES:
        return view ? "A view has no indexes." : "No indexes (every lookup reads the whole table).";
    default: return "";
    }
}

static void list_tab_draw(SchemaPane *sp, WINDOW *w, int y, int height)
{
    static const Table tables[SCH_LIST_TABS] = {
        { column_cols, COUNT(column_cols), column_cell, NULL },
        { con_cols, COUNT(con_cols), con_cell, NULL },
        { idx_cols, COUNT(idx_cols), idx_cell, NULL },
    };
    Table t = tables[sp->tab];
    t.ctx = sp;
    ListView *lv = &sp->tab_lv[sp->tab];
    lv_set_count(lv, sch_tab_count(sp->shown, sp->tab));
    /* a preview (the focus on the list) has no selection to show */
    Palette pal = sp->detail ? *sp->base.ctx->pal
                             : sch_palette_as(sp->base.ctx->pal, SLOT_GRID_SELECTED, SLOT_NORMAL);
    table_draw(w, y, height, &t, lv, &pal);
    const char *failed = sp->tab == SCH_TAB_COLUMNS ? sp->shown->columns_error : NULL;
    if (failed) {   /* the error in place of the columns, not "No columns." */
        char *text = xasprintf("Cannot read the columns: %s", failed);
        palette_use(w, sp->base.ctx->pal, SLOT_STATUS_ERROR);
        text_wrap(w, y + 2, 1, getmaxx(w) - 1, height > 4 ? height - 3 : 1, text);
        palette_use(w, sp->base.ctx->pal, SLOT_NORMAL);
        free(text);
    } else if (lv->count == 0) {
        palette_use(w, sp->base.ctx->pal, SLOT_DIM);
        text_wrap(w, y + 2, 1, getmaxx(w) - 1, 2, empty_text(sp->shown, sp->tab));
        palette_use(w, sp->base.ctx->pal, SLOT_NORMAL);
    }
}

/* ---- DDL ----------------------------------------------------------------- */

static ThemeSlot ddl_style(void *ctx, size_t i, const char *line)
{
    (void)ctx, (void)i;
    return textscroll_sql_slot(line);
}

static void ddl_draw(SchemaPane *sp, WINDOW *w, int y, int height)
{
    if (!sp->ddl_built) {
        char *ddl = catalog_table_ddl(sp->cat, sp->shown);
        bool wrap = sp->ddl.wrap;
        tv_set_text(&sp->ddl, ddl);
        sp->ddl.wrap = wrap;
        sp->ddl_built = true;
        free(ddl);
    }
    tv_draw(&sp->ddl, w, y, 0, height, getmaxx(w) - 1, "", sp->base.ctx->pal);
}

/* ---- header and tab bar ------------------------------------------------------ */

static int add(WINDOW *w, SchemaPane *sp, int y, int x, ThemeSlot s, const char *text)
{
    return pane_add(w, &sp->base, y, x, s, text);
}

static int add_dot(WINDOW *w, SchemaPane *sp, int x)
{
    x = add(w, sp, 0, x, SLOT_DIM, " ");
    x = add(w, sp, 0, x, SLOT_DIM, text_glyph(GLYPH_DOT));
    return add(w, sp, 0, x, SLOT_DIM, " ");
}

/* Line 0: "users  table · ~240 rows · 44 KiB · 2 triggers · row security". */
static void header_draw(SchemaPane *sp, WINDOW *w)
{
    const CatTable *t = sp->shown;
    char buf[96];
    int x = add(w, sp, 0, 0, SLOT_TITLE, t->name);
    x = add(w, sp, 0, x, SLOT_NORMAL, "  ");
    x = add(w, sp, 0, x, t->kind == CAT_KIND_TABLE ? SLOT_DIM : SLOT_TITLE,
            catalog_kind_name(t->kind));
    x = add_dot(w, sp, x);
    if (t->rows >= 0)
        snprintf(buf, sizeof buf, "%s%" PRId64 " row%s", t->rows_exact ? "" : "~", t->rows,
                 t->rows == 1 ? "" : "s");
    else
        snprintf(buf, sizeof buf, "rows unknown");
    x = add(w, sp, 0, x, SLOT_NORMAL, buf);
    if (t->bytes >= 0) {
        x = add_dot(w, sp, x);
        if (!t->bytes_exact)
            x = add(w, sp, 0, x, SLOT_NORMAL, "~");
        x = add(w, sp, 0, x, SLOT_NORMAL, fmt_bytes(t->bytes, buf, sizeof buf));
    }
    if (t->ntriggers) {
        x = add_dot(w, sp, x);
        snprintf(buf, sizeof buf, "%zu trigger%s", t->ntriggers, t->ntriggers == 1 ? "" : "s");
        x = add(w, sp, 0, x, SLOT_NORMAL, buf);
    }
    if (t->rls_enabled) {
        x = add_dot(w, sp, x);
        snprintf(buf, sizeof buf, "row security%s, %zu polic%s", t->rls_forced ? " (forced)" : "",
                 t->npolicies, t->npolicies == 1 ? "y" : "ies");
        x = add(w, sp, 0, x, SLOT_STATE_PENDING, buf);
    }
    if (t->strict) {
        x = add_dot(w, sp, x);
        x = add(w, sp, 0, x, SLOT_NORMAL, "STRICT");
    }
    if (t->kind == CAT_KIND_TABLE && sp->cat->engine == DB_ENGINE_SQLITE && !t->has_rowid) {
        x = add_dot(w, sp, x);
        add(w, sp, 0, x, SLOT_NORMAL, "WITHOUT ROWID");
    }
}

/* The tab label in style 0 " C Columns 6 ", 1 " Columns 6 ", 2 " Columns ",
 * 3 " Cols ". */
/* A tab's label in a style that fits: 0 " C Columns 3 ", 1 " C Cols 3 ",
 * 2 " C Cols ", 3 " C ": the key never goes. */
static void tab_label(const CatTable *t, int tab, int style, char *buf, size_t size)
{
    size_t n = sch_tab_count(t, (SchTab)tab);
    bool count = style < 2 && tab < SCH_LIST_TABS && t->detailed;
    char num[24] = "";
    if (count)
        snprintf(num, sizeof num, " %zu", n);
    if (style == 3)
        snprintf(buf, size, " %c ", tab_keys[tab]);
    else
        snprintf(buf, size, " %c %s%s ", tab_keys[tab],
                 style >= 1 ? tab_short[tab] : tab_names[tab], num);
}

static void tabbar_draw(SchemaPane *sp, WINDOW *w, int y)
{
    const Palette *pal = sp->base.ctx->pal;
    int width = getmaxx(w), style = 0;
    char buf[64];
    int gap = 1;   /* between tabs; none in the narrow styles (labels are padded) */
    for (; style < 3; style++) {
        int total = 0;
        gap = style < 2 ? 1 : 0;
        for (int i = 0; i < SCH_TAB_COUNT; i++) {
            tab_label(sp->shown, i, style, buf, sizeof buf);
            total += text_width(buf) + gap;
        }
        if (total - gap <= width)
            break;
    }
    if (style == 3)
        gap = 0;
    int x = 0;
    for (int i = 0; i < SCH_TAB_COUNT; i++) {
        tab_label(sp->shown, i, style, buf, sizeof buf);
        bool active = i == (int)sp->tab;
        ThemeSlot s = active ? (sp->detail ? SLOT_TAB_ACTIVE : SLOT_GRID_HEADER) : SLOT_TAB;
        sp->tab_x[i] = x;
        palette_use(w, pal, s);
        int lw = text_add(w, y, x, width - x, buf);
        /* the key stands out */
        if (!active && x + 1 < width) {
            char key[2] = { tab_keys[i], 0 };
            palette_use(w, pal, SLOT_HELP_KEY);
            text_add(w, y, x + 1, 1, key);
        }
        x += lw + gap;
    }
    sp->tab_x[SCH_TAB_COUNT] = x;
    palette_use(w, pal, SLOT_NORMAL);
}

void sch_detail_draw(SchemaPane *sp, WINDOW *w)
{
    int height = getmaxy(w);
    if (!sp->shown) {
        palette_use(w, sp->base.ctx->pal, SLOT_DIM);
        text_wrap(w, 1, 1, getmaxx(w) - 1, 3,
                  sp->cat->count ? "No table selected." : "The database has no tables yet.");
        palette_use(w, sp->base.ctx->pal, SLOT_NORMAL);
        return;
    }
    header_draw(sp, w);
    if (height < 3)
        return;
    sp->tabbar_y = 1;
    tabbar_draw(sp, w, 1);
    sp->content_y = 2;
    int ch = height - sp->content_y;
    if (!sp->shown->detailed) {   /* its details have not come */
        sch_load_draw_table(sp, w, sp->content_y, ch);
        return;
    }
    switch (sp->tab) {
    case SCH_TAB_DDL: ddl_draw(sp, w, sp->content_y, ch); break;
    case SCH_TAB_ROWS: sch_grid_draw(sp, w, sp->content_y, ch); break;
    default: list_tab_draw(sp, w, sp->content_y, ch); break;
    }
}

/* ---- keys ------------------------------------------------------------------ */

bool sch_detail_move(SchemaPane *sp, KeyAction a)
{
    if (!sp->shown)
        return false;
    if (sp->tab < SCH_LIST_TABS)
        return lv_apply(&sp->tab_lv[sp->tab], a);
    return false;
}

void sch_detail_follow(SchemaPane *sp)
{
    const CatTable *t = sp->shown;
    ListView *lv = &sp->tab_lv[sp->tab];
    if (!t || lv->count == 0)
        return;
    const CatConstraint *k = NULL;
    if (sp->tab == SCH_TAB_COLUMNS) {
        k = sch_fk_of_column(t, t->columns[lv->sel].name);
        if (!k) {
            pane_say(&sp->base, false, "%s is not part of a foreign key.", t->columns[lv->sel].name);
            return;
        }
    } else {
        k = &t->constraints[lv->sel];
        if (k->type != CAT_CON_FOREIGN_KEY) {
            pane_say(&sp->base, false, "Not a foreign key: select one (f follows it).");
            return;
        }
    }
    const CatTable *target = catalog_fk_target(sp->cat, k);
    if (!target) {
        pane_say(&sp->base, true, "%s references %s, which is not in the catalog.",
                k->name ? k->name : "The foreign key", k->ref_table ? k->ref_table : "?");
        return;
    }
    sch_table_ensure(sp, target);   /* for its column to be selected */
    sch_trail_push(sp);
    sch_list_select(sp, target);
    sch_detail_sync(sp);
    sp->tab = SCH_TAB_COLUMNS;
    sp->detail = true;
    for (size_t i = 0; k->nref_columns && i < target->ncolumns; i++)
        if (k->ref_columns[0] && strcmp(target->columns[i].name, k->ref_columns[0]) == 0)
            sp->tab_lv[SCH_TAB_COLUMNS].sel = i;
}

bool sch_detail_click(SchemaPane *sp, int y, int x)
{
    if (!sp->shown)
        return false;
    if (y == sp->tabbar_y) {
        for (int i = 0; i < SCH_TAB_COUNT; i++)
            if (x >= sp->tab_x[i] && x < sp->tab_x[i + 1]) {
                sp->tab = (SchTab)i;
                sp->detail = true;
                return true;
            }
        return false;
    }
    if (y < sp->content_y)
        return false;
    if (sp->tab < SCH_LIST_TABS) {
        if (!lv_click(&sp->tab_lv[sp->tab], table_row_offset(y, sp->content_y)))
            return false;
        sp->detail = true;
        return true;
    }
    if (sp->tab == SCH_TAB_ROWS && sch_grid_click(sp, y, x)) {
        sp->detail = true;
        return true;
    }
    return false;
}
