/* pane_licenses_user.c: a user found by id, email or username (or, when
 * none is called that, the users a pattern finds, to choose from): the
 * first reason they cannot run jobs with its evidence, then their whole
 * story in time order, as one text (see pane_licenses_internal.h). */
#include "pane_licenses_internal.h"
#include "escape.h"
#include "strbuf.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The task's argument: what to find, and what was found. */
typedef struct FindArg {
    const Session *session;
    char          *who;
    BillWhy        why;
    BillStory      story;
    bool           have;    /* why and story were read */
} FindArg;

static void find_free(void *p)
{
    FindArg *a = p;
    free(a->who);
    billing_why_free(&a->why);
    billing_story_free(&a->story);
    free(a);
}

static int find_run(Job *job, DbConn *c, void *arg, char **summary, DbError *err)
{
    FindArg *a = arg;
    job_progress(job, 0, 2, "why %s", a->who);
    if (billing_why(a->session, c, a->who, &a->why, err) != 0)
        return -1;
    if (a->why.found) {
        job_progress(job, 1, 2, "the story of %s", a->who);
        if (billing_story(a->session, c, a->why.user.id, &a->story, err) != 0)
            return -1;
    }
    a->have = true;
    *summary = xstrdup(billing_why_code_name(a->why.code));
    return 0;
}

static ThemeSlot user_style(void *ctx, size_t i, const char *line)
{
    (void)ctx, (void)i;
    if (strncmp(line, "WHY: ok", 7) == 0)
        return SLOT_STATE_APPLIED;
    if (strncmp(line, "WHY:", 4) == 0)
        return SLOT_STATE_PROBLEM;
    if (strncmp(line, "STORY", 5) == 0 || strncmp(line, "EVIDENCE", 8) == 0)
        return SLOT_GRID_HEADER;
    return SLOT_NORMAL;
}

void lic_user_init(LicPane *lp)
{
    tv_init(&lp->usertext, &lp->base, true);
    lp->usertext.hang = 4;
    lp->usertext.style = user_style;
}

static void clear_candidates(LicPane *lp)
{
    choice_free(lp->candidates);
    lp->candidates = NULL;
    strv_free(lp->candidate_ids);
    lp->candidate_ids = NULL;
}

void lic_user_free(LicPane *lp)
{
    if (lp->have_user) {
        billing_why_free(&lp->why);
        billing_story_free(&lp->story);
    }
    lp->have_user = false;
    clear_candidates(lp);
    tv_free(&lp->usertext);
    task_free(&lp->find);
    free(lp->who);
    lp->who = NULL;
}

void lic_user_find(LicPane *lp, const char *who)
{
    FindArg *a = xcalloc(1, sizeof *a);
    a->session = lp->base.ctx->session;
    a->who = xstrdup(who);
    free(lp->who);
    lp->who = xstrdup(who);
    DbError err = DB_ERROR_INIT;
    char *what = xasprintf("finding %s", who);
    if (!task_start(&lp->find, lp->base.ctx->session, what, find_run, a, find_free, &err)) {
        pane_say(&lp->base, true, "%s: %s", what, err.message);
        db_error_clear(&err);
    }
    free(what);
    lp->view = LIC_VIEW_USER;
}

/* Appends a table of rows under an indent, as the command line prints it. */
static void rows_text(StrBuf *b, const BillTable *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        sb_append(b, "    ");
        for (int c = 0; c < t->ncols; c++) {
            const char *v = bill_cell(t, r, c);
            sb_append(b, c ? "  " : "");
            esc_append_str(b, t->names[c], 0);
            sb_append(b, "=");
            esc_append_str(b, v ? v : "NULL", 0);
        }
        sb_append(b, "\n");
    }
    if (t->truncated)
        sb_append(b, "    (more rows than shown)\n");
}

