/* keys.h: key bindings as tables.
 *
 * Every key the console reacts to is a row in one of these tables: the main
 * loop and the panes look keys up here, the help overlay lists the tables,
 * and the status bar shows the rows that carry a hint.  To add a key: add a
 * KeyAction if none fits, add a row to the right table, handle the action
 * where that table is dispatched (app_input.c for keys_global and
 * keys_help, listview.c for keys_list, dialog.c for keys_dialog and
 * keys_lineedit, the pane for its own tables).  Help follows by itself:
 * a pane lists its tables in PaneClass.keys and .more_keys. */
#ifndef DBW_KEYS_H
#define DBW_KEYS_H

#include <stddef.h>

typedef enum KeyAction {
    ACT_NONE = 0,
    ACT_QUIT,          /* leave the console */
    ACT_HELP,          /* show or hide the help overlay */
    ACT_CLOSE,         /* close the help overlay */
    ACT_NEXT_PANE,
    ACT_PREV_PANE,
    ACT_GOTO_PANE,     /* pane number = index of the key in the binding */
    ACT_RELOAD,        /* reload the current pane from the database */
    ACT_REPAINT,       /* repaint the whole screen */
    ACT_INTERRUPT,     /* Ctrl-C: cancels the running job */
    ACT_UP,
    ACT_DOWN,
    ACT_PAGE_UP,
    ACT_PAGE_DOWN,
    ACT_TOP,
    ACT_BOTTOM,
    /* panes with views, search and actions (the Migrations pane) */
    ACT_FILTER,        /* '/': type a regular expression */
    ACT_NEXT_MATCH,
    ACT_PREV_MATCH,
    ACT_OPEN,          /* Enter: open the selected row */
    ACT_BACK,          /* Esc: back, clear, or stop the running job */
    ACT_MIG_UP,        /* apply every pending migration */
    ACT_MIG_UP_TO,     /* ... up to the selected one */
    ACT_MIG_DOWN,      /* roll back the newest */
    ACT_MIG_DOWN_TO,   /* roll back everything newer than the selected one */
    ACT_MIG_STAMP,     /* record the database as at the selected one */
    ACT_VIEW_LOG,
    ACT_VIEW_PROBLEMS, /* every problem, in full */
    ACT_VIEW_BACKUPS,
    ACT_BACKUP_NOW,
    ACT_RESTORE,
    /* confirmation dialogs and one-line input (tui/console/dialog.c) */
    ACT_CONFIRM,       /* y */
    ACT_CANCEL,        /* n, Esc */
    ACT_TOGGLE_BACKUP, /* Tab: backup first, or not, for this run */
    ACT_ACCEPT,        /* Enter: take what was typed */
    ACT_ERASE,         /* Backspace */
    ACT_CLEAR_LINE,    /* Ctrl-U */
    /* the Schema pane (tui/console/pane_schema*.c) */
    ACT_SORT,          /* cycle the table list's order: name, rows, size */
    ACT_TAB_COLUMNS,   /* show a tab of the selected table */
    ACT_TAB_CONSTRAINTS,
    ACT_TAB_INDEXES,
    ACT_TAB_DDL,
    ACT_TAB_ROWS,
    ACT_NEXT_TAB,
    ACT_PREV_TAB,
    ACT_LEFT,          /* the previous column of a grid */
    ACT_RIGHT,         /* the next column */
    ACT_LINE_START,    /* the first column */
    ACT_LINE_END,      /* the last column */
    ACT_FOLLOW,        /* follow the foreign key under the cursor */
    ACT_FOLLOW_BACK    /* back to where the last follow came from */
} KeyAction;

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
