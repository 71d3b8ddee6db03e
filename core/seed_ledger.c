/* seed_ledger.c: the ledger of seed runs: its two tables, a run and its
 * key ranges written, instances and blocks found, seeded rows counted
 * (see seed.h and seed_internal.h). */
#include "migrate_internal.h"
#include "seed_internal.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int seed_ledger_exists(DbConn *c, bool *exists, DbError *err)
{
    bool runs = false, keys = false;
    if (db_table_exists(c, SEED_RUNS_TABLE, &runs, err) != 0 ||
        db_table_exists(c, SEED_KEYS_TABLE, &keys, err) != 0)
        return -1;
    *exists = runs && keys;
    return 0;
}

int seed_ledger_create(DbConn *c, DbError *err)
{
    bool pg = db_engine(c) == DB_ENGINE_POSTGRES;
    const char *runs = pg
        ? "/* seed: ledger */ CREATE TABLE IF NOT EXISTS " SEED_RUNS_TABLE " (\n"
          "  id          bigint PRIMARY KEY,\n"
          "  set_name    text NOT NULL,\n"
          "  seed        bigint,\n"
          "  scale       bigint,\n"
          "  source      text,\n"
          "  checksum    text,\n"
          "  rows        bigint NOT NULL,\n"
          "  seeded_at   timestamptz NOT NULL DEFAULT now(),\n"
          "  seeded_by   text NOT NULL,\n"
          "  duration_ms bigint NOT NULL)"
        : "/* seed: ledger */ CREATE TABLE IF NOT EXISTS " SEED_RUNS_TABLE " (\n"
          "  id          INTEGER PRIMARY KEY,\n"
          "  set_name    TEXT NOT NULL,\n"
          "  seed        INTEGER,\n"
          "  scale       INTEGER,\n"
          "  source      TEXT,\n"
          "  checksum    TEXT,\n"
          "  rows        INTEGER NOT NULL,\n"
          "  seeded_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),\n"
          "  seeded_by   TEXT NOT NULL,\n"
          "  duration_ms INTEGER NOT NULL)";
    const char *keys = pg
        ? "/* seed: ledger */ CREATE TABLE IF NOT EXISTS " SEED_KEYS_TABLE " (\n"
          "  run_id       bigint NOT NULL REFERENCES " SEED_RUNS_TABLE " (id),\n"
          "  table_name   text NOT NULL,\n"
          "  key_column   text NOT NULL,\n"
          "  first_key    bigint NOT NULL,\n"
          "  last_key     bigint NOT NULL,\n"
          "  stamp_column text,\n"
          "  stamp_max    text,\n"
          "  block_first  bigint NOT NULL,\n"
          "  block_last   bigint NOT NULL,\n"
          "  PRIMARY KEY (run_id, table_name, first_key))"
        : "/* seed: ledger */ CREATE TABLE IF NOT EXISTS " SEED_KEYS_TABLE " (\n"
          "  run_id       INTEGER NOT NULL REFERENCES " SEED_RUNS_TABLE " (id),\n"
          "  table_name   TEXT NOT NULL,\n"
          "  key_column   TEXT NOT NULL,\n"
          "  first_key    INTEGER NOT NULL,\n"
          "  last_key     INTEGER NOT NULL,\n"
          "  stamp_column TEXT,\n"
          "  stamp_max    TEXT,\n"
          "  block_first  INTEGER NOT NULL,\n"
          "  block_last   INTEGER NOT NULL,\n"
          "  PRIMARY KEY (run_id, table_name, first_key))";
    const char *index = "/* seed: ledger */ CREATE INDEX IF NOT EXISTS dbwarden_seed_keys_table_idx "
                        "ON " SEED_KEYS_TABLE " (table_name, first_key)";
    if (db_exec(c, "seed: ledger", runs, NULL, err) != 0 ||
        db_exec(c, "seed: ledger", keys, NULL, err) != 0 ||
        db_exec(c, "seed: ledger", index, NULL, err) != 0)
        return -1;
    return 0;
}

static const char *opt_num(long long v, char buf[32])
{
    if (v < 0)
        return NULL;
    snprintf(buf, 32, "%lld", v);
    return buf;
}

