/* pane_seed_act.c: seeding and resetting from the Seed pane: which set (s
 * the demo set at once; S a list of the sets, the scale's number of users
 * and seed typed), what to reset (R: every seeded row, or one set the
 * ledger records); on a production database whether to force it; then the
 * action rows "seed" and "reset" through the shared guard (actrun.h):
 * read-only refused, planned, confirmed in a dialog that shows what it
 * inserts or deletes (the database's name typed on production; a backup
 * before a reset), run under the run lock, checked on the database. */
#include "pane_seed_internal.h"
#include "strv.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void seed_ask_clear(SeedPane *sp)
{
    choice_free(sp->choice);
    sp->choice = NULL;
    strv_free(sp->choice_args);
    sp->choice_args = NULL;
    lineedit_clear(&sp->edit);
    free(sp->pending_arg);
    free(sp->pending_title);
    sp->pending_arg = sp->pending_title = NULL;
    sp->pending = NULL;
    sp->ask = SEED_ASK_NONE;
}

const char *seed_ask_prompt(const SeedPane *sp)
{
    return sp->ask == SEED_ASK_SCALE
        ? "Scale: users, and a seed when not 1 (100000 or 100000 7): " : "";
}

/* Read-only refuses before anything is asked (actrun_start says it again
 * when it is reached some other way). */
static bool writable(SeedPane *sp, const Action *row, const char *what)
{
    DbError err = DB_ERROR_INIT;
    if (action_allowed(sp->base.ctx->session, row, &err) == 0)
        return true;
    pane_say(&sp->base, true, "Read-only (--read-only): %s would change the database; nothing "
             "was done.", what);
    db_error_clear(&err);
    return false;
}

/* The guard; on a production database the row refuses without force,
 * so the pane first asks whether to force it (the dialog then asks for
 * the database's name). */
static void go(SeedPane *sp, const Action *row, const char *arg, const char *title)
{
    seed_ask_clear(sp);
    if (!session_production(sp->base.ctx->session)) {
        actrun_start(&sp->act, row, arg, title);
        return;
    }
    sp->pending = row;
    sp->pending_arg = xstrdup(arg);
    sp->pending_title = xstrdup(title);
    /* cancel first: Enter out of habit does nothing */
    static const char *const items[] = {
        "cancel: nothing is done",
        "force it: the next step asks for the database's name",
    };
    char *q = xasprintf("This is a production database: %s is refused there unless forced.",
                        title);
    sp->choice = choice_new("Production database", q, items, 2);
    free(q);
    sp->ask = SEED_ASK_FORCE;
}

static void forced(SeedPane *sp)
{
    char *arg = xasprintf("%sforce=yes\n", sp->pending_arg);
    char *title = xstrdup(sp->pending_title);
    const Action *row = sp->pending;
    seed_ask_clear(sp);
    actrun_start(&sp->act, row, arg, title);
    free(arg);
    free(title);
}

void seed_act_demo(SeedPane *sp)
{
    if (writable(sp, &action_seed, "seeding"))
        go(sp, &action_seed, "set=demo\n", "seed demo");
}

void seed_act_pick(SeedPane *sp)
{
    if (!writable(sp, &action_seed, "seeding"))
        return;
    seed_ask_clear(sp);
    char **items = NULL, **args = NULL;
    size_t ni = 0, na = 0, cap_i = 0, cap_a = 0;
    for (const SeedSetInfo *s = seed_sets; s->name; s++) {
        bool scale = strcmp(s->name, "scale") == 0;
        strv_push_owned(&items, &ni, &cap_i, xasprintf("%-6s %s%s", s->name,
                                                       scale ? "(asks how many) " : "", s->help));
        strv_push_owned(&args, &na, &cap_a, scale ? xstrdup("") : xasprintf("set=%s\n",
                                                                             s->name));
    }
    sp->choice = choice_new("Seed", "Which set?", (const char *const *)items, ni);
    sp->choice_args = args;
    sp->ask = SEED_ASK_SET;
    strv_free(items);
}

/* The argument that resets r's set (the instance: a scale's N and S, a
 * file's name); NULL (said why) when it cannot be written. */
static char *reset_arg(SeedPane *sp, const SeedRunInfo *r)
{
    SeedRequest q = { .kind_given = true };
    if (strcmp(r->set_name, "scale") == 0) {
        q.kind = SEED_SCALE;
        q.scale = r->scale;
        q.scale_given = r->scale > 0;
        q.seed = (uint64_t)(r->seed >= 0 ? r->seed : 1);
        q.seed_given = r->seed >= 0;
    } else if (strcmp(r->set_name, "file") == 0) {
        q.kind = SEED_FILE;
        q.file = r->source;
    } else {
        q.kind = SEED_DEMO;
    }
    DbError err = DB_ERROR_INIT;
    char *arg = seed_request_format(&q, &err);
    if (!arg) {
        pane_say(&sp->base, true, "Reset %s: %s", r->label, err.message);
        db_error_clear(&err);
    }
    return arg;
}

