/* job.c: the worker thread, its event queue and cancel (see job.h). */
#include "job.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct JobNode {
    JobEvent        ev;
    struct JobNode *next;
} JobNode;

struct Job {
    char           *title;
    char           *url;
    const Session  *session;    /* borrowed; NULL: url */
    JobFn           run;
    void           *arg;
    void          (*free_arg)(void *arg);
    struct timespec t0;
    pthread_t       thread;
    pthread_mutex_t mu;         /* guards everything below */
    JobNode        *head, *tail;
    DbConn         *conn;       /* the worker's connection while open */
    AlembicRun     *alembic;    /* cancel handle for an alembic child */
    bool            cancel;     /* job_cancel() was called */
    bool            finished;   /* job_poll() returned JOB_FINISHED */
};

void job_event_clear(JobEvent *ev)
{
    free(ev->text);
    db_error_clear(&ev->err);
    memset(ev, 0, sizeof *ev);
    ev->err = (DbError)DB_ERROR_INIT;
}

const char *job_event_kind_name(JobEventKind k)
{
    switch (k) {
    case JOB_STARTED: return "started";
    case JOB_PROGRESS: return "progress";
    case JOB_LOG: return "log";
    case JOB_BACKUP: return "backup";
    case JOB_FINISHED: return "finished";
    }
    return "?";
}

const char *job_outcome_name(JobOutcome o)
{
    switch (o) {
    case JOB_OK: return "ok";
    case JOB_FAILED: return "failed";
    case JOB_CANCELLED: return "cancelled";
    }
    return "?";
}

long job_elapsed_ms(const Job *j)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - j->t0.tv_sec) * 1000L + (t1.tv_nsec - j->t0.tv_nsec) / 1000000L;
}

const char *job_title(const Job *j)
{
    return j->title;
}

/* Queues an event; takes over text (never NULL) and err. */
static void push(Job *j, JobEventKind kind, char *text, JobEvent *extra)
{
    JobNode *n = xcalloc(1, sizeof *n);
    if (extra)
        n->ev = *extra;
    else
        n->ev.err = (DbError)DB_ERROR_INIT;
    n->ev.kind = kind;
    n->ev.text = text ? text : xstrdup("");
    n->ev.elapsed_ms = job_elapsed_ms(j);
    pthread_mutex_lock(&j->mu);
    if (j->tail)
        j->tail->next = n;
    else
        j->head = n;
    j->tail = n;
    pthread_mutex_unlock(&j->mu);
}

void job_progress(Job *j, size_t index, size_t total, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    JobEvent ev = { .index = index, .total = total, .err = DB_ERROR_INIT };
    push(j, JOB_PROGRESS, text, &ev);
}

void job_log(Job *j, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    push(j, JOB_LOG, text, NULL);
}

void job_backup_written(Job *j, const char *path, long long bytes)
{
    JobEvent ev = { .bytes = bytes, .err = DB_ERROR_INIT };
    push(j, JOB_BACKUP, xstrdup(path), &ev);
}

AlembicRun *job_alembic_handle(Job *j)
{
    return j->alembic;
}

bool job_cancel_requested(Job *j)
{
    pthread_mutex_lock(&j->mu);
    bool c = j->cancel;
    pthread_mutex_unlock(&j->mu);
    return c;
}

void job_cancel(Job *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->mu);
    j->cancel = true;
    if (j->conn)
        db_cancel(j->conn);   /* under the lock: the worker cannot close it now */
    pthread_mutex_unlock(&j->mu);
    alembic_run_cancel(j->alembic);
}

static void finish(Job *j, int rc, char *summary, DbError *err)
{
    JobEvent ev = { .err = DB_ERROR_INIT };
    bool cancelled = job_cancel_requested(j);
    if (rc == 0) {
        ev.outcome = JOB_OK;
    } else if (err->kind == DB_ERR_CANCELLED || cancelled) {
        ev.outcome = JOB_CANCELLED;
        if (err->kind != DB_ERR_CANCELLED)
            db_error_prefix(err, "cancelled");
    } else {
        ev.outcome = JOB_FAILED;
    }
    char *text = summary;
    if (rc != 0) {
        free(summary);
        text = xstrdup(err->message ? err->message : job_outcome_name(ev.outcome));
        db_error_move(&ev.err, err);
    }
    push(j, JOB_FINISHED, text ? text : xstrdup(job_outcome_name(ev.outcome)), &ev);
}

static void *worker(void *p)
{
    Job *j = p;
    DbError err = DB_ERROR_INIT;
    DbConn *c = NULL;
    DbOpenOptions o = { 0 };
    char *summary = NULL;
    if (j->session ? session_open(j->session, false, &c, &err) != 0
                   : db_open(&c, j->url, &o, &err) != 0) {
        finish(j, -1, NULL, &err);
        return NULL;
    }
    pthread_mutex_lock(&j->mu);
    j->conn = c;
    bool cancelled = j->cancel;
    pthread_mutex_unlock(&j->mu);
    push(j, JOB_STARTED, xstrdup(j->title), NULL);
    int rc;
    if (cancelled) {
        db_error_set(&err, DB_ERR_CANCELLED, "cancelled before %s started", j->title);
        rc = -1;
    } else {
        rc = j->run(j, c, j->arg, &summary, &err);
    }
    pthread_mutex_lock(&j->mu);
    j->conn = NULL;
    pthread_mutex_unlock(&j->mu);
    db_close(c);
    finish(j, rc, summary, &err);
    return NULL;
}

int job_start(Job **out, const JobSpec *spec, DbError *err)
{
    Job *j = xcalloc(1, sizeof *j);
    j->title = xstrdup(spec->title ? spec->title : "job");
    j->url = xstrdup(spec->url);
    j->session = spec->session;
    j->run = spec->run;
    j->arg = spec->arg;
    j->free_arg = spec->free_arg;
    j->alembic = alembic_run_new();
    clock_gettime(CLOCK_MONOTONIC, &j->t0);
    pthread_mutex_init(&j->mu, NULL);
    *out = NULL;
    int rc = pthread_create(&j->thread, NULL, worker, j);
    if (rc != 0) {
        db_error_set(err, DB_ERR_IO, "cannot start a worker thread for %s: %s", j->title,
                     strerror(rc));
        pthread_mutex_destroy(&j->mu);
        alembic_run_free(j->alembic);
        if (j->free_arg)
            j->free_arg(j->arg);
        free(j->title);
        free(j->url);
        free(j);
        return -1;
    }
    *out = j;
    return 0;
}

bool job_poll(Job *j, JobEvent *ev)
{
    pthread_mutex_lock(&j->mu);
    JobNode *n = j->head;
    if (n) {
        j->head = n->next;
        if (!j->head)
            j->tail = NULL;
        if (n->ev.kind == JOB_FINISHED)
            j->finished = true;
    }
    pthread_mutex_unlock(&j->mu);
    if (!n)
        return false;
    *ev = n->ev;
    free(n);
    return true;
}

bool job_finished(const Job *j)
{
    return j->finished;
}

void job_free(Job *j)
{
    if (!j)
        return;
    if (!j->finished)
        job_cancel(j);
    pthread_join(j->thread, NULL);
    JobEvent ev;
    while (job_poll(j, &ev))
        job_event_clear(&ev);
    pthread_mutex_destroy(&j->mu);
    alembic_run_free(j->alembic);
    if (j->free_arg)
        j->free_arg(j->arg);
    free(j->title);
    free(j->url);
    free(j);
}
