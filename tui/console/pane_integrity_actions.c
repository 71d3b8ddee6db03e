/* pane_integrity_actions.c: the Integrity pane's changes, each an action
 * row of core/action_integrity.c run through actrun.h (read-only refuses,
 * the plan, the confirmation with the exact SQL, the backup of a
 * destructive row, the production name, the run lock, the verify):
 *   d  fix "delete:ID"      the orphans deleted
 *   s  fix "set-null:ID"    their key set to NULL
 *   a  accept               after a reason is typed (an empty one is refused)
 *   u  unaccept
 *   M  fk-migration         an inferred key's migration written
 * When the job finished, the pane runs the checks again (pane_integrity.c)
 * so that the counts on screen come from the database. */
#include "pane_integrity_internal.h"
#include "action.h"
#include "integrity_fix.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const IntegrityCheck *int_target(const IntPane *ip)
{
    if (ip->view == IVIEW_DETAIL && ip->have_detail)
        return &ip->detail;
    return int_selected(ip);
}

static bool orphan_check(const IntPane *ip, const IntegrityCheck *ck, const char *what)
{
    if (ck->group == IG_ORPHANS || ck->group == IG_INFERRED)
        return true;
    pane_say(&ip->base, true, "%s: only the orphans of a foreign key can be %s; %s is a%s "
             "check.", ck->id, what, ck->id, ck->group == IG_ENGINE ? "n engine" : " lint");
    return false;
}

static PaneResult start(IntPane *ip, const Action *row, const char *arg, const char *title)
{
    actrun_start(&ip->act, row, arg, title);
    return PANE_REDRAW;
}

static PaneResult fix(IntPane *ip, const IntegrityCheck *ck, bool del)
{
    if (!orphan_check(ip, ck, del ? "deleted" : "set to NULL"))
        return PANE_REDRAW;
    char *arg = xasprintf("%s:%s", del ? "delete" : "set-null", ck->id);
    char *title = xasprintf("%s %s.%s(%s)", del ? "delete the orphans of" : "set NULL in",
                            ck->schema, ck->table, ck->ncolumns ? ck->columns[0] : "");
    PaneResult r = start(ip, &action_fix, arg, title);
    free(arg);
    free(title);
    return r;
}

static PaneResult ask_reason(IntPane *ip, const IntegrityCheck *ck)
{
    const PaneContext *ctx = ip->base.ctx;
    DbError err = DB_ERROR_INIT;
    if (action_allowed(ctx->session, &action_accept, &err) != 0) {
        pane_say(&ip->base, true, "Read-only (--read-only): accepting %s would change the "
                 "database; nothing was done.", ck->id);
        db_error_clear(&err);
        return PANE_REDRAW;
    }
    free(ip->ask_id);
    ip->ask_id = xstrdup(ck->id);
    lineedit_clear(&ip->reason);
    ip->asking = true;
    return PANE_REDRAW;
}

PaneResult int_action_start(IntPane *ip, KeyAction act)
{
    const IntegrityCheck *ck = int_target(ip);
    if (!ck) {
        pane_say(&ip->base, true, "No check is selected.");
        return PANE_REDRAW;
    }
    switch (act) {
    case INT_ACT_DELETE: return fix(ip, ck, true);
    case INT_ACT_SET_NULL: return fix(ip, ck, false);
    case INT_ACT_ACCEPT: return ask_reason(ip, ck);
    case INT_ACT_UNACCEPT: {
        char *title = xasprintf("unaccept %s", ck->id);
        PaneResult r = start(ip, &action_unaccept, ck->id, title);
        free(title);
        return r;
    }
    case INT_ACT_MIGRATION: {
        if (ck->group != IG_INFERRED) {
            pane_say(&ip->base, true, "%s is not an inferred relationship: M writes the "
                     "migration of an inferred one.", ck->id);
            return PANE_REDRAW;
        }
        char *title = xasprintf("the migration of %s", ck->id);
        PaneResult r = start(ip, &action_fk_migration, ck->id, title);
        free(title);
        return r;
    }
    default: return PANE_IGNORED;
    }
}

/* Enter with a reason: the accept row, planned and confirmed. */
static void accept_now(IntPane *ip)
{
    const char *reason = ip->reason.buf;
    while (*reason == ' ')
        reason++;
    if (!*reason) {
        pane_say(&ip->base, true, "An acceptance needs a reason: nothing was accepted.");
        return;
    }
    char *arg = integrity_accept_arg(ip->ask_id, reason, NULL);
    char *title = xasprintf("accept %s", ip->ask_id);
    actrun_start(&ip->act, &action_accept, arg, title);
    free(arg);
    free(title);
}

PaneResult int_reason_key(IntPane *ip, int key)
{
    switch (lineedit_key(&ip->reason, key)) {
    case LINE_ACCEPT:
        ip->asking = false;
        accept_now(ip);
        return PANE_REDRAW;
    case LINE_CANCEL:
        ip->asking = false;
        pane_say(&ip->base, false, "Cancelled: nothing was accepted.");
        return PANE_REDRAW;
    default:
        return PANE_REDRAW;
    }
}

void int_reason_draw(IntPane *ip, WINDOW *w)
{
    if (!ip->asking)
        return;
    int y = getmaxy(w) - 1;
    char *prompt = xasprintf("Accept %s at its count; reason: ", ip->ask_id);
    lineedit_draw(w, y, 0, getmaxx(w), prompt, &ip->reason, ip->base.ctx->pal);
    free(prompt);
}

void int_actions_free(IntPane *ip)
{
    actrun_free(&ip->act);
    free(ip->ask_id);
    ip->ask_id = NULL;
}
