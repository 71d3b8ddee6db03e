/* pane_schema_view.c: the Schema pane's overlay: one whole value of the
 * rows grid (long text, binary as hex, NULL said in words), or the details
 * of a column, constraint or index, as text wrapped to the box and
 * scrolled (see pane_schema_internal.h). */
#include "pane_schema_internal.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define VIEW_MAX_BYTES (256 * 1024)

static const KeyBinding view_items[] = {
    { { KEY_UP, 'k' }, "Up k", ACT_UP, "scroll up a line", NULL },
    { { KEY_DOWN, 'j' }, "Down j", ACT_DOWN, "scroll down a line", NULL },
    { { KEY_PPAGE, KEY_CTRL('b') }, "PgUp", ACT_PAGE_UP, "scroll up a page", NULL },
    { { KEY_NPAGE, KEY_CTRL('f'), ' ' }, "PgDn Space", ACT_PAGE_DOWN, "scroll down a page",
      NULL },
    { { 'g', KEY_HOME }, "g Home", ACT_TOP, "the beginning", NULL },
    { { 'G', KEY_END }, "G End", ACT_BOTTOM, "the end", NULL },
    { { KEY_ESC, '\r', '\n', KEY_ENTER }, "Esc Enter", ACT_CLOSE, "close", NULL },
};

const KeyTable sch_keys_view = { "Schema: a whole value or an item's details (Enter)",
                                 view_items, COUNT(view_items) };

void sch_view_open(SchemaPane *sp, const char *title, const char *text)
{
    sch_view_close(sp);
    sp->ov_title = xstrdup(title);
    sp->ov_text = xstrdup(text ? text : "");
    sp->ov_width = 0;
    sp->ov.page = 1;
    sp->overlay = true;
}

void sch_view_close(SchemaPane *sp)
{
    free(sp->ov_title);
    free(sp->ov_text);
    sp->ov_title = sp->ov_text = NULL;
    textscroll_free(&sp->ov);
    sp->overlay = false;
}

PaneResult sch_view_key(SchemaPane *sp, int key)
{
    KeyAction a = keys_action(&sch_keys_view, key);
    if (a == ACT_CLOSE) {
        sch_view_close(sp);
        return PANE_REDRAW;
    }
    if (textscroll_apply(&sp->ov, a))
        return PANE_REDRAW;
    return PANE_IGNORED;   /* help, panes, quit still work */
}

/* ---- a cell's value ---------------------------------------------------------- */

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

static const char *column_type(const SchemaPane *sp, const char *name)
{
    const CatTable *t = sp->shown;
    for (size_t i = 0; t && i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0)
            return *t->columns[i].type ? t->columns[i].type : "no declared type";
    return "key";
}

void sch_view_cell(SchemaPane *sp)
{
    SchRows *r = &sp->rows;
    if (!r->pager)
        return;
    const RowsPage *pg = rows_page(r->pager);
    if (r->error || pg->nrows == 0 || r->col >= pg->ncols) {
        pane_say(&sp->base, false, "No value here.");
        return;
    }
    const RowsCell *c = rows_cell(pg, r->row, r->col);
    const char *name = pg->names[r->col], *type = column_type(sp, name);
    char *title = xasprintf("%s.%s (%s)", r->table, name, type);
    StrBuf b = STRBUF_INIT;
    if (c->null)
        sb_append(&b, "NULL: this cell holds no value (SQL NULL), which is not an empty string.");
    else if (c->len == 0)
        sb_append(&b, "(an empty string: zero characters, not NULL)");
    else if (c->binary)   /* the value's own type, whatever the column says */
        sb_appendf(&b, "%zu byte%s of binary data, as hex:\n\n", (c->len - 2) / 2,
                   c->len == 4 ? "" : "s");
    else
        sb_appendf(&b, "%zu characters, %zu bytes:\n\n", utf8_chars(c->text, c->len), c->len);
    if (!c->null && c->len > 0) {
        size_t n = c->len;
        if (n > VIEW_MAX_BYTES) {   /* wrapping megabytes would stall the console */
            n = VIEW_MAX_BYTES;
            while (n > 0 && ((unsigned char)c->text[n] & 0xc0) == 0x80)
                n--;
        }
        sb_appendn(&b, c->text, n);
        if (n < c->len)
            sb_appendf(&b, "\n\n[%s the first %zu of %zu bytes are shown]",
                       text_glyph(GLYPH_ELLIPSIS), n, c->len);
    }
    sch_view_open(sp, title, sb_str(&b));
    sb_free(&b);
    free(title);
}

