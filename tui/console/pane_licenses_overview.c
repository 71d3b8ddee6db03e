/* pane_licenses_overview.c: the Licenses pane's first view: subscriptions
 * and licenses counted per state (bars) and per plan, the license states
 * with the transitions allowed from each (the state diagram as text: a
 * state, its count, its arrows), and the anomalies as a list; Enter shows
 * an anomaly's rows (see pane_licenses_internal.h). */
#include "pane_licenses_internal.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the anomalies' list ---------------------------------------------------- */

enum { AC_COUNT, AC_MESSAGE, AC_TABLE };

static const TableColumn anomaly_cols[] = {
    [AC_COUNT] = { "COUNT", 8, 0, ALIGN_RIGHT, false, 0 },
    [AC_MESSAGE] = { "ANOMALY", 0, 20, ALIGN_LEFT, true, 0 },
    [AC_TABLE] = { "ROWS IN", 16, 0, ALIGN_LEFT, false, 1 },
};

static size_t an_count(void *ctx)
{
    const LicPane *lp = ctx;
    return lp->have_model ? lp->model.nanomalies : 0;
}

static const char *an_text(void *ctx, size_t i, char *buf, size_t size)
{
    const BillAnomaly *a = &((LicPane *)ctx)->model.anomalies[i];
    snprintf(buf, size, "%s\n%s\n%s", a->kind, a->message ? a->message : "",
             a->table ? a->table : "");
    return buf;
}

static TableCell an_cell(void *ctx, size_t i, size_t col, char *buf, size_t size)
{
    const BillAnomaly *a = &((LicPane *)ctx)->model.anomalies[i];
    ThemeSlot s = a->count > 0 ? SLOT_STATE_PROBLEM : SLOT_STATE_APPLIED;
    switch (col) {
    case AC_COUNT:
        snprintf(buf, size, "%lld", a->count);
        return (TableCell){ buf, s };
    case AC_MESSAGE:
        return (TableCell){ a->message ? a->message : a->kind, a->count > 0 ? SLOT_NORMAL
                                                                           : SLOT_DIM };
    default:
        return (TableCell){ a->table ? a->table : "", SLOT_DIM };
    }
}

/* Found ones first (then in the order they are checked), the largest
 * count first, or by the table of their rows. */
static int an_compare(void *ctx, size_t x, size_t y, int key)
{
    const LicPane *lp = ctx;
    const BillAnomaly *a = &lp->model.anomalies[x], *b = &lp->model.anomalies[y];
    if (key == 1)
        return a->count == b->count ? 0 : a->count > b->count ? -1 : 1;
    if (key == 2)
        return strcmp(a->table ? a->table : "", b->table ? b->table : "");
    bool fx = a->count > 0, fy = b->count > 0;
    return fx == fy ? 0 : fx ? -1 : 1;
}

static const ListSource anomaly_source = {
    .count = an_count, .text = an_text, .cell = an_cell, .compare = an_compare,
};
static const char *const anomaly_orders[] = { "found first", "count", "table" };

void lic_overview_init(LicPane *lp)
{
    lm_init(&lp->anomalies, &lp->base, &anomaly_source, lp, anomaly_cols,
            sizeof anomaly_cols / sizeof anomaly_cols[0], "anomalies", anomaly_orders, 3);
}

void lic_overview_rebuild(LicPane *lp)
{
    lm_rebuild(&lp->anomalies, -1);
}

const BillAnomaly *lic_selected_anomaly(const LicPane *lp)
{
    size_t i;
    if (!lp->have_model || !lm_selected(&lp->anomalies, &i))
        return NULL;
    return &lp->model.anomalies[i];
}

/* ---- bars ------------------------------------------------------------------ */

static long long max_of(const BillCount *v, size_t n)
{
    long long m = 0;
    for (size_t i = 0; i < n; i++)
        m = v[i].n > m ? v[i].n : m;
    return m;
}

/* "active     ██████ 40": label, a bar in proportion to max, the count;
 * returns the column after it. */
