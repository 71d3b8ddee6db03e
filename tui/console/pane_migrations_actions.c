/* pane_migrations_actions.c: up, up-to, down, down-to, stamp and restore in
 * the Migrations pane: planned on the console's connection, shown in a
 * confirmation dialog with exactly what will run, then run as a job on
 * the job's own connection, with a backup first for the destructive ones
 * (see pane_migrations_internal.h and core/job.h). */
#include "actrun.h"
#include "format.h"
#include "strv.h"
#include "pane_migrations_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const action_words[] = {
    [MA_UP] = "up", [MA_UP_TO] = "up to", [MA_DOWN] = "down", [MA_DOWN_TO] = "down to",
    [MA_STAMP] = "stamp", [MA_RESTORE] = "restore",
};

void mig_action_clear(MigPane *mp)
{
    MigAction *a = &mp->action;
    free(a->title);
    action_plan_free(&a->plan);
    memset(a, 0, sizeof *a);
    mp->have_action = false;
    dialog_free(mp->dialog);
    mp->dialog = NULL;
    choice_free(mp->choice);
    mp->choice = NULL;
    strv_free(mp->choice_ids);
    mp->choice_ids = NULL;
}

static const Action *row_of(MigActionKind k)
{
    switch (k) {
    case MA_UP: case MA_UP_TO: return &action_up;
    case MA_DOWN: case MA_DOWN_TO: return &action_down;
    case MA_STAMP: return &action_stamp;
    case MA_RESTORE: return &action_restore;
    }
    return NULL;
}

/* Whether an action may start now; says why not. */
static bool may_act(MigPane *mp, MigActionKind kind)
{
    return actrun_may_start(&mp->base, row_of(kind), action_words[kind]);
}

static bool needs_selection(MigActionKind k)
{
    return k == MA_UP_TO || k == MA_DOWN_TO || k == MA_STAMP;
}

/* Alembic, several current revisions: which one does down roll back? */
static void open_choice(MigPane *mp, const AlembicStatus *st)
{
    const AlembicGraph *g = &mp->proj.graph;
    char **items = xcalloc(st->ncurrent + 1, sizeof *items);
    mp->choice_ids = xcalloc(st->ncurrent + 1, sizeof *mp->choice_ids);
    for (size_t i = 0; i < st->ncurrent; i++) {
        long r = alembic_graph_find(g, st->current[i]);
        const char *msg = r >= 0 && g->revs[r].message ? g->revs[r].message : "";
        items[i] = xasprintf("%s  %s", st->current[i], msg);
        mp->choice_ids[i] = xstrdup(st->current[i]);
    }
    char *q = xasprintf("The database is at %zu revisions (branches). Roll back which one?",
                        st->ncurrent);
    mp->choice = choice_new("Down: which branch?", q, (const char *const *)items,
                            st->ncurrent);
    free(q);
    strv_free(items);
}

/* Alembic down with several current revisions and none chosen yet: opens
 * the choice.  true when it did. */
static bool choice_needed(MigPane *mp, MigActionKind kind, const char *head)
{
    if (!mp->alembic || kind != MA_DOWN || head || !mp->proj_ok)
        return false;
    const Session *s = mp->base.ctx->session;
    const MigrationSettings *ms = &s->cfg.migrations;
    AlembicStatus st;
    DbError err = DB_ERROR_INIT;
    if (alembic_url_check(&mp->proj.config, s->cfg.database.url, ms->alembic_url_from_env,
                          ms->alembic_url_env, &err) != 0) {
        db_error_clear(&err);
        return false;   /* the plan refuses it, saying why */
    }
    if (alembic_status(mp->base.ctx->conn, &mp->proj.graph, &st, &err) != 0) {
        db_error_clear(&err);
        return false;   /* the plan says what is wrong */
    }
    bool several = st.ncurrent > 1;
    if (several)
        open_choice(mp, &st);
    alembic_status_free(&st);
    return several;
}

/* What the row is given: the selection, the chosen head, the backup. */
static char *action_arg(MigPane *mp, MigActionKind kind, const char *sel, const char *head,
                        const BackupInfo *bk)
{
    if (kind == MA_RESTORE)
        return xstrdup(bk->path);
    if (kind == MA_DOWN_TO)
        return xasprintf("to:%s", sel);
    if (needs_selection(kind))
        return xstrdup(sel);
    (void)mp;
    return head ? xstrdup(head) : NULL;
}

/* The plan, on the console's connection.  -1 (said why) when there is
 * none. */
