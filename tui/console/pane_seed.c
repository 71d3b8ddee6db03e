/* pane_seed.c: the Seed pane: per table the rows now and the seeded rows
 * with the sets that seeded them, the ledger's runs, the totals; s seeds
 * the demo set, S another set, R resets, each through the shared guard,
 * with its progress (rows, rows per second, time left) on the last line;
 * Esc stops it (the run rolls back).  See pane_seed_internal.h for how
 * the files divide the work. */
#include "pane_seed_internal.h"
#include "xalloc.h"

#include <stdlib.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const KeyBinding seed_items[] = {
    { { 's' }, "s", SEED_ACT_DEMO, "seed the demo set (asks first)", "seed demo" },
    { { 'S' }, "S", SEED_ACT_PICK, "seed a set picked from a list: demo, scale (asks how "
      "many users), files", NULL },
    { { 'R' }, "R", SEED_ACT_RESET, "reset: remove every seeded row, or one set's (asks; "
      "backup first)", "reset" },
    { { 'L' }, "L", SEED_ACT_RUNS, "the ledger's runs (again: the tables)", "runs" },
    { { KEY_ESC }, "Esc", ACT_BACK, "stop the running seed or reset (it rolls back) or read; "
      "back to the tables; clear the filter", NULL },
};

static const KeyTable keys_seed = { "Seed: actions and views", seed_items, COUNT(seed_items) };
static const KeyTable *const more_keys[] = { &keys_seed, &keys_listmode, &keys_dialog,
                                             &keys_choice, &keys_lineedit, NULL };

static const PaneActionKey action_keys[] = {
    { "seed", SEED_ACT_DEMO }, { "seed", SEED_ACT_PICK }, { "reset", SEED_ACT_RESET },
    { NULL, ACT_NONE },
};

static Pane *seed_create(const PaneClass *cls, const PaneContext *ctx)
{
    SeedPane *sp = xcalloc(1, sizeof *sp);
    sp->base.cls = cls;
    sp->base.ctx = ctx;
    sp->err = (DbError)DB_ERROR_INIT;
    seed_lists_init(sp);
    actrun_init(&sp->act, &sp->base);
    return &sp->base;
}

static void seed_reload(Pane *self)
{
    seed_load_start((SeedPane *)self);
}

static ListMode *current_list(SeedPane *sp)
{
    return sp->view == SEED_VIEW_RUNS ? &sp->runs : &sp->tables;
}

/* Line 1: the scale's prompt, the filter, the last outcome. */
static void note_draw(SeedPane *sp, WINDOW *w)
{
    Pane *p = &sp->base;
    int width = getmaxx(w);
    if (sp->ask == SEED_ASK_SCALE) {
        lineedit_draw(w, 1, 0, width, seed_ask_prompt(sp), &sp->edit, p->ctx->pal);
        return;
    }
    if (sp->have_model && lm_draw_filter(current_list(sp), w, 1, width, p->ctx->pal))
        return;
    if (sp->act.last)
        pane_add(w, p, 1, 0, sp->act.last_failed ? SLOT_STATE_PROBLEM : SLOT_STATE_APPLIED,
                 sp->act.last);
    else if (sp->view == SEED_VIEW_RUNS)
        pane_add(w, p, 1, 0, SLOT_DIM, "The ledger's runs (L: back to the tables)");
}

static void seed_draw(Pane *self, WINDOW *w)
{
    SeedPane *sp = (SeedPane *)self;
    int height = actrun_draw_progress(&sp->act, w);
    if (height < getmaxy(w) && sp->act.progress.step)   /* rows, rows/s, time left in full */
        pane_add(w, self, --height, 0, SLOT_NORMAL, sp->act.progress.step);
    if (task_running(&sp->load) && height == getmaxy(w))
        task_draw(&sp->load, w, --height, self->ctx->pal);
    seed_header_draw(sp, w);
    note_draw(sp, w);
    if (sp->failed)
        pane_draw_error(w, self, 2, height - 2, "Cannot read the seed ledger and the tables",
                        sp->err.message);
    else if (!sp->have_model)
        pane_add(w, self, 2, 0, SLOT_DIM, "Reading the seed ledger and the tables...");
    else if (sp->view == SEED_VIEW_RUNS)
        seed_runs_draw(sp, w, 2, height - 2);
    else
        seed_tables_draw(sp, w, 2, height - 2);
    actrun_draw_dialog(&sp->act, w);
    if (sp->choice)
        choice_draw(w, sp->choice, self->ctx->pal);
}

