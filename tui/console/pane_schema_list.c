/* pane_schema_list.c: the Schema pane's table list: the order (sorted by
 * name, rows or size), the '/' filter, selection, the column sets that fit
 * the width, and the two header lines (see pane_schema_internal.h). */
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
#include <strings.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define GAP 2
#define NAME_MAX_W 32
#define NAME_MIN_W 10

enum { LC_SCHEMA, LC_NAME, LC_KIND, LC_ROWS, LC_SIZE, LC_COUNT };

static const TableColumn list_cols[LC_COUNT] = {
    [LC_SCHEMA] = { "SCHEMA", 16, 0, ALIGN_LEFT, false, 0 },
    [LC_NAME] = { "NAME", NAME_MAX_W, NAME_MIN_W, ALIGN_LEFT, true, 0 },
    [LC_KIND] = { "KIND", 0, 0, ALIGN_LEFT, false, 0 },
    [LC_ROWS] = { "ROWS", 14, 0, ALIGN_RIGHT, false, 0 },
    [LC_SIZE] = { "SIZE", 10, 0, ALIGN_RIGHT, false, 0 },
};

/* Column sets, richest first; -1 ends a set. */
#define NSETS 5
static const int sets[NSETS][LC_COUNT + 1] = {
    { LC_SCHEMA, LC_NAME, LC_KIND, LC_ROWS, LC_SIZE, -1 },
    { LC_NAME, LC_KIND, LC_ROWS, LC_SIZE, -1 },
    { LC_NAME, LC_ROWS, LC_SIZE, -1 },
    { LC_NAME, LC_ROWS, -1 },
    { LC_NAME, -1 },
};

static bool set_has(int set, int col)
{
    for (int i = 0; sets[set][i] >= 0; i++)
        if (sets[set][i] == col)
            return true;
    return false;
}

const char *sch_kind_short(CatKind k)
{
    switch (k) {
    case CAT_KIND_TABLE: return "table";
    case CAT_KIND_VIEW: return "view";
    case CAT_KIND_MATVIEW: return "matview";
    case CAT_KIND_PARTITIONED: return "partitioned";
    case CAT_KIND_FOREIGN: return "foreign";
    case CAT_KIND_VIRTUAL: return "virtual";
    }
    return "?";
}

const char *sch_sort_name(SchSort s)
{
    switch (s) {
    case SCH_SORT_ROWS: return "rows";
    case SCH_SORT_SIZE: return "size";
    default: return "name";
    }
}

/* ---- cells ---------------------------------------------------------------- */

/* public (PostgreSQL) and main (SQLite) go without saying. */
static bool usual_schema(const char *s)
{
    return strcmp(s, "public") == 0 || strcmp(s, "main") == 0;
}

/* NAME as the set shows it: schema.name when the schema column is gone and
 * the schema is not the usual one; "name (view)" when the kind column is
 * gone. */
static const char *name_text(const SchemaPane *sp, const CatTable *t, int set, char *buf,
                             size_t size)
{
    bool qualify = sp->multi_schema && !set_has(set, LC_SCHEMA) && !usual_schema(t->schema);
    bool mark = t->kind != CAT_KIND_TABLE && !set_has(set, LC_KIND);
    if (!qualify && !mark)
        return t->name;
    snprintf(buf, size, "%s%s%s%s%s%s", qualify ? t->schema : "", qualify ? "." : "", t->name,
             mark ? " (" : "", mark ? sch_kind_short(t->kind) : "", mark ? ")" : "");
    return buf;
}

/* "12 KiB" measured, "~12 KiB" estimated. */
static const char *size_text(const CatTable *t, char *buf, size_t size)
{
    bool est = !t->bytes_exact && size > 1;
    buf[0] = '~';
    fmt_bytes(t->bytes, buf + est, size - est);
    return buf;
}

static const char *rows_text(const CatTable *t, char *buf, size_t size)
{
    if (t->rows < 0)
        return "?";
    snprintf(buf, size, "%s%" PRId64, t->rows_exact ? "" : "~", t->rows);
    return buf;
}

