/* backup.c: backup names, the folder, atomic placement, the list, and the
 * dispatch to the engine (see backup.h). */
#include "backup_internal.h"
#include "fsutil.h"
#include "migrate.h"
#include "rx.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DIR "backups"
#define NAME_PATTERN "^(.+)-([0-9]{8}T[0-9]{6}Z)(?:-([0-9]+))?\\.(sqlite3|dump)$"
/* A backup being written: ".<name>.tmp-<host>-<pid>-XXXXXX" (see write_temp). */
#define TEMP_PATTERN "^\\..+\\.(?:sqlite3|dump)\\.tmp-(.+)-([0-9]+)-[A-Za-z0-9]{6}$"

static const char *ext_for(DbEngine e)
{
    return e == DB_ENGINE_POSTGRES ? "dump" : "sqlite3";
}

static const char *engine_title(DbEngine e)
{
    return e == DB_ENGINE_POSTGRES ? "PostgreSQL" : "SQLite";
}

/* dir without trailing slashes ("backups/" -> "backups"); NULL or "" is
 * the default folder.  Caller frees. */
static char *norm_dir(const char *dir)
{
    if (!dir || !*dir)
        dir = DEFAULT_DIR;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return xstrndup(dir, n);
}

long backup_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static bool name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '_' || ch == '-';
}

char *backup_label(const DbConn *c)
{
    char *s = xstrdup(db_name(c));
    if (db_engine(c) == DB_ENGINE_SQLITE) {
        char *dot = strrchr(s, '.');
        if (dot && dot != s && dot[1])
            *dot = '\0';
    }
    for (char *p = s; *p; p++)
        if (!name_char(*p))
            *p = '_';
    if (s[0] == '.')
        s[0] = '_'; /* never a hidden file */
    if (!*s) {
        free(s);
        s = xstrdup("database");
    }
    return s;
}

/* mkdir -p dir, new folders mode 0700. */
static int ensure_dir(const char *dir, DbError *err)
{
    char *p = xstrdup(dir);
    int ret = -1;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char save = *s;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            db_error_set(err, DB_ERR_IO,
                         "cannot create the backup folder %s: %s; set dir in [backup] of "
                         "dbwarden.ini to a folder you can write", p, strerror(errno));
            goto fail;
        }
        *s = save;
        if (!save)
            break;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        db_error_set(err, DB_ERR_IO,
                     "the backup folder %s is not a folder; set dir in [backup] of "
                     "dbwarden.ini to a folder you can write", dir);
        goto fail;
    }
    ret = 0;
fail:
    free(p);
    return ret;
}

/* Gives the finished temporary file tmp its backup name, never replacing
 * another file (fs_place without replace: a second backup in the same
 * second gets "-2"). */
static int place(const char *tmp, const char *dir, const char *label, const char *stamp,
                 const char *ext, char **final, DbError *err)
{
    for (int n = 1; n < 1000; n++) {
        char *path = n == 1 ? xasprintf("%s/%s-%s.%s", dir, label, stamp, ext)
                            : xasprintf("%s/%s-%s-%d.%s", dir, label, stamp, n, ext);
        int rc = fs_place(tmp, path, false, err);
        if (rc == 0) {
            *final = path;
            return 0;
        }
        free(path);
        if (rc < 0)
            return -1;
    }
    db_error_set(err, DB_ERR_IO, "too many backups of %s in %s within one second", label, dir);
    return -1;
}

int backup_preflight(DbConn *c, const BackupOptions *opt, DbError *err)
{
    if (db_engine(c) == DB_ENGINE_POSTGRES) {
        char *tool = NULL;
        int rc = backup_pg_find(c, "pg_dump", opt, &tool, err);
        free(tool);
        return rc;
    }
    if (backup_sqlite_in_memory(c)) {
        db_error_set(err, DB_ERR_USAGE,
                     "an in-memory SQLite database has no file to back up; open a database "
                     "file instead");
        return -1;
    }
    return 0;
}

static void remove_temp(const char *tmp)
{
    unlink(tmp);
    char *journal = xasprintf("%s-journal", tmp); /* SQLite's, if it stayed */
    unlink(journal);
    free(journal);
}