void seed_act_reset(SeedPane *sp)
{
    if (!writable(sp, &action_reset, "a reset"))
        return;
    const SeedModel *m = &sp->model;
    if (!sp->have_model || m->st.nruns == 0) {   /* the plan says what there is */
        go(sp, &action_reset, "", "reset every seeded row");
        return;
    }
    seed_ask_clear(sp);
    char **items = NULL, **args = NULL;
    size_t ni = 0, na = 0, cap_i = 0, cap_a = 0;
    strv_push_owned(&items, &ni, &cap_i, xasprintf("every seeded row (%zu run%s)",
                                                   m->st.nruns, m->st.nruns == 1 ? "" : "s"));
    strv_push_owned(&args, &na, &cap_a, xstrdup(""));
    for (size_t i = 0; i < m->st.nruns; i++) {
        const SeedRunInfo *r = &m->st.runs[i];
        bool seen = false;
        for (size_t k = 1; k < ni && !seen; k++)
            seen = strcmp(items[k], r->label) == 0;
        char *arg = seen ? NULL : reset_arg(sp, r);
        if (!arg)
            continue;
        strv_push_owned(&items, &ni, &cap_i, xstrdup(r->label));
        strv_push_owned(&args, &na, &cap_a, arg);
    }
    sp->choice = choice_new("Reset", "Remove which seeded rows? (every other row stays)",
                            (const char *const *)items, ni);
    sp->choice_args = args;
    sp->ask = SEED_ASK_RESET;
    strv_free(items);
}

/* The picked item of the open Choice. */
static void picked(SeedPane *sp, size_t i)
{
    if (sp->ask == SEED_ASK_FORCE) {
        if (i == 1)
            forced(sp);
        else {
            seed_ask_clear(sp);
            pane_say(&sp->base, false, "Cancelled: nothing was done.");
        }
        return;
    }
    char *arg = xstrdup(sp->choice_args[i]);
    SeedAsk ask = sp->ask;
    seed_ask_clear(sp);
    if (ask == SEED_ASK_RESET) {
        SeedRequest q;
        DbError err = DB_ERROR_INIT;
        char *label = NULL;
        if (*arg && seed_request_parse(arg, NULL, true, &q, &err) == 0) {
            label = seed_request_label(&q);
            seed_request_free(&q);
        }
        db_error_clear(&err);
        char *title = label ? xasprintf("reset %s", label) : xstrdup("reset every seeded row");
        go(sp, &action_reset, arg, title);
        free(title);
        free(label);
    } else if (!*arg) {   /* scale: how many */
        sp->ask = SEED_ASK_SCALE;
    } else {
        char *title = xasprintf("seed %s", arg + strlen("set="));
        title[strcspn(title, "\n")] = '\0';
        go(sp, &action_seed, arg, title);
        free(title);
    }
    free(arg);
}

PaneResult seed_choice_key(SeedPane *sp, int key)
{
    ChoiceResult r = choice_key(sp->choice, key);
    if (r == CHOICE_PASS)
        return PANE_IGNORED;
    if (r == CHOICE_CANCELLED) {
        seed_ask_clear(sp);
        pane_say(&sp->base, false, "Cancelled: nothing was done.");
    } else if (r == CHOICE_PICKED) {
        picked(sp, choice_selected(sp->choice));
    }
    return PANE_REDRAW;
}

/* "N" or "N S" (n and s hold 32 bytes): digits only; false otherwise. */
static bool scale_words(const char *text, char n[32], char s[32])
{
    n[0] = s[0] = '\0';
    char extra[2] = "";
    int got = sscanf(text, " %31[0-9] %31[0-9] %1s", n, s, extra);
    if (got < 1 || got > 2 || extra[0])
        return false;
    for (const char *p = text; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != ' ')
            return false;
    return true;
}

PaneResult seed_edit_key(SeedPane *sp, int key)
{
    LineResult r = lineedit_key(&sp->edit, key);
    if (r == LINE_CANCEL) {
        seed_ask_clear(sp);
        pane_say(&sp->base, false, "Cancelled: nothing was done.");
    } else if (r == LINE_ACCEPT) {
        char n[32], s[32];
        if (!scale_words(sp->edit.buf, n, s)) {
            pane_say(&sp->base, true, "Scale '%s': give a number of users, and a seed if not "
                     "1 (100000, or 100000 7).", sp->edit.buf);
            return PANE_REDRAW;
        }
        char *arg = s[0] ? xasprintf("set=scale\nscale=%s\nseed=%s\n", n, s)
                         : xasprintf("set=scale\nscale=%s\n", n);
        char *title = xasprintf("seed scale --scale %s --seed %s", n, s[0] ? s : "1");
        go(sp, &action_seed, arg, title);
        free(title);
        free(arg);
    }
    return PANE_REDRAW;
}
