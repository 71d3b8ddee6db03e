/* listview.h: the selection and scroll position of a list, without curses.
 *
 * A pane that shows rows keeps one ListView: it sets the row count when its
 * data changes, hands list actions to lv_apply(), and before drawing calls
 * lv_scroll() with the number of visible rows, then draws rows top.. from
 * the top of its list area.  sel is meaningless while count is 0. */
#ifndef DBW_LISTVIEW_H
#define DBW_LISTVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"

typedef struct ListView {
    size_t count;   /* rows in the list */
    size_t sel;     /* selected row, < count when count > 0 */
    size_t top;     /* first visible row */
    int    page;    /* visible rows at the last lv_scroll(), >= 1 */
} ListView;

/* Sets the number of rows, keeping the selection where it was when it
 * still exists (else on the last row). */
void lv_set_count(ListView *lv, size_t count);

/* Moves the selection for ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN,
 * ACT_TOP or ACT_BOTTOM.  Returns false for other actions (not handled). */
bool lv_apply(ListView *lv, KeyAction a);

/* Looks key up in keys_list and applies it; false when it is not a list key. */
bool lv_key(ListView *lv, int key);

/* Adjusts top so that sel is among the rows visible rows from top. */
void lv_scroll(ListView *lv, int visible);

/* Selects the row shown at offset row (0 = top of the visible rows).
 * Returns false when no list row is shown there. */
bool lv_click(ListView *lv, int row);

#endif
