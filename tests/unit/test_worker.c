/* test_worker.c: the persistent worker thread (core/worker.h): a task
 * runs on the worker's one thread, wait times out while it runs and says
 * when it returned, a second task is refused until then, what the task
 * wrote is the owner's after the wait, and free waits for a running task. */
#include "test.h"
#include "clock.h"
#include "worker.h"

#include <pthread.h>
#include <stdatomic.h>

/* A task that waits for the test to open its gate, then writes its
 * result and the thread it ran on. */
typedef struct Gate {
    pthread_mutex_t mu;
    pthread_cond_t  cv;
    bool            open;
    atomic_bool     started;
    int             in, out;     /* out = in * 2, written by the task */
    pthread_t       thread;
} Gate;

static void gate_task(void *arg)
{
    Gate *g = arg;
    atomic_store(&g->started, true);
    pthread_mutex_lock(&g->mu);
    while (!g->open)
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
    g->out = g->in * 2;   /* plain writes: the wait hands them over */
    g->thread = pthread_self();
}

static void gate_open(Gate *g)
{
    pthread_mutex_lock(&g->mu);
    g->open = true;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

static void gate_init(Gate *g, int in)
{
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    g->open = false;
    atomic_init(&g->started, false);
    g->in = in;
    g->out = 0;
}

static void gate_free(Gate *g)
{
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
}

static void test_submit_wait(void)
{
    Worker *w = NULL;
    DbError e = DB_ERROR_INIT;
    CHECK(worker_start(&w, &e) == 0 && w);
    CHECK(worker_wait(w, 0));          /* nothing submitted: free */
    CHECK(worker_elapsed_ms(w) == 0);

    Gate g;
    gate_init(&g, 21);
    CHECK(worker_submit(w, gate_task, &g));
    while (!atomic_load(&g.started))
        clock_nap_ms(1);
    Gate other;
    gate_init(&other, 1);
    CHECK(!worker_submit(w, gate_task, &other));   /* one at a time */
    CHECK(!worker_wait(w, 0));
    long t0 = clock_now_ms();
    CHECK(!worker_wait(w, 60));        /* times out while it runs */
    long waited = clock_now_ms() - t0;
    CHECK(waited >= 50 && waited < 2000);
    CHECK(worker_elapsed_ms(w) >= 50);
    CHECK(g.out == 0);
    gate_open(&g);
    CHECK(worker_wait(w, 5000));       /* returns as soon as the task does */
    CHECK(clock_now_ms() - t0 < 5000);
    CHECK(g.out == 42);
    CHECK(!pthread_equal(g.thread, pthread_self()));
    CHECK(worker_wait(w, 0));          /* still free */
    CHECK(worker_elapsed_ms(w) == 0);

    /* the next task runs on the same thread */
    gate_open(&other);
    CHECK(worker_submit(w, gate_task, &other));
    CHECK(worker_wait(w, -1));
    CHECK(other.out == 2);
    CHECK(pthread_equal(other.thread, g.thread));
    gate_free(&other);
    gate_free(&g);
    worker_free(w);
}

/* Submitting before the last task was waited for is refused, even when it
 * has returned: the owner has not taken its argument back yet. */
static void test_submit_before_wait(void)
{
    Worker *w = NULL;
    DbError e = DB_ERROR_INIT;
    CHECK(worker_start(&w, &e) == 0);
    Gate g;
    gate_init(&g, 5);
    gate_open(&g);
    CHECK(worker_submit(w, gate_task, &g));
    clock_nap_ms(50);                      /* it has returned by now */
    CHECK(!worker_submit(w, gate_task, &g));
    CHECK(worker_wait(w, 1000));
    CHECK(g.out == 10);
    CHECK(worker_submit(w, gate_task, &g));
    CHECK(worker_wait(w, 1000));
    gate_free(&g);
    worker_free(w);
}

static void count_task(void *arg)
{
    (*(int *)arg)++;
}

static void test_many(void)
{
    Worker *w = NULL;
    DbError e = DB_ERROR_INIT;
    CHECK(worker_start(&w, &e) == 0);
    int n = 0;
    for (int i = 0; i < 500; i++) {
        CHECK(worker_submit(w, count_task, &n));
        CHECK(worker_wait(w, -1));
    }
    CHECK(n == 500);
    worker_free(w);
}

static void slow_task(void *arg)
{
    clock_nap_ms(150);
    atomic_store((atomic_int *)arg, 1);
}

/* free waits for the task that runs (it owns what the task uses) */
static void test_free_waits(void)
{
    Worker *w = NULL;
    DbError e = DB_ERROR_INIT;
    CHECK(worker_start(&w, &e) == 0);
    atomic_int done;
    atomic_init(&done, 0);
    CHECK(worker_submit(w, slow_task, &done));
    long t0 = clock_now_ms();
    worker_free(w);
    CHECK(atomic_load(&done) == 1);
    CHECK(clock_now_ms() - t0 >= 100);

    /* a task submitted and freed at once still runs to its end */
    CHECK(worker_start(&w, &e) == 0);
    atomic_store(&done, 0);
    CHECK(worker_submit(w, slow_task, &done));
    worker_free(w);
    CHECK(atomic_load(&done) == 1);

    /* nothing submitted, and NULL */
    CHECK(worker_start(&w, &e) == 0);
    worker_free(w);
    worker_free(NULL);
}

int main(void)
{
    RUN(test_submit_wait);
    RUN(test_submit_before_wait);
    RUN(test_many);
    RUN(test_free_waits);
    return test_report();
}
