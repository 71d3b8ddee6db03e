/* pane.h: the console's panes, each a const class in one registry.
 *
 * A pane is a subclass of Pane (Pane first member) described by a const
 * PaneClass.  The App creates one instance per registry row, calls reload()
 * before the pane is first drawn and on 'r', draw() whenever the screen is
 * redrawn, and on_key()/on_click() for input the console did not take
 * itself.  Handlers only change the pane's model and return flags; they
 * never refresh the screen: only the main loop calls doupdate().
 *
 * Long work (a migration, a backup) runs as a job (core/job.h): the pane
 * starts it into ctx->jobs when that slot is free, and the main loop hands
 * it the job's events through on_job_event() until the job has finished.
 * Reading that may be dropped at any time (the catalog) runs as jobs of the
 * pane's own, outside that slot (q does not wait for them): the main loop
 * calls the pane's poll() on every turn. 
 *
 * Adding a pane (nothing else: no edit to the App, the context, keys.h or
 * the console's options):
 *   1. its core file(s): the model and its queries (core/, no curses);
 *   2. its action rows, when it changes anything (core/action_<topic>.c, a
 *      line in action_table[]; the console runs them with job_start_action);
 *   3. tui/console/pane_<name>.c: a PaneClass; its lists are ListModes
 *      (listmode.h), its texts TextViews (textview.h); its own key actions
 *      numbered from ACT_PANE_FIRST in a KeyTable of its own, listed in
 *      .keys/.more_keys (help) and returned by .view_keys (bottom bar);
 *      settings read from ctx->session->cfg; confirmation in a Dialog;
 *   4. one registry row (and its extern) in pane.c;
 *   5. the file in tui/console/console.cmake, its tests in tests/.  */
#ifndef DBW_PANE_H
#define DBW_PANE_H

#include <stdbool.h>
#include <stddef.h>

#include "colors.h"
#include "db.h"
#include "job.h"
#include "keys.h"
#include "migrate.h"
#include "session.h"

typedef struct Pane Pane;

/* The App's one job slot (at most one job at a time per App).  A pane
 * that starts a job (job.h) stores it here with itself as owner, only
 * when job is NULL; the main loop then polls it, hands each event to the
 * owner's on_job_event() and frees the job after JOB_FINISHED. */
typedef struct PaneJobs {
    Job  *job;     /* the running job, or NULL */
    Pane *owner;   /* the pane that started it */
} PaneJobs;

/* What panes read; owned by the App, outlives every pane. */
typedef struct PaneContext {
    Session      *session;          /* every setting, the migrations folder, the
                                       connection: read them here, never copy them */
    DbConn       *conn;             /* session->conn, the console's connection */
    const Palette *pal;
    PaneJobs     *jobs;             /* the App's job slot */
    /* Puts text in the status bar until the next key (host: the App). */
    void        (*say)(void *host, bool error, const char *text);
    void         *host;
} PaneContext;

typedef enum PaneResult {
    PANE_IGNORED = 0,   /* not for this pane: the console tries its own keys */
    PANE_HANDLED = 1,   /* taken, nothing on screen changed */
    PANE_REDRAW = 2     /* taken, and the screen must be redrawn */
} PaneResult;

typedef struct PaneClass PaneClass;

/* A key of a pane that runs an action row (core/action.h), by the row's
 * name: `dbwarden keys` lists them, and a test proves every row has one. */
typedef struct PaneActionKey {
    const char *action;   /* the row's name: "down" */
    KeyAction   key;      /* the pane's key action that runs it */
} PaneActionKey;

struct Pane {
    const PaneClass   *cls;
    const PaneContext *ctx;
    bool               loaded;   /* reload() has run at least once */
};

