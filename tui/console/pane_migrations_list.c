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

/* ---- rows ----------------------------------------------------------- */

static size_t item_count(const MigPane *mp)
{
    if (mp->alembic)
        return mp->proj_ok ? mp->hist.count : 0;
    return mp->loaded_ok ? mp->st.count : 0;
}

/* Item of the unfiltered row r: status items newest first, or history
 * lines in order. */
static size_t item_of(const MigPane *mp, size_t r)
{
    return mp->alembic ? r : mp->st.count - 1 - r;
}

static bool is_rev_line(const MigPane *mp, size_t item)
{
    return !mp->alembic || mp->hist.rev[item] >= 0;
}

/* The text a filter is matched against. */
static const char *match_text(const MigPane *mp, size_t item, char *buf, size_t size)
{
    if (mp->alembic)
        return mp->hist.lines[item];
    const MigEntry *e = &mp->st.items[item];
    snprintf(buf, size, "%s %s %s %s", e->version, e->name, migrate_state_name(e->state),
             e->applied_at ? e->applied_at : "");
    return buf;
}

static bool item_matches(const MigPane *mp, size_t item)
{
    if (!mp->filter)
        return true;
    if (!is_rev_line(mp, item))
        return false;
    char buf[512];
    const char *t = match_text(mp, item, buf, sizeof buf);
    return rx_match(mp->filter, t, strlen(t), NULL, 0);
}

static bool row_has_key(const MigPane *mp, size_t row, const char *key)
{
    size_t item = mp->rows[row];
    if (!mp->alembic)
        return strcmp(mp->st.items[item].version, key) == 0;
    long r = mp->hist.rev[item];
    return r >= 0 && mp->proj.graph.revs[r].revision &&
           strcmp(mp->proj.graph.revs[r].revision, key) == 0;
}

/* Moves the selection off a line that only draws the graph, towards dir
 * first. */
static void skip_graph_lines(MigPane *mp, int dir)
{
    if (!mp->alembic || mp->nrows == 0)
        return;
    for (int pass = 0; pass < 2; pass++, dir = -dir) {
        size_t s = mp->lv.sel;
        for (;;) {
            if (is_rev_line(mp, mp->rows[s])) {
                mp->lv.sel = s;
                return;
            }
            if ((dir > 0 && s + 1 >= mp->nrows) || (dir < 0 && s == 0))
                break;
            s = dir > 0 ? s + 1 : s - 1;
        }
    }
}

void mig_rows_rebuild(MigPane *mp, const char *key)
{
    size_t n = item_count(mp);
    free(mp->rows);
    mp->rows = xcalloc(n ? n : 1, sizeof *mp->rows);
    mp->nrows = 0;
    for (size_t r = 0; r < n; r++) {
        size_t item = item_of(mp, r);
        if (item_matches(mp, item))
            mp->rows[mp->nrows++] = item;
    }
    lv_set_count(&mp->lv, mp->nrows);
    for (size_t r = 0; key && r < mp->nrows; r++)
        if (row_has_key(mp, r, key)) {
            mp->lv.sel = r;
            break;
        }
    skip_graph_lines(mp, 1);
}

const MigEntry *mig_selected_entry(const MigPane *mp)
{
    if (mp->alembic || !mp->loaded_ok || mp->nrows == 0)
        return NULL;
    return &mp->st.items[mp->rows[mp->lv.sel]];
}

