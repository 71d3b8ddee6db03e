/* listmode.c: see listmode.h. */
#include "listmode.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const KeyBinding listmode_items[] = {
    { { '/' }, "/", ACT_FILTER, "filter the list as you type (a regular expression); "
      "Enter keeps it, Esc puts back the one before", "filter" },
    { { 'n' }, "n", ACT_NEXT_MATCH, "next row of the filtered list (wraps)", NULL },
    { { 'N' }, "N", ACT_PREV_MATCH, "previous row of the filtered list (wraps)", NULL },
    { { 'o' }, "o", ACT_SORT, "the next order (by name, by size ...)", "sort" },
    { { 'O' }, "O", ACT_SORT_REVERSE, "the other direction of the order", NULL },
    { { KEY_ESC }, "Esc", ACT_BACK, "clear the filter (then: back)", NULL },
};

const KeyTable keys_listmode = { "In every list", listmode_items, COUNT(listmode_items) };

/* ---- the table's cells through the source ---------------------------- */

static TableCell row_cell(void *ctx, size_t row, size_t col, char *buf, size_t size)
{
    ListMode *lm = ctx;
    return lm->src->cell(lm->ctx, lm->rows[row], col, buf, size);
}

void lm_init(ListMode *lm, const Pane *pane, const ListSource *src, void *ctx,
             const TableColumn *cols, size_t ncols, const char *noun,
             const char *const *sort_names, int nsorts)
{
    memset(lm, 0, sizeof *lm);
    lm->src = src;
    lm->ctx = ctx;
    lm->pane = pane;
    lm->table = (Table){ cols, ncols, row_cell, lm };
    lm->noun = noun ? noun : "rows";
    lm->sort_names = src->compare ? sort_names : NULL;
    lm->nsorts = src->compare ? nsorts : 0;
}

void lm_set_columns(ListMode *lm, const TableColumn *cols, size_t ncols)
{
    lm->table.cols = cols;
    lm->table.ncols = ncols;
}

void lm_set_header(ListMode *lm, const char *header)
{
    lm->header = header;
}

void lm_free(ListMode *lm)
{
    free(lm->rows);
    rx_free(lm->filter);
    free(lm->filter_text);
    free(lm->before);
    free(lm->bad);
    memset(lm, 0, sizeof *lm);
}

/* ---- which items, in which order -------------------------------------- */

static bool selectable(const ListMode *lm, size_t item)
{
    return !lm->src->selectable || lm->src->selectable(lm->ctx, item);
}

static bool matches(const ListMode *lm, size_t item)
{
    if (!lm->filter)
        return true;
    if (!selectable(lm, item))
        return false;
    char buf[1024];
    const char *t = lm->src->text(lm->ctx, item, buf, sizeof buf);
    /* each line of the text on its own: ^ and $ anchor a whole name */
    for (const char *p = t; p; ) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (rx_match(lm->filter, p, n, NULL, 0))
            return true;
        p = nl ? nl + 1 : NULL;
    }
    return false;
}

/* qsort has no context: the list being sorted, for the comparison. */
static _Thread_local const ListMode *sorting;

static int by_order(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = sorting->src->compare(sorting->ctx, x, y, sorting->sort);
    if (c == 0)
        c = x < y ? -1 : x > y;   /* stable: the model's own order */
    return sorting->descending ? -c : c;
}

/* The selection off an item that cannot be selected, towards dir first. */
static void settle(ListMode *lm, int dir)
{
    if (lm->nrows == 0 || !lm->src->selectable)
        return;
    for (int pass = 0; pass < 2; pass++, dir = -dir) {
        size_t s = lm->lv.sel;
        for (;;) {
            if (selectable(lm, lm->rows[s])) {
                lm->lv.sel = s;
                return;
            }
            if ((dir > 0 && s + 1 >= lm->nrows) || (dir < 0 && s == 0))
                break;
            s = dir > 0 ? s + 1 : s - 1;
        }
    }
}

