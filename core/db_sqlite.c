/* db_sqlite.c: the SQLite driver (see db_internal.h). */
#include "db_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

/* How long a statement waits for another connection's lock. */
#define BUSY_WAIT_MS 5000

typedef struct SqliteImpl {
    sqlite3    *db;
    atomic_bool cancel;   /* db_cancel() since the statement began */
    long long   deadline; /* CLOCK_MONOTONIC ns when the running statement
                             times out ([database] statement_timeout); 0: none */
    int         timeout_ms;
    bool        timed_out; /* the progress handler stopped it for that */
} SqliteImpl;

/* How many virtual machine steps run between looks at the clock. */
#define TIMEOUT_CHECK_STEPS 1000

static long long mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* SQLite has no statement timeout: the progress handler interrupts a
 * statement that runs past the connection's (db_set_statement_timeout). */
static int past_deadline(void *arg)
{
    SqliteImpl *impl = arg;
    if (!impl->deadline || mono_ns() < impl->deadline)
        return 0;
    impl->timed_out = true;
    return 1;
}

/* A statement begins: its deadline, when the connection has a timeout. */
static void arm_timeout(DbConn *c)
{
    SqliteImpl *impl = c->impl;
    impl->timed_out = false;
    impl->timeout_ms = c->statement_timeout_ms;
    impl->deadline = c->statement_timeout_ms > 0
                         ? mono_ns() + (long long)c->statement_timeout_ms * 1000000LL : 0;
    sqlite3_progress_handler(impl->db, impl->deadline ? TIMEOUT_CHECK_STEPS : 0,
                             impl->deadline ? past_deadline : NULL, impl);
}

/* Waits for another connection's lock, as sqlite3_busy_timeout() would,
 * but gives up at once after db_cancel() (sqlite3_interrupt() does not
 * reach a statement that waits for a lock). */
static int busy_wait(void *arg, int count)
{
    SqliteImpl *impl = arg;
    if (atomic_load(&impl->cancel) || count >= BUSY_WAIT_MS / 10)
        return 0;
    sqlite3_sleep(10);
    return 1;
}

static sqlite3 *handle(DbConn *c)
{
    return ((SqliteImpl *)c->impl)->db;
}

static const char *code_name(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_ERROR: return "SQLITE_ERROR";
    case SQLITE_INTERNAL: return "SQLITE_INTERNAL";
    case SQLITE_PERM: return "SQLITE_PERM";
    case SQLITE_ABORT: return "SQLITE_ABORT";
    case SQLITE_BUSY: return "SQLITE_BUSY";
    case SQLITE_LOCKED: return "SQLITE_LOCKED";
    case SQLITE_NOMEM: return "SQLITE_NOMEM";
    case SQLITE_READONLY: return "SQLITE_READONLY";
    case SQLITE_INTERRUPT: return "SQLITE_INTERRUPT";
    case SQLITE_IOERR: return "SQLITE_IOERR";
    case SQLITE_CORRUPT: return "SQLITE_CORRUPT";
    case SQLITE_FULL: return "SQLITE_FULL";
    case SQLITE_CANTOPEN: return "SQLITE_CANTOPEN";
    case SQLITE_SCHEMA: return "SQLITE_SCHEMA";
    case SQLITE_CONSTRAINT: return "SQLITE_CONSTRAINT";
    case SQLITE_MISMATCH: return "SQLITE_MISMATCH";
    case SQLITE_RANGE: return "SQLITE_RANGE";
    case SQLITE_NOTADB: return "SQLITE_NOTADB";
    default: return "SQLITE_ERROR";
    }
}

/* Fills err from the connection's last error; offset_base is added to the
 * engine's error offset (which counts from the start of the statement). */
