/* box.c: see box.h. */
#include "box.h"
#include "text.h"
#include "xalloc.h"

#include <stdlib.h>

void box_draw(WINDOW *w, int y0, int x0, int h, int wd, const char *title, const Palette *pal,
              bool full_lines)
{
    palette_use(w, pal, SLOT_NORMAL);
    for (int y = y0; y < y0 + h; y++)
        text_put(w, y, full_lines ? 0 : x0, full_lines ? getmaxx(w) : wd, "", ALIGN_LEFT);
    palette_use(w, pal, SLOT_TITLE);
    mvwhline(w, y0, x0 + 1, ACS_HLINE, wd - 2);
    mvwhline(w, y0 + h - 1, x0 + 1, ACS_HLINE, wd - 2);
    mvwvline(w, y0 + 1, x0, ACS_VLINE, h - 2);
    mvwvline(w, y0 + 1, x0 + wd - 1, ACS_VLINE, h - 2);
    mvwaddch(w, y0, x0, ACS_ULCORNER);
    mvwaddch(w, y0, x0 + wd - 1, ACS_URCORNER);
    mvwaddch(w, y0 + h - 1, x0, ACS_LLCORNER);
    mvwaddch(w, y0 + h - 1, x0 + wd - 1, ACS_LRCORNER);
    if (title) {
        char *t = xasprintf(" %s ", title);
        text_add(w, y0, x0 + 2, wd - 4, t);
        free(t);
    }
    palette_use(w, pal, SLOT_NORMAL);
}
