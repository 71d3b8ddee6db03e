/* pane_migrations_actions.c: up, up-to, down, down-to, stamp and restore in
 * the Migrations pane: planned on the console's connection, shown in a
 * confirmation dialog with exactly what will run, then run as a job on
 * the job's own connection, with a backup first for the destructive ones
 * (see pane_migrations_internal.h and core/job.h). */
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
    migrate_plan_free(&a->plan);
    alembic_plan_free(&a->aplan);
    free(a->file);
    free(a->what);
    memset(a, 0, sizeof *a);
    mp->have_action = false;
    dialog_free(mp->dialog);
    mp->dialog = NULL;
    choice_free(mp->choice);
    mp->choice = NULL;
    strv_free(mp->choice_ids);
    mp->choice_ids = NULL;
}

static bool is_production(const PaneContext *ctx)
{
    return ctx->environment && (strcmp(ctx->environment, "production") == 0 ||
                                strcmp(ctx->environment, "prod") == 0);
}

/* Whether an action may start now; says why not. */
static bool may_act(MigPane *mp, const char *word)
{
    const PaneContext *ctx = mp->base.ctx;
    if (ctx->read_only) {
        pane_say(&mp->base, true, "Read-only (--read-only): %s would change the database; nothing "
                "was done.", word);
        return false;
    }
    if (ctx->jobs->job) {
        pane_say(&mp->base, true, "%s is running: wait for it, or stop it with Esc or Ctrl-C.",
                job_title(ctx->jobs->job));
        return false;
    }
    return true;
}

static bool needs_selection(MigActionKind k)
{
    return k == MA_UP_TO || k == MA_DOWN_TO || k == MA_STAMP;
}

