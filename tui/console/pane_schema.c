/* pane_schema.c: the Schema pane: the tables and views of the database
 * (rows, sizes; sorted, filtered) beside the selected one's columns,
 * constraints, indexes, DDL and rows, with foreign keys to follow.  This
 * file holds the class: loading, the layout, drawing, and the keys (see
 * pane_schema_internal.h for how the files divide the work). */
#include "pane_schema_internal.h"
#include "table.h"
#include "text.h"
#include "xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define KEY_DEL 127

static const KeyBinding schema_items[] = {
    { { '\r', '\n', KEY_ENTER }, "Enter", ACT_OPEN,
      "open the table's tab; in a tab: the item's details, in Rows the whole value", "open" },
    { { KEY_RIGHT, 'l' }, "Right l", ACT_RIGHT, "from the list into the table's tab", NULL },
    { { KEY_LEFT, 'h' }, "Left h", ACT_LEFT, "from a tab back to the list (in Rows: columns)",
      NULL },
    { { 'C' }, "C", SCH_ACT_COLUMNS, "Columns: name, type, nullable, default, primary key",
      NULL },
    { { 'K' }, "K", SCH_ACT_CONSTRAINTS,
      "Constraints: keys, foreign keys with their actions, checks, validated", NULL },
    { { 'I' }, "I", SCH_ACT_INDEXES, "Indexes: definition, unique, partial, valid, size, scans",
      NULL },
    { { 'D' }, "D", SCH_ACT_DDL, "DDL: the statements that create the table (a view's query)",
      NULL },
    { { 'R' }, "R", SCH_ACT_ROWS, "Rows: the table's rows, a page at a time, by key", NULL },
    { { ']' }, "]", SCH_ACT_NEXT_TAB, "next tab", NULL },
    { { '[' }, "[", SCH_ACT_PREV_TAB, "previous tab", NULL },
    { { 'f' }, "f", SCH_ACT_FOLLOW,
      "follow a foreign key: a cell to the row it references, a column to its table", "follow" },
    { { 'b', KEY_BACKSPACE, KEY_DEL, KEY_CTRL('h') }, "b Backspace", ACT_HISTORY_BACK,
      "back to where the last f came from", "back" },
    { { KEY_CTRL('c') }, "Ctrl-C", ACT_INTERRUPT,
      "stop reading the catalog, the sizes measured in the background too", NULL },
    { { KEY_ESC }, "Esc", ACT_BACK,
      "stop reading the catalog (the list, a table); from a tab back to the list; in the "
      "list: clear the filter", NULL },
};

static const KeyBinding rows_items[] = {
    { { KEY_UP, 'k' }, "Up k", ACT_UP, "previous row (from the first: the previous page)", NULL },
    { { KEY_DOWN, 'j' }, "Down j", ACT_DOWN, "next row (from the last: the next page)", NULL },
    { { KEY_PPAGE, KEY_CTRL('b') }, "PgUp Ctrl-B", ACT_PAGE_UP, "previous page", NULL },
    { { KEY_NPAGE, KEY_CTRL('f'), ' ' }, "PgDn Ctrl-F Space", ACT_PAGE_DOWN, "next page", NULL },
    { { 'g', KEY_HOME }, "g Home", ACT_TOP, "first page", NULL },
    { { 'G', KEY_END }, "G End", ACT_BOTTOM, "last page", NULL },
    { { KEY_LEFT, 'h' }, "Left h", ACT_LEFT, "previous column (the key columns stay in view)",
      NULL },
    { { KEY_RIGHT, 'l' }, "Right l", ACT_RIGHT, "next column", NULL },
    { { '0' }, "0", ACT_LINE_START, "first column", NULL },
    { { '$' }, "$", ACT_LINE_END, "last column", NULL },
    { { '\r', '\n', KEY_ENTER }, "Enter", ACT_OPEN, "the cell's whole value (long text, binary)",
      "value" },
};

static const KeyTable keys_schema = { "Schema: the tables and the tabs", schema_items,
                                      COUNT(schema_items) };
static const KeyTable keys_schema_rows = { "Schema: the Rows tab (R)", rows_items,
                                           COUNT(rows_items) };
static const KeyTable *const more_keys[] = { &keys_list, &keys_listmode, &keys_textview,
                                             &keys_schema_rows, &sch_keys_view, &keys_lineedit,
                                             NULL };

/* ---- helpers shared by the pane's files -------------------------------- */

Palette sch_palette_as(const Palette *p, ThemeSlot from, ThemeSlot to)
{
    Palette q = *p;
    q.attrs[from] = p->attrs[to];
    q.pairs[from] = p->pairs[to];
    return q;
}

