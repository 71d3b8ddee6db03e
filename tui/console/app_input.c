/* app_input.c: what a key or a mouse event does (see app.h).  The key
 * goes to the help overlay when it is open, else to the current pane, then
 * to the global table (keys.h). */
#include "app.h"

#include <stdlib.h>

#define WHEEL_ROWS 3

/* r: reload the pane; a connection that was lost (the server restarted)
 * is opened again first, and the message says so. */
static void reload(App *a)
{
    DbConn *c = a->ctx.conn;
    Pane *p = a->panes[a->active];
    if (db_alive(c)) {
        pane_reload(p);
        if (db_alive(c)) {   /* libpq only sees a lost session when it is used */
            app_set_message(a, false, "Reloaded %s.", a->titles[a->active]);
            return;
        }
    }
    DbError err = DB_ERROR_INIT;
    if (db_reconnect(c, &err) != 0) {
        pane_reload(p);   /* shows the error in place of its content */
        app_set_message(a, true, "The connection to %s is lost and cannot be opened again: "
                        "%s", db_display_url(c), err.message);
        db_error_clear(&err);
        return;
    }
    pane_reload(p);
    app_set_message(a, false, "Reconnected to %s; reloaded %s.", db_display_url(c),
                    a->titles[a->active]);
}

static void run_action(App *a, KeyAction act, int index)
{
    switch (act) {
    case ACT_QUIT:
        if (a->jobs.job)
            app_set_message(a, true, "%s is running: Ctrl-C stops it, then q quits",
                            job_title(a->jobs.job));
        else
            a->quit = true;
        break;
    case ACT_MESSAGES:
        msglog_open(&a->messages);
        a->redraw = true;
        break;
    case ACT_HELP:
        a->help = true;
        a->help_first = 0;
        a->redraw = true;
        break;
    case ACT_NEXT_PANE:
        app_select(a, a->active + 1);
        break;
    case ACT_PREV_PANE:
        app_select(a, a->active - 1);
        break;
    case ACT_GOTO_PANE:
        if (index < a->npanes)
            app_select(a, index);
        break;
    case ACT_RELOAD:
        reload(a);
        break;
    case ACT_REPAINT:
        clearok(curscr, TRUE);
        a->redraw = true;
        break;
    case ACT_INTERRUPT:
        if (a->jobs.job) {
            job_cancel(a->jobs.job);
            app_set_message(a, false, "Stopping %s...", job_title(a->jobs.job));
        } else {
            app_set_message(a, false, "Nothing is running. Press q to quit.");
        }
        break;
    default:
        break;
    }
}

static void feed_pane(App *a, int key, int times)
{
    for (int i = 0; i < times; i++)
        if (pane_key(a->panes[a->active], key) & PANE_REDRAW)
            a->redraw = true;
}

static void handle_mouse(App *a)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || a->too_small)
        return;
    mmask_t click = BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON1_PRESSED;
    if (a->help) {
        if (ev.bstate & click) {
            a->help = false;
            a->redraw = true;
        }
        return;
    }
    if (ev.bstate & BUTTON4_PRESSED)
        feed_pane(a, KEY_UP, WHEEL_ROWS);
    else if (ev.bstate & BUTTON5_PRESSED)
        feed_pane(a, KEY_DOWN, WHEEL_ROWS);
    if (!(ev.bstate & click))
        return;
    if (ev.y == 0) {
        int tab = tabs_hit(&a->tab_layout, ev.x);
        if (tab >= 0)
            app_select(a, tab);
    } else if (ev.y < a->lines - 1) {
        if (pane_click(a->panes[a->active], ev.y - 1, ev.x) & PANE_REDRAW)
            a->redraw = true;
    }
}

void app_handle_key(App *a, int key)
{
    if (a->message && key != KEY_RESIZE) {
        free(a->message);
        a->message = NULL;
        a->redraw = true;
    }
    if (key == KEY_RESIZE) {
        app_layout(a);
        return;
    }
    if (key == KEY_MOUSE) {
        handle_mouse(a);
        return;
    }
    if (a->too_small) {
        /* only q works here, and like anywhere it waits for a running job */
        if (keys_action(&keys_global, key) == ACT_QUIT)
            run_action(a, ACT_QUIT, 0);
        return;
    }
    if (a->help) {
        KeyAction act = keys_action(&keys_help, key);
        if (act == ACT_CLOSE)
            a->help = false;
        else if (act == ACT_PAGE_DOWN)
            a->help_first++;          /* draw_help() keeps it in range */
        else if (act == ACT_PAGE_UP && a->help_first > 0)
            a->help_first--;
        a->redraw |= act != ACT_NONE;
        return;
    }
    if (a->messages.open) {
        if (msglog_key(&a->messages, key)) {
            a->redraw = true;
            return;
        }
        if (keys_action(&keys_global, key) == ACT_HELP)
            run_action(a, ACT_HELP, 0);
        return;   /* the box is modal but for help */
    }
    PaneResult r = pane_key(a->panes[a->active], key);
    if (r != PANE_IGNORED) {
        a->redraw |= (r & PANE_REDRAW) != 0;
        return;
    }
    int index = 0;
    const KeyBinding *b = keys_lookup(&keys_global, key, &index);
    if (b)
        run_action(a, b->action, index);
}

void app_poll_job(App *a)
{
    Job *j = a->jobs.job;
    if (!j)
        return;
    JobEvent ev;
    bool finished = false;
    while (job_poll(j, &ev)) {
        if (a->jobs.owner)
            pane_job_event(a->jobs.owner, &ev);
        if (ev.kind == JOB_FINISHED) {
            finished = true;
            if (ev.outcome == JOB_OK)
                app_set_message(a, false, "%s: done: %s", job_title(j), ev.text);
            else
                app_set_message(a, true, "%s %s: %s", job_title(j),
                                job_outcome_name(ev.outcome), ev.text);
        }
        job_event_clear(&ev);
        a->redraw = true;
    }
    long second = job_elapsed_ms(j) / 1000;
    if (second != a->job_second) {   /* the elapsed time on screen */
        a->job_second = second;
        a->redraw = true;
    }
    if (finished) {
        job_free(j);
        a->jobs = (PaneJobs){ NULL, NULL };
    }
}

void app_poll_panes(App *a)
{
    a->busy = false;
    for (int i = 0; i < a->npanes; i++) {
        bool busy = false;
        if ((pane_poll(a->panes[i], &busy) & PANE_REDRAW) && i == a->active)
            a->redraw = true;
        a->busy |= busy;
    }
}
