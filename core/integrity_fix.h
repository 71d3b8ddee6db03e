/* integrity_fix.h: fixing the orphans of a check (delete them, or set
 * their key to NULL) in one transaction, with an inverse SQL file that
 * puts back exactly what was changed; and, for an inferred relationship,
 * a migration that declares the foreign key.
 *
 * Order of calls (action_integrity.c runs them as the "fix" action):
 *   integrity_fix_plan()    finds the check, works out which rows the fix
 *                           reaches (the orphans, and the rows their ON
 *                           DELETE CASCADE / SET NULL / SET DEFAULT reach,
 *                           from the catalog), and unless preview runs the
 *                           fix in a transaction that is rolled back: the
 *                           exact rows per table, cascades included (a fix
 *                           the database refuses fails here with its error;
 *                           rows that refer to the rows it would delete by
 *                           a NO ACTION or RESTRICT key refuse it, named;
 *                           nothing changed)
 *   integrity_fix_recheck() under the run lock: the orphans are counted
 *                           again; a count that moved refuses the fix
 *   integrity_fix_run()     one transaction (PostgreSQL REPEATABLE READ,
 *                           SQLite BEGIN IMMEDIATE): the rows it will
 *                           change are read (as SQL literals the database
 *                           writes) into the inverse file, which is
 *                           flushed to disk and put in place BEFORE the
 *                           change runs; then the change, whose counts
 *                           must equal what was read; then COMMIT.  Any
 *                           failure rolls back and removes the inverse
 *                           file: nothing changed.
 *   integrity_fix_verify()  the orphans counted again: none left
 *   integrity_fix_free()
 *
 * SQLite: PRAGMA foreign_keys is turned on for the trial and the run (and
 * back after), so that ON DELETE actions run as they do for an application
 * that enforces keys.  The inverse file (mode 0600, in [integrity]
 * inverse_dir, else [backup] dir) is a script for the same database:
 * SQLite's starts with PRAGMA foreign_keys = OFF; PostgreSQL's drops the
 * checked constraint while it puts the orphans back and adds it again NOT
 * VALID (orphans cannot sit under a valid constraint).  Set-null needs a
 * key to find the rows again: a primary key (or SQLite's rowid). */
#ifndef DBW_INTEGRITY_FIX_H
#define DBW_INTEGRITY_FIX_H

#include <stdbool.h>

#include "integrity.h"

typedef enum IntegrityFixMode {
    INTEGRITY_FIX_DELETE = 0,
    INTEGRITY_FIX_SET_NULL
} IntegrityFixMode;

/* One table the fix reaches. */
typedef struct IntegrityFixNode {
    char      *schema, *table;   /* owned */
    bool       update;           /* its key columns are set (NULL or default),
                                    not its rows deleted */
    char     **set_cols;         /* owned: update: the columns set */
    size_t     nset_cols;
    const char *action;          /* static: "orphans", "ON DELETE CASCADE",
                                    "ON DELETE SET NULL", ... */
    char      *cond;             /* owned: which rows, on alias */
    char      *alias;            /* owned: "t0", "t1", ... */
    long long  rows;             /* rows reached: counted by the trial; -1 not known */
    long long  captured;         /* rows written to the inverse file by the run */
} IntegrityFixNode;

typedef struct IntegrityFix {
    IntegrityFixMode  mode;
    Catalog          *cat;         /* owned */
    IntegrityList     list;        /* owned: the check, list.checks[0] */
    IntegrityCheck   *ck;          /* borrowed from list */
    long long         orphans;     /* orphan rows when planned */
    long long         distinct;
    IntegrityFixNode *nodes;       /* owned: [0] is the check's table */
    size_t            nnodes;
    IntegrityFixNode *blockers;    /* owned: rows that refer by a NO ACTION or
                                      RESTRICT key to rows the delete removes:
                                      any of them refuses the fix (SQLite's own
                                      check misses them after orphans were
                                      loaded with foreign keys off) */
    size_t            nblockers;
    long long         total;       /* rows the trial changed, cascades included;
                                      -1 without a trial (preview) */
    char             *sql;         /* owned: the change, as it runs */
    char             *inverse_dir; /* owned: where the inverse file goes */
    char             *inverse_path;/* owned: the inverse file written, after run */
} IntegrityFix;

