/* pane_task.c: see pane_task.h. */
#include "pane_task.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static void task_clear(PaneTask *t)
{
    job_free(t->job);   /* cancels and waits when it still runs */
    progress_end(&t->progress);
    db_error_clear(&t->err);
    free(t->summary);
    memset(t, 0, sizeof *t);
    t->err = (DbError)DB_ERROR_INIT;
}

bool task_start(PaneTask *t, const Session *s, const char *what, JobFn fn, void *arg,
                void (*free_arg)(void *), DbError *err)
{
    task_clear(t);
    JobSpec spec = { .title = what, .run = fn, .arg = arg, .free_arg = free_arg,
                     .session = s };
    if (job_start(&t->job, &spec, err) != 0) {
        t->job = NULL;
        return false;
    }
    t->arg = arg;
    progress_begin(&t->progress, what);
    return true;
}

bool task_poll(PaneTask *t)
{
    if (!t->job || t->finished)
        return false;
    JobEvent ev;
    bool done = false;
    while (job_poll(t->job, &ev)) {
        progress_event(&t->progress, &ev);
        if (ev.kind == JOB_FINISHED) {
            done = true;
            t->finished = true;
            t->outcome = ev.outcome;
            t->summary = xstrdup(ev.text);
            t->err = ev.err;
            ev.err = (DbError)DB_ERROR_INIT;
        }
        job_event_clear(&ev);
    }
    if (done)
        progress_end(&t->progress);
    return done;
}

bool task_running(const PaneTask *t)
{
    return t->job && !t->finished;
}

bool task_moved(PaneTask *t)
{
    if (!task_running(t))
        return false;
    const Progress *p = &t->progress;
    long sec = progress_elapsed_ms(p) / 1000;
    bool moved = sec != t->drawn.sec || p->index != t->drawn.index ||
                 p->stopping != t->drawn.stopping;
    t->drawn.sec = sec;
    t->drawn.index = p->index;
    t->drawn.stopping = p->stopping;
    return moved;
}

void *task_arg(const PaneTask *t)
{
    return t->job ? t->arg : NULL;
}

void task_cancel(PaneTask *t)
{
    if (!task_running(t))
        return;
    job_cancel(t->job);
    progress_stopping(&t->progress);
}

void task_free(PaneTask *t)
{
    task_clear(t);
}

void task_draw(const PaneTask *t, WINDOW *w, int y, const Palette *pal)
{
    if (task_running(t))
        progress_draw(w, y, &t->progress, pal);
}
