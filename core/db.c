/* db.c: the engine-independent half of db.h: open, the one execution path,
 * transactions, quoting. */
#include "db_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Removes any password from err's message after a driver call. */
static void scrub(DbConn *c, DbError *err)
{
    if (err->message) {
        char *m = db_url_scrub(err->message, c->url.password);
        free(err->message);
        err->message = m;
    }
}

/* A statement on a connection that a failed db_reconnect() left closed. */
static int lost(DbConn *c, DbError *err)
{
    db_error_set(err, DB_ERR_CONNECT, "no connection to %s (reconnecting failed); try again "
                 "when the server is back", c->url.display);
    return -1;
}

int db_open(DbConn **out, const char *url, const DbOpenOptions *opt, DbError *err)
{
    static const DbOpenOptions defaults = { false, false, 0 };
    *out = NULL;
    DbConn *c = xcalloc(1, sizeof *c);
    if (db_url_parse(&c->url, url, err) != 0) {
        free(c);
        return -1;
    }
    c->drv = c->url.engine == DB_ENGINE_POSTGRES ? &db_driver_postgres : &db_driver_sqlite;
    c->opts = opt ? *opt : defaults;
    c->lock_wait_ms = DB_LOCK_WAIT_MS;
    if (c->drv->open(c, &c->url, &c->opts, err) != 0) {
        scrub(c, err);
        if (err->kind == DB_OK)
            err->kind = DB_ERR_CONNECT;
        if (c->impl)
            c->drv->close(c);
        db_url_free(&c->url);
        free(c->dbname);
        free(c);
        return -1;
    }
    *out = c;
    return 0;
}

void db_close(DbConn *c)
{
    if (!c)
        return;
    c->drv->close(c);
    db_url_free(&c->url);
    free(c->dbname);
    free(c);
}

DbEngine db_engine(const DbConn *c) { return c->drv->engine; }
const char *db_display_url(const DbConn *c) { return c->url.display; }
const char *db_name(const DbConn *c) { return c->dbname ? c->dbname : ""; }
const char *db_password(const DbConn *c) { return c->url.password; }

void db_set_log(DbConn *c, DbLogFn fn, void *ctx)
{
    c->log = fn;
    c->log_ctx = ctx;
}

/* A statement while a COPY streams its data. */
static int copying(DbConn *c, DbError *err)
{
    (void)c;
    db_error_set(err, DB_ERR_USAGE, "a COPY is in progress on this connection: end it "
                 "(db_copy_end) before running another statement");
    return -1;
}

int db_query(DbConn *c, const char *label, const char *sql, const DbParams *params,
             DbRowFn on_row, void *ctx, DbError *err)
{
    if (!c->impl)
        return lost(c, err);
    if (c->in_copy)
        return copying(c, err);
    if (c->log)
        c->log(c->log_ctx, label, sql);
    if (c->drv->query(c, sql, params, on_row, ctx, err) != 0) {
        scrub(c, err);
        return -1;
    }
    return 0;
}

int db_exec(DbConn *c, const char *label, const char *sql, const DbParams *params,
            DbError *err)
{
    return db_query(c, label, sql, params, NULL, NULL, err);
}

void db_set_tx_ended(DbError *err, const char *what, bool committed)
{
    db_error_set(err, DB_ERR_SQL, "%s ended the transaction this script runs in: the "
                 "statements before it were %s, and the rest did not run", what,
                 committed ? "committed" : "rolled back");
}

static int exec_script(DbConn *c, const char *label, const char *sql, DbScriptRun *run,
                       DbError *err)
{
    if (!c->impl)
        return lost(c, err);
    if (c->in_copy)
        return copying(c, err);
    if (c->log)
        c->log(c->log_ctx, label, sql);
    if (c->drv->exec_script(c, sql, run, err) != 0) {
        scrub(c, err);
        return -1;
    }
    return 0;
}

int db_exec_script(DbConn *c, const char *label, const char *sql, size_t *failed_at,
                   DbError *err)
{
    DbScriptRun run = { false, 0, false };
    int rc = exec_script(c, label, sql, &run, err);
    if (failed_at)
        *failed_at = run.failed_at;
    return rc;
}

