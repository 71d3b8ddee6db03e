/* escape.h: text from outside (names, values, file names, a tool's output)
 * made safe to show on a terminal or in a one-line message.
 *
 * Every byte that could act on a terminal or break a line is written as a
 * visible escape, and nothing else changes:
 *   control characters (0x00-0x1f, 0x7f)   \x1b, \n, \r, \t
 *   C1 controls U+0080-U+009F              \u009b
 *   bidirectional overrides and isolates   \u202e (U+202A-202E, U+2066-2069)
 *   bytes that are not UTF-8               \xff
 *   a backslash                            \\  (so that the escapes above
 *                                           cannot be faked; kept as it is
 *                                           with ESC_LINES)
 * One implementation for every printer: the command line's text output,
 * the messages, and SQL comments made from names. */
#ifndef DBW_ESCAPE_H
#define DBW_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

enum {
    ESC_LINES = 1   /* a block of several lines (SQL, a file): \n, \t, a \r
                       before \n and backslashes stay as they are */
};

/* Appends s (len bytes; NUL bytes included) to b, escaped. */
void  esc_append(StrBuf *b, const char *s, size_t len, unsigned flags);
/* Appends the string s (NULL: nothing) to b, escaped. */
void  esc_append_str(StrBuf *b, const char *s, unsigned flags);
/* s escaped, as a new string (caller frees); NULL gives "". */
char *esc_dup(const char *s, unsigned flags);
/* true when s needs no escaping (esc_dup(s, flags) would equal s). */
bool  esc_clean(const char *s, unsigned flags);

#endif