/* "delete" or "set-null" (also "set_null"); -1 otherwise. */
int  integrity_fix_mode_parse(const char *s);
const char *integrity_fix_mode_name(IntegrityFixMode m);

/* Plans the fix of check id (see the top).  trial: run it in a rolled-back
 * transaction for the exact counts (not on a read-only connection).
 * DB_ERR_USAGE: no such check, not an orphan check, set-null on a NOT
 * NULL column or without a key, a cascade through a cycle.  *f is filled
 * even on failure; free it either way. */
int  integrity_fix_plan(DbConn *c, const Session *s, const char *id, IntegrityFixMode mode,
                        bool trial, IntegrityFix *f, DbError *err);
int  integrity_fix_recheck(DbConn *c, IntegrityFix *f, DbError *err);
/* cancelled (may be NULL) is polled between steps. */
int  integrity_fix_run(DbConn *c, IntegrityFix *f, bool (*cancelled)(void *), void *ctx,
                       DbError *err);
int  integrity_fix_verify(DbConn *c, IntegrityFix *f, DbError *err);
void integrity_fix_free(IntegrityFix *f);

/* ---- inverse files (integrity_inverse.c) ------------------------------ */

/* Inside the run's transaction: reads every row the fix will change into
 * a new inverse file in f->inverse_dir (mode 0600), flushes it and puts
 * it in place (f->inverse_path); nodes[i].captured are the rows read. */
int  integrity_inverse_write(DbConn *c, IntegrityFix *f, DbError *err);

/* ---- a migration for an inferred relationship (integrity_fkmig.c) ----- */

typedef struct IntegrityFkMigration {
    char *dir;                 /* owned: the migrations folder */
    char *names[2];            /* owned: the file names (the second, NULL on
                                  SQLite: the validation) */
    char *texts[2];            /* owned: their contents */
} IntegrityFkMigration;

/* The migration(s) that declare the inferred relationship ck as a foreign
 * key, in the folder dir (its versions: the next number when they are
 * numbers of one width, else a UTC timestamp).  PostgreSQL: one migration
 * adding it NOT VALID, one validating it (it fails while orphans remain);
 * SQLite: one that makes the table again with the key (SQLite cannot add a
 * constraint), its indexes and triggers after.  Each with its down
 * section.  DB_ERR_USAGE when ck is not inferred. */
int  integrity_fkmig_plan(const Catalog *cat, const IntegrityCheck *ck, const char *dir,
                          IntegrityFkMigration *m, DbError *err);
/* Writes the files (new only: an existing name fails, nothing written). */
int  integrity_fkmig_write(const IntegrityFkMigration *m, DbError *err);
void integrity_fkmig_free(IntegrityFkMigration *m);

/* ---- the action rows' arguments and plans (action_integrity.c) -------- */

/* The argument of the "accept" action: id, reason and actor (NULL:
 * user@host) as netstrings, so that each may hold any byte.  Caller frees.
 * ("fix" takes "delete:ID" or "set-null:ID"; "unaccept" and
 * "fk-migration" the id itself.) */
char *integrity_accept_arg(const char *id, const char *reason, const char *actor);

struct ActionPlan;
/* A planned fix's own plan (its nodes, counts, and after the run the
 * inverse file), or NULL when p is not a fix. */
const IntegrityFix *action_fix_data(const struct ActionPlan *p);
/* A planned accept's count (the check's count it accepts); -1 when p is
 * not an accept. */
long long action_accept_count(const struct ActionPlan *p);
/* A planned fk-migration's files, or NULL. */
const IntegrityFkMigration *action_fk_migration_data(const struct ActionPlan *p);

#endif
