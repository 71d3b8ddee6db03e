/* keys.h: key bindings as tables.
 *
 * Every key the console reacts to is a row in one of these tables: the main
 * loop and the panes look keys up here, the help overlay lists the tables,
 * and the bottom bar shows the hints of the view in front.
 *
 * The same key does the same thing in every pane.  The common verbs are
 * the actions below and their tables (keys_global: everywhere; keys_list:
 * moving in any list or text; keys_view: filter, search, open, back, sort,
 * wrap, in every list and text view).  A pane's own actions (apply a
 * migration, show the Columns tab) are numbered from ACT_PANE_FIRST in the
 * pane's own file, with the pane's own table: adding a pane or a key of a
 * pane never touches this file.  Components (dialog, choice, one-line
 * input) have their actions here because every pane shares them.
 *
 * Help follows by itself: a pane lists its tables in PaneClass.keys and
 * .more_keys, and says which table is in front (PaneClass.view_keys) for
 * the bottom bar. */
#ifndef DBW_KEYS_H
#define DBW_KEYS_H

#include <stddef.h>

typedef int KeyAction;   /* one of the ACT_ values, or a pane's own */

enum {
    ACT_NONE = 0,
    /* everywhere (app_input.c) */
    ACT_QUIT,          /* leave the console */
    ACT_HELP,          /* show or hide the help overlay */
    ACT_CLOSE,         /* close the help overlay */
    ACT_NEXT_PANE,
    ACT_PREV_PANE,
    ACT_GOTO_PANE,     /* pane number = index of the key in the binding */
    ACT_RELOAD,        /* reload the current pane from the database */
    ACT_REPAINT,       /* repaint the whole screen */
    ACT_INTERRUPT,     /* Ctrl-C: cancels the running job */
    ACT_MESSAGES,      /* every message of this session, in full */
    /* moving, in every list and text */
    ACT_UP,
    ACT_DOWN,
    ACT_PAGE_UP,
    ACT_PAGE_DOWN,
    ACT_TOP,
    ACT_BOTTOM,
    ACT_LEFT,          /* the previous column; scroll left */
    ACT_RIGHT,         /* the next column; scroll right */
    ACT_LINE_START,    /* the first column */
    ACT_LINE_END,      /* the last column */
    /* the common verbs of every view */
    ACT_FILTER,        /* '/': a list narrows as you type; a text searches */
    ACT_NEXT_MATCH,
    ACT_PREV_MATCH,
    ACT_OPEN,          /* Enter: open the selected row */
    ACT_BACK,          /* Esc: back, clear the filter, or stop the running job */
    ACT_HISTORY_BACK,  /* b: back to where the last jump came from */
    ACT_SORT,          /* o: the next order of a list */
    ACT_SORT_REVERSE,  /* O: the other direction */
    ACT_WRAP,          /* w: a text wraps its long lines, or scrolls sideways */
    /* components: the confirmation dialog, a choice, one-line input */
    ACT_CONFIRM,       /* y */
    ACT_CANCEL,        /* n, Esc */
    ACT_TOGGLE_BACKUP, /* Tab: backup first, or not, for this run */
    ACT_ACCEPT,        /* Enter: take what was typed */
    ACT_ERASE,         /* Backspace */
    ACT_CLEAR_LINE,    /* Ctrl-U */
    ACT_PANE_FIRST = 1000   /* a pane's own actions start here */
};

#define KEYS_PER_BINDING 6
#define KEY_CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27

typedef struct KeyBinding {
    int         keys[KEYS_PER_BINDING]; /* curses codes or characters; 0 ends */
    const char *label;                  /* the keys as help shows them */
    KeyAction   action;
    const char *help;                   /* one line for the help overlay */
    const char *hint;                   /* short status-bar hint, or NULL */
} KeyBinding;

typedef struct KeyTable {
    const char       *title;   /* section heading in the help overlay */
    const KeyBinding *items;
    size_t            count;
} KeyTable;

extern const KeyTable keys_global;  /* always active (after the pane's own) */
extern const KeyTable keys_help;    /* while the help overlay is open */
extern const KeyTable keys_list;    /* panes that show a list */

/* Returns the binding of key in t, or NULL when t is NULL or key unbound.
 * When index is not NULL it gets the position of key in binding->keys. */
const KeyBinding *keys_lookup(const KeyTable *t, int key, int *index);

/* Returns the action bound to key in t, or ACT_NONE. */
KeyAction keys_action(const KeyTable *t, int key);

#endif