int seed_ledger_add_run(DbConn *c, const SeedRunRow *r, long long *id, DbError *err)
{
    char *next = NULL;
    if (db_query_value(c, "seed: next run", "/* seed: next run */ SELECT coalesce(max(id), 0) "
                       "+ 1 FROM " SEED_RUNS_TABLE, NULL, &next, err) != 0)
        return -1;
    *id = next ? atoll(next) : 1;
    free(next);
    char sid[32], sseed[32], sscale[32], srows[32], sms[32];
    snprintf(sid, sizeof sid, "%lld", *id);
    snprintf(srows, sizeof srows, "%lld", r->rows);
    snprintf(sms, sizeof sms, "%lld", r->duration_ms);
    char *who = migrate_who_applies();
    const char *v[9] = { sid, r->set_name, opt_num(r->seed, sseed), opt_num(r->scale, sscale),
                         r->source, r->checksum, srows, who, sms };
    DbParams p = { 9, v };
    int rc = db_exec(c, "seed: record run",
                     "/* seed: record run */ INSERT INTO " SEED_RUNS_TABLE " (id, set_name, "
                     "seed, scale, source, checksum, rows, seeded_by, duration_ms) VALUES "
                     "(CAST($1 AS bigint), $2, CAST($3 AS bigint), CAST($4 AS bigint), $5, $6, "
                     "CAST($7 AS bigint), $8, CAST($9 AS bigint))", &p, err);
    free(who);
    return rc;
}

/* PostgreSQL: the ranges through COPY, as the rows went. */
static int keys_copy(DbConn *c, long long run, const char *table, const char *key_column,
                     const char *stamp, const SeedRange *r, size_t n, long long bf,
                     long long bl, DbError *err)
{
    if (db_copy_begin(c, "seed: record keys", "/* seed: record keys */ COPY " SEED_KEYS_TABLE
                      " (run_id, table_name, key_column, first_key, last_key, stamp_column, "
                      "stamp_max, block_first, block_last) FROM STDIN", err) != 0)
        return -1;
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        sb_appendf(&b, "%lld\t", run);
        db_copy_field(&b, table, strlen(table));
        sb_appendc(&b, '\t');
        db_copy_field(&b, key_column, strlen(key_column));
        sb_appendf(&b, "\t%lld\t%lld\t", r[i].lo, r[i].hi);
        db_copy_field(&b, stamp, stamp ? strlen(stamp) : 0);
        sb_appendc(&b, '\t');
        db_copy_field(&b, stamp ? SEED_STAMP_MAX : NULL, stamp ? strlen(SEED_STAMP_MAX) : 0);
        sb_appendf(&b, "\t%lld\t%lld\n", bf, bl);
    }
    int rc = db_copy_put(c, b.s ? b.s : "", b.len, err);
    sb_free(&b);
    if (rc != 0)
        return -1;
    return db_copy_end(c, NULL, err);
}

static int keys_insert(DbConn *c, long long run, const char *table, const char *key_column,
                       const char *stamp, const SeedRange *r, size_t n, long long bf,
                       long long bl, DbError *err)
{
    DbStmt *st = NULL;
    if (db_prepare(c, "seed: record keys", "/* seed: record keys */ INSERT INTO "
                   SEED_KEYS_TABLE " (run_id, table_name, key_column, first_key, last_key, "
                   "stamp_column, stamp_max, block_first, block_last) VALUES ($1, $2, $3, $4, "
                   "$5, $6, $7, $8, $9)", &st, err) != 0)
        return -1;
    char srun[32], slo[32], shi[32], sbf[32], sbl[32];
    snprintf(srun, sizeof srun, "%lld", run);
    snprintf(sbf, sizeof sbf, "%lld", bf);
    snprintf(sbl, sizeof sbl, "%lld", bl);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        snprintf(slo, sizeof slo, "%lld", r[i].lo);
        snprintf(shi, sizeof shi, "%lld", r[i].hi);
        const char *v[9] = { srun, table, key_column, slo, shi, stamp,
                             stamp ? SEED_STAMP_MAX : NULL, sbf, sbl };
        DbParams p = { 9, v };
        rc = db_stmt_exec(st, &p, NULL, err);
    }
    db_stmt_free(st);
    return rc;
}

static int collect_range(void *ctx, const DbRow *row)
{
    SeedRanges *rs = ctx;
    rs->r = xgrow(rs->r, &rs->cap, rs->n + 1, sizeof *rs->r);
    rs->r[rs->n++] = (SeedRange){ atoll(row->values[0]), atoll(row->values[1]) };
    return 0;
}

/* The keys of table that earlier runs recorded, sorted and merged. */
static int covered(DbConn *c, long long run, const char *table, SeedRanges *out, DbError *err)
{
    char srun[32];
    snprintf(srun, sizeof srun, "%lld", run);
    const char *v[2] = { table, srun };
    DbParams p = { 2, v };
    int rc = db_query(c, "seed: keys seeded before",
                      "/* seed: keys seeded before */ SELECT first_key, last_key FROM "
                      SEED_KEYS_TABLE " WHERE table_name = $1 AND run_id <> CAST($2 AS bigint) "
                      "AND first_key <= last_key ORDER BY first_key", &p, collect_range, out,
                      err);
    if (rc == 0) {
        SeedRanges m = { 0 };
        for (size_t i = 0; i < out->n; i++) {   /* merge: sorted by first_key */
            SeedRange x = out->r[i];
            if (m.n && x.lo <= m.r[m.n - 1].hi + 1) {
                if (x.hi > m.r[m.n - 1].hi)
                    m.r[m.n - 1].hi = x.hi;
                continue;
            }
            m.r = xgrow(m.r, &m.cap, m.n + 1, sizeof *m.r);
            m.r[m.n++] = x;
        }
        seed_ranges_free(out);
        *out = m;
    }
    return rc;
}