bool sch_utf8(void)
{
    return strcmp(text_glyph(GLYPH_ELLIPSIS), "~") != 0;
}

/* ---- layout ------------------------------------------------------------- */

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void sch_layout(const SchemaPane *sp, int h, int w, bool detail, SchLayout *out)
{
    SchLayout l = { .top = 2, .height = h - 2 > 1 ? h - 2 : 1 };
    if (w >= SCH_SPLIT_MIN) {
        l.show_list = l.show_detail = true;
        if (detail)   /* names only, narrow */
            l.list_w = sch_list_names(sp, clamp(w / 4, 16, 28), &l.set);
        else
            l.list_w = sch_list_fit(sp, w * 11 / 20, &l.set);
        l.detail_x = l.list_w + 3;   /* " │ " between them */
        l.detail_w = w - l.detail_x;
    } else if (detail) {
        l.show_detail = true;
        l.detail_w = w;
    } else {
        l.show_list = true;
        l.list_w = sch_list_fit(sp, w, &l.set);
        if (l.list_w < w)
            l.list_w = w;
    }
    *out = l;
}

int sch_rows_page_fit(const SchemaPane *sp)
{
    if (sp->win_h <= 0)
        return 20;
    SchLayout l;
    sch_layout(sp, sp->win_h, sp->win_w, true, &l);
    /* title, tab bar, the grid's info line and header */
    int n = l.height - 4;
    return n > 1 ? n : 1;
}

/* ---- load --------------------------------------------------------------- */

static Pane *schema_create(const PaneClass *cls, const PaneContext *ctx)
{
    SchemaPane *sp = xcalloc(1, sizeof *sp);
    sp->base.cls = cls;
    sp->base.ctx = ctx;
    sp->err = (DbError)DB_ERROR_INIT;
    sp->list_y = sp->tabbar_y = -1;
    sp->rows.grid_y = -1;
    sch_rowjob_init(sp);
    sch_list_init(sp);
    sch_detail_init(sp);
    sch_view_init(sp);
    return &sp->base;
}

/* Reads the catalog again, as a job: the place (table, tab, rows
 * position) comes back when its table has (pane_schema_load.c). */
static void schema_reload(Pane *self)
{
    sch_load_start((SchemaPane *)self);
}

/* The catalog's reading and the Rows tab's work, between keys. */
static PaneResult schema_poll(Pane *self, bool *busy)
{
    SchemaPane *sp = (SchemaPane *)self;
    bool loading = false, rows = false;
    PaneResult a = sch_load_poll(sp, &loading);
    PaneResult b = sch_rowjob_poll(sp, &rows);
    *busy = loading || rows;
    return a > b ? a : b;
}

/* ---- draw --------------------------------------------------------------- */

static void draw_split(SchemaPane *sp, WINDOW *w)
{
    SchLayout *l = &sp->lay;
    if (!l->show_list || !l->show_detail)
        return;
    palette_use(w, sp->base.ctx->pal, SLOT_DIM);
    for (int y = l->top; y < l->top + l->height; y++)
        text_add(w, y, l->list_w + 1, 1, text_glyph(GLYPH_BAR));
    palette_use(w, sp->base.ctx->pal, SLOT_NORMAL);
}

/* Draws the pane.  The one piece of work a draw can start: the Rows tab
 * reads its page again (a task) when the window's height changed (the
 * pane hears of a resize only here), so that a page always fits. */
static void schema_draw(Pane *self, WINDOW *w)
{
    SchemaPane *sp = (SchemaPane *)self;
    getmaxyx(w, sp->win_h, sp->win_w);
    sp->list_y = sp->tabbar_y = -1;
    sp->rows.grid_y = -1;
    if (!sp->cat) {
        sch_load_draw_list(sp, w);
        return;
    }
    sch_layout(sp, sp->win_h, sp->win_w, sp->detail, &sp->lay);
    sch_detail_sync(sp);
    sch_summary_draw(sp, w);
    SchLayout *l = &sp->lay;
    if (l->show_list) {
        WINDOW *lw = derwin(w, l->height, l->list_w, l->top, 0);
        if (lw) {
            sch_list_draw(sp, lw, l->set);
            delwin(lw);
            sp->list_y = l->top;
        }
    }
    draw_split(sp, w);
    if (l->show_detail && l->detail_w > 0) {
        WINDOW *dw = derwin(w, l->height, l->detail_w, l->top, l->detail_x);
        if (dw) {
            sch_detail_draw(sp, dw);
            delwin(dw);
        }
    }
    if (sp->overlay)
        sch_view_draw(sp, w);
    touchwin(w);
}