/* Esc: stop what runs (a seed, then a read), else back to the tables. */
static PaneResult back(SeedPane *sp)
{
    if (actrun_stop(&sp->act))
        return PANE_REDRAW;
    if (task_running(&sp->load)) {
        task_cancel(&sp->load);
        return PANE_REDRAW;
    }
    if (sp->view != SEED_VIEW_TABLES) {
        sp->view = SEED_VIEW_TABLES;
        return PANE_REDRAW;
    }
    return PANE_IGNORED;
}

static PaneResult run_key(SeedPane *sp, KeyAction act)
{
    switch (act) {
    case SEED_ACT_DEMO: seed_act_demo(sp); return PANE_REDRAW;
    case SEED_ACT_PICK: seed_act_pick(sp); return PANE_REDRAW;
    case SEED_ACT_RESET: seed_act_reset(sp); return PANE_REDRAW;
    case SEED_ACT_RUNS:
        sp->view = sp->view == SEED_VIEW_RUNS ? SEED_VIEW_TABLES : SEED_VIEW_RUNS;
        return PANE_REDRAW;
    case ACT_BACK: return back(sp);
    default: return PANE_IGNORED;
    }
}

static PaneResult seed_key(Pane *self, int key)
{
    SeedPane *sp = (SeedPane *)self;
    if (actrun_open(&sp->act))
        return actrun_key(&sp->act, key);
    if (sp->choice)
        return seed_choice_key(sp, key);
    if (sp->ask == SEED_ASK_SCALE)
        return seed_edit_key(sp, key);
    ListMode *lm = current_list(sp);
    /* Esc stops a running seed before it clears a filter */
    if (key == KEY_ESC && !lm_prompting(lm) && (sp->act.running || task_running(&sp->load)))
        return back(sp);
    if (sp->have_model && lm_key(lm, key) != LM_IGNORED)
        return PANE_REDRAW;
    return run_key(sp, keys_action(&keys_seed, key));
}

static PaneResult seed_click(Pane *self, int y, int x)
{
    (void)x;
    SeedPane *sp = (SeedPane *)self;
    if (actrun_open(&sp->act) || sp->choice)
        return PANE_HANDLED;
    return sp->have_model && lm_click(current_list(sp), y) ? PANE_REDRAW : PANE_IGNORED;
}

static PaneResult seed_job_event(Pane *self, const JobEvent *ev)
{
    SeedPane *sp = (SeedPane *)self;
    PaneResult r = actrun_event(&sp->act, ev);
    if (actrun_take_finished(&sp->act))
        seed_load_start(sp);   /* the counts as the database has them now */
    return r;
}

static PaneResult seed_poll(Pane *self, bool *busy)
{
    SeedPane *sp = (SeedPane *)self;
    PaneResult r = PANE_IGNORED;
    if (task_poll(&sp->load)) {
        seed_load_done(sp);
        r = PANE_REDRAW;
    }
    *busy = task_running(&sp->load);
    return task_moved(&sp->load) ? PANE_REDRAW : r;   /* the progress line's seconds */
}

static size_t seed_view_keys(Pane *self, const KeyTable **out, size_t max)
{
    SeedPane *sp = (SeedPane *)self;
    const KeyTable *t[2] = { NULL, NULL };
    if (actrun_open(&sp->act))
        t[0] = &keys_dialog;
    else if (sp->choice)
        t[0] = &keys_choice;
    else if (sp->ask == SEED_ASK_SCALE || lm_prompting(current_list(sp)))
        t[0] = &keys_lineedit;
    else {
        t[0] = &keys_seed;
        t[1] = &keys_listmode;
    }
    size_t n = 0;
    for (size_t i = 0; i < 2 && t[i] && n < max; i++)
        out[n++] = t[i];
    return n;
}

static void seed_destroy(Pane *self)
{
    SeedPane *sp = (SeedPane *)self;
    seed_ask_clear(sp);
    actrun_free(&sp->act);
    seed_lists_free(sp);
    free(sp);
}

const PaneClass pane_seed_class = {
    .title = "Seed",
    .keys = &keys_list,
    .more_keys = more_keys,
    .action_keys = action_keys,
    .create = seed_create,
    .reload = seed_reload,
    .draw = seed_draw,
    .on_key = seed_key,
    .on_click = seed_click,
    .on_job_event = seed_job_event,
    .poll = seed_poll,
    .view_keys = seed_view_keys,
    .destroy = seed_destroy,
};
