/* backup_sqlite.c: SQLite backups through the online backup API, in both
 * directions.  The DbConn keeps its sqlite3 handle to itself, so this opens
 * a second handle on the same file (its path is the parsed URL's target):
 * for a file database that is the same database, and SQLite's locks keep
 * the two handles consistent; the DbConn's own handle sees a restore on
 * its next statement. */
#include "backup_internal.h"
#include "db_internal.h"
#include "xalloc.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STEP_PAGES 256    /* pages per backup step */
#define BUSY_WAIT_MS 10000

static const char *code_name(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY: return "SQLITE_BUSY";
    case SQLITE_LOCKED: return "SQLITE_LOCKED";
    case SQLITE_NOMEM: return "SQLITE_NOMEM";
    case SQLITE_READONLY: return "SQLITE_READONLY";
    case SQLITE_IOERR: return "SQLITE_IOERR";
    case SQLITE_CORRUPT: return "SQLITE_CORRUPT";
    case SQLITE_FULL: return "SQLITE_FULL";
    case SQLITE_CANTOPEN: return "SQLITE_CANTOPEN";
    case SQLITE_PERM: return "SQLITE_PERM";
    case SQLITE_NOTADB: return "SQLITE_NOTADB";
    default: return "SQLITE_ERROR";
    }
}

static DbErrKind kind_for(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY: case SQLITE_LOCKED: return DB_ERR_BUSY;
    case SQLITE_IOERR: case SQLITE_FULL: case SQLITE_CANTOPEN: case SQLITE_PERM:
    case SQLITE_READONLY: return DB_ERR_IO;
    default: return DB_ERR_SQL;
    }
}

static void set_error(DbError *err, int rc, const char *what, const char *detail)
{
    db_error_set(err, kind_for(rc), "%s: %s", what, detail);
    snprintf(err->code, sizeof err->code, "%s", code_name(rc));
}

bool backup_sqlite_in_memory(const DbConn *c)
{
    return strcmp(c->url.target, ":memory:") == 0;
}

/* Opens path with flags; on failure fills err ("what: reason"). */
static sqlite3 *open_file(const char *path, int flags, const char *what, DbError *err)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK) {
        set_error(err, rc, what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    return db;
}

/* Copies every page of from's main database over to's, in one write
 * transaction on to; waits up to BUSY_WAIT_MS for locks.  Returns an
 * SQLite result code (SQLITE_OK when done). */
static int copy_pages(sqlite3 *from, sqlite3 *to)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b)
        return sqlite3_extended_errcode(to);
    int rc, waited = 0;
    for (;;) {
        rc = sqlite3_backup_step(b, STEP_PAGES);
        int prim = rc & 0xff;
        if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) {
            if (waited >= BUSY_WAIT_MS)
                break;
            sqlite3_sleep(50);
            waited += 50;
            continue;
        }
        if (rc != SQLITE_OK)
            break;
    }
    int frc = sqlite3_backup_finish(b);
    if (rc == SQLITE_DONE)
        rc = frc;
    return rc;
}

static const char *copy_detail(int rc, sqlite3 *to)
{
    int prim = rc & 0xff;
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
        return "the database stayed locked by another connection for 10 s; try again when "
               "it is idle";
    if (sqlite3_extended_errcode(to) == rc)
        return sqlite3_errmsg(to);
    return sqlite3_errstr(rc);
}

int backup_sqlite_save(DbConn *c, const char *dest, DbError *err)
{
    char *what = NULL;
    int ret = -1;
    sqlite3 *to = NULL;
    what = xasprintf("cannot read %s", db_display_url(c));
    sqlite3 *from = open_file(c->url.target, SQLITE_OPEN_READONLY, what, err);
    if (!from)
        goto fail;
    free(what);
    what = xasprintf("cannot write the backup %s", dest);
    to = open_file(dest, SQLITE_OPEN_READWRITE, what, err);
    if (!to)
        goto fail;
    free(what);
    what = NULL;
    int rc = copy_pages(from, to);
    if (rc != SQLITE_OK) {
        const char *slash = strrchr(dest, '/');
        int dirlen = slash ? (int)(slash - dest) : 1;
        bool io = kind_for(rc) == DB_ERR_IO;
        what = xasprintf("cannot back up %s into the folder %.*s%s", db_display_url(c), dirlen,
                         slash ? dest : ".", io ? " (is the disk full?)" : "");
        set_error(err, rc, what, copy_detail(rc, to));
        goto fail;
    }
    ret = 0;
fail:
    sqlite3_close_v2(to);
    sqlite3_close_v2(from);
    free(what);
    return ret;
}

/* Runs PRAGMA quick_check on db; *result is its first row (caller frees). */
static int quick_check(sqlite3 *db, char **result)
{
    sqlite3_stmt *st = NULL;
    *result = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            *result = xstrdup(t ? (const char *)t : "");
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int backup_sqlite_check(DbConn *c, const char *file, DbError *err)
{
    struct stat a, b;
    if (stat(file, &a) == 0 && stat(c->url.target, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
        db_error_set(err, DB_ERR_USAGE, "%s is the database itself, not a backup of it", file);
        return -1;
    }
    char *what = xasprintf("%s is not a usable SQLite backup", file);
    char *result = NULL;
    int ret = -1;
    sqlite3 *db = open_file(file, SQLITE_OPEN_READONLY, what, err);
    if (!db)
        goto fail;
    int rc = quick_check(db, &result);
    if (rc != SQLITE_OK) {
        set_error(err, rc, what, sqlite3_errmsg(db));
        err->kind = DB_ERR_USAGE;
        goto fail;
    }
    if (!result || strcmp(result, "ok") != 0) {
        db_error_set(err, DB_ERR_USAGE, "%s: PRAGMA quick_check says: %s", what,
                     result ? result : "nothing");
        snprintf(err->code, sizeof err->code, "SQLITE_CORRUPT");
        goto fail;
    }
    ret = 0;
fail:
    sqlite3_close_v2(db);
    free(result);
    free(what);
    return ret;
}

int backup_sqlite_load(DbConn *c, const char *file, DbError *err)
{
    char *what = NULL;
    int ret = -1;
    sqlite3 *to = NULL;
    what = xasprintf("cannot read the backup %s", file);
    sqlite3 *from = open_file(file, SQLITE_OPEN_READONLY, what, err);
    if (!from)
        goto fail;
    free(what);
    what = xasprintf("cannot write %s", db_display_url(c));
    to = open_file(c->url.target, SQLITE_OPEN_READWRITE, what, err);
    if (!to)
        goto fail;
    free(what);
    what = NULL;
    int rc = copy_pages(from, to);
    if (rc != SQLITE_OK) {
        what = xasprintf("cannot restore %s into %s (the database was left as it was)", file,
                         db_display_url(c));
        set_error(err, rc, what, copy_detail(rc, to));
        goto fail;
    }
    ret = 0;
fail:
    sqlite3_close_v2(to);
    sqlite3_close_v2(from);
    free(what);
    return ret;
}
