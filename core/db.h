/* db.h: one interface to PostgreSQL (libpq) and SQLite (sqlite3).
 *
 * Order of calls: db_open() -> any number of db_query()/db_exec()/
 * db_exec_script() (transactions with db_begin()/db_commit()/db_rollback())
 * -> db_close().  A DbConn is used by one thread at a time; the single
 * exception is db_cancel(), which any thread may call while another runs a
 * statement on the connection.
 *
 * Every statement goes through the connection's one execution path, which
 * labels it (a short comment such as "migrations: applied versions"), hands
 * it to the log hook when one is set (a "show SQL" view), supports cancel,
 * and maps failure into a DbError with the engine's code.
 *
 * Parameters are written $1, $2, … in both engines and passed as text (NULL
 * for SQL NULL).  Identifiers are quoted with db_quote_ident(); values are
 * never spliced into SQL. */
#ifndef DBW_DB_H
#define DBW_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "url.h"

typedef struct DbConn DbConn;

typedef struct DbOpenOptions {
    bool read_only;        /* open read-only (SQLite: SQLITE_OPEN_READONLY;
                              PostgreSQL: default_transaction_read_only) */
    bool create;           /* SQLite: create the file when missing (else a
                              missing file is DB_ERR_CONNECT) */
    int  connect_timeout;  /* seconds, PostgreSQL; 0 = libpq's default */
} DbOpenOptions;

typedef struct DbParams {
    int count;
    const char *const *values;  /* count entries; NULL entry = SQL NULL */
} DbParams;

typedef struct DbRow {
    int ncols;
    const char *const *names;   /* column names */
    const char *const *values;  /* text of each value; NULL for SQL NULL.
                                   A BLOB comes as \x followed by hex. */
    const size_t *lengths;      /* byte length of each value (0 for NULL) */
    const bool *binary;         /* per value: true when it is binary (a SQLite
                                   BLOB, a PostgreSQL bytea or a domain over
                                   it), whose text is then \x and hex; NULL
                                   when the row says nothing (no value is) */
} DbRow;

/* Called once per row; the row is valid only during the call.  Return 0 to
 * go on, non-zero to stop reading (db_query then returns 0). */
typedef int (*DbRowFn)(void *ctx, const DbRow *row);

/* Called before each statement runs, with its label and text. */
typedef void (*DbLogFn)(void *ctx, const char *label, const char *sql);

/* Opens url (any form url.h accepts; NULL = DATABASE_URL).  Failures are
 * DB_ERR_USAGE (a bad string) or DB_ERR_CONNECT (refused, wrong password,
 * missing file): one line, password scrubbed.  *out is NULL on failure. */
int  db_open(DbConn **out, const char *url, const DbOpenOptions *opt, DbError *err);
void db_close(DbConn *c);                    /* NULL is fine */

DbEngine    db_engine(const DbConn *c);
const char *db_display_url(const DbConn *c); /* redacted; owned by c */
const char *db_name(const DbConn *c);        /* database name or file base name */
const char *db_password(const DbConn *c);    /* for scrubbing other text; may be NULL */
void        db_set_log(DbConn *c, DbLogFn fn, void *ctx);

/* Runs one statement and calls on_row per row (on_row may be NULL). */
int  db_query(DbConn *c, const char *label, const char *sql, const DbParams *params,
              DbRowFn on_row, void *ctx, DbError *err);
/* Runs one statement that returns no rows of interest. */
int  db_exec(DbConn *c, const char *label, const char *sql, const DbParams *params,
             DbError *err);
/* Runs every statement of a script, in order, stopping at the first failure.
 * On failure *failed_at is the byte offset in sql where the failing
 * statement starts, and err->position, when known, the byte offset in sql
 * of the error itself.  An empty script succeeds. */
int  db_exec_script(DbConn *c, const char *label, const char *sql, size_t *failed_at,
                    DbError *err);

/* Runs a script inside the transaction the caller began (db_begin), which
 * the script must leave open.  As db_exec_script, and besides: after each
 * statement the driver checks the transaction (SQLite:
 * sqlite3_get_autocommit(); PostgreSQL: PQtransactionStatus() and the
 * command tag, so COMMIT AND CHAIN counts).  When a statement ended it
 * (COMMIT, END, ROLLBACK, PREPARE TRANSACTION, …) the script stops at once,
 * before the next statement: the call fails with DB_ERR_SQL, *failed_at is
 * the offset of that statement, and *committed (may be NULL) is true when
 * what ran before it may have been committed (anything but a rollback).
 * On any other failure *committed is false. */
int  db_exec_script_in_tx(DbConn *c, const char *label, const char *sql, size_t *failed_at,
                          bool *committed, DbError *err);

/* Convenience: first column of the first row, or NULL (caller frees). */
int  db_query_value(DbConn *c, const char *label, const char *sql, const DbParams *params,
                    char **out, DbError *err);

/* Transactions.  begin_immediate takes SQLite's write lock at once (plain
 * BEGIN on PostgreSQL). */
