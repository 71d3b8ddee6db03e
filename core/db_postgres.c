/* db_postgres.c: the PostgreSQL driver through libpq (see db_internal.h). */
#include "db_internal.h"
#include "sqlsplit.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BYTEA_OID 17   /* pg_type.oid of bytea, fixed in every release */

typedef struct PgImpl {
    PGconn         *conn;
    unsigned        nstmt;        /* prepared statements named so far */
    PGcancel       *cancel;       /* for db_cancel() from another thread */
    pthread_mutex_t cancel_lock;  /* guards cancel against close */
} PgImpl;

static PgImpl *impl(DbConn *c)
{
    return c->impl;
}

/* libpq prints notices on stderr by default, which would tear the console:
 * they are dropped here (the statements that matter report errors). */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Joins a multi-line libpq message into one line. */
static char *one_line(const char *msg)
{
    StrBuf b = STRBUF_INIT;
    bool space = false;
    for (const char *p = msg; *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            space = b.len > 0;
            continue;
        }
        if (space && *p != ' ')
            sb_appendc(&b, ' ');
        space = false;
        sb_appendc(&b, *p);
    }
    return sb_take(&b);
}

/* Byte offset of the 1-based character position pos in s (UTF-8). */
static int char_to_byte(const char *s, int pos)
{
    int chars = 0;
    for (int i = 0; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (++chars == pos)
                return i;
        }
    }
    return -1;
}

static void set_result_error(DbConn *c, const PGresult *res, const char *sql, size_t base,
                             DbError *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *prim = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    const char *pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;
    DbErrKind kind = DB_ERR_SQL;
    if (state && strcmp(state, "57014") == 0)
        kind = DB_ERR_CANCELLED;
    else if (state && (strcmp(state, "55P03") == 0 || strcmp(state, "40P01") == 0))
        kind = DB_ERR_BUSY;
    else if (PQstatus(impl(c)->conn) != CONNECTION_OK ||
             (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0)))
        kind = DB_ERR_CONNECT;   /* the session is gone, or going (shutdown, terminated) */
    char *m = one_line(prim ? prim : PQerrorMessage(impl(c)->conn));
    if (detail) {
        char *d = one_line(detail);
        db_error_set(err, kind, "%s (%s)", m, d);
        free(d);
    } else {
        db_error_set(err, kind, "%s", m);
    }
    free(m);
    snprintf(err->code, sizeof err->code, "%s", state ? state : "");
    if (pos && sql) {
        int b = char_to_byte(sql, atoi(pos));
        err->position = b >= 0 ? (int)base + b : -1;
    }
}

static int pg_open(DbConn *c, const DbUrl *u, const DbOpenOptions *o, DbError *err)
{
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", o->connect_timeout > 0 ? o->connect_timeout : 10);
    /* Ours first, the user's string last: its settings win. */
    const char *keys[] = { "application_name", "connect_timeout", "client_encoding", "dbname", NULL };
    const char *vals[] = { "dbwarden", timeout, "UTF8", u->target, NULL };
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        char *m = one_line(conn ? PQerrorMessage(conn) : "out of memory");
        db_error_set(err, DB_ERR_CONNECT, "cannot connect to %s: %s", u->display, m);
        free(m);
        PQfinish(conn);
        return -1;
    }
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    PgImpl *p = xcalloc(1, sizeof *p);
    p->conn = conn;
    p->cancel = PQgetCancel(conn);
    pthread_mutex_init(&p->cancel_lock, NULL);
    c->impl = p;
    c->dbname = xstrdup(PQdb(conn));
    if (o->read_only) {
        PGresult *r = PQexec(conn, "SET default_transaction_read_only = on");
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            set_result_error(c, r, NULL, 0, err);
        PQclear(r);
        if (!ok)
            return -1; /* db_open() closes the connection */
    }
    return 0;
}

static void pg_close(DbConn *c)
{
    PgImpl *p = impl(c);
    if (!p)
        return;
    pthread_mutex_lock(&p->cancel_lock);
    PQfreeCancel(p->cancel);
    p->cancel = NULL;
    pthread_mutex_unlock(&p->cancel_lock);
    PQfinish(p->conn);
    pthread_mutex_destroy(&p->cancel_lock);
    free(p);
    c->impl = NULL;
}

