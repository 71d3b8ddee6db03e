/* pane_migrations_list.c: the history list of the Migrations pane: rows,
 * the '/' filter, selection, and drawing (see pane_migrations_internal.h). */
#include "pane_migrations_internal.h"
#include "strbuf.h"
#include "table.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the list's items ------------------------------------------------ */

/* The list's item k: dbwarden's migrations newest first (status items
 * from the end), or Alembic's history lines in order. */
static size_t item_count(const MigPane *mp)
{
    if (mp->alembic)
        return mp->proj_ok ? mp->hist.count : 0;
    return mp->loaded_ok ? mp->st.count : 0;
}

static const MigEntry *entry_of(const MigPane *mp, size_t k)
{
    return &mp->st.items[mp->st.count - 1 - k];
}

static size_t src_count(void *ctx)
{
    return item_count(ctx);
}

static bool src_selectable(void *ctx, size_t k)
{
    const MigPane *mp = ctx;
    return !mp->alembic || mp->hist.rev[k] >= 0;
}

/* The text a filter is matched against. */
static const char *src_text(void *ctx, size_t k, char *buf, size_t size)
{
    const MigPane *mp = ctx;
    if (mp->alembic)
        return mp->hist.lines[k];
    const MigEntry *e = entry_of(mp, k);
    snprintf(buf, size, "%s %s %s %s", e->version, e->name, migrate_state_name(e->state),
             e->applied_at ? e->applied_at : "");
    return buf;
}

static const char *id_of(const MigPane *mp, size_t k)
{
    if (!mp->alembic)
        return entry_of(mp, k)->version;
    long r = mp->hist.rev[k];
    return r >= 0 ? mp->proj.graph.revs[r].revision : NULL;
}

void mig_rows_rebuild(MigPane *mp, const char *key)
{
    long keep = -1;
    for (size_t k = 0, n = item_count(mp); key && k < n; k++) {
        const char *id = id_of(mp, k);
        if (id && strcmp(id, key) == 0) {
            keep = (long)k;
            break;
        }
    }
    lm_rebuild(&mp->list, keep);
}

const MigEntry *mig_selected_entry(const MigPane *mp)
{
    size_t k;
    if (mp->alembic || !mp->loaded_ok || !lm_selected(&mp->list, &k))
        return NULL;
    return entry_of(mp, k);
}

const AlembicRevision *mig_selected_rev(const MigPane *mp)
{
    size_t k;
    if (!mp->alembic || !mp->proj_ok || !lm_selected(&mp->list, &k))
        return NULL;
    long r = mp->hist.rev[k];
    return r >= 0 ? &mp->proj.graph.revs[r] : NULL;
}

const char *mig_selected_id(const MigPane *mp)
{
    if (mp->alembic) {
        const AlembicRevision *r = mig_selected_rev(mp);
        return r ? r->revision : NULL;
    }
    const MigEntry *e = mig_selected_entry(mp);
    return e ? e->version : NULL;
}

/* ---- dbwarden's table ----------------------------------------------- */

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

static TableCell src_cell(void *ctx, size_t k, size_t col, char *buf, size_t size)
{
    const MigPane *mp = ctx;
    const MigEntry *e = entry_of(mp, k);
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

/* ---- Alembic's graph ------------------------------------------------ */

static ThemeSlot rev_slot(const MigPane *mp, size_t item)
{
    long r = mp->hist.rev[item];
    if (r < 0)
        return SLOT_DIM;
    if (!mp->ast_ok)
        return SLOT_NORMAL;
    const AlembicRevision *rev = &mp->proj.graph.revs[r];
    if (alembic_is_current(&mp->ast, rev->revision))
        return SLOT_TITLE;
    return mp->ast.applied[r] ? SLOT_STATE_APPLIED : SLOT_STATE_PENDING;
}

/* A history line: the graph's lanes dim, the revision in its state's
 * colour. */
static void src_draw_row(void *ctx, size_t k, WINDOW *w, int y, int x, int width, bool sel,
                         const Palette *pal)
{
    const MigPane *mp = ctx;
    const char *line = mp->hist.lines[k];
    size_t lanes = strspn(line, "*|\\/ ");
    char *graph = xstrndup(line, lanes);
    palette_use(w, pal, sel ? SLOT_GRID_SELECTED : SLOT_DIM);
    int used = text_add(w, y, x, width, graph);
    palette_use(w, pal, sel ? SLOT_GRID_SELECTED : rev_slot(mp, k));
    text_add(w, y, x + used, width - used, line + lanes);
    free(graph);
}

static const ListSource source_dbwarden = {
    .count = src_count, .text = src_text, .cell = src_cell,
};

static const ListSource source_alembic = {
    .count = src_count, .text = src_text, .selectable = src_selectable,
    .draw_row = src_draw_row,
};

void mig_list_init(MigPane *mp)
{
    if (mp->alembic) {
        lm_init(&mp->list, &mp->base, &source_alembic, mp, NULL, 0, "revisions", NULL, 0);
        lm_set_header(&mp->list, "HISTORY (newest first; current in bold)");
    } else {
        lm_init(&mp->list, &mp->base, &source_dbwarden, mp, columns,
                sizeof columns / sizeof columns[0], "migrations", NULL, 0);
    }
}

void mig_list_draw(MigPane *mp, WINDOW *w, int y, int height)
{
    Pane *self = &mp->base;
    lm_draw(&mp->list, w, y, height, self->ctx->pal);
    if (item_count(mp) == 0)
        pane_add(w, self, y + 2, 2, SLOT_DIM,
                 mp->alembic ? "No revisions in the project."
                 : session_migrations(self->ctx->session) ? "No migrations in the folder."
                                                          : "No migrations recorded.");
    else if (mp->list.nrows == 0)
        pane_add(w, self, y + 2, 2, SLOT_DIM, "No row matches the filter (Esc clears it).");
}

/* ---- the header lines ---------------------------------------------------- */

static int add_count(WINDOW *w, MigPane *mp, int x, const char *label, size_t n, ThemeSlot s,
                     bool first)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s%s %zu", first ? "" : " ", label, n);
    if (!first) {
        x = pane_add(w, &mp->base, 0, x, SLOT_NORMAL, " ");
        x = pane_add(w, &mp->base, 0, x, SLOT_DIM, text_glyph(GLYPH_DOT));
        snprintf(buf, sizeof buf, " %s %zu", label, n);
    }
    return pane_add(w, &mp->base, 0, x, s, buf);
}

