/* seed_run.c: a demo or scale run: keys allocated, rows loaded in one
 * transaction, the ledger written, and the effect checked afterwards (see
 * seed.h). */
#include "seed_internal.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PostgreSQL: the rows of this transaction are written in UTC (the
 * generated times are UTC), without the session's statement timeout. */
static int begin_run(DbConn *c, DbError *err)
{
    if (db_begin(c, true, err) != 0)
        return -1;
    if (db_engine(c) != DB_ENGINE_POSTGRES)
        return 0;
    return db_exec(c, "seed: time zone", "/* seed: time zone */ SET LOCAL TimeZone = 'UTC'",
                   NULL, err) == 0 &&
           db_exec(c, "seed: no timeout", "/* seed: no timeout */ SET LOCAL "
                   "statement_timeout = 0", NULL, err) == 0 ? 0 : -1;
}

/* The key before table t's new block: above every key it has and, on
 * PostgreSQL, above its sequence, which is moved past the block (a
 * sequence is not transactional: after a rollback it stays moved, as
 * after any failed INSERT). */
static int allocate_block(DbConn *c, const SeedTableDef *d, long long size, long long *base,
                          DbError *err)
{
    bool pg = db_engine(c) == DB_ENGINE_POSTGRES;
    char *qt = db_quote_ident(c, d->name), *qk = db_quote_ident(c, d->key);
    char *seq = NULL;
    int rc = 0;
    if (pg) {
        const char *v[2] = { qt, d->key };
        DbParams p = { 2, v };
        rc = db_query_value(c, "seed: key sequence", "/* seed: key sequence */ SELECT "
                            "pg_get_serial_sequence($1, $2)", &p, &seq, err);
    }
    char *sql = pg
        ? xasprintf("/* seed: block of %s */ SELECT greatest(coalesce((SELECT max(%s) FROM %s), "
                    "0), coalesce(pg_sequence_last_value(CAST($1 AS regclass)), 0))", d->name,
                    qk, qt)
        : xasprintf("/* seed: block of %s */ SELECT coalesce(max(%s), 0) FROM %s", d->name, qk,
                    qt);
    const char *v[1] = { seq };
    DbParams p = { pg ? 1 : 0, v };
    char *val = NULL;
    if (rc == 0)
        rc = db_query_value(c, "seed: block", sql, &p, &val, err);
    *base = val ? atoll(val) : 0;
    if (rc == 0 && seq && size > 0) {
        char last[32];
        snprintf(last, sizeof last, "%lld", *base + size);
        const char *sv[2] = { seq, last };
        DbParams sp = { 2, sv };
        rc = db_exec(c, "seed: move the sequence", "/* seed: move the sequence past the block */ "
                     "SELECT setval(CAST($1 AS regclass), CAST($2 AS bigint))", &sp, err);
    }
    free(val);
    free(sql);
    free(seq);
    free(qt);
    free(qk);
    return rc;
}

static int set_replica(DbConn *c, bool on, DbError *err)
{
    return db_exec(c, "seed: foreign key checks", on
                   ? "/* seed: orphans, loaded as damage arises */ SET LOCAL "
                     "session_replication_role = replica"
                   : "/* seed: foreign key checks back */ SET LOCAL session_replication_role = "
                     "origin", NULL, err);
}

/* SQLite: foreign keys off on this connection while the orphans load
 * (the setting cannot change inside a transaction).  *was: it was on. */
static int sqlite_fk_off(DbConn *c, bool *was, DbError *err)
{
    *was = false;
    char *v = NULL;
    if (db_query_value(c, "seed: foreign keys", "/* seed: foreign keys */ PRAGMA foreign_keys",
                       NULL, &v, err) != 0)
        return -1;
    *was = v && strcmp(v, "1") == 0;
    free(v);
    if (!*was)
        return 0;
    return db_exec(c, "seed: foreign keys", "/* seed: foreign keys off */ PRAGMA foreign_keys "
                   "= OFF", NULL, err);
}

static void sqlite_fk_restore(DbConn *c, bool was)
{
    DbError e = DB_ERROR_INIT;
    if (was)
        db_exec(c, "seed: foreign keys", "/* seed: foreign keys back on */ PRAGMA foreign_keys "
                "= ON", NULL, &e);
    db_error_clear(&e);
}

typedef struct Run {
    DbConn        *c;
    SeedPlan      *p;
    const SeedGenClass *gc;
    SeedGen       *g;
    SeedLoader     L;
    long long      base[SEED_NTABLES];
    SeedRanges     keys[SEED_NTABLES];
    SeedOutcome   *out;
} Run;