/* The list's items are the catalog's tables; the cells are those of the
 * column set drawn last (SchemaPane.set). */
static TableCell list_cell(void *ctx, size_t item, size_t col, char *buf, size_t size)
{
    const SchemaPane *sp = ctx;
    const CatTable *t = &sp->cat->tables[item];
    switch (sets[sp->set][col]) {
    case LC_SCHEMA: return (TableCell){ t->schema ? t->schema : "", SLOT_DIM };
    case LC_NAME: return (TableCell){ name_text(sp, t, sp->set, buf, size), SLOT_NORMAL };
    case LC_KIND:
        return (TableCell){ sch_kind_short(t->kind),
                            t->kind == CAT_KIND_TABLE ? SLOT_NORMAL : SLOT_TITLE };
    case LC_ROWS:
        return (TableCell){ rows_text(t, buf, size), t->rows < 0 ? SLOT_DIM : SLOT_NORMAL };
    case LC_SIZE:
        if (t->bytes < 0)
            return (TableCell){ text_glyph(GLYPH_DASH), SLOT_DIM };
        return (TableCell){ size_text(t, buf, size), SLOT_NORMAL };
    default:
        return (TableCell){ "", SLOT_NORMAL };
    }
}

/* ---- natural widths and the set that fits --------------------------------- */

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static SchSort sort_of(const SchemaPane *sp)
{
    return (SchSort)sp->list.sort;
}

static void measure(SchemaPane *sp)
{
    char buf[160];
    int sorted = sort_of(sp) == SCH_SORT_ROWS ? LC_ROWS
                 : sort_of(sp) == SCH_SORT_SIZE ? LC_SIZE : LC_NAME;
    for (int c = 0; c < LC_COUNT; c++)   /* the sorted one has an arrow */
        sp->nat[c] = text_width(list_cols[c].header) + (c == sorted ? 2 : 0);
    sp->nat_marked = sp->nat_qualified = sp->nat_qual_marked = sp->nat[LC_NAME];
    sp->multi_schema = false;
    if (!sp->cat)
        return;
    for (size_t i = 0; i < sp->cat->count; i++) {
        const CatTable *t = &sp->cat->tables[i];
        int nw = text_width(t->name);
        sp->nat[LC_SCHEMA] = max_int(sp->nat[LC_SCHEMA], text_width(t->schema));
        sp->nat[LC_NAME] = max_int(sp->nat[LC_NAME], nw);
        if (t->kind != CAT_KIND_TABLE)
            sp->nat_marked = max_int(sp->nat_marked,
                                     nw + 3 + (int)strlen(sch_kind_short(t->kind)));
        int qw = usual_schema(t->schema) ? nw : text_width(t->schema) + 1 + nw;
        sp->nat_qualified = max_int(sp->nat_qualified, qw);
        sp->nat_qual_marked = max_int(sp->nat_qual_marked,
                                      qw + (t->kind != CAT_KIND_TABLE
                                            ? 3 + (int)strlen(sch_kind_short(t->kind)) : 0));
        sp->nat[LC_KIND] = max_int(sp->nat[LC_KIND], (int)strlen(sch_kind_short(t->kind)));
        sp->nat[LC_ROWS] = max_int(sp->nat[LC_ROWS], text_width(rows_text(t, buf, sizeof buf)));
        if (t->bytes >= 0)
            sp->nat[LC_SIZE] = max_int(sp->nat[LC_SIZE],
                                       text_width(size_text(t, buf, sizeof buf)));
        if (i > 0 && strcmp(t->schema, sp->cat->tables[0].schema) != 0)
            sp->multi_schema = true;
    }
    sp->nat_marked = max_int(sp->nat_marked, sp->nat[LC_NAME]);
    sp->nat_qual_marked = max_int(sp->nat_qual_marked, sp->nat_qualified);
    for (int c = 0; c < LC_COUNT; c++)
        if (list_cols[c].max > 0 && sp->nat[c] > list_cols[c].max)
            sp->nat[c] = list_cols[c].max;
}

