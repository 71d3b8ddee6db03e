/* box.h: the frame of every box the console draws over a pane (the
 * confirmation dialog, a choice, a whole value, the messages). */
#ifndef DBW_BOX_H
#define DBW_BOX_H

#include "colors.h"

/* Blanks h lines of wd columns at (y0, x0) of w, draws a frame round them
 * in the title style with " title " on its top edge (title may be NULL).
 * full_lines: the lines are blanked across the whole window (nothing of
 * the pane beside the box). */
void box_draw(WINDOW *w, int y0, int x0, int h, int wd, const char *title, const Palette *pal,
              bool full_lines);

#endif
