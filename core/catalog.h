/* catalog.h: what a database holds: tables and views, their columns,
 * constraints, indexes, row estimates and sizes, views' definitions,
 * PostgreSQL's row-level security, and the DDL of a table.
 *
 * Entry points, each a FIXED number of statements whatever the number of
 * tables (set-based catalog queries, joined in C with sorted arrays and
 * binary search); the only statements that grow are the exact row counts,
 * one per CATALOG_COUNT_BATCH tables whose estimate is unknown:
 *   catalog_list_tables()   the table list only (names, kinds, rows, sizes
 *                           estimated): cheap, for a first screen
 *   catalog_load()          everything, as one Catalog model that the console
 *                           and the command line read without further queries
 *   catalog_load_table()    everything about ONE table, with queries filtered
 *                           to it: constant time and memory however many
 *                           tables the database has
 *   catalog_find_named()    the relations of some names (for a lookup)
 *   catalog_measure_sizes() the exact size of every table (slow at scale: for
 *                           the background), merged with catalog_merge_sizes()
 * Statements, PostgreSQL: catalog_load 10 (8 catalog queries, and 2 that set
 * and restore the session's lock_timeout (see CATALOG_LOCK_WAIT_MS) and jit);
 * catalog_load_table 11 (the same and one that finds the table);
 * catalog_list_tables 3; catalog_measure_sizes 3.  SQLite: catalog_load 5
 * to 7 (sqlite_schema, columns (twice when a broken view makes the first
 * try fail, and then one per view and virtual table, so that the others
 * keep their columns and the broken one its error), foreign keys,
 * indexes, sqlite_stat1 when it exists, PRAGMA foreign_keys);
 * catalog_load_table the same and dbstat; catalog_list_tables 1.  Plus the
 * row counts.  CATALOG_PG_STATEMENTS and CATALOG_PG_TABLE_STATEMENTS say
 * the PostgreSQL numbers to the tests and the README.
 *
 * PostgreSQL: every schema but pg_* and information_schema; relations of
 * kinds table, partitioned table, view, materialized view, foreign table.
 * Needs PostgreSQL 13 or newer.  SQLite: the "main" database, without the
 * engine's own sqlite_* tables.
 *
 * Rows.  PostgreSQL: pg_class.reltuples; when that is -1 (never analysed)
 * the table is counted exactly, except a table whose main fork is empty on
 * disk (0 rows for sure) and a table the user may not SELECT from (left
 * unknown: its count would fail the whole load); a partitioned table has
 * the sum of its partitions.  SQLite: sqlite_stat1 when it has the table,
 * else an exact count.  Views, foreign and virtual tables: unknown (-1).
 *
 * Sizes.  Measuring a size costs a lock and a look at the files of every
 * relation and index (PostgreSQL) or a read of every page (SQLite's
 * dbstat), so the list and the whole catalog estimate them and one table
 * (catalog_load_table) or the background (catalog_measure_sizes) measures
 * them; bytes_exact tells which.  PostgreSQL estimates: the page counts
 * pg_class keeps (relpages of the table, its TOAST table and their indexes,
 * as of the last VACUUM, ANALYZE or CREATE INDEX) times the block size; a
 * table never analysed is measured.  Measured: pg_total_relation_size.
 * SQLite keeps no page counts: the list and the whole catalog leave sizes
 * unknown (-1); measured from dbstat (table and its indexes) when SQLite
 * has it (else -1).
 *
 * Text from PostgreSQL's deparsers (pg_get_constraintdef, pg_get_indexdef,
 * pg_get_viewdef, defaults) names objects as the connection's search_path
 * sees them: a table in a schema of the path is not qualified.
 *
 * Ownership: a Catalog owns every string and array it points to; one
 * catalog_free() releases it all.  Nothing in it refers to the DbConn. */
#ifndef DBW_CATALOG_H
#define DBW_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* Tables whose rows are counted by one statement (SQLite refuses a compound
 * SELECT of more than 500 terms). */
#define CATALOG_COUNT_BATCH 400

/* PostgreSQL: how long the catalog waits for a table's lock (a running
 * migration may hold one) before it gives up with a clear error. */
#define CATALOG_LOCK_WAIT_MS 2000

/* PostgreSQL: the statements catalog_load() and catalog_load_table() run
 * (without row counts), whatever the number of tables. */
#define CATALOG_PG_STATEMENTS 10
#define CATALOG_PG_TABLE_STATEMENTS 11

