/* seed_reset.c: reset removes exactly the rows seed runs inserted (see
 * seed.h): the runs' key ranges from the ledger (with the stamp test of
 * demo and scale), the tables children first, the rows of others that
 * reference them (seed_reset_refs.c: they refuse the reset), the deletes
 * in one transaction, and the check that none is left. */
#include "catalog.h"
#include "seed_reset.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void seed_rdata_free(RData *d)
{
    for (size_t i = 0; i < d->n; i++) {
        for (size_t j = 0; j < d->t[i].n; j++)
            free(d->t[i].r[j].stamp);
        free(d->t[i].r);
        free(d->t[i].name);
        free(d->t[i].key);
    }
    free(d->t);
    free(d);
}

static RTable *rtable(RData *d, const char *name, const char *key)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->t[i].name, name) == 0)
            return &d->t[i];
    d->t = xgrow(d->t, &d->cap, d->n + 1, sizeof *d->t);
    RTable *t = &d->t[d->n++];
    memset(t, 0, sizeof *t);
    t->name = xstrdup(name);
    t->key = xstrdup(key);
    return t;
}

static int collect_range(void *ctx, const DbRow *row)
{
    RTable *t = rtable(ctx, row->values[0], row->values[1]);
    long long lo = atoll(row->values[3]), hi = atoll(row->values[4]);
    if (hi < lo)
        return 0;   /* a block with no row */
    t->r = xgrow(t->r, &t->cap, t->n + 1, sizeof *t->r);
    t->r[t->n++] = (RRange){ lo, hi, row->values[2] ? xstrdup(row->values[2]) : NULL };
    return 0;
}

/* ---- which runs ------------------------------------------------------- */

static int collect_run(void *ctx, const DbRow *row)
{
    Runs *r = ctx;
    r->id = xgrow(r->id, &r->cap, r->n + 1, sizeof *r->id);
    r->id[r->n++] = atoll(row->values[0]);
    const char *set = row->values[1];
    char *label = strcmp(set, "scale") == 0
        ? xasprintf("scale --scale %s --seed %s", row->values[3] ? row->values[3] : "?",
                    row->values[2] ? row->values[2] : "?")
        : strcmp(set, "file") == 0 ? xasprintf("file %s", row->values[4] ? row->values[4] : "")
                                   : xstrdup(set);
    if (!strstr(sb_str(&r->labels), label))
        sb_appendf(&r->labels, "%s%s", r->labels.len ? ", " : "", label);
    free(label);
    return 0;
}

static int select_runs(DbConn *c, const SeedRequest *q, Runs *runs, DbError *err)
{
    const char *set = !q->kind_given ? "" : q->kind == SEED_SCALE ? "scale"
                    : q->kind == SEED_DEMO ? "demo" : "file";
    const char *base = q->file ? strrchr(q->file, '/') : NULL;
    char seed[32], scale[32];
    snprintf(seed, sizeof seed, "%lld", q->seed_given ? (long long)q->seed : -2);
    snprintf(scale, sizeof scale, "%lld", q->scale_given ? q->scale : -2);
    const char *v[4] = { set, seed, scale, q->kind == SEED_FILE && q->file
                                               ? (base ? base + 1 : q->file) : "" };
    DbParams p = { 4, v };
    return db_query(c, "seed: runs to reset",
                    "/* seed: runs to reset */ SELECT id, set_name, seed, scale, source FROM "
                    SEED_RUNS_TABLE " WHERE ($1 = '' OR set_name = $1) AND (CAST($2 AS bigint) "
                    "= -2 OR seed = CAST($2 AS bigint)) AND (CAST($3 AS bigint) = -2 OR scale = "
                    "CAST($3 AS bigint)) AND ($4 = '' OR source = $4) ORDER BY id", &p,
                    collect_run, runs, err);
}

void seed_in_runs(StrBuf *sql, const long long *id, size_t n, int first, char (*buf)[32],
                  const char **v)
{
    sb_append(sql, " IN (");
    for (size_t i = 0; i < n; i++) {
        snprintf(buf[i], 32, "%lld", id[i]);
        v[i] = buf[i];
        sb_appendf(sql, "%sCAST($%d AS bigint)", i ? ", " : "", first + (int)i);
    }
    sb_append(sql, ")");
}