static void build_text(LicPane *lp)
{
    StrBuf b = STRBUF_INIT;
    const BillWhy *w = &lp->why;
    const BillUser *u = &w->user;
    sb_append(&b, "User ");
    esc_append_str(&b, u->email ? u->email : "?", 0);
    sb_append(&b, " (id ");
    esc_append_str(&b, u->id ? u->id : "?", 0);
    sb_append(&b, ", ");
    esc_append_str(&b, u->username ? u->username : "no username", 0);
    sb_appendf(&b, ")\n\nWHY: %s\n  ", billing_why_code_name(w->code));
    esc_append_str(&b, w->message, 0);
    sb_append(&b, "\n");
    if (w->evidence.nrows) {
        sb_append(&b, "\nEVIDENCE (");
        esc_append_str(&b, w->table ? w->table : "rows", 0);
        sb_append(&b, ")\n");
        rows_text(&b, &w->evidence);
    }
    sb_appendf(&b, "\nSTORY: %zu event%s, in time order (t moves one of the user's licenses)\n",
               lp->story.count, lp->story.count == 1 ? "" : "s");
    for (size_t i = 0; i < lp->story.count; i++) {
        const BillEvent *e = &lp->story.events[i];
        char *at = esc_dup(e->at ? e->at : "(no time)", 0), *id = esc_dup(e->id ? e->id : "?", 0);
        sb_appendf(&b, "%-19s  %-13s #%-6s ", at, e->kind, id);
        esc_append_str(&b, e->text, 0);
        sb_append(&b, "\n");
        free(at);
        free(id);
    }
    tv_set_text(&lp->usertext, sb_str(&b));
    sb_free(&b);
}

/* One line of text (a message with what was asked in it), escaped. */
static void set_escaped(LicPane *lp, const char *text)
{
    char *e = esc_dup(text, 0);
    tv_set_text(&lp->usertext, e);
    free(e);
}

/* Several users the text finds as a pattern: which one. */
static void offer(LicPane *lp, const BillUsers *c)
{
    size_t n = c->count;
    char **items = xcalloc(n + 1, sizeof *items);
    lp->candidate_ids = xcalloc(n + 1, sizeof *lp->candidate_ids);
    for (size_t i = 0; i < n; i++) {
        const BillUser *u = &c->items[i];
        items[i] = xasprintf("%s  %s  %s", u->id ? u->id : "?", u->email ? u->email : "",
                             u->username ? u->username : "");
        lp->candidate_ids[i] = xstrdup(u->id ? u->id : "");
    }
    char *q = xasprintf("No user is called %s; %zu%s match it as a pattern:", lp->who, n,
                        c->more ? " (and more)" : "");
    lp->candidates = choice_new("Which user?", q, (const char *const *)items, n);
    free(q);
    strv_free(items);
}

void lic_user_done(LicPane *lp)
{
    FindArg *a = task_arg(&lp->find);
    if (lp->find.outcome != JOB_OK || !a || !a->have) {
        pane_say(&lp->base, lp->find.outcome != JOB_CANCELLED, "Finding %s: %s", lp->who,
                 lp->find.err.message ? lp->find.err.message : "stopped");
        set_escaped(lp, lp->find.outcome == JOB_CANCELLED
                    ? "Stopped (Esc): nothing was read." : lp->find.err.message);
        return;
    }
    if (lp->have_user) {
        billing_why_free(&lp->why);
        billing_story_free(&lp->story);
    }
    lp->why = a->why;
    lp->story = a->story;
    memset(&a->why, 0, sizeof a->why);
    memset(&a->story, 0, sizeof a->story);
    lp->have_user = true;
    clear_candidates(lp);
    if (!lp->why.found && lp->why.candidates.count > 0) {
        offer(lp, &lp->why.candidates);
        set_escaped(lp, lp->why.message);
        return;
    }
    if (!lp->why.found) {
        set_escaped(lp, lp->why.message);
        return;
    }
    build_text(lp);
}

PaneResult lic_candidates_key(LicPane *lp, int key)
{
    ChoiceResult r = choice_key(lp->candidates, key);
    if (r == CHOICE_PASS)
        return PANE_IGNORED;
    if (r == CHOICE_PICKED) {
        char *id = xstrdup(lp->candidate_ids[choice_selected(lp->candidates)]);
        clear_candidates(lp);
        lic_user_find(lp, id);
        free(id);
    } else if (r == CHOICE_CANCELLED) {
        clear_candidates(lp);
    }
    return PANE_REDRAW;
}

void lic_user_draw(LicPane *lp, WINDOW *w, int y, int height)
{
    const Palette *pal = lp->base.ctx->pal;
    if (task_running(&lp->find)) {
        pane_add(w, &lp->base, y, 0, SLOT_DIM, "Reading...");
        task_draw(&lp->find, w, y + height - 1, pal);
        return;
    }
    char *title = xasprintf("Why can't %s run jobs?  (u another user, Esc back)",
                            lp->who ? lp->who : "?");
    tv_draw(&lp->usertext, w, y, 0, height, getmaxx(w), title, pal);
    free(title);
    if (lp->candidates)
        choice_draw(w, lp->candidates, pal);
}
