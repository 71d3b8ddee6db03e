/* pane_seed_model.c: what the Seed pane reads and its two lists: the
 * tables (rows now, seeded rows, by which sets) and the ledger's runs,
 * with the totals on the title line (see pane_seed_internal.h). */
#include "pane_seed_internal.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading ---------------------------------------------------------------- */

void seed_model_free(SeedModel *m)
{
    seed_status_free(&m->st);
    seed_tables_now_free(m->tables, m->ntables);
    memset(m, 0, sizeof *m);
}

static void free_arg(void *arg)
{
    seed_model_free(arg);
    free(arg);
}

/* The task (its own connection): the ledger with its counts, then every
 * table's rows now. */
static int load_run(Job *job, DbConn *conn, void *arg, char **summary, DbError *err)
{
    SeedModel *m = arg;
    job_progress(job, 0, 2, "the seed ledger");
    if (seed_status(conn, true, &m->st, err) != 0)
        return -1;
    if (job_cancel_requested(job)) {
        db_error_set(err, DB_ERR_CANCELLED, "stopped: the tables' rows were not counted");
        return -1;
    }
    job_progress(job, 1, 2, "the rows of the tables");
    if (seed_tables_now(conn, &m->st, &m->tables, &m->ntables, err) != 0)
        return -1;
    *summary = xasprintf("%zu runs, %zu tables", m->st.nruns, m->ntables);
    return 0;
}

void seed_load_start(SeedPane *sp)
{
    DbError err = DB_ERROR_INIT;
    SeedModel *m = xcalloc(1, sizeof *m);
    if (!task_start(&sp->load, sp->base.ctx->session, "reading the seed ledger", load_run, m,
                    free_arg, &err)) {
        db_error_clear(&sp->err);
        sp->err = err;
        sp->failed = true;
    }
}

void seed_load_done(SeedPane *sp)
{
    SeedModel *m = task_arg(&sp->load);
    if (sp->load.outcome != JOB_OK || !m) {
        db_error_clear(&sp->err);
        db_error_set(&sp->err, sp->load.err.kind ? sp->load.err.kind : DB_ERR_SQL, "%s",
                     sp->load.err.message ? sp->load.err.message : "the read was stopped");
        sp->failed = true;
        return;
    }
    if (sp->have_model)
        seed_model_free(&sp->model);
    sp->model = *m;
    memset(m, 0, sizeof *m);
    sp->have_model = true;
    sp->failed = false;
    db_error_clear(&sp->err);
    lm_rebuild(&sp->tables, -1);
    lm_rebuild(&sp->runs, -1);
}

/* ---- the tables' list ------------------------------------------------------- */

enum { TC_TABLE, TC_ROWS, TC_SEEDED, TC_BY };

static const TableColumn table_cols[] = {
    [TC_TABLE] = { "TABLE", 28, 0, ALIGN_LEFT, false, 0 },
    [TC_ROWS] = { "ROWS NOW", 12, 0, ALIGN_RIGHT, false, 0 },
    [TC_SEEDED] = { "SEEDED", 12, 0, ALIGN_RIGHT, false, 0 },
    [TC_BY] = { "BY (SET: ROWS)", 0, 12, ALIGN_LEFT, true, 0 },
};

/* The seeded rows of table now, over every run; by (may be NULL) gets
 * "demo: 14, scale --scale 10 --seed 1: 80". */
static long long seeded_of(const SeedModel *m, const char *table, StrBuf *by)
{
    long long n = 0;
    for (size_t i = 0; i < m->st.ntables; i++) {
        const SeedTableStatus *t = &m->st.tables[i];
        if (strcmp(t->table, table) != 0)
            continue;
        n += t->rows;
        if (by && t->rows > 0)
            sb_appendf(by, "%s%s: %lld", by->len ? ", " : "", t->label, t->rows);
    }
    return n;
}

static size_t tab_count(void *ctx)
{
    const SeedPane *sp = ctx;
    return sp->have_model ? sp->model.ntables : 0;
}

