/* actrun.c: see actrun.h. */
#include "actrun.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void actrun_init(ActRun *r, const Pane *pane)
{
    memset(r, 0, sizeof *r);
    r->pane = pane;
}

static void clear_plan(ActRun *r)
{
    if (r->planned)
        action_plan_free(&r->plan);
    r->planned = false;
    dialog_free(r->dialog);
    r->dialog = NULL;
}

void actrun_free(ActRun *r)
{
    clear_plan(r);
    progress_end(&r->progress);
    free(r->title);
    free(r->last);
    memset(r, 0, sizeof *r);
}

static const PaneContext *ctx_of(const ActRun *r)
{
    return r->pane->ctx;
}

bool actrun_may_start(const Pane *pane, const Action *row, const char *what)
{
    const PaneContext *ctx = pane->ctx;
    DbError err = DB_ERROR_INIT;
    if (action_allowed(ctx->session, row, &err) != 0) {
        pane_say(pane, true, "Read-only (--read-only): %s would change the database; "
                 "nothing was done.", what);
        db_error_clear(&err);
        return false;
    }
    if (ctx->jobs->job) {
        pane_say(pane, true, "%s is running: wait for it, or stop it with Esc or Ctrl-C.",
                 job_title(ctx->jobs->job));
        return false;
    }
    return true;
}

int actrun_plan(const Pane *pane, const Action *row, const char *arg, ActionPlan *out,
                DbError *err)
{
    const PaneContext *ctx = pane->ctx;
    int rc = pane_reconnect(pane, false)
             ? action_plan(ctx->session, ctx->conn, row, arg, false, out, err) : -1;
    if (rc != 0 && err->kind == DB_ERR_CONNECT && pane_reconnect(pane, true)) {
        db_error_clear(err);
        rc = action_plan(ctx->session, ctx->conn, row, arg, false, out, err);
    }
    return rc;
}

Dialog *actrun_dialog(const Pane *pane, const ActionPlan *p, const char *title,
                      const char *summary, const char *warning)
{
    const PaneContext *ctx = pane->ctx;
    DialogBackup b = DIALOG_BACKUP_NONE;
    DbError err = DB_ERROR_INIT;
    if (p->action->flags & ACTION_DESTRUCTIVE)
        b = ctx->session->no_backup ? DIALOG_BACKUP_OFF
            : action_preflight(ctx->session, ctx->conn, p, true, &err) == 0
                ? DIALOG_BACKUP_ON : DIALOG_BACKUP_UNAVAILABLE;
    const char *word = action_confirm_word(ctx->session, ctx->conn, p);
    DialogSpec spec = {
        .title = title,
        .summary = summary,
        .warning = warning,
        .target = db_display_url(ctx->conn),
        .what = p->what,
        .production_name = word && strcmp(word, "yes") != 0 ? word : NULL,
        .backup = b,
        .backup_folder = session_backup_dir(ctx->session),
        .backup_problem = err.message,
    };
    Dialog *d = dialog_new(&spec);
    db_error_clear(&err);
    return d;
}

bool actrun_start(ActRun *r, const Action *row, const char *arg, const char *title)
{
    if (!actrun_may_start(r->pane, row, title))
        return false;
    clear_plan(r);
    free(r->title);
    r->title = xstrdup(title);
    DbError err = DB_ERROR_INIT;
    if (actrun_plan(r->pane, row, arg, &r->plan, &err) != 0) {
        pane_say(r->pane, true, "%s: %s", title, err.message ? err.message : "cannot plan it");
        db_error_clear(&err);
        return false;
    }
    r->planned = true;
    if (r->plan.nothing) {
        pane_say(r->pane, false, "Nothing to do: %s.", r->plan.summary);
        clear_plan(r);
        return false;
    }
    char *t = xasprintf("Run %s?", r->title);
    char *warning = r->plan.warning ? xasprintf("Warning: %s", r->plan.warning) : NULL;
    r->dialog = actrun_dialog(r->pane, &r->plan, t, r->plan.summary, warning);
    free(t);
    free(warning);
    return true;
}

bool actrun_open(const ActRun *r)
{
    return r->dialog != NULL;
}

static void run(ActRun *r, bool backup)
{
    const PaneContext *ctx = ctx_of(r);
    DbError err = DB_ERROR_INIT;
    Job *job = NULL;
    if (job_start_action(&job, ctx->session, &r->plan, backup, r->title, &err) != 0) {
        pane_say(r->pane, true, "%s: %s", r->title, err.message);
        db_error_clear(&err);
        return;
    }
    ctx->jobs->job = job;
    ctx->jobs->owner = (Pane *)r->pane;
    r->running = true;
    progress_begin(&r->progress, r->title);
    free(r->last);
    r->last = NULL;
}

PaneResult actrun_key(ActRun *r, int key)
{
    DialogResult d = dialog_key(r->dialog, key);
    if (d == DIALOG_PASS)
        return PANE_IGNORED;
    if (d == DIALOG_NO) {
        pane_say(r->pane, false, "Cancelled: nothing was done.");
        clear_plan(r);
    } else if (d == DIALOG_YES) {
        bool backup = dialog_backup(r->dialog);
        dialog_free(r->dialog);
        r->dialog = NULL;
        run(r, backup);
        clear_plan(r);   /* the job took the plan */
    }
    return PANE_REDRAW;
}

PaneResult actrun_event(ActRun *r, const JobEvent *ev)
{
    progress_event(&r->progress, ev);
    if (ev->kind != JOB_FINISHED)
        return PANE_REDRAW;
    r->running = false;
    r->finished = true;
    progress_end(&r->progress);
    free(r->last);
    r->last_failed = ev->outcome != JOB_OK;
    r->last = xasprintf("Last: %s: %s: %s", r->title, job_outcome_name(ev->outcome), ev->text);
    return PANE_REDRAW;
}

bool actrun_take_finished(ActRun *r)
{
    bool f = r->finished;
    r->finished = false;
    return f;
}

bool actrun_stop(ActRun *r)
{
    const PaneContext *ctx = ctx_of(r);
    if (!r->running || !ctx->jobs->job || ctx->jobs->owner != r->pane)
        return false;
    job_cancel(ctx->jobs->job);
    progress_stopping(&r->progress);
    pane_say(r->pane, false, "Stopping %s...", r->title);
    return true;
}

int actrun_draw_progress(ActRun *r, WINDOW *w)
{
    int h = getmaxy(w);
    if (!r->progress.active)
        return h;
    progress_draw(w, h - 1, &r->progress, ctx_of(r)->pal);
    return h - 1;
}

void actrun_draw_dialog(ActRun *r, WINDOW *w)
{
    if (r->dialog)
        dialog_draw(w, r->dialog, ctx_of(r)->pal);
}