/* ---- keys --------------------------------------------------------------- */

/* The focus moves into the detail (the table's tab); a table that could
 * not be read is asked for again, and so are its rows in the Rows tab. */
static void open_detail(SchemaPane *sp)
{
    if (!sch_selected(sp)) {
        pane_say(&sp->base, false, "No table selected.");
        return;
    }
    sch_load_retry(sp, sch_selected(sp));
    sp->detail = true;
    if (sp->tab == SCH_TAB_ROWS)
        sch_rows_retry(sp);
}

static void show_tab(SchemaPane *sp, SchTab tab)
{
    sp->tab = tab;
    open_detail(sp);
}

static PaneResult back(SchemaPane *sp)
{
    if (sch_load_stop(sp, false))
        return PANE_REDRAW;
    if (sp->detail) {
        sp->detail = false;
        return PANE_REDRAW;
    }
    return PANE_IGNORED;
}

static void follow(SchemaPane *sp)
{
    if (!sp->detail) {
        pane_say(&sp->base, false, "Open a tab first (Enter), then f on a foreign key.");
        return;
    }
    if (sp->tab == SCH_TAB_ROWS) {
        if (!sch_rowjob_refuse(sp))
            sch_rows_follow(sp);
    } else if (sp->tab == SCH_TAB_COLUMNS || sp->tab == SCH_TAB_CONSTRAINTS)
        sch_detail_follow(sp);
    else
        pane_say(&sp->base, false, "f follows a foreign key from the Rows, Columns or Constraints tab.");
}

static PaneResult run_key(SchemaPane *sp, KeyAction act)
{
    switch (act) {
    case ACT_OPEN:
        if (!sp->detail || sch_load_retry(sp, sch_selected(sp)))
            open_detail(sp);
        else if (sp->tab < SCH_LIST_TABS)
            sch_detail_open(sp);
        break;
    case ACT_RIGHT:
        if (!sp->detail)
            open_detail(sp);
        break;
    case ACT_LEFT:
        sp->detail = false;
        break;
    case SCH_ACT_COLUMNS: show_tab(sp, SCH_TAB_COLUMNS); break;
    case SCH_ACT_CONSTRAINTS: show_tab(sp, SCH_TAB_CONSTRAINTS); break;
    case SCH_ACT_INDEXES: show_tab(sp, SCH_TAB_INDEXES); break;
    case SCH_ACT_DDL: show_tab(sp, SCH_TAB_DDL); break;
    case SCH_ACT_ROWS: show_tab(sp, SCH_TAB_ROWS); break;
    case SCH_ACT_NEXT_TAB: sp->tab = (SchTab)((sp->tab + 1) % SCH_TAB_COUNT); break;
    case SCH_ACT_PREV_TAB:
        sp->tab = (SchTab)((sp->tab + SCH_TAB_COUNT - 1) % SCH_TAB_COUNT);
        break;
    case SCH_ACT_FOLLOW: follow(sp); break;
    case ACT_HISTORY_BACK:
        if (!sch_rowjob_refuse(sp))
            sch_trail_back(sp);
        break;
    case ACT_BACK: return back(sp);
    default: return PANE_IGNORED;
    }
    return PANE_REDRAW;
}

void sch_follow_selection(SchemaPane *sp)
{
    sch_detail_sync(sp);
    const CatTable *t = sch_selected(sp);
    if (sp->cat && sp->detail && sp->tab == SCH_TAB_ROWS && t && t->detailed &&
        !sch_rows_on(&sp->rows, t))
        sch_rows_show(sp, t);
}

static PaneResult dispatch(SchemaPane *sp, int key)
{
    if (sp->detail && sp->tab == SCH_TAB_ROWS) {
        KeyAction a = keys_action(&keys_schema_rows, key);
        if (a == ACT_LEFT && sch_rowjob_busy(sp)) {
            sp->detail = false;   /* no columns to move in: back to the list */
            return PANE_REDRAW;
        }
        if (a != ACT_NONE && sch_rowjob_refuse(sp))
            return PANE_REDRAW;   /* the rows are being read */
        if (a == ACT_OPEN) {
            if (!sch_rows_retry(sp))
                sch_view_cell(sp);
            return PANE_REDRAW;
        }
        if (a != ACT_NONE && sch_rows_action(sp, a))
            return PANE_REDRAW;
    } else if (sp->detail && sp->tab == SCH_TAB_DDL) {
        if (tv_key(&sp->ddl, key))
            return PANE_REDRAW;
    } else if (sp->detail) {
        KeyAction a = keys_action(&keys_list, key);
        if (a != ACT_NONE) {
            sch_detail_move(sp, a);
            return PANE_REDRAW;
        }
    }
    if (sp->detail && keys_action(&keys_listmode, key) == ACT_FILTER)
        sp->detail = false;   /* '/' in a tab: filter the tables */
    if (!sp->detail) {
        if (key == KEY_ESC && sch_load_stop(sp, false))
            return PANE_REDRAW;
        PaneResult r = sch_list_key(sp, key);
        if (r != PANE_IGNORED)
            return r;
    }
    return run_key(sp, keys_action(&keys_schema, key));
}

