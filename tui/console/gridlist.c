/* gridlist.c: see gridlist.h. */
#include "gridlist.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRID_MAX_COLS TABLE_MAX_COLS

static size_t count(void *ctx)
{
    return ((GridList *)ctx)->nrows;
}

/* Every cell, one a line: a filter finds a row by any of them. */
static const char *text(void *ctx, size_t row, char *buf, size_t size)
{
    GridList *g = ctx;
    size_t n = 0;
    buf[0] = '\0';
    for (int c = 0; c < g->ncols && n + 1 < size; c++) {
        const char *v = g->cell(g->ctx, row, c);
        int r = snprintf(buf + n, size - n, "%s%s", c ? "\n" : "", v ? v : "NULL");
        if (r < 0)
            break;
        n += (size_t)r < size - n ? (size_t)r : size - n - 1;
    }
    return buf;
}

static TableCell cell(void *ctx, size_t row, size_t col, char *buf, size_t size)
{
    (void)buf, (void)size;
    GridList *g = ctx;
    const char *v = g->cell(g->ctx, row, (int)col);
    return v ? (TableCell){ v, SLOT_NORMAL } : (TableCell){ "NULL", SLOT_DIM };
}

void gridlist_free(GridList *g)
{
    lm_free(&g->lm);
    for (int i = 0; i < g->ncols; i++)
        free(g->heads[i]);
    free(g->heads);
    free(g->cols);
    memset(g, 0, sizeof *g);
}

void gridlist_set(GridList *g, const Pane *pane, int ncols, char *const *names, size_t nrows,
                  GridCellFn cellfn, void *ctx, const char *noun)
{
    gridlist_free(g);
    if (ncols > GRID_MAX_COLS)
        ncols = GRID_MAX_COLS;
    g->ncols = ncols;
    g->nrows = nrows;
    g->cell = cellfn;
    g->ctx = ctx;
    g->cols = xcalloc((size_t)(ncols ? ncols : 1), sizeof *g->cols);
    g->heads = xcalloc((size_t)(ncols ? ncols : 1), sizeof *g->heads);
    for (int c = 0; c < ncols; c++) {
        g->heads[c] = xstrdup(names[c]);
        for (char *p = g->heads[c]; *p; p++)   /* headers as the other lists have them */
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        /* the last column takes what is left; the others at most 32 */
        g->cols[c] = (TableColumn){ g->heads[c], c + 1 < ncols ? 32 : 0, 8, ALIGN_LEFT,
                                    c + 1 == ncols, c > 2 ? c : 0 };
    }
    g->src = (ListSource){ .count = count, .text = text, .cell = cell };
    lm_init(&g->lm, pane, &g->src, g, g->cols, (size_t)ncols, noun, NULL, 0);
    lm_rebuild(&g->lm, -1);
}
