/* rows.h: a table's rows, one page at a time, paged by key (never OFFSET).
 *
 * Order of calls:
 *   rows_find_key()        which columns order the table (optional helper)
 *   rows_open()            a pager on one table; runs no statement on PostgreSQL,
 *                          one tiny one on SQLite; the page is empty
 *   rows_first() / rows_last() / rows_next() / rows_prev() / rows_jump() /
 *   rows_seek()            each replaces the page (or leaves it as it was
 *                          and returns -1 with *err set)
 *   rows_page()            read the current page between those calls
 *   rows_count() / rows_count_before()   where the page is, bounded counts
 *   rows_mark()            the page's first row, to come back to it
 *   rows_close()
 * A fetch can be stopped from another thread with db_cancel() on the
 * connection: it then fails with DB_ERR_CANCELLED and the page stays.
 *
 * Every page is fetched with ORDER BY key LIMIT n+1 and a row-value
 * comparison with the last (or first) key of the current page, the key
 * values going as parameters:  WHERE (a, b) > ($1, $2).  The key is the
 * primary key, else SQLite's rowid or PostgreSQL's ctid; a ctid page reads
 * a window of heap blocks (ctid > $1::tid AND ctid < '(b,0)'), widened
 * until it holds a page, so the first, last, next and previous pages of a
 * table of any size cost the same.  A pager holds one page of at most n
 * rows plus the key values of its first and last rows: its memory does not
 * grow with the table.
 *
 * A relation with none of those (a view, a PostgreSQL foreign table) is
 * paged by all its columns (ROWS_KEY_COLUMNS), which need not be unique:
 * rows equal in every column are told apart by their number among their
 * duplicates (row_number() OVER (PARTITION BY every column), the ties
 * ordered by the values' exact text, so the numbering is the same at every
 * fetch), and the comparison with the last key is written out so that a
 * NULL compares as the engine sorts it.  (columns…, number) is then a
 * unique key: paging forward and back yields every row exactly once (as
 * with any key, while the rows do not change between fetches).  Each
 * page of such a relation computes the relation (up to the page) and sorts
 * it: it costs what the relation costs.  A column of a type that cannot be
 * sorted (PostgreSQL json, xml, point, …) is ordered by its text.
 *
 * SQLite lets NULL into a non-INTEGER primary key of an ordinary table (an
 * old bug it keeps), and NULLs cannot be paged past: rows_find_key() gives
 * the rowid instead when a primary-key column may hold NULL (not declared
 * NOT NULL).  A caller that passes such a key itself pages wrongly.
 *
 * Limits: BLOB key
 * values on SQLite older than 3.41 (no unhex()) are found by a scan.  A
 * PostgreSQL partitioned table without a primary key is paged by
 * (tableoid, ctid), which reads every partition.
 *
 * The pager takes plain names (schema, table, key columns, columns): it does
 * not depend on the catalog module. */
#ifndef DBW_ROWS_H
#define DBW_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

/* ---- the key ---------------------------------------------------------- */

typedef enum RowsKeyKind {
    ROWS_KEY_PRIMARY = 0,  /* the primary key, one or more columns */
    ROWS_KEY_ROWID,        /* SQLite's rowid (named rowid, _rowid_ or oid,
                              whichever no real column shadows) */
    ROWS_KEY_CTID,         /* PostgreSQL's ctid ("tableoid", "ctid" for a
                              partitioned table) */
    ROWS_KEY_COLUMNS       /* no key (a view, a foreign table): every column,
                              in order, not known to be unique; duplicates
                              are numbered (see the top of this file) */
} RowsKeyKind;

typedef struct RowsKey {
    RowsKeyKind kind;
    int         ncols;     /* >= 1 */
    char      **cols;      /* owned: ncols column names, in key order */
    bool       *by_text;   /* owned: ROWS_KEY_COLUMNS: ncols flags, true for
                              a column ordered by its text (its type cannot
                              be sorted); NULL for the other kinds */
} RowsKey;

/* Finds the columns that order table (in schema; NULL = the name as an
 * unqualified reference would find it: SQLite temp, main, then attached
 * databases; PostgreSQL the search path), in one query (two for a relation
 * without a key on PostgreSQL): the primary key's columns in key order,
 * else rowid (SQLite, not WITHOUT ROWID) or ctid (PostgreSQL), else (a
 * view, a foreign table) every column, ROWS_KEY_COLUMNS.  On success *out
 * is filled and the caller frees it with rows_key_free().  Fails with
 * DB_ERR_USAGE when the table does not exist or has no column, DB_ERR_SQL
 * or DB_ERR_CONNECT when the query fails (a SQLite view that no longer
 * compiles: SQLite's error); *out is then empty (ncols 0). */
int  rows_find_key(DbConn *c, const char *schema, const char *table, RowsKey *out,
                   DbError *err);
void rows_key_free(RowsKey *k);            /* empty or NULL is fine */

/* ---- the page: a result model ------------------------------------------ */

