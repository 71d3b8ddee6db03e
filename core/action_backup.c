/* action_backup.c: the backup and restore rows of the action table (see
 * action.h and backup.h). */
#include "action.h"
#include "backup.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- backup ---------------------------------------------------------- */

static int backup_plan(const Session *s, DbConn *c, const char *arg, bool preview,
                       ActionPlan *p, DbError *err)
{
    (void)preview;
    if (arg) {
        db_error_set(err, DB_ERR_USAGE, "backup takes no argument (the folder is [backup] "
                     "dir: %s)", session_backup_dir(s));
        return -1;
    }
    if (backup_preflight(c, NULL, err) != 0)
        return -1;
    p->summary = xasprintf("back up %s into %s/", db_display_url(c), session_backup_dir(s));
    return 0;
}

static int backup_run(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                      char **outcome, DbError *err)
{
    if (ev && ev->progress)
        ev->progress(ev->ctx, 0, 1, "backup");
    BackupInfo info;
    if (backup_create(c, session_backup_dir(s), NULL, &info, err) != 0)
        return -1;
    if (ev && ev->backup)
        ev->backup(ev->ctx, info.path, info.bytes, info.duration_ms);
    *outcome = xasprintf("backup written: %s (%ld ms)", info.path, info.duration_ms);
    p->run_ms = info.duration_ms;
    backup_info_free(&info);
    return 0;
}

const Action action_backup = {
    "backup", "back the database up into [backup] dir", ACTION_LONG,
    backup_plan, NULL, backup_run, NULL, NULL, "backup",
};

/* ---- restore --------------------------------------------------------- */

/* FILE as given; a bare name that is not here but is in the backup folder
 * is taken from there.  Caller frees. */
static char *resolve_file(const Session *s, const char *file)
{
    struct stat st;
    if (stat(file, &st) != 0 && !strchr(file, '/')) {
        char *in_dir = xasprintf("%s/%s", session_backup_dir(s), file);
        if (stat(in_dir, &st) == 0)
            return in_dir;
        free(in_dir);
    }
    return xstrdup(file);
}

static int restore_plan(const Session *s, DbConn *c, const char *arg, bool preview,
                        ActionPlan *p, DbError *err)
{
    (void)preview;
    if (!arg || !*arg) {
        db_error_set(err, DB_ERR_USAGE, "restore needs a backup file (dbwarden backup list "
                     "shows them)");
        return -1;
    }
    char *file = resolve_file(s, arg);
    p->data = file;
    if (backup_check(c, file, NULL, err) != 0) {
        db_error_prefix(err, "nothing was changed");
        return -1;
    }
    const char *slash = strrchr(file, '/');
    p->summary = xasprintf("replace the contents of the database with the backup %s",
                           slash ? slash + 1 : file);
    p->what = backup_restore_describe(c, file);
    return 0;
}

/* Under the lock: the file is still a backup that can be restored. */
static int restore_recheck(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                           DbError *err)
{
    (void)s;
    (void)ev;
    return backup_check(c, p->data, NULL, err);
}

static int restore_run(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                       char **outcome, DbError *err)
{
    (void)s;
    const char *file = p->data;
    if (ev && ev->progress) {
        char *what = xasprintf("restoring %s", file);
        ev->progress(ev->ctx, 0, 1, what);
        free(what);
    }
    long ms = 0;
    if (backup_restore(c, file, NULL, &ms, err) != 0)
        return -1;
    *outcome = xasprintf("restored %s into %s (%ld ms)", file, db_display_url(c), ms);
    p->run_ms = ms;
    return 0;
}

const Action action_restore = {
    "restore", "restore a backup (asks first; takes a safety backup)",
    ACTION_WRITES | ACTION_DESTRUCTIVE | ACTION_LONG | ACTION_RUN_LOCK,
    restore_plan, restore_recheck, restore_run, NULL, free, "restore FILE",
};
