/* migrate.h: dbwarden's own SQL migrations against a database.
 *
 * migrate_load_dir() reads a folder of migration files; migrate_status()
 * compares it with the dbwarden_migrations table; migrate_up() applies
 * what is pending.  Applied versions are recorded in
 *   dbwarden_migrations(version PK, name, checksum, applied_at,
 *                       duration_ms, applied_by)
 * which migrate_up() creates when absent.  Each migration runs in its own
 * transaction together with its bookkeeping row.
 *
 * A migration that failed half way (a transaction:false section that
 * failed after some of its statements had run, or a statement that ended
 * dbwarden's transaction and committed part of a migration) is recorded in
 *   dbwarden_migration_failures(version PK, name, line, error, failed_at,
 *                               failed_by)
 * (line: where the failing statement starts; created on the first such
 * failure) and has the state MIG_FAILED: `up` applies nothing while one is
 * recorded.  Finishing it by hand and stamping it (migrate_plan_stamp to
 * it or to a later version, which records it as applied) clears it. */
#ifndef DBW_MIGRATE_H
#define DBW_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "migfile.h"

#define MIGRATE_TABLE "dbwarden_migrations"
#define MIGRATE_FAILURES_TABLE "dbwarden_migration_failures"

/* A file of the folder that cannot be used: unreadable, not a regular
 * file, badly named, malformed, sharing its version with another, or
 * ending dbwarden's transaction.  status lists it as a problem; no plan is
 * made while there is one. */
typedef struct MigBadFile {
    char *path;      /* owned: the file */
    char *other;     /* owned: the second file of one version, or NULL */
    char *message;   /* owned: what is wrong, naming the file and line */
} MigBadFile;

typedef struct MigDir {
    char       *path;     /* owned */
    MigFile    *files;    /* owned, sorted by version (byte order) */
    size_t      count;
    MigBadFile *bad;      /* owned: the files that could not be used */
    size_t      nbad;
} MigDir;

typedef enum MigState {
    MIG_PENDING = 0,    /* in the folder, not applied */
    MIG_APPLIED,        /* applied, file present, checksum equal */
    MIG_MISSING,        /* applied, but no file has that version */
    MIG_CHANGED,        /* applied, but the up section changed since */
    MIG_OUT_OF_ORDER,   /* pending, older than the newest applied version */
    MIG_FAILED          /* not applied, failed half way: statements of it stay
                           applied (see dbwarden_migration_failures above) */
} MigState;

typedef struct MigEntry {
    char    *version;      /* owned */
    char    *name;         /* owned */
    MigState state;
    const MigFile *file;   /* borrowed from the MigDir; NULL when missing */
    char    *applied_at;   /* owned; NULL when not applied */
    long     duration_ms;  /* -1 when not applied */
    char    *applied_by;   /* owned; NULL when not applied */
    char    *checksum;     /* owned: the recorded checksum; NULL when not applied */
    int      failed_line;  /* MIG_FAILED: line where the failing statement starts */
    char    *failed_error; /* MIG_FAILED: owned, the error; NULL otherwise */
    char    *failed_at;    /* MIG_FAILED: owned, when (UTC); NULL otherwise */
    char    *failed_by;    /* MIG_FAILED: owned, user@host; NULL otherwise */
} MigEntry;

typedef struct MigStatus {
    MigEntry *items;       /* owned, sorted by version ascending */
    size_t    count;
    size_t    applied;     /* applied, missing and changed */
    size_t    pending;     /* pending, out-of-order and failed */
    size_t    problems;    /* missing, changed, out-of-order and failed, and
                              the bad files */
    char     *current;     /* owned: the newest applied version, or NULL */
    bool      table_exists;
    MigBadFile *bad;       /* owned: the folder's bad files, then the files
                              whose sections end dbwarden's transaction */
    size_t    nbad;
} MigStatus;

/* Reads every *.sql file in dir.  A badly named .sql file (a name with a
 * control character included), a malformed file, one that cannot be read
 * or is not a regular file of at most FS_READ_MAX bytes (a FIFO, a device,
 * a link to one: see fs_read_file), and two files with one version (both
 * left out) do not fail the call: each is a MigBadFile in out->bad, so that
 * status can still show everything else.  Only a folder that cannot be
 * read fails (DB_ERR_IO).  Other files are ignored. */
int  migrate_load_dir(MigDir *out, const char *dir, DbError *err);
void migrate_dir_free(MigDir *d);

