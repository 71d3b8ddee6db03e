/* pane_migrations.c: the Migrations pane: dbwarden's migrations (or an
 * Alembic project's history) newest first with their state; the selected
 * migration's SQL; up, up-to, down, down-to, stamp and restore run as
 * jobs after a confirmation; the session's log; this database's backups.
 * See pane_migrations_internal.h for how the files divide the work. */
#include "pane_migrations_internal.h"
#include "table.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const KeyBinding mig_items[] = {
    { { '\r', '\n', KEY_ENTER }, "Enter", ACT_OPEN, "the selected migration's SQL (up, down)",
      "SQL" },
    { { 'u' }, "u", MIG_ACT_UP, "up: apply every pending migration", "up" },
    { { 'U' }, "U", MIG_ACT_UP_TO, "up to the selected migration", NULL },
    { { 'd' }, "d", MIG_ACT_DOWN, "down: roll back the newest (backup first)", "down" },
    { { 'D' }, "D", MIG_ACT_DOWN_TO, "down to the selected one: roll back all newer", NULL },
    { { 's' }, "s", MIG_ACT_STAMP, "stamp: record the database as at the selected one", "stamp" },
    { { 'L' }, "L", MIG_ACT_LOG, "the log of this session (again: back)", "log" },
    { { 'p' }, "p", MIG_ACT_PROBLEMS, "every problem, in full, with its files", "problems" },
    { { 'B' }, "B", MIG_ACT_BACKUPS, "this database's backups (again: back)", "backups" },
    { { KEY_ESC }, "Esc", ACT_BACK, "back to the list; stop the running job; clear the filter",
      NULL },
};

static const KeyBinding backup_items[] = {
    { { '\r', '\n', KEY_ENTER }, "Enter", MIG_ACT_RESTORE,
      "restore the selected backup (asks first; backup of now first)", "restore" },
    { { 'c' }, "c", MIG_ACT_BACKUP_NOW, "take a backup now", "backup now" },
};

static const KeyBinding view_back_items[] = {
    { { KEY_ESC }, "Esc", ACT_BACK, "back to the list", "back" },
};
static const KeyTable keys_view_back = { "Migrations: a view", view_back_items,
                                         COUNT(view_back_items) };

static const KeyTable keys_migrations = { "Migrations: actions and views", mig_items,
                                          COUNT(mig_items) };
static const KeyTable keys_backups = { "Migrations: the backups view (B)", backup_items,
                                       COUNT(backup_items) };
static const KeyTable *const more_keys[] = { &keys_migrations, &keys_listmode, &keys_textview,
                                             &keys_backups, &keys_dialog, &keys_choice,
                                             &keys_lineedit, NULL };

static const PaneActionKey action_keys[] = {
    { "up", MIG_ACT_UP }, { "up", MIG_ACT_UP_TO }, { "down", MIG_ACT_DOWN },
    { "down", MIG_ACT_DOWN_TO }, { "stamp", MIG_ACT_STAMP }, { "restore", MIG_ACT_RESTORE },
    { "backup", MIG_ACT_BACKUP_NOW }, { NULL, ACT_NONE },
};

bool mig_job_running(const MigPane *mp)
{
    return mp->base.ctx->jobs && mp->base.ctx->jobs->job;
}

static Pane *mig_create(const PaneClass *cls, const PaneContext *ctx)
{
    MigPane *mp = xcalloc(1, sizeof *mp);
    mp->base.cls = cls;
    mp->base.ctx = ctx;
    mp->alembic = ctx->session->cfg.migrations.alembic_ini != NULL;
    mp->err = (DbError)DB_ERROR_INIT;
    mp->backups_err = (DbError)DB_ERROR_INIT;
    mig_list_init(mp);
    mig_views_init(mp);
    mig_backups_init(mp);
    return &mp->base;
}

static void free_model(MigPane *mp)
{
    if (mp->loaded_ok)
        migrate_status_free(&mp->st);
    mp->loaded_ok = false;
    if (mp->ast_ok)
        alembic_status_free(&mp->ast);
    mp->ast_ok = false;
    if (mp->proj_ok) {
        alembic_history_free(&mp->hist);
        alembic_project_free(&mp->proj);
    }
    mp->proj_ok = false;
    db_error_clear(&mp->err);
}

