/* pane_licenses_act.c: moving a license to another state from the
 * Licenses pane: which license (the selected row of an anomaly over the
 * licenses table, one of the user's licenses, or its id typed), which
 * state (those the transitions allow from where it is), why (a reason is
 * required: it is written with the event and the audit entry); then the
 * action row license-set through the shared guard (actrun.h): planned,
 * confirmed in a dialog that shows the SQL, run under the run lock, its
 * three rows checked before it says ok. */
#include "pane_licenses_internal.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lic_set_clear(LicPane *lp)
{
    choice_free(lp->states);
    lp->states = NULL;
    strv_free(lp->state_words);
    lp->state_words = NULL;
    free(lp->set_license);
    free(lp->set_from);
    free(lp->set_state);
    lp->set_license = lp->set_from = lp->set_state = NULL;
    lp->ask = LIC_ASK_NONE;
}

const char *lic_ask_prompt(const LicPane *lp)
{
    switch (lp->ask) {
    case LIC_ASK_USER: return "User (id, email, username, or a pattern): ";
    case LIC_ASK_LICENSE: return "Move which license (its id): ";
    case LIC_ASK_REASON: return "Why (written with the event and the audit entry): ";
    default: return "";
    }
}

static void ask(LicPane *lp, LicAsk what, const char *prefill)
{
    lp->ask = what;
    lineedit_clear(&lp->edit);
    for (const char *p = prefill; p && *p; p++)
        lineedit_key(&lp->edit, (unsigned char)*p);
}

/* The states the license may go to from `from` (NULL: unknown: every
 * state), as a Choice. */
static void offer_states(LicPane *lp)
{
    const BillModel *m = &lp->model;
    char **words = NULL;
    size_t n = 0;
    for (size_t i = 0; lp->have_model && i < m->licenses.nstates; i++) {
        const char *to = m->licenses.by_state[i].key;
        bool ok = !lp->set_from;
        for (size_t k = 0; !ok && k < m->ntransitions; k++)
            ok = strcmp(m->transitions[k].to, to) == 0 &&
                 (!m->transitions[k].from || strcmp(m->transitions[k].from, lp->set_from) == 0);
        if (ok && !(lp->set_from && strcmp(lp->set_from, to) == 0)) {
            words = xrealloc(words, (n + 2) * sizeof *words);
            words[n++] = xstrdup(to);
            words[n] = NULL;
        }
    }
    if (n == 0) {
        pane_say(&lp->base, true, "License %s is %s: no transition leads anywhere from there "
                 "([billing] transitions).", lp->set_license, lp->set_from ? lp->set_from : "?");
        lic_set_clear(lp);
        return;
    }
    char *q = lp->set_from ? xasprintf("License %s is %s. Move it to:", lp->set_license,
                                       lp->set_from)
                           : xasprintf("License %s: move it to:", lp->set_license);
    lp->states = choice_new("Move a license", q, (const char *const *)words, n);
    lp->state_words = words;
    lp->ask = LIC_ASK_STATE;
    free(q);
}

static void with_license(LicPane *lp, const char *id, const char *from);

/* A license named by its id (typed, or one of the user's): its state is
 * read first, so that only the transitions allowed from it are offered;
 * an id no license has is said at once.  false when it was not found. */
static bool with_license_id(LicPane *lp, const char *id)
{
    const PaneContext *ctx = lp->base.ctx;
    char *state = NULL;
    DbError err = DB_ERROR_INIT;
    if (!pane_reconnect(&lp->base, false) ||
        billing_license_state(ctx->session, ctx->conn, id, &state, &err) != 0) {
        pane_say(&lp->base, true, "License %s: %s", id, err.message ? err.message
                                                                    : "cannot read it");
        db_error_clear(&err);
        return false;
    }
    if (!state) {
        pane_say(&lp->base, true, "No license has the id %s (table %s).", id,
                 billing_table(&ctx->session->cfg.billing, BT_LICENSES));
        return false;
    }
    with_license(lp, id, state);
    free(state);
    return true;
}

static void with_license(LicPane *lp, const char *id, const char *from)
{
    free(lp->set_license);
    free(lp->set_from);
    lp->set_license = xstrdup(id);
    lp->set_from = from ? xstrdup(from) : NULL;
    offer_states(lp);
}