typedef enum CatKind {
    CAT_KIND_TABLE = 0,    /* an ordinary table */
    CAT_KIND_VIEW,         /* a view */
    CAT_KIND_MATVIEW,      /* PostgreSQL materialized view */
    CAT_KIND_PARTITIONED,  /* PostgreSQL partitioned table (the parent) */
    CAT_KIND_FOREIGN,      /* PostgreSQL foreign table */
    CAT_KIND_VIRTUAL       /* SQLite virtual table (CREATE VIRTUAL TABLE) */
} CatKind;

typedef struct CatColumn {
    char   *name;          /* owned */
    char   *type;          /* owned: PostgreSQL format_type() ("numeric(12,2)");
                              SQLite the declared type, "" when none */
    int     number;        /* PostgreSQL attnum (1-based); SQLite cid (0-based) */
    bool    nullable;      /* false when NOT NULL */
    char   *default_expr;  /* owned: the DEFAULT expression; NULL when none */
    bool    primary_key;   /* part of the primary key */
    int     pk_position;   /* 1-based place in the primary key; 0 when not part */
    char    identity;      /* PostgreSQL identity: 'a' ALWAYS, 'd' BY DEFAULT;
                              0 when not an identity column */
    char    generated;     /* generated column: 's' stored, 'v' virtual; 0 none */
    char   *generation_expr; /* owned: its expression; NULL when none or unknown */
    char   *seq_schema;    /* owned: PostgreSQL: the sequence this column owns
                              (serial), its schema and name; NULL otherwise */
    char   *seq_name;
} CatColumn;

typedef enum CatConType {
    CAT_CON_PRIMARY_KEY = 0,
    CAT_CON_UNIQUE,
    CAT_CON_FOREIGN_KEY,
    CAT_CON_CHECK,
    CAT_CON_EXCLUDE        /* PostgreSQL exclusion constraint */
} CatConType;

typedef struct CatConstraint {
    char       *name;      /* owned; NULL for a SQLite constraint declared
                              without a CONSTRAINT name */
    CatConType  type;
    char      **columns;   /* owned: the constrained columns, in key order; a
                              check: the columns it names (PostgreSQL), or its
                              column when declared on one (SQLite) */
    size_t      ncolumns;
    /* foreign keys only (NULL/0 otherwise): */
    char       *ref_schema;  /* owned */
    char       *ref_table;   /* owned: the table as the catalog names it */
    char      **ref_columns; /* owned: in the same order as columns */
    size_t      nref_columns;
    const char *on_delete;   /* static: "NO ACTION", "RESTRICT", "CASCADE",
                                "SET NULL", "SET DEFAULT" */
    const char *on_update;
    bool        deferrable;
    bool        deferred;    /* INITIALLY DEFERRED */
    /* checks only: */
    char       *expression;  /* owned: the condition, without CHECK ( ) */
    bool        validated;   /* PostgreSQL convalidated (false: NOT VALID);
                                SQLite keeps no such flag: true (for foreign
                                keys see Catalog.fk_not_enforced) */
    bool        inherited;   /* PostgreSQL: from a parent (not conislocal) */
    char       *definition;  /* owned: PostgreSQL pg_get_constraintdef(); SQLite
                                written from the parts ("UNIQUE (a, b)") */
    char       *index_name;  /* owned: the index behind a primary key, unique
                                or exclusion constraint; NULL when none */
} CatConstraint;

typedef struct CatIndex {
    char    *name;         /* owned */
    char    *definition;   /* owned: PostgreSQL pg_get_indexdef(); SQLite the
                              CREATE INDEX statement, or for an index SQLite
                              made itself for a constraint, one written from
                              its parts (origin "pk" or "u") */
    char   **columns;      /* owned: key columns in order; for an expression
                              its text ("lower(email)"); never NULL entries */
    size_t   ncolumns;
    char    *method;       /* owned: "btree", "gin", …; NULL on SQLite */
    char    *predicate;    /* owned: a partial index's WHERE condition; NULL
                              otherwise */
    bool     unique;
    bool     primary;      /* backs the primary key */
    bool     constraint;   /* made by a constraint (primary key, unique,
                              exclusion), not by CREATE INDEX */
    bool     partial;
    bool     valid;        /* PostgreSQL indisvalid (false after a failed
                              CREATE INDEX CONCURRENTLY); SQLite: true */
    bool     inherited;    /* PostgreSQL: a partition's copy of its parent's index */
    int64_t  bytes;        /* size on disk; -1 unknown (SQLite without dbstat) */
    int64_t  scans;        /* PostgreSQL idx_scan; -1 unknown (SQLite) */
} CatIndex;