/* This machine's name as it goes into temporary names (caller frees). */
static char *host_label(void)
{
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    host[sizeof host - 1] = '\0';
    for (char *p = host; *p; p++)
        if (!name_char(*p))
            *p = '_';
    return xstrdup(host[0] ? host : "localhost");
}

/* Removes the temporary files in dir that backups on this machine left
 * behind when they were killed (SIGKILL, a crash, a power cut): those whose
 * name holds this host and the pid of a process that no longer exists.  A
 * pid that lives (if reused, by another program) keeps its file. */
static void sweep_stale(const char *dir, const char *host)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    DbError e = DB_ERROR_INIT;
    Rx *rx = rx_compile(TEMP_PATTERN, RX_BYTES, &e);
    if (!rx)
        abort(); /* a constant pattern: a bug, not an input error */
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        RxSpan caps[3];
        const char *nm = de->d_name;
        if (!rx_match(rx, nm, strlen(nm), caps, 3) || caps[1].len != strlen(host) ||
            memcmp(nm + caps[1].start, host, caps[1].len) != 0 || caps[2].len > 9)
            continue;
        pid_t pid = (pid_t)atol(nm + caps[2].start);
        if (pid <= 0 || pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        char *path = xasprintf("%s/%s", dir, nm);
        remove_temp(path);
        free(path);
    }
    closedir(d);
    rx_free(rx);
}

/* Writes c's backup to a new hidden file in dir, synced; *tmp (caller
 * frees) is its name and *st its status.  On failure no file stays and
 * *tmp is NULL. */
static int write_temp(DbConn *c, const char *tool, const char *dir, const char *label,
                      const char *stamp, const char *host, char **tmp, struct stat *st,
                      DbError *err)
{
    DbEngine engine = db_engine(c);
    /* host and pid say whose it is, for sweep_stale() */
    char *t = xasprintf("%s/.%s-%s.%s.tmp-%s-%ld-XXXXXX", dir, label, stamp, ext_for(engine),
                        host, (long)getpid());
    *tmp = NULL;
    int fd = mkstemp(t); /* mode 0600, and the copy keeps it */
    if (fd < 0) {
        db_error_set(err, DB_ERR_IO,
                     "cannot write in the backup folder %s: %s; set dir in [backup] of "
                     "dbwarden.ini to a folder you can write", dir, strerror(errno));
        free(t);
        return -1;
    }
    close(fd);
    int rc = engine == DB_ENGINE_POSTGRES ? backup_pg_dump(c, tool, t, err)
                                          : backup_sqlite_save(c, t, err);
    if (rc == 0 && (fs_sync(t, false) != 0 || stat(t, st) != 0)) {
        db_error_set(err, DB_ERR_IO, "cannot write the backup %s: %s", t, strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        remove_temp(t);
        free(t);
        return -1;
    }
    *tmp = t;
    return 0;
}

static int create_held(DbConn *c, const char *folder, const BackupOptions *opt, BackupInfo *out,
                  DbError *err)
{
    memset(out, 0, sizeof *out);
    long t0 = backup_now_ms();
    DbEngine engine = db_engine(c);
    char *dir = norm_dir(folder);
    char *tool = NULL, *label = NULL, *tmp = NULL, *final = NULL, *host = NULL;
    struct stat st;
    if (engine == DB_ENGINE_POSTGRES) {
        if (backup_pg_find(c, "pg_dump", opt, &tool, err) != 0)
            goto fail;
    } else if (backup_preflight(c, opt, err) != 0) {
        goto fail;
    }
    if (ensure_dir(dir, err) != 0)
        goto fail;
    host = host_label();
    sweep_stale(dir, host);
    time_t now = time(NULL);
    struct tm tm;
    char stamp[32];
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    label = backup_label(c);
    if (write_temp(c, tool, dir, label, stamp, host, &tmp, &st, err) != 0)
        goto fail;
    if (place(tmp, dir, label, stamp, ext_for(engine), &final, err) != 0) {
        remove_temp(tmp);
        goto fail;
    }
    out->path = final;
    const char *slash = strrchr(final, '/');
    out->name = xstrdup(slash ? slash + 1 : final);
    out->database = label;
    out->engine = engine;
    out->bytes = (long long)st.st_size;
    out->created = now;
    out->duration_ms = backup_now_ms() - t0;
    label = NULL;
fail:
    free(tmp);
    free(tool);
    free(label);
    free(host);
    free(dir);
    return out->path ? 0 : -1;
}

/* ---- the list ---- */

typedef struct Entry {
    BackupInfo info;
    int        seq;   /* the "-N" of the name; 1 without one */
} Entry;

static int newest_first(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    if (x->info.created != y->info.created)
        return x->info.created > y->info.created ? -1 : 1;
    if (x->seq != y->seq)
        return x->seq > y->seq ? -1 : 1;
    return -strcmp(x->info.name, y->info.name);
}

static time_t parse_stamp(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(s, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6)
        return (time_t)-1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

int backup_list(const char *folder, const char *database, BackupList *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    char *dir = norm_dir(folder);
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        if (e != ENOENT)
            db_error_set(err, DB_ERR_IO, "cannot read the backup folder %s: %s", dir,
                         strerror(e));
        free(dir);
        return e == ENOENT ? 0 : -1;
    }
    Rx *rx = rx_compile(NAME_PATTERN, 0, err);
    if (!rx)
        abort(); /* a constant pattern: a bug, not an input error */
    Entry *items = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *nm = de->d_name;
        RxSpan caps[5];
        if (nm[0] == '.' || !rx_match(rx, nm, strlen(nm), caps, 5))
            continue;
        char *db = xstrndup(nm + caps[1].start, caps[1].len);
        char *path = xasprintf("%s/%s", dir, nm);
        struct stat st;
        if ((database && strcmp(db, database) != 0) || stat(path, &st) != 0 ||
            !S_ISREG(st.st_mode)) {
            free(db);
            free(path);
            continue;
        }
        char *stamp = xstrndup(nm + caps[2].start, caps[2].len);
        items = xgrow(items, &cap, n + 1, sizeof *items);
        Entry *e = &items[n++];
        e->info.path = path;
        e->info.name = xstrdup(nm);
        e->info.database = db;
        e->info.engine = nm[caps[4].start] == 'd' ? DB_ENGINE_POSTGRES : DB_ENGINE_SQLITE;
        e->info.bytes = (long long)st.st_size;
        e->info.created = parse_stamp(stamp);
        e->info.duration_ms = -1;
        e->seq = caps[3].set ? atoi(nm + caps[3].start) : 1;
        free(stamp);
    }
    closedir(d);
    rx_free(rx);
    if (n > 0) {
        qsort(items, n, sizeof *items, newest_first);
        out->items = xcalloc(n, sizeof *out->items);
        for (size_t i = 0; i < n; i++)
            out->items[i] = items[i].info;
    }
    out->count = n;
    free(items);
    free(dir);
    return 0;
}