int  db_begin(DbConn *c, bool immediate, DbError *err);
int  db_commit(DbConn *c, DbError *err);
int  db_rollback(DbConn *c);                 /* best effort; returns 0/-1 */

/* Stops the statement running on c from any thread; it then fails with
 * DB_ERR_CANCELLED.  Harmless when nothing runs. */
void db_cancel(DbConn *c);

/* false once the connection is lost (the server restarted, the network
 * went): every statement would fail until db_reconnect(). */
bool db_alive(DbConn *c);
/* Opens c again, in place, with the URL and options it was opened with
 * (and its statement timeout); the DbConn pointer stays valid.  On
 * failure c stays closed (statements fail with DB_ERR_CONNECT) and may be
 * reconnected again later. */
int  db_reconnect(DbConn *c, DbError *err);

/* Quotes an identifier by the engine's rules ("a""b"); caller frees. */
char *db_quote_ident(const DbConn *c, const char *name);

/* Limits every later statement on c to ms milliseconds (0: no limit).
 * PostgreSQL: the session's statement_timeout; SQLite has no such setting:
 * a progress handler interrupts a statement that runs past it.  Either
 * way the statement fails with DB_ERR_CANCELLED and a message that says
 * "statement timeout". */
int  db_set_statement_timeout(DbConn *c, int ms, DbError *err);

/* How long a lock of dbwarden's own (the run lock, runlock.h) waits for
 * another holder on c before it gives up naming it: DB_LOCK_WAIT_MS
 * unless set ([database] lock_wait). */
#define DB_LOCK_WAIT_MS 10000
void db_set_lock_wait(DbConn *c, int ms);
int  db_lock_wait(const DbConn *c);

/* ---- Bulk loading: COPY FROM STDIN (PostgreSQL) ----------------------
 * Order of calls:
 *   db_copy_begin(c, label, "COPY t (a, b) FROM STDIN", err)
 *   db_copy_put(c, data, len, err)  any number of times: whole or partial
 *                                   rows in COPY's text format (values
 *                                   written with db_copy_field(), separated
 *                                   by '\t', each row ended by '\n')
 *   db_copy_end(c, &rows, err)      the server stores the rows (rows: how
 *                                   many; may be NULL)
 *   or db_copy_abort(c, why)        give up: the server stores nothing
 * Between begin and end no other statement runs on c (db_query and the
 * rest fail with DB_ERR_USAGE).  The COPY is a statement of the caller's
 * transaction: one that fails aborts it (roll back).  Any failure of
 * db_copy_put() or db_copy_end() ends the COPY (no abort needed; calling
 * it is harmless); a row the server refuses (a constraint, a bad value) is
 * reported by db_copy_put() when the server has said so already, else by
 * db_copy_end().  db_cancel() from another thread stops a COPY: the put or
 * the end then fails with DB_ERR_CANCELLED.  A plain db_query("COPY … FROM
 * STDIN") still refuses: only this path streams data.
 * SQLite has no COPY: db_copy_begin() fails with DB_ERR_USAGE (SQLite loads
 * fastest through one prepared statement, db_prepare()). */
int  db_copy_begin(DbConn *c, const char *label, const char *sql, DbError *err);
int  db_copy_put(DbConn *c, const char *data, size_t len, DbError *err);
int  db_copy_end(DbConn *c, long long *rows, DbError *err);
void db_copy_abort(DbConn *c, const char *why);
/* Appends value (len bytes; NULL: SQL NULL, written \N) to b as one field
 * of COPY's text format: backslash, tab, newline and carriage return are
 * escaped.  Separators are the caller's. */
struct StrBuf;
void db_copy_field(struct StrBuf *b, const char *value, size_t len);

/* ---- Prepared statements --------------------------------------------
 * A statement prepared once (label and text go to the log hook once) and
 * run many times with parameters ($1..$n, as text; NULL for SQL NULL); no
 * rows are read.  PostgreSQL: PQprepare/PQexecPrepared; SQLite: one
 * sqlite3_stmt kept, reset between runs.  Order: db_prepare() ->
 * db_stmt_exec() any number of times -> db_stmt_free(), all on the
 * thread that uses c, before c is closed.  db_cancel() stops a running
 * exec (DB_ERR_CANCELLED); on SQLite an exec after a db_cancel() that
 * came between two execs fails the same way, until the next db_query. */
typedef struct DbStmt DbStmt;
int  db_prepare(DbConn *c, const char *label, const char *sql, DbStmt **out, DbError *err);
/* Runs st once; *changes (may be NULL) gets the rows it inserted, updated
 * or deleted. */
int  db_stmt_exec(DbStmt *st, const DbParams *params, long long *changes, DbError *err);
void db_stmt_free(DbStmt *st);                /* NULL is fine */

/* Does a table of this name exist (PostgreSQL: in the search path)? */
int  db_table_exists(DbConn *c, const char *table, bool *exists, DbError *err);

#endif
