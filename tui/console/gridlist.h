/* gridlist.h: a ListMode over rows of text cells whose columns are known
 * only when the rows come (an anomaly's rows, a check's offending rows):
 * the columns are made from the names, a NULL cell is drawn "NULL" dim
 * (apart from an empty string), a filter matches any cell. */
#ifndef DBW_GRIDLIST_H
#define DBW_GRIDLIST_H

#include <stddef.h>

#include "listmode.h"

/* The cell at (row, col); NULL for SQL NULL. */
typedef const char *(*GridCellFn)(void *ctx, size_t row, int col);

typedef struct GridList {
    ListMode     lm;
    ListSource   src;
    TableColumn *cols;      /* owned */
    char       **heads;     /* owned */
    int          ncols;
    size_t       nrows;
    GridCellFn   cell;
    void        *ctx;
} GridList;

/* Sets g up on nrows rows of ncols columns called names (copied); cells
 * are read through cell(ctx, ...) while g lives.  Frees what g held. */
void gridlist_set(GridList *g, const Pane *pane, int ncols, char *const *names, size_t nrows,
                  GridCellFn cell, void *ctx, const char *noun);
void gridlist_free(GridList *g);

#endif