static void set_error(DbConn *c, int rc, size_t offset_base, DbError *err)
{
    sqlite3 *db = handle(c);
    DbErrKind kind = DB_ERR_SQL;
    int prim = rc & 0xff;
    if (prim == SQLITE_BUSY && atomic_load(&((SqliteImpl *)c->impl)->cancel))
        prim = SQLITE_INTERRUPT;   /* the wait for a lock was cancelled */
    SqliteImpl *impl = c->impl;
    if (prim == SQLITE_INTERRUPT)
        kind = DB_ERR_CANCELLED;
    else if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
        kind = DB_ERR_BUSY;
    if (prim == SQLITE_INTERRUPT && impl->timed_out && !atomic_load(&impl->cancel))
        db_error_set(err, kind, "canceling statement due to statement timeout (%d ms)",
                     impl->timeout_ms);
    else
        db_error_set(err, kind, "%s", prim == SQLITE_INTERRUPT ? "cancelled"
                                                               : sqlite3_errmsg(db));
    snprintf(err->code, sizeof err->code, "%s", code_name(rc));
    int off = sqlite3_error_offset(db);
    err->position = off >= 0 ? (int)(offset_base + (size_t)off) : -1;
}

/* An empty or missing file (a new database), or one that starts with
 * SQLite's header. */
static bool looks_like_sqlite(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return errno != EISDIR;   /* else SQLite itself says what is wrong */
    struct stat st;
    char head[16];
    ssize_t n = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        n = read(fd, head, sizeof head);
    close(fd);
    return n == 0 || (n == 16 && memcmp(head, "SQLite format 3", 16) == 0);
}

static int sq_open(DbConn *c, const DbUrl *u, const DbOpenOptions *o, DbError *err)
{
    const char *path = u->target;
    bool memory = strcmp(path, ":memory:") == 0;
    struct stat st;
    if (!memory && !o->create && stat(path, &st) != 0) {
        db_error_set(err, DB_ERR_CONNECT, "cannot open SQLite database %s: %s", u->display,
                     strerror(errno));
        return -1;
    }
    int flags = o->read_only ? SQLITE_OPEN_READONLY
                             : SQLITE_OPEN_READWRITE | (o->create ? SQLITE_OPEN_CREATE : 0);
    flags |= SQLITE_OPEN_FULLMUTEX;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        db_error_set(err, DB_ERR_CONNECT, "cannot open SQLite database %s: %s", u->display,
                     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        snprintf(err->code, sizeof err->code, "%s", code_name(rc));
        sqlite3_close(db);
        return -1;
    }
    SqliteImpl *impl = xcalloc(1, sizeof *impl);
    impl->db = db;
    atomic_init(&impl->cancel, false);
    sqlite3_busy_handler(db, busy_wait, impl);
    sqlite3_extended_result_codes(db, 1);
    /* A file that is not a database only shows itself on first read, and
     * a read waits while another connection writes: the header says it
     * without a lock. */
    if (!memory && !looks_like_sqlite(path)) {
        db_error_set(err, DB_ERR_CONNECT, "cannot open SQLite database %s: file is not a "
                     "database", u->display);
        snprintf(err->code, sizeof err->code, "%s", "SQLITE_NOTADB");
        sqlite3_close(db);
        free(impl);
        return -1;
    }
    c->impl = impl;
    const char *base = strrchr(path, '/');
    c->dbname = xstrdup(base ? base + 1 : path);
    return 0;
}

static void sq_close(DbConn *c)
{
    if (!c->impl)
        return;
    sqlite3_close_v2(handle(c));
    free(c->impl);
    c->impl = NULL;
}

static int bind_params(DbConn *c, sqlite3_stmt *st, const DbParams *p, DbError *err)
{
    if (!p)
        return 0;
    int nslots = sqlite3_bind_parameter_count(st);
    for (int i = 0; i < p->count; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        int idx = sqlite3_bind_parameter_index(st, name);
        if (idx == 0 && i + 1 <= nslots)
            idx = i + 1; /* a plain ? placeholder */
        if (idx == 0)
            continue;
        int rc = p->values[i] ? sqlite3_bind_text(st, idx, p->values[i], -1, SQLITE_TRANSIENT)
                              : sqlite3_bind_null(st, idx);
        if (rc != SQLITE_OK) {
            set_error(c, rc, 0, err);
            return -1;
        }
    }
    return 0;
}

/* Text of column i: NULL for SQL NULL, \x-hex for a BLOB. */
static const char *column_text(sqlite3_stmt *st, int i, StrBuf *scratch, size_t *len)
{
    int t = sqlite3_column_type(st, i);
    if (t == SQLITE_NULL) {
        *len = 0;
        return NULL;
    }
    if (t == SQLITE_BLOB) {
        const unsigned char *b = sqlite3_column_blob(st, i);
        int n = sqlite3_column_bytes(st, i);
        scratch->len = 0;
        sb_append(scratch, "\\x");
        for (int k = 0; k < n; k++)
            sb_appendf(scratch, "%02x", b[k]);
        *len = scratch->len;
        return sb_str(scratch);
    }
    const char *s = (const char *)sqlite3_column_text(st, i);
    *len = (size_t)sqlite3_column_bytes(st, i);
    return s ? s : "";
}