/* dbwarden: the plan and its exact SQL. */
static int plan_dbwarden(MigPane *mp, MigAction *a, const char *sel, DbError *err)
{
    const PaneContext *ctx = mp->base.ctx;
    DbConn *c = ctx->conn;
    const MigDir *dir = ctx->migrations;
    if (!dir) {
        db_error_set(err, DB_ERR_USAGE, "no migrations folder: start the console with "
                     "--migrations DIR (or set dir in [migrations] of dbwarden.ini)");
        return -1;
    }
    int rc;
    switch (a->kind) {
    case MA_UP: rc = migrate_plan_up(c, dir, NULL, &a->plan, err); break;
    case MA_UP_TO: rc = migrate_plan_up(c, dir, sel, &a->plan, err); break;
    case MA_DOWN: rc = migrate_plan_down(c, dir, NULL, &a->plan, err); break;
    case MA_DOWN_TO: rc = migrate_plan_down(c, dir, sel, &a->plan, err); break;
    default: rc = migrate_plan_stamp(c, dir, sel, &a->plan, err); break;
    }
    if (rc != 0)
        return -1;
    if (a->plan.count > 0)
        a->what = migrate_plan_sql(c, &a->plan);
    return 0;
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

/* Alembic: the plan, made on alembic_version as it is now, and the text
 * the dialog shows.  Returns 1 when down must first ask which head (the
 * choice is open), 0 when planned, -1 on error. */
static int plan_alembic(MigPane *mp, MigAction *a, const char *sel, const char *head,
                        DbError *err)
{
    const PaneContext *ctx = mp->base.ctx;
    if (!mp->proj_ok) {
        db_error_set(err, DB_ERR_USAGE, "the Alembic project could not be read (see above)");
        return -1;
    }
    if (alembic_url_check(&mp->proj.config, ctx->db_url, ctx->alembic_url_from_env,
                          ctx->alembic_url_env, err) != 0)
        return -1;
    AlembicStatus st;
    if (alembic_status(ctx->conn, &mp->proj.graph, &st, err) != 0)
        return -1;
    if (a->kind == MA_DOWN && !head && st.ncurrent > 1) {
        open_choice(mp, &st);
        alembic_status_free(&st);
        return 1;
    }
    AlembicVerb verb = a->kind == MA_UP || a->kind == MA_UP_TO ? ALEMBIC_UPGRADE
                       : a->kind == MA_STAMP ? ALEMBIC_STAMP : ALEMBIC_DOWNGRADE;
    char *target = a->kind == MA_DOWN_TO ? xasprintf("to:%s", sel)
                   : needs_selection(a->kind) ? xstrdup(sel) : head ? xstrdup(head) : NULL;
    int rc = alembic_plan_make(&a->aplan, &mp->proj.graph, &st, verb, target, err);
    free(target);
    alembic_status_free(&st);
    if (rc != 0)
        return -1;
    StrBuf b = STRBUF_INIT;
    char *line = alembic_command_text(ctx->alembic_command, ctx->alembic_ini,
                                      (const char *const *)a->aplan.args);
    sb_append(&b, line);
    free(line);
    for (size_t i = 0; verb != ALEMBIC_STAMP && i < a->aplan.nchanged; i++)
        sb_appendf(&b, "\n%s %s", verb == ALEMBIC_UPGRADE ? "applies" : "rolls back",
                   a->aplan.changed[i]);
    a->what = sb_take(&b);
    return 0;
}

/* An Alembic project whose problems will make alembic itself fail: said
 * in the dialog before anything runs.  NULL when there are none. */
static char *alembic_warning(const MigPane *mp)
{
    if (!mp->alembic || !mp->proj_ok)
        return NULL;
    size_t n = 0;
    const AlembicProblem *first = NULL;
    const AlembicGraph *g = &mp->proj.graph;
    for (size_t i = 0; i < g->nproblems; i++)
        if (alembic_problem_fatal(g->problems[i].kind) && n++ == 0)
            first = &g->problems[i];
    for (size_t i = 0; mp->ast_ok && i < mp->ast.nproblems; i++)
        if (alembic_problem_fatal(mp->ast.problems[i].kind) && n++ == 0)
            first = &mp->ast.problems[i];
    if (!n)
        return NULL;
    return xasprintf("Warning: %zu problem%s of the project will likely make alembic fail "
                     "(p lists them): %s", n, n == 1 ? "" : "s", first->message);
}

static void open_dialog(MigPane *mp, const char *summary)
{
    const PaneContext *ctx = mp->base.ctx;
    MigAction *a = &mp->action;
    DialogBackup b = DIALOG_BACKUP_NONE;
    DbError err = DB_ERROR_INIT;
    if (a->destructive)
        b = ctx->no_backup ? DIALOG_BACKUP_OFF
            : backup_preflight(ctx->conn, NULL, &err) == 0 ? DIALOG_BACKUP_ON
                                                           : DIALOG_BACKUP_UNAVAILABLE;
    char *title = xasprintf("Run %s?", a->title);
    char *warning = a->kind == MA_RESTORE ? NULL : alembic_warning(mp);
    DialogSpec spec = {
        .title = title,
        .summary = summary,
        .warning = warning,
        .target = db_display_url(ctx->conn),
        .what = a->what,
        .production_name = is_production(ctx) ? db_name(ctx->conn) : NULL,
        .backup = b,
        .backup_folder = mig_backup_dir(mp),
        .backup_problem = err.message,
    };
    mp->dialog = dialog_new(&spec);
    free(title);
    free(warning);
    db_error_clear(&err);
}

static PaneResult start(MigPane *mp, MigActionKind kind, const char *head);

/* Plans the Alembic action a: its summary for the dialog, or NULL when
 * there is nothing to confirm (said why; the action cleared; the choice
 * of a branch, when that is what it needs, left open). */
static char *alembic_summary(MigPane *mp, MigAction *a, const char *sel, const char *head)
{
    DbError err = DB_ERROR_INIT;
    int rc = plan_alembic(mp, a, sel, head, &err);
    if (rc < 0) {
        pane_say(&mp->base, true, "%s: %s", a->title, err.message);
        mig_log_add(mp, LOG_FAIL, "%s: cannot plan it: %s", a->title, err.message);
        db_error_clear(&err);
    } else if (rc == 0 && a->aplan.nothing) {
        pane_say(&mp->base, false, "Nothing to do: %s.", a->aplan.summary);
    } else if (rc == 0) {
        return xasprintf("%s, with the project's alembic", a->aplan.summary);
    }
    Choice *choice = mp->choice;     /* rc 1: the choice stays open */
    char **ids = mp->choice_ids;
    mp->choice = NULL;
    mp->choice_ids = NULL;
    mig_action_clear(mp);
    mp->choice = choice;
    mp->choice_ids = ids;
    return NULL;
}

PaneResult mig_action_start(MigPane *mp, MigActionKind kind)
{
    return start(mp, kind, NULL);
}

/* head: the current Alembic revision down rolls back, once chosen. */
static PaneResult start(MigPane *mp, MigActionKind kind, const char *head)
{
    const char *word = action_words[kind];
    if (!may_act(mp, word))
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
    MigAction *a = &mp->action;
    a->kind = kind;
    a->destructive = kind == MA_DOWN || kind == MA_DOWN_TO || kind == MA_STAMP ||
                     kind == MA_RESTORE;
    a->title = sel ? xasprintf("%s %s", word, sel) : head ? xasprintf("%s %s", word, head)
                                                          : xstrdup(word);
    char *summary = NULL;
    if (kind == MA_RESTORE) {
        a->file = xstrdup(bk->path);
        a->what = backup_restore_describe(mp->base.ctx->conn, bk->path);
        summary = xasprintf("replace the contents of the database with the backup %s",
                            bk->name);
    } else if (mp->alembic) {
        if (!(summary = alembic_summary(mp, a, sel, head)))
            return PANE_REDRAW;
    } else {
        DbError err = DB_ERROR_INIT;
        int rc = pane_reconnect(&mp->base, false) ? plan_dbwarden(mp, a, sel, &err) : -1;
        if (rc != 0 && err.kind == DB_ERR_CONNECT && pane_reconnect(&mp->base, true)) {
            /* the session was found lost by the plan's first statement */
            db_error_clear(&err);
            migrate_plan_free(&a->plan);
            rc = plan_dbwarden(mp, a, sel, &err);
        }
        if (rc != 0 && !err.message) {
            mig_action_clear(mp);   /* pane_reconnect said why */
            return PANE_REDRAW;
        }
        if (rc != 0) {
            pane_say(&mp->base, true, "%s: %s", a->title, err.message);
            mig_log_add(mp, LOG_FAIL, "%s: cannot plan it: %s", a->title, err.message);
            db_error_clear(&err);
            mig_action_clear(mp);
            return PANE_REDRAW;
        }
        if (a->plan.count == 0) {
            pane_say(&mp->base, false, "Nothing to do: %s.", a->plan.summary);
            mig_action_clear(mp);
            return PANE_REDRAW;
        }
        summary = xstrdup(a->plan.summary);
    }
    mp->have_action = true;
    open_dialog(mp, summary);
    free(summary);
    return PANE_REDRAW;
}

/* The Alembic job: the plan (taken over), dbwarden's URL handed to the
 * project's alembic in alembic_url_env. */
static int start_alembic_job(MigPane *mp, Job **job, const JobBackup *b, DbError *err)
{
    const PaneContext *ctx = mp->base.ctx;
    MigAction *a = &mp->action;
    char *url = NULL;
    if (alembic_url_for_child(ctx->db_url, &url, err) != 0)
        return -1;
    char *var = xasprintf("%s=%s", ctx->alembic_url_env && *ctx->alembic_url_env
                                       ? ctx->alembic_url_env : "DATABASE_URL", url);
    const char *env[] = { var, NULL };
    AlembicRunOptions o = { ctx->alembic_command, ctx->alembic_ini, NULL, env, 0, NULL };
    int rc = job_start_alembic(job, ctx->db_url, a->title, &o, &a->aplan, b, err);
    free(var);
    free(url);
    return rc;
}

/* Starts the confirmed action as a job; false (with a message) when it
 * cannot start. */
static bool run_action(MigPane *mp, bool backup)
{
    const PaneContext *ctx = mp->base.ctx;
    MigAction *a = &mp->action;
    JobBackup b = { backup, mig_backup_dir(mp) };
    DbError err = DB_ERROR_INIT;
    Job *job = NULL;
    int rc;
    if (a->kind == MA_RESTORE) {
        rc = job_start_restore(&job, ctx->db_url, a->file, &b, &err);
    } else if (mp->alembic) {
        rc = start_alembic_job(mp, &job, &b, &err);
    } else {
        char *summary = xstrdup(a->plan.summary);
        rc = job_start_plan(&job, ctx->db_url, ctx->statement_timeout_ms, a->title, &a->plan,
                            &b, &err);
        mig_log_add(mp, LOG_INFO, "%s: %s", a->title, summary);
        free(summary);
    }
    if (rc != 0) {
        pane_say(&mp->base, true, "%s: %s", a->title, err.message);
        mig_log_add(mp, LOG_FAIL, "%s: %s", a->title, err.message);
        db_error_clear(&err);
        return false;
    }
    if (a->kind == MA_RESTORE || mp->alembic)
        mig_log_add(mp, LOG_INFO, "%s: %s", a->title, a->what);
    if (a->destructive && !backup)
        mig_log_add(mp, LOG_INFO, "%s: no backup first (turned off for this run)", a->title);
    ctx->jobs->job = job;
    ctx->jobs->owner = &mp->base;
    mp->job_plan = a->kind != MA_RESTORE && !mp->alembic;
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
    if (ctx->jobs->job) {
        pane_say(&mp->base, true, "%s is running: wait for it, or stop it with Esc or Ctrl-C.",
                job_title(ctx->jobs->job));
        return PANE_REDRAW;
    }
    Job *job = NULL;
    DbError err = DB_ERROR_INIT;
    if (job_start_backup(&job, ctx->db_url, mig_backup_dir(mp), &err) != 0) {
        pane_say(&mp->base, true, "backup: %s", err.message);
        db_error_clear(&err);
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
