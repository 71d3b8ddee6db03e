/* pane_licenses.c: the Licenses pane's class: reading the model in a task
 * of its own, the three views (overview, an anomaly's rows, a user), the
 * line that asks (a user, a license, a reason), its keys and its drawing
 * (see pane_licenses_internal.h for the files). */
#include "pane_licenses_internal.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const KeyBinding open_items[] = {
    { { '\r', '\n', KEY_ENTER }, "Enter", ACT_OPEN, "the rows behind the selected anomaly",
      "rows" },
};

static const KeyBinding lic_items[] = {
    { { 'u' }, "u", LIC_ACT_USER,
      "find a user (id, email, username, or a pattern): why they cannot run jobs, then "
      "their story", "user" },
    { { 't' }, "t", LIC_ACT_SET,
      "move a license to another state (the selected row's, one of the user's, or by id); "
      "asks why, then confirms", "transition" },
    { { KEY_ESC }, "Esc", ACT_BACK, "back to the overview; stop a reading that runs", "back" },
};

static const KeyTable keys_licenses = { "Licenses: states, anomalies, a user's why",
                                        lic_items, COUNT(lic_items) };
static const KeyTable keys_lic_open = { "Licenses: the anomalies", open_items,
                                        COUNT(open_items) };
static const KeyTable *const more_keys[] = { &keys_lic_open, &keys_listmode, &keys_list, &keys_textview,
                                             &keys_lineedit, NULL };
static const PaneActionKey action_keys[] = {
    { "license-set", LIC_ACT_SET },
    { NULL, 0 },
};

/* ---- reading the model ------------------------------------------------------ */

typedef struct LoadArg {
    const Session *session;
    BillModel      model;
    bool           have;
} LoadArg;

static void load_free(void *p)
{
    LoadArg *a = p;
    if (a->have)
        billing_model_free(&a->model);
    free(a);
}

static int load_run(Job *job, DbConn *c, void *arg, char **summary, DbError *err)
{
    LoadArg *a = arg;
    job_progress(job, 0, 1, "counts and anomalies");
    if (billing_load(a->session, c, &a->model, err) != 0)
        return -1;
    a->have = true;
    *summary = xasprintf("%zu anomalies found", billing_anomalies_found(&a->model));
    return 0;
}

void lic_reload(LicPane *lp)
{
    LoadArg *a = xcalloc(1, sizeof *a);
    a->session = lp->base.ctx->session;
    DbError err = DB_ERROR_INIT;
    if (!task_start(&lp->load, lp->base.ctx->session, "reading licenses and subscriptions",
                    load_run, a, load_free, &err)) {
        db_error_clear(&lp->err);
        lp->err = err;
    }
}

/* The rows view shows the anomaly it showed, read again; or the
 * overview when it has no rows any more. */
static void rows_again(LicPane *lp)
{
    if (lp->view != LIC_VIEW_ROWS)
        return;
    if (lp->rows_of >= lp->model.nanomalies || lp->model.anomalies[lp->rows_of].count == 0) {
        gridlist_free(&lp->rows);
        lp->view = LIC_VIEW_OVERVIEW;
        return;
    }
    lm_select(&lp->anomalies, lp->rows_of);
    lic_rows_open(lp);
}

static void load_done(LicPane *lp)
{
    LoadArg *a = task_arg(&lp->load);
    if (lp->load.outcome != JOB_OK || !a || !a->have) {
        db_error_clear(&lp->err);
        if (lp->load.outcome == JOB_CANCELLED)
            db_error_set(&lp->err, DB_ERR_CANCELLED, "stopped (Esc): r reads again");
        else
            db_error_set(&lp->err, lp->load.err.kind ? lp->load.err.kind : DB_ERR_SQL, "%s",
                         lp->load.err.message ? lp->load.err.message : "cannot read");
        return;
    }
    db_error_clear(&lp->err);
    if (lp->have_model)
        billing_model_free(&lp->model);
    lp->model = a->model;
    memset(&a->model, 0, sizeof a->model);
    a->have = false;
    lp->have_model = true;
    lic_overview_rebuild(lp);
    rows_again(lp);
}

/* ---- the class -------------------------------------------------------------- */

static Pane *lic_create(const PaneClass *cls, const PaneContext *ctx)
{
    LicPane *lp = xcalloc(1, sizeof *lp);
    lp->base.cls = cls;
    lp->base.ctx = ctx;
    lp->err = (DbError)DB_ERROR_INIT;
    lic_overview_init(lp);
    lic_user_init(lp);
    actrun_init(&lp->act, &lp->base);
    return &lp->base;
}

static void lic_reload_hook(Pane *self)
{
    lic_reload((LicPane *)self);
}