static int add_tail(WINDOW *w, MigPane *mp, int x, const char *label, const char *value,
                    ThemeSlot s)
{
    x = pane_add(w, &mp->base, 0, x, SLOT_NORMAL, " ");
    x = pane_add(w, &mp->base, 0, x, SLOT_DIM, text_glyph(GLYPH_DOT));
    char *t = xasprintf(" %s %s", label, value);
    x = pane_add(w, &mp->base, 0, x, s, t);
    free(t);
    return x;
}

/* Line 0: "Migrations  applied 9 · pending 1 · problems 0 · current 0009". */
static void summary_draw(MigPane *mp, WINDOW *w)
{
    Pane *p = &mp->base;
    int x = pane_draw_title(w, p);
    if (mp->alembic) {
        const AlembicStatus *st = &mp->ast;
        size_t problems = mp->proj.graph.nproblems + (mp->ast_ok ? st->nproblems : 0);
        x = pane_add(w, p, 0, x, SLOT_DIM, "Alembic ");
        if (mp->ast_ok) {
            x = add_count(w, mp, x, "applied", st->napplied, SLOT_STATE_APPLIED, true);
            x = add_count(w, mp, x, "pending", st->npending,
                          st->npending ? SLOT_STATE_PENDING : SLOT_NORMAL, false);
        }
        if (problems)
            x = add_count(w, mp, x, "problems", problems, SLOT_STATE_PROBLEM, false);
        StrBuf cur = STRBUF_INIT;
        for (size_t i = 0; mp->ast_ok && i < st->ncurrent; i++)
            sb_appendf(&cur, "%s%s", i ? "," : "", st->current[i]);
        x = add_tail(w, mp, x, "current", cur.len ? sb_str(&cur) : "none", SLOT_NORMAL);
        sb_free(&cur);
        add_tail(w, mp, x, "ini", p->ctx->session->cfg.migrations.alembic_ini, SLOT_DIM);
        return;
    }
    const MigStatus *st = &mp->st;
    x = add_count(w, mp, x, "applied", st->applied, SLOT_STATE_APPLIED, true);
    x = add_count(w, mp, x, "pending", st->pending,
                  st->pending ? SLOT_STATE_PENDING : SLOT_NORMAL, false);
    if (st->problems)
        x = add_count(w, mp, x, "problems", st->problems, SLOT_STATE_PROBLEM, false);
    char cur[48];
    snprintf(cur, sizeof cur, "%.40s", st->current ? st->current : "none");
    x = add_tail(w, mp, x, "current", cur, SLOT_NORMAL);
    if (p->ctx->session->cfg.migrations.dir)
        add_tail(w, mp, x, "folder", p->ctx->session->cfg.migrations.dir, SLOT_DIM);
}

/* Line 1: the filter prompt, the filter, the last outcome, or a note. */
static void note_draw(MigPane *mp, WINDOW *w)
{
    Pane *p = &mp->base;
    int width = getmaxx(w);
    if (mp->view == VIEW_LIST && lm_draw_filter(&mp->list, w, 1, width, p->ctx->pal))
        return;
    if (mp->last_result) {
        pane_add(w, p, 1, 0, mp->last_failed ? SLOT_STATE_PROBLEM : SLOT_STATE_APPLIED,
                 mp->last_result);
        return;
    }
    const char *first = NULL;
    size_t n = mig_problems(mp, &first);
    if (n) {
        /* the count and the key first: a long message is cut at the right */
        char *t = xasprintf("%zu problem%s (p lists %s)%s%s", n, n == 1 ? "" : "s",
                            n == 1 ? "it" : "them all", first ? ": " : "", first ? first : "");
        pane_add(w, p, 1, 0, SLOT_STATE_PROBLEM, t);
        free(t);
        return;
    }
    const char *note = NULL;
    if (!mp->alembic && !session_migrations(p->ctx->session))
        note = "No --migrations folder given: showing only what the database records.";
    else if (!mp->alembic && !mp->st.table_exists)
        note = "No " MIGRATE_TABLE " table yet: nothing has been applied.";
    if (note)
        pane_add(w, p, 1, 0, SLOT_DIM, note);
}

void mig_header_draw(MigPane *mp, WINDOW *w)
{
    summary_draw(mp, w);
    note_draw(mp, w);
}
