/* text.h: drawing UTF-8 text in a fixed number of terminal columns.
 *
 * Text from the database may be any bytes: valid UTF-8 is drawn with its
 * real width (wide characters take two columns), invalid bytes and control
 * characters are drawn as '?'.  Text that does not fit is cut and ends with
 * an ellipsis ("…", or "~" when the locale is not UTF-8).  Nothing is ever
 * drawn outside the window. */
#ifndef DBW_TEXT_H
#define DBW_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "tcurses.h"

typedef enum TextAlign { ALIGN_LEFT, ALIGN_RIGHT, ALIGN_CENTER } TextAlign;

typedef enum TextGlyph {
    GLYPH_ELLIPSIS,   /* … or ~ */
    GLYPH_DASH,       /* — or - : an unknown value */
    GLYPH_DOT,        /* · or | : a separator */
    GLYPH_BAR         /* │ or | : a column rule */
} TextGlyph;

/* Call once after setlocale(): notes whether the locale is UTF-8. */
void text_init(void);

/* The glyph for the current locale (a static string). */
const char *text_glyph(TextGlyph g);

/* Display width of s in columns (as drawn by text_put). */
int text_width(const char *s);

/* Draws s at (y, x) in exactly width columns in w's current attributes:
 * padded with spaces as align says, or cut with an ellipsis.  Clipped to
 * the window.  Returns the number of columns of text drawn (before
 * padding); 0 when nothing fits. */
int text_put(WINDOW *w, int y, int x, int width, const char *s, TextAlign align);

/* Like text_put, left-aligned, without padding: draws at most width
 * columns.  Returns the columns drawn. */
int text_add(WINDOW *w, int y, int x, int width, const char *s);

/* Bytes of s that the first cols columns take (a wide character that
 * straddles the edge is taken whole); strlen(s) when s is narrower. */
size_t text_skip_cols(const char *s, int cols);

/* Draws s word-wrapped into the box of width columns and at most max_lines
 * lines starting at (y, x), without padding; the last line ends with an
 * ellipsis when text is left over.  Returns the number of lines used. */
int text_wrap(WINDOW *w, int y, int x, int width, int max_lines, const char *s);

#endif
