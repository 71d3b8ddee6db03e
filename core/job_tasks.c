/* job_tasks.c: an action of the action table run as a job (see job.h
 * and action.h). */
#include "action.h"
#include "job.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct ActionArg {
    const Session *session;
    ActionPlan     plan;
    bool           backup;
} ActionArg;

static void arg_free(void *p)
{
    ActionArg *a = p;
    action_plan_free(&a->plan);
    free(a);
}

static void ev_progress(void *ctx, size_t index, size_t total, const char *what)
{
    job_progress(ctx, index, total, "%s", what);
}

static void ev_step(void *ctx, const ActionStep *s)
{
    if (strcmp(s->verb, "skipped") == 0)
        job_log(ctx, "skipped %s_%s: already done (by another run)", s->id, s->name);
    else
        job_log(ctx, "%s %s_%s (%ld ms)", s->verb, s->id, s->name, s->ms);
}

static void ev_line(void *ctx, const char *line)
{
    job_log(ctx, "%s", line);
}

static void ev_backup(void *ctx, const char *path, long long bytes, long ms)
{
    (void)ms;
    job_backup_written(ctx, path, bytes);
}

static bool ev_cancelled(void *ctx)
{
    return job_cancel_requested(ctx);
}

static int action_job(Job *job, DbConn *c, void *arg, char **summary, DbError *err)
{
    ActionArg *a = arg;
    ActionEvents ev = { ev_progress, ev_step, ev_line, ev_backup, ev_cancelled,
                        job_alembic_handle(job), job };
    char *bpath = NULL;
    int rc = action_execute(a->session, c, &a->plan, a->backup, &ev, summary, &bpath, err);
    free(bpath);
    return rc;
}

int job_start_action(Job **out, const Session *session, ActionPlan *plan, bool backup,
                     const char *title, DbError *err)
{
    ActionArg *a = xcalloc(1, sizeof *a);
    a->session = session;
    a->plan = *plan;
    memset(plan, 0, sizeof *plan);
    a->backup = backup;
    JobSpec spec = { .title = title, .session = session, .run = action_job, .arg = a,
                     .free_arg = arg_free };
    return job_start(out, &spec, err);
}
