/* db_internal.h: what an engine driver implements.  Only db.c and the
 * db_<engine>.c files include this.
 *
 * The driver fills c->impl in open() and frees it in close().  query() and
 * exec_script() set *err with the engine's code and message; db.c scrubs
 * the password out of every message afterwards.  cancel() must be safe to
 * call from another thread at any time between open() and close(). */
#ifndef DBW_DB_INTERNAL_H
#define DBW_DB_INTERNAL_H

#include "db.h"

/* One run of exec_script(). */
typedef struct DbScriptRun {
    bool   keep_tx;    /* in: the script runs inside a transaction that it must
                          leave open (db_exec_script_in_tx) */
    size_t failed_at;  /* out, on failure: offset of the failing statement */
    bool   committed;  /* out, on failure: keep_tx, and a statement ended the
                          transaction in a way that may have committed */
} DbScriptRun;

typedef struct DbDriver {
    DbEngine engine;
    int   (*open)(DbConn *c, const DbUrl *u, const DbOpenOptions *o, DbError *err);
    void  (*close)(DbConn *c);
    int   (*query)(DbConn *c, const char *sql, const DbParams *p, DbRowFn fn, void *ctx,
                   DbError *err);
    int   (*exec_script)(DbConn *c, const char *sql, DbScriptRun *run, DbError *err);
    void  (*cancel)(DbConn *c);
    bool  (*alive)(DbConn *c);   /* false once the session is gone */
    /* COPY FROM STDIN (db.h); NULL when the engine has none */
    int   (*copy_begin)(DbConn *c, const char *sql, DbError *err);
    int   (*copy_put)(DbConn *c, const char *data, size_t len, DbError *err);
    int   (*copy_end)(DbConn *c, long long *rows, DbError *err);
    void  (*copy_abort)(DbConn *c, const char *why);
    /* prepared statements: prepare fills st->impl */
    int   (*prepare)(DbConn *c, DbStmt *st, const char *sql, DbError *err);
    int   (*stmt_exec)(DbStmt *st, const DbParams *p, long long *changes, DbError *err);
    void  (*stmt_free)(DbStmt *st);
} DbDriver;

/* A prepared statement (db.h). */
struct DbStmt {
    DbConn *conn;
    void   *impl;        /* the driver's own */
};

struct DbConn {
    const DbDriver *drv;
    DbUrl    url;        /* parsed connection string (display is redacted) */
    char    *dbname;     /* filled by the driver's open() */
    void    *impl;       /* the driver's own state */
    DbLogFn  log;
    void    *log_ctx;
    DbOpenOptions opts;          /* as opened, to open again (db_reconnect) */
    int      statement_timeout_ms;  /* set by db_set_statement_timeout; 0: none */
    int      lock_wait_ms;          /* db_lock_wait() */
    bool     in_copy;               /* between db_copy_begin and its end */
};

/* Sets err for a statement (its first word: what) that ended the
 * transaction a keep_tx script runs in. */
void db_set_tx_ended(DbError *err, const char *what, bool committed);

extern const DbDriver db_driver_sqlite;
extern const DbDriver db_driver_postgres;

#endif