static const char *tab_text(void *ctx, size_t i, char *buf, size_t size)
{
    const SeedPane *sp = ctx;
    StrBuf by = STRBUF_INIT;
    seeded_of(&sp->model, sp->model.tables[i].table, &by);
    snprintf(buf, size, "%s\n%s", sp->model.tables[i].table, sb_str(&by));
    sb_free(&by);
    return buf;
}

static TableCell tab_cell(void *ctx, size_t i, size_t col, char *buf, size_t size)
{
    const SeedPane *sp = ctx;
    const SeedTableNow *t = &sp->model.tables[i];
    long long seeded;
    switch (col) {
    case TC_TABLE:
        return (TableCell){ t->table, SLOT_NORMAL };
    case TC_ROWS:
        if (t->rows < 0)
            return (TableCell){ "missing", SLOT_STATE_PROBLEM };
        snprintf(buf, size, "%lld", t->rows);
        return (TableCell){ buf, SLOT_NORMAL };
    case TC_SEEDED:
        seeded = seeded_of(&sp->model, t->table, NULL);
        snprintf(buf, size, "%lld", seeded);
        return (TableCell){ buf, seeded ? SLOT_STATE_APPLIED : SLOT_DIM };
    default: {
        StrBuf by = STRBUF_INIT;
        seeded_of(&sp->model, t->table, &by);
        bool any = by.len > 0;
        snprintf(buf, size, "%s", any ? sb_str(&by) : "—");
        sb_free(&by);
        return (TableCell){ buf, any ? SLOT_NORMAL : SLOT_DIM };
    }
    }
}

static int cmp_ll(long long a, long long b)
{
    return a < b ? -1 : a > b;
}

/* load order (the model's), name, rows now, seeded rows */
static int tab_compare(void *ctx, size_t a, size_t b, int key)
{
    const SeedPane *sp = ctx;
    const SeedTableNow *x = &sp->model.tables[a], *y = &sp->model.tables[b];
    switch (key) {
    case 1: return strcmp(x->table, y->table);
    case 2: return cmp_ll(x->rows, y->rows);
    case 3: return cmp_ll(seeded_of(&sp->model, x->table, NULL),
                          seeded_of(&sp->model, y->table, NULL));
    default: return 0;
    }
}

static const ListSource table_source = {
    .count = tab_count, .text = tab_text, .cell = tab_cell, .compare = tab_compare,
};
static const char *const table_orders[] = { "load order", "name", "rows now", "seeded" };

/* ---- the runs' list --------------------------------------------------------- */

enum { RC_ID, RC_SET, RC_ROWS, RC_WHEN, RC_BY, RC_TIME };

static const TableColumn run_cols[] = {
    [RC_ID] = { "RUN", 6, 0, ALIGN_RIGHT, false, 0 },
    [RC_SET] = { "SET", 0, 12, ALIGN_LEFT, true, 0 },
    [RC_ROWS] = { "ROWS", 12, 0, ALIGN_RIGHT, false, 0 },
    [RC_WHEN] = { "SEEDED (UTC)", 19, 0, ALIGN_LEFT, false, 0 },
    [RC_BY] = { "BY", 24, 0, ALIGN_LEFT, false, 1 },
    [RC_TIME] = { "TIME", 10, 0, ALIGN_RIGHT, false, 2 },
};

static size_t run_count(void *ctx)
{
    const SeedPane *sp = ctx;
    return sp->have_model ? sp->model.st.nruns : 0;
}

static const char *run_text(void *ctx, size_t i, char *buf, size_t size)
{
    const SeedRunInfo *r = &((SeedPane *)ctx)->model.st.runs[i];
    snprintf(buf, size, "%s\n%s\n%s", r->label, r->seeded_at, r->seeded_by);
    return buf;
}

static TableCell run_cell(void *ctx, size_t i, size_t col, char *buf, size_t size)
{
    const SeedRunInfo *r = &((SeedPane *)ctx)->model.st.runs[i];
    switch (col) {
    case RC_ID:
        snprintf(buf, size, "%lld", r->id);
        return (TableCell){ buf, SLOT_DIM };
    case RC_SET: return (TableCell){ r->label, SLOT_NORMAL };
    case RC_ROWS:
        snprintf(buf, size, "%lld", r->rows);
        return (TableCell){ buf, SLOT_NORMAL };
    case RC_WHEN: return (TableCell){ r->seeded_at, SLOT_NORMAL };
    case RC_BY: return (TableCell){ r->seeded_by, SLOT_DIM };
    default:
        if (r->duration_ms < 1000)
            snprintf(buf, size, "%lld ms", r->duration_ms);
        else
            snprintf(buf, size, "%.1f s", (double)r->duration_ms / 1000.0);
        return (TableCell){ buf, SLOT_DIM };
    }
}

