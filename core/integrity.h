/* integrity.h: the integrity checks: orphaned rows of declared and inferred
 * foreign keys, counted in the database; schema lints; the engine's own
 * checks; thresholds and acceptances that decide each check's state.
 *
 * Order of calls (integrity_run() does all of it):
 *   catalog_load()            the catalog (core/catalog.h): no statement here
 *                             reads the catalog again
 *   integrity_build()         the list of checks from the catalog, filtered
 *                             (IntegrityOptions); runs no statement.  Lints
 *                             the catalog alone decides are decided here
 *   integrity_accepted_load() the acceptances (one statement; none when the
 *                             table does not exist)
 *   integrity_run_check()     per check: its statements (the orphan count by
 *                             an anti-join, a PRAGMA, a max(), ...), then
 *                             integrity_judge() (thresholds, acceptance)
 *   integrity_list_free()
 *
 * Groups (dbwarden check --only): orphans (declared foreign keys), inferred
 * (relationships no constraint declares, found by column name), lints,
 * engine (SQLite's foreign_key_check, quick_check, integrity_check).
 *
 * Orphans.  A child row is an orphan when every column of its key is not
 * NULL and no parent row has those values (MATCH SIMPLE).  The count, and
 * the number of distinct missing keys, come from one statement that
 * anti-joins the child with the parent and groups the orphans by key; no
 * row is fetched.  Its shape is chosen from the catalog
 * (integrity_count.c).
 *
 * Ids.  Every check has an id, the same on every run while the schema is
 * the same, made of its kind and the names it concerns, each written as
 * the engine would need it in SQL (a plain lower-case name as is, else
 * double-quoted):
 *   fk:public.orders(user_id)->public.users(id)
 *   inferred:main.nft_items(creator_id)->main.users(id)
 *   lint:fk_without_index:public.orders(user_id)->public.users(id)
 *   lint:no_primary_key:public.events
 *   lint:duplicate_index:public.users_email_idx (the index to drop)
 *   engine:foreign_key_check
 * When two checks would get one id (two constraints over the same
 * columns), the later ones (by constraint name) end with "#" and their
 * constraint's name.
 *
 * Threads: a list belongs to one thread at a time; nothing here keeps
 * global state.  Ownership: a list owns its checks and every string in
 * them; integrity_list_free() releases them. */
#ifndef DBW_INTEGRITY_H
#define DBW_INTEGRITY_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "config.h"
#include "db.h"
#include "session.h"

typedef enum IntegrityGroup {
    IG_ORPHANS = 0,   /* declared foreign keys */
    IG_INFERRED,      /* inferred relationships */
    IG_LINTS,         /* schema lints */
    IG_ENGINE         /* the engine's own checks */
} IntegrityGroup;
#define IG_COUNT 4

typedef enum IntegrityKind {
    IK_FOREIGN_KEY = 0,      /* orphans of a declared foreign key */
    IK_INFERRED_KEY,         /* orphans of an inferred relationship */
    IK_FK_WITHOUT_INDEX,     /* a foreign key no index of the child leads with */
    IK_NO_PRIMARY_KEY,       /* a table without a primary key */
    IK_DUPLICATE_INDEX,      /* two indexes over the same ordered columns */
    IK_REDUNDANT_INDEX,      /* a non-unique index that another one starts with */
    IK_INVALID_INDEX,        /* PostgreSQL indisvalid = false */
    IK_NOT_VALID_CONSTRAINT, /* PostgreSQL NOT VALID foreign key or check */
    IK_MONEY_FLOAT,          /* a money-like column stored as floating point */
    IK_SEQUENCE_CAPACITY,    /* a sequence past INTEGRITY_CAPACITY_PCT of its range */
    IK_KEY_CAPACITY,         /* an integer key (no sequence) past it */
    IK_STATUS_WITHOUT_CHECK, /* a status-like text column without a CHECK */
    IK_FOREIGN_KEY_CHECK,    /* SQLite PRAGMA foreign_key_check */
    IK_QUICK_CHECK,          /* SQLite PRAGMA quick_check */
    IK_INTEGRITY_CHECK       /* SQLite PRAGMA integrity_check (on demand) */
} IntegrityKind;

