/* pane_migrations.c: dbwarden's migrations, newest first, with their state.
 *
 * The model is a MigStatus from core (migrate_status) plus a ListView; the
 * rows are the status items in reverse order. */
#include "pane.h"
#include "table.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct MigPane {
    Pane      base;
    MigStatus st;        /* valid when loaded_ok */
    bool      loaded_ok;
    DbError   err;       /* the last load's error, if any */
    ListView  lv;
    int       table_y;   /* window line of the table header at the last draw */
} MigPane;

enum { COL_VERSION, COL_NAME, COL_STATE, COL_APPLIED, COL_DURATION, COL_CHECKSUM };

static const TableColumn columns[] = {
    [COL_VERSION] = { "VERSION", 20, 0, ALIGN_LEFT, false, 0 },
    [COL_NAME] = { "NAME", 0, 30, ALIGN_LEFT, true, 0 },
    [COL_STATE] = { "STATE", 0, 0, ALIGN_LEFT, false, 0 },
    [COL_APPLIED] = { "APPLIED AT", 19, 0, ALIGN_LEFT, false, 2 },
    [COL_DURATION] = { "DURATION", 10, 0, ALIGN_RIGHT, false, 1 },
    [COL_CHECKSUM] = { "CHECKSUM", 8, 0, ALIGN_LEFT, false, 3 },
};

static ThemeSlot state_slot(MigState s)
{
    switch (s) {
    case MIG_APPLIED: return SLOT_STATE_APPLIED;
    case MIG_PENDING: return SLOT_STATE_PENDING;
    default: return SLOT_STATE_PROBLEM;
    }
}

static const MigEntry *entry_at(const MigPane *mp, size_t row)
{
    return &mp->st.items[mp->st.count - 1 - row];
}

/* "2024-05-01 12:00:00" from the engine's timestamp text. */
static const char *short_time(const char *ts, char *buf, size_t size)
{
    snprintf(buf, size, "%.19s", ts);
    if (strlen(buf) > 10 && buf[10] == 'T')
        buf[10] = ' ';
    return buf;
}

static const char *duration_text(long ms, char *buf, size_t size)
{
    if (ms < 1000)
        snprintf(buf, size, "%ld ms", ms);
    else if (ms < 60000)
        snprintf(buf, size, "%.1f s", (double)ms / 1000.0);
    else
        snprintf(buf, size, "%ldm %02lds", ms / 60000, (ms / 1000) % 60);
    return buf;
}

static TableCell unknown(void)
{
    return (TableCell){ text_glyph(GLYPH_DASH), SLOT_DIM };
}

static TableCell mig_cell(void *ctx, size_t row, size_t col, char *buf, size_t size)
{
    const MigEntry *e = entry_at(ctx, row);
    switch (col) {
    case COL_VERSION: return (TableCell){ e->version, SLOT_NORMAL };
    case COL_NAME: return (TableCell){ e->name, SLOT_NORMAL };
    case COL_STATE: return (TableCell){ migrate_state_name(e->state), state_slot(e->state) };
    case COL_APPLIED:
        return e->applied_at ? (TableCell){ short_time(e->applied_at, buf, size), SLOT_NORMAL }
                             : unknown();
    case COL_DURATION:
        return e->duration_ms >= 0
            ? (TableCell){ duration_text(e->duration_ms, buf, size), SLOT_NORMAL } : unknown();
    case COL_CHECKSUM: {
        const char *sum = e->checksum ? e->checksum : e->file ? e->file->checksum : NULL;
        if (!sum || !*sum)
            return unknown();
        snprintf(buf, size, "%.8s", sum);
        return (TableCell){ buf, SLOT_DIM };
    }
    default: return unknown();
    }
}

static Pane *mig_create(const PaneClass *cls, const PaneContext *ctx)
{
    MigPane *mp = xcalloc(1, sizeof *mp);
    mp->base.cls = cls;
    mp->base.ctx = ctx;
    mp->err = (DbError)DB_ERROR_INIT;
    return &mp->base;
}