static int name_natural(const SchemaPane *sp, int set)
{
    bool qualify = sp->multi_schema && !set_has(set, LC_SCHEMA);
    bool mark = !set_has(set, LC_KIND);
    int w = qualify ? (mark ? sp->nat_qual_marked : sp->nat_qualified)
                    : (mark ? sp->nat_marked : sp->nat[LC_NAME]);
    return w > NAME_MAX_W ? NAME_MAX_W : w;
}

/* The set's width with NAME at name_w. */
static int set_width(const SchemaPane *sp, int set, int name_w)
{
    int w = 0, n = 0;
    for (int i = 0; sets[set][i] >= 0; i++, n++)
        w += sets[set][i] == LC_NAME ? name_w : sp->nat[sets[set][i]];
    return w + GAP * (n - 1);
}

int sch_list_fit(const SchemaPane *sp, int width, int *set)
{
    for (int s = 0; s < NSETS; s++) {
        int need = set_width(sp, s, name_natural(sp, s));
        if (need <= width) {
            *set = s;
            return need;
        }
    }
    /* nothing fits as it is: the name gives way, down to NAME_MIN_W */
    for (int s = 2; s < NSETS; s++)
        if (set_width(sp, s, NAME_MIN_W) <= width) {
            *set = s;
            return width;
        }
    *set = NSETS - 1;
    return width > 1 ? width : 1;
}

int sch_list_names(const SchemaPane *sp, int width, int *set)
{
    *set = NSETS - 1;
    int w = name_natural(sp, *set);
    return w < width ? w : width;
}

/* ---- order, filter, selection --------------------------------------------- */

static size_t src_count(void *ctx)
{
    const SchemaPane *sp = ctx;
    return sp->cat ? sp->cat->count : 0;
}

/* A filter matches the name or schema.name. */
static const char *src_text(void *ctx, size_t item, char *buf, size_t size)
{
    const CatTable *t = &((SchemaPane *)ctx)->cat->tables[item];
    snprintf(buf, size, "%s\n%s.%s", t->name, t->schema, t->name);
    return buf;
}

/* By name without regard to ASCII case; by rows or size largest first,
 * unknown last (O turns each round); ties in the catalog's order. */
static int src_compare(void *ctx, size_t a, size_t b, int key)
{
    const SchemaPane *sp = ctx;
    const CatTable *x = &sp->cat->tables[a], *y = &sp->cat->tables[b];
    if (key == SCH_SORT_NAME)
        return strcasecmp(x->name, y->name);
    int64_t v = key == SCH_SORT_ROWS ? x->rows : x->bytes;
    int64_t u = key == SCH_SORT_ROWS ? y->rows : y->bytes;
    v = v < 0 ? -1 : v;
    u = u < 0 ? -1 : u;
    return v == u ? 0 : v > u ? -1 : 1;
}

static const ListSource list_source = {
    .count = src_count, .text = src_text, .cell = list_cell, .compare = src_compare,
};

static const char *const sort_names[SCH_SORT_COUNT] = { "name", "rows", "size" };

void sch_list_init(SchemaPane *sp)
{
    lm_init(&sp->list, &sp->base, &list_source, sp, list_cols, LC_COUNT, "tables", sort_names,
            SCH_SORT_COUNT);
}

const CatTable *sch_selected(const SchemaPane *sp)
{
    size_t item;
    if (!sp->cat || !lm_selected(&sp->list, &item))
        return NULL;
    return &sp->cat->tables[item];
}

void sch_list_rebuild(SchemaPane *sp, const char *schema, const char *name)
{
    long keep = -1;
    for (size_t i = 0; name && sp->cat && i < sp->cat->count; i++) {
        const CatTable *t = &sp->cat->tables[i];
        if (strcmp(t->name, name) == 0 && (!schema || strcmp(t->schema, schema) == 0)) {
            keep = (long)i;
            break;
        }
    }
    lm_rebuild(&sp->list, keep);
    measure(sp);
}

