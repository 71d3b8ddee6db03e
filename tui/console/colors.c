/* colors.c: see colors.h. */
#include "colors.h"

#include <stdlib.h>

bool colors_wanted(void)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return false;
    return has_colors();
}

static attr_t attrs_of(unsigned bits)
{
    attr_t a = A_NORMAL;
    if (bits & THEME_BOLD)
        a |= A_BOLD;
    if (bits & THEME_DIM)
        a |= A_DIM;
    if (bits & THEME_UNDERLINE)
        a |= A_UNDERLINE;
    if (bits & THEME_REVERSE)
        a |= A_REVERSE;
    if (bits & THEME_ITALIC)
        a |= A_ITALIC;
    return a;
}

/* A theme colour the terminal can show: bright colours fall back to their
 * plain eight, anything else the terminal lacks to the default. */
static short usable(short c, bool have_default, short fallback)
{
    if (c >= COLORS && c >= 8 && c < 16 && COLORS >= 8)
        c = (short)(c - 8);
    if (c >= COLORS)
        c = THEME_DEFAULT_COLOR;
    if (c < 0 && !have_default)
        c = fallback;
    return c;
}

void palette_init(Palette *p, const Theme *t, bool use_color)
{
    p->color = use_color && start_color() == OK;
    bool have_default = p->color && use_default_colors() == OK;
    for (int i = 0; i < THEME_SLOT_COUNT; i++) {
        const ThemeStyle *s = &t->styles[i];
        p->attrs[i] = attrs_of(s->attrs);
        p->pairs[i] = 0;
        if (!p->color || i + 1 >= COLOR_PAIRS)
            continue;
        short fg = usable(s->fg, have_default, COLOR_WHITE);
        short bg = usable(s->bg, have_default, COLOR_BLACK);
        if (init_pair((short)(i + 1), fg, bg) == OK)
            p->pairs[i] = (short)(i + 1);
    }
}

void palette_use(WINDOW *w, const Palette *p, ThemeSlot s)
{
    if (!w || s < 0 || s >= THEME_SLOT_COUNT)
        return;
    wattr_set(w, p->attrs[s], p->pairs[s], NULL);
}

void palette_bkgd(WINDOW *w, const Palette *p, ThemeSlot s)
{
    if (!w || s < 0 || s >= THEME_SLOT_COUNT)
        return;
    wbkgdset(w, (chtype)' ' | p->attrs[s] | (chtype)COLOR_PAIR(p->pairs[s]));
}
