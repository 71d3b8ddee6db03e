/* pane_integrity.c: the Integrity pane: every check of the database
 * (orphans of declared and inferred foreign keys, lints, the engine's own
 * checks) run off the console thread when the pane is first shown and on
 * r, problems first with their counts; Enter for a check's detail and
 * offending rows; c checks the selected one again alone; e exports its
 * orphan rows to a file (CSV or JSON); d/s fix the orphans, a/u accept or take it back, M
 * writes an inferred key's migration, each through the shared guard.
 * See pane_integrity_internal.h for how the files divide the work. */
#include "pane_integrity_internal.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const KeyBinding int_items[] = {
    { { '\r', '\n', KEY_ENTER }, "Enter", ACT_OPEN,
      "the selected check: why, its SQL, its orphan rows", "open" },
    { { 'd' }, "d", INT_ACT_DELETE, "delete the check's orphans (asks; backup and inverse SQL "
      "first)", "delete" },
    { { 's' }, "s", INT_ACT_SET_NULL, "set the orphans' key to NULL (asks; backup and inverse "
      "SQL first)", "set NULL" },
    { { 'a' }, "a", INT_ACT_ACCEPT, "accept the check at its count (a reason is asked first)",
      "accept" },
    { { 'c' }, "c", INT_ACT_RECHECK, "check the selected check again, alone (its line is "
      "updated; Esc stops it)", "recheck" },
    { { 'e' }, "e", INT_ACT_EXPORT, "export the check's orphan rows to a file: CSV, or JSON "
      "for a name ending in .json (the name is asked; replacing a file asks)", "export" },
    { { 'u' }, "u", INT_ACT_UNACCEPT, "take the acceptance of the check back", NULL },
    { { 'M' }, "M", INT_ACT_MIGRATION, "write the migration that declares an inferred key",
      NULL },
    { { KEY_ESC }, "Esc", ACT_BACK, "stop the running checks (Ctrl-C too; the rest are "
      "cancelled), a recheck, an export or a page of rows being read; else back", NULL },
};

static const KeyBinding detail_items[] = {
    { { 'v' }, "v", INT_ACT_FOCUS, "keys to the rows, or to the text (why, SQL)", "rows/text" },
    { { KEY_ESC }, "Esc", ACT_BACK, "back to the list of checks", "back" },
};

static const KeyTable keys_integrity = { "Integrity: checks and fixes", int_items,
                                         COUNT(int_items) };
static const KeyTable keys_detail = { "Integrity: a check's detail (Enter)", detail_items,
                                      COUNT(detail_items) };
static const KeyTable *const more_keys[] = { &keys_integrity, &keys_detail, &keys_listmode,
                                             &keys_textview, &keys_dialog, &keys_lineedit,
                                             NULL };

static const PaneActionKey action_keys[] = {
    { "fix", INT_ACT_DELETE }, { "fix", INT_ACT_SET_NULL }, { "accept", INT_ACT_ACCEPT },
    { "unaccept", INT_ACT_UNACCEPT }, { "fk-migration", INT_ACT_MIGRATION },
    { NULL, ACT_NONE },
};

static Pane *int_create(const PaneClass *cls, const PaneContext *ctx)
{
    IntPane *ip = xcalloc(1, sizeof *ip);
    ip->base.cls = cls;
    ip->base.ctx = ctx;
    ip->err = (DbError)DB_ERROR_INIT;
    int_list_init(ip);
    int_detail_init(ip);
    actrun_init(&ip->act, &ip->base);
    return &ip->base;
}

/* First shown, and r: the checks run again (the detail stays open on its
 * check until Esc). */
static void int_reload(Pane *self)
{
    int_run_start((IntPane *)self);
}

static void int_draw(Pane *self, WINDOW *w)
{
    IntPane *ip = (IntPane *)self;
    int height = actrun_draw_progress(&ip->act, w);
    if (int_run_running(ip)) {
        height--;
        task_draw(&ip->task, w, height, self->ctx->pal);
    }
    if (int_one_running(ip)) {
        height--;
        task_draw(&ip->one_task, w, height, self->ctx->pal);
    }
    if (int_export_running(ip)) {
        height--;
        task_draw(&ip->export_task, w, height, self->ctx->pal);
    }
    int_header_draw(ip, w, 0);
    int y = 1;
    if (ip->err.message)
        y += pane_draw_error(w, self, y, 2, ip->have_list ? "The checks stopped"
                             : "Cannot run the integrity checks", ip->err.message);
    else if (ip->stopped) {
        pane_add(w, self, y, 0, SLOT_STATE_PENDING, ip->stopped);
        y++;
    } else if (ip->act.last) {
        pane_add(w, self, y, 0, ip->act.last_failed ? SLOT_STATUS_ERROR : SLOT_DIM, ip->act.last);
        y++;
    }
    y = y < 2 ? 2 : y;
    if (ip->view == IVIEW_DETAIL)
        int_detail_draw(ip, w, y, height - y);
    else if (ip->have_list)
        int_list_draw(ip, w, y, height - y);
    int_reason_draw(ip, w);
    int_export_draw(ip, w);
    actrun_draw_dialog(&ip->act, w);
}

/* Esc: stop the running checks, else out of the detail. */
static PaneResult back(IntPane *ip)
{
    if (int_run_running(ip)) {
        int_run_stop(ip);
        return PANE_REDRAW;
    }
    if (int_one_running(ip)) {
        int_one_stop(ip);
        return PANE_REDRAW;
    }
    if (int_export_running(ip)) {
        int_export_stop(ip);
        return PANE_REDRAW;
    }
    if (actrun_stop(&ip->act))
        return PANE_REDRAW;
    if (int_rows_more_running(ip)) {
        int_rows_more_stop(ip);
        return PANE_REDRAW;
    }
    if (ip->view == IVIEW_DETAIL) {
        int_detail_close(ip);
        return PANE_REDRAW;
    }
    return PANE_IGNORED;
}