void sch_list_refresh(SchemaPane *sp)
{
    const CatTable *t = sch_selected(sp);
    char *schema = t ? xstrdup(t->schema) : NULL, *name = t ? xstrdup(t->name) : NULL;
    sch_list_rebuild(sp, schema, name);
    free(schema);
    free(name);
}

void sch_list_select(SchemaPane *sp, const CatTable *t)
{
    size_t item = (size_t)(t - sp->cat->tables);
    if (!lm_select(&sp->list, item)) {
        lm_set_filter(&sp->list, NULL);
        pane_say(&sp->base, false, "Filter cleared to show %s.", t->name);
        lm_select(&sp->list, item);
    }
}

/* The list took a key (moving, the filter, an order): says the new order. */
PaneResult sch_list_key(SchemaPane *sp, int key)
{
    int sort = sp->list.sort;
    bool desc = sp->list.descending;
    LmResult r = lm_key(&sp->list, key);
    if (r == LM_IGNORED)
        return PANE_IGNORED;
    if (sort != sp->list.sort || desc != sp->list.descending) {
        measure(sp);
        bool up = sp->list.sort == SCH_SORT_NAME ? !sp->list.descending : sp->list.descending;
        pane_say(&sp->base, false, "Tables sorted by %s%s.", sch_sort_name(sort_of(sp)),
                 sp->list.sort == SCH_SORT_NAME ? (up ? "" : ", Z to A")
                                                : (up ? ", smallest first" : ", largest first"));
    }
    return PANE_REDRAW;
}

/* ---- drawing -------------------------------------------------------------- */

/* "ROWS ↓" on the column the list is sorted by. */
static const char *header_of(const SchemaPane *sp, int col, char *buf, size_t size)
{
    int sorted = sort_of(sp) == SCH_SORT_ROWS ? LC_ROWS
                 : sort_of(sp) == SCH_SORT_SIZE ? LC_SIZE : LC_NAME;
    if (col != sorted)
        return list_cols[col].header;
    /* the arrow points the way the values go down the list */
    bool up = (sort_of(sp) == SCH_SORT_NAME) != sp->list.descending;
    const char *arrow = up ? (sch_utf8() ? "\xe2\x86\x91" : "^")
                           : (sch_utf8() ? "\xe2\x86\x93" : "v");
    if (list_cols[col].align == ALIGN_RIGHT)
        snprintf(buf, size, "%s %s", arrow, list_cols[col].header);
    else
        snprintf(buf, size, "%s %s", list_cols[col].header, arrow);
    return buf;
}

void sch_list_draw(SchemaPane *sp, WINDOW *w, int set)
{
    TableColumn cols[LC_COUNT];
    char heads[LC_COUNT][32];
    size_t n = 0;
    for (; sets[set][n] >= 0; n++) {
        int c = sets[set][n];
        cols[n] = list_cols[c];
        cols[n].header = header_of(sp, c, heads[n], sizeof heads[n]);
    }
    sp->set = set;
    lm_set_columns(&sp->list, cols, n);
    /* with the focus on the detail, the selected table is marked, not lit */
    Palette pal = sp->detail ? sch_palette_as(sp->base.ctx->pal, SLOT_GRID_SELECTED, SLOT_TITLE)
                             : *sp->base.ctx->pal;
    lm_draw(&sp->list, w, 0, getmaxy(w), &pal);
    lm_set_columns(&sp->list, list_cols, LC_COUNT);   /* cols is about to go */
    const char *empty = NULL;
    if (sp->cat->count == 0)
        empty = "No tables or views.";
    else if (sp->list.nrows == 0)
        empty = "No table matches the filter (Esc clears it).";
    if (empty) {
        palette_use(w, sp->base.ctx->pal, SLOT_DIM);
        text_wrap(w, 2, 1, getmaxx(w) - 1, 3, empty);
        palette_use(w, sp->base.ctx->pal, SLOT_NORMAL);
    }
}

