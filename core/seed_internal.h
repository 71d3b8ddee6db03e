/* seed_internal.h: what the seed files share (see seed.h).  Only
 * core/seed*.c include it.
 *
 * The pieces:
 *   seed_request.c  the action's argument, labels
 *   seed_schema.c   the reference tables (SeedTableDef), the schema check
 *   seed_demo.c     the demo story           } generators (SeedGenClass):
 *   seed_scale*.c   the scale set            } rows made one at a time
 *   seed_load.c     rows into a table: COPY or a prepared statement, the
 *                   keys inserted as ranges, progress and cancel
 *   seed_ledger.c   the ledger's tables, runs and ranges
 *   seed_plan.c     plans and rechecks; seed_run.c the run and its check
 *   seed_files.c    the SQL seed files
 *   seed_reset.c    reset: the rows, the rows of others that block it, the
 *                   deletes */
#ifndef DBW_SEED_INTERNAL_H
#define DBW_SEED_INTERNAL_H

#include "prng.h"
#include "seed.h"
#include "strbuf.h"

#define SEED_RUNS_TABLE "dbwarden_seed_runs"
#define SEED_KEYS_TABLE "dbwarden_seed_keys"
/* stamp_max as the ledger keeps it: the anchor, in UTC */
#define SEED_STAMP_MAX SEED_ANCHOR "+00"

/* The reference tables, in load order. */
enum {
    T_USERS, T_WORKSPACES, T_PROJECTS, T_SUBSCRIPTIONS, T_LICENSES, T_LICENSE_EVENTS,
    T_JOBS, T_INVOICES, T_IDEMPOTENCY, T_AUDIT_LOG, T_BOOTHS, T_NFT_ITEMS
};

#define SEED_MAXCOLS 10

typedef struct SeedTableDef {
    const char *name;
    const char *key;       /* the integer primary key column */
    const char *stamp;     /* its seeded values are before SEED_ANCHOR */
    const char *columns[SEED_MAXCOLS + 1];   /* the key first; NULL-terminated */
    int         ncols;
} SeedTableDef;

extern const SeedTableDef seed_tables[SEED_NTABLES];

/* The reference tables and columns are all there; else DB_ERR_USAGE naming
 * every missing one ("seed demo needs the reference schema (migrations/):
 * missing table licenses; missing column users.api_key"). */
int seed_schema_check(DbConn *c, const char *set, DbError *err);

/* ---- generators ------------------------------------------------------- */

/* One row: its key, its values as text (NULL: SQL NULL), and whether it
 * breaks a declared foreign key (an orphan: loaded with checks off). */
typedef struct SeedRow {
    long long   key;
    const char *v[SEED_MAXCOLS];
    bool        damage;
} SeedRow;

typedef struct SeedGen SeedGen;

typedef struct SeedGenClass {
    const char *name;
    SeedGen *(*open)(const SeedRequest *req, unsigned anomalies);
    /* rows of each table (ghosts not counted), of them the damage rows, and
     * the ghost keys each table's block starts with */
    void (*counts)(SeedGen *g, long long rows[SEED_NTABLES], long long damage[SEED_NTABLES],
                   long long ghosts[SEED_NTABLES]);
    /* Starts table t over; base[i]: the key before table i's block (its
     * ghosts are base+1.., its rows follow). */
    void (*begin)(SeedGen *g, int t, const long long base[SEED_NTABLES]);
    /* The next row of the table begun, in key order; false at its end.
     * The row's values stay valid until the next call. */
    bool (*next)(SeedGen *g, SeedRow *row);
    void (*close)(SeedGen *g);
} SeedGenClass;

extern const SeedGenClass seed_demo_gen, seed_scale_gen;
const SeedGenClass *seed_gen_for(SeedKind k);   /* NULL for files */

/* Text helpers for generators: all integer arithmetic, no locale. */
/* "YYYY-MM-DD HH:MM:SS" of seconds since 1970 (UTC) into buf[20]. */
void seed_fmt_time(long long epoch, char buf[20]);
/* "YYYY-MM-DD" into buf[11]. */
void seed_fmt_date(long long epoch, char buf[11]);
/* SEED_ANCHOR in seconds since 1970. */
long long seed_anchor_epoch(void);
/* cents as "123.45" into buf[24]. */
void seed_fmt_cents(long long cents, char buf[24]);
/* v with thousands separators ("1,234,567") into buf (32 bytes do). */
void seed_grouped(long long v, char *buf, size_t len);