void mig_load(MigPane *mp)
{
    const PaneContext *ctx = mp->base.ctx;
    char *key = xstrdup(mig_selected_id(mp));
    free_model(mp);
    if (mp->alembic) {
        mp->proj_ok = alembic_project_load(&mp->proj, ctx->session->cfg.migrations.alembic_ini, &mp->err) == 0;
        if (mp->proj_ok) {
            mp->ast_ok = alembic_status(ctx->conn, &mp->proj.graph, &mp->ast, &mp->err) == 0;
            alembic_history_render(&mp->hist, &mp->proj.graph, mp->ast_ok ? &mp->ast : NULL);
        }
    } else {
        mp->loaded_ok = migrate_status(ctx->conn, session_migrations(ctx->session), &mp->st, &mp->err) == 0;
    }
    mig_rows_rebuild(mp, key);
    free(key);
}

static void mig_reload(Pane *self)
{
    mig_load((MigPane *)self);
}

static bool model_ok(const MigPane *mp)
{
    return mp->alembic ? mp->proj_ok : mp->loaded_ok;
}

static void mig_draw(Pane *self, WINDOW *w)
{
    MigPane *mp = (MigPane *)self;
    int height = getmaxy(w);
    if (mp->progress.active && mig_job_running(mp) && job_cancel_requested(self->ctx->jobs->job))
        progress_stopping(&mp->progress);
    if (mp->progress.active) {
        height--;
        progress_draw(w, height, &mp->progress, self->ctx->pal);
    }
    if (!model_ok(mp)) {
        pane_draw_title(w, self);
        pane_draw_error(w, self, 2, height - 2,
                        mp->alembic ? "Cannot read the Alembic project"
                                    : "Cannot read the migration state", mp->err.message);
    } else {
        mig_header_draw(mp, w);
        if (mp->alembic && !mp->ast_ok)
            pane_draw_error(w, self, 1, 1, "Cannot read alembic_version", mp->err.message);
    }
    switch (mp->view) {
    case VIEW_LIST:
        if (model_ok(mp))
            mig_list_draw(mp, w, 2, height - 2);
        break;
    case VIEW_TEXT: mig_text_draw(mp, w, 2, height - 2); break;
    case VIEW_LOG: mig_log_draw(mp, w, 2, height - 2); break;
    case VIEW_BACKUPS: mig_backups_draw(mp, w, 2, height - 2); break;
    }
    if (mp->dialog)
        dialog_draw(w, mp->dialog, self->ctx->pal);
    if (mp->choice)
        choice_draw(w, mp->choice, self->ctx->pal);
}

static void stop_job(MigPane *mp)
{
    Job *j = mp->base.ctx->jobs->job;
    job_cancel(j);
    progress_stopping(&mp->progress);
    pane_say(&mp->base, false, "Stopping %s...", job_title(j));
}

/* Esc: out of a view, else stop the running job. */
static PaneResult back(MigPane *mp)
{
    if (mp->view != VIEW_LIST) {
        mp->view = VIEW_LIST;
        return PANE_REDRAW;
    }
    if (mig_job_running(mp)) {
        stop_job(mp);
        return PANE_REDRAW;
    }
    return PANE_IGNORED;
}

static PaneResult run_key(MigPane *mp, KeyAction act)
{
    switch (act) {
    case ACT_OPEN:
        if (mp->view == VIEW_LIST)
            mig_text_open(mp);
        return PANE_REDRAW;
    case MIG_ACT_UP: return mig_action_start(mp, MA_UP);
    case MIG_ACT_UP_TO: return mig_action_start(mp, MA_UP_TO);
    case MIG_ACT_DOWN: return mig_action_start(mp, MA_DOWN);
    case MIG_ACT_DOWN_TO: return mig_action_start(mp, MA_DOWN_TO);
    case MIG_ACT_STAMP: return mig_action_start(mp, MA_STAMP);
    case MIG_ACT_LOG:
        mp->view = mp->view == VIEW_LOG ? VIEW_LIST : VIEW_LOG;
        mp->logview.follow = true;
        return PANE_REDRAW;
    case MIG_ACT_PROBLEMS:
        mig_problems_open(mp);
        return PANE_REDRAW;
    case MIG_ACT_BACKUPS:
        if (mp->view == VIEW_BACKUPS)
            mp->view = VIEW_LIST;
        else
            mig_backups_open(mp);
        return PANE_REDRAW;
    case ACT_BACK: return back(mp);
    case MIG_ACT_RESTORE: return mig_action_start(mp, MA_RESTORE);
    case MIG_ACT_BACKUP_NOW: return mig_backup_now(mp);
    default: return PANE_IGNORED;
    }
}

