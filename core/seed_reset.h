/* seed_reset.h: what the two files of reset share (seed_reset.c: the plan,
 * the deletes and the check; seed_reset_refs.c: the rows of others that
 * refuse it).  Only those two include it. */
#ifndef DBW_SEED_RESET_H
#define DBW_SEED_RESET_H

#include "catalog.h"
#include "seed_internal.h"

/* The key ranges of the runs a reset removes, per table (RData: one
 * RTable per table, children first once ordered). */
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

void seed_rdata_free(RData *d);

/* The runs a reset removes, and their labels ("demo, file x.sql"). */
typedef struct Runs {
    long long *id;
    size_t n, cap;
    StrBuf labels;
} Runs;

/* " IN (CAST($k AS bigint), …)" for n run ids from parameter first on; the
 * values go to v (their text into buf). */
void seed_in_runs(StrBuf *sql, const long long *id, size_t n, int first, char (*buf)[32],
                  const char **v);

/* Refuses (DB_ERR_SQL, SEED_REFERENCED) when a row outside the reset (of
 * d's tables and runs) references a row in it through a declared foreign
 * key of cat, naming such rows; 0 when none does. */
int seed_reset_check_refs(DbConn *c, const Catalog *cat, const RData *d, const Runs *runs,
                          DbError *err);

#endif