static int plan_action(MigPane *mp, MigAction *a, const char *arg)
{
    DbError err = DB_ERROR_INIT;
    int rc = actrun_plan(&mp->base, row_of(a->kind), arg, &a->plan, &err);
    if (rc != 0 && err.message) {
        pane_say(&mp->base, true, "%s: %s", a->title, err.message);
        mig_log_add(mp, LOG_FAIL, "%s: cannot plan it: %s", a->title, err.message);
    }
    db_error_clear(&err);
    return rc;
}

/* The confirmation: an Alembic action says it runs the project's alembic,
 * and its warning where the problems are listed. */
static void open_dialog(MigPane *mp)
{
    MigAction *a = &mp->action;
    const ActionPlan *p = &a->plan;
    char *title = xasprintf("Run %s?", a->title);
    char *summary = mp->alembic && a->kind != MA_RESTORE
                    ? xasprintf("%s, with the project's alembic", p->summary)
                    : xstrdup(p->summary);
    char *warning = p->warning ? xasprintf("Warning: %s (p lists them)", p->warning) : NULL;
    mp->dialog = actrun_dialog(&mp->base, p, title, summary, warning);
    free(title);
    free(summary);
    free(warning);
}

static PaneResult start(MigPane *mp, MigActionKind kind, const char *head);

PaneResult mig_action_start(MigPane *mp, MigActionKind kind)
{
    return start(mp, kind, NULL);
}

/* head: the current Alembic revision down rolls back, once chosen. */
static PaneResult start(MigPane *mp, MigActionKind kind, const char *head)
{
    const char *word = action_words[kind];
    if (!may_act(mp, kind))
        return PANE_REDRAW;
    const char *sel = NULL;
    const BackupInfo *bk = NULL;
    if (kind == MA_RESTORE) {
        bk = mig_backup_selected(mp);
        if (!bk) {
            pane_say(&mp->base, false, "No backup selected: c takes one.");
            return PANE_REDRAW;
        }
    } else if (needs_selection(kind) && !(sel = mig_selected_id(mp))) {
        pane_say(&mp->base, false, "Select a %s first.", mp->alembic ? "revision" : "migration");
        return PANE_REDRAW;
    }
    mig_action_clear(mp);
    if (choice_needed(mp, kind, head))
        return PANE_REDRAW;
    MigAction *a = &mp->action;
    a->kind = kind;
    a->title = sel ? xasprintf("%s %s", word, sel) : head ? xasprintf("%s %s", word, head)
                                                          : xstrdup(word);
    char *arg = action_arg(mp, kind, sel, head, bk);
    int rc = plan_action(mp, a, arg);
    free(arg);
    if (rc != 0) {
        mig_action_clear(mp);
        return PANE_REDRAW;
    }
    if (a->plan.nothing) {
        pane_say(&mp->base, false, "Nothing to do: %s.", a->plan.summary);
        mig_action_clear(mp);
        return PANE_REDRAW;
    }
    mp->have_action = true;
    open_dialog(mp);
    return PANE_REDRAW;
}

/* Starts the confirmed action as a job; false (with a message) when it
 * cannot start. */
static bool run_action(MigPane *mp, bool backup)
{
    const PaneContext *ctx = mp->base.ctx;
    MigAction *a = &mp->action;
    bool destructive = a->plan.action->flags & ACTION_DESTRUCTIVE;
    bool steps = !mp->alembic && a->kind != MA_RESTORE;
    mig_log_add(mp, LOG_INFO, "%s: %s", a->title,
                steps || !a->plan.what ? a->plan.summary : a->plan.what);
    DbError err = DB_ERROR_INIT;
    Job *job = NULL;
    if (job_start_action(&job, ctx->session, &a->plan, backup, a->title, &err) != 0) {
        pane_say(&mp->base, true, "%s: %s", a->title, err.message);
        mig_log_add(mp, LOG_FAIL, "%s: %s", a->title, err.message);
        db_error_clear(&err);
        return false;
    }
    if (destructive && !backup)
        mig_log_add(mp, LOG_INFO, "%s: no backup first (turned off for this run)", a->title);
    ctx->jobs->job = job;
    ctx->jobs->owner = &mp->base;
    mp->job_plan = steps;
    progress_begin(&mp->progress, a->title);
    free(mp->last_result);
    mp->last_result = NULL;
    free(mp->job_backup);
    mp->job_backup = NULL;
    return true;
}

PaneResult mig_dialog_key(MigPane *mp, int key)
{
    DialogResult r = dialog_key(mp->dialog, key);
    if (r == DIALOG_PASS)
        return PANE_IGNORED;
    if (r == DIALOG_NO) {
        mig_log_add(mp, LOG_INFO, "%s: cancelled at the confirmation; nothing was done",
                    mp->action.title);
        pane_say(&mp->base, false, "Cancelled: nothing was done.");
        mig_action_clear(mp);
    } else if (r == DIALOG_YES) {
        bool backup = dialog_backup(mp->dialog);
        dialog_free(mp->dialog);
        mp->dialog = NULL;
        run_action(mp, backup);
        mig_action_clear(mp);
    }
    return PANE_REDRAW;
}

