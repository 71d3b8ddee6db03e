/* listmode.h: the one list of the console: items drawn as columns, a
 * selection that scrolls, a filter that narrows the list as it is typed
 * (the match count shown, Esc restores the filter there was), search with
 * n/N, orders to sort by, and the mouse.  Every pane's lists are one
 * (tmux's mode-tree, htop's Panel): a pane gives a ListSource (how many
 * items, each one's cells and the text a filter is matched against) and
 * keeps its model; the ListMode keeps which items are shown, in which
 * order, and where the selection is.
 *
 * Order of calls:
 *   lm_init()          once, with the source and the columns
 *   lm_rebuild()       whenever the model changed (and after lm_init): the
 *                      filter and the order applied again; the selection
 *                      stays on the same item when it is still shown
 *   lm_key()           a key for the list (before the pane's own keys)
 *   lm_draw()          the header and the rows; lm_draw_filter() the line
 *                      that shows the filter (or the prompt while typed)
 *   lm_click()         a click on a row
 *   lm_free()
 * lm_selected() and lm_item_at() say which item is where. */
#ifndef DBW_LISTMODE_H
#define DBW_LISTMODE_H

#include <stdbool.h>
#include <stddef.h>

#include "dialog.h"
#include "listview.h"
#include "pane.h"
#include "rx.h"
#include "table.h"

typedef struct ListSource {
    size_t    (*count)(void *ctx);
    /* The text a filter is matched against (may write buf); a text of
     * several lines matches when one of them does (a name, schema.name). */
    const char *(*text)(void *ctx, size_t item, char *buf, size_t size);
    /* One cell of an item (may write buf). */
    TableCell (*cell)(void *ctx, size_t item, size_t col, char *buf, size_t size);
    /* May be NULL (every item can be selected): false for items that only
     * draw something (a graph line), which the selection skips and a
     * filter hides. */
    bool      (*selectable)(void *ctx, size_t item);
    /* May be NULL (no orders): <0, 0, >0 for items a and b in order key
     * (0 .. nsorts-1), ascending. */
    int       (*compare)(void *ctx, size_t a, size_t b, int key);
    /* May be NULL (cells drawn as columns): draws an item's row itself in
     * width columns at (y, x) (a graph line in two colours). */
    void      (*draw_row)(void *ctx, size_t item, WINDOW *w, int y, int x, int width,
                          bool selected, const Palette *pal);
} ListSource;

typedef enum LmResult {
    LM_IGNORED = 0,   /* not a key of the list */
    LM_HANDLED,       /* taken; nothing on screen changed */
    LM_MOVED,         /* the selection moved */
    LM_CHANGED        /* the items shown changed (filter, order) */
} LmResult;

typedef struct ListMode {
    const ListSource *src;
    void             *ctx;
    const Pane       *pane;       /* for messages (pane_say) */
    Table             table;      /* the columns; cells through the source */
    const char *const *sort_names;  /* the orders, or NULL */
    int               nsorts;
    int               sort;       /* the order in use */
    bool              descending;
    size_t           *rows;       /* owned: the items shown, top to bottom */
    size_t            nrows;
    size_t            nitems;     /* items in the model at the last rebuild */
    ListView          lv;
    const char       *header;     /* draw_row lists: the header line */
    const char       *noun;       /* "tables", "migrations": for "3 of 40 tables" */
    /* the filter */
    Rx               *filter;     /* owned, or NULL */
    char             *filter_text;
    bool              prompting;  /* the filter is being typed */
    LineEdit          edit;
    char             *before;     /* owned: the filter when the prompt opened */
    char             *bad;        /* owned: why what is typed is not a pattern */
    /* where the table was drawn, for clicks */
    int               table_y;
} ListMode;

/* Sets up lm (zeroed first).  cols is borrowed (a const array); noun is
 * what the items are called, plural.  sort_names (nsorts entries, or NULL)
 * name the orders for the header. */
void lm_init(ListMode *lm, const Pane *pane, const ListSource *src, void *ctx,
             const TableColumn *cols, size_t ncols, const char *noun,
             const char *const *sort_names, int nsorts);
void lm_free(ListMode *lm);

/* Other columns from now on (a narrower set); cols is borrowed. */
void lm_set_columns(ListMode *lm, const TableColumn *cols, size_t ncols);
/* The header drawn above rows drawn by draw_row. */
void lm_set_header(ListMode *lm, const char *header);

/* The model changed: applies the filter and the order again; the selection
 * stays on the item it was on (or on keep, an item index, when not -1). */
void lm_rebuild(ListMode *lm, long keep);

/* The selected item (false when the list shows none). */
bool lm_selected(const ListMode *lm, size_t *item);
/* Selects item when it is shown; false otherwise. */
bool lm_select(ListMode *lm, size_t item);
/* Sets the filter to pattern (NULL: none); false (said why) when it is not
 * a regular expression. */
bool lm_set_filter(ListMode *lm, const char *pattern);

/* A key: moving (keys_list), '/' (the filter, as it is typed), n/N, o/O
 * (orders), Esc (clears a filter; else ignored, for the pane's "back"). */
LmResult lm_key(ListMode *lm, int key);
/* true while the filter's prompt takes every key. */
bool lm_prompting(const ListMode *lm);

/* Draws the header on line y of w and the rows below, height lines in all. */
void lm_draw(ListMode *lm, WINDOW *w, int y, int height, const Palette *pal);
/* Draws the filter's line at y (the prompt while it is typed; the filter
 * and its count; nothing when there is none).  false when it drew nothing
 * (the pane may use the line). */
bool lm_draw_filter(const ListMode *lm, WINDOW *w, int y, int width, const Palette *pal);
/* A click on window line wy: selects the row there. */
bool lm_click(ListMode *lm, int wy);

/* The key tables lm_key() reads, for help and the bottom bar. */
extern const KeyTable keys_listmode;

#endif
