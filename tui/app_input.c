/* app_input.c: what a key or a mouse event does (see app.h).  The key
 * goes to the help overlay when it is open, else to the current pane, then
 * to the global table (keys.h). */
#include "app.h"

#include <stdlib.h>

#define WHEEL_ROWS 3

static void run_action(App *a, KeyAction act, int index)
{
    switch (act) {
    case ACT_QUIT:
        a->quit = true;
        break;
    case ACT_HELP:
        a->help = true;
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
        pane_reload(a->panes[a->active]);
        app_set_message(a, false, "Reloaded %s.", a->titles[a->active]);
        break;
    case ACT_REPAINT:
        clearok(curscr, TRUE);
        a->redraw = true;
        break;
    case ACT_INTERRUPT:
        app_set_message(a, false, "Nothing is running. Press q to quit.");
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
        a->quit = keys_action(&keys_global, key) == ACT_QUIT;
        return;
    }
    if (a->help) {
        if (keys_action(&keys_help, key) == ACT_CLOSE) {
            a->help = false;
            a->redraw = true;
        }
        return;
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
