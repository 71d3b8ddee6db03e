/* integrity_rows.h: the offending rows of an orphan check, paged by key,
 * and their export to CSV (RFC 4180) and JSON.
 *
 * A page is one statement, separate from the count: the child's rows that
 * are orphans, ordered by the child's key (its primary key, else SQLite's
 * rowid or PostgreSQL's ctid; rows_find_key()) and limited, after the last
 * key of the page before:
 *   SELECT key..., o.* FROM child o WHERE <orphan> AND (key) > ($1...)
 *   ORDER BY key LIMIT n + 1
 * so the first page comes as soon as the first n orphans are found in key
 * order, however long the whole count takes, and memory holds one page.
 *
 * Order of calls: integrity_rows_open() -> integrity_rows_next() until
 * it says no more -> integrity_rows_close().  A fetch can be stopped from
 * another thread with db_cancel(): it fails with DB_ERR_CANCELLED.  Only
 * orphan checks (declared and inferred) have rows: any other is
 * DB_ERR_USAGE. */
#ifndef DBW_INTEGRITY_ROWS_H
#define DBW_INTEGRITY_ROWS_H

#include <stdbool.h>
#include <stdio.h>

#include "integrity.h"
#include "rows.h"

typedef struct IntegrityRowsPage {
    int       ncols;     /* the child's columns */
    char    **names;     /* owned: ncols names */
    bool     *is_key;    /* owned: ncols flags: a column of the foreign key
                            (its value is the missing parent key) */
    size_t    nrows;
    RowsCell *cells;     /* owned: nrows * ncols, row by row */
    bool      more;      /* orphans come after the last row */
} IntegrityRowsPage;

/* The cell at (row, col); both must be in range. */
static inline const RowsCell *integrity_rows_cell(const IntegrityRowsPage *p, size_t row,
                                                  int col)
{
    return &p->cells[row * (size_t)p->ncols + (size_t)col];
}

typedef struct IntegrityRowsCursor IntegrityRowsCursor;

/* A cursor on ck's orphans (ck is copied), page_size rows a page
 * (1 .. ROWS_MAX_PAGE).  Runs rows_find_key's statement. */
int  integrity_rows_open(IntegrityRowsCursor **out, DbConn *c, const IntegrityCheck *ck,
                         int page_size, DbError *err);
/* The next page into the cursor (the first page at first); *page points
 * at it until the next call.  At the end the page has no rows. */
int  integrity_rows_next(IntegrityRowsCursor *cur, const IntegrityRowsPage **page,
                         DbError *err);
void integrity_rows_close(IntegrityRowsCursor *cur);      /* NULL is fine */

/* Where a cursor is, to go on from there on another connection (a reader
 * that opens a connection per page):
 *   integrity_rows_position()  the key of the last row read, its values as
 *                              text (NULL-terminated, strv_free()), or NULL
 *                              before the first row
 *   integrity_rows_seek()      the next integrity_rows_next() reads the
 *                              page after that key (a position of a cursor
 *                              on the same check); DB_ERR_USAGE when after
 *                              has not as many values as the key */
char **integrity_rows_position(const IntegrityRowsCursor *cur);
int    integrity_rows_seek(IntegrityRowsCursor *cur, const char *const *after, DbError *err);

typedef enum IntegrityFormat { INTEGRITY_CSV = 0, INTEGRITY_JSON } IntegrityFormat;

/* Writes ck's orphans (at most limit rows; limit <= 0: all) to out:
 * CSV: a header line, then one line per row, fields quoted as RFC 4180
 * says (a field with a comma, a quote, CR or LF in double quotes, quotes
 * doubled; CRLF line ends), NULL as an empty field, binary values as \x
 * and hex; JSON: {"check": id, "columns": [...], "key_columns": [...],
 * "rows": [[...], ...], "truncated": bool}, every value a string or null
 * (text that is not UTF-8 gets U+FFFD).  *written: the rows written.
 * Fails as a fetch does, or with DB_ERR_IO when out cannot be written. */
int  integrity_export(DbConn *c, const IntegrityCheck *ck, IntegrityFormat fmt, FILE *out,
                      long limit, long long *written, DbError *err);
/* Every orphan of ck into the file path, whole or not at all: written
 * under fs_temp_name(path) (mode 0600) in the same folder, then given its
 * name by fs_place().  An existing path is replaced only with replace:
 * without it 1 is returned and nothing is left behind (also when the file
 * appeared while the rows were written).  0 when placed (*written rows);
 * -1 when the rows cannot be read (as a fetch fails) or the file cannot be
 * written (DB_ERR_IO "cannot write PATH: reason"), the temporary file
 * removed. */
int  integrity_export_file(DbConn *c, const IntegrityCheck *ck, IntegrityFormat fmt,
                           const char *path, bool replace, long long *written, DbError *err);

#endif