const AlembicRevision *mig_selected_rev(const MigPane *mp)
{
    if (!mp->alembic || !mp->proj_ok || mp->nrows == 0)
        return NULL;
    long r = mp->hist.rev[mp->rows[mp->lv.sel]];
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

bool mig_set_filter(MigPane *mp, const char *pattern)
{
    Rx *rx = NULL;
    if (pattern && *pattern) {
        DbError err = DB_ERROR_INIT;
        rx = rx_compile(pattern, RX_CASELESS, &err);
        if (!rx) {
            pane_say(&mp->base, true, "Invalid regular expression /%s/: %s", pattern, err.message);
            db_error_clear(&err);
            return false;
        }
    }
    char *key = xstrdup(mig_selected_id(mp));
    rx_free(mp->filter);
    free(mp->filter_text);
    mp->filter = rx;
    mp->filter_text = rx ? xstrdup(pattern) : NULL;
    mig_rows_rebuild(mp, key);
    free(key);
    if (rx && mp->nrows == 0)
        pane_say(&mp->base, false, "No row matches /%s/ (Esc clears the filter).", pattern);
    return true;
}

void mig_list_move(MigPane *mp, KeyAction a)
{
    if (!lv_apply(&mp->lv, a))
        return;
    bool up = a == ACT_UP || a == ACT_PAGE_UP || a == ACT_BOTTOM;
    skip_graph_lines(mp, up ? -1 : 1);
}

bool mig_list_click(MigPane *mp, int y)
{
    if (mp->table_y < 0 || !lv_click(&mp->lv, table_row_offset(y, mp->table_y)))
        return false;
    skip_graph_lines(mp, 1);
    return true;
}

void mig_list_match(MigPane *mp, int dir)
{
    if (!mp->filter) {
        pane_say(&mp->base, false, "No filter: / sets one.");
        return;
    }
    if (mp->nrows == 0) {
        pane_say(&mp->base, true, "No row matches /%s/.", mp->filter_text);
        return;
    }
    /* every row shown matches: step with wrap-around */
    size_t s = mp->lv.sel;
    s = dir > 0 ? (s + 1 < mp->nrows ? s + 1 : 0) : (s > 0 ? s - 1 : mp->nrows - 1);
    if ((dir > 0 && s == 0) || (dir < 0 && s == mp->nrows - 1))
        pane_say(&mp->base, false, "Search wrapped around.");
    mp->lv.sel = s;
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

static TableCell mig_cell(void *ctx, size_t row, size_t col, char *buf, size_t size)
{
    const MigPane *mp = ctx;
    const MigEntry *e = &mp->st.items[mp->rows[row]];
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

static void graph_draw(MigPane *mp, WINDOW *w, int y, int height)
{
    const Palette *pal = mp->base.ctx->pal;
    int width = getmaxx(w);
    palette_use(w, pal, SLOT_GRID_HEADER);
    text_add(w, y, 0, width, "HISTORY (newest first; current in bold)");
    int visible = height - 1;
    lv_scroll(&mp->lv, visible);
    for (int i = 0; i < visible && mp->lv.top + (size_t)i < mp->nrows; i++) {
        size_t row = mp->lv.top + (size_t)i, item = mp->rows[row];
        const char *line = mp->hist.lines[item];
        bool sel = row == mp->lv.sel;
        /* the graph's lanes in dim, the revision in its state's colour */
        size_t lanes = strspn(line, "*|\\/ ");
        char *graph = xstrndup(line, lanes);
        palette_use(w, pal, sel ? SLOT_GRID_SELECTED : SLOT_DIM);
        int x = text_add(w, y + 1 + i, 0, width, graph);
        palette_use(w, pal, sel ? SLOT_GRID_SELECTED : rev_slot(mp, item));
        text_put(w, y + 1 + i, x, width - x, line + lanes, ALIGN_LEFT);
        free(graph);
    }
    palette_use(w, pal, SLOT_NORMAL);
}

void mig_list_draw(MigPane *mp, WINDOW *w, int y, int height)
{
    Pane *self = &mp->base;
    mp->table_y = y;
    if (mp->alembic) {
        graph_draw(mp, w, y, height);
        if (item_count(mp) == 0)
            pane_add(w, self, y + 2, 2, SLOT_DIM, "No revisions in the project.");
    } else {
        Table t = { columns, sizeof columns / sizeof columns[0], mig_cell, mp };
        table_draw(w, y, height, &t, &mp->lv, self->ctx->pal);
        if (item_count(mp) == 0)
            pane_add(w, self, y + 2, 2, SLOT_DIM,
                     session_migrations(self->ctx->session) ? "No migrations in the folder."
                                           : "No migrations recorded.");
    }
    if (mp->filter && mp->nrows == 0 && item_count(mp) > 0)
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
    if (mp->prompting) {
        lineedit_draw(w, 1, 0, width, mp->view == VIEW_LIST ? "Filter (regex): /"
                                                            : "Search (regex): /",
                      &mp->prompt, p->ctx->pal);
        return;
    }
    if (mp->view == VIEW_LIST && mp->filter) {
        char *t = xasprintf("Filter /%s/: %zu of %zu rows  (n/N next/previous, Esc clears)",
                            mp->filter_text, mp->nrows, item_count(mp));
        pane_add(w, p, 1, 0, SLOT_TITLE, t);
        free(t);
        return;
    }
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
