/* pane_task.h: reading that a pane does in the background (the licenses'
 * counts and anomalies, a user's story, the integrity checks): a job of
 * the pane's own (core/job.h), on its own connection, outside the App's
 * one job slot, so that the console keeps answering keys and q never
 * waits for it.  The pane polls it from its poll() hook, draws a line of
 * progress while it runs (what, the step, the seconds, "Esc stops"), and
 * takes the result from the argument it gave once it has finished.
 *
 * Order of calls:
 *   task_start()     with a JobFn and its argument (the task owns it)
 *   task_poll()      from poll(): true once when it has just finished;
 *                    then t->outcome, t->err, t->summary say how
 *   task_arg()       the argument, to take the result out of
 *   task_moved()     from poll() while it runs: true when its progress
 *                    line would read differently from when last asked (a
 *                    second, a step, stopping): redraw only then, so that
 *                    the main loop goes on reading keys
 *   task_cancel()    Esc: stops the running statement
 *   task_free()      also cancels and waits */
#ifndef DBW_PANE_TASK_H
#define DBW_PANE_TASK_H

#include <stdbool.h>

#include "colors.h"
#include "job.h"
#include "pane.h"
#include "progress.h"

typedef struct PaneTask {
    Job       *job;        /* or NULL */
    void      *arg;        /* the job's argument (the job owns it) */
    Progress   progress;   /* what it does, for the line */
    bool       finished;   /* it ran to its end (t->outcome) */
    JobOutcome outcome;
    DbError    err;        /* failed or cancelled: why */
    char      *summary;    /* owned: the job's one-line outcome */
    struct {               /* the progress line when task_moved() last asked */
        long   sec;
        size_t index;
        bool   stopping;
    } drawn;
} PaneTask;

/* Starts fn(arg) on a connection of the session's; a task that runs is
 * cancelled and freed first.  false (err set) when no thread can be made
 * (arg is freed then). */
bool  task_start(PaneTask *t, const Session *s, const char *what, JobFn fn, void *arg,
                 void (*free_arg)(void *), DbError *err);
/* Takes the job's events; true when it finished now. */
bool  task_poll(PaneTask *t);
bool  task_running(const PaneTask *t);
bool  task_moved(PaneTask *t);
void *task_arg(const PaneTask *t);
void  task_cancel(PaneTask *t);
void  task_free(PaneTask *t);
/* The progress line at y of w while it runs: nothing otherwise. */
void  task_draw(const PaneTask *t, WINDOW *w, int y, const Palette *pal);

#endif