static void mig_reload(Pane *self)
{
    MigPane *mp = (MigPane *)self;
    if (mp->loaded_ok)
        migrate_status_free(&mp->st);
    memset(&mp->st, 0, sizeof mp->st);
    db_error_clear(&mp->err);
    mp->loaded_ok = migrate_status(self->ctx->conn, self->ctx->migrations, &mp->st, &mp->err) == 0;
    lv_set_count(&mp->lv, mp->loaded_ok ? mp->st.count : 0);
}

/* Line 0: "Migrations  applied 9 · pending 1 · problems 0 · current 0009". */
static void draw_summary(WINDOW *w, MigPane *mp)
{
    Pane *p = &mp->base;
    const MigStatus *st = &mp->st;
    char buf[96];
    const char *dot = text_glyph(GLYPH_DOT);
    int x = pane_draw_title(w, p);
    snprintf(buf, sizeof buf, "applied %zu", st->applied);
    x = pane_add(w, p, 0, x, SLOT_STATE_APPLIED, buf);
    snprintf(buf, sizeof buf, " %s pending %zu", dot, st->pending);
    x = pane_add(w, p, 0, x, st->pending ? SLOT_STATE_PENDING : SLOT_NORMAL, buf);
    if (st->problems) {
        snprintf(buf, sizeof buf, " %s problems %zu", dot, st->problems);
        x = pane_add(w, p, 0, x, SLOT_STATE_PROBLEM, buf);
    }
    snprintf(buf, sizeof buf, " %s current %.40s", dot, st->current ? st->current : "none");
    x = pane_add(w, p, 0, x, SLOT_NORMAL, buf);
    if (p->ctx->migrations_path) {
        x = pane_add(w, p, 0, x, SLOT_NORMAL, " ");
        x = pane_add(w, p, 0, x, SLOT_DIM, dot);
        x = pane_add(w, p, 0, x, SLOT_DIM, " folder ");
        pane_add(w, p, 0, x, SLOT_DIM, p->ctx->migrations_path);
    }
}

/* Line 1: what the list is based on, when that is not obvious. */
static void draw_note(WINDOW *w, MigPane *mp)
{
    const char *note = NULL;
    if (!mp->base.ctx->migrations)
        note = "No --migrations folder given: showing only what the database records.";
    else if (!mp->st.table_exists)
        note = "No " MIGRATE_TABLE " table yet: nothing has been applied.";
    if (note)
        pane_add(w, &mp->base, 1, 0, SLOT_DIM, note);
}

static void mig_draw(Pane *self, WINDOW *w)
{
    MigPane *mp = (MigPane *)self;
    int height = getmaxy(w);
    if (!mp->loaded_ok) {
        pane_draw_title(w, self);
        pane_draw_error(w, self, 2, height - 2, "Cannot read the migration state", mp->err.message);
        mp->table_y = -1;
        return;
    }
    draw_summary(w, mp);
    draw_note(w, mp);
    mp->table_y = 2;
    Table t = { columns, sizeof columns / sizeof columns[0], mig_cell, mp };
    table_draw(w, mp->table_y, height - mp->table_y, &t, &mp->lv, self->ctx->pal);
    if (mp->st.count == 0)
        pane_add(w, self, mp->table_y + 2, 2, SLOT_DIM,
                 self->ctx->migrations ? "No migrations in the folder." : "No migrations recorded.");
}

static PaneResult mig_key(Pane *self, int key)
{
    MigPane *mp = (MigPane *)self;
    return lv_key(&mp->lv, key) ? PANE_REDRAW : PANE_IGNORED;
}

static PaneResult mig_click(Pane *self, int y, int x)
{
    (void)x;
    MigPane *mp = (MigPane *)self;
    if (mp->table_y < 0)
        return PANE_IGNORED;
    return lv_click(&mp->lv, table_row_offset(y, mp->table_y)) ? PANE_REDRAW : PANE_IGNORED;
}

static void mig_destroy(Pane *self)
{
    MigPane *mp = (MigPane *)self;
    if (mp->loaded_ok)
        migrate_status_free(&mp->st);
    db_error_clear(&mp->err);
    free(mp);
}

const PaneClass pane_migrations_class = {
    .title = "Migrations",
    .keys = &keys_list,
    .create = mig_create,
    .reload = mig_reload,
    .draw = mig_draw,
    .on_key = mig_key,
    .on_click = mig_click,
    .destroy = mig_destroy,
};
