/* pane_schema_view.c: the Schema pane's overlay: one whole value of the
 * rows grid (long text, binary as hex, NULL said in words), or the details
 * of a column, constraint or index, as text wrapped to the box and
 * scrolled (see pane_schema_internal.h). */
#include "box.h"
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
    { { KEY_ESC, '\r', '\n', KEY_ENTER }, "Esc Enter", ACT_CLOSE, "close", "close" },
};

const KeyTable sch_keys_view = { "Schema: a whole value or an item's details (Enter)",
                                 view_items, COUNT(view_items) };

void sch_view_init(SchemaPane *sp)
{
    tv_init(&sp->ov, &sp->base, true);
}

void sch_view_open(SchemaPane *sp, const char *title, const char *text)
{
    sch_view_close(sp);
    sp->ov_title = xstrdup(title);
    bool wrap = sp->ov.wrap;
    tv_set_text(&sp->ov, text ? text : "");
    sp->ov.wrap = wrap;
    sp->overlay = true;
}

void sch_view_close(SchemaPane *sp)
{
    free(sp->ov_title);
    sp->ov_title = NULL;
    tv_set_text(&sp->ov, NULL);
    sp->overlay = false;
}

PaneResult sch_view_key(SchemaPane *sp, int key)
{
    if (!tv_prompting(&sp->ov) && keys_action(&sch_keys_view, key) == ACT_CLOSE) {
        sch_view_close(sp);
        return PANE_REDRAW;
    }
    if (tv_key(&sp->ov, key))
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
    {
        size_t chars = utf8_chars(c->text, c->len);
        sb_appendf(&b, "%zu character%s, %zu byte%s:\n\n", chars, chars == 1 ? "" : "s", c->len,
                   c->len == 1 ? "" : "s");
    }
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

void sch_view_draw(SchemaPane *sp, WINDOW *w)
{
    const Palette *pal = sp->base.ctx->pal;
    int h = getmaxy(w), wd = getmaxx(w);
    int my = h > 12 ? 1 : 0, mx = wd > 60 ? 2 : 0;
    int bh = h - 2 * my, bw = wd - 2 * mx, iw = bw - 4;
    if (bh < 5 || iw < 8)
        return;
    /* as tall as the text (its rows at this width), centred */
    tv_draw_body(&sp->ov, w, 0, 0, 0, iw, pal);   /* makes the rows, draws none */
    int page = bh - 3;
    if ((int)sp->ov.nrows < page) {
        bh = (int)sp->ov.nrows + 3 < 6 ? 6 : (int)sp->ov.nrows + 3;
        page = bh - 3;
    }
    int y0 = (h - bh) / 2, x0 = mx;
    box_draw(w, y0, x0, bh, bw, NULL, pal, true);
    tv_draw(&sp->ov, w, y0 + 1, x0 + 2, page + 1, iw, sp->ov_title, pal);
    static const char foot[] = " Esc closes ";
    int fw = (int)sizeof foot - 1;
    if (fw < bw - 4) {
        palette_use(w, pal, SLOT_DIM);
        text_add(w, y0 + bh - 1, x0 + bw - 2 - fw, fw, foot);
    }
    palette_use(w, pal, SLOT_NORMAL);
}
