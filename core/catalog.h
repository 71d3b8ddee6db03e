/* catalog.h: what a database holds: tables and views, their columns,
 * constraints, indexes, row estimates and sizes, views' definitions,
 * PostgreSQL's row-level security, and the DDL of a table.
 *
 * Two entry points:
 *   catalog_list_tables()  the table list only (names, kinds, rows, sizes):
 *                          cheap, for a first screen
 *   catalog_load()         everything, as one Catalog model that the console
 *                          and the command line read without further queries
 *
 * Both run a FIXED number of statements whatever the number of tables (set-
 * based catalog queries, joined in C with sorted arrays and binary search);
 * the only statements that grow are the exact row counts, one per
 * CATALOG_COUNT_BATCH tables whose estimate is unknown, and on SQLite, when
 * a view no longer compiles, one per view and virtual table, so that the
 * others keep their columns and the broken one its error.
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
 * Sizes.  PostgreSQL: pg_table_size() plus pg_relation_size() of every
 * index (pg_total_relation_size); SQLite: from dbstat (table and its
 * indexes) when SQLite has it, else -1.
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
    CatKind kind;
    /* Everything below is filled by catalog_load() only (zero from
     * catalog_list_tables()). */
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

typedef struct CatTableList {
    CatTable *items;       /* owned, sorted by schema then name */
    size_t    count;
} CatTableList;

typedef struct Catalog {
    DbEngine  engine;
    CatTable *tables;      /* owned, sorted by schema then name (bytes) */
    size_t    count;
    bool      sizes_known; /* PostgreSQL: true; SQLite: the dbstat table exists */
    bool      fk_not_enforced; /* SQLite: PRAGMA foreign_keys was off on the
                              connection that loaded the catalog, so foreign
                              keys are not checked on it; false on PostgreSQL */
    char    **keywords;    /* owned: PostgreSQL key words that must be quoted
                              as identifiers, sorted (for the DDL); NULL on SQLite */
    size_t    nkeywords;
} Catalog;

/* Lists user tables and views with rows and sizes, nothing else (the
 * tables of other migration tools are listed: they are the user's).  On
 * failure *out is empty and *err is set.  Free with catalog_tables_free(). */
int  catalog_list_tables(DbConn *c, CatTableList *out, DbError *err);
void catalog_tables_free(CatTableList *l);

/* Loads the whole catalog of c (see the top of this file).  *out is a new
 * Catalog the caller frees with catalog_free(); NULL on failure, with *err
 * set: the engine's error and code, the message prefixed with the database
 * (redacted) and the query that failed ("… : columns query: …").  Run it
 * outside a failed transaction; it changes nothing in the session. */
int  catalog_load(DbConn *c, Catalog **out, DbError *err);
void catalog_free(Catalog *cat);             /* NULL is fine */

/* The table or view schema.name (exact, byte for byte), or NULL.  With
 * schema NULL: the only relation of that name; when several schemas have
 * one, the one in "public" (PostgreSQL) or "main", else the first by
 * schema.  O(log n) with a schema, O(n) without. */
const CatTable *catalog_find(const Catalog *cat, const char *schema, const char *name);

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