/* ---- key ranges ------------------------------------------------------- */

typedef struct SeedRange {
    long long lo, hi;
} SeedRange;

typedef struct SeedRanges {
    SeedRange *r;
    size_t     n, cap;
    long long  count;      /* keys in all */
} SeedRanges;

void seed_ranges_add(SeedRanges *rs, long long key);   /* any order */
void seed_ranges_normalize(SeedRanges *rs);            /* sorted, merged */
void seed_ranges_free(SeedRanges *rs);

/* ---- loading ---------------------------------------------------------- */

typedef struct SeedLoader {
    DbConn             *conn;
    const ActionEvents *ev;
    bool                ignore_conflicts; /* rows that exist are skipped (a set run again) */
    long long           done, total;      /* rows sent, for progress */
    long                t0_ms;            /* when the run began */
    long                last_ms;          /* the last progress event */
} SeedLoader;

long seed_now_ms(void);
bool seed_cancelled(const ActionEvents *ev);
/* Loads table t's rows from g (begun on t), only the damage ones or only
 * the others; the keys inserted go to keys; *inserted counts them. */
int  seed_load_table(SeedLoader *L, const SeedTableDef *t, SeedGen *g, const SeedGenClass *gc,
                     bool damage, SeedRanges *keys, long long *inserted, DbError *err);
/* Progress of the current table (rate limited unless force). */
void seed_load_progress(SeedLoader *L, const char *table, bool force);
/* The cancel error ("cancelled: … rolled back, nothing was changed"). */
int  seed_cancel_error(DbError *err);

/* ---- the ledger ------------------------------------------------------- */

int  seed_ledger_exists(DbConn *c, bool *exists, DbError *err);
int  seed_ledger_create(DbConn *c, DbError *err);
/* A new run (its id is max + 1, under the run lock). */
typedef struct SeedRunRow {
    const char *set_name;    /* demo | scale | file */
    long long   seed, scale; /* -1: none */
    const char *source, *checksum;   /* files; NULL otherwise */
    long long   rows;
    long long   duration_ms;
} SeedRunRow;
int  seed_ledger_add_run(DbConn *c, const SeedRunRow *r, long long *id, DbError *err);
/* The ranges of one table of run id (stamp NULL for files), without the
 * keys earlier runs recorded (a row deleted by hand and seeded again stays
 * the earlier run's); *reclaimed (may be NULL) gets how many those were. */
int  seed_ledger_add_keys(DbConn *c, long long run, const char *table, const char *key_column,
                          const char *stamp, const SeedRanges *keys, long long block_first,
                          long long block_last, long long *reclaimed, DbError *err);
/* The runs of an instance: set, and for scale its seed and scale, for a
 * file its source (NULL: any); ids into *ids (caller frees). */
int  seed_ledger_find_runs(DbConn *c, const char *set_name, long long seed, long long scale,
                           const char *source, const char *checksum, long long **ids,
                           size_t *n, DbError *err);
/* The block an instance's runs reserved in table (0, 0 when none). */
int  seed_ledger_block(DbConn *c, const long long *runs, size_t nruns, const char *table,
                       long long *first, long long *last, DbError *err);
/* Rows of table with keys in [lo, hi] whose stamp is not after the anchor
 * (stamp NULL: no stamp test). */
int  seed_count_range(DbConn *c, const char *table, const char *key, const char *stamp,
                      long long lo, long long hi, long long *n, DbError *err);
/* The rows run_id recorded that are in the tables: *found of *recorded. */
int  seed_verify_run(DbConn *c, long long run_id, long long *recorded, long long *found,
                     DbError *err);
/* The PostgreSQL time-zone cast of a stamp parameter: "$3" compared as a
 * timestamp on PostgreSQL, as text on SQLite. */
const char *seed_stamp_cast(DbConn *c);

/* ---- files ------------------------------------------------------------ */

int  seed_files_plan(DbConn *c, const SeedSettings *cfg, SeedPlan *p, DbError *err);
int  seed_files_run(DbConn *c, SeedPlan *p, const ActionEvents *ev, SeedOutcome *out,
                    DbError *err);
int  seed_files_verify(DbConn *c, const SeedPlan *p, const SeedOutcome *o, DbError *err);

/* PostgreSQL: can this session plant orphans (session_replication_role)? */
int  seed_damage_allowed(DbConn *c, bool *ok, DbError *err);

#endif
