/* progress.h: the progress line of a running job.
 *
 * A pane that starts a job calls progress_begin(), feeds it the job's
 * events with progress_event() (PROGRESS sets the step, LOG the last line
 * of output, FINISHED ends it), and draws it with progress_draw() on one
 * line: the job, "i of n" with a bar (or the last output line when the
 * number of steps is unknown), the step, the elapsed time, and how to
 * stop it.  No curses state is kept: it can be drawn at any width. */
#ifndef DBW_PROGRESS_H
#define DBW_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "colors.h"
#include "job.h"

typedef struct Progress {
    bool            active;      /* a job runs */
    bool            stopping;    /* cancel was asked for */
    char           *title;       /* owned: "up", "down", "restore" ... */
    char           *step;        /* owned: the step running, or NULL */
    char           *last_line;   /* owned: the last log line, or NULL */
    size_t          index, total;
    struct timespec t0;          /* when it began (monotonic) */
} Progress;

void progress_begin(Progress *p, const char *title);
void progress_event(Progress *p, const JobEvent *ev);
void progress_stopping(Progress *p);
void progress_end(Progress *p);    /* frees what it holds; active = false */

/* Milliseconds since progress_begin(). */
long progress_elapsed_ms(const Progress *p);

/* Draws the line at y of w (full width); nothing when not active. */
void progress_draw(WINDOW *w, int y, const Progress *p, const Palette *pal);

#endif
