/* seed.h: demo and test data: the seed sets, the ledger of what each run
 * inserted, and reset, which removes exactly the seeded rows.
 *
 * The sets:
 *   demo     a small hand-made story on the reference schema (migrations/):
 *            named users in every situation the Licenses pane explains, and
 *            one of each finding of the Integrity and Licenses panes (the
 *            story: seed_demo.c's top comment, and the README)
 *   scale    N users and what hangs off them, skewed fan-out, a small share
 *            ([seed] anomalies) of anomalies and orphans; drawn by prng.h
 *            from (N, seed S): the same rows on both engines, every machine
 *   files    every *.sql of [seed] dir, in name order, each in its own
 *            transaction; or one FILE
 * demo and scale need the reference tables and columns: on any other
 * database the plan refuses, naming what is missing, before anything is
 * written.  Their values come from the set alone (dates from a fixed
 * anchor, SEED_ANCHOR, never the clock).
 *
 * Keys.  demo and scale give every row its key: a block per table starts
 * above every key the table has (and, on PostgreSQL, above its identity or
 * serial sequence, which is then moved past the block, so the
 * application's next rows come after it).  The first keys of a block are
 * ghosts: never inserted, they are the missing parents that the planted
 * orphans point at (below the set's rows, so SQLite never hands them out).
 * Running a set again finds its earlier run in the ledger and adds only
 * what is missing, with the same keys (INSERT … ON CONFLICT DO NOTHING /
 * INSERT OR IGNORE): "0 new rows; 12,400 already seeded".
 *
 * Damage.  The orphans break declared foreign keys; they are loaded the way
 * such damage arises: SQLite with foreign keys off on the loading
 * connection, PostgreSQL with session_replication_role = replica for those
 * rows only (a superuser, or a role granted SET on that parameter).  A
 * PostgreSQL role without it gets the set without them (the plan warns).
 *
 * The ledger (created by the first run, in its transaction):
 *   dbwarden_seed_runs (id, set_name, seed, scale, source, checksum, rows,
 *                       seeded_at, seeded_by, duration_ms)
 *   dbwarden_seed_keys (run_id, table_name, key_column, first_key,
 *                       last_key, stamp_column, stamp_max, block_first,
 *                       block_last): the keys a run inserted, as ranges
 * A row is seeded when its key is in a range of the ledger and, for demo
 * and scale, its stamp column (created_at, starts_at, issued_at) is not
 * after stamp_max (the set's anchor): a row the application wrote later
 * under a key SQLite handed out again (the largest key plus one, after the
 * seeded row was deleted by hand) is not taken for a seeded one.  A seed
 * file's rows are those its transaction added above the keys the table
 * had (PostgreSQL: in a REPEATABLE READ snapshot, so nobody else's rows);
 * a file that adds rows below them, or deletes rows, is refused, since its
 * rows could not be told apart.
 *
 * Speed.  PostgreSQL loads through COPY in the run's one transaction (the
 * ledger too); SQLite through one prepared statement per table in one
 * transaction (BEGIN IMMEDIATE).  Rows are made as they are sent: memory
 * does not grow with the scale.  Progress goes to ActionEvents.progress
 * (seed_progress_text); a cancel (ev->cancelled, db_cancel) rolls back.
 *
 * Every function here runs on one connection; the action rows
 * (action_seed.c: "seed", "reset") add the guard (read-only, production,
 * the run lock, the backup before a reset). */
#ifndef DBW_SEED_H
#define DBW_SEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "config.h"
#include "db.h"

/* The fixed date the demo and scale sets count from: every seeded stamp is
 * before it; what lies ahead of it (a healthy subscription's next billing,
 * a license's end) is in 2030 or later. */
#define SEED_ANCHOR "2026-11-01 00:00:00"

/* The tables of the reference schema that demo and scale write, in load
 * order (parents first). */
#define SEED_NTABLES 12

typedef enum SeedKind {
    SEED_DEMO = 0,
    SEED_SCALE,
    SEED_FILES,     /* every *.sql of [seed] dir */
    SEED_FILE       /* one file */
} SeedKind;

/* What a seed or reset action is asked to do.  It travels as the action's
 * argument (seed_request_format / seed_request_parse), so the command line
 * and the console hand the same thing to action_plan(): lines of
 * "key=value": set=demo|scale|files|file, scale=N, seed=S, file=PATH,
 * force=yes.  force is how --force reaches the plan: on a production
 * database seed and reset refuse without it (and the database name is
 * typed as for every change there).  A bare "demo" or "scale" is taken as
 * set=…; an empty argument is set=files when [seed] dir is set, else demo
 * (for reset: every run). */
typedef struct SeedRequest {
    SeedKind  kind;
    bool      kind_given; /* reset: a set was named (else every run) */
    long long scale;      /* scale: N users (> 0) */
    uint64_t  seed;       /* scale: S (default 1) */
    bool      seed_given;
    bool      scale_given;
    char     *file;       /* SEED_FILE: the path; reset: the file's name */
    bool      force;      /* production: go on anyway */
} SeedRequest;