static int bar(WINDOW *w, const Palette *pal, int y, int x, int width, int label_w,
               const BillCount *c, long long max)
{
    char num[32];
    snprintf(num, sizeof num, " %lld", c->n);
    int room = width - label_w - 1 - (int)strlen(num);
    if (room < 1)
        room = 1;
    if (room > 24)
        room = 24;
    int len = max > 0 ? (int)((c->n * room + max - 1) / max) : 0;
    palette_use(w, pal, c->n ? SLOT_NORMAL : SLOT_DIM);
    text_put(w, y, x, label_w, c->key, ALIGN_LEFT);
    StrBuf b = STRBUF_INIT;
    const char *block = strcmp(text_glyph(GLYPH_ELLIPSIS), "~") ? "\xe2\x96\x88" : "#";
    for (int i = 0; i < len; i++)
        sb_append(&b, block);
    palette_use(w, pal, c->n ? SLOT_TITLE : SLOT_DIM);
    int bw = text_add(w, y, x + label_w + 1, room, sb_str(&b));
    sb_free(&b);
    palette_use(w, pal, c->n ? SLOT_NORMAL : SLOT_DIM);
    int end = text_add(w, y, x + label_w + 1 + bw, width - label_w - 1 - bw, num);
    palette_use(w, pal, SLOT_NORMAL);
    return x + label_w + 1 + bw + end;
}

static int label_width(const BillCount *v, size_t n)
{
    int m = 4;
    for (size_t i = 0; i < n; i++) {
        int w = text_width(v[i].key);
        m = w > m ? w : m;
    }
    return m > 16 ? 16 : m;
}

/* "by plan: monthly 80 · annual 40" */
static void plans_line(WINDOW *w, const Pane *p, int y, int x, int width, const char *what,
                       const BillSide *s)
{
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "by %s:", what);
    for (size_t i = 0; i < s->nplans; i++)
        sb_appendf(&b, "%s %s %lld", i ? " " : "", s->by_plan[i].key, s->by_plan[i].n);
    if (s->nplans == 0)
        sb_append(&b, " none");
    palette_use(w, p->ctx->pal, SLOT_DIM);
    text_add(w, y, x, width, sb_str(&b));
    palette_use(w, p->ctx->pal, SLOT_NORMAL);
    sb_free(&b);
}

/* "→ active, expired, revoked": where state may go. */
static char *arrows_from(const BillModel *m, const char *state)
{
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < m->ntransitions; i++) {
        const BillTransition *t = &m->transitions[i];
        if ((t->from && strcmp(t->from, state) != 0) || strcmp(t->to, state) == 0)
            continue;
        sb_appendf(&b, "%s%s", b.len ? ", " : "", t->to);
    }
    char *s = b.len ? xasprintf("%s %s", strcmp(text_glyph(GLYPH_ELLIPSIS), "~")
                                          ? "\xe2\x86\x92" : "->", sb_str(&b))
                    : xstrdup("(no way out)");
    sb_free(&b);
    return s;
}

/* The widest "-> ..." of the license states. */
static int arrows_width(const BillModel *m)
{
    int a = 0;
    for (size_t i = 0; i < m->licenses.nstates; i++) {
        char *s = arrows_from(m, m->licenses.by_state[i].key);
        int w = text_width(s);
        a = w > a ? w : a;
        free(s);
    }
    return a;
}

/* Draws the two sides from y; returns the lines used.  The licenses get
 * the wider side: their arrows must show whole. */
