/* help.c: see help.h. */
#include "help.h"
#include "text.h"

#define HELP_MAX_LINES 96
#define MOUSE_LINE "Mouse: click a tab to switch panes, a row to select it."

typedef enum LineKind { LINE_BLANK, LINE_HEADING, LINE_KEY, LINE_TEXT } LineKind;

typedef struct HelpLine {
    LineKind    kind;
    const char *a;   /* heading, key label or text */
    const char *b;   /* help text of a key */
} HelpLine;

typedef struct HelpModel {
    HelpLine line[HELP_MAX_LINES];
    int      n;
    int      label_w, width;   /* widest label; widest line */
} HelpModel;

static void add(HelpModel *m, LineKind kind, const char *a, const char *b)
{
    if (m->n >= HELP_MAX_LINES)
        return;
    m->line[m->n++] = (HelpLine){ kind, a, b };
}

static void build(HelpModel *m, const HelpSection *sections, size_t n)
{
    m->n = m->label_w = 0;
    for (size_t s = 0; s < n; s++) {
        const KeyTable *t = sections[s].table;
        if (!t)
            continue;
        if (m->n)
            add(m, LINE_BLANK, NULL, NULL);
        add(m, LINE_HEADING, sections[s].heading ? sections[s].heading : t->title, NULL);
        for (size_t i = 0; i < t->count; i++) {
            add(m, LINE_KEY, t->items[i].label, t->items[i].help);
            int lw = text_width(t->items[i].label);
            m->label_w = lw > m->label_w ? lw : m->label_w;
        }
    }
    add(m, LINE_BLANK, NULL, NULL);
    add(m, LINE_TEXT, MOUSE_LINE, NULL);
    m->width = 0;
    for (int i = 0; i < m->n; i++) {
        const HelpLine *l = &m->line[i];
        int w = l->kind == LINE_KEY ? m->label_w + 2 + text_width(l->b) : text_width(l->a);
        m->width = w > m->width ? w : m->width;
    }
}

static void draw_line(WINDOW *w, int y, int width, const HelpModel *m, const HelpLine *l,
                      const Palette *pal)
{
    switch (l->kind) {
    case LINE_HEADING:
        palette_use(w, pal, SLOT_TITLE);
        text_add(w, y, 2, width, l->a);
        break;
    case LINE_KEY:
        palette_use(w, pal, SLOT_HELP_KEY);
        text_add(w, y, 2, m->label_w < width ? m->label_w : width, l->a);
        palette_use(w, pal, SLOT_NORMAL);
        text_add(w, y, 2 + m->label_w + 2, width - m->label_w - 2, l->b);
        break;
    case LINE_TEXT:
        palette_use(w, pal, SLOT_DIM);
        text_add(w, y, 2, width, l->a);
        break;
    case LINE_BLANK:
        break;
    }
    palette_use(w, pal, SLOT_NORMAL);
}

void help_draw(int lines, int cols, const HelpSection *sections, size_t n, const Palette *pal)
{
    HelpModel m;
    build(&m, sections, n);
    int h = m.n + 2, wd = m.width + 6;
    if (h > lines)
        h = lines;
    if (wd > cols)
        wd = cols;
    if (h < 3 || wd < 8)
        return;
    WINDOW *w = newwin(h, wd, (lines - h) / 2, (cols - wd) / 2);
    if (!w)
        return;
    palette_bkgd(w, pal, SLOT_NORMAL);
    werase(w);
    palette_use(w, pal, SLOT_NORMAL);
    box(w, 0, 0);
    palette_use(w, pal, SLOT_TITLE);
    text_add(w, 0, 2, wd - 4, " Keys ");
    int rows = h - 2, inner = wd - 4;
    for (int i = 0; i < m.n && i < rows; i++) {
        if (i == rows - 1 && m.n > rows) {
            palette_use(w, pal, SLOT_DIM);
            text_add(w, 1 + i, 2, inner, text_glyph(GLYPH_ELLIPSIS));
            break;
        }
        draw_line(w, 1 + i, inner, &m, &m.line[i], pal);
    }
    wnoutrefresh(w);
    delwin(w);
}