int db_exec_script_in_tx(DbConn *c, const char *label, const char *sql, size_t *failed_at,
                         bool *committed, DbError *err)
{
    DbScriptRun run = { true, 0, false };
    int rc = exec_script(c, label, sql, &run, err);
    if (failed_at)
        *failed_at = run.failed_at;
    if (committed)
        *committed = rc != 0 && run.committed;
    return rc;
}

typedef struct FirstValue {
    char *value;
    bool  seen;
} FirstValue;

static int take_first(void *ctx, const DbRow *row)
{
    FirstValue *fv = ctx;
    if (row->ncols > 0 && row->values[0])
        fv->value = xstrndup(row->values[0], row->lengths[0]);
    fv->seen = true;
    return 1;
}

int db_query_value(DbConn *c, const char *label, const char *sql, const DbParams *params,
                   char **out, DbError *err)
{
    FirstValue fv = { NULL, false };
    *out = NULL;
    if (db_query(c, label, sql, params, take_first, &fv, err) != 0) {
        free(fv.value);
        return -1;
    }
    *out = fv.value;
    return 0;
}

int db_begin(DbConn *c, bool immediate, DbError *err)
{
    const char *sql = "BEGIN";
    if (immediate && db_engine(c) == DB_ENGINE_SQLITE)
        sql = "BEGIN IMMEDIATE";
    return db_exec(c, "transaction: begin", sql, NULL, err);
}

int db_commit(DbConn *c, DbError *err)
{
    return db_exec(c, "transaction: commit", "COMMIT", NULL, err);
}

int db_rollback(DbConn *c)
{
    DbError e = DB_ERROR_INIT;
    int rc = db_exec(c, "transaction: rollback", "ROLLBACK", NULL, &e);
    db_error_clear(&e);
    return rc;
}

void db_cancel(DbConn *c)
{
    if (c)
        c->drv->cancel(c);
}

char *db_quote_ident(const DbConn *c, const char *name)
{
    (void)c; /* both engines quote identifiers the SQL-standard way */
    StrBuf b = STRBUF_INIT;
    sb_appendc(&b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            sb_appendc(&b, '"');
        sb_appendc(&b, *p);
    }
    sb_appendc(&b, '"');
    return sb_take(&b);
}

int db_table_exists(DbConn *c, const char *table, bool *exists, DbError *err)
{
    const char *sql = db_engine(c) == DB_ENGINE_POSTGRES
        ? "/* table exists? */ SELECT 1 FROM pg_catalog.pg_class cl "
          "JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace "
          "WHERE cl.relname = $1 AND cl.relkind IN ('r', 'p') "
          "AND n.nspname = ANY (pg_catalog.current_schemas(false))"
        : "/* table exists? */ SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = $1";
    const char *vals[1] = { table };
    DbParams p = { 1, vals };
    char *v = NULL;
    if (db_query_value(c, "catalog: table exists", sql, &p, &v, err) != 0)
        return -1;
    *exists = v != NULL;
    free(v);
    return 0;
}

void db_set_lock_wait(DbConn *c, int ms)
{
    c->lock_wait_ms = ms >= 0 ? ms : DB_LOCK_WAIT_MS;
}

int db_lock_wait(const DbConn *c)
{
    return c->lock_wait_ms;
}

bool db_alive(DbConn *c)
{
    return c->drv->alive(c);
}

int db_reconnect(DbConn *c, DbError *err)
{
    c->drv->close(c);
    free(c->dbname);
    c->dbname = NULL;
    DbOpenOptions o = c->opts;
    o.create = false;   /* the database exists: it was open */
    if (c->drv->open(c, &c->url, &o, err) != 0) {
        scrub(c, err);
        if (err->kind == DB_OK)
            err->kind = DB_ERR_CONNECT;
        if (c->impl)
            c->drv->close(c);
        return -1;
    }
    if (c->statement_timeout_ms > 0 &&
        db_set_statement_timeout(c, c->statement_timeout_ms, err) != 0)
        return -1;
    return 0;
}