static PaneResult lic_poll(Pane *self, bool *busy)
{
    LicPane *lp = (LicPane *)self;
    PaneResult r = PANE_IGNORED;
    if (task_poll(&lp->load)) {
        load_done(lp);
        r = PANE_REDRAW;
    }
    if (task_poll(&lp->find)) {
        lic_user_done(lp);
        r = PANE_REDRAW;
    }
    *busy = task_running(&lp->load) || task_running(&lp->find);
    bool moved = task_moved(&lp->load);
    if (task_moved(&lp->find) || moved)
        r = PANE_REDRAW;   /* the progress line's seconds, its step */
    return r;
}

static PaneResult lic_job_event(Pane *self, const JobEvent *ev)
{
    LicPane *lp = (LicPane *)self;
    PaneResult r = actrun_event(&lp->act, ev);
    if (actrun_take_finished(&lp->act)) {
        pane_say(self, lp->act.last_failed, "%s", lp->act.last);
        lic_reload(lp);   /* what the database says now */
        if (lp->view == LIC_VIEW_USER && lp->who) {
            char *who = xstrdup(lp->who);
            lic_user_find(lp, who);
            free(who);
        }
    }
    return r;
}

/* ---- drawing ---------------------------------------------------------------- */

static void header_draw(LicPane *lp, WINDOW *w)
{
    int x = pane_draw_title(w, &lp->base);
    if (!lp->have_model)
        return;
    /* as `dbwarden licenses` says it: checks, not rows */
    char *t = xasprintf("  subscriptions %lld %s licenses %lld %s anomalies: %zu of %zu checks "
                        "found some", lp->model.subscriptions.total, text_glyph(GLYPH_DOT),
                        lp->model.licenses.total, text_glyph(GLYPH_DOT),
                        billing_anomalies_found(&lp->model), lp->model.nanomalies);
    pane_add(w, &lp->base, 0, x, billing_anomalies_found(&lp->model) ? SLOT_STATE_PROBLEM
                                                                      : SLOT_DIM, t);
    free(t);
}

/* Line 1: what is asked, else the last transition's outcome. */
static void line_draw(LicPane *lp, WINDOW *w)
{
    if (lp->ask == LIC_ASK_USER || lp->ask == LIC_ASK_LICENSE || lp->ask == LIC_ASK_REASON) {
        lineedit_draw(w, 1, 0, getmaxx(w), lic_ask_prompt(lp), &lp->edit, lp->base.ctx->pal);
        return;
    }
    if (lp->act.last)
        pane_add(w, &lp->base, 1, 0, lp->act.last_failed ? SLOT_STATE_PROBLEM : SLOT_DIM,
                 lp->act.last);
}

static void lic_draw(Pane *self, WINDOW *w)
{
    LicPane *lp = (LicPane *)self;
    const Palette *pal = self->ctx->pal;
    header_draw(lp, w);
    line_draw(lp, w);
    int h = actrun_draw_progress(&lp->act, w);
    if (task_running(&lp->load)) {
        task_draw(&lp->load, w, h - 1, pal);
        h--;
    }
    int top = 2, height = h - top;
    if (height < 1)
        height = 1;
    if (lp->view == LIC_VIEW_USER) {
        lic_user_draw(lp, w, top, height);
    } else if (!lp->have_model) {
        if (lp->err.message)
            pane_draw_error(w, self, top, height, "Licenses", lp->err.message);
        else
            pane_add(w, self, top, 0, SLOT_DIM, "Reading...");
    } else {
        if (lp->err.message)   /* the last reading failed: said, over the older one */
            top += pane_draw_error(w, self, top, 2, "Reading again", lp->err.message);
        if (lp->view == LIC_VIEW_ROWS)
            lic_rows_draw(lp, w, top, h - top);
        else
            lic_overview_draw(lp, w, top, h - top);
    }
    if (lp->states)
        choice_draw(w, lp->states, pal);
    actrun_draw_dialog(&lp->act, w);
}

/* ---- keys ------------------------------------------------------------------- */

static PaneResult ask_key(LicPane *lp, int key)
{
    switch (lineedit_key(&lp->edit, key)) {
    case LINE_ACCEPT: lic_ask_accept(lp); break;
    case LINE_CANCEL:
        pane_say(&lp->base, false, "Cancelled: nothing was done.");
        lic_set_clear(lp);
        break;
    default: break;
    }
    return PANE_REDRAW;
}