/* Steps st to the end, calling fn per row. */
static int run_stmt(DbConn *c, sqlite3_stmt *st, size_t offset_base, DbRowFn fn, void *ctx,
                    DbError *err)
{
    int n = sqlite3_column_count(st);
    const char **names = xcalloc((size_t)n + 1, sizeof *names);
    const char **vals = xcalloc((size_t)n + 1, sizeof *vals);
    size_t *lens = xcalloc((size_t)n + 1, sizeof *lens);
    bool *bin = xcalloc((size_t)n + 1, sizeof *bin);
    StrBuf *scratch = xcalloc((size_t)n + 1, sizeof *scratch);
    int rc, ret = 0;
    for (int i = 0; i < n; i++)
        names[i] = sqlite3_column_name(st, i);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!fn)
            continue;
        for (int i = 0; i < n; i++) {
            bin[i] = sqlite3_column_type(st, i) == SQLITE_BLOB; /* before any conversion */
            vals[i] = column_text(st, i, &scratch[i], &lens[i]);
        }
        DbRow row = { n, names, vals, lens, bin };
        if (fn(ctx, &row) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE) {
        set_error(c, rc, offset_base, err);
        ret = -1;
    }
    for (int i = 0; i < n; i++)
        sb_free(&scratch[i]);
    free(scratch);
    free(names);
    free(vals);
    free(lens);
    free(bin);
    return ret;
}

static int sq_query(DbConn *c, const char *sql, const DbParams *p, DbRowFn fn, void *ctx,
                    DbError *err)
{
    sqlite3_stmt *st = NULL;
    atomic_store(&((SqliteImpl *)c->impl)->cancel, false);   /* a new statement */
    arm_timeout(c);
    int rc = sqlite3_prepare_v2(handle(c), sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        set_error(c, rc, 0, err);
        return -1;
    }
    if (!st)
        return 0; /* only comments */
    int ret = bind_params(c, st, p, err);
    if (ret == 0)
        ret = run_stmt(c, st, 0, fn, ctx, err);
    sqlite3_finalize(st);
    return ret;
}

/* Skips white space and comments: where the next statement really starts. */
static const char *skip_blank(const char *s)
{
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')
            s++;
        if (s[0] == '-' && s[1] == '-') {
            s += strcspn(s, "\n");
        } else if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            s = e ? e + 2 : s + strlen(s);
        } else {
            return s;
        }
    }
}

/* The first word of sql, upper-cased, into buf[16]. */
static const char *first_word(const char *sql, char buf[16])
{
    size_t n = 0;
    while (n < 15 && ((sql[n] >= 'a' && sql[n] <= 'z') || (sql[n] >= 'A' && sql[n] <= 'Z'))) {
        buf[n] = (char)(sql[n] & ~0x20);
        n++;
    }
    buf[n] = '\0';
    return buf;
}

/* Prepares and runs the statement at p; *tail gets the text after it.
 * With run->keep_tx, a statement that ended the transaction fails. */
static int sq_exec_one(DbConn *c, const char *p, size_t at, const char **tail,
                       DbScriptRun *run, DbError *err)
{
    sqlite3 *db = handle(c);
    sqlite3_stmt *st = NULL;
    arm_timeout(c);
    int rc = sqlite3_prepare_v2(db, p, -1, &st, tail);
    if (rc != SQLITE_OK) {
        set_error(c, rc, at, err);
        return -1;
    }
    if (!st)
        return 0;
    bool open_before = !sqlite3_get_autocommit(db);
    int r = run_stmt(c, st, at, NULL, NULL, err);
    if (r == 0 && run->keep_tx && open_before && sqlite3_get_autocommit(db)) {
        char w[16];
        first_word(p, w);
        run->committed = strcmp(w, "ROLLBACK") != 0;
        db_set_tx_ended(err, w[0] ? w : "a statement", run->committed);
        r = -1;
    }
    sqlite3_finalize(st);
    return r;
}