/* newest first (the model is oldest first), rows */
static int run_compare(void *ctx, size_t a, size_t b, int key)
{
    const SeedPane *sp = ctx;
    const SeedRunInfo *x = &sp->model.st.runs[a], *y = &sp->model.st.runs[b];
    return key == 1 ? cmp_ll(x->rows, y->rows) : cmp_ll(y->id, x->id);
}

static const ListSource run_source = {
    .count = run_count, .text = run_text, .cell = run_cell, .compare = run_compare,
};
static const char *const run_orders[] = { "newest first", "rows" };

void seed_lists_init(SeedPane *sp)
{
    lm_init(&sp->tables, &sp->base, &table_source, sp, table_cols,
            sizeof table_cols / sizeof table_cols[0], "tables", table_orders, 4);
    lm_init(&sp->runs, &sp->base, &run_source, sp, run_cols,
            sizeof run_cols / sizeof run_cols[0], "runs", run_orders, 2);
}

void seed_lists_free(SeedPane *sp)
{
    lm_free(&sp->tables);
    lm_free(&sp->runs);
    task_free(&sp->load);
    if (sp->have_model)
        seed_model_free(&sp->model);
    sp->have_model = false;
    db_error_clear(&sp->err);
}

const SeedRunInfo *seed_selected_run(const SeedPane *sp)
{
    size_t i;
    if (!sp->have_model || sp->view != SEED_VIEW_RUNS || !lm_selected(&sp->runs, &i))
        return NULL;
    return &sp->model.st.runs[i];
}

/* ---- drawing ------------------------------------------------------------------ */

/* "Seed  12 tables · 1234 rows · 118 seeded by 1 run · sets: demo". */
void seed_header_draw(SeedPane *sp, WINDOW *w)
{
    Pane *p = &sp->base;
    int x = pane_draw_title(w, p);
    if (!sp->have_model)
        return;
    const SeedModel *m = &sp->model;
    long long rows = 0, seeded = 0;
    for (size_t i = 0; i < m->ntables; i++)
        rows += m->tables[i].rows > 0 ? m->tables[i].rows : 0;
    for (size_t i = 0; i < m->st.ntables; i++)
        seeded += m->st.tables[i].rows;
    char *t = xasprintf("%zu tables %s %lld rows %s ", m->ntables, text_glyph(GLYPH_DOT), rows,
                        text_glyph(GLYPH_DOT));
    x = pane_add(w, p, 0, x, SLOT_NORMAL, t);
    free(t);
    t = xasprintf("%lld seeded", seeded);
    x = pane_add(w, p, 0, x, seeded ? SLOT_STATE_APPLIED : SLOT_NORMAL, t);
    free(t);
    t = xasprintf(" by %zu run%s", m->st.nruns, m->st.nruns == 1 ? "" : "s");
    x = pane_add(w, p, 0, x, SLOT_NORMAL, t);
    free(t);
    if (!m->st.ledger)
        pane_add(w, p, 0, x, SLOT_DIM, " (no ledger yet)");
}

void seed_tables_draw(SeedPane *sp, WINDOW *w, int y, int height)
{
    lm_draw(&sp->tables, w, y, height, sp->base.ctx->pal);
}

void seed_runs_draw(SeedPane *sp, WINDOW *w, int y, int height)
{
    if (sp->have_model && sp->model.st.nruns == 0) {
        pane_add(w, &sp->base, y, 0, SLOT_DIM,
                 sp->model.st.ledger ? "The ledger records no seed run."
                                     : "No seed run yet: the ledger's tables are made by the "
                                       "first one (s seeds the demo set).");
        return;
    }
    lm_draw(&sp->runs, w, y, height, sp->base.ctx->pal);
}