/* Reads the applied versions (none when the table does not exist) and the
 * recorded failures, and merges them with dir.  dir may be NULL (no folder
 * was given): then every applied version is simply "applied", from the
 * database's record; "missing" means a folder was given and has no file of
 * that version.  Every file of dir is checked first with migfile_check_tx
 * by c's engine: a section that would end dbwarden's transaction fails the
 * call (DB_ERR_PARSE, file and line), so that no plan is made and nothing
 * runs. */
int  migrate_status(DbConn *c, const MigDir *dir, MigStatus *out, DbError *err);
void migrate_status_free(MigStatus *s);
/* "VERSION NAME: what is wrong" for an entry whose state is a problem
 * (missing, changed, out of order, failed half way); NULL for applied and
 * pending.  Caller frees.  The text is as it is: printers escape it. */
char *migrate_problem_text(const MigEntry *e);
const char *migrate_state_name(MigState s);  /* "applied", "pending", "missing",
                                                "changed", "out_of_order", "failed" */
/* Fails (DB_ERR_SQL) when st holds a MIG_FAILED migration, with a message
 * that names its file and line and says what to do; 0 otherwise. */
int  migrate_refuse_failed(const MigStatus *st, DbError *err);

/* ---- plans and runs (migrate_run.c) ---------------------------------
 *
 * A change is planned first (migrate_plan_up/down/stamp), so that it can
 * be shown (migrate_plan_sql, the exact SQL of a dry run) and confirmed,
 * then run (migrate_run).  The plan remembers how it was made (its kind,
 * argument and folder) and where the database was (from).
 *
 * migrate_run takes the run lock (runlock.h) and plans again under it,
 * from the database as it is now.  When that plan is not the confirmed
 * one it refuses, with nothing done: "the database moved from 0010 to
 * 0012 while you were confirming: nothing was done" (DB_ERR_BUSY, code
 * MIGRATE_PLAN_CHANGED).  The one change it accepts is an up whose steps
 * another runner has applied meanwhile: those are skipped (on_skip).
 * Only then, still under the lock, is progress->before called (the place
 * for the backup), and the steps run, each checked again inside its own
 * transaction.
 *
 * Order of calls on a MigProgress during migrate_run:
 *   before (once, lock held, plan re-checked; nothing has run yet)
 *   then per step: on_skip, or on_start and (when it succeeded) on_done;
 *   cancelled is polled before each step. */

/* err->code when the database changed between the plan and the run. */
#define MIGRATE_PLAN_CHANGED "DBW_PLAN_CHANGED"

typedef enum MigStepKind {
    MIG_STEP_UP,         /* run the up section, record the version */
    MIG_STEP_DOWN,       /* run the down section, forget the version */
    MIG_STEP_RECORD,     /* stamp: record the version without running SQL */
    MIG_STEP_FORGET      /* stamp: forget the version without running SQL */
} MigStepKind;

typedef struct MigStep {
    MigStepKind    kind;
    char          *version;   /* owned */
    char          *name;      /* owned */
    const MigFile *file;      /* borrowed from the MigDir; NULL for a FORGET of
                                 a version whose file is missing */
} MigStep;

typedef enum MigPlanKind { MIG_PLAN_UP = 0, MIG_PLAN_DOWN, MIG_PLAN_STAMP } MigPlanKind;

typedef struct MigPlan {
    MigStep *steps;           /* owned, in the order they run */
    size_t   count;
    char    *summary;         /* owned: one line, e.g. "roll back 2 migrations
                                 (0010, 0009); the database ends at 0008" */
    MigPlanKind   kind;       /* how it was made, to make it again under the lock */
    char         *arg;        /* owned: the target or argument it was made from, or NULL */
    const MigDir *dir;        /* borrowed: must outlive the plan */
    char         *from;       /* owned: the version the database was at, or NULL
                                 for none applied */
    char         *to;         /* owned: the version it ends at once the plan
                                 has run, or NULL for none */
} MigPlan;

typedef struct MigProgress {
    void (*on_start)(void *ctx, const MigStep *s, size_t index, size_t total);
    void (*on_done)(void *ctx, const MigStep *s, long duration_ms);
    void *ctx;
    /* May be NULL.  Called with the run lock held and the plan re-checked,
     * before the first step; non-zero stops the run with err filled and
     * nothing run.  plan is the one that will run. */
    int  (*before)(void *ctx, const MigPlan *plan, DbError *err);
    /* May be NULL.  Polled before each step: true stops the run there
     * (DB_ERR_CANCELLED; the steps before it stay). */
    bool (*cancelled)(void *ctx);
    /* May be NULL.  A planned up step another runner applied meanwhile. */
    void (*on_skip)(void *ctx, const MigStep *s);
} MigProgress;

