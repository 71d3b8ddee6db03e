/* pane_integrity_one.c: c checks the selected check again, alone, off the
 * console thread: a PaneTask whose JobFn calls integrity_run() with only
 * that id (the catalog, the acceptances, then integrity_run_check() for the
 * one check) on the task's own connection.  When it finishes, the check's
 * line (count, state, time) is replaced in place; the other lines keep
 * what the last run found.  Esc stops it (the check shows as cancelled, as
 * a stopped run shows it).  See pane_integrity_internal.h. */
#include "pane_integrity_internal.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The task's argument, read by the console thread once it has finished. */
typedef struct IntOne {
    const Session *session;   /* borrowed */
    char          *id;        /* owned: the check run again */
    IntegrityList  list;      /* that check alone, once run */
} IntOne;

static void one_free(void *arg)
{
    IntOne *o = arg;
    integrity_list_free(&o->list);
    free(o->id);
    free(o);
}

/* JobFn: the one check; gone (the schema changed) is a failure. */
static int run_one(Job *job, DbConn *conn, void *arg, char **summary, DbError *err)
{
    IntOne *o = arg;
    IntegrityHooks hooks = int_job_hooks(job);
    IntegrityOptions opt = { 0, NULL, o->id, strcmp(o->id, "engine:integrity_check") == 0 };
    if (integrity_run(conn, o->session, &opt, &hooks, &o->list, err) != 0)
        return -1;
    if (o->list.count == 0) {
        db_error_set(err, DB_ERR_USAGE, "no check has the id %s now (the schema changed?): "
                     "r runs them all again", o->id);
        return -1;
    }
    *summary = int_found_text(&o->list.checks[0]);
    return 0;
}

bool int_one_running(const IntPane *ip)
{
    return task_running(&ip->one_task);
}

void int_one_start(IntPane *ip)
{
    if (int_run_running(ip)) {
        pane_say(&ip->base, true, "The checks are running: wait for them, or stop them "
                 "with Esc.");
        return;
    }
    const IntegrityCheck *ck = int_target(ip);
    if (!ck) {
        pane_say(&ip->base, true, "No check is selected.");
        return;
    }
    const PaneContext *ctx = ip->base.ctx;
    IntOne *o = xcalloc(1, sizeof *o);
    o->session = ctx->session;
    o->id = xstrdup(ck->id);
    DbError err = DB_ERROR_INIT;
    if (!task_start(&ip->one_task, ctx->session, "the check again", run_one, o, one_free,
                    &err)) {
        pane_say(&ip->base, true, "Cannot check %s again: %s", ck->id, err.message);
        db_error_clear(&err);
    }
}

void int_one_stop(IntPane *ip)
{
    if (!int_one_running(ip))
        return;
    task_cancel(&ip->one_task);
    pane_say(&ip->base, false, "Stopping the check...");
}

/* The finished check in place of the list's line of the same id. */
static void take(IntPane *ip)
{
    IntOne *o = task_arg(&ip->one_task);
    if (ip->one_task.outcome != JOB_OK || !o || o->list.count == 0) {
        const char *why = ip->one_task.err.message ? ip->one_task.err.message
                          : ip->one_task.summary ? ip->one_task.summary : "it did not run";
        pane_say(&ip->base, ip->one_task.outcome != JOB_CANCELLED, "%s not checked again: %s",
                 o ? o->id : "the check", why);
        return;
    }
    const IntegrityCheck *now = &o->list.checks[0];
    IntegrityCheck *old = ip->have_list ? integrity_find(&ip->list, now->id) : NULL;
    if (!old) {
        pane_say(&ip->base, true, "%s is no longer in the list: r runs them all again.",
                 now->id);
        return;
    }
    integrity_check_clear(old);
    integrity_check_copy(old, now);
    lm_rebuild(&ip->lm, -1);   /* the selection stays on its check */
    if (ip->view == IVIEW_DETAIL && ip->have_detail && strcmp(ip->detail.id, now->id) == 0)
        int_detail_open(ip);   /* its text and rows again */
    char *found = int_found_text(now);
    pane_say(&ip->base, now->state == IS_ERROR, "Checked again: %s: %s: %s (%ld ms)",
             now->id, integrity_state_name(now->state), found, now->ms);
    free(found);
}

bool int_one_poll(IntPane *ip)
{
    if (task_poll(&ip->one_task)) {
        take(ip);
        return true;
    }
    return int_one_running(ip) && task_moved(&ip->one_task);
}

void int_one_free(IntPane *ip)
{
    task_free(&ip->one_task);
}
