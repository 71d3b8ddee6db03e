/* runlock.c: see runlock.h. */
#include "runlock.h"
#include "db_internal.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DBW_LOCK_KEY "1145197380"   /* 'DBWD': the first of the two advisory keys */

struct RunLock {
    DbConn *conn;
    char   *name;
    int     fd;      /* SQLite: the locked file; -1 otherwise */
    char   *path;    /* SQLite: its path, removed on release; NULL otherwise */
};

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* "<the database file's real path>.dbwarden-lock": one lock per file,
 * whichever path (a symlink, "./x.db") names it.  A file not made yet is
 * named by its folder's real path. */
static char *lock_path(DbConn *c)
{
    const char *p = c->url.target;
    if (!p || !*p || strcmp(p, ":memory:") == 0)
        return NULL;
    char *real = realpath(p, NULL);
    if (!real) {
        const char *slash = strrchr(p, '/');
        char *dir = slash ? xstrndup(p, slash == p ? 1 : (size_t)(slash - p)) : xstrdup(".");
        char *rdir = realpath(dir, NULL);
        free(dir);
        if (rdir) {
            real = xasprintf("%s/%s", strcmp(rdir, "/") == 0 ? "" : rdir, slash ? slash + 1 : p);
            free(rdir);
        } else {
            real = xstrdup(p);
        }
    }
    char *path = xasprintf("%s.dbwarden-lock", real);
    free(real);
    return path;
}

/* Opens the lock file (created when missing).  -1 with err on failure. */
static int open_lock(const char *path, DbError *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        db_error_set(err, DB_ERR_IO, "cannot create the lock file %s: %s", path,
                     strerror(errno));
    return fd;
}

/* Takes the flock on *fd when free.  The holder removes the file when it
 * is done, so a lock won on a file that is no longer at path is worth
 * nothing: then the file is opened again and the next try counts. */
static int file_try(const char *path, int *fd, bool *got, DbError *err)
{
    *got = false;
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0)
        return 0;
    struct stat a, b;
    if (fstat(*fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
        *got = true;
        return 0;
    }
    close(*fd);
    *fd = open_lock(path, err);
    return *fd < 0 ? -1 : 0;
}

/* ---- PostgreSQL ---------------------------------------------------- */

static int pg_try(DbConn *c, const char *name, bool *got, DbError *err)
{
    const char *vals[1] = { name };
    DbParams p = { 1, vals };
    char *v = NULL;
    if (db_query_value(c, "lock: try run lock",
                       "/* lock: try run lock */ SELECT pg_try_advisory_lock(" DBW_LOCK_KEY
                       ", hashtext($1))", &p, &v, err) != 0)
        return -1;
    *got = v && v[0] == 't';
    free(v);
    return 0;
}

static char *pg_holder(DbConn *c, const char *name)
{
    const char *vals[1] = { name };
    DbParams p = { 1, vals };
    char *v = NULL;
    DbError err = DB_ERROR_INIT;
    db_query_value(c, "lock: who holds the run lock",
        "/* lock: who holds the run lock */ "
        "SELECT format('pid %s, user %s, application %s%s, since %s', a.pid, "
        "coalesce(a.usename::text, '?'), "
        "coalesce(nullif(a.application_name, ''), '?'), "
        "coalesce(' from ' || host(a.client_addr), ''), "
        "coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"'), "
        "'a time only its user can see')) "
        "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = " DBW_LOCK_KEY "::oid "
        "AND l.objid = hashtext($1)::oid AND l.objsubid = 2 AND l.pid <> pg_backend_pid() "
        "AND l.database = (SELECT oid FROM pg_catalog.pg_database "
        "WHERE datname = pg_catalog.current_database()) "
        "LIMIT 1", &p, &v, &err);
    db_error_clear(&err);
    return v;
}

/* ---- SQLite -------------------------------------------------------- */

static char *file_holder(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char buf[512];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return n ? xstrdup(buf) : NULL;
}

static void file_record(int fd, const char *what)
{
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = '\0';
    struct passwd *pw = getpwuid(getuid());
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    char *line = xasprintf("pid %ld, user %s@%s, running %s, since %s\n", (long)getpid(),
                           pw ? pw->pw_name : "?", host, what, when);
    if (ftruncate(fd, 0) == 0 && pwrite(fd, line, strlen(line), 0) < 0) {
        /* the record is a courtesy to whoever waits: the lock holds anyway */
    }
    free(line);
}

/* ---- both ---------------------------------------------------------- */

int runlock_acquire(DbConn *c, const char *name, const char *what, int wait_ms, RunLock **out,
                    DbError *err)
{
    *out = NULL;
    if (wait_ms < 0)
        wait_ms = db_lock_wait(c);
    RunLock *l = xcalloc(1, sizeof *l);
    l->conn = c;
    l->name = xstrdup(name);
    l->fd = -1;
    char *path = db_engine(c) == DB_ENGINE_SQLITE ? lock_path(c) : NULL;
    if (path && (l->fd = open_lock(path, err)) < 0)
        goto fail;
    for (int waited = 0;; waited += 100) {
        bool got = true;
        if (db_engine(c) == DB_ENGINE_POSTGRES) {
            if (pg_try(c, name, &got, err) != 0)
                goto fail;
        } else if (l->fd >= 0) {
            if (file_try(path, &l->fd, &got, err) != 0)
                goto fail;
        }
        if (got)
            break;
        if (waited >= wait_ms) {
            char *who = db_engine(c) == DB_ENGINE_POSTGRES ? pg_holder(c, name)
                                                           : file_holder(path);
            db_error_set(err, DB_ERR_BUSY,
                         "another dbwarden run holds the lock on %s (%s); waited %d s. "
                         "Try again when it has finished", db_display_url(c),
                         who ? who : "holder unknown", wait_ms / 1000);
            free(who);
            goto fail;
        }
        sleep_ms(100);
    }
    if (l->fd >= 0)
        file_record(l->fd, what);
    l->path = path;
    *out = l;
    return 0;
fail:
    if (l->fd >= 0)
        close(l->fd);
    free(path);
    free(l->name);
    free(l);
    return -1;
}

void runlock_release(RunLock *l)
{
    if (!l)
        return;
    if (db_engine(l->conn) == DB_ENGINE_POSTGRES) {
        const char *vals[1] = { l->name };
        DbParams p = { 1, vals };
        DbError err = DB_ERROR_INIT;
        db_exec(l->conn, "lock: release run lock",
                "/* lock: release run lock */ SELECT pg_advisory_unlock(" DBW_LOCK_KEY
                ", hashtext($1))", &p, &err);
        db_error_clear(&err);
    }
    if (l->fd >= 0) {
        /* removed while still held: whoever waits on this file finds it
         * gone once they win it, and tries the new one (file_try) */
        if (l->path)
            unlink(l->path);
        flock(l->fd, LOCK_UN);
        close(l->fd);
    }
    free(l->path);
    free(l->name);
    free(l);
}

char *runlock_holder(DbConn *c, const char *name)
{
    if (db_engine(c) == DB_ENGINE_POSTGRES)
        return pg_holder(c, name);
    char *path = lock_path(c);
    if (!path)
        return NULL;
    char *who = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (flock(fd, LOCK_SH | LOCK_NB) != 0)
            who = file_holder(path);
        else
            flock(fd, LOCK_UN);
        close(fd);
    }
    free(path);
    return who;
}
