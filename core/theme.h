/* theme.h: colour themes, *.theme files, parsed without any curses.
 *
 * A theme maps semantic slots (status.error, grid.header, state.pending…)
 * to a style: a foreground, a background and attributes.  File format, one
 * INI section:
 *
 *   # comment
 *   [theme]
 *   name = default
 *   [styles]
 *   normal        = default on default
 *   tab.active    = black on cyan bold
 *   state.pending = yellow bold
 *
 * A style is: [FG] ["on" BG] [ATTR…], words separated by spaces.  Colours:
 * default, black, red, green, yellow, blue, magenta, cyan, white, the same
 * with "bright-" in front, or colorN for N in 0..255.  Attributes: bold,
 * dim, underline, reverse, italic.  A slot not named keeps the built-in
 * style.  Unknown slots, colours or words are errors naming file and line. */
#ifndef DBW_THEME_H
#define DBW_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef enum ThemeSlot {
    SLOT_NORMAL = 0,
    SLOT_TAB,
    SLOT_TAB_ACTIVE,
    SLOT_STATUS,
    SLOT_STATUS_ERROR,
    SLOT_STATUS_READONLY,
    SLOT_GRID_HEADER,
    SLOT_GRID_SELECTED,
    SLOT_GRID_NULL,
    SLOT_DIM,
    SLOT_TITLE,
    SLOT_HELP_KEY,
    SLOT_STATE_APPLIED,
    SLOT_STATE_PENDING,
    SLOT_STATE_PROBLEM,
    THEME_SLOT_COUNT
} ThemeSlot;

enum { THEME_DEFAULT_COLOR = -1 };

enum {
    THEME_BOLD = 1u << 0,
    THEME_DIM = 1u << 1,
    THEME_UNDERLINE = 1u << 2,
    THEME_REVERSE = 1u << 3,
    THEME_ITALIC = 1u << 4
};

typedef struct ThemeStyle {
    short    fg, bg;   /* 0..255, or THEME_DEFAULT_COLOR */
    unsigned attrs;    /* THEME_* bits */
} ThemeStyle;

typedef struct Theme {
    char      *name;   /* owned */
    ThemeStyle styles[THEME_SLOT_COUNT];
} Theme;

extern const char *const theme_slot_names[THEME_SLOT_COUNT];

/* Fills t with the built-in default (usable without colour, too). */
void theme_init_builtin(Theme *t);
/* Parses text as a theme file named path (for messages) on top of t. */
int  theme_parse(Theme *t, const char *path, const char *text, size_t len, DbError *err);
/* Finds name ("default", or a path ending in .theme) in each of dirs
 * (NULL-terminated) as <dir>/<name>.theme and parses the first found. */
int  theme_load(Theme *t, const char *name, const char *const *dirs, DbError *err);
void theme_free(Theme *t);

#endif