/* What a step did, for people: "applied", "rolled back", "recorded",
 * "forgot". */
const char *migrate_step_done_word(MigStepKind k);

/* Every plan is refused (DB_ERR_PARSE, naming the first one and saying
 * there are more) while the folder has a bad file (MigStatus.bad): a plan
 * made without a file that cannot be read could skip it or run past it.
 * migrate_refuse_bad_files() is that check.
 *
 * Pending migrations in version order, up to and including target (NULL:
 * all).  An unknown target is DB_ERR_USAGE; a failed migration
 * (MIG_FAILED) refuses the plan (migrate_refuse_failed). */
int  migrate_refuse_bad_files(const MigBadFile *bad, size_t nbad, DbError *err);
int  migrate_plan_up(DbConn *c, const MigDir *dir, const char *target, MigPlan *out,
                     DbError *err);
/* Applied migrations, newest first.  arg NULL: one step; a number N: N
 * steps; a version: every applied one newer than it (it stays applied);
 * "all": every one.  A short number that is also a version is refused as
 * ambiguous: "to:V" and "steps:N" say which.  A step whose file is missing or whose down section is
 * empty is refused (DB_ERR_USAGE, naming the file and what to do). */
int  migrate_plan_down(DbConn *c, const MigDir *dir, const char *arg, MigPlan *out,
                       DbError *err);
/* Makes the version table say target: every version up to target recorded,
 * every later one forgotten, no SQL of the migrations run. */
int  migrate_plan_stamp(DbConn *c, const MigDir *dir, const char *target, MigPlan *out,
                        DbError *err);
void migrate_plan_free(MigPlan *p);

/* The exact SQL migrate_run would send for plan, as one text (caller
 * frees): transactions, sections, bookkeeping, with values as literals. */
char *migrate_plan_sql(DbConn *c, const MigPlan *plan);

/* Plans kind with arg (see migrate_plan_up/down/stamp). */
int  migrate_plan(DbConn *c, MigPlanKind kind, const MigDir *dir, const char *arg,
                  MigPlan *out, DbError *err);

/* Runs plan under the run lock, after planning again there (see above).
 * *done (may be NULL) gets how many steps ran.  progress may be NULL.  A
 * failing step rolls back alone (steps before it stay), and the error
 * reads "<file>:<line>: <engine message>" (DB_ERR_SQL, code kept).  An
 * empty plan does nothing and succeeds.
 * Before a section runs inside dbwarden's transaction it is checked again
 * (migfile_check_tx), and while it runs a statement that ends the
 * transaction stops it at once (db_exec_script_in_tx): the step fails and
 * is not recorded as applied.  When statements of a failed step stay
 * applied (transaction:false, or that statement committed), the step is
 * recorded as failed half way (see above).  An up step is refused while a
 * failure is recorded; a stamp step clears its version's failure. */
int  migrate_run(DbConn *c, const MigPlan *plan, const MigProgress *progress, size_t *done,
                 DbError *err);

/* The pieces of migrate_run(), for a caller that holds the run lock itself
 * (the action guard, action.h):
 *   migrate_recheck()    creates the version table when missing, plans
 *                        again into *now and refuses (MIGRATE_PLAN_CHANGED)
 *                        when that is not the confirmed plan (an up may
 *                        lose steps another run did: on_skip)
 *   migrate_run_steps()  runs plan's steps (progress->before is not called)
 *   migrate_verify()     reads the version table and fails (DB_ERR_IO) when
 *                        the database is not at plan->to: never say "ok"
 *                        for what did not happen */
int  migrate_recheck(DbConn *c, const MigPlan *confirmed, MigPlan *now,
                     const MigProgress *progress, DbError *err);
int  migrate_run_steps(DbConn *c, const MigPlan *plan, const MigProgress *progress,
                       size_t *done, DbError *err);
int  migrate_verify(DbConn *c, const MigPlan *plan, DbError *err);

/* Plans and runs "up" in one call (the demo and tests use it). */
int  migrate_up(DbConn *c, const MigDir *dir, const char *target,
                const MigProgress *progress, size_t *applied_count, DbError *err);

#endif
