/* seed_tables.c: the tables the Seed pane lists, with the rows each has
 * now (see seed.h: seed_tables_now). */
#include "seed_internal.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct Acc {
    SeedTableNow *v;
    size_t        n, cap;
} Acc;

static bool listed(const Acc *a, const char *table)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i].table, table) == 0)
            return true;
    return false;
}

static void add(Acc *a, const char *table, long long rows)
{
    a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
    a->v[a->n].table = xstrdup(table);
    a->v[a->n].rows = rows;
    a->n++;
}

static int count_rows(DbConn *c, const char *table, long long *rows, DbError *err)
{
    char *qt = db_quote_ident(c, table);
    char *sql = xasprintf("/* seed: rows of %s now */ SELECT count(*) FROM %s", table, qt);
    char *val = NULL;
    int rc = db_query_value(c, "seed: rows now", sql, NULL, &val, err);
    if (rc == 0)
        *rows = val ? atoll(val) : 0;
    free(val);
    free(sql);
    free(qt);
    return rc;
}

/* One table: counted when it exists, -1 when it does not (listed only
 * when the ledger names it). */
static int visit(DbConn *c, Acc *a, const char *table, bool named, DbError *err)
{
    if (listed(a, table))
        return 0;
    bool exists = false;
    if (db_table_exists(c, table, &exists, err) != 0)
        return -1;
    long long rows = -1;
    if (exists && count_rows(c, table, &rows, err) != 0)
        return -1;
    if (exists || named)
        add(a, table, rows);
    return 0;
}

int seed_tables_now(DbConn *c, const SeedStatus *st, SeedTableNow **out, size_t *n,
                    DbError *err)
{
    Acc a = { NULL, 0, 0 };
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < SEED_NTABLES; i++)
        if (visit(c, &a, seed_tables[i].name, false, err) != 0)
            goto fail;
    for (size_t i = 0; st && i < st->ntables; i++)
        if (visit(c, &a, st->tables[i].table, true, err) != 0)
            goto fail;
    *out = a.v;
    *n = a.n;
    return 0;
fail:
    seed_tables_now_free(a.v, a.n);
    return -1;
}

void seed_tables_now_free(SeedTableNow *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(t[i].table);
    free(t);
}