static int load_ranges(DbConn *c, const Runs *runs, RData *d, DbError *err)
{
    StrBuf sql = STRBUF_INIT;
    sb_append(&sql, "/* seed: ranges to reset */ SELECT table_name, key_column, stamp_column, "
                    "first_key, last_key FROM " SEED_KEYS_TABLE " WHERE run_id");
    char (*buf)[32] = xcalloc(runs->n, 32);
    const char **v = xcalloc(runs->n, sizeof *v);
    seed_in_runs(&sql, runs->id, runs->n, 1, buf, v);
    sb_append(&sql, " ORDER BY table_name, first_key");
    DbParams p = { (int)runs->n, v };
    int rc = db_query(c, "seed: ranges to reset", sb_str(&sql), &p, collect_range, d, err);
    free(buf);
    free(v);
    sb_free(&sql);
    for (size_t i = 0; i < d->n && rc == 0; i++) {
        RTable *t = &d->t[i];
        for (size_t j = 0; j < t->n && rc == 0; j++) {
            long long n = 0;
            rc = seed_count_range(c, t->name, t->key, t->r[j].stamp, t->r[j].lo, t->r[j].hi,
                                  &n, err);
            t->rows += n;
        }
    }
    return rc;
}

/* ---- children first ------------------------------------------------------ */

static const CatTable *find_table(const Catalog *cat, const char *name)
{
    return catalog_find(cat, NULL, name);
}

/* Does child have a foreign key to parent (another table)? */
static bool refers(const CatTable *child, const CatTable *parent, const Catalog *cat)
{
    if (!child || !parent || child == parent)
        return false;
    for (size_t i = 0; i < child->nconstraints; i++)
        if (child->constraints[i].type == CAT_CON_FOREIGN_KEY &&
            catalog_fk_target(cat, &child->constraints[i]) == parent)
            return true;
    return false;
}

/* Orders d's tables so that a table comes before every table it refers
 * to (a cycle keeps its tables in name order). */
static void children_first(RData *d, const Catalog *cat)
{
    RTable *out = xcalloc(d->n + 1, sizeof *out);
    bool *done = xcalloc(d->n + 1, sizeof *done);
    size_t w = 0;
    while (w < d->n) {
        size_t pick = d->n;
        for (size_t i = 0; i < d->n && pick == d->n; i++) {
            if (done[i])
                continue;
            bool referenced = false;   /* by a table not yet placed */
            for (size_t j = 0; j < d->n && !referenced; j++)
                referenced = !done[j] && j != i &&
                             refers(find_table(cat, d->t[j].name), find_table(cat, d->t[i].name),
                                    cat);
            if (!referenced)
                pick = i;
        }
        if (pick == d->n)   /* a cycle: the first left */
            for (size_t i = 0; i < d->n && pick == d->n; i++)
                if (!done[i])
                    pick = i;
        done[pick] = true;
        out[w++] = d->t[pick];
    }
    memcpy(d->t, out, d->n * sizeof *out);
    free(out);
    free(done);
}

/* ---- the plan --------------------------------------------------------------- */

int seed_reset_plan(DbConn *c, const SeedSettings *cfg, const SeedRequest *req,
                    SeedResetPlan *p, DbError *err)
{
    (void)cfg;
    memset(p, 0, sizeof *p);
    p->req = *req;
    p->req.file = req->file ? xstrdup(req->file) : NULL;
    RData *d = xcalloc(1, sizeof *d);
    p->ranges = d;
    bool ledger = false;
    if (seed_ledger_exists(c, &ledger, err) != 0)
        return -1;
    if (!ledger)
        return 0;
    Runs runs = { NULL, 0, 0, STRBUF_INIT };
    Catalog *cat = NULL;
    int rc = select_runs(c, req, &runs, err);
    if (rc == 0 && runs.n)
        rc = load_ranges(c, &runs, d, err);
    if (rc == 0 && runs.n)
        rc = catalog_load(c, &cat, err);
    if (rc == 0 && runs.n) {
        children_first(d, cat);
        rc = seed_reset_check_refs(c, cat, d, &runs, err);
    }
    p->runs = runs.id;
    p->nruns = runs.n;
    p->sets = sb_take(&runs.labels);
    p->tables = xcalloc(d->n + 1, sizeof *p->tables);
    for (size_t i = 0; i < d->n; i++) {
        p->tables[p->ntables].table = xstrdup(d->t[i].name);
        p->tables[p->ntables++].rows = d->t[i].rows;
        p->rows += d->t[i].rows;
    }
    catalog_free(cat);
    return rc;
}