/* COPY … FROM STDIN / TO STDOUT would leave the connection waiting for
 * data dbwarden does not stream: end it at once and say so. */
static bool abort_copy(PGconn *conn, ExecStatusType st, DbError *err)
{
    if (st != PGRES_COPY_IN && st != PGRES_COPY_OUT && st != PGRES_COPY_BOTH)
        return false;
    if (st == PGRES_COPY_IN) {
        PQputCopyEnd(conn, "COPY FROM STDIN is not supported by dbwarden");
    } else {
        char *buf = NULL;
        while (PQgetCopyData(conn, &buf, 0) > 0)
            PQfreemem(buf);
    }
    db_error_set(err, DB_ERR_SQL, "COPY from standard input or to standard output is not "
                 "supported here; use INSERT, or COPY from a file on the server");
    snprintf(err->code, sizeof err->code, "0A000");
    return true;
}

/* Sends sql and streams its rows one at a time (single-row mode). */
static int pg_query(DbConn *c, const char *sql, const DbParams *params, DbRowFn fn, void *ctx,
                    DbError *err)
{
    PGconn *conn = impl(c)->conn;
    int np = params ? params->count : 0;
    if (!PQsendQueryParams(conn, sql, np, NULL, np ? params->values : NULL, NULL, NULL, 0)) {
        set_result_error(c, NULL, sql, 0, err);
        return -1;
    }
    PQsetSingleRowMode(conn);
    int ret = 0;
    bool stop = false;
    PGresult *res;
    const char **names = NULL, **vals = NULL;
    size_t *lens = NULL;
    bool *bin = NULL;
    int ncols = -1;
    while ((res = PQgetResult(conn)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_SINGLE_TUPLE && fn && !stop) {
            if (ncols < 0) {
                ncols = PQnfields(res);
                names = xcalloc((size_t)ncols + 1, sizeof *names);
                vals = xcalloc((size_t)ncols + 1, sizeof *vals);
                lens = xcalloc((size_t)ncols + 1, sizeof *lens);
                bin = xcalloc((size_t)ncols + 1, sizeof *bin);
                for (int i = 0; i < ncols; i++) /* a domain comes as its base type */
                    bin[i] = PQftype(res, i) == BYTEA_OID;
            }
            for (int i = 0; i < ncols; i++) {
                names[i] = PQfname(res, i);
                bool null = PQgetisnull(res, 0, i);
                vals[i] = null ? NULL : PQgetvalue(res, 0, i);
                lens[i] = null ? 0 : (size_t)PQgetlength(res, 0, i);
            }
            DbRow row = { ncols, names, vals, lens, bin };
            stop = fn(ctx, &row) != 0; /* the rest is drained below */
        } else if (st == PGRES_FATAL_ERROR && ret == 0) {
            set_result_error(c, res, sql, 0, err);
            ret = -1;
        } else {
            DbError ignored = DB_ERROR_INIT;
            if (abort_copy(conn, st, ret == 0 ? err : &ignored))
                ret = -1;
            db_error_clear(&ignored);
        }
        PQclear(res);
    }
    free(names);
    free(vals);
    free(lens);
    free(bin);
    if (ret == 0 && PQstatus(conn) != CONNECTION_OK) {
        db_error_set(err, DB_ERR_CONNECT, "lost the connection to %s", c->url.display);
        ret = -1;
    }
    return ret;
}

/* Did a statement that succeeded (command tag tag) end the transaction
 * that was open before it?  COMMIT AND CHAIN and ROLLBACK AND CHAIN end
 * it and open another at once; ROLLBACK TO a savepoint also says
 * "ROLLBACK" but stays inside. */