/* ---- restore ---- */

/* Which engine made file, from its first bytes (DB_ENGINE_NONE: neither). */
static int sniff(const char *file, DbEngine *kind, DbError *err)
{
    *kind = DB_ENGINE_NONE;
    struct stat st;
    if (stat(file, &st) != 0) {
        if (errno == ENOENT)
            db_error_set(err, DB_ERR_USAGE, "the backup %s does not exist: give the path of a "
                         "backup file", file);
        else
            db_error_set(err, DB_ERR_IO, "cannot read the backup %s: %s", file,
                         strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        db_error_set(err, DB_ERR_USAGE, "%s is not a backup file (it is a folder or a device)",
                     file);
        return -1;
    }
    FILE *f = fopen(file, "rb");
    if (!f) {
        db_error_set(err, DB_ERR_IO, "cannot read the backup %s: %s", file, strerror(errno));
        return -1;
    }
    char head[16];
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    if (got == 16 && memcmp(head, "SQLite format 3", 16) == 0)
        *kind = DB_ENGINE_SQLITE;
    else if (got >= 5 && memcmp(head, "PGDMP", 5) == 0)
        *kind = DB_ENGINE_POSTGRES;
    return 0;
}

static int check_kind(DbConn *c, const char *file, DbError *err)
{
    DbEngine kind, want = db_engine(c);
    if (sniff(file, &kind, err) != 0)
        return -1;
    if (kind == DB_ENGINE_NONE) {
        db_error_set(err, DB_ERR_USAGE,
                     "%s is not a backup dbwarden can restore: it is neither a SQLite "
                     "database nor a PostgreSQL custom-format dump (pg_dump -Fc)%s", file,
                     want == DB_ENGINE_POSTGRES ? "; a plain SQL dump is restored with psql -f"
                                                : "");
        return -1;
    }
    if (kind != want) {
        db_error_set(err, DB_ERR_USAGE,
                     "%s is a %s backup, and %s is a %s database: restore it into a %s "
                     "database", file, engine_title(kind), db_display_url(c),
                     engine_title(want), engine_title(kind));
        return -1;
    }
    return 0;
}

/* The PostgreSQL tools a restore of file needs, file checked with the
 * first: *restore is pg_restore, *psql psql (caller frees both). */
static int pg_restore_tools(DbConn *c, const char *file, const BackupOptions *opt,
                            char **restore, char **psql, DbError *err)
{
    *psql = NULL;
    if (backup_pg_find(c, "pg_restore", opt, restore, err) != 0 ||
        backup_pg_check(c, *restore, file, err) != 0 ||
        backup_pg_find_psql(c, *restore, opt, psql, err) != 0) {
        free(*restore);
        *restore = NULL;
        return -1;
    }
    return 0;
}

int backup_check(DbConn *c, const char *file, const BackupOptions *opt, DbError *err)
{
    if (check_kind(c, file, err) != 0)
        return -1;
    if (db_engine(c) == DB_ENGINE_SQLITE)
        return backup_sqlite_check(c, file, err);
    char *tool = NULL, *psql = NULL;
    int rc = pg_restore_tools(c, file, opt, &tool, &psql, err);
    free(tool);
    free(psql);
    return rc;
}

static int restore_held(DbConn *c, const char *file, const BackupOptions *opt, long *duration_ms,
                   DbError *err)
{
    long t0 = backup_now_ms();
    char *tool = NULL, *psql = NULL;
    int rc = -1;
    if (check_kind(c, file, err) != 0)
        goto done;
    if (db_engine(c) == DB_ENGINE_SQLITE) {
        rc = backup_sqlite_check(c, file, err);
        if (rc == 0)
            rc = backup_sqlite_load(c, file, err);
    } else {
        rc = pg_restore_tools(c, file, opt, &tool, &psql, err);
        if (rc == 0)
            rc = backup_pg_restore(c, tool, psql, file, err);
    }
done:
    free(tool);
    free(psql);
    if (duration_ms)
        *duration_ms = backup_now_ms() - t0;
    return rc;
}

int backup_restore_lock(DbConn *c, RunLock **out, DbError *err)
{
    return runlock_acquire(c, "migrations", "dbwarden restore", RUNLOCK_WAIT_DEFAULT, out, err);
}

char *backup_restore_describe(const DbConn *c, const char *file)
{
    if (db_engine(c) == DB_ENGINE_POSTGRES)
        return xasprintf("in one transaction on %s: drop every object of the database (every "
                         "schema but public, everything in public, extensions, large objects, "
                         "publications, foreign servers), then run what pg_restore --no-owner "
                         "--single-transaction --file=- '%s' prints, through psql: the database "
                         "becomes the backup's, and what was made since is gone; a failure "
                         "anywhere changes nothing", db_display_url(c), file);
    return xasprintf("copy every page of %s over the SQLite database %s (online backup API, "
                     "one transaction): all of its current contents are replaced",
                     file, db_display_url(c));
}

void backup_info_free(BackupInfo *b)
{
    if (!b)
        return;
    free(b->path);
    free(b->name);
    free(b->database);
    memset(b, 0, sizeof *b);
}

void backup_list_free(BackupList *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        backup_info_free(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* Ctrl-C or a SIGTERM in the middle would leave a passfile holding the
 * password, or half a backup, behind: the signals wait until the work has
 * cleaned up after itself, then take effect. */
int backup_create(DbConn *c, const char *folder, const BackupOptions *opt, BackupInfo *out,
                  DbError *err)
{
    sigset_t old;
    backup_signals_hold(&old);
    int rc = create_held(c, folder, opt, out, err);
    backup_signals_release(&old);
    return rc;
}

int backup_restore(DbConn *c, const char *file, const BackupOptions *opt, long *duration_ms,
                   DbError *err)
{
    sigset_t old;
    backup_signals_hold(&old);
    int rc = restore_held(c, file, opt, duration_ms, err);
    backup_signals_release(&old);
    return rc;
}
