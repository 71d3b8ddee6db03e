/* seed_plan.c: what a seed run would insert, table by table, without
 * writing; the same plan made again under the run lock; the plan as text
 * (see seed.h). */
#include "seed_internal.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The set as the ledger names it, and its seed and scale (-1: none). */
static void instance_of(const SeedRequest *r, const char **set, long long *seed,
                        long long *scale)
{
    *set = r->kind == SEED_SCALE ? "scale" : "demo";
    *seed = r->kind == SEED_SCALE ? (long long)r->seed : -1;
    *scale = r->kind == SEED_SCALE ? r->scale : -1;
}

/* The earlier runs of this set, and per table what of it is there. */
static int plan_present(DbConn *c, SeedPlan *p, DbError *err)
{
    bool ledger = false;
    if (seed_ledger_exists(c, &ledger, err) != 0)
        return -1;
    if (!ledger)
        return 0;
    const char *set;
    long long seed, scale;
    instance_of(&p->req, &set, &seed, &scale);
    if (seed_ledger_find_runs(c, set, seed, scale, NULL, NULL, &p->instance, &p->ninstance,
                              err) != 0)
        return -1;
    for (size_t t = 0; t < p->ntables && p->ninstance; t++) {
        SeedTablePlan *tp = &p->tables[t];
        const SeedTableDef *d = &seed_tables[t];
        if (seed_ledger_block(c, p->instance, p->ninstance, d->name, &tp->block_first,
                              &tp->block_last, err) != 0 ||
            seed_count_range(c, d->name, d->key, d->stamp, tp->block_first, tp->block_last,
                             &tp->present, err) != 0)
            return -1;
    }
    return 0;
}

static int plan_generated(DbConn *c, const SeedSettings *cfg, SeedPlan *p, DbError *err)
{
    const SeedGenClass *gc = seed_gen_for(p->req.kind);
    char *label = seed_request_label(&p->req);
    int rc = seed_schema_check(c, label, err);
    free(label);
    if (rc != 0 || seed_damage_allowed(c, &p->damage_ok, err) != 0)
        return -1;
    long long rows[SEED_NTABLES], damage[SEED_NTABLES], ghosts[SEED_NTABLES];
    SeedGen *g = gc->open(&p->req, (unsigned)cfg->anomalies);
    gc->counts(g, rows, damage, ghosts);
    gc->close(g);
    p->ntables = SEED_NTABLES;
    long long left_out = 0;
    for (int t = 0; t < SEED_NTABLES; t++) {
        SeedTablePlan *tp = &p->tables[t];
        tp->table = seed_tables[t].name;
        tp->damage = damage[t];
        tp->ghosts = ghosts[t];
        tp->expected = rows[t] - (p->damage_ok ? 0 : damage[t]);
        left_out += p->damage_ok ? 0 : damage[t];
    }
    if (plan_present(c, p, err) != 0)
        return -1;
    p->rows = p->present = 0;
    for (size_t t = 0; t < p->ntables; t++) {
        SeedTablePlan *tp = &p->tables[t];
        tp->rows = tp->expected > tp->present ? tp->expected - tp->present : 0;
        p->rows += tp->rows;
        p->present += tp->present;
    }
    if (left_out > 0)
        p->warning = xasprintf("%lld orphan rows (and the rows under them) are left out: "
                               "planting rows that break foreign keys needs "
                               "session_replication_role = replica, which this role may not "
                               "set (a superuser may; or GRANT SET ON PARAMETER "
                               "session_replication_role TO the role)", left_out);
    return 0;
}

int seed_plan(DbConn *c, const SeedSettings *cfg, const SeedRequest *req, SeedPlan *p,
              DbError *err)
{
    memset(p, 0, sizeof *p);
    p->req = *req;
    p->req.file = req->file ? xstrdup(req->file) : NULL;
    p->anomalies = (unsigned)cfg->anomalies;
    p->damage_ok = true;
    if (req->kind == SEED_FILES || req->kind == SEED_FILE)
        return seed_files_plan(c, cfg, p, err);
    return plan_generated(c, cfg, p, err);
}

void seed_plan_free(SeedPlan *p)
{
    seed_request_free(&p->req);
    for (size_t i = 0; i < p->nfiles; i++) {
        free(p->files[i].path);
        free(p->files[i].name);
    }
    free(p->files);
    free(p->instance);
    free(p->warning);
    memset(p, 0, sizeof *p);
}

