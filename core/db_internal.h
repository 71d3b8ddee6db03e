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

typedef struct DbDriver {
    DbEngine engine;
    int   (*open)(DbConn *c, const DbUrl *u, const DbOpenOptions *o, DbError *err);
    void  (*close)(DbConn *c);
    int   (*query)(DbConn *c, const char *sql, const DbParams *p, DbRowFn fn, void *ctx,
                   DbError *err);
    int   (*exec_script)(DbConn *c, const char *sql, size_t *failed_at, DbError *err);
    void  (*cancel)(DbConn *c);
    bool  (*alive)(DbConn *c);   /* false once the session is gone */
} DbDriver;

struct DbConn {
    const DbDriver *drv;
    DbUrl    url;        /* parsed connection string (display is redacted) */
    char    *dbname;     /* filled by the driver's open() */
    void    *impl;       /* the driver's own state */
    DbLogFn  log;
    void    *log_ctx;
    DbOpenOptions opts;          /* as opened, to open again (db_reconnect) */
    int      statement_timeout_ms;  /* set by db_set_statement_timeout; 0: none */
};

extern const DbDriver db_driver_sqlite;
extern const DbDriver db_driver_postgres;

#endif
