/* pane_schema_grid.c: drawing the Rows tab: an info line (which rows of
 * how many, how they are paged, which columns show), the column header and
 * the page's rows; or, when the rows could not be read, the error in their
 * place and nothing that could pass for rows.  The key columns stay on the
 * left while the others scroll sideways; NULL is "NULL" in its own slot
 * (grid.null) and an empty string nothing; long values are cut with an
 * ellipsis (Enter shows them whole); newlines show as a glyph.  A column is
 * as wide as the widest value it has shown since the table was opened, so
 * widths do not change back and forth while paging (see
 * pane_schema_internal.h). */
#include "pane_schema_internal.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL_MAX_W 40   /* widest a column gets */
#define GAP 2
#define FROZEN_GAP 3    /* " │ " after the key columns */

/* ---- cells ------------------------------------------------------------------ */

/* Drops an incomplete UTF-8 sequence at the end of b. */
static void trim_partial_utf8(StrBuf *b)
{
    size_t i = b->len;
    while (i > 0 && ((unsigned char)b->s[i - 1] & 0xc0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)b->s[i - 1];
    size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (b->len - (i - 1) < need) {
        b->len = i - 1;
        b->s[b->len] = '\0';
    }
}

char *sch_cell_text(const RowsCell *c, int max_cols)
{
    if (c->null)
        return xstrdup("NULL");
    const char *nl = sch_utf8() ? "\xe2\x86\xb5" : "|";   /* ↵ */
    size_t limit = (size_t)(max_cols > 0 ? max_cols : 1) * 4 + 8, i = 0;
    StrBuf b = STRBUF_INIT;
    sb_append(&b, "");
    for (; i < c->len && b.len < limit; i++) {
        char ch = c->text[i];
        if (ch == '\n')
            sb_append(&b, nl);
        else if (ch == '\t')
            sb_appendc(&b, ' ');
        else if (ch == '\0')
            sb_appendc(&b, '?');
        else if (ch != '\r')
            sb_appendc(&b, ch);
    }
    if (i < c->len) {
        trim_partial_utf8(&b);
        sb_append(&b, text_glyph(GLYPH_ELLIPSIS));
    }
    return sb_take(&b);
}

bool sch_type_numeric(const char *type)
{
    char low[64];
    size_t n = 0;
    for (; type && type[n] && n + 1 < sizeof low; n++)
        low[n] = (char)tolower((unsigned char)type[n]);
    low[n] = '\0';
    if (strstr(low, "int") && !strstr(low, "point") && !strstr(low, "interval"))
        return true;
    static const char *const num[] = { "real", "floa", "doub", "numeric", "decimal", "money",
                                       "serial" };
    for (size_t i = 0; i < sizeof num / sizeof num[0]; i++)
        if (strstr(low, num[i]))
            return true;
    return false;
}

/* ---- layout of the columns ------------------------------------------------- */

typedef struct Grid {
    const RowsPage *pg;
    char   **text;     /* owned: nrows * ncols display texts */
    int     *width;    /* owned: natural width of each column */
    bool    *right;    /* owned: right-aligned (numbers) */
    int      nfrozen;
} Grid;

static bool column_numeric(const SchemaPane *sp, const char *name)
{
    const SchRows *r = &sp->rows;
    if (r->kind == ROWS_KEY_ROWID)
        for (int i = 0; i < r->nkey; i++)
            if (strcmp(r->key[i], name) == 0)
                return true;
    const CatTable *t = sp->shown;
    for (size_t i = 0; t && i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0)
            return sch_type_numeric(t->columns[i].type);
    return false;
}

static void grid_build(SchemaPane *sp, Grid *g)
{
    const RowsPage *pg = rows_page(sp->rows.pager);
    size_t nc = (size_t)pg->ncols;
    g->pg = pg;
    g->text = xcalloc(pg->nrows * nc + 1, sizeof *g->text);
    g->width = xcalloc(nc + 1, sizeof *g->width);
    g->right = xcalloc(nc + 1, sizeof *g->right);
    g->nfrozen = sp->rows.nfrozen < pg->ncols ? sp->rows.nfrozen : pg->ncols;
    for (size_t c = 0; c < nc; c++) {
        g->width[c] = text_width(pg->names[c]);
        g->right[c] = column_numeric(sp, pg->names[c]);
    }
    for (size_t r = 0; r < pg->nrows; r++)
        for (size_t c = 0; c < nc; c++) {
            char *s = sch_cell_text(rows_cell(pg, r, (int)c), CELL_MAX_W);
            int w = text_width(s);
            if (w > g->width[c])
                g->width[c] = w;
            g->text[r * nc + c] = s;
        }
    SchRows *rs = &sp->rows;
    if (rs->nwidths != pg->ncols) {   /* a new table, or its columns changed */
        free(rs->widths);
        rs->widths = xcalloc(nc + 1, sizeof *rs->widths);
        rs->nwidths = pg->ncols;
    }
    for (size_t c = 0; c < nc; c++) {
        if (g->width[c] > CELL_MAX_W)
            g->width[c] = CELL_MAX_W;
        if (g->width[c] < rs->widths[c])   /* never narrower than before */
            g->width[c] = rs->widths[c];
        if (g->width[c] < 1)
            g->width[c] = 1;
        rs->widths[c] = g->width[c];
    }
}

static void grid_free(Grid *g)
{
    size_t n = g->pg ? g->pg->nrows * (size_t)g->pg->ncols : 0;
    for (size_t i = 0; i < n; i++)
        free(g->text[i]);
    free(g->text);
    free(g->width);
    free(g->right);
}

/* Key columns wider than half the window give up space. */
static int frozen_width(Grid *g, int width)
{
    if (g->nfrozen == 0)
        return 0;
    int total = 0;
    for (int c = 0; c < g->nfrozen; c++)
        total += g->width[c] + GAP;
    if (total - GAP + FROZEN_GAP > width / 2) {
        int each = (width / 2) / g->nfrozen - GAP;
        if (each < 4)
            each = 4;
        total = 0;
        for (int c = 0; c < g->nfrozen; c++) {
            if (g->width[c] > each)
                g->width[c] = each;
            total += g->width[c] + GAP;
        }
    }
    return total - GAP + FROZEN_GAP;
}

/* Does columns from..to (inclusive) fit from x0 in width? */
static bool span_fits(const Grid *g, int x0, int from, int to, int width)
{
    int x = x0;
    for (int c = from; c <= to; c++)
        x += g->width[c] + (c < to ? GAP : 0);
    return x <= width;
}

/* Keeps the cursor's column in view, and no room wasted on the right. */
static void fix_hscroll(SchRows *r, const Grid *g, int x0, int width)
{
    int nc = g->pg->ncols, nf = g->nfrozen;
    if (r->hscroll < nf)
        r->hscroll = nf;
    if (r->hscroll >= nc)
        r->hscroll = nc > nf ? nc - 1 : nf;
    if (r->col >= nf) {
        if (r->col < r->hscroll)
            r->hscroll = r->col;
        while (r->hscroll < r->col && !span_fits(g, x0, r->hscroll, r->col, width))
            r->hscroll++;
    }
    while (r->hscroll > nf && nc > nf && span_fits(g, x0, r->hscroll - 1, nc - 1, width))
        r->hscroll--;
}

/* Places the visible columns: r->col_x/col_w/col_of. */
static void place_columns(SchRows *r, Grid *g, int width)
{
    int x = 0, n = 0;
    for (int c = 0; c < g->nfrozen && n < SCH_GRID_MAX_COLS && x < width; c++) {
        r->col_x[n] = x;
        r->col_w[n] = g->width[c] < width - x ? g->width[c] : width - x;
        r->col_of[n++] = c;
        x += g->width[c] + GAP;
    }
    if (g->nfrozen)
        x += FROZEN_GAP - GAP;
    for (int c = r->hscroll; c < g->pg->ncols && n < SCH_GRID_MAX_COLS; c++) {
        int room = width - x;
        if (room < (g->width[c] < 3 ? g->width[c] : 3))
            break;
        r->col_x[n] = x;
        r->col_w[n] = g->width[c] < room ? g->width[c] : room;
        r->col_of[n++] = c;
        x += g->width[c] + GAP;
    }
    r->ncolvis = n;
}

/* ---- drawing ----------------------------------------------------------------- */

static void put(WINDOW *w, const Palette *pal, ThemeSlot s, int y, int x, int width,
                const char *text, TextAlign a)
{
    palette_use(w, pal, s);
    text_put(w, y, x, width, text, a);
}

static const char *key_words(const SchRows *r, char *buf, size_t size)
{
    if (r->kind == ROWS_KEY_COLUMNS)
        return "no unique key: by all columns, dups numbered";
    if (r->kind == ROWS_KEY_ROWID)
        return "by rowid (no primary key)";
    if (r->kind == ROWS_KEY_CTID)
        return "by ctid (no primary key)";
    StrBuf b = STRBUF_INIT;
    sb_append(&b, "by ");
    for (int i = 0; i < r->nkey; i++)
        sb_appendf(&b, "%s%s", i ? ", " : "", r->key[i]);
    snprintf(buf, size, "%s", sb_str(&b));
    sb_free(&b);
    return buf;
}

/* "12", "~12", or "over 12" (how says how well n is known). */
static void count_text(char *buf, size_t size, long long n, SchCount how)
{
    snprintf(buf, size, "%s%lld", how == SCH_ABOUT ? "~" : how == SCH_PAST ? "over " : "", n);
}

/* Which rows of how many: "rows 23-44 of 300", "rows ~9976-~9997 of ~10000",
 * "rows after the first 100000 of ~2000000". */
static void position_text(const SchemaPane *sp, const RowsPage *pg, char *buf, size_t size)
{
    const SchRows *r = &sp->rows;
    long long n = (long long)pg->nrows, a = r->first, b = r->first + n - 1;
    char total[48] = "";
    if (r->total >= 0) {
        char t[40];
        count_text(t, sizeof t, r->total, r->total_how);
        snprintf(total, sizeof total, " of %s", t);
    }
    if (n == 0)
        snprintf(buf, size, "no rows%s", r->total > 0 ? " here" : "");
    else if (a <= 0)
        snprintf(buf, size, "%lld row%s%s", n, n == 1 ? "" : "s", total);
    else if (r->first_how == SCH_PAST)
        snprintf(buf, size, "rows after the first %lld%s", a - 1, total);
    else if (r->first_how == SCH_ABOUT)
        snprintf(buf, size, "rows ~%lld-~%lld%s", a, b, total);
    else if (n == 1)
        snprintf(buf, size, "row %lld%s", a, total);
    else
        snprintf(buf, size, "rows %lld-%lld%s", a, b, total);
}

static void info_draw(SchemaPane *sp, WINDOW *w, int y, const RowsPage *pg, const Grid *g)
{
    const Palette *pal = sp->base.ctx->pal;
    SchRows *r = &sp->rows;
    int width = getmaxx(w);
    char pos[256], keyb[96], cols[64];
    position_text(sp, pg, pos, sizeof pos);
    int n = r->ncolvis, last = n ? r->col_of[n - 1] : -1;
    bool cut = n && r->col_w[n - 1] < g->width[last];
    bool left = r->hscroll > g->nfrozen, right = last + 1 < pg->ncols || cut;
    snprintf(cols, sizeof cols, "%s col %d of %d %s", left ? (sch_utf8() ? "\xe2\x97\x82" : "<") : " ",
             pg->ncols ? r->col + 1 : 0, pg->ncols, right ? (sch_utf8() ? "\xe2\x96\xb8" : ">") : " ");
    int cw = text_width(cols);
    if (cw > width / 2)
        cw = 0;
    palette_use(w, pal, SLOT_NORMAL);
    int x = text_add(w, y, 0, width - cw - 1, pos);
    palette_use(w, pal, SLOT_DIM);
    x += text_add(w, y, x, width - cw - 1 - x, "  ");
    x += text_add(w, y, x, width - cw - 1 - x, key_words(r, keyb, sizeof keyb));
    if (r->anchor && x < width - cw - 1) {   /* where a jump landed, as room allows */
        char *from = xasprintf("  from %s", r->anchor);
        text_add(w, y, x, width - cw - 1 - x, from);
        free(from);
    }
    if (cw)
        text_put(w, y, width - cw, cw, cols, ALIGN_LEFT);
    palette_use(w, pal, SLOT_NORMAL);
}

static void bar_draw(SchemaPane *sp, WINDOW *w, int y, const Grid *g)
{
    const SchRows *r = &sp->rows;
    if (!g->nfrozen || r->ncolvis <= g->nfrozen)
        return;
    int x = r->col_x[g->nfrozen] - 2;
    palette_use(w, sp->base.ctx->pal, SLOT_DIM);
    text_add(w, y, x, 1, text_glyph(GLYPH_BAR));
}

static void header_draw(SchemaPane *sp, WINDOW *w, int y, const Grid *g)
{
    const Palette *pal = sp->base.ctx->pal;
    SchRows *r = &sp->rows;
    int width = getmaxx(w);
    palette_use(w, pal, SLOT_GRID_HEADER);
    text_put(w, y, 0, width, "", ALIGN_LEFT);
    for (int i = 0; i < r->ncolvis; i++) {
        int c = r->col_of[i];
        bool cur = sp->detail && c == r->col;
        put(w, pal, cur ? SLOT_GRID_SELECTED : SLOT_GRID_HEADER, y, r->col_x[i], r->col_w[i],
            g->pg->names[c], g->right[c] ? ALIGN_RIGHT : ALIGN_LEFT);
    }
    bar_draw(sp, w, y, g);
    palette_use(w, pal, SLOT_NORMAL);
}

static void row_draw(SchemaPane *sp, WINDOW *w, int y, size_t row, const Grid *g)
{
    const Palette *pal = sp->base.ctx->pal;
    SchRows *r = &sp->rows;
    bool cur = sp->detail && row == r->row;
    if (cur && r->ncolvis) {   /* the cursor's row underlined, gaps too */
        int end = r->col_x[r->ncolvis - 1] + r->col_w[r->ncolvis - 1];
        put(w, pal, SLOT_GRID_HEADER, y, 0, end, "", ALIGN_LEFT);
    }
    size_t nc = (size_t)g->pg->ncols;
    for (int i = 0; i < r->ncolvis; i++) {
        int c = r->col_of[i];
        const RowsCell *cell = rows_cell(g->pg, row, c);
        ThemeSlot s = cell->null ? SLOT_GRID_NULL : cur ? SLOT_GRID_HEADER : SLOT_NORMAL;
        if (cur && c == r->col)
            s = SLOT_GRID_SELECTED;
        palette_use(w, pal, s);
        if (cur && s == SLOT_GRID_NULL)   /* a NULL keeps its look on the cursor's row */
            wattron(w, A_UNDERLINE);
        text_put(w, y, r->col_x[i], r->col_w[i], g->text[row * nc + (size_t)c],
                 g->right[c] && !cell->null ? ALIGN_RIGHT : ALIGN_LEFT);
    }
    bar_draw(sp, w, y, g);
    palette_use(w, pal, SLOT_NORMAL);
}

static void hint_draw(SchemaPane *sp, WINDOW *w, int y)
{
    const Palette *pal = sp->base.ctx->pal;
    int width = getmaxx(w);
    SchRows *r = &sp->rows;
    bool failed = sch_rows_on(r, sp->shown) && r->error;
    palette_use(w, pal, failed ? SLOT_STATUS_ERROR : SLOT_DIM);
    char *text = NULL;
    if (failed)
        text = xasprintf("Cannot show the rows: %s", r->error);
    else
        text = xasprintf("Enter or R: the rows of %s, a page at a time (PgDn, PgUp, g, G), "
                         "paged by key.", sp->shown->name);
    text_wrap(w, y + 1, 1, width - 1, 4, text);
    free(text);
    CatKind k = sp->shown->kind;
    if ((k == CAT_KIND_VIEW || k == CAT_KIND_FOREIGN) && !failed) {
        palette_use(w, pal, SLOT_DIM);
        text_wrap(w, y + 5, 1, width - 1, 4, "It has no unique key: its rows are paged by all "
                  "its columns, rows equal in all of them numbered apart, so that each row "
                  "shows once. D shows its definition.");
    }
    palette_use(w, pal, SLOT_NORMAL);
}

/* Text (taken over) in slot where the rows would be, and under it what to
 * do; the page the pager may still hold is not shown. */
static void notice_draw(SchemaPane *sp, WINDOW *w, int y, int height, ThemeSlot slot, char *text,
                        const char *hint)
{
    const Palette *pal = sp->base.ctx->pal;
    int width = getmaxx(w);
    palette_use(w, pal, slot);
    int n = text_wrap(w, y + 1, 1, width - 1, height > 4 ? height - 3 : 1, text);
    free(text);
    if (y + 2 + n < y + height) {
        palette_use(w, pal, SLOT_DIM);
        text_wrap(w, y + 2 + n, 1, width - 1, 2, hint);
    }
    palette_use(w, pal, SLOT_NORMAL);
}

/* Esc stopped the reading: says so. */
static void stopped_draw(SchemaPane *sp, WINDOW *w, int y, int height)
{
    notice_draw(sp, w, y, height, SLOT_NORMAL,
                xasprintf("Stopped: the rows of %s were not read.", sp->rows.table),
                sp->rows.pager ? "R or Enter reads them again from the first page; g, G, PgDn "
                                 "or PgUp tries that page again."
                               : "R or Enter reads them again.");
}

/* The rows could not be read: the error, and what to do. */
static void error_draw(SchemaPane *sp, WINDOW *w, int y, int height)
{
    notice_draw(sp, w, y, height, SLOT_STATUS_ERROR,
                xasprintf("Cannot show the rows: %s", sp->rows.error),
                "g, G, PgDn or PgUp tries again; r reloads.");
}

void sch_grid_draw(SchemaPane *sp, WINDOW *w, int y, int height)
{
    SchRows *r = &sp->rows;
    r->grid_y = -1;
    r->ncolvis = 0;
    if (!sp->shown || sch_rowjob_draw(sp, w, y, height))
        return;   /* (the rows are being read) */
    if (sch_rows_on(r, sp->shown) && r->pager) {
        sch_rows_refit(sp, sch_rows_page_fit(sp));
        if (sch_rowjob_draw(sp, w, y, height))
            return;
    }
    if (sch_rows_on(r, sp->shown) && r->stopped) {
        stopped_draw(sp, w, y, height);
        return;
    }
    if (!sch_rows_on(r, sp->shown) || !r->pager) {
        hint_draw(sp, w, y);
        return;
    }
    if (r->error) {
        error_draw(sp, w, y, height);
        return;
    }
    int width = getmaxx(w);
    Grid g = { 0 };
    grid_build(sp, &g);
    int x0 = frozen_width(&g, width);
    fix_hscroll(r, &g, x0, width);
    place_columns(r, &g, width);
    info_draw(sp, w, y, g.pg, &g);
    if (height < 3) {
        grid_free(&g);
        return;
    }
    header_draw(sp, w, y + 1, &g);
    r->grid_y = y + 2;
    int visible = height - 2;
    for (int i = 0; i < visible && (size_t)i < g.pg->nrows; i++)
        row_draw(sp, w, y + 2 + i, (size_t)i, &g);
    if (g.pg->nrows == 0) {
        palette_use(w, sp->base.ctx->pal, SLOT_DIM);
        char *none = g.pg->more_before ? xstrdup("No rows here.")
                   : xasprintf("No rows: the %s is empty.", catalog_kind_name(sp->shown->kind));
        text_add(w, y + 3, 1, width - 1, none);
        free(none);
        palette_use(w, sp->base.ctx->pal, SLOT_NORMAL);
    }
    grid_free(&g);
}

bool sch_grid_click(SchemaPane *sp, int y, int x)
{
    SchRows *r = &sp->rows;
    if (sch_rowjob_busy(sp) || !sch_rows_ready(r) || r->grid_y < 0 || y < r->grid_y - 1)
        return false;
    const RowsPage *pg = rows_page(r->pager);
    if (y >= r->grid_y) {
        size_t row = (size_t)(y - r->grid_y);
        if (row >= pg->nrows)
            return false;
        r->row = row;
    }
    for (int i = 0; i < r->ncolvis; i++)
        if (x >= r->col_x[i] && x < r->col_x[i] + r->col_w[i])
            r->col = r->col_of[i];
    return true;
}
