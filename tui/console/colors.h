/* colors.h: a Theme turned into curses attributes, one per slot.
 *
 * The console draws with semantic slots only (palette_use(win, pal,
 * SLOT_STATE_PENDING)); which colour or attribute that is comes from the
 * theme.  Without colour (NO_COLOR set and not empty, or a terminal that has
 * none) only the attributes of the theme are used. */
#ifndef DBW_COLORS_H
#define DBW_COLORS_H

#include <stdbool.h>
#include "tcurses.h"

#include "theme.h"

typedef struct Palette {
    bool   color;                        /* colour pairs in use */
    attr_t attrs[THEME_SLOT_COUNT];      /* A_* bits of each slot */
    short  pairs[THEME_SLOT_COUNT];      /* colour pair of each slot (0 = none) */
} Palette;

/* Whether the console should use colour: NO_COLOR unset or empty, and the
 * terminal has colours.  Call after curses is started. */
bool colors_wanted(void);

/* Fills p from t.  With use_color it starts colour, defines one pair per
 * slot (mapping colours the terminal lacks to its default) and fills
 * pairs; without, only attrs.  Call after curses is started; calling it
 * again with another theme redefines the pairs. */
void palette_init(Palette *p, const Theme *t, bool use_color);

/* Sets w's drawing attributes to those of slot s. */
void palette_use(WINDOW *w, const Palette *p, ThemeSlot s);

/* Sets w's background (what erase fills with) to slot s. */
void palette_bkgd(WINDOW *w, const Palette *p, ThemeSlot s);

#endif