void seed_reset_plan_free(SeedResetPlan *p)
{
    seed_request_free(&p->req);
    free(p->runs);
    for (size_t i = 0; i < p->ntables; i++)
        free(p->tables[i].table);
    free(p->tables);
    free(p->sets);
    if (p->ranges)
        seed_rdata_free(p->ranges);
    memset(p, 0, sizeof *p);
}

int seed_reset_recheck(DbConn *c, const SeedSettings *cfg, const SeedResetPlan *p,
                       DbError *err)
{
    SeedResetPlan now;
    int rc = seed_reset_plan(c, cfg, &p->req, &now, err);
    if (rc == 0 && (now.nruns != p->nruns || now.rows != p->rows ||
                    (p->nruns && memcmp(now.runs, p->runs, p->nruns * sizeof *p->runs) != 0))) {
        db_error_set(err, DB_ERR_BUSY, "the seeded rows changed since the plan (%lld rows of "
                     "%zu runs then, %lld of %zu now): nothing was deleted; plan again",
                     p->rows, p->nruns, now.rows, now.nruns);
        rc = -1;
    } else if (rc != 0) {
        db_error_prefix(err, "nothing was deleted");
    }
    seed_reset_plan_free(&now);
    return rc;
}

/* ---- the run ------------------------------------------------------------------ */

static int delete_table(DbConn *c, const RTable *t, long long *deleted, DbError *err)
{
    char *qt = db_quote_ident(c, t->name), *qk = db_quote_ident(c, t->key);
    DbStmt *plain = NULL, *stamped = NULL;
    int rc = 0;
    for (size_t i = 0; i < t->n && rc == 0; i++) {
        const RRange *r = &t->r[i];
        DbStmt **st = r->stamp ? &stamped : &plain;
        if (!*st) {
            char *qs = r->stamp ? db_quote_ident(c, r->stamp) : NULL;
            char *sql = qs ? xasprintf("/* seed: reset %s */ DELETE FROM %s WHERE %s BETWEEN "
                                       "CAST($1 AS bigint) AND CAST($2 AS bigint) AND %s <= %s",
                                       t->name, qt, qk, qs, seed_stamp_cast(c))
                           : xasprintf("/* seed: reset %s */ DELETE FROM %s WHERE %s BETWEEN "
                                       "CAST($1 AS bigint) AND CAST($2 AS bigint)", t->name,
                                       qt, qk);
            rc = db_prepare(c, "seed: reset", sql, st, err);
            free(sql);
            free(qs);
            if (rc != 0)
                break;
        }
        char lo[32], hi[32];
        snprintf(lo, sizeof lo, "%lld", r->lo);
        snprintf(hi, sizeof hi, "%lld", r->hi);
        const char *v[3] = { lo, hi, SEED_STAMP_MAX };
        DbParams p = { r->stamp ? 3 : 2, v };
        long long n = 0;
        rc = db_stmt_exec(*st, &p, &n, err);
        *deleted += n;
    }
    db_stmt_free(plain);
    db_stmt_free(stamped);
    free(qt);
    free(qk);
    return rc;
}

static int forget_runs(DbConn *c, const SeedResetPlan *p, DbError *err)
{
    int rc = 0;
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        StrBuf sql = STRBUF_INIT;
        sb_append(&sql, pass == 0 ? "/* seed: forget the runs' keys */ DELETE FROM "
                                    SEED_KEYS_TABLE " WHERE run_id"
                                  : "/* seed: forget the runs */ DELETE FROM " SEED_RUNS_TABLE
                                    " WHERE id");
        char (*buf)[32] = xcalloc(p->nruns, 32);
        const char **v = xcalloc(p->nruns, sizeof *v);
        seed_in_runs(&sql, p->runs, p->nruns, 1, buf, v);
        DbParams prm = { (int)p->nruns, v };
        rc = db_exec(c, "seed: forget runs", sb_str(&sql), &prm, err);
        free(buf);
        free(v);
        sb_free(&sql);
    }
    return rc;
}

