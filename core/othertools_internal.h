/* othertools_internal.h: what the othertools_*.c files share.
 *
 *   othertools.c          the public functions, the rule table, and the
 *                         helpers that fill an OtherTool
 *   othertools_catalog.c  the one catalog query, table and column lookup,
 *                         and the SQL templates of the readers
 *   othertools_logs.c     readers of tools that keep a run log: Flyway,
 *                         Django, Knex, Prisma, Liquibase, Atlas, sqitch
 *   othertools_versions.c readers of tools that keep versions only:
 *                         golang-migrate, dbmate, Rails, EF Core, goose
 *
 * Adding a tool: its OtherToolKind and name (othertools.h, othertools.c),
 * its table name in ot_table_names[] (othertools_catalog.c), a row in
 * rules[] (othertools.c), a reader here, and a test in
 * tests/integration/test_othertools.c with the DDL the tool runs. */
#ifndef DBW_OTHERTOOLS_INTERNAL_H
#define DBW_OTHERTOOLS_INTERNAL_H

#include "othertools.h"

#include <stdarg.h>

/* ---- the catalog: candidate tables and their columns ---------------- */

typedef struct OtColumn {
    char *name;    /* owned, as the database spells it */
    char *type;    /* owned, lower case: "timestamp with time zone", "TEXT"… */
} OtColumn;

typedef struct OtTable {
    char     *schema;   /* owned */
    char     *name;     /* owned, as the database spells it */
    OtColumn *cols;     /* owned, in column order */
    size_t    ncols;
} OtTable;

typedef struct OtCatalog {
    DbEngine engine;
    OtTable *tables;    /* owned, sorted by schema then name */
    size_t   count;
} OtCatalog;

/* The tables named like a tool's table, with their columns: one query. */
int  ot_catalog_load(DbConn *c, OtCatalog *out, DbError *err);
void ot_catalog_free(OtCatalog *cat);
/* The table named lname (any case) in schema, or NULL. */
const OtTable *ot_sibling(const OtCatalog *cat, const char *schema, const char *lname);
/* The column named lname (any case), or NULL. */
const OtColumn *ot_column(const OtTable *t, const char *lname);
/* Does t have every column of the NULL-terminated list (lower case)? */
bool ot_has_columns(const OtTable *t, const char *const *lnames);

/* Builds a statement from a template over table t:
 *   {T}        t's quoted schema.name (SQLite: just the name)
 *   {@name}    the quoted schema.name of the table lname beside t
 *   {col}      t's column col, quoted as the database spells it
 *   {col:t}    the same column as time text "YYYY-MM-DD HH:MM:SS"
 *              (PostgreSQL timestamps; other types and SQLite unchanged)
 * Returns the statement (caller frees), or NULL with *err set when the
 * template names a column or table that is not there. */
char *ot_sql(DbConn *c, const OtCatalog *cat, const OtTable *t, const char *tmpl,
             DbError *err);

/* ---- filling an OtherTool ------------------------------------------- */

/* Appends a zeroed history entry and returns it. */
OtherMigration *ot_add(OtherTool *tool);
/* Appends a problem; message from fmt. */
void ot_problem(OtherTool *tool, const char *kind, const char *version, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Appends a copy of v to tool->current. */
void ot_current_add(OtherTool *tool, const char *v);
/* Sorts tool->current by othertools_vercmp. */
void ot_current_sort(OtherTool *tool);
/* Sorts the history by version (othertools_vercmp), for tools that keep
 * no other order. */
void ot_history_sort_by_version(OtherTool *tool);

/* A copy of a time value normalised as othertools.h says; NULL for NULL. */
char *ot_time(const char *s);
/* Does this text mean true ("t", "true", "1", "yes", "on", any case)? */
bool ot_truthy(const char *s);
/* Splits "20240105120000_init" into version "20240105120000" and name
 * "init" (each owned by the caller; *name NULL when there is no "_…");
 * an id without a leading run of digits is all version. */
void ot_split_id(const char *id, char **version, char **name);
/* The first line of s, at most max bytes (caller frees); NULL for NULL. */
char *ot_first_line(const char *s, size_t max);

/* ---- readers: one per tool ----------------------------------------- */

/* Reads table t of the tool into *tool (kind, schema and table already set).
 * On failure *err says what failed; the caller names the table. */
typedef int (*OtReadFn)(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                        DbError *err);

int ot_read_flyway(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);
int ot_read_django(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);
int ot_read_knex(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);
int ot_read_prisma(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);
int ot_read_liquibase(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);
int ot_read_atlas(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);
int ot_read_sqitch(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);

int ot_read_golang(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);
int ot_read_dbmate(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);
int ot_read_rails(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);
int ot_read_efcore(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);
int ot_read_goose(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool, DbError *err);

/* Runs template tmpl over t (see ot_sql) and calls on_row per row. */
int ot_query(DbConn *c, const OtCatalog *cat, const OtTable *t, const char *label,
             const char *tmpl, const DbParams *params, DbRowFn on_row, void *ctx, DbError *err);

#endif