static PaneResult back(LicPane *lp)
{
    if (task_running(&lp->find)) {
        task_cancel(&lp->find);
        return PANE_REDRAW;
    }
    if (task_running(&lp->load)) {
        task_cancel(&lp->load);
        return PANE_REDRAW;
    }
    if (actrun_stop(&lp->act))
        return PANE_REDRAW;
    if (lp->view == LIC_VIEW_OVERVIEW)
        return PANE_IGNORED;
    lp->view = LIC_VIEW_OVERVIEW;
    return PANE_REDRAW;
}

static PaneResult run_key(LicPane *lp, KeyAction a)
{
    switch (a) {
    case ACT_OPEN:
        if (lp->view != LIC_VIEW_OVERVIEW)
            return PANE_IGNORED;
        lic_rows_open(lp);
        return PANE_REDRAW;
    case LIC_ACT_USER:
        lic_set_clear(lp);
        lp->ask = LIC_ASK_USER;
        lineedit_clear(&lp->edit);
        return PANE_REDRAW;
    case LIC_ACT_SET:
        lic_set_begin(lp);
        return PANE_REDRAW;
    case ACT_BACK:
        return back(lp);
    default:
        return PANE_IGNORED;
    }
}

/* The view in front's own keys: its list or its text. */
static PaneResult view_key(LicPane *lp, int key)
{
    if (lp->view == LIC_VIEW_USER)
        return tv_key(&lp->usertext, key) ? PANE_REDRAW : PANE_IGNORED;
    if (!lp->have_model)
        return PANE_IGNORED;
    ListMode *lm = lp->view == LIC_VIEW_ROWS ? &lp->rows.lm : &lp->anomalies;
    return lm_key(lm, key) != LM_IGNORED ? PANE_REDRAW : PANE_IGNORED;
}

static PaneResult lic_key(Pane *self, int key)
{
    LicPane *lp = (LicPane *)self;
    if (actrun_open(&lp->act))
        return actrun_key(&lp->act, key) == PANE_IGNORED ? PANE_HANDLED : PANE_REDRAW;
    if (lp->candidates)
        return lic_candidates_key(lp, key) == PANE_IGNORED ? PANE_HANDLED : PANE_REDRAW;
    if (lp->states)
        return lic_states_key(lp, key) == PANE_IGNORED ? PANE_HANDLED : PANE_REDRAW;
    if (lp->ask != LIC_ASK_NONE)
        return ask_key(lp, key);
    PaneResult r = view_key(lp, key);
    if (r != PANE_IGNORED)
        return r;
    KeyAction a = keys_action(&keys_licenses, key);
    return run_key(lp, a != ACT_NONE ? a : keys_action(&keys_lic_open, key));
}

static size_t lic_view_keys(Pane *self, const KeyTable **out, size_t max)
{
    LicPane *lp = (LicPane *)self;
    const KeyTable *t[3] = { NULL, NULL, NULL };
    bool prompting = lp->ask == LIC_ASK_USER || lp->ask == LIC_ASK_LICENSE ||
                     lp->ask == LIC_ASK_REASON ||
                     (lp->view == LIC_VIEW_USER && tv_prompting(&lp->usertext)) ||
                     (lp->view == LIC_VIEW_ROWS && lm_prompting(&lp->rows.lm)) ||
                     (lp->view == LIC_VIEW_OVERVIEW && lm_prompting(&lp->anomalies));
    if (actrun_open(&lp->act) || lp->states || lp->candidates)
        return 0;
    if (prompting) {
        t[0] = &keys_lineedit;
    } else {
        size_t k = 0;
        if (lp->view == LIC_VIEW_OVERVIEW)
            t[k++] = &keys_lic_open;
        t[k++] = &keys_licenses;
        t[k] = lp->view == LIC_VIEW_USER ? &keys_textview : &keys_listmode;
    }
    size_t n = 0;
    for (size_t i = 0; i < 3 && t[i] && n < max; i++)
        out[n++] = t[i];
    return n;
}

static void lic_destroy(Pane *self)
{
    LicPane *lp = (LicPane *)self;
    task_free(&lp->load);
    lic_user_free(lp);
    lic_set_clear(lp);
    actrun_free(&lp->act);
    gridlist_free(&lp->rows);
    lm_free(&lp->anomalies);
    if (lp->have_model)
        billing_model_free(&lp->model);
    db_error_clear(&lp->err);
    free(lp);
}

const PaneClass pane_licenses_class = {
    .title = "Licenses",
    .keys = &keys_licenses,
    .more_keys = more_keys,
    .action_keys = action_keys,
    .create = lic_create,
    .reload = lic_reload_hook,
    .draw = lic_draw,
    .on_key = lic_key,
    .on_job_event = lic_job_event,
    .poll = lic_poll,
    .view_keys = lic_view_keys,
    .destroy = lic_destroy,
};
