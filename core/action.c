/* action.c: the action table and its guard (see action.h). */
#include "action.h"
#include "backup.h"
#include "runlock.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const Action *const action_table[] = {
    &action_up, &action_down, &action_stamp, &action_backup, &action_restore,
    &action_license_set,
    &action_fix, &action_fk_migration, &action_accept, &action_unaccept,
    &action_seed, &action_reset, NULL,
};

const Action *action_find(const char *name)
{
    for (size_t i = 0; name && action_table[i]; i++)
        if (strcmp(action_table[i]->name, name) == 0)
            return action_table[i];
    return NULL;
}

int action_allowed(const Session *s, const Action *a, DbError *err)
{
    if (!(a->flags & ACTION_WRITES) || !s->read_only)
        return 0;
    db_error_set(err, DB_ERR_USAGE, "%s writes to the database, and --read-only is set; "
                 "nothing was done", a->name);
    return -1;
}

int action_plan(const Session *s, DbConn *c, const Action *a, const char *arg, bool preview,
                ActionPlan *p, DbError *err)
{
    memset(p, 0, sizeof *p);
    p->action = a;
    p->count = -1;
    p->tool_status = -1;
    p->run_ms = -1;
    if (!preview && action_allowed(s, a, err) != 0)
        return -1;
    p->arg = arg ? xstrdup(arg) : NULL;
    if (a->plan(s, c, arg, preview, p, err) != 0) {
        action_plan_free(p);
        return -1;
    }
    return 0;
}

void action_plan_free(ActionPlan *p)
{
    if (p->action && p->action->free_data && p->data)
        p->action->free_data(p->data);
    free(p->arg);
    free(p->summary);
    free(p->what);
    free(p->warning);
    strv_free(p->items);
    memset(p, 0, sizeof *p);
}

static bool wants_backup(const ActionPlan *p, bool backup)
{
    return backup && !p->nothing && (p->action->flags & ACTION_DESTRUCTIVE);
}

int action_preflight(const Session *s, DbConn *c, const ActionPlan *p, bool backup,
                     DbError *err)
{
    (void)s;
    if (!wants_backup(p, backup) || backup_preflight(c, NULL, err) == 0)
        return 0;
    db_error_prefix(err, "%s needs a backup first, and none can be taken", p->action->name);
    snprintf(err->code, sizeof err->code, "%s", ACTION_NO_BACKUP);
    return -1;
}

const char *action_confirm_word(const Session *s, DbConn *c, const ActionPlan *p)
{
    if (p->nothing)
        return NULL;
    if (session_production(s) && (p->action->flags & ACTION_WRITES))
        return db_name(c);   /* production: every change, its name typed */
    return (p->action->flags & ACTION_DESTRUCTIVE) ? "yes" : NULL;
}

bool action_confirm_ok(const Session *s, DbConn *c, const ActionPlan *p, const char *typed)
{
    const char *word = action_confirm_word(s, c, p);
    return !word || (typed && strcmp(typed, word) == 0);
}

/* The backup before a destructive action, under the lock. */
static int take_backup(const Session *s, DbConn *c, const ActionPlan *p, const ActionEvents *ev,
                       char **path, DbError *err)
{
    BackupInfo info;
    if (backup_create(c, session_backup_dir(s), NULL, &info, err) != 0) {
        db_error_prefix(err, "no backup could be taken before %s, so nothing was changed",
                        p->action->name);
        snprintf(err->code, sizeof err->code, "%s", ACTION_NO_BACKUP);
        return -1;
    }
    if (ev && ev->backup)
        ev->backup(ev->ctx, info.path, info.bytes, info.duration_ms);
    if (path) {
        free(*path);
        *path = info.path;
        info.path = NULL;
    }
    backup_info_free(&info);
    return 0;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static bool cancelled(const ActionEvents *ev)
{
    return ev && ev->cancelled && ev->cancelled(ev->ctx);
}

int action_execute(const Session *s, DbConn *c, ActionPlan *p, bool backup,
                   const ActionEvents *ev, char **outcome, char **backup_path, DbError *err)
{
    const Action *a = p->action;
    if (outcome)
        *outcome = NULL;
    if (backup_path)
        *backup_path = NULL;
    if (action_allowed(s, a, err) != 0)
        return -1;
    if (p->nothing) {
        if (outcome)
            *outcome = xstrdup(p->summary ? p->summary : "nothing to do");
        return 0;
    }
    RunLock *lock = NULL;
    if (a->flags & ACTION_RUN_LOCK) {
        char *what = xasprintf("dbwarden %s", a->name);
        int rc = runlock_acquire(c, "migrations", what, RUNLOCK_WAIT_DEFAULT, &lock, err);
        free(what);
        if (rc != 0) {
            db_error_prefix(err, "nothing was changed");
            return -1;
        }
    }
    char *done = NULL;
    int rc = 0;
    if (a->recheck)
        rc = a->recheck(s, c, p, ev, err);
    if (rc == 0 && wants_backup(p, backup))
        rc = take_backup(s, c, p, ev, backup_path, err);
    if (rc == 0 && cancelled(ev)) {
        db_error_set(err, DB_ERR_CANCELLED, "cancelled before %s began; nothing was changed",
                     a->name);
        rc = -1;
    }
    if (rc == 0) {
        long t0 = now_ms();
        rc = a->run(s, c, p, ev, &done, err);
        if (p->run_ms < 0)
            p->run_ms = now_ms() - t0;
    }
    if (rc == 0 && a->verify)
        rc = a->verify(s, c, p, err);
    runlock_release(lock);
    if (rc == 0 && outcome)
        *outcome = done;
    else
        free(done);
    return rc;
}