/* keys without what cov covers (both sorted and merged), into out. */
static void subtract(const SeedRanges *keys, const SeedRanges *cov, SeedRanges *out)
{
    size_t j = 0;
    for (size_t i = 0; i < keys->n; i++) {
        long long lo = keys->r[i].lo, hi = keys->r[i].hi;
        while (j < cov->n && cov->r[j].hi < lo)
            j++;
        for (size_t k = j; k < cov->n && cov->r[k].lo <= hi && lo <= hi; k++) {
            if (cov->r[k].lo > lo) {
                out->r = xgrow(out->r, &out->cap, out->n + 1, sizeof *out->r);
                out->r[out->n++] = (SeedRange){ lo, cov->r[k].lo - 1 };
            }
            lo = cov->r[k].hi + 1;
        }
        if (lo <= hi) {
            out->r = xgrow(out->r, &out->cap, out->n + 1, sizeof *out->r);
            out->r[out->n++] = (SeedRange){ lo, hi };
        }
    }
}

int seed_ledger_add_keys(DbConn *c, long long run, const char *table, const char *key_column,
                         const char *stamp, const SeedRanges *keys, long long block_first,
                         long long block_last, long long *reclaimed, DbError *err)
{
    /* A key an earlier run recorded stays that run's: a row deleted by
     * hand and seeded again is one seeded row, not one per run (reset
     * would plan it twice and find it once). */
    SeedRanges cov = { 0 }, own = { 0 };
    if (keys->n && covered(c, run, table, &cov, err) != 0) {
        seed_ranges_free(&cov);
        return -1;
    }
    subtract(keys, &cov, &own);
    seed_ranges_free(&cov);
    if (reclaimed) {
        long long n = 0;
        for (size_t i = 0; i < keys->n; i++)
            n += keys->r[i].hi - keys->r[i].lo + 1;
        for (size_t i = 0; i < own.n; i++)
            n -= own.r[i].hi - own.r[i].lo + 1;
        *reclaimed = n;
    }
    /* a table with no row of this run keeps its block: an empty range */
    SeedRange empty = { block_first, block_first - 1 };
    const SeedRange *r = own.n ? own.r : &empty;
    size_t n = own.n ? own.n : 1;
    int rc = db_engine(c) == DB_ENGINE_POSTGRES
        ? keys_copy(c, run, table, key_column, stamp, r, n, block_first, block_last, err)
        : keys_insert(c, run, table, key_column, stamp, r, n, block_first, block_last, err);
    seed_ranges_free(&own);
    return rc;
}

typedef struct Ids {
    long long *v;
    size_t n, cap;
} Ids;

static int collect_id(void *ctx, const DbRow *row)
{
    Ids *ids = ctx;
    ids->v = xgrow(ids->v, &ids->cap, ids->n + 1, sizeof *ids->v);
    ids->v[ids->n++] = atoll(row->values[0]);
    return 0;
}

int seed_ledger_find_runs(DbConn *c, const char *set_name, long long seed, long long scale,
                          const char *source, const char *checksum, long long **out,
                          size_t *n, DbError *err)
{
    *out = NULL;
    *n = 0;
    char sseed[32], sscale[32];
    snprintf(sseed, sizeof sseed, "%lld", seed);
    snprintf(sscale, sizeof sscale, "%lld", scale);
    const char *v[5] = { set_name, sseed, sscale, source ? source : "", checksum ? checksum : "" };
    DbParams p = { 5, v };
    Ids ids = { NULL, 0, 0 };
    if (db_query(c, "seed: runs of a set",
                 "/* seed: runs of a set */ SELECT id FROM " SEED_RUNS_TABLE " WHERE set_name = $1 "
                 "AND coalesce(seed, -1) = CAST($2 AS bigint) AND coalesce(scale, -1) = "
                 "CAST($3 AS bigint) AND ($4 = '' OR source = $4) AND ($5 = '' OR checksum = $5) "
                 "ORDER BY id", &p, collect_id, &ids, err) != 0) {
        free(ids.v);
        return -1;
    }
    *out = ids.v;
    *n = ids.n;
    return 0;
}