static int add_dot(WINDOW *w, SchemaPane *sp, int x)
{
    x = pane_add(w, &sp->base, 0, x, SLOT_DIM, " ");
    x = pane_add(w, &sp->base, 0, x, SLOT_DIM, text_glyph(GLYPH_DOT));
    return pane_add(w, &sp->base, 0, x, SLOT_DIM, " ");
}

/* Line 0: "Schema  11 tables · 1 view · sorted by rows (o) · ~ estimated". */
static void counts_draw(SchemaPane *sp, WINDOW *w)
{
    size_t views = 0, n = sp->cat->count;
    for (size_t i = 0; i < n; i++)
        views += sp->cat->tables[i].kind != CAT_KIND_TABLE
                 && sp->cat->tables[i].kind != CAT_KIND_PARTITIONED
                 && sp->cat->tables[i].kind != CAT_KIND_FOREIGN
                 && sp->cat->tables[i].kind != CAT_KIND_VIRTUAL;
    char buf[128];
    snprintf(buf, sizeof buf, "%zu table%s", n - views, n - views == 1 ? "" : "s");
    int x = pane_draw_title(w, &sp->base);
    x = pane_add(w, &sp->base, 0, x, SLOT_NORMAL, buf);
    x = add_dot(w, sp, x);
    snprintf(buf, sizeof buf, "%zu view%s", views, views == 1 ? "" : "s");
    x = pane_add(w, &sp->base, 0, x, SLOT_NORMAL, buf);
    x = add_dot(w, sp, x);
    snprintf(buf, sizeof buf, "sorted by %s%s", sch_sort_name(sort_of(sp)),
             sp->list.descending ? " (reversed)" : "");
    x = pane_add(w, &sp->base, 0, x, SLOT_NORMAL, buf);
    x = pane_add(w, &sp->base, 0, x, SLOT_DIM, " (o)");
    x = add_dot(w, sp, x);
    pane_add(w, &sp->base, 0, x, SLOT_DIM, "~ estimated, ? unknown");
}

/* "subscriptions → users" of the trail and the table shown now. */
static char *trail_text(const SchemaPane *sp)
{
    StrBuf b = STRBUF_INIT;
    const char *arrow = sch_utf8() ? " \xe2\x86\x92 " : " -> ";
    size_t first = sp->ntrail > 4 ? sp->ntrail - 4 : 0;
    if (first)
        sb_appendf(&b, "%s%s", text_glyph(GLYPH_ELLIPSIS), arrow);
    for (size_t i = first; i < sp->ntrail; i++)
        sb_appendf(&b, "%s%s", sp->trail[i].name, arrow);
    const CatTable *t = sch_selected(sp);
    sb_append(&b, t ? t->name : "?");
    return sb_take(&b);
}

/* Line 1: the filter prompt, the filter, or the trail of follows. */
static void note_draw(SchemaPane *sp, WINDOW *w)
{
    Pane *p = &sp->base;
    int width = getmaxx(w);
    if (lm_prompting(&sp->list)) {
        lm_draw_filter(&sp->list, w, 1, width, p->ctx->pal);
        return;
    }
    int x = 0;
    if (sp->list.filter) {
        char *t = xasprintf("Filter /%s/: %zu of %zu  (n/N next/previous, Esc clears)",
                            sp->list.filter_text, sp->list.nrows, sp->cat->count);
        x = pane_add(w, p, 1, 0, SLOT_TITLE, t) + 3;
        free(t);
    }
    if (sp->ntrail) {
        char *trail = trail_text(sp);
        x = pane_add(w, p, 1, x, SLOT_DIM, "Followed: ");
        x = pane_add(w, p, 1, x, SLOT_NORMAL, trail);
        x = pane_add(w, p, 1, x, SLOT_DIM, "  (b back)") + 3;
        free(trail);
    }
    char buf[160];
    const char *busy = sch_load_note(sp, buf, sizeof buf);
    if (busy)
        pane_add(w, p, 1, x, SLOT_DIM, busy);
}

void sch_summary_draw(SchemaPane *sp, WINDOW *w)
{
    counts_draw(sp, w);
    note_draw(sp, w);
}
