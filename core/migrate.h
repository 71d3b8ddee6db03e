/* migrate.h: dbwarden's own SQL migrations against a database.
 *
 * migrate_load_dir() reads a folder of migration files; migrate_status()
 * compares it with the dbwarden_migrations table; migrate_up() applies
 * what is pending.  Applied versions are recorded in
 *   dbwarden_migrations(version PK, name, checksum, applied_at,
 *                       duration_ms, applied_by)
 * which migrate_up() creates when absent.  Each migration runs in its own
 * transaction together with its bookkeeping row. */
#ifndef DBW_MIGRATE_H
#define DBW_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "migfile.h"

#define MIGRATE_TABLE "dbwarden_migrations"
#define MIGRATE_LOCK_WAIT_MS 10000  /* how long a second runner waits for the first */

typedef struct MigDir {
    char    *path;     /* owned */
    MigFile *files;    /* owned, sorted by version (byte order) */
    size_t   count;
} MigDir;

typedef enum MigState {
    MIG_PENDING = 0,    /* in the folder, not applied */
    MIG_APPLIED,        /* applied, file present, checksum equal */
    MIG_MISSING,        /* applied, but no file has that version */
    MIG_CHANGED,        /* applied, but the up section changed since */
    MIG_OUT_OF_ORDER    /* pending, older than the newest applied version */
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
} MigEntry;

typedef struct MigStatus {
    MigEntry *items;       /* owned, sorted by version ascending */
    size_t    count;
    size_t    applied;     /* applied, missing and changed */
    size_t    pending;     /* pending and out-of-order */
    size_t    problems;    /* missing, changed and out-of-order */
    char     *current;     /* owned: the newest applied version, or NULL */
    bool      table_exists;
} MigStatus;

/* Callbacks while migrate_up() runs; any member may be NULL. */
typedef struct MigProgress {
    void (*on_start)(void *ctx, const MigFile *f, size_t index, size_t total);
    void (*on_done)(void *ctx, const MigFile *f, long duration_ms);
    void *ctx;
} MigProgress;

/* Reads every *.sql file in dir.  A badly named .sql file, a malformed file,
 * or two files with one version fail with DB_ERR_PARSE naming the file(s).
 * Other files are ignored. */
int  migrate_load_dir(MigDir *out, const char *dir, DbError *err);
void migrate_dir_free(MigDir *d);

/* Reads the applied versions (none when the table does not exist) and
 * merges them with dir (which may be NULL: then every applied version is
 * "missing"). */
int  migrate_status(DbConn *c, const MigDir *dir, MigStatus *out, DbError *err);
void migrate_status_free(MigStatus *s);
const char *migrate_state_name(MigState s);  /* "applied", "pending", "missing",
                                                "changed", "out_of_order" */

/* Applies pending migrations in version order, up to and including target
 * (NULL = all).  *applied_count (may be NULL) gets how many ran.  On a
 * failing statement that migration's transaction is rolled back, the ones
 * before it stay applied, and the error reads
 *   "<file>:<line>: <engine message>" (DB_ERR_SQL, code kept). */
int  migrate_up(DbConn *c, const MigDir *dir, const char *target,
                const MigProgress *progress, size_t *applied_count, DbError *err);

#endif