int seed_reset_run(DbConn *c, const SeedResetPlan *p, const ActionEvents *ev,
                   long long *deleted, DbError *err)
{
    *deleted = 0;
    const RData *d = p->ranges;
    if (p->nruns == 0)
        return 0;
    long t0 = seed_now_ms();
    int rc = db_begin(c, true, err);
    bool open = rc == 0;
    if (rc == 0 && db_engine(c) == DB_ENGINE_POSTGRES)
        rc = db_exec(c, "seed: no timeout", "/* seed: no timeout */ SET LOCAL "
                     "statement_timeout = 0", NULL, err);
    for (size_t i = 0; i < d->n && rc == 0; i++) {
        if (seed_cancelled(ev)) {
            rc = seed_cancel_error(err);
            break;
        }
        long long n = 0;
        rc = delete_table(c, &d->t[i], &n, err);
        if (rc == 0 && n != d->t[i].rows) {
            db_error_set(err, DB_ERR_BUSY, "%s: %lld seeded rows were planned, %lld found "
                         "while deleting: nothing was deleted", d->t[i].name, d->t[i].rows, n);
            rc = -1;
        }
        *deleted += n;
        if (ev && ev->progress) {
            char *what = seed_progress_text(d->t[i].name, *deleted, p->rows, seed_now_ms() - t0);
            ev->progress(ev->ctx, (size_t)*deleted, (size_t)p->rows, what);
            free(what);
        }
    }
    if (rc == 0)
        rc = forget_runs(c, p, err);
    if (rc == 0 && seed_cancelled(ev))
        rc = seed_cancel_error(err);
    if (rc == 0)
        rc = db_commit(c, err);
    if (rc != 0) {
        if (open)
            db_rollback(c);
        *deleted = 0;
    }
    return rc;
}

int seed_reset_verify(DbConn *c, const SeedResetPlan *p, DbError *err)
{
    const RData *d = p->ranges;
    long long left = 0;
    for (size_t i = 0; i < d->n; i++)
        for (size_t j = 0; j < d->t[i].n; j++) {
            long long n = 0;
            if (seed_count_range(c, d->t[i].name, d->t[i].key, d->t[i].r[j].stamp,
                                 d->t[i].r[j].lo, d->t[i].r[j].hi, &n, err) != 0)
                return -1;
            left += n;
        }
    if (left) {
        db_error_set(err, DB_ERR_SQL, "after the reset %lld seeded rows are still there", left);
        return -1;
    }
    for (size_t i = 0; i < p->nruns; i++) {
        char id[32], *v = NULL;
        snprintf(id, sizeof id, "%lld", p->runs[i]);
        const char *pv[1] = { id };
        DbParams prm = { 1, pv };
        if (db_query_value(c, "seed: run left", "/* seed: run left? */ SELECT id FROM "
                           SEED_RUNS_TABLE " WHERE id = CAST($1 AS bigint)", &prm, &v, err) != 0)
            return -1;
        free(v);
        if (v) {
            db_error_set(err, DB_ERR_SQL, "after the reset the ledger still has run %s", id);
            return -1;
        }
    }
    return 0;
}

char *seed_reset_describe(DbConn *c, const SeedResetPlan *p)
{
    const RData *d = p->ranges;
    if (!d || p->nruns == 0)
        return NULL;
    StrBuf b = STRBUF_INIT;
    sb_append(&b, db_engine(c) == DB_ENGINE_POSTGRES ? "BEGIN;\n" : "BEGIN IMMEDIATE;\n");
    for (size_t i = 0; i < d->n; i++)
        for (size_t j = 0; j < d->t[i].n; j++) {
            const RRange *r = &d->t[i].r[j];
            sb_appendf(&b, "DELETE FROM %s WHERE %s BETWEEN %lld AND %lld", d->t[i].name,
                       d->t[i].key, r->lo, r->hi);
            if (r->stamp)
                sb_appendf(&b, " AND %s <= '%s'", r->stamp, SEED_STAMP_MAX);
            sb_append(&b, ";\n");
        }
    sb_append(&b, "DELETE FROM " SEED_KEYS_TABLE " WHERE run_id IN (…);\n"
                  "DELETE FROM " SEED_RUNS_TABLE " WHERE id IN (…);\nCOMMIT;\n");
    return sb_take(&b);
}