static int sq_exec_script(DbConn *c, const char *sql, DbScriptRun *run, DbError *err)
{
    const char *p = sql;
    atomic_store(&((SqliteImpl *)c->impl)->cancel, false);   /* a new script */
    while (*(p = skip_blank(p))) {
        const char *tail = NULL;
        run->failed_at = (size_t)(p - sql);
        if (sq_exec_one(c, p, run->failed_at, &tail, run, err) != 0)
            return -1;
        if (!tail || tail == p)
            break;
        p = tail;
    }
    return 0;
}

static void sq_cancel(DbConn *c)
{
    if (c->impl) {
        atomic_store(&((SqliteImpl *)c->impl)->cancel, true);
        sqlite3_interrupt(handle(c));
    }
}

static bool sq_alive(DbConn *c)
{
    return c->impl != NULL;   /* a file has no session to lose */
}


/* ---- prepared statements -------------------------------------------- */

typedef struct SqStmt {
    sqlite3_stmt *st;
    int          *slot;    /* slot[i]: the bind index of $i+1, 0 when unused */
    int           nslot;
} SqStmt;

static int sq_prepare(DbConn *c, DbStmt *out, const char *sql, DbError *err)
{
    sqlite3_stmt *st = NULL;
    atomic_store(&((SqliteImpl *)c->impl)->cancel, false);   /* a new statement */
    int rc = sqlite3_prepare_v3(handle(c), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK || !st) {
        if (rc == SQLITE_OK)
            db_error_set(err, DB_ERR_USAGE, "nothing to prepare (only comments)");
        else
            set_error(c, rc, 0, err);
        sqlite3_finalize(st);
        return -1;
    }
    SqStmt *ss = xcalloc(1, sizeof *ss);
    ss->st = st;
    ss->nslot = sqlite3_bind_parameter_count(st);
    ss->slot = xcalloc((size_t)ss->nslot + 1, sizeof *ss->slot);
    for (int i = 0; i < ss->nslot; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        int idx = sqlite3_bind_parameter_index(st, name);
        ss->slot[i] = idx ? idx : i + 1;   /* a plain ? placeholder */
    }
    out->impl = ss;
    return 0;
}

static int sq_stmt_exec(DbStmt *stmt, const DbParams *p, long long *changes, DbError *err)
{
    DbConn *c = stmt->conn;
    SqStmt *ss = stmt->impl;
    if (atomic_load(&((SqliteImpl *)c->impl)->cancel)) {
        db_error_set(err, DB_ERR_CANCELLED, "cancelled");
        snprintf(err->code, sizeof err->code, "%s", "SQLITE_INTERRUPT");
        return -1;
    }
    int n = p ? p->count : 0;
    for (int i = 0; i < n && i < ss->nslot; i++) {
        int rc = p->values[i] ? sqlite3_bind_text(ss->st, ss->slot[i], p->values[i], -1,
                                                  SQLITE_STATIC)
                              : sqlite3_bind_null(ss->st, ss->slot[i]);
        if (rc != SQLITE_OK) {
            set_error(c, rc, 0, err);
            sqlite3_reset(ss->st);
            return -1;
        }
    }
    int rc;
    while ((rc = sqlite3_step(ss->st)) == SQLITE_ROW)
        ;
    int ret = 0;
    if (rc != SQLITE_DONE) {
        set_error(c, rc, 0, err);
        ret = -1;
    } else if (changes) {
        *changes = (long long)sqlite3_changes64(handle(c));
    }
    sqlite3_reset(ss->st);
    sqlite3_clear_bindings(ss->st);   /* the values are the caller's */
    return ret;
}

static void sq_stmt_free(DbStmt *stmt)
{
    SqStmt *ss = stmt->impl;
    if (!ss)
        return;
    sqlite3_finalize(ss->st);
    free(ss->slot);
    free(ss);
    stmt->impl = NULL;
}

const DbDriver db_driver_sqlite = {
    .engine = DB_ENGINE_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .query = sq_query,
    .exec_script = sq_exec_script,
    .cancel = sq_cancel,
    .alive = sq_alive,
    .prepare = sq_prepare,
    .stmt_exec = sq_stmt_exec,
    .stmt_free = sq_stmt_free,
};