/* The view in front takes its keys first (moving, filter, search, wrap). */
static bool view_key(MigPane *mp, int key)
{
    switch (mp->view) {
    case VIEW_LIST: return model_ok(mp) && lm_key(&mp->list, key) != LM_IGNORED;
    case VIEW_TEXT: return tv_key(&mp->text, key);
    case VIEW_LOG: return tv_key(&mp->logview, key);
    case VIEW_BACKUPS: return lm_key(&mp->blist, key) != LM_IGNORED;
    }
    return false;
}

static PaneResult mig_key(Pane *self, int key)
{
    MigPane *mp = (MigPane *)self;
    if (mp->dialog)
        return mig_dialog_key(mp, key);
    if (mp->choice)
        return mig_choice_key(mp, key);
    /* Esc stops a running job before it clears a filter */
    if (key == KEY_ESC && mp->view == VIEW_LIST && mig_job_running(mp) &&
        !lm_prompting(&mp->list))
        return back(mp);
    if (view_key(mp, key))
        return PANE_REDRAW;
    KeyAction act = ACT_NONE;
    if (mp->view == VIEW_BACKUPS)
        act = keys_action(&keys_backups, key);
    if (act == ACT_NONE)
        act = keys_action(&keys_migrations, key);
    return run_key(mp, act);
}

static PaneResult mig_click(Pane *self, int y, int x)
{
    (void)x;
    MigPane *mp = (MigPane *)self;
    if (mp->dialog || mp->choice)
        return PANE_HANDLED;
    if (mp->view == VIEW_LIST)
        return lm_click(&mp->list, y) ? PANE_REDRAW : PANE_IGNORED;
    if (mp->view == VIEW_BACKUPS)
        return lm_click(&mp->blist, y) ? PANE_REDRAW : PANE_IGNORED;
    return PANE_IGNORED;
}

static size_t mig_view_keys(Pane *self, const KeyTable **out, size_t max)
{
    MigPane *mp = (MigPane *)self;
    const KeyTable *t[3] = { NULL, NULL, NULL };
    if (mp->dialog)
        t[0] = &keys_dialog;
    else if (mp->choice)
        t[0] = &keys_choice;
    else if ((mp->view == VIEW_LIST && lm_prompting(&mp->list)) ||
             (mp->view == VIEW_BACKUPS && lm_prompting(&mp->blist)) ||
             (mp->view == VIEW_TEXT && tv_prompting(&mp->text)) ||
             (mp->view == VIEW_LOG && tv_prompting(&mp->logview)))
        t[0] = &keys_lineedit;
    else if (mp->view == VIEW_LIST) {
        t[0] = &keys_migrations;
        t[1] = &keys_listmode;
    } else if (mp->view == VIEW_BACKUPS) {
        t[0] = &keys_backups;
        t[1] = &keys_listmode;
    } else {
        t[0] = &keys_textview;
        t[1] = &keys_view_back;
    }
    size_t n = 0;
    for (size_t i = 0; i < 3 && t[i] && n < max; i++)
        out[n++] = t[i];
    return n;
}

static void mig_destroy(Pane *self)
{
    MigPane *mp = (MigPane *)self;
    free_model(mp);
    mig_action_clear(mp);
    mig_backups_free(mp);
    mig_log_free(mp);
    progress_end(&mp->progress);
    mig_views_free(mp);
    lm_free(&mp->list);
    lm_free(&mp->blist);
    free(mp->text_title);
    free(mp->last_result);
    free(mp->job_backup);
    free(mp);
}

const PaneClass pane_migrations_class = {
    .title = "Migrations",
    .keys = &keys_list,
    .more_keys = more_keys,
    .action_keys = action_keys,
    .create = mig_create,
    .reload = mig_reload,
    .draw = mig_draw,
    .on_key = mig_key,
    .on_click = mig_click,
    .on_job_event = mig_job_event,
    .view_keys = mig_view_keys,
    .destroy = mig_destroy,
};
