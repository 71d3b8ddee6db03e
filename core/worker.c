/* worker.c: one persistent worker thread, one task at a time (see
 * worker.h). */
#include "worker.h"
#include "clock.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum WorkerState {
    W_IDLE = 0,   /* no task: the owner may submit */
    W_TASK,       /* submitted, not returned yet */
    W_DONE        /* returned; the owner has not waited for it yet */
} WorkerState;

struct Worker {
    pthread_t       thread;
    pthread_mutex_t mu;        /* guards everything below */
    pthread_cond_t  to_worker; /* a task, or the end */
    pthread_cond_t  to_owner;  /* a task returned */
    WorkerState     state;
    bool            quit;
    WorkerFn        fn;
    void           *arg;
    long            t0;        /* when the task was submitted (clock_now_ms) */
};

static void *worker_main(void *p)
{
    Worker *w = p;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->state != W_TASK && !w->quit)
            pthread_cond_wait(&w->to_worker, &w->mu);
        if (w->state != W_TASK)
            break;   /* quit, nothing left to run */
        WorkerFn fn = w->fn;
        void *arg = w->arg;
        pthread_mutex_unlock(&w->mu);
        fn(arg);
        pthread_mutex_lock(&w->mu);
        w->state = W_DONE;
        w->fn = NULL;
        w->arg = NULL;
        pthread_cond_broadcast(&w->to_owner);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int worker_start(Worker **out, DbError *err)
{
    Worker *w = xcalloc(1, sizeof *w);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);   /* timed waits by the monotonic clock */
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->to_worker, NULL);
    pthread_cond_init(&w->to_owner, &ca);
    pthread_condattr_destroy(&ca);
    int rc = pthread_create(&w->thread, NULL, worker_main, w);
    if (rc != 0) {
        db_error_set(err, DB_ERR_IO, "cannot start a worker thread: %s", strerror(rc));
        pthread_cond_destroy(&w->to_owner);
        pthread_cond_destroy(&w->to_worker);
        pthread_mutex_destroy(&w->mu);
        free(w);
        *out = NULL;
        return -1;
    }
    *out = w;
    return 0;
}

bool worker_submit(Worker *w, WorkerFn fn, void *arg)
{
    pthread_mutex_lock(&w->mu);
    bool free_now = w->state == W_IDLE && !w->quit;
    if (free_now) {
        w->fn = fn;
        w->arg = arg;
        w->state = W_TASK;
        w->t0 = clock_now_ms();
        pthread_cond_signal(&w->to_worker);
    }
    pthread_mutex_unlock(&w->mu);
    return free_now;
}

bool worker_wait(Worker *w, int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    if (ms > 0) {
        until.tv_sec += ms / 1000;
        until.tv_nsec += (long)(ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&w->mu);
    while (w->state == W_TASK && ms != 0) {
        if (ms < 0)
            pthread_cond_wait(&w->to_owner, &w->mu);
        else if (pthread_cond_timedwait(&w->to_owner, &w->mu, &until) != 0)
            break;   /* the time is up (the state says whether it returned) */
    }
    bool done = w->state != W_TASK;
    if (done)
        w->state = W_IDLE;
    pthread_mutex_unlock(&w->mu);
    return done;
}

long worker_elapsed_ms(Worker *w)
{
    pthread_mutex_lock(&w->mu);
    long ms = w->state == W_TASK ? clock_now_ms() - w->t0 : 0;
    pthread_mutex_unlock(&w->mu);
    return ms;
}

void worker_free(Worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->quit = true;
    pthread_cond_signal(&w->to_worker);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);   /* after the task that runs, if any */
    pthread_cond_destroy(&w->to_owner);
    pthread_cond_destroy(&w->to_worker);
    pthread_mutex_destroy(&w->mu);
    free(w);
}