PaneResult mig_choice_key(MigPane *mp, int key)
{
    ChoiceResult r = choice_key(mp->choice, key);
    if (r == CHOICE_PASS)
        return PANE_IGNORED;
    if (r == CHOICE_CANCELLED) {
        mig_log_add(mp, LOG_INFO, "down: cancelled at the choice of a branch; nothing was done");
        pane_say(&mp->base, false, "Cancelled: nothing was done.");
        mig_action_clear(mp);
    } else if (r == CHOICE_PICKED) {
        char *head = xstrdup(mp->choice_ids[choice_selected(mp->choice)]);
        mig_action_clear(mp);
        start(mp, MA_DOWN, head);
        free(head);
    }
    return PANE_REDRAW;
}

PaneResult mig_backup_now(MigPane *mp)
{
    const PaneContext *ctx = mp->base.ctx;
    if (!actrun_may_start(&mp->base, &action_backup, "backup"))
        return PANE_REDRAW;
    ActionPlan p;
    Job *job = NULL;
    DbError err = DB_ERROR_INIT;
    if (action_plan(ctx->session, ctx->conn, &action_backup, NULL, false, &p, &err) != 0 ||
        job_start_action(&job, ctx->session, &p, false, "backup", &err) != 0) {
        pane_say(&mp->base, true, "backup: %s", err.message);
        db_error_clear(&err);
        action_plan_free(&p);
        return PANE_REDRAW;
    }
    mig_log_add(mp, LOG_INFO, "backup: into %s/", mig_backup_dir(mp));
    ctx->jobs->job = job;
    ctx->jobs->owner = &mp->base;
    mp->job_plan = false;
    progress_begin(&mp->progress, "backup");
    return PANE_REDRAW;
}

/* ---- the job's events ----------------------------------------------- */

static void finished(MigPane *mp, const JobEvent *ev)
{
    const char *title = mp->progress.title ? mp->progress.title : "job";
    double s = (double)ev->elapsed_ms / 1000.0;
    char *backup = mp->job_backup ? xasprintf(" (backup: %s)", mp->job_backup) : xstrdup("");
    free(mp->last_result);
    switch (ev->outcome) {
    case JOB_OK:
        mig_log_add(mp, LOG_OK, "%s: ok in %.1f s: %s", title, s, ev->text);
        mp->last_result = xasprintf("Last: %s: ok: %s%s", title, ev->text, backup);
        break;
    case JOB_FAILED:
        mig_log_add(mp, LOG_FAIL, "%s: failed after %.1f s: %s", title, s, ev->text);
        mp->last_result = xasprintf("Last: %s failed: %s%s", title, ev->text, backup);
        break;
    case JOB_CANCELLED:
        mig_log_add(mp, LOG_FAIL, "%s: cancelled after %.1f s: %s", title, s, ev->text);
        mp->last_result = xasprintf("Last: %s cancelled: %s%s", title, ev->text, backup);
        break;
    }
    mp->last_failed = ev->outcome != JOB_OK;
    free(backup);
    free(mp->job_backup);
    mp->job_backup = NULL;
    progress_event(&mp->progress, ev);
    mig_load(mp);
    if (mp->view == VIEW_BACKUPS)
        mig_backups_open(mp);
}

PaneResult mig_job_event(Pane *self, const JobEvent *ev)
{
    MigPane *mp = (MigPane *)self;
    switch (ev->kind) {
    case JOB_LOG:
        mig_log_add(mp, mp->alembic && !mp->progress.total ? LOG_OUTPUT : LOG_INFO, "  %s",
                    ev->text);
        if (mp->job_plan)
            mig_load(mp);   /* a step is done: show it */
        break;
    case JOB_BACKUP: {
        char size[32];
        fmt_bytes(ev->bytes, size, sizeof size);
        mig_log_add(mp, LOG_BACKUP, "  backup written: %s (%s)", ev->text, size);
        free(mp->job_backup);
        mp->job_backup = xstrdup(ev->text);
        if (mp->view == VIEW_BACKUPS)
            mig_backups_open(mp);
        break;
    }
    case JOB_FINISHED:
        finished(mp, ev);
        return PANE_REDRAW;
    default:
        break;
    }
    progress_event(&mp->progress, ev);
    return PANE_REDRAW;
}