struct PaneClass {
    const char     *title;   /* tab label */
    const KeyTable *keys;    /* the pane's own keys for help; may be NULL */
    /* Further tables of its keys for help, NULL-terminated; may be NULL. */
    const KeyTable *const *more_keys;
    /* The keys that run action rows, ended by { NULL }; may be NULL. */
    const PaneActionKey *action_keys;
    /* Allocates the pane (cls and ctx set); loads nothing yet. */
    Pane      *(*create)(const PaneClass *cls, const PaneContext *ctx);
    /* (Re)reads the pane's data from the database; errors are kept in the
     * pane and drawn, never fatal. */
    void       (*reload)(Pane *self);
    /* Draws the whole pane into win (erased by the caller). */
    void       (*draw)(Pane *self, WINDOW *win);
    /* A key; the pane looks it up in its own table. */
    PaneResult (*on_key)(Pane *self, int key);
    /* A click at (y, x) of the pane's window; may be NULL. */
    PaneResult (*on_click)(Pane *self, int y, int x);
    /* An event of the job this pane started (PaneJobs); may be NULL. */
    PaneResult (*on_job_event)(Pane *self, const JobEvent *ev);
    /* Work of the pane's own between keys (jobs outside PaneJobs): called on
     * every turn of the main loop for every pane; returns PANE_REDRAW when
     * the pane's look changed, and sets *busy while the work goes on (the
     * loop then turns at least every 100 ms).  May be NULL. */
    PaneResult (*poll)(Pane *self, bool *busy);
    /* The key tables of the view in front, most particular first, into
     * out (at most max); returns how many.  The bottom bar shows their
     * rows that carry a hint, as lazygit and k9s do.  May be NULL. */
    size_t     (*view_keys)(Pane *self, const KeyTable **out, size_t max);
    /* Frees the pane and everything it owns. */
    void       (*destroy)(Pane *self);
};

/* The panes in tab order (pane.c: each pane's class is declared there, by
 * its registry row). */
extern const PaneClass *const pane_registry[];
extern const size_t pane_registry_count;

#define PANE_MAX 9

/* Wrappers, so callers never touch the vtable directly. */
static inline void pane_reload(Pane *p)
{
    p->cls->reload(p);
    p->loaded = true;
}

static inline void pane_draw(Pane *p, WINDOW *w)
{
    if (!p->loaded)
        pane_reload(p);
    p->cls->draw(p, w);
}

static inline PaneResult pane_key(Pane *p, int key)
{
    return p->cls->on_key ? p->cls->on_key(p, key) : PANE_IGNORED;
}

static inline PaneResult pane_click(Pane *p, int y, int x)
{
    return p->cls->on_click ? p->cls->on_click(p, y, x) : PANE_IGNORED;
}

static inline PaneResult pane_job_event(Pane *p, const JobEvent *ev)
{
    return p->cls->on_job_event ? p->cls->on_job_event(p, ev) : PANE_IGNORED;
}

static inline PaneResult pane_poll(Pane *p, bool *busy)
{
    return p->cls->poll ? p->cls->poll(p, busy) : PANE_IGNORED;
}

static inline size_t pane_view_keys(Pane *p, const KeyTable **out, size_t max)
{
    return p->cls->view_keys ? p->cls->view_keys(p, out, max) : 0;
}

static inline void pane_destroy(Pane *p)
{
    if (p)
        p->cls->destroy(p);
}

/* The console's connection, opened again when it was lost (the server
 * restarted) or when lost says a statement found it gone; says so.  false
 * (with the reason said) when it cannot be. */
bool pane_reconnect(const Pane *p, bool lost);

/* Shows text in the status bar (error: in the error style) through the
 * App's say hook, and keeps it in the messages (m); a no-op when p is
 * NULL or has no hook. */
void pane_say(const Pane *p, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Shared drawing: the pane's title on line 0 in title style; returns the
 * column after it, where pane_add() can go on. */
int pane_draw_title(WINDOW *w, const Pane *p);

/* Shared drawing: text at (y, x) in slot, clipped to the window; returns
 * the column after it. */
int pane_add(WINDOW *w, const Pane *p, int y, int x, ThemeSlot slot, const char *text);

/* Shared drawing: "what: message" in status.error style, word-wrapped
 * from line y over at most max_lines lines; returns the lines used. */
int pane_draw_error(WINDOW *w, const Pane *p, int y, int max_lines, const char *what,
                    const char *message);

#endif