static bool tx_ended(PGconn *conn, const char *tag, const char *stmt)
{
    if (PQtransactionStatus(conn) == PQTRANS_IDLE)
        return true;
    if (strcmp(tag, "COMMIT") == 0)
        return true;
    if (strcmp(tag, "ROLLBACK") != 0)
        return false;
    for (const char *p = stmt; (p = strcasestr(p, "chain")) != NULL; p += 5) {
        bool word_start = p == stmt || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        if (word_start && !(isalnum((unsigned char)p[5]) || p[5] == '_'))
            return true;
    }
    return false;
}

/* Runs one statement through the extended protocol, which refuses a text
 * of two statements: a script split wrongly fails, it never runs a
 * statement unseen. */
static int pg_exec_one(DbConn *c, const char *one, size_t at, DbScriptRun *run, DbError *err)
{
    PGconn *conn = impl(c)->conn;
    bool open_before = PQtransactionStatus(conn) == PQTRANS_INTRANS;
    PGresult *r = PQexecParams(conn, one, 0, NULL, NULL, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    int ret = 0;
    if (abort_copy(conn, st, err)) {
        ret = -1;
        PQclear(r);
        while ((r = PQgetResult(conn)) != NULL) /* the COPY's own end */
            PQclear(r);
        return ret;
    }
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
        set_result_error(c, r, one, at, err);
        ret = -1;
    } else if (run->keep_tx && open_before && tx_ended(conn, PQcmdStatus(r), one)) {
        const char *tag = PQcmdStatus(r);
        run->committed = strcmp(tag, "ROLLBACK") != 0;
        db_set_tx_ended(err, *tag ? tag : "a statement", run->committed);
        ret = -1;
    }
    PQclear(r);
    return ret;
}

static int pg_exec_script(DbConn *c, const char *sql, DbScriptRun *run, DbError *err)
{
    SqlStmt *stmts = NULL;
    size_t n = sqlsplit_postgres(sql, &stmts);
    int ret = 0;
    for (size_t i = 0; i < n && ret == 0; i++) {
        char *one = xstrndup(sql + stmts[i].start, stmts[i].end - stmts[i].start);
        run->failed_at = stmts[i].start;
        ret = pg_exec_one(c, one, stmts[i].start, run, err);
        free(one);
    }
    free(stmts);
    return ret;
}

static void pg_cancel(DbConn *c)
{
    PgImpl *p = impl(c);
    if (!p)
        return;
    char buf[256];
    pthread_mutex_lock(&p->cancel_lock);
    if (p->cancel)
        PQcancel(p->cancel, buf, sizeof buf);
    pthread_mutex_unlock(&p->cancel_lock);
}

static bool pg_alive(DbConn *c)
{
    return impl(c) && PQstatus(impl(c)->conn) == CONNECTION_OK;
}


/* ---- COPY FROM STDIN -------------------------------------------------- */

/* Reads the results of a COPY that ended; the first error goes to err.
 * Returns 0 when the COPY's own result says it succeeded. */
static int copy_results(DbConn *c, long long *rows, DbError *err)
{
    PGconn *conn = impl(c)->conn;
    PGresult *r;
    int ret = -1;
    bool failed = false;
    while ((r = PQgetResult(conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_COMMAND_OK && !failed) {
            if (rows)
                *rows = atoll(PQcmdTuples(r));
            ret = 0;
        } else if (st == PGRES_COPY_IN) {
            /* still in COPY (should not happen after the end): end it */
            PQputCopyEnd(conn, "abandoned");
        } else if (!failed) {
            set_result_error(c, r, NULL, 0, err);
            failed = true;
            ret = -1;
        }
        PQclear(r);
    }
    if (ret != 0 && !failed) {
        set_result_error(c, NULL, NULL, 0, err);
        if (PQstatus(conn) != CONNECTION_OK)
            err->kind = DB_ERR_CONNECT;
    }
    return ret;
}

static int pg_copy_begin(DbConn *c, const char *sql, DbError *err)
{
    PGconn *conn = impl(c)->conn;
    PGresult *r = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COPY_IN) {
        PQclear(r);
        return 0;
    }
    if (st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
        abort_copy(conn, st, err);
        PQclear(r);
        while ((r = PQgetResult(conn)) != NULL)
            PQclear(r);
        db_error_set(err, DB_ERR_USAGE, "db_copy_begin takes a COPY … FROM STDIN statement");
        return -1;
    }
    if (st == PGRES_FATAL_ERROR || st == PGRES_NONFATAL_ERROR || !r)
        set_result_error(c, r, sql, 0, err);
    else
        db_error_set(err, DB_ERR_USAGE, "db_copy_begin takes a COPY … FROM STDIN statement");
    PQclear(r);
    return -1;
}

