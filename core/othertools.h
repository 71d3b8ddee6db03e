/* othertools.h: other migration tools' version tables, read-only.
 *
 * othertools_scan() recognises the tables that Flyway, golang-migrate,
 * dbmate, Rails, Django, Knex, Prisma, EF Core, goose, Liquibase, Atlas and
 * sqitch keep, and reads from each what that tool considers the current
 * version, its history and its problems (a dirty golang-migrate version, a
 * failed Flyway row, a failed Prisma migration, a held lock).  Nothing is
 * ever written.
 *
 * Detection is one catalog query (the columns of every table whose name is
 * one of the tools' table names, in any schema), then judged by table AND
 * column names:
 *   flyway          flyway_schema_history (or Flyway 4's schema_version) with
 *                   installed_rank, version, description, type, script,
 *                   installed_on, success
 *   golang-migrate  schema_migrations with version and dirty
 *   rails           schema_migrations with version, no dirty, and
 *                   ar_internal_metadata (key, value) in the same schema
 *   dbmate          schema_migrations with the single column version
 *   django          django_migrations (id, app, name, applied)
 *   knex            knex_migrations (id, name, batch, migration_time);
 *                   knex_migrations_lock (is_locked) when present
 *   prisma          _prisma_migrations (migration_name, started_at,
 *                   finished_at, rolled_back_at, logs)
 *   efcore          __EFMigrationsHistory (MigrationId, ProductVersion)
 *   goose           goose_db_version (id, version_id, is_applied, tstamp)
 *   liquibase       databasechangelog (id, author, filename, dateexecuted,
 *                   orderexecuted, exectype, description);
 *                   databasechangeloglock (locked) when present
 *   atlas           atlas_schema_revisions (version, description, type,
 *                   applied, total, executed_at, error); on PostgreSQL it
 *                   lives in its own schema "atlas_schema_revisions"
 *   sqitch          changes (change_id, change, project, committed_at) with
 *                   projects (project) and events (event, change_id,
 *                   change, project, committed_at) in the same schema: the
 *                   "sqitch" schema on PostgreSQL; on SQLite the registry is
 *                   a separate file (sqitch.db beside the target), recognised
 *                   when that file is the one opened
 * Table and column names match without regard to case (Liquibase writes
 * DATABASECHANGELOG in capitals on SQLite).  Only the tools' default table
 * names are recognised.  Then one data query per tool found (two for Rails,
 * Knex and Liquibase: the metadata or lock table beside it).
 *
 * Times: PostgreSQL timestamps come as "YYYY-MM-DD HH:MM:SS" (timestamptz in
 * UTC); on SQLite, epoch milliseconds or seconds (Knex, Prisma) become the
 * same form in UTC, an ISO text in UTC is cut to that form, and any other
 * text is kept as stored. */
#ifndef DBW_OTHERTOOLS_H
#define DBW_OTHERTOOLS_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

typedef enum OtherToolKind {
    OTHER_FLYWAY = 0,
    OTHER_GOLANG_MIGRATE,
    OTHER_DBMATE,
    OTHER_RAILS,
    OTHER_DJANGO,
    OTHER_KNEX,
    OTHER_PRISMA,
    OTHER_EFCORE,
    OTHER_GOOSE,
    OTHER_LIQUIBASE,
    OTHER_ATLAS,
    OTHER_SQITCH
} OtherToolKind;

typedef enum OtherMigState {
    OTHER_APPLIED = 0,   /* applied (or baselined, marked ran, resolved) */
    OTHER_FAILED,        /* the tool recorded a failure */
    OTHER_DIRTY,         /* golang-migrate: applied part-way */
    OTHER_ROLLED_BACK    /* undone since: Flyway undo/delete, Prisma rolled
                            back, goose down (old goose kept such rows) */
} OtherMigState;

/* One row of a tool's history. */
typedef struct OtherMigration {
    char *version;      /* owned: the tool's id for the migration: Flyway's
                           version, a timestamp prefix ("20240105120000" of
                           "20240105120000_init"), Django's migration name
                           ("0001_initial"), sqitch's change name, a Liquibase
                           changeset id.  NULL only for a Flyway repeatable
                           migration. */
    char *name;         /* owned: description or name; NULL when the tool
                           records none (golang-migrate, dbmate, Rails, goose,
                           Django) */
    char *group;        /* owned: Django's app, sqitch's project; NULL for
                           the other tools */
    char *applied_at;   /* owned: see "Times" above; NULL when the tool
                           records no time */
    OtherMigState state;
} OtherMigration;

/* Something the tool itself would refuse to go on with, or a person should
 * look at. */
typedef struct OtherProblem {
    char *kind;         /* owned: "failed", "dirty" or "locked" */
    char *version;      /* owned: the migration concerned, or NULL (a lock) */
    char *message;      /* owned: one line that names the table and says what
                           to do next */
} OtherProblem;

/* One tool found in the database. */
typedef struct OtherTool {
    OtherToolKind kind;
    char   *schema;        /* owned: "public", "atlas_schema_revisions",
                              "sqitch", "main", … */
    char   *table;         /* owned: the version table as the database spells
                              it ("__EFMigrationsHistory", "DATABASECHANGELOG") */
    char   *detail;        /* owned: one line of tool-specific facts (the
                              Rails environment, EF Core's product version),
                              or NULL */
    char  **current;       /* owned strings, owned array: what the tool
                              considers current; empty when nothing is
                              applied.  One entry for most tools; one per
                              app for Django ("auth.0012_…") and per project
                              for sqitch ("flipr:users"), sorted */
    size_t  ncurrent;
    OtherMigration *history;  /* owned: oldest first, in the tool's own order
                                 (installed_rank, id, orderexecuted, commit
                                 time, or version where nothing else is kept) */
    size_t  count;
    size_t  applied;       /* history entries in state OTHER_APPLIED */
    OtherProblem *problems;   /* owned */
    size_t  nproblems;
} OtherTool;

typedef struct OtherToolList {
    OtherTool *items;      /* owned: in OtherToolKind order, then by schema */
    size_t     count;      /* 0: no other tool's table was found */
} OtherToolList;

/* Finds every tool's version table in c and reads it.  On success *out
 * holds what was found (possibly nothing) and the caller releases it with
 * othertools_list_free().  Fails (*out empty; the driver's error kind and
 * code, e.g. DB_ERR_SQL with SQLSTATE 42501) when the catalog or a tool's
 * table cannot be read; the message names the table and says what to do
 * (grant SELECT on it). */
int  othertools_scan(DbConn *c, OtherToolList *out, DbError *err);
/* Releases everything *l owns and empties it; an empty list is fine. */
void othertools_list_free(OtherToolList *l);

/* The tool's name as the command line shows it: "flyway", "golang-migrate",
 * "dbmate", "rails", "django", "knex", "prisma", "efcore", "goose",
 * "liquibase", "atlas", "sqitch".  Static storage. */
const char *othertools_kind_name(OtherToolKind k);
/* "applied", "failed", "dirty", "rolled_back".  Static storage. */
const char *othertools_state_name(OtherMigState s);
/* The first tool of this kind in l, or NULL. */
const OtherTool *othertools_find(const OtherToolList *l, OtherToolKind k);

/* Compares two version strings as the tools order them: runs of digits by
 * value ("1.10" after "1.9", "0002" equal to "2"), anything else byte by
 * byte.  Returns <0, 0 or >0. */
int  othertools_vercmp(const char *a, const char *b);

#endif