typedef enum IntegrityState {
    IS_PENDING = 0,   /* not run yet */
    IS_OK,
    IS_WARNING,
    IS_PROBLEM,
    IS_ACCEPTED,      /* would be a warning or problem; accepted at this count */
    IS_ERROR,         /* its statement failed: message says why */
    IS_CANCELLED
} IntegrityState;

/* Sequences and integer keys past this share of their type's maximum are
 * warnings. */
#define INTEGRITY_CAPACITY_PCT 75

/* How an orphan count is written (integrity_count.c). */
typedef enum IntegrityShape {
    ISH_NOT_EXISTS = 0,   /* NOT EXISTS, as the planner chooses */
    ISH_NOT_IN,           /* SQLite, one column: k NOT IN (SELECT parent key):
                             a scan of the child (of its index when one leads
                             with k) and a seek in the parent per row, the
                             loop PRAGMA foreign_key_check runs */
    ISH_INDEX_ONLY        /* PostgreSQL, an index of the child leads with the
                             key and both tables are mostly all-visible:
                             NOT EXISTS with sequential scans and hash joins
                             off, a merge anti-join of two index-only scans */
} IntegrityShape;

typedef struct IntegrityCheck {
    char          *id;            /* owned: see the top of this file */
    IntegrityKind  kind;
    IntegrityGroup group;
    char          *schema;        /* owned: the table's schema ("main" on SQLite);
                                     NULL for a check of the whole database */
    char          *table;         /* owned; NULL likewise */
    char         **columns;       /* owned: the child's key columns, or the
                                     columns a lint is about */
    size_t         ncolumns;
    char          *ref_schema;    /* owned: the referenced table; NULL when none */
    char          *ref_table;
    char         **ref_columns;   /* owned */
    size_t         nref_columns;
    char          *object;        /* owned: the constraint, index or sequence
                                     the check is about; NULL when none */
    bool           inferred;      /* an inferred relationship */
    bool           validated;     /* a declared key: false when NOT VALID */
    bool           child_indexed; /* an index of the child leads with the key */
    bool           nullable;      /* every key column may hold NULL (set-null) */
    IntegrityState state;
    long long      count;         /* orphan rows, or what the lint found (0 or
                                     1, a capacity in percent); -1 not known */
    long long      distinct_keys; /* distinct missing parent keys; -1 when none */
    long long      rows;          /* the child's rows, counted only for a
                                     percentage threshold; -1 otherwise */
    long           ms;            /* how long its statements took; -1 not run */
    char          *message;       /* owned: one line on what was found */
    const char    *why;           /* static: lints: why it matters; else NULL */
    char          *fix_sql;       /* owned: the SQL that fixes it; NULL when none */
    IntegrityShape shape;         /* orphan checks: the statement's shape */
    /* its acceptance, when there is one (integrity_judge) */
    bool           accepted;      /* an acceptance exists for this id */
    long long      accepted_count;
    char          *accepted_reason, *accepted_by, *accepted_at;  /* owned */
} IntegrityCheck;

typedef struct IntegrityList {
    IntegrityCheck *checks;       /* owned, in order: orphans, inferred, lints,
                                     engine; within a group by table and id */
    size_t          count;
    DbEngine        engine;
    bool            fk_not_enforced; /* SQLite: PRAGMA foreign_keys is off on
                                        the connection that ran the checks */
    long            ms;           /* the whole run, catalog included */
} IntegrityList;

typedef struct IntegrityOptions {
    unsigned    groups;       /* 1 << IntegrityGroup, or-ed; 0 = every group */
    const char *table_rx;     /* pcre2, caseless, matched against "schema.table"
                                 and "table"; NULL = every table (engine
                                 checks only run without one) */
    const char *only_id;      /* just this check; NULL = all */
    bool        full;         /* SQLite: integrity_check instead of quick_check */
} IntegrityOptions;

