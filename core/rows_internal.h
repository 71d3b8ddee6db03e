/* rows_internal.h: the pager's insides, shared by rows.c (navigation),
 * rows_fetch.c (running one page query) and rows_sql.c (writing it).
 * Nothing outside core/rows*.c includes this. */
#ifndef DBW_ROWS_INTERNAL_H
#define DBW_ROWS_INTERNAL_H

#include "rows.h"
#include "strbuf.h"

/* The key of one row: what the next or previous page is compared with. */
typedef struct RowsBound {
    char **vals;   /* nkey values as text (NULL entry = SQL NULL); NULL when
                      no row (an empty page) */
    char **types;  /* SQLite: typeof() of each value, to bind it back with
                      its own type; NULL on PostgreSQL */
} RowsBound;

/* The hidden column that numbers rows among their duplicates
 * (ROWS_KEY_COLUMNS); a relation's own column of that name would clash. */
#define ROWS_DUP_COL "dbwarden_dup_n"

struct RowsPager {
    DbConn  *c;
    DbEngine engine;
    int      page_size;
    RowsKeyKind kind;
    bool     dup;          /* ROWS_KEY_COLUMNS: the last key part is the
                              number among duplicates, ROWS_DUP_COL */
    int      nkey;         /* key parts, the duplicate number included */
    char   **key;          /* nkey unquoted key column names */
    bool    *key_text;     /* nkey flags: ordered by its text (or NULL) */
    char   **keyq;         /* the same, as expressions: r."a", or
                              (r."a")::text for a key_text column */
    char    *table_q;      /* quoted, qualified table: "s"."t" (also the
                              value of PostgreSQL's $1::regclass) */
    char    *display;      /* schema.table for messages, unquoted */
    char    *visible;      /* the shown columns: r."a", r."b" or r.* */
    bool     ctid_window;  /* PostgreSQL ctid key: fetch by heap block windows */
    bool     has_unhex;    /* SQLite >= 3.41 */
    int      ncols;        /* column names known so far (-1: not yet) */
    char   **names;
    RowsPage page;
    RowsBound first, last; /* keys of the page's first and last rows */
};

/* Parameters of one statement; every value is an owned copy. */
typedef struct RowsArgs {
    char **vals;
    int    n;
    size_t cap;
} RowsArgs;

/* Adds a value (NULL = SQL NULL) and returns its number, for "$n". */
int  rows_args_add(RowsArgs *a, const char *value);
void rows_args_free(RowsArgs *a);

/* ---- rows_sql.c: pieces of SQL; identifiers quoted, values as $n ---- */

/* " FROM <table> AS r", or for a key that is not unique the table with
 * the duplicate number added (see rows.h), narrowed, when anchor is given,
 * to the rows whose columns are >= (<= when back) the anchor's. */
void rows_sql_from(const RowsPager *p, StrBuf *sql, RowsArgs *args, const RowsBound *anchor,
                   bool back);
/* ", hidden key columns" to append to the select list. */
void rows_sql_hidden(const RowsPager *p, StrBuf *sql);
/* "r.a, r.b" or "r.a DESC, r.b DESC". */
void rows_sql_order(const RowsPager *p, StrBuf *sql, bool desc);
/* "(r.a, r.b) op (<$i>, <$j>)" with b's values as parameters (op: <, <=,
 * >, >=); for a key that is not unique, the same comparison written out
 * column by column with NULLs where the engine sorts them. */
void rows_sql_key_cmp(const RowsPager *p, StrBuf *sql, RowsArgs *args, const RowsBound *b,
                      const char *op);
/* "r.col = <$i>" (or IS NULL), written so that the text of a value as a
 * page shows it finds the stored value whatever its type. */
void rows_sql_equals(const RowsPager *p, StrBuf *sql, RowsArgs *args, const char *col,
                     const char *value);

/* ---- rows_fetch.c ---------------------------------------------------- */

typedef struct RowsFetch {
    bool             back;      /* ORDER BY key DESC (then reversed) */
    const RowsBound *anchor;    /* start after/before this key; NULL = at an end */
    bool             inclusive; /* >= / <= rather than > / < */
} RowsFetch;

typedef struct RowsResult {
    RowsPage  page;     /* rows in key order; more_* left false */
    RowsBound first, last;
    bool      extra;    /* a row beyond the page exists in the fetch direction */
} RowsResult;

/* rows.c: makes r the current page (taking its memory; r is left empty),
 * with the given ends; fails only when the column names cannot be read. */
int  rows_install(RowsPager *p, RowsResult *r, bool more_before, bool more_after, DbError *err);
/* A deep copy of src (which has values) into dst (empty). */
void rows_bound_copy(const RowsPager *p, RowsBound *dst, const RowsBound *src);

/* Runs one page query (windowed by heap blocks for a ctid key) and fills
 * *out, which the caller frees with rows_result_free().  On failure *out is
 * empty and *err names the table. */
int  rows_fetch(RowsPager *p, const RowsFetch *f, RowsResult *out, DbError *err);
void rows_result_free(const RowsPager *p, RowsResult *r);
void rows_page_free(RowsPage *pg);
void rows_bound_free(const RowsPager *p, RowsBound *b);
/* Reads the key of one row from the hidden columns of a query result that
 * ends with them. */
void rows_bound_read(const RowsPager *p, const DbRow *row, RowsBound *b);
/* Column names when a fetch brought no row (an empty table): from a query
 * that returns one row of NULLs. */
int  rows_fetch_names(RowsPager *p, DbError *err);
/* Is there a row before (or after, when after) key b? */
int  rows_probe(RowsPager *p, const RowsBound *b, bool after, bool *any, DbError *err);

#endif