void lm_rebuild(ListMode *lm, long keep)
{
    size_t was = 0;
    bool had = keep < 0 && lm_selected(lm, &was);
    if (keep >= 0) {
        was = (size_t)keep;
        had = true;
    }
    size_t n = lm->src->count(lm->ctx);
    free(lm->rows);
    lm->rows = xcalloc(n ? n : 1, sizeof *lm->rows);
    lm->nrows = 0;
    lm->nitems = n;
    for (size_t i = 0; i < n; i++)
        if (matches(lm, i))
            lm->rows[lm->nrows++] = i;
    if (lm->nsorts > 0 && lm->nrows > 1) {
        sorting = lm;
        qsort(lm->rows, lm->nrows, sizeof *lm->rows, by_order);
        sorting = NULL;
    }
    lv_set_count(&lm->lv, lm->nrows);
    for (size_t r = 0; had && r < lm->nrows; r++)
        if (lm->rows[r] == was) {
            lm->lv.sel = r;
            break;
        }
    settle(lm, 1);
}

bool lm_selected(const ListMode *lm, size_t *item)
{
    if (lm->nrows == 0 || lm->lv.sel >= lm->nrows)
        return false;
    if (!selectable(lm, lm->rows[lm->lv.sel]))
        return false;
    *item = lm->rows[lm->lv.sel];
    return true;
}

bool lm_select(ListMode *lm, size_t item)
{
    for (size_t r = 0; r < lm->nrows; r++)
        if (lm->rows[r] == item) {
            lm->lv.sel = r;
            return true;
        }
    return false;
}

/* ---- the filter -------------------------------------------------------- */

static void use_filter(ListMode *lm, Rx *rx, const char *text)
{
    rx_free(lm->filter);
    free(lm->filter_text);
    lm->filter = rx;
    lm->filter_text = rx && text ? xstrdup(text) : NULL;
    lm_rebuild(lm, -1);
}

bool lm_set_filter(ListMode *lm, const char *pattern)
{
    if (!pattern || !*pattern) {
        use_filter(lm, NULL, NULL);
        return true;
    }
    char *why = NULL;
    Rx *rx = rx_compile_typed(pattern, &why);
    if (!rx) {
        pane_say(lm->pane, true, "%s", why);
        free(why);
        return false;
    }
    use_filter(lm, rx, pattern);
    return true;
}

/* What is typed so far narrows the list at once; a pattern that does not
 * compile yet keeps the last one that did, and says why. */
static void typed(ListMode *lm)
{
    free(lm->bad);
    lm->bad = NULL;
    if (lm->edit.len == 0) {
        use_filter(lm, NULL, NULL);
        return;
    }
    char *why = NULL;
    Rx *rx = rx_compile_typed(lm->edit.buf, &why);
    if (rx)
        use_filter(lm, rx, lm->edit.buf);
    else
        lm->bad = why;
}

static LmResult prompt_key(ListMode *lm, int key)
{
    switch (lineedit_key(&lm->edit, key)) {
    case LINE_ACCEPT:
        lm->prompting = false;
        if (lm->bad) {   /* Enter on a pattern that is not one: say so, put back the one before */
            pane_say(lm->pane, true, "%s", lm->bad);
            free(lm->bad);
            lm->bad = NULL;
            lm_set_filter(lm, lm->before);
        } else if (lm->filter && lm->nrows == 0) {
            pane_say(lm->pane, false, "No row matches /%s/ (Esc clears the filter).",
                     lm->filter_text);
        }
        free(lm->before);
        lm->before = NULL;
        return LM_CHANGED;
    case LINE_CANCEL:
        lm->prompting = false;
        free(lm->bad);
        lm->bad = NULL;
        lm_set_filter(lm, lm->before);
        free(lm->before);
        lm->before = NULL;
        return LM_CHANGED;
    case LINE_EDITING:
        typed(lm);
        return LM_CHANGED;
    case LINE_IGNORED:
        break;
    }
    return LM_HANDLED;   /* the prompt takes every key */
}

static void open_prompt(ListMode *lm)
{
    lm->prompting = true;
    free(lm->before);
    lm->before = lm->filter_text ? xstrdup(lm->filter_text) : NULL;
    lineedit_clear(&lm->edit);
    for (const char *p = lm->filter_text; p && *p; p++)
        lineedit_key(&lm->edit, (unsigned char)*p);
}

/* n/N: the next or previous selectable row, round the list. */
static void step(ListMode *lm, int dir)
{
    if (lm->nrows == 0)
        return;
    size_t s = lm->lv.sel;
    for (size_t k = 0; k < lm->nrows; k++) {
        s = dir > 0 ? (s + 1) % lm->nrows : (s + lm->nrows - 1) % lm->nrows;
        if (selectable(lm, lm->rows[s]))
            break;
    }
    if ((dir > 0 && s <= lm->lv.sel) || (dir < 0 && s >= lm->lv.sel))
        pane_say(lm->pane, false, "Search wrapped around.");
    lm->lv.sel = s;
}