/* Called as checks run (all may be NULL; on the running thread). */
typedef struct IntegrityHooks {
    /* check index of total starts; what: "counting public.orders" */
    void (*progress)(void *ctx, size_t index, size_t total, const char *what);
    /* a check is done (its state set): may copy it */
    void (*done)(void *ctx, const IntegrityCheck *ck);
    /* polled between checks; true: the rest are marked cancelled */
    bool (*cancelled)(void *ctx);
    void *ctx;
} IntegrityHooks;

/* ---- names ---------------------------------------------------------- */

/* "orphans", "inferred", "lints", "engine". */
const char *integrity_group_name(IntegrityGroup g);
/* "foreign_key", "inferred_key", "fk_without_index", "no_primary_key",
 * "duplicate_index", "redundant_index", "invalid_index",
 * "not_valid_constraint", "money_float", "sequence_capacity",
 * "key_capacity", "status_without_check", "foreign_key_check",
 * "quick_check", "integrity_check". */
const char *integrity_kind_name(IntegrityKind k);
/* "pending", "ok", "warning", "problem", "accepted", "error", "cancelled". */
const char *integrity_state_name(IntegrityState s);
/* A group by its name; -1 when none has it. */
int         integrity_group_parse(const char *name);
/* How bad a state is, for sorting and --fail-on: ok/pending/accepted 0,
 * cancelled 1, warning 2, problem 3, error 4. */
int         integrity_state_rank(IntegrityState s);
/* Where a state is listed, problems first (dbwarden check, the console):
 * error 0, problem, warning, cancelled, accepted, not run, ok 6. */
int         integrity_state_order(IntegrityState s);

/* ---- thresholds ([integrity] warn_if, error_if, ...) ----------------- */

/* A condition on a count: "never", or an operator (> >= < <= = == !=)
 * and a number, which a trailing % makes a percentage of the child
 * table's rows: "> 0", ">= 100", "> 0.5%". */
typedef struct IntegrityThreshold {
    bool   never;
    char   op[3];
    double value;
    bool   percent;
} IntegrityThreshold;

/* Parses text (DB_ERR_USAGE saying what is wrong with it). */
int  integrity_threshold_parse(const char *text, IntegrityThreshold *out, DbError *err);
/* Does count meet t?  rows: the child's rows (for a percentage; when
 * rows <= 0 a percentage is 0). */
bool integrity_threshold_met(const IntegrityThreshold *t, long long count, long long rows);

/* ---- acceptances ---------------------------------------------------- */

#define INTEGRITY_ACCEPT_TABLE "dbwarden_integrity_accepted"

typedef struct IntegrityAcceptance {
    char     *check_id, *reason, *accepted_by, *accepted_at;   /* owned */
    long long count;
} IntegrityAcceptance;

typedef struct IntegrityAccepted {
    IntegrityAcceptance *items;   /* owned */
    size_t               count;
} IntegrityAccepted;

/* Reads every acceptance (none when the table does not exist).  Works on
 * a read-only connection and a hot standby. */
int  integrity_accepted_load(DbConn *c, IntegrityAccepted *out, DbError *err);
void integrity_accepted_free(IntegrityAccepted *a);
const IntegrityAcceptance *integrity_accepted_find(const IntegrityAccepted *a, const char *id);
/* Records (or replaces) the acceptance of id at count, in one statement
 * after creating the table when needed.  actor NULL: "user@host". */
int  integrity_accept(DbConn *c, const char *id, long long count, const char *reason,
                      const char *actor, DbError *err);
/* Takes it back; *removed tells whether there was one. */
int  integrity_unaccept(DbConn *c, const char *id, bool *removed, DbError *err);
/* "user@host" of this process; caller frees. */
char *integrity_actor(void);

/* ---- building and running ------------------------------------------- */

