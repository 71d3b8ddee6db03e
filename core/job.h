/* job.h: long work on a worker thread with its own connection.
 *
 * A job opens its OWN connection (db_open with the URL it was given: a
 * DbConn is used by one thread at a time), runs one function on it (a
 * migration plan, an alembic run, a backup, a restore), closes it, and
 * reports what happens as events in a thread-safe queue that the console
 * polls from its main loop.  Nothing here blocks the caller except
 * job_free() (which waits for the worker to end).
 *
 * Order of calls (console thread):
 *   job_start_plan() / job_start_alembic() / job_start_backup() /
 *   job_start_restore()   (or job_start() with a JobFn of one's own)
 *   job_poll() repeatedly (e.g. every 100 ms from the main loop) until it
 *     returns a JOB_FINISHED event; job_cancel() at any time to stop it
 *   job_free()
 *
 * Events, in this order, each exactly as many times as said:
 *   JOB_STARTED   once, when the worker runs and its connection is open
 *                 (not sent when the connection cannot be opened)
 *   JOB_PROGRESS  0..n: step index (0-based) of total starts; total 0 when
 *                 the number of steps is not known (an alembic run)
 *   JOB_LOG       0..n: one line for the log (a step done, a line of a
 *                 tool's output)
 *   JOB_BACKUP    0..1: a backup was written (text: its path)
 *   JOB_FINISHED  once, always last: ok, failed (err is the error the work
 *                 reported, e.g. migrate_run's "<file>:<line>: <message>")
 *                 or cancelled
 * PROGRESS, LOG and BACKUP may interleave as the work goes.
 *
 * Cancel.  job_cancel() sets a flag that the work checks between steps,
 * calls db_cancel() on the job's connection (the running statement fails
 * with DB_ERR_CANCELLED) and alembic_run_cancel() on the job's alembic
 * handle (the child's process group is stopped).  Work that was cancelled
 * ends with JOB_CANCELLED; work that completed before the cancel reached
 * it ends with JOB_OK.  What a cancelled migration step did is rolled back
 * (steps before it stay, as with migrate_run).
 *
 * Ownership.  The Job owns its connection, its copy of the URL and title,
 * its argument (freed with the JobSpec's free_arg) and the queued events.
 * An event returned by job_poll() belongs to the caller: release it with
 * job_event_clear().  Borrowed data that a task names (a MigPlan's steps
 * point into a MigDir) must outlive the job, i.e. until job_free(). */
#ifndef DBW_JOB_H
#define DBW_JOB_H

#include <stdbool.h>
#include <stddef.h>

#include "alembic.h"
#include "db.h"
#include "migrate.h"
#include "session.h"

typedef struct Job Job;

typedef enum JobEventKind {
    JOB_STARTED = 0,
    JOB_PROGRESS,
    JOB_LOG,
    JOB_BACKUP,
    JOB_FINISHED
} JobEventKind;

typedef enum JobOutcome { JOB_OK = 0, JOB_FAILED, JOB_CANCELLED } JobOutcome;

typedef struct JobEvent {
    JobEventKind kind;
    size_t     index;       /* JOB_PROGRESS: the step starting, 0-based */
    size_t     total;       /* JOB_PROGRESS: steps in all; 0 = unknown */
    char      *text;        /* owned: what the step is, the log line, the
                               backup's path, or (FINISHED) a one-line
                               summary of the outcome; never NULL */
    long long  bytes;       /* JOB_BACKUP: the backup's size */
    JobOutcome outcome;     /* JOB_FINISHED */
    DbError    err;         /* JOB_FINISHED, failed or cancelled: owned */
    long       elapsed_ms;  /* since job_start() */
} JobEvent;

/* Frees what ev owns and zeroes it. */
void job_event_clear(JobEvent *ev);

/* "started", "progress", "log", "backup", "finished"; "ok", "failed",
 * "cancelled". */
const char *job_event_kind_name(JobEventKind k);
const char *job_outcome_name(JobOutcome o);

/* ---- generic jobs ---------------------------------------------------- */

/* The work, run on the worker thread with the job's own open connection.
 * Returns 0 with *summary (xmalloc'd; may stay NULL) the one-line outcome,
 * or -1 with err filled.  It reports as it goes with job_progress(),
 * job_log() and job_backup_written(), and checks job_cancel_requested()
 * between steps. */
typedef int (*JobFn)(Job *job, DbConn *conn, void *arg, char **summary, DbError *err);

typedef struct JobSpec {
    const char *title;              /* what runs, e.g. "up": copied */
    const char *url;                /* copied; NULL = DATABASE_URL */
    JobFn       run;
    void       *arg;                /* taken over, even when job_start fails */
    void      (*free_arg)(void *arg);  /* may be NULL */
    const Session *session;         /* borrowed, must outlive the job; when
                                       given, the connection is opened as
                                       session_open() opens one (read-only,
                                       statement timeout, lock wait) and url
                                       is not used */
} JobSpec;

/* Starts the worker thread.  Fails only when no thread can be made
 * (DB_ERR_IO); *out is NULL then and arg has been freed.  A connection
 * that cannot be opened is reported as a failed JOB_FINISHED. */
int  job_start(Job **out, const JobSpec *spec, DbError *err);

/* Takes the oldest queued event into *ev (which the caller clears) and
 * returns true, or returns false when none is queued.  Never blocks for
 * longer than a queue lock. */
bool job_poll(Job *j, JobEvent *ev);

/* Asks the job to stop (see above); any thread, any time, repeatable. */
void job_cancel(Job *j);

/* true once job_cancel() was called. */
bool job_cancel_requested(Job *j);

/* true once job_poll() has returned the JOB_FINISHED event. */
bool job_finished(const Job *j);

const char *job_title(const Job *j);
long        job_elapsed_ms(const Job *j);

/* Cancels the job when it still runs, waits for the worker to end, and
 * frees the job, its queued events and its argument.  NULL is fine. */
void job_free(Job *j);

/* ---- for the work (worker thread) ------------------------------------ */

void job_progress(Job *j, size_t index, size_t total, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void job_log(Job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void job_backup_written(Job *j, const char *path, long long bytes);
/* The handle to pass to alembic_run() so that job_cancel() reaches it. */
AlembicRun *job_alembic_handle(Job *j);

/* ---- an action, as the console runs it (job_tasks.c) ---------------- */

/* Runs plan (taken over: *plan is zeroed; it may borrow from session,
 * which must outlive the job) through action_execute() on the job's own
 * connection (session_open), with the guard of action.h: the run lock,
 * the plan checked again, the backup when backup (destructive actions;
 * JOB_BACKUP), the run, its effect checked on the database.  Events: a
 * JOB_PROGRESS per step starting, a JOB_LOG per step done ("applied
 * 0003_x (12 ms)") and per line of a tool's output; cancel stops the
 * running statement, a tool's child, or the run before the next step.
 * The JOB_FINISHED text is the action's outcome, or its error. */
struct ActionPlan;
int  job_start_action(Job **out, const Session *session, struct ActionPlan *plan, bool backup,
                      const char *title, DbError *err);

#endif
