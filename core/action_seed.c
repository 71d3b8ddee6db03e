/* action_seed.c: the seed and reset rows of the action table (see
 * action.h and seed.h).
 *
 * The argument is a SeedRequest as text (seed_request_format): the set,
 * --scale, --seed, a file, and force.  On a production database both rows
 * refuse to plan for real unless force is in it (--force on the command
 * line); with it, the guard asks for the database name as for every change
 * there.  A dry run (preview) plans without force: it writes nothing. */
#include "action.h"
#include "seed.h"
#include "strbuf.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int refuse_production(const Session *s, const SeedRequest *r, bool preview,
                             const char *what, DbError *err)
{
    if (preview || r->force || !session_production(s))
        return 0;
    db_error_set(err, DB_ERR_USAGE, "this is a production database: %s refused; give --force "
                 "(and type the database name) to go on", what);
    return -1;
}

/* ---- seed -------------------------------------------------------------- */

typedef struct SeedData {
    SeedPlan    plan;
    SeedOutcome out;
} SeedData;

static void seed_free_data(void *data)
{
    SeedData *d = data;
    seed_plan_free(&d->plan);
    free(d);
}

/* What the run sends, statement by statement. */
static char *seed_what(DbConn *c, const SeedPlan *p)
{
    StrBuf b = STRBUF_INIT;
    bool pg = db_engine(c) == DB_ENGINE_POSTGRES;
    if (p->nfiles) {
        for (size_t i = 0; i < p->nfiles; i++)
            if (!p->files[i].seeded_run || p->files[i].changed)
                sb_appendf(&b, "-- %s, in its own transaction\n", p->files[i].path);
        return sb_take(&b);
    }
    sb_append(&b, pg ? "BEGIN;\n" : "BEGIN IMMEDIATE;\n");
    for (size_t t = 0; t < p->ntables; t++) {
        if (p->tables[t].rows == 0)
            continue;
        if (!p->ninstance && pg)
            sb_appendf(&b, "COPY %s FROM STDIN;  -- %lld rows\n", p->tables[t].table,
                       p->tables[t].rows);
        else
            sb_appendf(&b, "INSERT %sINTO %s … VALUES ($1, …)%s;  -- one prepared statement, "
                       "%lld rows\n", p->ninstance && !pg ? "OR IGNORE " : "",
                       p->tables[t].table, p->ninstance && pg ? " ON CONFLICT DO NOTHING" : "",
                       p->tables[t].rows);
    }
    sb_append(&b, "INSERT INTO dbwarden_seed_runs …; -- and the keys into dbwarden_seed_keys\n"
                  "COMMIT;\n");
    return sb_take(&b);
}

static int seed_plan_row(const Session *s, DbConn *c, const char *arg, bool preview,
                         ActionPlan *p, DbError *err)
{
    SeedData *d = xcalloc(1, sizeof *d);
    p->data = d;
    SeedRequest req;
    if (seed_request_parse(arg, &s->cfg.seed, false, &req, err) != 0)
        return -1;
    int rc = refuse_production(s, &req, preview, "seed", err);
    if (rc == 0)
        rc = seed_plan(c, &s->cfg.seed, &req, &d->plan, err);
    seed_request_free(&req);
    if (rc != 0)
        return -1;
    p->summary = seed_plan_summary(&d->plan);
    p->items = seed_plan_items(&d->plan, &p->nitems);
    p->what = seed_what(c, &d->plan);
    p->warning = d->plan.warning ? xstrdup(d->plan.warning) : NULL;
    p->count = d->plan.rows;
    bool files_to_run = false;
    for (size_t i = 0; i < d->plan.nfiles; i++)
        files_to_run |= !d->plan.files[i].seeded_run || d->plan.files[i].changed;
    p->nothing = d->plan.nfiles ? !files_to_run : d->plan.rows == 0;
    return 0;
}

static int seed_recheck_row(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                            DbError *err)
{
    (void)ev;
    SeedData *d = p->data;
    return seed_plan_recheck(c, &s->cfg.seed, &d->plan, err);
}

static int seed_run_row(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                        char **outcome, DbError *err)
{
    SeedData *d = p->data;
    if (seed_run(c, &s->cfg.seed, &d->plan, ev, &d->out, err) != 0)
        return -1;
    *outcome = seed_outcome_text(&d->plan, &d->out);
    p->run_ms = d->out.ms;
    return 0;
}