static int sides_draw(LicPane *lp, WINDOW *w, int y, int height)
{
    const Palette *pal = lp->base.ctx->pal;
    const BillSide *sub = &lp->model.subscriptions, *lic = &lp->model.licenses;
    int width = getmaxx(w), sub_w = width * 2 / 5 - 2, lic_x = sub_w + 2;
    int lic_w = width - lic_x;
    int lines = (int)(sub->nstates > lic->nstates ? sub->nstates : lic->nstates) + 2;
    if (lines > height)
        lines = height;
    char *t = xasprintf("SUBSCRIPTIONS %lld (%s)", sub->total, sub->table);
    palette_use(w, pal, SLOT_GRID_HEADER);
    text_add(w, y, 0, sub_w, t);
    free(t);
    t = xasprintf("LICENSES %lld (%s), and where each state may go", lic->total, lic->table);
    text_add(w, y, lic_x, lic_w, t);
    palette_use(w, pal, SLOT_NORMAL);
    free(t);
    long long smax = max_of(sub->by_state, sub->nstates);
    long long lmax = max_of(lic->by_state, lic->nstates);
    int slw = label_width(sub->by_state, sub->nstates);
    int llw = label_width(lic->by_state, lic->nstates);
    int bw = lic_w - arrows_width(&lp->model) - 1;
    if (bw > lic_w / 2)
        bw = lic_w / 2;
    if (bw < llw + 6)
        bw = llw + 6;
    int rows = lines - 2;
    for (int i = 0; i < rows; i++) {
        if ((size_t)i < sub->nstates)
            bar(w, pal, y + 1 + i, 0, sub_w, slw, &sub->by_state[i], smax);
        if ((size_t)i < lic->nstates) {
            int x = bar(w, pal, y + 1 + i, lic_x, bw, llw, &lic->by_state[i], lmax);
            char *arrows = arrows_from(&lp->model, lic->by_state[i].key);
            palette_use(w, pal, SLOT_DIM);
            text_add(w, y + 1 + i, x + 1, width - x - 1, arrows);
            palette_use(w, pal, SLOT_NORMAL);
            free(arrows);
        }
    }
    plans_line(w, &lp->base, y + lines - 1, 0, sub_w, "plan", sub);
    plans_line(w, &lp->base, y + lines - 1, lic_x, lic_w, "product", lic);
    return lines;
}

void lic_overview_draw(LicPane *lp, WINDOW *w, int y, int height)
{
    int used = sides_draw(lp, w, y, height / 2 > 4 ? height / 2 : 4);
    int top = y + used + 1;
    if (!lm_draw_filter(&lp->anomalies, w, top, getmaxx(w), lp->base.ctx->pal))
        top--;   /* no filter line: the list one line higher */
    lm_draw(&lp->anomalies, w, top + 1, y + height - top - 1, lp->base.ctx->pal);
}

/* ---- an anomaly's rows ------------------------------------------------------ */

static const char *row_cell(void *ctx, size_t row, int col)
{
    const LicPane *lp = ctx;
    return bill_cell(&lp->model.anomalies[lp->rows_of].rows, row, col);
}

void lic_rows_open(LicPane *lp)
{
    size_t i;
    if (!lp->have_model || !lm_selected(&lp->anomalies, &i))
        return;
    const BillAnomaly *a = &lp->model.anomalies[i];
    if (a->count == 0) {
        pane_say(&lp->base, false, "Nothing found: %s.", a->message ? a->message : a->kind);
        return;
    }
    lp->rows_of = i;
    gridlist_set(&lp->rows, &lp->base, a->rows.ncols, a->rows.names, a->rows.nrows, row_cell,
                 lp, "rows");
    lp->view = LIC_VIEW_ROWS;
}

void lic_rows_draw(LicPane *lp, WINDOW *w, int y, int height)
{
    const BillAnomaly *a = &lp->model.anomalies[lp->rows_of];
    char *head = xasprintf("%s  (%lld row%s%s)",
                           a->message ? a->message : a->kind, a->nrows,
                           a->nrows == 1 ? "" : "s",
                           a->rows.truncated ? ", the first ones shown" : "");
    if (!lm_draw_filter(&lp->rows.lm, w, y, getmaxx(w), lp->base.ctx->pal))
        pane_add(w, &lp->base, y, 0, SLOT_TITLE, head);
    free(head);
    lm_draw(&lp->rows.lm, w, y + 1, height - 1, lp->base.ctx->pal);
}