/* ---- drawing -------------------------------------------------------------- */

/* Wraps text into t at width columns, continuation lines not indented:
 * a value is shown as it is. */
static void wrap_into(TextScroll *t, const char *text, int width)
{
    size_t top = t->top;
    textscroll_free(t);
    t->top = top;
    const char *p = text;
    for (;;) {
        const char *nl = strchr(p, '\n');
        char *line = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
        const char *q = line;
        do {
            size_t n = textscroll_fit_bytes(q, width);
            char *piece = xstrndup(q, n);
            textscroll_add(t, piece);
            free(piece);
            q += n;
        } while (*q);
        free(line);
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* The box, and nothing of the pane beside it on its lines. */
static void frame(WINDOW *w, const Palette *pal, int y0, int x0, int h, int wd)
{
    palette_use(w, pal, SLOT_NORMAL);
    for (int y = y0; y < y0 + h; y++)
        text_put(w, y, 0, getmaxx(w), "", ALIGN_LEFT);
    palette_use(w, pal, SLOT_TITLE);
    mvwhline(w, y0, x0 + 1, ACS_HLINE, wd - 2);
    mvwhline(w, y0 + h - 1, x0 + 1, ACS_HLINE, wd - 2);
    mvwvline(w, y0 + 1, x0, ACS_VLINE, h - 2);
    mvwvline(w, y0 + 1, x0 + wd - 1, ACS_VLINE, h - 2);
    mvwaddch(w, y0, x0, ACS_ULCORNER);
    mvwaddch(w, y0, x0 + wd - 1, ACS_URCORNER);
    mvwaddch(w, y0 + h - 1, x0, ACS_LLCORNER);
    mvwaddch(w, y0 + h - 1, x0 + wd - 1, ACS_LRCORNER);
}

void sch_view_draw(SchemaPane *sp, WINDOW *w)
{
    const Palette *pal = sp->base.ctx->pal;
    int h = getmaxy(w), wd = getmaxx(w);
    int my = h > 12 ? 1 : 0, mx = wd > 60 ? 2 : 0;
    int bh = h - 2 * my, bw = wd - 2 * mx, iw = bw - 4;
    if (bh < 4 || iw < 8)
        return;
    if (sp->ov_width != iw) {
        wrap_into(&sp->ov, sp->ov_text, iw);
        sp->ov_width = iw;
    }
    int page = bh - 2;
    if ((int)sp->ov.count < page) {   /* as tall as the text, centred */
        bh = (int)sp->ov.count + 2 < 6 ? 6 : (int)sp->ov.count + 2;
        page = bh - 2;
    }
    int y0 = (h - bh) / 2, x0 = mx;
    frame(w, pal, y0, x0, bh, bw);
    char *title = xasprintf(" %s ", sp->ov_title);
    palette_use(w, pal, SLOT_TITLE);
    text_add(w, y0, x0 + 2, bw - 4, title);
    free(title);
    textscroll_fit(&sp->ov, page);
    for (int i = 0; i < page && sp->ov.top + (size_t)i < sp->ov.count; i++) {
        palette_use(w, pal, SLOT_NORMAL);
        text_add(w, y0 + 1 + i, x0 + 2, iw, sp->ov.lines[sp->ov.top + (size_t)i]);
    }
    char foot[96];
    size_t last = sp->ov.top + (size_t)page;
    if (last > sp->ov.count)
        last = sp->ov.count;
    snprintf(foot, sizeof foot, " lines %zu-%zu of %zu  Esc closes ", sp->ov.count ? sp->ov.top + 1 : 0,
             last, sp->ov.count);
    int fw = text_width(foot);
    if (fw < bw - 4) {
        palette_use(w, pal, SLOT_DIM);
        text_add(w, y0 + bh - 1, x0 + bw - 2 - fw, fw, foot);
    }
    palette_use(w, pal, SLOT_NORMAL);
}