/* The selected row of an anomaly over the licenses table: its id, state. */
static bool from_rows(LicPane *lp)
{
    const BillAnomaly *a = &lp->model.anomalies[lp->rows_of];
    const BillingSettings *b = &lp->base.ctx->session->cfg.billing;
    size_t row;
    if (!a->table || strcmp(a->table, billing_table(b, BT_LICENSES)) != 0 ||
        !lm_selected(&lp->rows.lm, &row))
        return false;
    int id = bill_col(&a->rows, "id");
    char *status = billing_column(b, BT_LICENSES, "status");
    int st = bill_col(&a->rows, status);
    free(status);
    if (id < 0 || !bill_cell(&a->rows, row, id))
        return false;
    with_license(lp, bill_cell(&a->rows, row, id), st >= 0 ? bill_cell(&a->rows, row, st) : NULL);
    return true;
}

/* The user's licenses (from the story): one is taken, several offered. */
static bool from_user(LicPane *lp)
{
    if (!lp->have_user || !lp->story.found)
        return false;
    char **ids = NULL, **items = NULL;
    size_t n = 0;
    for (size_t i = 0; i < lp->story.count; i++) {
        const BillEvent *e = &lp->story.events[i];
        if (strcmp(e->kind, "license") != 0 || !e->id)
            continue;
        ids = xrealloc(ids, (n + 2) * sizeof *ids);
        items = xrealloc(items, (n + 2) * sizeof *items);
        ids[n] = xstrdup(e->id);
        items[n++] = xasprintf("#%s  %s", e->id, e->text ? e->text : "");
        ids[n] = items[n] = NULL;
    }
    if (n == 0) {
        strv_free(ids);
        strv_free(items);
        return false;
    }
    if (n == 1) {
        with_license_id(lp, ids[0]);
        strv_free(ids);
    } else {
        lp->states = choice_new("Move a license", "Which of the user's licenses?",
                                (const char *const *)items, n);
        lp->state_words = ids;
        lp->ask = LIC_ASK_LICENSE;
    }
    strv_free(items);
    return true;
}

void lic_set_begin(LicPane *lp)
{
    DbError err = DB_ERROR_INIT;
    if (action_allowed(lp->base.ctx->session, &action_license_set, &err) != 0) {
        pane_say(&lp->base, true, "Read-only (--read-only): a license transition would change "
                 "the database; nothing was done.");
        db_error_clear(&err);
        return;
    }
    lic_set_clear(lp);
    if (lp->view == LIC_VIEW_ROWS && from_rows(lp))
        return;
    if (lp->view == LIC_VIEW_USER && from_user(lp))
        return;
    ask(lp, LIC_ASK_LICENSE, NULL);
}

static void start(LicPane *lp, const char *reason)
{
    char *arg = billing_set_arg(lp->set_license, lp->set_state, reason, NULL);
    char *title = xasprintf("license %s to %s", lp->set_license, lp->set_state);
    actrun_start(&lp->act, &action_license_set, arg, title);
    free(title);
    free(arg);
    lic_set_clear(lp);
}

void lic_ask_accept(LicPane *lp)
{
    const char *text = lp->edit.buf;
    switch (lp->ask) {
    case LIC_ASK_USER:
        lp->ask = LIC_ASK_NONE;
        if (*text)
            lic_user_find(lp, text);
        break;
    case LIC_ASK_LICENSE:
        if (!*text) {
            lic_set_clear(lp);
            break;
        }
        if (!with_license_id(lp, text))
            lineedit_clear(&lp->edit);   /* asked again */
        break;
    case LIC_ASK_REASON:
        if (!*text) {
            pane_say(&lp->base, true, "A reason is required: it is written with the event and "
                     "the audit entry.");
            break;
        }
        start(lp, text);
        break;
    default:
        break;
    }
}

PaneResult lic_states_key(LicPane *lp, int key)
{
    ChoiceResult r = choice_key(lp->states, key);
    if (r == CHOICE_PASS)
        return PANE_IGNORED;
    if (r == CHOICE_CANCELLED) {
        pane_say(&lp->base, false, "Cancelled: nothing was done.");
        lic_set_clear(lp);
    } else if (r == CHOICE_PICKED) {
        char *picked = xstrdup(lp->state_words[choice_selected(lp->states)]);
        choice_free(lp->states);
        lp->states = NULL;
        strv_free(lp->state_words);
        lp->state_words = NULL;
        if (lp->ask == LIC_ASK_LICENSE) {   /* one of the user's licenses */
            if (!with_license_id(lp, picked))
                lic_set_clear(lp);
        } else {
            lp->set_state = xstrdup(picked);
            ask(lp, LIC_ASK_REASON, NULL);
        }
        free(picked);
    }
    return PANE_REDRAW;
}
