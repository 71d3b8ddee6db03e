/* table.c: see table.h. */
#include "table.h"

#define GAP 2
#define CELL_BUF 128
#define FLEX_FLOOR 8

typedef struct Layout {
    int  width[TABLE_MAX_COLS];
    int  natural[TABLE_MAX_COLS];
    bool shown[TABLE_MAX_COLS];
    int  total;
} Layout;

static TableCell cell_at(const Table *t, size_t row, size_t col, char *buf)
{
    buf[0] = '\0';
    TableCell c = t->cell(t->ctx, row, col, buf, CELL_BUF);
    if (!c.text)
        c.text = "";
    return c;
}

/* Natural widths: the widest of header and cells, capped at max. */
static void natural_widths(const Table *t, size_t nrows, Layout *l)
{
    char buf[CELL_BUF];
    for (size_t c = 0; c < t->ncols; c++) {
        int w = text_width(t->cols[c].header);
        for (size_t r = 0; r < nrows; r++) {
            int cw = text_width(cell_at(t, r, c, buf).text);
            if (cw > w)
                w = cw;
        }
        if (t->cols[c].max > 0 && w > t->cols[c].max)
            w = t->cols[c].max;
        l->width[c] = l->natural[c] = w > 0 ? w : 1;
        l->shown[c] = true;
    }
}

static int total_width(const Table *t, const Layout *l)
{
    int total = 0, n = 0;
    for (size_t c = 0; c < t->ncols; c++)
        if (l->shown[c]) {
            total += l->width[c];
            n++;
        }
    return n ? total + GAP * (n - 1) : 0;
}

/* The flexible column that can still give up columns down to floor (its
 * min, or FLEX_FLOOR once nothing else can be dropped); -1 if none. */
static int shrinkable(const Table *t, const Layout *l, bool to_floor)
{
    for (size_t c = 0; c < t->ncols; c++) {
        int floor = to_floor ? FLEX_FLOOR : t->cols[c].min;
        if (t->cols[c].flex && l->shown[c] && l->width[c] > floor)
            return (int)c;
    }
    return -1;
}

/* The shown column to drop next, or -1. */
static int droppable(const Table *t, const Layout *l)
{
    int drop = -1;
    for (size_t c = 0; c < t->ncols; c++)
        if (l->shown[c] && t->cols[c].drop > 0
            && (drop < 0 || t->cols[c].drop > t->cols[drop].drop))
            drop = (int)c;
    return drop;
}

/* Shrinks the flexible column to its min, then drops columns, then
 * shrinks the flexible column to FLEX_FLOOR; what still does not fit is
 * clipped by the window. */
static void fit_layout(const Table *t, Layout *l, int avail)
{
    for (;;) {
        int over = total_width(t, l) - avail;
        if (over <= 0)
            break;
        int flex = shrinkable(t, l, false), drop = droppable(t, l);
        bool to_floor = false;
        if (flex < 0 && drop < 0) {
            flex = shrinkable(t, l, true);
            to_floor = true;
        }
        if (flex >= 0) {
            int can = l->width[flex] - (to_floor ? FLEX_FLOOR : t->cols[flex].min);
            l->width[flex] -= over < can ? over : can;
        } else if (drop >= 0) {
            l->shown[drop] = false;
        } else {
            break;
        }
    }
    /* Give back what a dropped column freed to the flexible one. */
    int spare = avail - total_width(t, l);
    for (size_t c = 0; c < t->ncols && spare > 0; c++)
        if (t->cols[c].flex && l->shown[c] && l->width[c] < l->natural[c]) {
            int grow = l->natural[c] - l->width[c];
            l->width[c] += grow < spare ? grow : spare;
            break;
        }
    l->total = total_width(t, l);
}

static void draw_row(WINDOW *w, int y, const Table *t, const Layout *l, size_t row,
                     bool header, bool selected, const Palette *pal)
{
    char buf[CELL_BUF];
    int x = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (!l->shown[c])
            continue;
        TableCell cell = { t->cols[c].header, SLOT_GRID_HEADER };
        if (!header)
            cell = cell_at(t, row, c, buf);
        palette_use(w, pal, selected ? SLOT_GRID_SELECTED : cell.slot);
        text_put(w, y, x, l->width[c], cell.text, t->cols[c].align);
        x += l->width[c];
        if (x < l->total) {
            palette_use(w, pal, selected ? SLOT_GRID_SELECTED : header ? SLOT_GRID_HEADER : SLOT_NORMAL);
            text_put(w, y, x, GAP, "", ALIGN_LEFT);
        }
        x += GAP;
    }
    int maxx = getmaxx(w);
    if (selected && l->total < maxx) {
        palette_use(w, pal, SLOT_GRID_SELECTED);
        text_put(w, y, l->total, maxx - l->total, "", ALIGN_LEFT);
    }
    palette_use(w, pal, SLOT_NORMAL);
}

void table_draw(WINDOW *w, int y, int height, const Table *t, ListView *lv, const Palette *pal)
{
    if (!w || height < 1 || t->ncols == 0 || t->ncols > TABLE_MAX_COLS)
        return;
    Layout l;
    natural_widths(t, lv->count, &l);
    fit_layout(t, &l, getmaxx(w));
    draw_row(w, y, t, &l, 0, true, false, pal);
    int visible = height - 1;
    lv_scroll(lv, visible);
    for (int i = 0; i < visible && lv->top + (size_t)i < lv->count; i++) {
        size_t row = lv->top + (size_t)i;
        draw_row(w, y + 1 + i, t, &l, row, false, row == lv->sel, pal);
    }
}

int table_row_offset(int wy, int y)
{
    return wy > y ? wy - y - 1 : -1;
}