/* Parses arg (NULL or "" allowed) with the defaults of cfg.  DB_ERR_USAGE
 * naming the bad line.  for_reset: set may be absent (every run), scale
 * and seed narrow a scale reset.  Free with seed_request_free. */
int   seed_request_parse(const char *arg, const SeedSettings *cfg, bool for_reset,
                         SeedRequest *out, DbError *err);
/* The argument that parses back into r (caller frees); NULL when a file
 * name holds a newline (DB_ERR_USAGE in err). */
char *seed_request_format(const SeedRequest *r, DbError *err);
void  seed_request_free(SeedRequest *r);
/* "demo", "scale --scale 1000 --seed 7", "file 0001_users.sql" (caller frees). */
char *seed_request_label(const SeedRequest *r);

/* ---- plans ------------------------------------------------------------ */

typedef struct SeedTablePlan {
    const char *table;     /* static: a reference table */
    long long   rows;      /* rows the run will insert */
    long long   present;   /* rows of this set already seeded */
    long long   expected;  /* rows of the set in this table (present + rows when
                              nothing is in the way) */
    long long   damage;    /* of expected: the orphans (loaded with checks off;
                              left out when the role may not) */
    long long   ghosts;    /* keys the block starts with, never inserted */
    long long   block_first, block_last;   /* an earlier run's block; 0, 0 */
} SeedTablePlan;

typedef struct SeedFilePlan {
    char *path;            /* owned */
    char *name;            /* owned: the base name, as the ledger keeps it */
    char  checksum[65];    /* SHA-256 of the file */
    long long seeded_run;  /* the ledger's run of this very file (changed: its
                              last run), else 0 */
    bool  changed;         /* seeded before with another checksum */
    long long done_run;    /* after seed_run: the run it made, else 0 */
} SeedFilePlan;

typedef struct SeedPlan {
    SeedRequest    req;
    SeedTablePlan  tables[SEED_NTABLES];   /* demo, scale */
    size_t         ntables;
    SeedFilePlan  *files;                  /* files, file */
    size_t         nfiles;
    long long      rows;       /* new rows in all (-1: not known before running) */
    long long      present;    /* already seeded */
    long long     *instance;   /* the earlier runs of the same set, seed and scale */
    size_t         ninstance;
    bool           damage_ok;  /* the orphans can be planted here */
    char          *warning;    /* owned: what the plan leaves out, or NULL */
    unsigned       anomalies;  /* [seed] anomalies, per 10000 */
} SeedPlan;

/* Plans req on c: nothing is written.  Refuses (DB_ERR_USAGE) a database
 * that lacks a table or column the set needs, naming them all; a files
 * set without [seed] dir or with an unreadable file (DB_ERR_IO naming
 * it).  Free with seed_plan_free (also after a failure). */
int  seed_plan(DbConn *c, const SeedSettings *cfg, const SeedRequest *req, SeedPlan *out,
               DbError *err);
void seed_plan_free(SeedPlan *p);
/* The plan as lines, one per table or file ("users  14 new rows"), and a
 * one-line summary (caller frees each). */
char  *seed_plan_summary(const SeedPlan *p);
char **seed_plan_items(const SeedPlan *p, size_t *n);
/* The same plan made again (under the run lock): 0 when it still holds,
 * else DB_ERR_BUSY saying what moved ("nothing was done"). */
int  seed_plan_recheck(DbConn *c, const SeedSettings *cfg, const SeedPlan *p, DbError *err);

/* What a run did. */
typedef struct SeedOutcome {
    long long run_id;      /* the ledger's run (the last one for files); 0 none */
    long long inserted;    /* new rows */
    long long present;     /* already seeded before */
    long long reclaimed;   /* new rows at keys an earlier run recorded (rows
                              deleted by hand, seeded again): that run's */
    long long per_table[SEED_NTABLES];   /* demo, scale: new rows per table */
    size_t    files_run;   /* files, file: files run (the others were seeded) */
    long      ms;
} SeedOutcome;

/* Runs p (under the caller's run lock) in one transaction (files: one
 * each), with progress and cancel through ev (may be NULL); writes the
 * ledger.  On failure or cancel nothing of the failing transaction stays
 * (files: the files before it stay, and the message says which). */
int  seed_run(DbConn *c, const SeedSettings *cfg, SeedPlan *p, const ActionEvents *ev,
              SeedOutcome *out, DbError *err);
/* After seed_run: the ledger has the run(s), and the rows it records are in
 * the tables; else DB_ERR_SQL saying what differs. */
int  seed_verify(DbConn *c, const SeedPlan *p, const SeedOutcome *o, DbError *err);
/* "seeded demo: 240 new rows in 12 tables; 0 already seeded (0.1 s, 2,400 rows/s)" */
char *seed_outcome_text(const SeedPlan *p, const SeedOutcome *o);

/* One line of progress as pgbench -i prints it: "users: 120000 of 6100000
 * rows (2%) done (elapsed 0.5 s, remaining 23.9 s, 250000 rows/s)". */
char *seed_progress_text(const char *table, long long done, long long total, long elapsed_ms);

/* ---- reset ------------------------------------------------------------ */