/* " IN ($k, …)" for n run ids from parameter number first; the values go to v. */
static void in_list(StrBuf *sql, const long long *runs, size_t n, int first, char (*buf)[32],
                    const char **v)
{
    sb_append(sql, " IN (");
    for (size_t i = 0; i < n; i++) {
        snprintf(buf[i], 32, "%lld", runs[i]);
        v[i] = buf[i];
        sb_appendf(sql, "%sCAST($%d AS bigint)", i ? ", " : "", first + (int)i);
    }
    sb_append(sql, ")");
}

typedef struct Pair {
    long long a, b;
    bool seen;
} Pair;

static int take_pair(void *ctx, const DbRow *row)
{
    Pair *p = ctx;
    if (row->values[0] && row->values[1]) {
        p->a = atoll(row->values[0]);
        p->b = atoll(row->values[1]);
        p->seen = true;
    }
    return 1;
}

int seed_ledger_block(DbConn *c, const long long *runs, size_t nruns, const char *table,
                      long long *first, long long *last, DbError *err)
{
    *first = *last = 0;
    if (nruns == 0)
        return 0;
    StrBuf sql = STRBUF_INIT;
    sb_append(&sql, "/* seed: block of a table */ SELECT min(block_first), max(block_last) "
                    "FROM " SEED_KEYS_TABLE " WHERE table_name = $1 AND run_id");
    char (*buf)[32] = xcalloc(nruns, 32);
    const char **v = xcalloc(nruns + 1, sizeof *v);
    v[0] = table;
    in_list(&sql, runs, nruns, 2, buf, v + 1);
    DbParams p = { (int)nruns + 1, v };
    Pair pr = { 0, 0, false };
    int rc = db_query(c, "seed: block of a table", sb_str(&sql), &p, take_pair, &pr, err);
    if (rc == 0 && pr.seen) {
        *first = pr.a;
        *last = pr.b;
    }
    free(buf);
    free(v);
    sb_free(&sql);
    return rc;
}

const char *seed_stamp_cast(DbConn *c)
{
    return db_engine(c) == DB_ENGINE_POSTGRES ? "CAST($3 AS timestamptz)" : "$3";
}

int seed_count_range(DbConn *c, const char *table, const char *key, const char *stamp,
                     long long lo, long long hi, long long *n, DbError *err)
{
    *n = 0;
    if (hi < lo)
        return 0;
    char *qt = db_quote_ident(c, table), *qk = db_quote_ident(c, key);
    char *qs = stamp ? db_quote_ident(c, stamp) : NULL;
    char *sql = stamp
        ? xasprintf("/* seed: seeded rows of %s */ SELECT count(*) FROM %s WHERE %s BETWEEN "
                    "CAST($1 AS bigint) AND CAST($2 AS bigint) AND %s <= %s", table, qt, qk, qs,
                    seed_stamp_cast(c))
        : xasprintf("/* seed: seeded rows of %s */ SELECT count(*) FROM %s WHERE %s BETWEEN "
                    "CAST($1 AS bigint) AND CAST($2 AS bigint)", table, qt, qk);
    char slo[32], shi[32];
    snprintf(slo, sizeof slo, "%lld", lo);
    snprintf(shi, sizeof shi, "%lld", hi);
    const char *v[3] = { slo, shi, SEED_STAMP_MAX };
    DbParams p = { stamp ? 3 : 2, v };
    char *val = NULL;
    int rc = db_query_value(c, "seed: seeded rows", sql, &p, &val, err);
    if (rc == 0)
        *n = val ? atoll(val) : 0;
    free(val);
    free(sql);
    free(qt);
    free(qk);
    free(qs);
    return rc;
}

int seed_damage_allowed(DbConn *c, bool *ok, DbError *err)
{
    *ok = true;
    if (db_engine(c) != DB_ENGINE_POSTGRES)
        return 0;   /* SQLite: foreign keys are a setting of the loading connection */
    char *v = NULL;
    if (db_query_value(c, "seed: may plant orphans",
                       "/* seed: may plant orphans */ SELECT CASE WHEN current_setting("
                       "'is_superuser') = 'on' THEN 'yes' WHEN current_setting("
                       "'server_version_num')::int < 150000 THEN 'no' ELSE 'ask' END",
                       NULL, &v, err) != 0)
        return -1;
    bool ask = v && strcmp(v, "ask") == 0;
    *ok = v && strcmp(v, "yes") == 0;
    free(v);
    v = NULL;
    if (!ask)
        return 0;
    if (db_query_value(c, "seed: may plant orphans",
                       "/* seed: may plant orphans */ SELECT has_parameter_privilege("
                       "'session_replication_role', 'SET')", NULL, &v, err) != 0)
        return -1;
    *ok = v && (strcmp(v, "t") == 0 || strcmp(v, "true") == 0);
    free(v);
    return 0;
}
