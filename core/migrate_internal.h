/* migrate_internal.h: shared by the migrate*.c files only (migrate.c the
 * folder and the status, migrate_plan.c the plans, migrate_sql.c their
 * SQL, migrate_run.c the runs, migrate_failed.c the failures). */
#ifndef DBW_MIGRATE_INTERNAL_H
#define DBW_MIGRATE_INTERNAL_H

#include "migrate.h"

/* CREATE TABLE IF NOT EXISTS for the version table, in e's dialect. */
const char *migrate_create_table_sql(DbEngine e);
/* The file of that version in dir (dir may be NULL), or NULL. */
const MigFile *migrate_find_file(const MigDir *dir, const char *version);

/* ---- failed migrations (migrate_failed.c) ----------------------------
 * The rows of dbwarden_migration_failures (see migrate.h) whose version is
 * not recorded as applied. */

typedef struct MigFailure {
    char *version, *name;  /* owned */
    int   line;            /* where the failing statement starts */
    char *error;           /* owned */
    char *failed_at;       /* owned, UTC "YYYY-MM-DD HH:MM:SS" */
    char *failed_by;       /* owned */
} MigFailure;

/* Reads the failures, sorted by version, into an owned array (*out NULL
 * and *count 0 when there are none or the table does not exist). */
int  migrate_read_failures(DbConn *c, MigFailure **out, size_t *count, DbError *err);
void migrate_failures_free(MigFailure *f, size_t count);

/* Records that version failed half way at line with error, replacing an
 * older record of it; creates the table when absent.  Runs in its own
 * transaction: call it outside one. */
int  migrate_record_failure(DbConn *c, const char *version, const char *name, int line,
                            const char *error, const char *who, DbError *err);
/* Forgets the failure of version, if the table exists. */
int  migrate_clear_failure(DbConn *c, const char *version, DbError *err);
/* The statement migrate_clear_failure runs ($1: the version). */
extern const char *const migrate_clear_failure_sql;

/* Sets err (DB_ERR_SQL) to say that version failed half way at line and
 * what to do; path (may be NULL) is its file. */
void migrate_failed_error(DbError *err, const char *version, const char *name,
                          const char *path, int line);

/* Shared by the plans, their SQL and the runs (migrate_plan.c). */
char *migrate_who_applies(void);                 /* "user@host"; caller frees */
const MigSection *migrate_step_section(const MigStep *s);   /* NULL for stamp steps */
bool  migrate_step_in_transaction(const MigStep *s);
extern const char *const migrate_record_sql;     /* $1 version .. $5 applied_by */
extern const char *const migrate_forget_sql;     /* $1 version */

#endif