typedef struct SeedResetTable {
    char      *table;      /* owned */
    long long  rows;       /* seeded rows present, to delete */
} SeedResetTable;

typedef struct SeedResetPlan {
    SeedRequest     req;
    long long      *runs;       /* the ledger runs it removes */
    size_t          nruns;
    SeedResetTable *tables;     /* children before parents */
    size_t          ntables;
    long long       rows;
    char           *sets;       /* owned: "demo, scale --scale 10 --seed 1" */
    void           *ranges;     /* the runs' key ranges (seed_reset.c) */
} SeedResetPlan;

/* err->code of a reset refused for rows of others that reference seeded rows. */
#define SEED_REFERENCED "DBW_SEED_REFERENCED"

/* Plans a reset of the runs req names (kind_given false: every run):
 * which rows, table by table, children first.  Refuses (DB_ERR_SQL, code
 * SEED_REFERENCED) when a row that is not among them (written by the
 * application, a user, or another seed run) references one of them
 * through a declared foreign key, naming those rows ("projects id=57
 * (workspace_id=3) references seeded workspaces"); nothing is deleted.  No ledger or no run: a plan with
 * no rows. */
int  seed_reset_plan(DbConn *c, const SeedSettings *cfg, const SeedRequest *req,
                     SeedResetPlan *out, DbError *err);
void seed_reset_plan_free(SeedResetPlan *p);
int  seed_reset_recheck(DbConn *c, const SeedSettings *cfg, const SeedResetPlan *p,
                        DbError *err);
/* Deletes the planned rows, children first, and their runs from the
 * ledger, in one transaction; the count deleted must be the planned one
 * (else rolled back).  *deleted: rows removed. */
int  seed_reset_run(DbConn *c, const SeedResetPlan *p, const ActionEvents *ev,
                    long long *deleted, DbError *err);
/* After the reset: no seeded row of the runs is left, nor the runs. */
int  seed_reset_verify(DbConn *c, const SeedResetPlan *p, DbError *err);
/* The deletes a reset runs, one line per range (caller frees). */
char *seed_reset_describe(DbConn *c, const SeedResetPlan *p);

/* ---- the ledger as read by list and the Seed pane -------------------- */

typedef struct SeedRunInfo {
    long long id;
    char     *label;       /* "demo", "scale --scale 1000 --seed 7", "file x.sql" */
    char     *set_name;    /* demo | scale | file */
    long long seed, scale; /* -1 when not a scale run */
    char     *source;      /* a file's name, else NULL */
    long long rows;        /* rows the run inserted */
    char     *seeded_at;   /* "2026-12-06 18:58:38" UTC */
    char     *seeded_by;   /* "user@host" */
    long long duration_ms;
} SeedRunInfo;

typedef struct SeedTableStatus {
    char      *table;
    char      *label;      /* the run's label */
    long long  run_id;
    long long  rows;       /* seeded rows of that run present now */
} SeedTableStatus;

typedef struct SeedStatus {
    SeedRunInfo     *runs;     /* oldest first */
    size_t           nruns;
    SeedTableStatus *tables;   /* per table and run, by table name then run */
    size_t           ntables;
    bool             ledger;   /* the ledger tables exist */
} SeedStatus;

/* Reads the ledger: the runs, and per table how many rows of each run are
 * in it now (with counts: one count per recorded range; without: runs
 * only).  No ledger: an empty status (ledger false), not an error. */
int  seed_status(DbConn *c, bool counts, SeedStatus *out, DbError *err);
void seed_status_free(SeedStatus *s);

/* A table the Seed pane lists and the rows in it now. */
typedef struct SeedTableNow {
    char      *table;   /* owned */
    long long  rows;    /* rows in the table now (count(*)); -1: it does not exist */
} SeedTableNow;

/* The tables the Seed pane lists: the reference tables that exist, in load
 * order, then every other table st (a seed_status; may be NULL) names,
 * each with its rows counted now (a table of the ledger that is gone:
 * rows -1).  *out: caller frees with seed_tables_now_free.  -1 with err
 * when a count fails (nothing in *out then). */
int  seed_tables_now(DbConn *c, const SeedStatus *st, SeedTableNow **out, size_t *n,
                     DbError *err);
void seed_tables_now_free(SeedTableNow *t, size_t n);

/* The sets for `seed list`: name and one line each (static). */
typedef struct SeedSetInfo {
    const char *name;
    const char *help;
} SeedSetInfo;
extern const SeedSetInfo seed_sets[];

/* The plan and outcome of a "seed" action row, the plan of a "reset" row
 * (for the front ends' reports); NULL for another row. */
const SeedPlan      *action_seed_plan(const ActionPlan *p);
const SeedOutcome   *action_seed_outcome(const ActionPlan *p);
const SeedResetPlan *action_reset_plan(const ActionPlan *p);

/* Builds the demo set on a database nobody else sees (demo.c: the demo
 * file before it is renamed into place): plan, run and verify without the
 * run lock.  Refuses as seed_plan does on a schema that is not the
 * reference one. */
int  seed_demo_direct(DbConn *c, SeedOutcome *out, DbError *err);

#endif
