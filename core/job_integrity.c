/* job_integrity.c: the integrity checks as a job (see job_integrity.h). */
#include "job_integrity.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct IntegrityJob {
    pthread_mutex_t  mu;        /* guards done, ndone, result, finished */
    const Session   *session;   /* borrowed */
    IntegrityOptions opt;       /* its strings owned */
    Job             *job;       /* the worker's job (set by the worker) */
    IntegrityCheck  *done;      /* handed over, not taken yet, oldest first */
    size_t           ndone, cap;
    IntegrityList    result;
    bool             finished;
};

static void ij_free(void *arg)
{
    IntegrityJob *ij = arg;
    for (size_t i = 0; i < ij->ndone; i++)
        integrity_check_clear(&ij->done[i]);
    free(ij->done);
    integrity_list_free(&ij->result);
    free((char *)ij->opt.table_rx);
    free((char *)ij->opt.only_id);
    pthread_mutex_destroy(&ij->mu);
    free(ij);
}

static void on_progress(void *ctx, size_t index, size_t total, const char *what)
{
    IntegrityJob *ij = ctx;
    job_progress(ij->job, index, total, "%s", what);
}

static void on_done(void *ctx, const IntegrityCheck *ck)
{
    IntegrityJob *ij = ctx;
    pthread_mutex_lock(&ij->mu);
    ij->done = xgrow(ij->done, &ij->cap, ij->ndone + 1, sizeof *ij->done);
    integrity_check_copy(&ij->done[ij->ndone++], ck);
    pthread_mutex_unlock(&ij->mu);
}

static bool on_cancelled(void *ctx)
{
    return job_cancel_requested(((IntegrityJob *)ctx)->job);
}

static int ij_run(Job *job, DbConn *conn, void *arg, char **summary, DbError *err)
{
    IntegrityJob *ij = arg;
    ij->job = job;   /* only the worker reads it */
    IntegrityHooks hooks = { on_progress, on_done, on_cancelled, ij };
    IntegrityList l;
    int rc = integrity_run(conn, ij->session, &ij->opt, &hooks, &l, err);
    IntegritySummary sum;
    integrity_summarize(&l, &sum);
    pthread_mutex_lock(&ij->mu);
    ij->result = l;
    ij->finished = true;
    pthread_mutex_unlock(&ij->mu);
    if (rc == 0 && job_cancel_requested(ij->job)) {
        db_error_set(err, DB_ERR_CANCELLED, "cancelled");
        return -1;
    }
    if (rc == 0)
        *summary = integrity_summary_text(&sum);
    return rc;
}

int integrity_job_start(Job **job, IntegrityJob **out, const Session *session,
                        const IntegrityOptions *o, DbError *err)
{
    IntegrityJob *ij = xcalloc(1, sizeof *ij);
    pthread_mutex_init(&ij->mu, NULL);
    ij->session = session;
    if (o) {
        ij->opt = *o;
        ij->opt.table_rx = xstrdup(o->table_rx);
        ij->opt.only_id = xstrdup(o->only_id);
    }
    JobSpec spec = { "integrity checks", NULL, ij_run, ij, ij_free, session };
    int rc = job_start(job, &spec, err);   /* frees ij when it fails */
    *out = rc == 0 ? ij : NULL;
    return rc;
}

bool integrity_job_take(IntegrityJob *ij, IntegrityCheck *out)
{
    pthread_mutex_lock(&ij->mu);
    bool any = ij->ndone > 0;
    if (any) {
        *out = ij->done[0];
        memmove(ij->done, ij->done + 1, (ij->ndone - 1) * sizeof *ij->done);
        ij->ndone--;
    }
    pthread_mutex_unlock(&ij->mu);
    return any;
}

bool integrity_job_result(IntegrityJob *ij, IntegrityList *out)
{
    pthread_mutex_lock(&ij->mu);
    bool fin = ij->finished;
    if (fin) {
        *out = ij->result;
        memset(&ij->result, 0, sizeof ij->result);
    }
    pthread_mutex_unlock(&ij->mu);
    return fin;
}
