/* integrity_internal.h: what the integrity_*.c files share; not for other
 * modules. */
#ifndef DBW_INTEGRITY_INTERNAL_H
#define DBW_INTEGRITY_INTERNAL_H

#include "integrity.h"
#include "integrity_fix.h"
#include "rx.h"
#include "strbuf.h"

/* The list being built (integrity_build.c), for the lints too. */
typedef struct IntBuild {
    const Catalog           *cat;
    const IntegritySettings *set;
    IntegrityList           *out;
    size_t                   cap;
} IntBuild;

/* A new check of kind at the end of the list (zeroed; count, distinct
 * keys and rows -1, ms -1, validated true); the pointer is good until the
 * next ib_add. */
IntegrityCheck *ib_add(IntBuild *b, IntegrityKind kind, const CatTable *t);
/* Sets ck->columns (copied). */
void ib_set_columns(IntegrityCheck *ck, char *const *cols, size_t n);
/* Sets the referenced table and its columns (copied). */
void ib_set_ref(IntegrityCheck *ck, const char *schema, const char *table, char *const *cols,
                size_t n);

/* "schema.table" with each name written as SQL needs it (catalog_quote_ident);
 * with cols: "schema.table(a,b)".  Appended to b. */
void ib_rel_text(StrBuf *b, const Catalog *cat, const char *schema, const char *table,
                 char *const *cols, size_t n);

/* The group of a kind. */
IntegrityGroup integrity_kind_group(IntegrityKind k);

/* Is the table one whose rows and constraints the checks look at (a table
 * or a partitioned table, not a view)? */
bool ib_is_table(const CatTable *t);
/* A PostgreSQL partition (its parent's checks cover it). */
bool ib_is_partition(const CatTable *t);
/* The table's primary key constraint, or NULL. */
const CatConstraint *ib_primary_key(const CatTable *t);
/* The column named name, or NULL. */
const CatColumn *ib_column(const CatTable *t, const char *name);
/* Does a valid index of t start with the n columns cols (in any order)? */
bool ib_indexed(const CatTable *t, char *const *cols, size_t n);

/* The catalog-only lints of every table of b->cat (integrity_lint.c). */
void integrity_lints_build(IntBuild *b);

/* Type families for comparing a child column with a parent key:
 * 'i' integer, 'n' other numbers, 't' text, 'u' uuid, 'b' SQLite blob,
 * '?' SQLite without a declared type, 0 anything else (compared by name). */
char integrity_type_family(DbEngine e, const char *type);
bool integrity_types_comparable(DbEngine e, const char *a, const char *b);

/* Runs the statements of a lint that needs them (integrity_lintq.c);
 * same contract as integrity_run_check for one check. */
int  integrity_lint_run(DbConn *c, const Catalog *cat, const IntegritySettings *set,
                        IntegrityCheck *ck, DbError *err);
/* Runs an engine check (SQLite PRAGMAs); list gives the declared keys'
 * counts to compare with. */
int  integrity_engine_run(DbConn *c, const IntegrityList *list, IntegrityCheck *ck,
                          DbError *err);

/* ---- the fix's pieces (integrity_fix.c), for integrity_inverse.c ---- */

/* Counts the rows each node of f reaches (nodes[i].rows). */
int  integrity_fix_count_nodes(DbConn *c, IntegrityFix *f, DbError *err);
/* Runs f->sql in the open transaction: *direct the rows it changed
 * itself, *all with its cascades. */
int  integrity_fix_apply(DbConn *c, IntegrityFix *f, long long *direct, long long *all,
                         DbError *err);
/* SQLite: PRAGMA foreign_keys on (*was: as it was); a no-op elsewhere. */
int  integrity_fix_fk_on(DbConn *c, bool *was, DbError *err);
void integrity_fix_fk_restore(DbConn *c, bool was);

/* Milliseconds of the monotonic clock. */
long integrity_now_ms(void);

/* Appends text to *msg, as "; text" when it holds something. */
void integrity_note(char **msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
