/* help.h: the '?' overlay, generated from the key tables so it cannot go
 * stale: one section per table (global keys, the current pane's keys, the
 * keys of the overlay itself), each row "label  help". */
#ifndef DBW_HELP_H
#define DBW_HELP_H

#include <stddef.h>

#include "colors.h"
#include "keys.h"

typedef struct HelpSection {
    const char     *heading;
    const KeyTable *table;
} HelpSection;

/* Draws the overlay centred on a screen of lines x cols, in its own
 * window, and queues it with wnoutrefresh() (the caller does doupdate()).
 * Sections with a NULL table are skipped.  Rows that do not fit are cut,
 * the last visible one ending in an ellipsis. */
void help_draw(int lines, int cols, const HelpSection *sections, size_t n, const Palette *pal);

#endif
