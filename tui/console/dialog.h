/* dialog.h: confirmation dialogs, one-line input and scrollable text.
 *
 * A pane that asks before it acts keeps a Dialog: dialog_new() with what
 * will happen (a summary, the exact SQL or command line, whether a backup
 * is taken first and whether the database is production), hands every key
 * to dialog_key() while it is open, and draws it over its own content with
 * dialog_draw().  dialog_key() says when the user went on (DIALOG_YES:
 * 'y', or on production the database name typed in full and Enter) or
 * gave up (DIALOG_NO: 'n', Esc, Ctrl-C); the pane then reads
 * dialog_backup() and frees the dialog.  The keys are in keys_dialog and
 * keys_lineedit, so help lists them.
 *
 * LineEdit is the one-line input the dialog uses for the name, also used
 * for a filter prompt.  TextScroll holds text split into lines with a
 * scroll position (the dialog's body, a pane's text views). */
#ifndef DBW_DIALOG_H
#define DBW_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "colors.h"
#include "keys.h"

/* ---- one-line input ------------------------------------------------- */

#define LINEEDIT_MAX 256

typedef struct LineEdit {
    char   buf[LINEEDIT_MAX];   /* NUL-terminated; printable ASCII */
    size_t len;
} LineEdit;

typedef enum LineResult {
    LINE_EDITING = 0,   /* the key changed (or did not change) the text */
    LINE_ACCEPT,        /* Enter */
    LINE_CANCEL,        /* Esc, Ctrl-C */
    LINE_IGNORED        /* not an editing key */
} LineResult;

extern const KeyTable keys_lineedit;

void       lineedit_clear(LineEdit *e);
LineResult lineedit_key(LineEdit *e, int key);
/* Draws prompt then the text and a cursor block at (y, x) in width
 * columns; the text's end stays visible when it is longer. */
void       lineedit_draw(WINDOW *w, int y, int x, int width, const char *prompt,
                         const LineEdit *e, const Palette *pal);

/* ---- scrollable text ------------------------------------------------ */

typedef struct TextScroll {
    char  **lines;   /* owned; tabs made spaces, no newlines */
    size_t  count;
    size_t  top;     /* first line shown */
    int     page;    /* lines shown at the last textscroll_fit(), >= 1 */
} TextScroll;

/* Replaces the text with text split at newlines (NULL: empty). */
void textscroll_set(TextScroll *t, const char *text);
/* Like textscroll_set(), with lines longer than width columns wrapped
 * (at a space when one is near; continuation lines indented 2 more). */
void textscroll_set_wrapped(TextScroll *t, const char *text, int width);
/* How many bytes of s (UTF-8) fit in width columns, ending after a space
 * when s does not fit and a space is in the second half; at least 1 when
 * s is not empty. */
size_t textscroll_fit_bytes(const char *s, int width);
/* Appends one line (newlines in it start further lines). */
void textscroll_add(TextScroll *t, const char *line);
void textscroll_free(TextScroll *t);
/* Scrolls for ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_TOP and
 * ACT_BOTTOM; false for other actions. */
bool textscroll_apply(TextScroll *t, KeyAction a);
/* Notes that page lines are shown and keeps top in range. */
void textscroll_fit(TextScroll *t, int page);
/* Whether the last line is shown (for following a growing log). */
bool textscroll_at_end(const TextScroll *t);
/* The slot to draw a line of SQL in: dbwarden's "-- migrate:" markers as
 * titles, other comments dim, the rest normal. */
ThemeSlot textscroll_sql_slot(const char *line);

/* ---- the confirmation dialog ------------------------------------------ */

typedef enum DialogBackup {
    DIALOG_BACKUP_NONE = 0,     /* not a destructive action: no backup offered */
    DIALOG_BACKUP_ON,           /* a backup is taken first */
    DIALOG_BACKUP_OFF,          /* the user (or --no-backup) turned it off */
    DIALOG_BACKUP_UNAVAILABLE   /* wanted, but none can be taken (problem says
                                   why); 'y' is refused until it is turned off */
} DialogBackup;

typedef struct DialogSpec {
    const char  *title;          /* e.g. "Roll back 1 migration" */
    const char  *summary;        /* one line: what happens */
    const char  *warning;        /* NULL, or what may make it fail, shown
                                    under the summary in the problem style */
    const char  *target;         /* the database, redacted */
    const char  *what;           /* the exact SQL or command line */
    const char  *production_name; /* non-NULL on production: the name to type */
    DialogBackup backup;
    const char  *backup_folder;  /* where the backup goes, for display */
    const char  *backup_problem; /* why none can be taken (UNAVAILABLE) */
} DialogSpec;

typedef struct Dialog Dialog;

typedef enum DialogResult {
    DIALOG_OPEN = 0,   /* still asking */
    DIALOG_YES,
    DIALOG_NO,
    DIALOG_PASS        /* not for the dialog (help): let the console have it */
} DialogResult;

extern const KeyTable keys_dialog;

Dialog      *dialog_new(const DialogSpec *spec);   /* copies everything */
DialogResult dialog_key(Dialog *d, int key);
/* true when the user left the backup on (DIALOG_BACKUP_ON). */
bool         dialog_backup(const Dialog *d);
/* Draws the dialog as a box over most of w. */
void         dialog_draw(WINDOW *w, Dialog *d, const Palette *pal);
void         dialog_free(Dialog *d);   /* NULL is fine */

#endif
