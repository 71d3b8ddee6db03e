/* seed_reset.c: reset removes exactly the rows seed runs inserted (see
 * seed.h): the runs' key ranges from the ledger (with the stamp test of
 * demo and scale), the rows of others that reference them (which refuse
 * the reset), the deletes children first in one transaction, and the
 * check that none is left. */
#include "catalog.h"
#include "seed_internal.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BLOCKERS 10

typedef struct RRange {
    long long lo, hi;
    char *stamp;            /* the stamp column, or NULL (a file's rows) */
} RRange;

typedef struct RTable {
    char  *name, *key;
    RRange *r;
    size_t n, cap;
    long long rows;         /* seeded rows present */
} RTable;

typedef struct RData {
    RTable *t;
    size_t  n, cap;
} RData;

static void rdata_free(RData *d)
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

typedef struct Runs {
    long long *id;
    size_t n, cap;
    StrBuf labels;
} Runs;

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

/* " IN (CAST($k AS bigint), …)" from parameter first on, values into v. */
static void in_runs(StrBuf *sql, const long long *id, size_t n, int first, char (*buf)[32],
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
    in_runs(&sql, runs->id, runs->n, 1, buf, v);
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

/* ---- rows of others that reference seeded rows ---------------------------- */

typedef struct Blockers {
    StrBuf text;
    int    count;
    const CatTable *child, *parent;
    const CatConstraint *fk;
    size_t nid;              /* columns that name the child row */
    char **id;
} Blockers;

static int collect_blocker(void *ctx, const DbRow *row)
{
    Blockers *b = ctx;
    if (++b->count > MAX_BLOCKERS)
        return 0;
    sb_appendf(&b->text, "%s%s", b->text.len ? "; " : "", b->child->name);
    int col = 0;
    for (size_t i = 0; i < b->nid; i++, col++)
        sb_appendf(&b->text, "%s%s=%s", i ? ", " : " ", b->id[i],
                   row->values[col] ? row->values[col] : "NULL");
    sb_append(&b->text, " (");
    for (size_t i = 0; i < b->fk->ncolumns; i++, col++)
        sb_appendf(&b->text, "%s%s=%s", i ? ", " : "", b->fk->columns[i],
                   row->values[col] ? row->values[col] : "NULL");
    sb_appendf(&b->text, ") references seeded %s", b->parent->name);
    return 0;
}

/* The columns that name a row of t: its primary key, else the foreign key's. */
static void id_columns(const CatTable *t, const CatConstraint *fk, Blockers *b)
{
    b->id = fk->columns;
    b->nid = 0;
    for (size_t i = 0; i < t->nconstraints; i++)
        if (t->constraints[i].type == CAT_CON_PRIMARY_KEY) {
            b->id = t->constraints[i].columns;
            b->nid = t->constraints[i].ncolumns;
        }
}

/* "c.x", quoted. */
static void col(StrBuf *s, DbConn *c, const char *alias, const char *name)
{
    char *q = db_quote_ident(c, name);
    sb_appendf(s, "%s.%s", alias, q);
    free(q);
}

/* The stamp column of a table's ranges, when any has one. */
static const char *stamp_of(const RTable *t)
{
    for (size_t i = 0; t && i < t->n; i++)
        if (t->r[i].stamp)
            return t->r[i].stamp;
    return NULL;
}

typedef struct Query {
    StrBuf sql;
    char **v;               /* owned copies of the parameters */
    int    n, cap;
} Query;

static void qparam(Query *q, const char *value)
{
    if (q->n >= q->cap) {
        q->cap = q->cap ? q->cap * 2 : 16;
        q->v = xrealloc(q->v, (size_t)q->cap * sizeof *q->v);
    }
    q->v[q->n++] = xstrdup(value);
}

static void qnum(Query *q, long long v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    qparam(q, b);
}

static void qfree(Query *q)
{
    for (int i = 0; i < q->n; i++)
        free(q->v[i]);
    free(q->v);
    sb_free(&q->sql);
}

/* One query: the child rows that reference rows of parent range pr and are
 * not rows of the reset (of child's ranges ct, or any when ct is NULL). */
static int blockers_of(DbConn *c, Blockers *b, const RTable *pt, const RRange *pr,
                       const RTable *ct, const Runs *runs, DbError *err)
{
    Query q = { STRBUF_INIT, NULL, 0, 0 };
    char *qc = db_quote_ident(c, b->child->name), *qp = db_quote_ident(c, b->parent->name);
    sb_append(&q.sql, "/* seed: rows of others that reference seeded rows */ SELECT ");
    for (size_t i = 0; i < b->nid; i++) {
        sb_append(&q.sql, i ? ", " : "");
        col(&q.sql, c, "c", b->id[i]);
    }
    for (size_t i = 0; i < b->fk->ncolumns; i++) {
        sb_append(&q.sql, b->nid || i ? ", " : "");
        col(&q.sql, c, "c", b->fk->columns[i]);
    }
    sb_appendf(&q.sql, " FROM %s c JOIN %s p ON ", qc, qp);
    for (size_t i = 0; i < b->fk->ncolumns; i++) {
        sb_append(&q.sql, i ? " AND " : "");
        col(&q.sql, c, "p", b->fk->ref_columns[i]);
        sb_append(&q.sql, " = ");
        col(&q.sql, c, "c", b->fk->columns[i]);
    }
    sb_append(&q.sql, " WHERE ");
    col(&q.sql, c, "p", pt->key);
    qnum(&q, pr->lo);
    qnum(&q, pr->hi);
    sb_appendf(&q.sql, " BETWEEN CAST($1 AS bigint) AND CAST($2 AS bigint)");
    bool pg = db_engine(c) == DB_ENGINE_POSTGRES;
    if (pr->stamp) {
        sb_append(&q.sql, " AND ");
        col(&q.sql, c, "p", pr->stamp);
        qparam(&q, SEED_STAMP_MAX);
        sb_append(&q.sql, pg ? " <= CAST($3 AS timestamptz)" : " <= $3");
    }
    if (ct) {   /* and not a row the reset removes */
        qparam(&q, ct->name);
        sb_appendf(&q.sql, " AND NOT EXISTS (SELECT 1 FROM " SEED_KEYS_TABLE " k WHERE "
                   "k.table_name = $%d AND ", q.n);
        col(&q.sql, c, "c", ct->key);
        sb_append(&q.sql, " BETWEEN k.first_key AND k.last_key");
        const char *st = stamp_of(ct);
        if (st) {
            sb_append(&q.sql, " AND (k.stamp_max IS NULL OR ");
            col(&q.sql, c, "c", st);
            sb_append(&q.sql, pg ? " <= CAST(k.stamp_max AS timestamptz))" : " <= k.stamp_max)");
        }
        sb_append(&q.sql, " AND k.run_id IN (");
        for (size_t i = 0; i < runs->n; i++) {
            qnum(&q, runs->id[i]);
            sb_appendf(&q.sql, "%sCAST($%d AS bigint)", i ? ", " : "", q.n);
        }
        sb_append(&q.sql, "))");
    }
    sb_appendf(&q.sql, " LIMIT %d", MAX_BLOCKERS + 1);
    DbParams p = { q.n, (const char *const *)q.v };
    int rc = db_query(c, "seed: rows that reference seeded rows", sb_str(&q.sql), &p,
                      collect_blocker, b, err);
    qfree(&q);
    free(qc);
    free(qp);
    return rc;
}

static const RTable *rtable_of(const RData *d, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->t[i].name, name) == 0)
            return &d->t[i];
    return NULL;
}

