/* worker.h: one persistent worker thread that runs one task at a time.
 *
 * A Worker is a thread that waits for a task (a function and its
 * argument), runs it, and waits for the next one, for as long as the
 * Worker lives.  Every task runs on that same thread, so what a task
 * leaves behind for the next (a database connection, which one thread
 * uses at a time) stays on one thread.  The worker knows nothing of what
 * its tasks do: no database, no screen.
 *
 * Order of calls (all from one thread, the owner):
 *   worker_start()
 *   worker_submit(fn, arg), then worker_wait(ms) until it returns true;
 *                           as many times as needed
 *   worker_free()           waits for a task that runs, ends the thread
 *
 * Handing over: arg belongs to the task from worker_submit() until
 * worker_wait() has returned true; from then on it is the owner's again,
 * with everything the task wrote into it visible (the hand-over goes
 * through the worker's lock).  Stopping a running task is the task's own
 * business (a flag it reads, db_cancel() on its connection): the worker
 * never interrupts it, and worker_free() waits for it to return. */
#ifndef DBW_WORKER_H
#define DBW_WORKER_H

#include <stdbool.h>

#include "error.h"

typedef struct Worker Worker;

/* The task: runs on the worker's thread. */
typedef void (*WorkerFn)(void *arg);

/* Starts the thread, which waits for a task.  Fails only when no thread
 * can be made: DB_ERR_IO in *err, *out NULL. */
int  worker_start(Worker **out, DbError *err);

/* Hands fn(arg) to the worker.  false, and nothing done, until
 * worker_wait() has returned true for the task submitted before. */
bool worker_submit(Worker *w, WorkerFn fn, void *arg);

/* Waits up to ms milliseconds (0: only looks; < 0: as long as it takes)
 * for the task submitted to return.  true when it has, or when none was
 * submitted: the worker is free and the task's arg is the owner's again;
 * false when it still runs. */
bool worker_wait(Worker *w, int ms);

/* Milliseconds since the task that runs was submitted; 0 when none runs. */
long worker_elapsed_ms(Worker *w);

/* Waits for a task that runs to return (it is not interrupted: stop it
 * first), ends the thread and frees w.  NULL is fine. */
void worker_free(Worker *w);

#endif
