/* tcurses.h: the one way tui/console/ includes curses: the wide-character API of
 * ncursesw, whatever feature macros the build happens to set. */
#ifndef DBW_TCURSES_H
#define DBW_TCURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <wchar.h>
#include <curses.h>

#endif