static int pg_copy_put(DbConn *c, const char *data, size_t len, DbError *err)
{
    PGconn *conn = impl(c)->conn;
    while (len > 0) {
        int n = len > (1u << 30) ? (1 << 30) : (int)len;
        if (PQputCopyData(conn, data, n) != 1) {
            /* the server refused a row (or a cancel reached it) and
             * ended the COPY: its result says why */
            long long ignored;
            if (copy_results(c, &ignored, err) == 0)
                db_error_set(err, DB_ERR_SQL, "the COPY ended before all its data was sent");
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    /* A row the server refused is only said at the end: libpq keeps the
     * server's error unread while the COPY runs (the server drops the rest
     * of the data meanwhile). */
    return 0;
}

static int pg_copy_end(DbConn *c, long long *rows, DbError *err)
{
    PGconn *conn = impl(c)->conn;
    if (PQputCopyEnd(conn, NULL) != 1) {
        set_result_error(c, NULL, NULL, 0, err);
        DbError later = DB_ERROR_INIT;
        copy_results(c, rows, &later);
        db_error_clear(&later);
        return -1;
    }
    return copy_results(c, rows, err);
}

static void pg_copy_abort(DbConn *c, const char *why)
{
    PGconn *conn = impl(c)->conn;
    PQputCopyEnd(conn, why);
    DbError ignored = DB_ERROR_INIT;
    copy_results(c, NULL, &ignored);
    db_error_clear(&ignored);
}

/* ---- prepared statements -------------------------------------------- */

typedef struct PgStmt {
    char name[32];
} PgStmt;

static int pg_prepare(DbConn *c, DbStmt *st, const char *sql, DbError *err)
{
    PgStmt *ps = xcalloc(1, sizeof *ps);
    snprintf(ps->name, sizeof ps->name, "dbwarden_%u", ++impl(c)->nstmt);
    PGresult *r = PQprepare(impl(c)->conn, ps->name, sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        set_result_error(c, r, sql, 0, err);
        PQclear(r);
        free(ps);
        return -1;
    }
    PQclear(r);
    st->impl = ps;
    return 0;
}

static int pg_stmt_exec(DbStmt *st, const DbParams *p, long long *changes, DbError *err)
{
    DbConn *c = st->conn;
    PgStmt *ps = st->impl;
    int np = p ? p->count : 0;
    PGresult *r = PQexecPrepared(impl(c)->conn, ps->name, np, np ? p->values : NULL, NULL,
                                 NULL, 0);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        set_result_error(c, r, NULL, 0, err);
        PQclear(r);
        return -1;
    }
    if (changes)
        *changes = atoll(PQcmdTuples(r));
    PQclear(r);
    return 0;
}

static void pg_stmt_free(DbStmt *st)
{
    PgStmt *ps = st->impl;
    if (!ps)
        return;
    /* fails harmlessly in an aborted transaction: the session's end frees it */
    char *sql = xasprintf("DEALLOCATE %s", ps->name);
    PQclear(PQexec(impl(st->conn)->conn, sql));
    free(sql);
    free(ps);
    st->impl = NULL;
}

const DbDriver db_driver_postgres = {
    .engine = DB_ENGINE_POSTGRES,
    .open = pg_open,
    .close = pg_close,
    .query = pg_query,
    .exec_script = pg_exec_script,
    .cancel = pg_cancel,
    .alive = pg_alive,
    .copy_begin = pg_copy_begin,
    .copy_put = pg_copy_put,
    .copy_end = pg_copy_end,
    .copy_abort = pg_copy_abort,
    .prepare = pg_prepare,
    .stmt_exec = pg_stmt_exec,
    .stmt_free = pg_stmt_free,
};