static int allocate(Run *r, DbError *err)
{
    for (size_t t = 0; t < r->p->ntables; t++) {
        SeedTablePlan *tp = &r->p->tables[t];
        if (r->p->ninstance) {   /* the same keys as before */
            if (tp->block_first <= 0) {
                db_error_set(err, DB_ERR_SQL, "the ledger has no block of %s for this set; "
                             "reset it and seed again", tp->table);
                return -1;
            }
            r->base[t] = tp->block_first - 1;
        } else if (allocate_block(r->c, &seed_tables[t], tp->ghosts + tp->expected +
                                  (r->p->damage_ok ? 0 : tp->damage), &r->base[t], err) != 0) {
            return -1;
        }
    }
    return 0;
}

static int load_all(Run *r, DbError *err)
{
    bool pg = db_engine(r->c) == DB_ENGINE_POSTGRES;
    for (size_t t = 0; t < r->p->ntables; t++) {
        const SeedTableDef *d = &seed_tables[t];
        SeedTablePlan *tp = &r->p->tables[t];
        long long n = 0;
        r->gc->begin(r->g, (int)t, r->base);
        if (seed_load_table(&r->L, d, r->g, r->gc, false, &r->keys[t], &n, err) != 0)
            return -1;
        if (tp->damage > 0 && r->p->damage_ok) {
            r->gc->begin(r->g, (int)t, r->base);
            if ((pg && set_replica(r->c, true, err) != 0) ||
                seed_load_table(&r->L, d, r->g, r->gc, true, &r->keys[t], &n, err) != 0 ||
                (pg && set_replica(r->c, false, err) != 0))
                return -1;
        }
        seed_ranges_normalize(&r->keys[t]);
        r->out->per_table[t] = n;
        r->out->inserted += n;
    }
    return 0;
}

static int record(Run *r, long ms, DbError *err)
{
    if (r->out->inserted == 0)
        return 0;   /* a run again that found everything there */
    const SeedRequest *q = &r->p->req;
    SeedRunRow row = { q->kind == SEED_SCALE ? "scale" : "demo",
                       q->kind == SEED_SCALE ? (long long)q->seed : -1,
                       q->kind == SEED_SCALE ? q->scale : -1, NULL, NULL, r->out->inserted, ms };
    if (seed_ledger_add_run(r->c, &row, &r->out->run_id, err) != 0)
        return -1;
    for (size_t t = 0; t < r->p->ntables; t++) {
        const SeedTableDef *d = &seed_tables[t];
        const SeedTablePlan *tp = &r->p->tables[t];
        long long bf = r->base[t] + 1;
        long long bl = r->base[t] + tp->ghosts + tp->expected + (r->p->damage_ok ? 0 : tp->damage);
        long long again = 0;
        if (seed_ledger_add_keys(r->c, r->out->run_id, d->name, d->key, d->stamp, &r->keys[t],
                                 bf, bl, &again, err) != 0)
            return -1;
        r->out->reclaimed += again;
    }
    return 0;
}

static int run_generated(DbConn *c, SeedPlan *p, const ActionEvents *ev, SeedOutcome *out,
                         DbError *err)
{
    Run r;
    memset(&r, 0, sizeof r);
    r.c = c;
    r.p = p;
    r.out = out;
    r.gc = seed_gen_for(p->req.kind);
    r.L.conn = c;
    r.L.ev = ev;
    r.L.ignore_conflicts = p->ninstance > 0;
    r.L.t0_ms = seed_now_ms();
    for (size_t t = 0; t < p->ntables; t++)
        r.L.total += p->ninstance ? p->tables[t].expected : p->tables[t].rows;
    bool fk_was_on = false, sqlite = db_engine(c) == DB_ENGINE_SQLITE;
    if (sqlite && sqlite_fk_off(c, &fk_was_on, err) != 0)
        return -1;
    r.g = r.gc->open(&p->req, p->anomalies);
    int rc = begin_run(c, err);
    if (rc == 0)
        rc = seed_ledger_create(c, err);
    if (rc == 0)
        rc = allocate(&r, err);
    if (rc == 0)
        rc = load_all(&r, err);
    if (rc == 0)
        rc = record(&r, seed_now_ms() - r.L.t0_ms, err);
    if (rc == 0 && seed_cancelled(ev))
        rc = seed_cancel_error(err);
    if (rc == 0)
        rc = db_commit(c, err);
    if (rc != 0)
        db_rollback(c);
    if (sqlite)
        sqlite_fk_restore(c, fk_was_on);
    out->ms = seed_now_ms() - r.L.t0_ms;
    r.gc->close(r.g);
    for (size_t t = 0; t < SEED_NTABLES; t++)
        seed_ranges_free(&r.keys[t]);
    if (rc != 0) {
        out->inserted = 0;
        out->run_id = 0;
        memset(out->per_table, 0, sizeof out->per_table);
    }
    return rc;
}

