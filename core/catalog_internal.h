/* catalog_internal.h: what the catalog's files share.  Only core/catalog*.c
 * include this.
 *   catalog.c          loading (both engines' entry), lookup, merging, freeing,
 *                      names, and the steps the engines share
 *   catalog_list.c     the table list, names, measured sizes
 *   catalog_pg.c       the PostgreSQL loader
 *   catalog_sqlite.c   the SQLite loader
 *   catalog_sqlparse.c SQLite's stored CREATE statements read
 *   catalog_ddl.c      the DDL of a table
 *
 * Loading (catalog_load, catalog_load_table): the engine's loader fills
 * cat->tables from one query, sorts them (cat_sort_tables), builds a lookup
 * map from the key its later queries return (PostgreSQL: the table's oid;
 * SQLite: its name, ASCII case folded), then runs one query per kind of
 * object and attaches every row to its table through the map.  Rows whose
 * table is not in the map (created while loading) are skipped.  With a
 * scope (one table), every query has the same text plus a filter on the
 * table, so that both loads read the same things the same way. */
#ifndef DBW_CATALOG_INTERNAL_H
#define DBW_CATALOG_INTERNAL_H

#include "catalog.h"

/* ---- small conversions of DbRow values ---- */

/* PostgreSQL 't' or SQLite '1' (any non-zero number). */
bool    cat_bool(const char *v);
/* A whole number, or dflt for NULL. */
int64_t cat_i64(const char *v, int64_t dflt);
/* Frees n strings and the array. */
void    cat_strv_free(char **v, size_t n);
/* Appends a copy of s to *v (n entries, *cap allocated). */
void    cat_strv_push(char ***v, size_t *n, size_t *cap, const char *s);

/* ---- lookup maps: sorted arrays, binary search ---- */

typedef struct CatMapEntry {
    int64_t     num;   /* numeric key (oid) */
    const char *str;   /* text key (not owned) */
    size_t      idx;   /* index into cat->tables */
} CatMapEntry;

typedef struct CatMap {
    CatMapEntry *items;
    size_t       count;
    bool         fold;     /* text keys compare without ASCII case */
    size_t       last;     /* the last hit: rows come grouped by table */
} CatMap;

/* A map of the tables by number (keys[i] for table i) or by name. */
void cat_map_by_num(CatMap *m, const int64_t *keys, size_t n);
void cat_map_by_name(CatMap *m, const Catalog *cat, bool fold);
/* The table index for a key, or (size_t)-1. */
size_t cat_map_num(CatMap *m, int64_t key);
size_t cat_map_str(CatMap *m, const char *key);
void cat_map_free(CatMap *m);

/* ---- shared steps ---- */

/* db_query() whose error names the query ("columns query: …"; the label
 * without its "catalog: "). */
int  cat_query(DbConn *c, const char *label, const char *sql, DbRowFn fn, void *ctx,
               DbError *err);

/* Room for one more element in an array of n elements of elem bytes: a
 * table's columns, constraints, indexes… (a table has a few: grown one at
 * a time, so that 10,000 tables do not each keep room to spare). */
void *cat_append(void *p, size_t n, size_t elem);
/* An array of n elements of elem bytes, reallocated to fit (grown arrays
 * have room to spare; 10,000 tables of them add up); NULL when n is 0. */
void *cat_shrink(void *p, size_t n, size_t elem);
/* Sorts tables by schema then name (strcmp). */
void cat_sort_tables(CatTable *t, size_t n);
/* Counts the rows of tables[need[i]] exactly, one statement per
 * CATALOG_COUNT_BATCH tables; sets rows and rows_exact. */
int  cat_count_rows(DbConn *c, CatTable *tables, const size_t *need, size_t n, DbError *err);
/* Releases what one table owns (not the struct itself). */
void cat_table_clear(CatTable *t);
/* The static name of a foreign key action from PostgreSQL's code
 * (a r c n d) or SQLite's text; "NO ACTION" for anything else. */
const char *cat_fk_action(const char *v);

/* PostgreSQL: the session's settings while the catalog is read: lock_timeout
 * CATALOG_LOCK_WAIT_MS, jit off.  cat_pg_settings_begin() sets them in one
 * statement and keeps what they were in *s; cat_pg_settings_end() puts that
 * back in one statement (nothing when the first failed) and frees *s.
 * Errors are left to the statements between them. */
typedef struct CatPgSettings {
    char *lock_timeout;   /* owned; NULL: nothing to restore */
    char *jit;
} CatPgSettings;
void cat_pg_settings_begin(DbConn *c, CatPgSettings *s);
void cat_pg_settings_end(DbConn *c, CatPgSettings *s);
/* Says why when err is a lock timeout. */
void cat_explain_lock(DbError *err);
/* The kind of a relation from PostgreSQL's relkind letter (or 'x' for a
 * SQLite virtual table). */
CatKind cat_kind_of(const char *relkind);

/* ---- engines ---- */

/* One table to load instead of all (catalog_load_table), or NULL. */
typedef struct CatScope {
    const char *schema;
    const char *name;
} CatScope;

int cat_load_pg(DbConn *c, Catalog *cat, const CatScope *scope, DbError *err);
int cat_load_sqlite(DbConn *c, Catalog *cat, const CatScope *scope, DbError *err);

/* PostgreSQL array text ({a,"b c",NULL}) into strings (NULL elements
 * become NULL); int2vector text ("1 2 0") into numbers.  Caller frees. */
void cat_pg_text_array(const char *s, char ***out, size_t *n);
void cat_pg_int_vector(const char *s, int **out, size_t *n);

/* ---- SQLite: CREATE TABLE read for what no pragma tells ---- */

typedef enum SqpKind { SQP_PRIMARY_KEY, SQP_UNIQUE, SQP_FOREIGN_KEY, SQP_CHECK } SqpKind;

typedef struct SqpConstraint {
    SqpKind kind;
    char   *name;          /* CONSTRAINT name, or NULL */
    char  **columns;       /* key columns (for a column's own constraint: it) */
    size_t  ncolumns;
    char   *ref_table;     /* foreign key: the table named after REFERENCES */
    char  **ref_columns;
    size_t  nref_columns;
    char   *expression;    /* check: the text between its parentheses */
    bool    used;          /* for the matcher: paired with a pragma row */
} SqpConstraint;

typedef struct SqpGenerated {
    char *column;
    char *expression;
} SqpGenerated;

typedef struct SqpTable {
    bool           parsed;        /* false: not a CREATE TABLE with columns */
    bool           without_rowid;
    bool           strict;
    bool           is_virtual;
    SqpConstraint *cons;
    size_t         ncons;
    SqpGenerated  *gen;
    size_t         ngen;
} SqpTable;

/* Reads sql (a CREATE TABLE statement from sqlite_schema).  Never fails:
 * what it cannot read it leaves out (parsed false when nothing). */
void cat_sqlite_parse(const char *sql, SqpTable *out);
void cat_sqlite_parse_free(SqpTable *t);
/* The query of a CREATE VIEW statement (after AS); sql itself when it
 * cannot tell.  Caller frees; NULL for NULL. */
char *cat_sqlite_view_query(const char *sql);
/* The key items of a CREATE INDEX statement (their text, as written) and
 * its WHERE condition (NULL when none).  Caller frees both. */
void cat_sqlite_index_parts(const char *sql, char ***items, size_t *n, char **where);

#endif