/* The checks of cat, filtered by o (NULL: all), into *out (emptied first).
 * Catalog-only lints are decided here (state ok or found); the rest are
 * pending.  Fails with DB_ERR_USAGE for a bad setting (inferred_aliases,
 * a pattern) or a bad table_rx, naming it. */
int  integrity_build(const Catalog *cat, const IntegritySettings *set,
                     const IntegrityOptions *o, IntegrityList *out, DbError *err);

/* Runs check i of list (its statements on c, bounded by c's statement
 * timeout), then judges it (integrity_judge).  A failed statement is the
 * check's state (error, or cancelled after db_cancel), not a failure of
 * this call: it returns 0 then, and -1 only when the connection is gone
 * (DB_ERR_CONNECT: the checks after it cannot run either).  cat is the
 * catalog the list was built from; acc may be NULL. */
int  integrity_run_check(DbConn *c, const Catalog *cat, const IntegritySettings *set,
                         const IntegrityAccepted *acc, IntegrityList *list, size_t i,
                         DbError *err);

/* Sets ck->state from its count: thresholds (set) for orphans and
 * foreign_key_check, found or not for lints and engine checks, then the
 * acceptance in acc (may be NULL): a check accepted at exactly its count
 * is accepted; at another count it keeps its state and says so.  A check
 * in error, cancelled or pending keeps its state. */
void integrity_judge(IntegrityCheck *ck, const IntegritySettings *set,
                     const IntegrityAccepted *acc);

/* The whole run on c: catalog, build, acceptances, every check with hooks
 * (cancel marks the checks not run cancelled).  *out is filled even when
 * it fails half way (the checks run so far); free it either way.  Fails
 * when the catalog cannot be read, a setting is bad, or the connection
 * is lost. */
int  integrity_run(DbConn *c, const Session *s, const IntegrityOptions *o,
                   const IntegrityHooks *hooks, IntegrityList *out, DbError *err);

/* The check with that id, or NULL. */
IntegrityCheck *integrity_find(const IntegrityList *l, const char *id);
void integrity_list_free(IntegrityList *l);
/* A deep copy of ck into *dst (for a job handing checks over). */
void integrity_check_copy(IntegrityCheck *dst, const IntegrityCheck *src);
void integrity_check_clear(IntegrityCheck *ck);

typedef struct IntegritySummary {
    size_t by_state[IS_CANCELLED + 1];
    size_t total;
} IntegritySummary;
void integrity_summarize(const IntegrityList *l, IntegritySummary *out);
/* "3 problems, 5 warnings, 41 ok" (states with none left out; errors,
 * cancelled, accepted and pending said when there are any); caller frees. */
char *integrity_summary_text(const IntegritySummary *s);

/* The orphan condition of an orphan check, on the child aliased alias:
 * "a.k IS NOT NULL AND NOT EXISTS (SELECT 1 FROM parent p WHERE ...)".
 * Caller frees.  (For the rows, the fix, and tests.) */
char *integrity_orphan_condition(DbConn *c, const IntegrityCheck *ck, const char *alias);
/* "schema"."table" quoted for c; caller frees. */
char *integrity_qualified(DbConn *c, const char *schema, const char *table);

/* Sets ck->shape (an orphan check) from the catalog's facts in ck and, on
 * PostgreSQL when the child is indexed, one look at how much of both
 * tables is all-visible (index-only scans need it). */
int  integrity_choose_shape(DbConn *c, IntegrityCheck *ck, DbError *err);

/* Counts the orphans of an orphan check again (rows and distinct keys),
 * with its shape; for the fix's plan under the lock and its verify. */
int  integrity_count_orphans(DbConn *c, const IntegrityCheck *ck, long long *rows,
                             long long *distinct, DbError *err);

/* Loads the catalog of c and builds the list with only the check id in it
 * (catalog and list for the rows, the fix and acceptances).  DB_ERR_USAGE
 * "no check has the id X" when there is none.  *cat is the caller's
 * (catalog_free). */
int  integrity_lookup(DbConn *c, const Session *s, const char *id, Catalog **cat,
                      IntegrityList *out, DbError *err);

#endif