static PaneResult run_key(IntPane *ip, KeyAction act)
{
    switch (act) {
    case ACT_OPEN:
        if (ip->view == IVIEW_LIST)
            int_detail_open(ip);
        return PANE_REDRAW;
    case ACT_BACK: return back(ip);
    case INT_ACT_FOCUS:
        if (ip->view != IVIEW_DETAIL)
            return PANE_IGNORED;
        ip->focus_rows = !ip->focus_rows;
        return PANE_REDRAW;
    case INT_ACT_RECHECK:
        int_one_start(ip);
        return PANE_REDRAW;
    case INT_ACT_EXPORT: return int_export_start(ip);
    case INT_ACT_DELETE:
    case INT_ACT_SET_NULL:
    case INT_ACT_ACCEPT:
    case INT_ACT_UNACCEPT:
    case INT_ACT_MIGRATION:
        if (int_run_running(ip)) {
            pane_say(&ip->base, true, "The checks are running: wait for them, or stop them "
                     "with Esc.");
            return PANE_REDRAW;
        }
        return int_action_start(ip, act);
    default: return PANE_IGNORED;
    }
}

static bool prompting(const IntPane *ip)
{
    return ip->view == IVIEW_LIST ? lm_prompting(&ip->lm)
           : (ip->rows && lm_prompting(&ip->grid.lm)) || tv_prompting(&ip->text);
}

static PaneResult int_key(Pane *self, int key)
{
    IntPane *ip = (IntPane *)self;
    if (actrun_open(&ip->act))
        return actrun_key(&ip->act, key);
    if (ip->asking)
        return int_reason_key(ip, key);
    if (int_export_open(ip))
        return int_export_key(ip, key);
    /* Esc (or Ctrl-C) stops the running checks before it clears a filter */
    if ((key == KEY_ESC || key == KEY_CTRL('c')) && (int_run_running(ip) || int_one_running(ip) ||
                                                     int_export_running(ip)) &&
        !prompting(ip))
        return back(ip);
    bool taken = ip->view == IVIEW_LIST ? lm_key(&ip->lm, key) != LM_IGNORED
                                        : int_detail_key(ip, key);
    if (taken)
        return PANE_REDRAW;
    KeyAction act = keys_action(&keys_integrity, key);
    if (act == ACT_NONE && ip->view == IVIEW_DETAIL)
        act = keys_action(&keys_detail, key);
    return run_key(ip, act);
}

static PaneResult int_click(Pane *self, int y, int x)
{
    (void)x;
    IntPane *ip = (IntPane *)self;
    if (actrun_open(&ip->act) || ip->asking || int_export_open(ip))
        return PANE_HANDLED;
    if (ip->view == IVIEW_LIST)
        return lm_click(&ip->lm, y) ? PANE_REDRAW : PANE_IGNORED;
    if (!ip->rows || !lm_click(&ip->grid.lm, y))
        return PANE_IGNORED;
    int_rows_more_check(ip);
    return PANE_REDRAW;
}

static PaneResult int_job_event(Pane *self, const JobEvent *ev)
{
    IntPane *ip = (IntPane *)self;
    PaneResult r = actrun_event(&ip->act, ev);
    if (actrun_take_finished(&ip->act))
        int_run_start(ip);   /* the counts again, from the database */
    return r;
}

static PaneResult int_poll(Pane *self, bool *busy)
{
    IntPane *ip = (IntPane *)self;
    bool changed = int_run_poll(ip);
    changed = int_one_poll(ip) || changed;
    changed = int_export_poll(ip) || changed;
    changed = int_rows_poll(ip) || changed;
    if (int_run_running(ip) || int_one_running(ip) || int_export_running(ip) ||
        task_running(&ip->rows_task) || int_rows_more_running(ip))
        *busy = true;
    return changed ? PANE_REDRAW : PANE_IGNORED;
}

static size_t int_view_keys(Pane *self, const KeyTable **out, size_t max)
{
    IntPane *ip = (IntPane *)self;
    const KeyTable *t[3] = { NULL, NULL, NULL };
    if (actrun_open(&ip->act) || ip->overwrite)
        t[0] = &keys_dialog;
    else if (ip->asking || ip->naming || prompting(ip))
        t[0] = &keys_lineedit;
    else if (ip->view == IVIEW_LIST) {
        t[0] = &keys_integrity;
        t[1] = &keys_listmode;
    } else {
        t[0] = &keys_detail;
        t[1] = &keys_integrity;
        t[2] = ip->focus_rows && ip->rows ? &keys_listmode : &keys_textview;
    }
    size_t n = 0;
    for (size_t i = 0; i < 3 && t[i] && n < max; i++)
        out[n++] = t[i];
    return n;
}

static void int_destroy(Pane *self)
{
    IntPane *ip = (IntPane *)self;
    int_detail_free(ip);
    int_one_free(ip);
    int_export_free(ip);
    int_run_free(ip);
    int_actions_free(ip);
    lm_free(&ip->lm);
    free(ip);
}

const PaneClass pane_integrity_class = {
    .title = "Integrity",
    .keys = &keys_list,
    .more_keys = more_keys,
    .action_keys = action_keys,
    .create = int_create,
    .reload = int_reload,
    .draw = int_draw,
    .on_key = int_key,
    .on_click = int_click,
    .on_job_event = int_job_event,
    .poll = int_poll,
    .view_keys = int_view_keys,
    .destroy = int_destroy,
};
