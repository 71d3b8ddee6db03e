/* pane_integrity_run.c: the checks of the Integrity pane run off the
 * console thread: a PaneTask (pane_task.h) whose JobFn calls
 * integrity_run() on the task's own connection, with a progress event per
 * check ("counting main.orders", i of n).  Esc stops it: the running
 * statement is cancelled, that check and the ones after it are cancelled
 * (integrity_run marks them), and the list shows them so.  See
 * pane_integrity_internal.h. */
#include "pane_integrity_internal.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The task's argument: what the worker fills, read by the console thread
 * only after the task has finished. */
typedef struct IntRun {
    const Session *session;   /* borrowed */
    IntegrityList  list;      /* the run's checks */
    bool           built;     /* list holds a run's checks (even half of one) */
} IntRun;

static void run_free(void *arg)
{
    IntRun *r = arg;
    integrity_list_free(&r->list);
    free(r);
}

static void on_progress(void *ctx, size_t index, size_t total, const char *what)
{
    job_progress(ctx, index, total, "%s", what);
}

static bool on_cancelled(void *ctx)
{
    return job_cancel_requested(ctx);
}

IntegrityHooks int_job_hooks(Job *job)
{
    return (IntegrityHooks){ on_progress, NULL, on_cancelled, job };
}

/* JobFn: every check; cancelled when Esc came (the list says which ran). */
static int run_checks(Job *job, DbConn *conn, void *arg, char **summary, DbError *err)
{
    IntRun *r = arg;
    IntegrityHooks hooks = int_job_hooks(job);
    int rc = integrity_run(conn, r->session, NULL, &hooks, &r->list, err);
    r->built = r->list.count > 0;
    if (rc == 0 && job_cancel_requested(job)) {
        db_error_set(err, DB_ERR_CANCELLED, "stopped: the checks not run are cancelled");
        return -1;
    }
    if (rc == 0) {
        IntegritySummary sum;
        integrity_summarize(&r->list, &sum);
        *summary = integrity_summary_text(&sum);
    }
    return rc;
}

void int_run_start(IntPane *ip)
{
    const PaneContext *ctx = ip->base.ctx;
    int_one_free(ip);   /* the whole run supersedes one check run again */
    IntRun *r = xcalloc(1, sizeof *r);
    r->session = ctx->session;
    DbError err = DB_ERROR_INIT;
    if (!task_start(&ip->task, ctx->session, "integrity checks", run_checks, r, run_free,
                    &err)) {
        db_error_clear(&ip->err);
        ip->err = err;
        ip->have_list = false;
    }
}

bool int_run_running(const IntPane *ip)
{
    return task_running(&ip->task);
}

void int_run_stop(IntPane *ip)
{
    if (!int_run_running(ip))
        return;
    task_cancel(&ip->task);
    pane_say(&ip->base, false, "Stopping the integrity checks...");
}

/* Takes the finished run's list into the pane. */
static void take(IntPane *ip)
{
    IntRun *r = task_arg(&ip->task);
    const IntegrityCheck *sel = ip->have_detail ? &ip->detail : int_selected(ip);
    char *keep = sel ? xstrdup(sel->id) : NULL;
    integrity_list_free(&ip->list);
    db_error_clear(&ip->err);
    free(ip->stopped);
    ip->stopped = NULL;
    ip->have_list = r && r->built;
    if (ip->have_list) {
        ip->list = r->list;
        memset(&r->list, 0, sizeof r->list);
    }
    ip->run_ms = ip->have_list ? ip->list.ms : 0;
    if (ip->task.outcome == JOB_CANCELLED && ip->have_list)
        ip->stopped = xstrdup("Stopped: the checks not run are cancelled");
    else if (ip->task.outcome != JOB_OK) {
        ip->err = ip->task.err;
        ip->task.err = (DbError)DB_ERROR_INIT;
        if (!ip->err.message)
            db_error_set(&ip->err, DB_ERR_SQL, "%s", ip->task.summary ? ip->task.summary
                                                                     : "the checks failed");
    }
    int_list_rebuild(ip, keep);
    if (ip->view == IVIEW_DETAIL) {   /* the detail shows the new run's check */
        const IntegrityCheck *now = int_selected(ip);
        if (now && keep && strcmp(now->id, keep) == 0)
            int_detail_open(ip);
        else
            int_detail_close(ip);
    }
    free(keep);
}

bool int_run_poll(IntPane *ip)
{
    if (task_poll(&ip->task)) {
        take(ip);
        return true;
    }
    return int_run_running(ip) && task_moved(&ip->task);
}

void int_run_free(IntPane *ip)
{
    task_free(&ip->task);
    integrity_list_free(&ip->list);
    db_error_clear(&ip->err);
    free(ip->stopped);
    ip->stopped = NULL;
}