int seed_plan_recheck(DbConn *c, const SeedSettings *cfg, const SeedPlan *p, DbError *err)
{
    SeedPlan now;
    if (seed_plan(c, cfg, &p->req, &now, err) != 0) {
        seed_plan_free(&now);
        db_error_prefix(err, "nothing was done");
        return -1;
    }
    int rc = 0;
    for (size_t t = 0; t < p->ntables && rc == 0; t++)
        if (now.tables[t].rows != p->tables[t].rows ||
            now.tables[t].present != p->tables[t].present) {
            db_error_set(err, DB_ERR_BUSY, "the database changed since the plan (%s: %lld "
                         "new rows planned, %lld now; %lld seeded then, %lld now): nothing was "
                         "done; plan again", p->tables[t].table, p->tables[t].rows,
                         now.tables[t].rows, p->tables[t].present, now.tables[t].present);
            rc = -1;
        }
    for (size_t f = 0; f < p->nfiles && rc == 0; f++)
        if (f >= now.nfiles || strcmp(now.files[f].checksum, p->files[f].checksum) != 0 ||
            now.files[f].seeded_run != p->files[f].seeded_run) {
            db_error_set(err, DB_ERR_BUSY, "%s changed, or was seeded, since the plan: "
                         "nothing was done; plan again", p->files[f].name);
            rc = -1;
        }
    if (rc == 0 && now.nfiles != p->nfiles) {
        db_error_set(err, DB_ERR_BUSY, "the seed files changed since the plan: nothing was "
                     "done; plan again");
        rc = -1;
    }
    seed_plan_free(&now);
    return rc;
}

/* ---- as text ------------------------------------------------------------- */

char *seed_plan_summary(const SeedPlan *p)
{
    char *label = seed_request_label(&p->req);
    char rows[32], present[32];
    seed_grouped(p->rows, rows, sizeof rows);
    seed_grouped(p->present, present, sizeof present);
    char *s;
    if (p->req.kind == SEED_FILES || p->req.kind == SEED_FILE) {
        size_t run = 0;
        for (size_t i = 0; i < p->nfiles; i++)
            run += p->files[i].seeded_run == 0 || p->files[i].changed;
        s = run ? xasprintf("seed %s: run %zu of %zu file%s, each in its own transaction",
                            label, run, p->nfiles, p->nfiles == 1 ? "" : "s")
                : xasprintf("0 new rows: %s seeded already", label);
    } else if (p->rows == 0) {
        s = xasprintf("0 new rows; %s already seeded (%s)", present, label);
    } else {
        size_t n = 0;
        for (size_t t = 0; t < p->ntables; t++)
            n += p->tables[t].rows > 0;
        const char *rs = p->rows == 1 ? "" : "s", *ts = n == 1 ? "" : "s";
        s = p->present ? xasprintf("seed %s: %s new row%s in %zu table%s; %s already seeded",
                                   label, rows, rs, n, ts, present)
                       : xasprintf("seed %s: %s new row%s in %zu table%s", label, rows, rs, n,
                                   ts);
    }
    free(label);
    return s;
}

char **seed_plan_items(const SeedPlan *p, size_t *n)
{
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t t = 0; t < p->ntables; t++) {
        const SeedTablePlan *tp = &p->tables[t];
        char rows[32], present[32];
        seed_grouped(tp->rows, rows, sizeof rows);
        seed_grouped(tp->present, present, sizeof present);
        char *line = tp->present
            ? xasprintf("%-24s %12s new rows (%s already seeded)", tp->table, rows, present)
            : xasprintf("%-24s %12s new rows", tp->table, rows);
        strv_push_owned(&v, n, &cap, line);
    }
    for (size_t f = 0; f < p->nfiles; f++) {
        const SeedFilePlan *fp = &p->files[f];
        char *line = fp->seeded_run && !fp->changed
            ? xasprintf("%s: seeded already (run %lld); skipped", fp->name, fp->seeded_run)
            : fp->changed ? xasprintf("%s: changed since run %lld: runs again", fp->name,
                                      fp->seeded_run)
                          : xasprintf("%s: runs", fp->name);
        strv_push_owned(&v, n, &cap, line);
    }
    return v;
}
