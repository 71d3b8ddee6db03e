/* pane_schema.c: the tables and views of the database with row counts and
 * sizes (catalog_list_tables). */
#include "pane.h"
#include "catalog.h"
#include "table.h"
#include "xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct SchemaPane {
    Pane         base;
    CatTableList list;       /* valid when loaded_ok */
    bool         loaded_ok;
    DbError      err;
    ListView     lv;
    int          table_y;    /* window line of the table header, -1 if none */
} SchemaPane;

enum { COL_SCHEMA, COL_NAME, COL_KIND, COL_ROWS, COL_SIZE };

static const TableColumn columns[] = {
    [COL_SCHEMA] = { "SCHEMA", 16, 0, ALIGN_LEFT, false, 1 },
    [COL_NAME] = { "NAME", 0, 16, ALIGN_LEFT, true, 0 },
    [COL_KIND] = { "KIND", 0, 0, ALIGN_LEFT, false, 0 },
    [COL_ROWS] = { "ROWS", 14, 0, ALIGN_RIGHT, false, 0 },
    [COL_SIZE] = { "SIZE", 10, 0, ALIGN_RIGHT, false, 0 },
};

/* "512 B", "4.0 KiB", "1.2 GiB". */
static const char *human_bytes(int64_t n, char *buf, size_t size)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
    if (n < 1024) {
        snprintf(buf, size, "%" PRId64 " B", n);
        return buf;
    }
    double v = (double)n;
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    snprintf(buf, size, v < 10.0 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

static TableCell schema_cell(void *ctx, size_t row, size_t col, char *buf, size_t size)
{
    const CatTable *t = &((SchemaPane *)ctx)->list.items[row];
    switch (col) {
    case COL_SCHEMA: return (TableCell){ t->schema ? t->schema : "", SLOT_DIM };
    case COL_NAME: return (TableCell){ t->name, SLOT_NORMAL };
    case COL_KIND: return (TableCell){ t->is_view ? "view" : "table", t->is_view ? SLOT_DIM : SLOT_NORMAL };
    case COL_ROWS:
        if (t->rows < 0)
            return (TableCell){ "?", SLOT_DIM };
        snprintf(buf, size, "%s%" PRId64, t->rows_exact ? "" : "~", t->rows);
        return (TableCell){ buf, SLOT_NORMAL };
    case COL_SIZE:
        if (t->bytes < 0)
            return (TableCell){ text_glyph(GLYPH_DASH), SLOT_DIM };
        return (TableCell){ human_bytes(t->bytes, buf, size), SLOT_NORMAL };
    default:
        return (TableCell){ "", SLOT_NORMAL };
    }
}

static Pane *schema_create(const PaneClass *cls, const PaneContext *ctx)
{
    SchemaPane *sp = xcalloc(1, sizeof *sp);
    sp->base.cls = cls;
    sp->base.ctx = ctx;
    sp->err = (DbError)DB_ERROR_INIT;
    sp->table_y = -1;
    return &sp->base;
}

static void schema_reload(Pane *self)
{
    SchemaPane *sp = (SchemaPane *)self;
    if (sp->loaded_ok)
        catalog_tables_free(&sp->list);
    memset(&sp->list, 0, sizeof sp->list);
    db_error_clear(&sp->err);
    sp->loaded_ok = catalog_list_tables(self->ctx->conn, &sp->list, &sp->err) == 0;
    lv_set_count(&sp->lv, sp->loaded_ok ? sp->list.count : 0);
}

static void draw_summary(WINDOW *w, SchemaPane *sp)
{
    size_t views = 0;
    for (size_t i = 0; i < sp->list.count; i++)
        views += sp->list.items[i].is_view;
    char buf[96];
    snprintf(buf, sizeof buf, "%zu table%s %s %zu view%s", sp->list.count - views,
             sp->list.count - views == 1 ? "" : "s", text_glyph(GLYPH_DOT), views,
             views == 1 ? "" : "s");
    int x = pane_draw_title(w, &sp->base);
    x = pane_add(w, &sp->base, 0, x, SLOT_NORMAL, buf);
    x = pane_add(w, &sp->base, 0, x, SLOT_DIM, " ");
    x = pane_add(w, &sp->base, 0, x, SLOT_DIM, text_glyph(GLYPH_DOT));
    x = pane_add(w, &sp->base, 0, x, SLOT_DIM, " ~ estimated, ? unknown");
}

static void schema_draw(Pane *self, WINDOW *w)
{
    SchemaPane *sp = (SchemaPane *)self;
    int height = getmaxy(w);
    if (!sp->loaded_ok) {
        pane_draw_title(w, self);
        pane_draw_error(w, self, 2, height - 2, "Cannot list the tables", sp->err.message);
        sp->table_y = -1;
        return;
    }
    draw_summary(w, sp);
    sp->table_y = 2;
    Table t = { columns, sizeof columns / sizeof columns[0], schema_cell, sp };
    table_draw(w, sp->table_y, height - sp->table_y, &t, &sp->lv, self->ctx->pal);
    if (sp->list.count == 0)
        pane_add(w, self, sp->table_y + 2, 2, SLOT_DIM, "No tables or views.");
}

static PaneResult schema_key(Pane *self, int key)
{
    return lv_key(&((SchemaPane *)self)->lv, key) ? PANE_REDRAW : PANE_IGNORED;
}

static PaneResult schema_click(Pane *self, int y, int x)
{
    (void)x;
    SchemaPane *sp = (SchemaPane *)self;
    if (sp->table_y < 0)
        return PANE_IGNORED;
    return lv_click(&sp->lv, table_row_offset(y, sp->table_y)) ? PANE_REDRAW : PANE_IGNORED;
}

static void schema_destroy(Pane *self)
{
    SchemaPane *sp = (SchemaPane *)self;
    if (sp->loaded_ok)
        catalog_tables_free(&sp->list);
    db_error_clear(&sp->err);
    free(sp);
}

const PaneClass pane_schema_class = {
    .title = "Schema",
    .keys = &keys_list,
    .create = schema_create,
    .reload = schema_reload,
    .draw = schema_draw,
    .on_key = schema_key,
    .on_click = schema_click,
    .destroy = schema_destroy,
};
