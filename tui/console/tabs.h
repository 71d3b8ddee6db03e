/* tabs.h: the tab bar on the top line: one tab per pane, the active one in
 * tab.active style.  The layout is computed once per draw and kept, so that
 * a mouse click can be mapped back to a tab. */
#ifndef DBW_TABS_H
#define DBW_TABS_H

#include <stdbool.h>

#include "colors.h"
#include "pane.h"

typedef enum TabStyle {
    TABS_NUMBERED,   /* " 1 Migrations " */
    TABS_PLAIN,      /* " Migrations " */
    TABS_SQUEEZED    /* equal widths, titles cut with an ellipsis */
} TabStyle;

typedef struct TabLayout {
    int      n;
    int      x[PANE_MAX];   /* first column of each tab */
    int      w[PANE_MAX];   /* its width */
    TabStyle style;
} TabLayout;

/* Places n tabs (n <= PANE_MAX) with these titles in width columns, in the
 * roomiest style that fits. */
void tabs_layout(TabLayout *l, const char *const *titles, int n, int width);

/* Draws the bar into w (one line) with tab `active` highlighted. */
void tabs_draw(WINDOW *w, const TabLayout *l, const char *const *titles, int active,
               const Palette *pal);

/* The tab at column x, or -1. */
int tabs_hit(const TabLayout *l, int x);

#endif