static PaneResult schema_key(Pane *self, int key)
{
    SchemaPane *sp = (SchemaPane *)self;
    if (sp->overlay)
        return sch_view_key(sp, key);
    if (lm_prompting(&sp->list))
        return sch_list_key(sp, key);
    if ((key == KEY_ESC || key == KEY_CTRL('c')) && sch_rowjob_stop(sp))
        return PANE_REDRAW;   /* the rows being read */
    if (key == KEY_CTRL('c') && sch_load_stop(sp, true))
        return PANE_REDRAW;   /* the reading, sizes too (else: the App's job) */
    if (!sp->cat)
        return key == KEY_ESC && sch_load_stop(sp, false) ? PANE_REDRAW : PANE_IGNORED;
    PaneResult r = dispatch(sp, key);
    sch_follow_selection(sp);
    return r;
}

static PaneResult schema_click(Pane *self, int y, int x)
{
    SchemaPane *sp = (SchemaPane *)self;
    if (sp->overlay || lm_prompting(&sp->list))
        return PANE_HANDLED;
    if (!sp->cat)
        return PANE_IGNORED;
    SchLayout *l = &sp->lay;
    bool hit = false;
    if (l->show_list && sp->list_y >= 0 && x < l->list_w) {
        hit = lm_click(&sp->list, y - sp->list_y);
        if (hit)
            sp->detail = false;
    } else if (l->show_detail && x >= l->detail_x) {
        hit = sch_detail_click(sp, y - l->top, x - l->detail_x);
    }
    if (!hit)
        return PANE_IGNORED;
    sch_follow_selection(sp);
    return PANE_REDRAW;
}

static size_t schema_view_keys(Pane *self, const KeyTable **out, size_t max)
{
    SchemaPane *sp = (SchemaPane *)self;
    const KeyTable *t[3] = { NULL, NULL, NULL };
    if (sp->overlay) {
        t[0] = tv_prompting(&sp->ov) ? &keys_lineedit : &sch_keys_view;
        t[1] = tv_prompting(&sp->ov) ? NULL : &keys_textview;
    } else if (lm_prompting(&sp->list) || (sp->detail && sp->tab == SCH_TAB_DDL &&
                                           tv_prompting(&sp->ddl))) {
        t[0] = &keys_lineedit;
    } else if (!sp->detail) {
        t[0] = &keys_listmode;
        t[1] = &keys_schema;
    } else if (sp->tab == SCH_TAB_ROWS) {
        t[0] = &keys_schema_rows;
        t[1] = &keys_schema;
    } else if (sp->tab == SCH_TAB_DDL) {
        t[0] = &keys_textview;
        t[1] = &keys_schema;
    } else {
        t[0] = &keys_schema;
    }
    size_t n = 0;
    for (size_t i = 0; i < 3 && t[i] && n < max; i++)
        out[n++] = t[i];
    return n;
}

static void schema_destroy(Pane *self)
{
    SchemaPane *sp = (SchemaPane *)self;
    sch_rowjob_free(sp);   /* stops the rows' work, closes their connection */
    sch_load_free(sp);
    sch_rows_close(&sp->rows);
    sch_trail_free(sp);
    sch_view_close(sp);
    catalog_free(sp->cat);
    db_error_clear(&sp->err);
    lm_free(&sp->list);
    tv_free(&sp->ddl);
    free(sp);
}

const PaneClass pane_schema_class = {
    .title = "Schema",
    .keys = &keys_schema,
    .more_keys = more_keys,
    .create = schema_create,
    .reload = schema_reload,
    .draw = schema_draw,
    .on_key = schema_key,
    .on_click = schema_click,
    .poll = schema_poll,
    .view_keys = schema_view_keys,
    .destroy = schema_destroy,
};
