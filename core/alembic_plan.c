/* alembic_plan.c: what an alembic up, down or stamp will do, worked out
 * on the graph before it runs: the explicit target passed to alembic, the
 * revisions it applies or rolls back, and the state it must leave (see
 * alembic.h).  Alembic's rules, checked against the real alembic:
 *   upgrade X     applies X and everything below it
 *   downgrade X   rolls back every applied revision above X (X stays)
 *   downgrade H@P rolls back the current head H alone (P: its parent, or
 *                 base), also at a merge or with several heads
 *   stamp X       replaces the current revisions below or above X by X;
 *                 those on other branches stay */
#include "alembic.h"
#include "alembic_internal.h"
#include "fsutil.h"
#include "strbuf.h"
#include "strv.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct Planner {
    const AlembicGraph  *g;
    const AlembicStatus *st;
    const char          *verb;   /* "up", "down", "stamp": for messages */
    bool                *after;  /* owned: applied after the run, per g->revs */
} Planner;

/* ---- sets of revisions --------------------------------------------- */

static bool *set_new(const AlembicGraph *g)
{
    return xcalloc(g->count + 1, sizeof(bool));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The revisions of set that no other revision of set names as parent:
 * what alembic_version holds for it.  Sorted, NULL-terminated, owned. */
static char **heads_of(const AlembicGraph *g, const bool *set, size_t *n)
{
    char **v = xcalloc(g->count + 1, sizeof *v);
    *n = 0;
    for (size_t i = 0; i < g->count; i++) {
        if (!set[i] || !g->revs[i].in_graph)
            continue;
        bool covered = false;
        for (size_t j = 0; j < g->revs[i].nchildren && !covered; j++)
            covered = set[g->revs[i].children[j]];
        if (!covered)
            v[(*n)++] = xstrdup(g->revs[i].revision);
    }
    if (*n)
        qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

static char **ids_of(const AlembicGraph *g, const bool *set, size_t *n)
{
    char **v = xcalloc(g->count + 1, sizeof *v);
    *n = 0;
    for (size_t i = 0; i < g->count; i++)
        if (set[i] && g->revs[i].in_graph)
            v[(*n)++] = xstrdup(g->revs[i].revision);
    if (*n)
        qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

/* Two sorted lists with the same strings. */
static bool same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static char *joined(char *const *v, size_t n, const char *none)
{
    if (n == 0)
        return xstrdup(none);
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        sb_appendf(&b, "%s%s", i ? ", " : "", v[i]);
    return sb_take(&b);
}

static bool is_count(const char *s, long *n)
{
    if (*s == '-' || *s == '+')
        s++;
    if (!str_all_digits(s))
        return false;
    *n = strtol(s, NULL, 10);
    return *n > 0 && *n < 100000;
}

/* ---- the plan's text ----------------------------------------------- */

static void add_change(AlembicPlan *p, const AlembicRevision *r)
{
    p->changed = xrealloc(p->changed, (p->nchanged + 2) * sizeof *p->changed);
    p->changed[p->nchanged++] = xasprintf("%s  %s", r->revision,
                                          r->message ? r->message : "");
    p->changed[p->nchanged] = NULL;
}

/* changed[] in the order alembic runs them, and the summary. */
static void describe(AlembicPlan *p, const Planner *pl)
{
    const AlembicGraph *g = pl->g;
    const bool *was = pl->st->applied;
    bool up = p->verb == ALEMBIC_UPGRADE;
    StrBuf ids = STRBUF_INIT;
    long one = -1;
    for (size_t k = 0; p->verb != ALEMBIC_STAMP && k < g->norder; k++) {
        size_t i = g->order[up ? g->norder - 1 - k : k];   /* up: oldest first */
        if (was[i] == pl->after[i])
            continue;
        add_change(p, &g->revs[i]);
        sb_appendf(&ids, "%s%s", ids.len ? ", " : "", g->revs[i].revision);
        one = (long)i;
    }
    char *from = joined(p->before, p->nbefore, "nothing applied");
    char *to = joined(p->after_current, p->nafter_current, "nothing applied");
    const char *word = up ? "apply" : "roll back";
    if (p->nothing) {
        p->summary = p->nbefore ? xasprintf("nothing to do: the database is at %s", from)
                                : xstrdup("nothing to do: no revision is applied");
    } else if (p->verb == ALEMBIC_STAMP) {
        p->summary = xasprintf("record the database as at %s (now at %s) without running any "
                               "migration%s", to, from, p->purge ? "; --purge, as "
                               "alembic_version holds revisions no file defines" : "");
    } else if (p->nchanged == 1) {
        const AlembicRevision *r = &g->revs[one];
        p->summary = r->message ? xasprintf("%s %s (%s)", word, r->revision, r->message)
                                : xasprintf("%s %s", word, r->revision);
    } else {
        p->summary = xasprintf("%s %zu revisions: %s", word, p->nchanged, sb_str(&ids));
    }
    free(from);
    free(to);
    sb_free(&ids);
}

static char **argv3(const char *a, const char *b, const char *c)
{
    char **v = xcalloc(4, sizeof *v);
    v[0] = xstrdup(a);
    v[1] = xstrdup(b);
    v[2] = c ? xstrdup(c) : NULL;
    return v;
}

/* The --sql form: Alembic previews from one revision; from is NULL when
 * none is applied. */
static void sql_from(AlembicPlan *p, const char *word, const char *from)
{
    char *range = from ? xasprintf("%s:%s", from, p->target) : xstrdup(p->target);
    p->sql_args = argv3(word, range, "--sql");
    free(range);
}

static void no_sql(AlembicPlan *p, const char *why)
{
    p->sql_problem = xstrdup(why);
}

/* ---- up ------------------------------------------------------------- */

/* "+N": N steps up from the one current revision (or from base). */
static long steps_up(const Planner *pl, long n, DbError *err)
{
    const AlembicGraph *g = pl->g;
    const AlembicStatus *st = pl->st;
    if (st->ncurrent > 1) {
        db_error_set(err, DB_ERR_USAGE, "up +%ld: the database has %zu current revisions: "
                     "name a target revision", n, st->ncurrent);
        return -1;
    }
    long cur = st->ncurrent ? alembic_graph_find(g, st->current[0]) : -1;
    for (long k = 0; k < n; k++) {
        const size_t *next = cur >= 0 ? g->revs[cur].children : g->bases;
        size_t nn = cur >= 0 ? g->revs[cur].nchildren : g->nbases;
        const char *at = cur >= 0 ? g->revs[cur].revision : "base";
        if (nn == 0) {
            db_error_set(err, DB_ERR_USAGE, "up +%ld: only %ld revision%s to apply after the "
                         "current one", n, k, k == 1 ? "" : "s");
            return -1;
        }
        if (nn > 1) {
            char *t = alembic_ids_text(g, next, nn);
            db_error_set(err, DB_ERR_USAGE, "up +%ld: after %s the history branches (%s): "
                         "name a target revision", n, at, t);
            free(t);
            return -1;
        }
        cur = (long)next[0];
    }
    return cur;
}

static int plan_up(AlembicPlan *p, Planner *pl, const char *target, DbError *err)
{
    const AlembicGraph *g = pl->g;
    long n = 0;
    memcpy(pl->after, pl->st->applied, g->count * sizeof(bool));
    if (!target || strcmp(target, "heads") == 0) {
        p->target = xstrdup("heads");
        for (size_t i = 0; i < g->count; i++)
            if (g->revs[i].in_graph)
                alembic_mark_below(g, pl->after, i);
    } else {
        long r = target[0] == '+' && is_count(target, &n) ? steps_up(pl, n, err)
                                                         : alembic_resolve(pl->g, pl->verb, target, err);
        if (r < 0)
            return -1;
        p->target = xstrdup(g->revs[r].revision);
        alembic_mark_below(g, pl->after, (size_t)r);
    }
    p->args = argv3("upgrade", p->target, NULL);
    if (pl->st->ncurrent <= 1)
        sql_from(p, "upgrade", pl->st->ncurrent ? pl->st->current[0] : NULL);
    else
        no_sql(p, "Alembic's --sql preview starts from one revision, and the database is at "
                  "several: it cannot show this run");
    return 0;
}

/* ---- down ----------------------------------------------------------- */

static char *several_heads(const Planner *pl)
{
    char *list = joined(pl->st->current, pl->st->ncurrent, "");
    char *msg = xasprintf("down: the database has %zu current revisions (%s): say which one to "
                          "roll back, e.g. down %s", pl->st->ncurrent, list,
                          pl->st->current[0]);
    free(list);
    return msg;
}

/* Rolls back the current revision h alone: "h@parent". */
static void down_head(AlembicPlan *p, Planner *pl, size_t h)
{
    const AlembicGraph *g = pl->g;
    const AlembicRevision *r = &g->revs[h];
    bool *gone = set_new(g);
    alembic_mark_above(g, gone, h);
    for (size_t i = 0; i < g->count; i++)
        pl->after[i] = pl->st->applied[i] && !gone[i];
    free(gone);
    p->target = xasprintf("%s@%s", r->revision,
                          r->nparents ? g->revs[r->parents[0]].revision : "base");
    p->args = argv3("downgrade", p->target, NULL);
    sql_from(p, "downgrade", r->revision);
}

/* Rolls back everything above x (x < 0: base). */
static void down_to(AlembicPlan *p, Planner *pl, long x)
{
    const AlembicGraph *g = pl->g;
    bool *keep = set_new(g);
    if (x >= 0)
        alembic_mark_below(g, keep, (size_t)x);
    bool *gone = set_new(g);
    if (x >= 0)
        alembic_mark_above(g, gone, (size_t)x);
    for (size_t i = 0; i < g->count; i++)
        pl->after[i] = pl->st->applied[i] && (x < 0 ? false : !gone[i] || keep[i]);
    free(keep);
    free(gone);
    p->target = xstrdup(x >= 0 ? g->revs[x].revision : "base");
    p->args = argv3("downgrade", p->target, NULL);
    /* the preview walks down from one revision: the one current revision
     * that goes, if only one does */
    const char *from = NULL;
    size_t going = 0;
    for (size_t i = 0; i < pl->st->ncurrent; i++) {
        long c = alembic_graph_find(g, pl->st->current[i]);
        if (c >= 0 && !pl->after[c]) {
            from = pl->st->current[i];
            going++;
        }
    }
    if (going == 1)
        sql_from(p, "downgrade", from);
    else if (going > 1)
        no_sql(p, "Alembic's --sql preview walks down one branch, and this rolls back "
                  "several: roll them back one at a time (down HEAD) to preview each");
}

/* "down N": N steps from the one current revision, as long as each step
 * leaves one current revision. */
static int down_steps(AlembicPlan *p, Planner *pl, long n, DbError *err)
{
    const AlembicGraph *g = pl->g;
    long cur = alembic_graph_find(g, pl->st->current[0]);
    if (n == 1) {
        down_head(p, pl, (size_t)cur);
        return 0;
    }
    for (long k = 1; k < n; k++) {
        const AlembicRevision *r = &g->revs[cur];
        if (r->nparents == 0) {
            db_error_set(err, DB_ERR_USAGE, "down %ld: only %ld revision%s applied on this "
                         "line; down all rolls back everything", n, k, k == 1 ? " is" : "s are");
            return -1;
        }
        if (r->nparents > 1) {
            db_error_set(err, DB_ERR_USAGE, "down %ld: step %ld would go past the merge %s of "
                         "%zu branches, where a step has no single revision: name the revision "
                         "to go back to, e.g. down %s", n, k + 1, r->revision, r->nparents,
                         g->revs[r->parents[0]].revision);
            return -1;
        }
        cur = (long)r->parents[0];
    }
    const AlembicRevision *last = &g->revs[cur];
    down_to(p, pl, last->nparents ? (long)last->parents[0] : -1);
    return 0;
}

static int plan_down(AlembicPlan *p, Planner *pl, const char *target, DbError *err)
{
    const AlembicGraph *g = pl->g;
    const AlembicStatus *st = pl->st;
    long n = 1;
    bool to = target && strncmp(target, "to:", 3) == 0;
    if (to)
        target += 3;
    else if (target && strncmp(target, "steps:", 6) == 0 && !is_count(target += 6, &n)) {
        db_error_set(err, DB_ERR_USAGE, "down steps:%s: give a number of steps", target);
        return -1;
    }
    bool steps = !to && (!target || is_count(target, &n));
    if (steps && target && target[0] == '+')
        steps = false;
    if (target && (strcmp(target, "base") == 0 || strcmp(target, "all") == 0)) {
        down_to(p, pl, -1);
        return 0;
    }
    if (steps) {
        if (st->ncurrent == 0) {
            down_to(p, pl, -1);   /* nothing applied: nothing to do */
            return 0;
        }
        if (st->ncurrent > 1) {
            char *msg = several_heads(pl);
            db_error_set(err, DB_ERR_USAGE, "%s", msg);
            free(msg);
            return -1;
        }
        return down_steps(p, pl, n, err);
    }
    long r = alembic_resolve(pl->g, pl->verb, target, err);
    if (r < 0)
        return -1;
    if (!to && alembic_is_current(st, g->revs[r].revision)) {
        down_head(p, pl, (size_t)r);    /* "down HEAD": that one goes */
        return 0;
    }
    if (!st->applied[r]) {
        db_error_set(err, DB_ERR_USAGE, "down: %s is not applied; down goes back to an applied "
                     "revision, or names a current one to roll back", g->revs[r].revision);
        return -1;
    }
    down_to(p, pl, r);
    return 0;
}

/* ---- stamp ---------------------------------------------------------- */

static int plan_stamp(AlembicPlan *p, Planner *pl, const char *target, DbError *err)
{
    const AlembicGraph *g = pl->g;
    const AlembicStatus *st = pl->st;
    if (!target || !*target) {
        db_error_set(err, DB_ERR_USAGE, "stamp needs a target: a revision, heads or base");
        return -1;
    }
    bool *rows = set_new(g);
    if (strcmp(target, "heads") == 0) {
        p->target = xstrdup("heads");
        for (size_t i = 0; i < g->nheads; i++)
            rows[g->heads[i]] = true;
    } else if (strcmp(target, "base") == 0) {
        p->target = xstrdup("base");
    } else {
        long x = alembic_resolve(pl->g, pl->verb, target, err);
        if (x < 0) {
            free(rows);
            return -1;
        }
        p->target = xstrdup(g->revs[x].revision);
        bool *related = set_new(g);
        alembic_mark_below(g, related, (size_t)x);
        related[x] = false;
        alembic_mark_above(g, related, (size_t)x);
        for (size_t i = 0; !st->nproblems && i < st->ncurrent; i++) {
            long c = alembic_graph_find(g, st->current[i]);
            if (c >= 0 && !related[c])
                rows[c] = true;        /* on another branch: stays */
        }
        rows[x] = true;
        free(related);
    }
    p->purge = st->nproblems > 0;
    memset(pl->after, 0, g->count * sizeof(bool));
    for (size_t i = 0; i < g->count; i++)
        if (rows[i])
            alembic_mark_below(g, pl->after, i);
    free(rows);
    p->args = p->purge ? argv3("stamp", "--purge", p->target) : argv3("stamp", p->target, NULL);
    if (p->purge)
        no_sql(p, "Alembic cannot preview a stamp with --purge (needed here: alembic_version "
                  "holds revisions no file defines)");
    else
        p->sql_args = argv3("stamp", p->target, "--sql");
    return 0;
}

/* ---- the plan ------------------------------------------------------- */

int alembic_plan_make(AlembicPlan *out, const AlembicGraph *g, const AlembicStatus *st,
                      AlembicVerb verb, const char *target, DbError *err)
{
    memset(out, 0, sizeof *out);
    out->verb = verb;
    Planner pl = { g, st, verb == ALEMBIC_UPGRADE ? "up" : verb == ALEMBIC_DOWNGRADE ? "down"
                                                                                    : "stamp",
                   set_new(g) };
    if (target && !*target)
        target = NULL;
    if (verb != ALEMBIC_STAMP && st->nproblems) {
        db_error_set(err, DB_ERR_USAGE, "%s: %s", pl.verb, st->problems[0].message);
        goto fail;
    }
    int rc = verb == ALEMBIC_UPGRADE ? plan_up(out, &pl, target, err)
             : verb == ALEMBIC_DOWNGRADE ? plan_down(out, &pl, target, err)
                                         : plan_stamp(out, &pl, target, err);
    if (rc != 0)
        goto fail;
    out->before = strv_dup_n((const char *const *)st->current, st->ncurrent);
    out->nbefore = st->ncurrent;
    out->after = ids_of(g, pl.after, &out->nafter);
    out->after_current = heads_of(g, pl.after, &out->nafter_current);
    out->nothing = !out->purge && (verb != ALEMBIC_STAMP ||
                                   same_list(out->after_current, out->nafter_current,
                                             st->current, st->ncurrent));
    for (size_t i = 0; i < g->count; i++)
        if (g->revs[i].in_graph && st->applied[i] != pl.after[i])
            out->nothing = false;
    describe(out, &pl);
    free(pl.after);
    return 0;
fail:
    free(pl.after);
    alembic_plan_free(out);
    return -1;
}

void alembic_plan_free(AlembicPlan *p)
{
    if (!p)
        return;
    free(p->target);
    strv_free(p->args);
    strv_free(p->sql_args);
    free(p->sql_problem);
    strv_free(p->before);
    strv_free(p->after);
    strv_free(p->after_current);
    strv_free(p->changed);
    free(p->summary);
    memset(p, 0, sizeof *p);
}
