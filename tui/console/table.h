/* table.h: a list drawn as columns with a header row.
 *
 * The pane describes its columns once (a const array) and supplies cells
 * through a callback; table_draw() sizes the columns to their content,
 * shrinks the flexible column and drops the least important columns when
 * the window is narrow, and draws the rows that the ListView says are
 * visible, the selected one highlighted. */
#ifndef DBW_TABLE_H
#define DBW_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "colors.h"
#include "listview.h"
#include "text.h"

typedef struct TableColumn {
    const char *header;
    int         max;      /* widest the column gets; 0 = no limit */
    int         min;      /* flexible column: narrowest before others drop */
    TextAlign   align;
    bool        flex;     /* takes the cuts first (one column per table) */
    int         drop;     /* 0 = always shown; else dropped when narrow,
                             highest number first */
} TableColumn;

/* One cell: text (may point into buf, which holds bufsize bytes) and the
 * slot to draw it in. */
typedef struct TableCell {
    const char *text;
    ThemeSlot   slot;
} TableCell;

typedef TableCell (*TableCellFn)(void *ctx, size_t row, size_t col, char *buf, size_t bufsize);

typedef struct Table {
    const TableColumn *cols;
    size_t             ncols;   /* at most TABLE_MAX_COLS */
    TableCellFn        cell;
    void              *ctx;
} Table;

#define TABLE_MAX_COLS 12

/* Draws the header on line y of w and rows below it, height lines in all
 * (header included), scrolling lv (whose count is the number of rows). */
void table_draw(WINDOW *w, int y, int height, const Table *t, ListView *lv, const Palette *pal);

/* The list row offset (for lv_click) of window line wy in a table drawn at
 * y; -1 for the header or outside. */
int table_row_offset(int wy, int y);

#endif