/* Refuses (DB_ERR_USAGE) when a row outside the reset references a row in it. */
static int check_blockers(DbConn *c, const Catalog *cat, const RData *d, const Runs *runs,
                          DbError *err)
{
    Blockers b;
    memset(&b, 0, sizeof b);
    int rc = 0;
    for (size_t i = 0; i < cat->count && rc == 0; i++) {
        const CatTable *child = &cat->tables[i];
        for (size_t k = 0; k < child->nconstraints && rc == 0; k++) {
            const CatConstraint *fk = &child->constraints[k];
            const CatTable *parent = fk->type == CAT_CON_FOREIGN_KEY
                                         ? catalog_fk_target(cat, fk) : NULL;
            const RTable *pt = parent ? rtable_of(d, parent->name) : NULL;
            if (!pt)
                continue;
            b.child = child;
            b.parent = parent;
            b.fk = fk;
            id_columns(child, fk, &b);
            const RTable *ct = rtable_of(d, child->name);
            for (size_t r = 0; r < pt->n && rc == 0 && b.count <= MAX_BLOCKERS; r++)
                rc = blockers_of(c, &b, pt, &pt->r[r], ct, runs, err);
        }
    }
    if (rc == 0 && b.count > 0) {
        db_error_set(err, DB_ERR_SQL, "reset refused: rows that no seed run being reset "
                     "inserted reference seeded rows, and would lose their parent (or be "
                     "deleted or changed by a cascade): %s%s; nothing was deleted (delete or "
                     "repoint those rows first)", sb_str(&b.text),
                     b.count > MAX_BLOCKERS ? "; and more" : "");
        snprintf(err->code, sizeof err->code, "%s", SEED_REFERENCED);
        rc = -1;
    }
    sb_free(&b.text);
    return rc;
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
        rc = check_blockers(c, cat, d, &runs, err);
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
        rdata_free(p->ranges);
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
        in_runs(&sql, p->runs, p->nruns, 1, buf, v);
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
