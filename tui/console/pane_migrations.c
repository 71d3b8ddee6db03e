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
    { { '/' }, "/", ACT_FILTER, "filter the rows by regular expression (in a view: search)",
      NULL },
    { { 'n' }, "n", ACT_NEXT_MATCH, "next match", NULL },
    { { 'N' }, "N", ACT_PREV_MATCH, "previous match", NULL },
    { { '\r', '\n', KEY_ENTER }, "Enter", ACT_OPEN, "the selected migration's SQL (up, down)",
      NULL },
    { { 'u' }, "u", MIG_ACT_UP, "up: apply every pending migration", NULL },
    { { 'U' }, "U", MIG_ACT_UP_TO, "up to the selected migration", NULL },
    { { 'd' }, "d", MIG_ACT_DOWN, "down: roll back the newest (backup first)", NULL },
    { { 'D' }, "D", MIG_ACT_DOWN_TO, "down to the selected one: roll back all newer", NULL },
    { { 's' }, "s", MIG_ACT_STAMP, "stamp: record the database as at the selected one", NULL },
    { { 'L' }, "L", MIG_ACT_LOG, "the log of this session (again: back)", "log" },
    { { 'p' }, "p", MIG_ACT_PROBLEMS, "every problem, in full, with its files", "problems" },
    { { 'B' }, "B", MIG_ACT_BACKUPS, "this database's backups (again: back)", "backups" },
    { { KEY_ESC }, "Esc", ACT_BACK, "back to the list; stop the running job; clear the filter",
      NULL },
};

static const KeyBinding backup_items[] = {
    { { '\r', '\n', KEY_ENTER }, "Enter", MIG_ACT_RESTORE,
      "restore the selected backup (asks first; backup of now first)", NULL },
    { { 'c' }, "c", MIG_ACT_BACKUP_NOW, "take a backup now", NULL },
};

static const KeyTable keys_migrations = { "Migrations: actions and views", mig_items,
                                          COUNT(mig_items) };
static const KeyTable keys_backups = { "Migrations: the backups view (b)", backup_items,
                                       COUNT(backup_items) };
static const KeyTable *const more_keys[] = { &keys_migrations, &keys_backups, &keys_dialog,
                                             &keys_choice, &keys_lineedit, NULL };

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
    mp->text.page = mp->logtext.page = 1;
    mp->log_follow = true;
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
    mp->table_y = -1;
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

/* The '/' prompt: Enter sets the filter (list) or the search (views). */
static PaneResult prompt_key(MigPane *mp, int key)
{
    switch (lineedit_key(&mp->prompt, key)) {
    case LINE_ACCEPT:
        mp->prompting = false;
        if (mp->view == VIEW_LIST)
            mig_set_filter(mp, mp->prompt.buf);
        else
            mig_set_search(mp, mp->prompt.buf);
        break;
    case LINE_CANCEL:
        mp->prompting = false;
        break;
    default:
        break;
    }
    return PANE_REDRAW;   /* the prompt takes every key */
}

static void stop_job(MigPane *mp)
{
    Job *j = mp->base.ctx->jobs->job;
    job_cancel(j);
    progress_stopping(&mp->progress);
    pane_say(&mp->base, false, "Stopping %s...", job_title(j));
}

/* Esc: out of a view, else stop the running job, else clear the filter. */
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
    if (mp->filter) {
        mig_set_filter(mp, "");
        return PANE_REDRAW;
    }
    return PANE_IGNORED;
}

/* Movement keys, per view. */
static bool move_in_view(MigPane *mp, KeyAction act)
{
    switch (mp->view) {
    case VIEW_LIST:
        if (act < ACT_UP || act > ACT_BOTTOM)
            return false;
        mig_list_move(mp, act);
        return true;
    case VIEW_TEXT:
        return textscroll_apply(&mp->text, act);
    case VIEW_LOG:
        if (!textscroll_apply(&mp->logtext, act))
            return false;
        mp->log_follow = textscroll_at_end(&mp->logtext);
        return true;
    case VIEW_BACKUPS:
        return lv_apply(&mp->blv, act);
    }
    return false;
}

static PaneResult run_key(MigPane *mp, KeyAction act)
{
    bool list = mp->view == VIEW_LIST;
    switch (act) {
    case ACT_FILTER:
        mp->prompting = true;
        lineedit_clear(&mp->prompt);
        if (list && mp->filter_text)
            for (const char *p = mp->filter_text; *p; p++)
                lineedit_key(&mp->prompt, (unsigned char)*p);
        return PANE_REDRAW;
    case ACT_NEXT_MATCH:
    case ACT_PREV_MATCH:
        if (list)
            mig_list_match(mp, act == ACT_NEXT_MATCH ? 1 : -1);
        else
            mig_text_match(mp, act == ACT_NEXT_MATCH ? 1 : -1);
        return PANE_REDRAW;
    case ACT_OPEN:
        if (list)
            mig_text_open(mp);
        return PANE_REDRAW;
    case MIG_ACT_UP: return mig_action_start(mp, MA_UP);
    case MIG_ACT_UP_TO: return mig_action_start(mp, MA_UP_TO);
    case MIG_ACT_DOWN: return mig_action_start(mp, MA_DOWN);
    case MIG_ACT_DOWN_TO: return mig_action_start(mp, MA_DOWN_TO);
    case MIG_ACT_STAMP: return mig_action_start(mp, MA_STAMP);
    case MIG_ACT_LOG:
        mp->view = mp->view == VIEW_LOG ? VIEW_LIST : VIEW_LOG;
        mp->log_follow = true;
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

static PaneResult mig_key(Pane *self, int key)
{
    MigPane *mp = (MigPane *)self;
    if (mp->dialog)
        return mig_dialog_key(mp, key);
    if (mp->choice)
        return mig_choice_key(mp, key);
    if (mp->prompting)
        return prompt_key(mp, key);
    if (move_in_view(mp, keys_action(&keys_list, key)))
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
    if (mp->dialog || mp->choice || mp->prompting)
        return PANE_HANDLED;
    if (mp->view == VIEW_LIST)
        return mig_list_click(mp, y) ? PANE_REDRAW : PANE_IGNORED;
    if (mp->view == VIEW_BACKUPS)
        return lv_click(&mp->blv, table_row_offset(y, mp->btable_y)) ? PANE_REDRAW
                                                                      : PANE_IGNORED;
    return PANE_IGNORED;
}

static void mig_destroy(Pane *self)
{
    MigPane *mp = (MigPane *)self;
    free_model(mp);
    mig_action_clear(mp);
    mig_backups_free(mp);
    mig_log_free(mp);
    progress_end(&mp->progress);
    textscroll_free(&mp->text);
    rx_free(mp->filter);
    rx_free(mp->search);
    free(mp->filter_text);
    free(mp->text_title);
    free(mp->rows);
    free(mp->last_result);
    free(mp->job_backup);
    free(mp);
}

const PaneClass pane_migrations_class = {
    .title = "Migrations",
    .keys = &keys_list,
    .more_keys = more_keys,
    .create = mig_create,
    .reload = mig_reload,
    .draw = mig_draw,
    .on_key = mig_key,
    .on_click = mig_click,
    .on_job_event = mig_job_event,
    .destroy = mig_destroy,
};
