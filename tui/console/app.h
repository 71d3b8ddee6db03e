/* app.h: the console's state and main loop.
 *
 * Order of calls (console.c): curses started -> app_init() -> app_run()
 * until the user quits -> app_free() -> curses ended.  Input handlers
 * (app_input.c) change the state and set redraw; app_run() is the only
 * place that draws the screen and calls doupdate(). */
#ifndef DBW_APP_H
#define DBW_APP_H

#include <stdbool.h>

#include "colors.h"
#include "msglog.h"
#include "console.h"
#include "pane.h"
#include "tabs.h"
#include "theme.h"

#define APP_MIN_COLS 40
#define APP_MIN_LINES 8

typedef struct App {
    const ConsoleOptions *opt;     /* borrowed */
    Theme        theme;
    Palette      pal;
    PaneContext  ctx;              /* what the panes read; points into App */
    Pane        *panes[PANE_MAX];  /* one per pane_registry row */
    const char  *titles[PANE_MAX];
    int          npanes;
    int          active;           /* index of the pane shown */
    bool         help;             /* help overlay open */
    bool         quit;
    bool         redraw;           /* the screen must be drawn again */
    bool         too_small;        /* the terminal is under the minimum */
    int          lines, cols;      /* screen size at the last layout */
    WINDOW      *tabs, *body, *status;  /* NULL while too_small */
    TabLayout    tab_layout;
    char        *message;          /* owned: status-bar message, or NULL */
    bool         message_error;
    MsgLog       messages;         /* every message, for m */
    PaneJobs     jobs;             /* the one job slot (pane.h) */
    long         job_second;       /* elapsed second of the job at the last redraw */
    bool         busy;             /* a pane works between keys (pane_poll) */
    int          help_first;       /* first help section shown (paging) */
} App;

/* Loads the theme (NO_COLOR or no colours: "mono"), sets up the colours
 * and creates the panes.  A theme that fails to load leaves the built-in
 * theme and a status-bar message.  Curses must be running.  The App must
 * not move in memory afterwards (panes point into it). */
void app_init(App *a, const ConsoleOptions *opt);

/* Runs the main loop until the user quits; returns the exit status (0).
 * While a job runs it waits for keys at most 100 ms, drains the job's
 * events into the owning pane and redraws; 'q' is refused until the job
 * ends (Ctrl-C stops it). */
int  app_run(App *a);

/* Stops and waits for a running job, then destroys the panes, windows
 * and theme. */
void app_free(App *a);

/* Recreates the windows for the current screen size and flags a redraw;
 * called at start and on KEY_RESIZE. */
void app_layout(App *a);

/* Shows the pane at index (taken modulo the pane count) and flags a redraw. */
void app_select(App *a, int index);

/* Replaces the status-bar message; it stays until the next key. */
void app_set_message(App *a, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Handles one key from wget_wch (KEY_RESIZE and KEY_MOUSE included);
 * app_input.c. */
void app_handle_key(App *a, int key);

/* Hands the running job's queued events to the pane that started it,
 * frees the job after its last event, and flags a redraw when anything
 * came; app_input.c. */
void app_poll_job(App *a);

/* Lets every pane take what its own work brought (pane_poll); flags a
 * redraw when the pane shown changed, sets a->busy; app_input.c. */
void app_poll_panes(App *a);

#endif