typedef struct CatPolicy {     /* PostgreSQL row-level security policy */
    char   *name;          /* owned */
    const char *command;   /* static: "ALL", "SELECT", "INSERT", "UPDATE", "DELETE" */
    bool    permissive;    /* false: AS RESTRICTIVE */
    char  **roles;         /* owned: role names; {"public"} for PUBLIC */
    size_t  nroles;
    char   *using_expr;    /* owned: USING ( ); NULL when none */
    char   *check_expr;    /* owned: WITH CHECK ( ); NULL when none */
} CatPolicy;

typedef struct CatTrigger {
    char *name;            /* owned */
    char *definition;      /* owned: PostgreSQL pg_get_triggerdef(); SQLite
                              the CREATE TRIGGER statement */
    bool  enabled;         /* PostgreSQL: false when disabled; SQLite: true */
    bool  inherited;       /* PostgreSQL: a partition's clone of its parent's */
} CatTrigger;

typedef struct CatTable {
    char   *schema;        /* owned: "public", "main", … */
    char   *name;          /* owned */
    bool    is_view;       /* a view or materialized view */
    int64_t rows;          /* row count or estimate; -1 when unknown */
    bool    rows_exact;    /* rows was counted, not estimated */
    int64_t bytes;         /* size on disk with indexes and TOAST; -1 unknown */
    bool    bytes_exact;   /* bytes (and the indexes' bytes) were measured,
                              not estimated from page counts */
    CatKind kind;
    bool    detailed;      /* everything below was read (catalog_load,
                              catalog_load_table); false from
                              catalog_list_tables and catalog_find_named */
    /* Everything below is filled by catalog_load() and catalog_load_table()
     * only (zero otherwise). */
    bool    has_rowid;     /* SQLite: rows have a rowid (a table that is not
                              WITHOUT ROWID); false on PostgreSQL and views */
    bool    strict;        /* SQLite STRICT table */
    bool    rls_enabled;   /* PostgreSQL relrowsecurity */
    bool    rls_forced;    /* PostgreSQL relforcerowsecurity */
    char   *definition;    /* owned: a view's query (pg_get_viewdef; SQLite
                              the CREATE VIEW statement); NULL for tables */
    char   *sql;           /* owned: SQLite: the CREATE statement as stored in
                              sqlite_schema; NULL on PostgreSQL */
    char   *partition_key; /* owned: PostgreSQL partitioned table:
                              pg_get_partkeydef() ("RANGE (day)"); else NULL */
    char   *parent_schema; /* owned: PostgreSQL partition: its parent table */
    char   *parent_name;
    char   *partition_bound; /* owned: PostgreSQL partition: "FOR VALUES …" */
    CatColumn     *columns;      /* owned, by number */
    size_t         ncolumns;
    char          *columns_error; /* owned: why the columns could not be read
                                    (a SQLite view that no longer compiles:
                                    SQLite's error); NULL when they were */
    CatConstraint *constraints;  /* owned: primary key, unique, foreign keys,
                                    checks, exclusions, in that order */
    size_t         nconstraints;
    CatIndex      *indexes;      /* owned, by name */
    size_t         nindexes;
    CatPolicy     *policies;     /* owned, by name (PostgreSQL) */
    size_t         npolicies;
    CatTrigger    *triggers;     /* owned, by name */
    size_t         ntriggers;
} CatTable;

typedef struct Catalog {
    DbEngine  engine;
    CatTable *tables;      /* owned, sorted by schema then name (bytes) */
    size_t    count;
    bool      sizes_known; /* bytes are filled: PostgreSQL always; SQLite when
                              dbstat was read (one table, measured sizes) */
    bool      fk_not_enforced; /* SQLite: PRAGMA foreign_keys was off on the
                              connection that loaded the catalog, so foreign
                              keys are not checked on it; false on PostgreSQL */
    char    **keywords;    /* owned: PostgreSQL key words that must be quoted
                              as identifiers, sorted (for the DDL); NULL on SQLite */
    size_t    nkeywords;
} Catalog;

/* Lists user tables and views with rows and sizes (estimated, see the top
 * of this file), nothing else (the tables of other migration tools are
 * listed: they are the user's).  *out is a new Catalog of tables that are
 * not detailed; NULL on failure, with *err set. */
int  catalog_list_tables(DbConn *c, Catalog **out, DbError *err);

/* Loads the whole catalog of c (see the top of this file).  *out is a new
 * Catalog the caller frees with catalog_free(); NULL on failure, with *err
 * set: the engine's error and code, the message prefixed with the database
 * (redacted) and the query that failed ("… : columns query: …").  Run it
 * outside a failed transaction; it changes nothing in the session. */
int  catalog_load(DbConn *c, Catalog **out, DbError *err);

