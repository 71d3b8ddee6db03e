/* seed_status.c: the ledger as `seed list` and the Seed pane read it: the
 * runs, and per table how many rows of each run are there now (see
 * seed.h). */
#include "seed_internal.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Acc {
    SeedStatus *s;
    size_t runs_cap, tables_cap;
} Acc;

static char *run_label(const char *set, const char *seed, const char *scale, const char *source)
{
    if (strcmp(set, "scale") == 0)
        return xasprintf("scale --scale %s --seed %s", scale ? scale : "?", seed ? seed : "?");
    if (strcmp(set, "file") == 0)
        return xasprintf("file %s", source ? source : "");
    return xstrdup(set);
}

static int collect_run(void *ctx, const DbRow *row)
{
    Acc *a = ctx;
    SeedStatus *s = a->s;
    s->runs = xgrow(s->runs, &a->runs_cap, s->nruns + 1, sizeof *s->runs);
    SeedRunInfo *r = &s->runs[s->nruns++];
    const char *const *v = row->values;
    r->id = atoll(v[0]);
    r->set_name = xstrdup(v[1]);
    r->seed = v[2] ? atoll(v[2]) : -1;
    r->scale = v[3] ? atoll(v[3]) : -1;
    r->source = v[4] ? xstrdup(v[4]) : NULL;
    r->rows = v[5] ? atoll(v[5]) : 0;
    r->seeded_at = xstrdup(v[6] ? v[6] : "");
    r->seeded_by = xstrdup(v[7] ? v[7] : "");
    r->duration_ms = v[8] ? atoll(v[8]) : 0;
    r->label = run_label(v[1], v[2], v[3], v[4]);
    return 0;
}

typedef struct KeyAcc {
    Acc    *a;
    DbConn *c;
    bool    counts;
    DbError *err;
    int     rc;
} KeyAcc;

static const char *label_of(const SeedStatus *s, long long run)
{
    for (size_t i = 0; i < s->nruns; i++)
        if (s->runs[i].id == run)
            return s->runs[i].label;
    return "?";
}

/* Rows come ordered by table and run: a new line when either changes. */
static int collect_key(void *ctx, const DbRow *row)
{
    KeyAcc *k = ctx;
    SeedStatus *s = k->a->s;
    const char *const *v = row->values;
    long long run = atoll(v[0]);
    SeedTableStatus *t = s->ntables ? &s->tables[s->ntables - 1] : NULL;
    if (!t || t->run_id != run || strcmp(t->table, v[1]) != 0) {
        s->tables = xgrow(s->tables, &k->a->tables_cap, s->ntables + 1, sizeof *s->tables);
        t = &s->tables[s->ntables++];
        t->table = xstrdup(v[1]);
        t->run_id = run;
        t->label = xstrdup(label_of(s, run));
        t->rows = 0;
    }
    long long lo = atoll(v[4]), hi = atoll(v[5]);
    if (!k->counts) {
        t->rows += hi >= lo ? hi - lo + 1 : 0;
        return 0;
    }
    long long n = 0;
    /* a count on this connection while the ranges are read: the ranges
     * are read whole first (see seed_status), so this never nests */
    if (seed_count_range(k->c, v[1], v[2], v[3], lo, hi, &n, k->err) != 0) {
        k->rc = -1;
        return 1;
    }
    t->rows += n;
    return 0;
}

typedef struct Range {
    char *run, *table, *key, *stamp, *lo, *hi;
} Range;

typedef struct Ranges {
    Range *v;
    size_t n, cap;
} Ranges;

static int keep_range(void *ctx, const DbRow *row)
{
    Ranges *r = ctx;
    r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
    Range *x = &r->v[r->n++];
    x->run = xstrdup(row->values[0]);
    x->table = xstrdup(row->values[1]);
    x->key = xstrdup(row->values[2]);
    x->stamp = row->values[3] ? xstrdup(row->values[3]) : NULL;
    x->lo = xstrdup(row->values[4]);
    x->hi = xstrdup(row->values[5]);
    return 0;
}

static void ranges_free(Ranges *r)
{
    for (size_t i = 0; i < r->n; i++) {
        Range *x = &r->v[i];
        free(x->run);
        free(x->table);
        free(x->key);
        free(x->stamp);
        free(x->lo);
        free(x->hi);
    }
    free(r->v);
}

int seed_status(DbConn *c, bool counts, SeedStatus *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    if (seed_ledger_exists(c, &out->ledger, err) != 0)
        return -1;
    if (!out->ledger)
        return 0;
    Acc a = { out, 0, 0 };
    bool pg = db_engine(c) == DB_ENGINE_POSTGRES;
    if (db_query(c, "seed: runs", pg
                 ? "/* seed: runs */ SELECT id, set_name, seed, scale, source, rows, "
                   "to_char(seeded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), seeded_by, "
                   "duration_ms FROM " SEED_RUNS_TABLE " ORDER BY id"
                 : "/* seed: runs */ SELECT id, set_name, seed, scale, source, rows, seeded_at, "
                   "seeded_by, duration_ms FROM " SEED_RUNS_TABLE " ORDER BY id",
                 NULL, collect_run, &a, err) != 0)
        goto fail;
    Ranges rs = { NULL, 0, 0 };
    if (db_query(c, "seed: ranges", "/* seed: ranges */ SELECT run_id, table_name, key_column, "
                 "stamp_column, first_key, last_key FROM " SEED_KEYS_TABLE " ORDER BY "
                 "table_name, run_id, first_key", NULL, keep_range, &rs, err) != 0) {
        ranges_free(&rs);
        goto fail;
    }
    KeyAcc k = { &a, c, counts, err, 0 };
    for (size_t i = 0; i < rs.n && k.rc == 0; i++) {
        const Range *x = &rs.v[i];
        const char *vals[6] = { x->run, x->table, x->key, x->stamp, x->lo, x->hi };
        DbRow row = { 6, NULL, vals, NULL, NULL };
        collect_key(&k, &row);
    }
    ranges_free(&rs);
    if (k.rc != 0)
        goto fail;
    return 0;
fail:
    seed_status_free(out);
    return -1;
}

void seed_status_free(SeedStatus *s)
{
    for (size_t i = 0; i < s->nruns; i++) {
        SeedRunInfo *r = &s->runs[i];
        free(r->label);
        free(r->set_name);
        free(r->source);
        free(r->seeded_at);
        free(r->seeded_by);
    }
    free(s->runs);
    for (size_t i = 0; i < s->ntables; i++) {
        free(s->tables[i].table);
        free(s->tables[i].label);
    }
    free(s->tables);
    memset(s, 0, sizeof *s);
}