int seed_run(DbConn *c, const SeedSettings *cfg, SeedPlan *p, const ActionEvents *ev,
             SeedOutcome *out, DbError *err)
{
    (void)cfg;
    memset(out, 0, sizeof *out);
    out->present = p->present;
    if (p->req.kind == SEED_FILES || p->req.kind == SEED_FILE)
        return seed_files_run(c, p, ev, out, err);
    return run_generated(c, p, ev, out, err);
}

/* ---- the check afterwards --------------------------------------------- */

typedef struct KeyRow {
    char *table, *key, *stamp;
    long long lo, hi;
} KeyRow;

typedef struct KeyRows {
    KeyRow *v;
    size_t  n, cap;
} KeyRows;

static int collect_key(void *ctx, const DbRow *row)
{
    KeyRows *k = ctx;
    k->v = xgrow(k->v, &k->cap, k->n + 1, sizeof *k->v);
    KeyRow *r = &k->v[k->n++];
    r->table = xstrdup(row->values[0]);
    r->key = xstrdup(row->values[1]);
    r->stamp = row->values[2] ? xstrdup(row->values[2]) : NULL;
    r->lo = atoll(row->values[3]);
    r->hi = atoll(row->values[4]);
    return 0;
}

int seed_verify_run(DbConn *c, long long run_id, long long *recorded, long long *found,
                    DbError *err)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", run_id);
    const char *v[1] = { id };
    DbParams p = { 1, v };
    KeyRows k = { NULL, 0, 0 };
    *recorded = *found = 0;
    int rc = db_query(c, "seed: ranges of a run", "/* seed: ranges of a run */ SELECT "
                      "table_name, key_column, stamp_column, first_key, last_key FROM "
                      SEED_KEYS_TABLE " WHERE run_id = CAST($1 AS bigint)", &p, collect_key,
                      &k, err);
    for (size_t i = 0; i < k.n && rc == 0; i++) {
        long long n = 0;
        rc = seed_count_range(c, k.v[i].table, k.v[i].key, k.v[i].stamp, k.v[i].lo, k.v[i].hi,
                              &n, err);
        *found += n;
        *recorded += k.v[i].hi >= k.v[i].lo ? k.v[i].hi - k.v[i].lo + 1 : 0;
    }
    for (size_t i = 0; i < k.n; i++) {
        free(k.v[i].table);
        free(k.v[i].key);
        free(k.v[i].stamp);
    }
    free(k.v);
    return rc;
}

int seed_verify(DbConn *c, const SeedPlan *p, const SeedOutcome *o, DbError *err)
{
    if (p->req.kind == SEED_FILES || p->req.kind == SEED_FILE)
        return seed_files_verify(c, p, o, err);
    if (o->run_id == 0)
        return 0;
    long long recorded = 0, found = 0;
    if (seed_verify_run(c, o->run_id, &recorded, &found, err) != 0)
        return -1;
    if (recorded + o->reclaimed != o->inserted || found != recorded) {
        db_error_set(err, DB_ERR_SQL, "after the run the ledger and the tables disagree: run "
                     "%lld inserted %lld rows (%lld at keys of earlier runs), the ledger records "
                     "%lld, the tables hold %lld of them", o->run_id, o->inserted, o->reclaimed,
                     recorded, found);
        return -1;
    }
    return 0;
}

char *seed_outcome_text(const SeedPlan *p, const SeedOutcome *o)
{
    char *label = seed_request_label(&p->req);
    char ins[32], pre[32], rate[32];
    seed_grouped(o->inserted, ins, sizeof ins);
    seed_grouped(o->present, pre, sizeof pre);
    seed_grouped(o->ms > 0 ? o->inserted * 1000 / o->ms : o->inserted, rate, sizeof rate);
    char *s;
    if (p->req.kind == SEED_FILES || p->req.kind == SEED_FILE)
        s = xasprintf("seeded %s: %zu file%s run, %s new rows (%ld.%01ld s)", label,
                      o->files_run, o->files_run == 1 ? "" : "s", ins, o->ms / 1000,
                      o->ms % 1000 / 100);
    else if (o->inserted == 0)
        s = xasprintf("%s: 0 new rows; %s already seeded", label, pre);
    else
        s = xasprintf("seeded %s: %s new rows; %s already seeded (%ld.%01ld s, %s rows/s)",
                      label, ins, pre, o->ms / 1000, o->ms % 1000 / 100, rate);
    free(label);
    return s;
}

int seed_demo_direct(DbConn *c, SeedOutcome *out, DbError *err)
{
    SeedSettings cfg = { NULL, 100 };
    SeedRequest req;
    memset(&req, 0, sizeof req);
    req.kind = SEED_DEMO;
    req.kind_given = true;
    req.seed = 1;
    SeedPlan p;
    int rc = seed_plan(c, &cfg, &req, &p, err);
    if (rc == 0)
        rc = seed_run(c, &cfg, &p, NULL, out, err);
    if (rc == 0)
        rc = seed_verify(c, &p, out, err);
    seed_plan_free(&p);
    return rc;
}