/* Loads the table or view schema.name (exact names) as catalog_load() would,
 * with queries filtered to it, sizes measured.  *out holds it and, for a
 * PostgreSQL partitioned table, its partitions (their rows and sizes make
 * its own); no other table, so catalog_fk_target() finds no parent.  An
 * unknown name is no error: *out then has no table (count 0).  Failures as
 * catalog_load(). */
int  catalog_load_table(DbConn *c, const char *schema, const char *name, Catalog **out,
                        DbError *err);

/* The relations whose name equals one of names[0..n-1] without regard to
 * ASCII case, or with names NULL every relation (schema, name, kind; not
 * detailed, no rows or sizes): one statement.  *out is a new Catalog;
 * NULL on failure, with *err set. */
int  catalog_find_named(DbConn *c, const char *const *names, size_t n, Catalog **out,
                        DbError *err);

/* Measures the size of every table and materialized view (PostgreSQL
 * pg_total_relation_size, a partitioned table the sum of its partitions,
 * waiting CATALOG_LOCK_WAIT_MS at most for a lock; SQLite dbstat, one read
 * of the whole file).  *out is a new Catalog of undetailed tables with only
 * schema, name and bytes (bytes_exact); sizes_known false when SQLite has
 * no dbstat.  Failures as catalog_load(). */
int  catalog_measure_sizes(DbConn *c, Catalog **out, DbError *err);

/* Takes the measured sizes of sizes into the tables of cat with the same
 * schema and name (bytes, bytes_exact; not the indexes' sizes). */
void catalog_merge_sizes(Catalog *cat, const Catalog *sizes);

/* Moves what from (a catalog_load_table() result) knows of its table
 * schema.name into the table of the same schema and name in cat, which
 * stays where it is in memory (pointers to it stay good): its details,
 * rows and sizes; and the key words when cat has none.  from gets what
 * cat had of the table instead.  false (nothing moved) when either lacks
 * the table. */
bool catalog_merge_table(Catalog *cat, Catalog *from, const char *schema, const char *name);

void catalog_free(Catalog *cat);             /* NULL is fine */

/* The table or view schema.name (exact, byte for byte), or NULL.  With
 * schema NULL: the only relation of that name; when several schemas have
 * one, the one in "public" (PostgreSQL) or "main", else the first by
 * schema.  O(log n) with a schema, O(n) without. */
const CatTable *catalog_find(const Catalog *cat, const char *schema, const char *name);

/* SQLite: sets cat->fk_not_enforced from c's PRAGMA foreign_keys (a
 * setting of each connection: the one that matters is the one the user
 * acts on, which may not be the one the catalog was read on).  A no-op on
 * PostgreSQL. */
int  catalog_note_fk_enforcement(DbConn *c, Catalog *cat, DbError *err);

/* The table a foreign key refers to, or NULL when it is not in the catalog
 * (SQLite compares the names without regard to ASCII case, as SQLite does). */
const CatTable *catalog_fk_target(const Catalog *cat, const CatConstraint *fk);

/* The DDL that recreates table t of cat, as a script of statements each
 * ending with ";\n".  PostgreSQL: written from the catalog (CREATE TABLE
 * with columns, identity, defaults, NOT NULL and constraints from
 * pg_get_constraintdef; foreign keys and NOT VALID constraints as ALTER
 * TABLE; CREATE INDEX for indexes that no constraint made (an invalid one
 * commented out); owned sequences; row-level security and policies;
 * triggers).  A partition: CREATE TABLE … PARTITION OF, with what is its
 * own.  A view: CREATE [MATERIALIZED] VIEW.  Left out: the functions
 * triggers call, types, collations, storage parameters, tablespaces,
 * comments, grants, a foreign table's server.  SQLite: the statements of
 * sqlite_schema for the table, its indexes and its triggers.  Caller frees;
 * never NULL. */
char *catalog_table_ddl(const Catalog *cat, const CatTable *t);

/* Names for output: "table"/"view" (catalog_kind_word: JSON's kind),
 * "table", "view", "materialized view", "partitioned table", "foreign
 * table", "virtual table" (catalog_kind_name), "primary_key", "unique",
 * "foreign_key", "check", "exclude" (catalog_con_type_name).  Static. */
const char *catalog_kind_word(CatKind k);
const char *catalog_kind_name(CatKind k);
const char *catalog_con_type_name(CatConType t);

/* An identifier as the engine would need it written in SQL: as is when it
 * is a plain lower-case name that is no key word, else double-quoted.
 * Caller frees.  (PostgreSQL uses cat->keywords; SQLite a fixed list.) */
char *catalog_quote_ident(const Catalog *cat, const char *name);

#endif