LmResult lm_key(ListMode *lm, int key)
{
    if (lm->prompting)
        return prompt_key(lm, key);
    KeyAction a = keys_action(&keys_list, key);
    if (a != ACT_NONE) {
        size_t before = lm->lv.sel;
        lv_apply(&lm->lv, a);
        settle(lm, lm->lv.sel >= before ? 1 : -1);
        return LM_MOVED;
    }
    switch (keys_action(&keys_listmode, key)) {
    case ACT_FILTER:
        open_prompt(lm);
        return LM_CHANGED;
    case ACT_NEXT_MATCH:
        step(lm, 1);
        return LM_MOVED;
    case ACT_PREV_MATCH:
        step(lm, -1);
        return LM_MOVED;
    case ACT_SORT:
        if (lm->nsorts < 2)
            return LM_IGNORED;
        lm->sort = (lm->sort + 1) % lm->nsorts;
        lm->descending = false;
        lm_rebuild(lm, -1);
        return LM_CHANGED;
    case ACT_SORT_REVERSE:
        if (lm->nsorts < 1)
            return LM_IGNORED;
        lm->descending = !lm->descending;
        lm_rebuild(lm, -1);
        return LM_CHANGED;
    case ACT_BACK:
        if (!lm->filter)
            return LM_IGNORED;
        lm_set_filter(lm, NULL);
        return LM_CHANGED;
    default:
        return LM_IGNORED;
    }
}

bool lm_prompting(const ListMode *lm)
{
    return lm->prompting;
}

/* ---- drawing ------------------------------------------------------------ */

/* Rows the source draws itself, under a one-line header. */
static void draw_rows(ListMode *lm, WINDOW *w, int y, int height, const Palette *pal)
{
    int width = getmaxx(w);
    palette_use(w, pal, SLOT_GRID_HEADER);
    text_put(w, y, 0, width, lm->header ? lm->header : "", ALIGN_LEFT);
    int visible = height - 1;
    lv_scroll(&lm->lv, visible);
    for (int i = 0; i < visible && lm->lv.top + (size_t)i < lm->nrows; i++) {
        size_t row = lm->lv.top + (size_t)i;
        bool sel = row == lm->lv.sel;
        if (sel) {   /* the whole line lit */
            palette_use(w, pal, SLOT_GRID_SELECTED);
            text_put(w, y + 1 + i, 0, width, "", ALIGN_LEFT);
        }
        lm->src->draw_row(lm->ctx, lm->rows[row], w, y + 1 + i, 0, width, sel, pal);
    }
    palette_use(w, pal, SLOT_NORMAL);
}

void lm_draw(ListMode *lm, WINDOW *w, int y, int height, const Palette *pal)
{
    lm->table_y = y;
    if (lm->src->draw_row)
        draw_rows(lm, w, y, height, pal);
    else
        table_draw(w, y, height, &lm->table, &lm->lv, pal);
}

bool lm_draw_filter(const ListMode *lm, WINDOW *w, int y, int width, const Palette *pal)
{
    char *t = NULL;
    if (lm->prompting) {
        char *prompt = xasprintf("Filter %s (regex): /", lm->noun);
        lineedit_draw(w, y, 0, width, prompt, &lm->edit, pal);
        int x = text_width(prompt) + (int)lm->edit.len + 2;
        free(prompt);
        if (x >= width)
            return true;
        t = lm->bad ? xstrdup(lm->bad)
                    : xasprintf("%zu of %zu %s", lm->nrows, lm->nitems, lm->noun);
        palette_use(w, pal, lm->bad ? SLOT_STATUS_ERROR : SLOT_DIM);
        text_add(w, y, x, width - x, t);
        palette_use(w, pal, SLOT_NORMAL);
        free(t);
        return true;
    }
    if (!lm->filter)
        return false;
    t = xasprintf("Filter /%s/: %zu of %zu %s  (n/N next/previous, Esc clears)",
                  lm->filter_text, lm->nrows, lm->nitems, lm->noun);
    palette_use(w, pal, SLOT_TITLE);
    text_put(w, y, 0, width, t, ALIGN_LEFT);
    palette_use(w, pal, SLOT_NORMAL);
    free(t);
    return true;
}

bool lm_click(ListMode *lm, int wy)
{
    if (!lv_click(&lm->lv, table_row_offset(wy, lm->table_y)))
        return false;
    settle(lm, 1);
    return true;
}