int db_set_statement_timeout(DbConn *c, int ms, DbError *err)
{
    c->statement_timeout_ms = ms > 0 ? ms : 0;
    if (db_engine(c) != DB_ENGINE_POSTGRES)
        return 0;
    char v[32];
    snprintf(v, sizeof v, "%dms", ms > 0 ? ms : 0);
    const char *vals[1] = { v };
    DbParams p = { 1, vals };
    return db_exec(c, "session: statement timeout",
                   "/* session: statement timeout */ SELECT pg_catalog.set_config("
                   "'statement_timeout', $1, false)", &p, err);
}

/* ---- COPY FROM STDIN -------------------------------------------------- */

int db_copy_begin(DbConn *c, const char *label, const char *sql, DbError *err)
{
    if (!c->drv->copy_begin) {
        db_error_set(err, DB_ERR_USAGE, "COPY FROM STDIN is PostgreSQL's; %s has none (load "
                     "through a prepared statement)", db_engine_name(db_engine(c)));
        return -1;
    }
    if (!c->impl)
        return lost(c, err);
    if (c->in_copy)
        return copying(c, err);
    if (c->log)
        c->log(c->log_ctx, label, sql);
    if (c->drv->copy_begin(c, sql, err) != 0) {
        scrub(c, err);
        return -1;
    }
    c->in_copy = true;
    return 0;
}

static int no_copy(DbError *err)
{
    db_error_set(err, DB_ERR_USAGE, "no COPY in progress on this connection");
    return -1;
}

int db_copy_put(DbConn *c, const char *data, size_t len, DbError *err)
{
    if (!c->in_copy || !c->impl)
        return no_copy(err);
    if (c->drv->copy_put(c, data, len, err) != 0) {
        c->in_copy = false;   /* the driver ended it */
        scrub(c, err);
        return -1;
    }
    return 0;
}

int db_copy_end(DbConn *c, long long *rows, DbError *err)
{
    if (rows)
        *rows = 0;
    if (!c->in_copy || !c->impl)
        return no_copy(err);
    c->in_copy = false;
    if (c->drv->copy_end(c, rows, err) != 0) {
        scrub(c, err);
        return -1;
    }
    return 0;
}

void db_copy_abort(DbConn *c, const char *why)
{
    if (!c->in_copy)
        return;
    c->in_copy = false;
    if (c->impl)
        c->drv->copy_abort(c, why ? why : "aborted");
}

void db_copy_field(StrBuf *b, const char *value, size_t len)
{
    if (!value) {
        sb_appendn(b, "\\N", 2);
        return;
    }
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        char esc;
        switch (value[i]) {
        case '\\': esc = '\\'; break;
        case '\t': esc = 't'; break;
        case '\n': esc = 'n'; break;
        case '\r': esc = 'r'; break;
        default: continue;
        }
        sb_appendn(b, value + start, i - start);
        sb_appendc(b, '\\');
        sb_appendc(b, esc);
        start = i + 1;
    }
    sb_appendn(b, value + start, len - start);
}

/* ---- prepared statements -------------------------------------------- */

int db_prepare(DbConn *c, const char *label, const char *sql, DbStmt **out, DbError *err)
{
    *out = NULL;
    if (!c->impl)
        return lost(c, err);
    if (c->in_copy)
        return copying(c, err);
    if (c->log)
        c->log(c->log_ctx, label, sql);
    DbStmt *st = xcalloc(1, sizeof *st);
    st->conn = c;
    if (c->drv->prepare(c, st, sql, err) != 0) {
        scrub(c, err);
        free(st);
        return -1;
    }
    *out = st;
    return 0;
}

int db_stmt_exec(DbStmt *st, const DbParams *params, long long *changes, DbError *err)
{
    if (changes)
        *changes = 0;
    DbConn *c = st->conn;
    if (!c->impl)
        return lost(c, err);
    if (c->in_copy)
        return copying(c, err);
    if (c->drv->stmt_exec(st, params, changes, err) != 0) {
        scrub(c, err);
        return -1;
    }
    return 0;
}

void db_stmt_free(DbStmt *st)
{
    if (!st)
        return;
    if (st->conn->impl)
        st->conn->drv->stmt_free(st);
    free(st);
}