typedef struct RowsCell {
    char  *text;   /* the full value, NUL-terminated, owned by the page; NULL
                      for SQL NULL ("" is an empty string); BLOB and bytea
                      as \x followed by lower-case hex */
    size_t len;    /* bytes of text, without the NUL (0 for NULL) */
    bool   null;   /* SQL NULL */
    bool   binary; /* the value is binary (a SQLite BLOB, whatever the
                      column's declared type; a bytea): text is its hex */
} RowsCell;

typedef struct RowsPage {
    int       ncols;       /* columns shown (the key columns are not added) */
    char    **names;       /* ncols column names, owned */
    size_t    nrows;       /* 0 .. the pager's page size */
    RowsCell *cells;       /* nrows * ncols cells, row by row:
                              cells[row * ncols + col] */
    bool      more_before; /* rows come before the first one (as the last
                              fetch saw it) */
    bool      more_after;  /* rows come after the last one */
} RowsPage;

/* The cell at (row, col); both must be in range. */
static inline const RowsCell *rows_cell(const RowsPage *pg, size_t row, int col)
{
    return &pg->cells[row * (size_t)pg->ncols + (size_t)col];
}

/* ---- the pager ----------------------------------------------------------- */

typedef struct RowsPager RowsPager;

typedef struct RowsSpec {
    const char        *schema;    /* NULL = unqualified */
    const char        *table;     /* required */
    int                nkey;      /* >= 1 */
    const char *const *key;       /* nkey key column names (rows_find_key's
                                     cols), unquoted */
    int                ncols;     /* 0 = every column (SELECT *) */
    const char *const *cols;      /* ncols column names to show, unquoted */
    int                page_size; /* rows per page, 1 .. ROWS_MAX_PAGE */
    RowsKeyKind        kind;      /* rows_find_key's kind; ROWS_KEY_COLUMNS
                                     numbers duplicates (0: a unique key) */
    const bool        *key_text;  /* NULL, or nkey flags: rows_find_key's
                                     by_text (ROWS_KEY_COLUMNS only) */
} RowsSpec;

#define ROWS_MAX_PAGE 10000

/* Makes a pager on spec's table (names are copied; spec may go away).  The
 * page starts empty: call rows_first() or rows_last().  Runs no statement
 * on PostgreSQL and one (SELECT sqlite_version()) on SQLite; the table is
 * not checked until the first fetch.  c must outlive the pager.  Fails with
 * DB_ERR_USAGE for a bad spec; *out is then NULL. */
int  rows_open(RowsPager **out, DbConn *c, const RowsSpec *spec, DbError *err);
void rows_close(RowsPager *p);             /* NULL is fine */

/* The current page, owned by the pager, valid until the next call that
 * fetches or rows_close().  Never NULL. */
const RowsPage *rows_page(const RowsPager *p);

/* The first n rows in key order. */
int  rows_first(RowsPager *p, DbError *err);
/* The last n rows (ORDER BY key DESC LIMIT n, shown in key order). */
int  rows_last(RowsPager *p, DbError *err);
/* The n rows after the last one of the page.  At the end (no row after it)
 * the page stays as it is and more_after becomes false.  From an empty page
 * this is rows_first(). */
int  rows_next(RowsPager *p, DbError *err);
/* The n rows before the first one of the page (fewer near the start: the
 * page is not topped up, so paging back visits each row once).  At the
 * start the page stays and more_before becomes false.  From an empty page
 * this is rows_last(). */
int  rows_prev(RowsPager *p, DbError *err);
/* Goes to the first row (in key order) whose ncols columns equal values
 * (text, as a page shows them: numbers, \x-hex for BLOB/bytea; a NULL
 * value matches SQL NULL), for following a foreign key or going to a key:
 * the page then starts with that row.  *found tells whether there is such a
 * row; when there is none the page stays as it was.  Columns without an
 * index are found by a scan of the table.  Fails like a fetch, or with
 * DB_ERR_USAGE when ncols < 1. */
int  rows_jump(RowsPager *p, int ncols, const char *const *cols, const char *const *values,
               bool *found, DbError *err);

/* ---- places and counts --------------------------------------------------- */

typedef struct RowsMark RowsMark;

/* The key of the page's first row (its exact values and, on SQLite, their
 * types), to come back to with rows_seek(), also on another pager of the
 * same table and key (a new page size).  NULL for an empty page.  Caller
 * frees with rows_mark_free(). */
RowsMark *rows_mark(const RowsPager *p);
void      rows_mark_free(RowsMark *m);            /* NULL is fine */
/* The page that starts with the mark's row, or with the first row after it
 * in key order when that row is gone (*exact false).  *found is false, and
 * the page stays, when no row is at or after it, or when the mark was made
 * on a pager with other key columns. */
int  rows_seek(RowsPager *p, const RowsMark *m, bool *found, bool *exact, DbError *err);

/* Counts the table's rows, reading at most cap of them: *n is the count,
 * or cap when there are cap or more.  cap >= 1. */
int  rows_count(RowsPager *p, long long cap, long long *n, DbError *err);
/* Counts the rows before the page's first row in key order, the same way
 * (an empty page: 0).  With a key, this reads at most cap keys by the
 * index; a relation without one (ROWS_KEY_COLUMNS) is computed and sorted. */
int  rows_count_before(RowsPager *p, long long cap, long long *n, DbError *err);

#endif
