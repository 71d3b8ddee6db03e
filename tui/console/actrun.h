/* actrun.h: an action row (core/action.h) run from a pane: the one way the
 * console's panes change the database.
 *
 *   actrun_start()   the guard's first steps on the console's connection:
 *                    read-only refuses (said, nothing planned), the App's
 *                    job slot must be free, the row's plan; then a Dialog
 *                    shows it (summary, the exact SQL or command, the
 *                    backup for a destructive row, the database's name to
 *                    type on production) — the console always asks
 *   actrun_key()     the dialog's keys; yes starts job_start_action() in
 *                    the App's job slot (lock, plan again, backup, run,
 *                    verify on the job's own connection)
 *   actrun_event()   the job's events (the pane's on_job_event): the
 *                    progress line, and at the end the outcome line
 *   actrun_draw()    the progress line (bottom) and the dialog
 *
 * A pane keeps one ActRun; messages go to the status bar and the messages
 * (m). */
#ifndef DBW_ACTRUN_H
#define DBW_ACTRUN_H

#include <stdbool.h>

#include "action.h"
#include "dialog.h"
#include "pane.h"
#include "progress.h"

typedef struct ActRun {
    const Pane *pane;
    ActionPlan  plan;         /* what the dialog shows */
    bool        planned;
    char       *title;        /* owned: "fix orders.user_id", "license 12 to active" */
    Dialog     *dialog;       /* open, or NULL */
    Progress    progress;     /* the running job */
    bool        running;      /* this ActRun's job runs in the slot */
    char       *last;         /* owned: the last outcome, one line, or NULL */
    bool        last_failed;
    bool        finished;     /* a job ended since actrun_take_finished() */
} ActRun;

/* The steps, for a pane that runs rows with more of its own around them
 * (the Migrations pane: its log, a choice of branch):
 *   actrun_may_start()  read-only refuses (said: "Read-only (--read-only):
 *                       WHAT would change the database"), and the App's
 *                       job slot must be free (said which job runs)
 *   actrun_plan()       the row's plan on the console's connection, opened
 *                       again once when it was found lost
 *   actrun_dialog()     the confirmation of a plan: the summary, the
 *                       warning, the exact SQL or command, the backup of a
 *                       destructive row, the name to type on production */
bool    actrun_may_start(const Pane *pane, const Action *row, const char *what);
int     actrun_plan(const Pane *pane, const Action *row, const char *arg, ActionPlan *out,
                    DbError *err);
Dialog *actrun_dialog(const Pane *pane, const ActionPlan *p, const char *title,
                      const char *summary, const char *warning);

void actrun_init(ActRun *r, const Pane *pane);
void actrun_free(ActRun *r);

/* Plans row with arg and opens the confirmation; false (said why) when it
 * is refused or there is nothing to do. */
bool actrun_start(ActRun *r, const Action *row, const char *arg, const char *title);
bool actrun_open(const ActRun *r);   /* the dialog is open */
PaneResult actrun_key(ActRun *r, int key);
PaneResult actrun_event(ActRun *r, const JobEvent *ev);
/* true once after a job of this ActRun ended (the pane reloads then). */
bool actrun_take_finished(ActRun *r);
/* Esc while the job runs: stops it; false when none runs. */
bool actrun_stop(ActRun *r);
/* Draws the progress line on the last line of w (returns the lines left
 * above it) and the dialog over everything. */
int  actrun_draw_progress(ActRun *r, WINDOW *w);
void actrun_draw_dialog(ActRun *r, WINDOW *w);

#endif