static int seed_verify_row(const Session *s, DbConn *c, ActionPlan *p, DbError *err)
{
    (void)s;
    SeedData *d = p->data;
    return seed_verify(c, &d->plan, &d->out, err);
}

const Action action_seed = {
    "seed", "load demo data: the demo set, --scale N users, or SQL seed files",
    ACTION_WRITES | ACTION_LONG | ACTION_RUN_LOCK,
    seed_plan_row, seed_recheck_row, seed_run_row, seed_verify_row, seed_free_data,
    "seed [demo|scale|files|FILE.sql] [--scale N] [--seed S]",
};

const SeedPlan *action_seed_plan(const ActionPlan *p)
{
    return p->action == &action_seed && p->data ? &((SeedData *)p->data)->plan : NULL;
}

const SeedOutcome *action_seed_outcome(const ActionPlan *p)
{
    return p->action == &action_seed && p->data ? &((SeedData *)p->data)->out : NULL;
}

/* ---- reset ------------------------------------------------------------- */

typedef struct ResetData {
    SeedResetPlan plan;
    long long     deleted;
} ResetData;

static void reset_free_data(void *data)
{
    ResetData *d = data;
    seed_reset_plan_free(&d->plan);
    free(d);
}

static int reset_plan_row(const Session *s, DbConn *c, const char *arg, bool preview,
                          ActionPlan *p, DbError *err)
{
    ResetData *d = xcalloc(1, sizeof *d);
    p->data = d;
    SeedRequest req;
    if (seed_request_parse(arg, &s->cfg.seed, true, &req, err) != 0)
        return -1;
    int rc = refuse_production(s, &req, preview, "reset", err);
    if (rc == 0)
        rc = seed_reset_plan(c, &s->cfg.seed, &req, &d->plan, err);
    seed_request_free(&req);
    if (rc != 0)
        return -1;
    const SeedResetPlan *rp = &d->plan;
    char rows[32];
    snprintf(rows, sizeof rows, "%lld", rp->rows);
    if (rp->nruns == 0) {
        p->summary = xstrdup("nothing to reset: the ledger has no such seed run");
        p->nothing = true;
    } else {
        p->summary = xasprintf("remove the %s rows seeded by %s (%zu run%s) from %zu tables, "
                               "children first; every other row stays", rows, rp->sets,
                               rp->nruns, rp->nruns == 1 ? "" : "s", rp->ntables);
    }
    size_t cap = 0;
    for (size_t i = 0; i < rp->ntables; i++)
        strv_push_owned(&p->items, &p->nitems, &cap,
                        xasprintf("%-24s %12lld seeded rows", rp->tables[i].table,
                                  rp->tables[i].rows));
    p->what = seed_reset_describe(c, rp);
    p->count = rp->rows;
    return 0;
}

static int reset_recheck_row(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                             DbError *err)
{
    (void)ev;
    ResetData *d = p->data;
    return seed_reset_recheck(c, &s->cfg.seed, &d->plan, err);
}

static int reset_run_row(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                         char **outcome, DbError *err)
{
    (void)s;
    ResetData *d = p->data;
    if (seed_reset_run(c, &d->plan, ev, &d->deleted, err) != 0)
        return -1;
    *outcome = xasprintf("reset %s: %lld seeded rows removed from %zu tables; the ledger "
                         "forgot %zu run%s", d->plan.sets, d->deleted, d->plan.ntables,
                         d->plan.nruns, d->plan.nruns == 1 ? "" : "s");
    return 0;
}

static int reset_verify_row(const Session *s, DbConn *c, ActionPlan *p, DbError *err)
{
    (void)s;
    ResetData *d = p->data;
    return seed_reset_verify(c, &d->plan, err);
}

const Action action_reset = {
    "reset", "remove exactly the seeded rows (asks first; takes a backup)",
    ACTION_WRITES | ACTION_DESTRUCTIVE | ACTION_LONG | ACTION_RUN_LOCK,
    reset_plan_row, reset_recheck_row, reset_run_row, reset_verify_row, reset_free_data,
    "seed --reset [SET]",
};

const SeedResetPlan *action_reset_plan(const ActionPlan *p)
{
    return p->action == &action_reset && p->data ? &((ResetData *)p->data)->plan : NULL;
}
