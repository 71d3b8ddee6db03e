/* fsutil.c: see fsutil.h. */
#include "fsutil.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m)) return "a folder";
    if (S_ISFIFO(m)) return "a named pipe (FIFO)";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a plain file";
}

/* Refuses what is not a regular file of at most FS_READ_MAX bytes. */
static int check_kind(const char *shown, const struct stat *st, bool link, DbError *err)
{
    if (!S_ISREG(st->st_mode)) {
        db_error_set(err, DB_ERR_IO, "cannot read %s: it is %s%s, not a regular file", shown,
                     link ? "a symbolic link to " : "", kind_of(st->st_mode));
        return -1;
    }
    if (st->st_size > (off_t)FS_READ_MAX) {
        db_error_set(err, DB_ERR_IO, "cannot read %s: it is %.1f MiB, and files of more than "
                     "%d MiB are refused", shown, (double)st->st_size / (1024.0 * 1024.0),
                     FS_READ_MAX >> 20);
        return -1;
    }
    return 0;
}

/* Reads fd to its end, refusing more than FS_READ_MAX bytes. */
static int read_all(int fd, const char *shown, StrBuf *b, DbError *err)
{
    char buf[8192];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            db_error_set(err, DB_ERR_IO, "cannot read %s: %s", shown, strerror(errno));
            return -1;
        }
        if (n == 0)
            return 0;
        if (b->len + (size_t)n > FS_READ_MAX) {
            db_error_set(err, DB_ERR_IO, "cannot read %s: it grew past %d MiB while being "
                         "read", shown, FS_READ_MAX >> 20);
            return -1;
        }
        sb_appendn(b, buf, (size_t)n);
    }
}

char *fs_read_file(const char *path, size_t *len, DbError *err)
{
    char *shown = xstrdup(path);
    StrBuf b = STRBUF_INIT;
    struct stat lst, st;
    int fd = -1;
    /* Look before opening: opening a FIFO waits for a writer, and opening a
     * device may act on it.  Then check again what was opened. */
    if (lstat(path, &lst) != 0 || stat(path, &st) != 0) {
        db_error_set(err, DB_ERR_IO, "cannot read %s: %s", shown, strerror(errno));
        goto fail;
    }
    if (check_kind(shown, &st, S_ISLNK(lst.st_mode), err) != 0)
        goto fail;
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        db_error_set(err, DB_ERR_IO, "cannot read %s: %s", shown, strerror(errno));
        goto fail;
    }
    if (check_kind(shown, &st, S_ISLNK(lst.st_mode), err) != 0)
        goto fail;
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    if (read_all(fd, shown, &b, err) != 0)
        goto fail;
    close(fd);
    free(shown);
    if (len)
        *len = b.len;
    return sb_take(&b);
fail:
    if (fd >= 0)
        close(fd);
    sb_free(&b);
    free(shown);
    return NULL;
}

bool str_all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

bool str_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

char *fs_temp_name(const char *path)
{
    return xasprintf("%s.tmp-%ld", path, (long)getpid());
}

int fs_sync(const char *path, bool dir)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | (dir ? O_DIRECTORY : 0));
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The folder path is in, for its fsync (best effort). */
static void sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
    fs_sync(*dir ? dir : "/", true);
    free(dir);
}

int fs_place(const char *tmp, const char *path, bool replace, DbError *err)
{
    fs_sync(tmp, false);   /* the data before the name */
    int e = 0;
    if (replace) {
        if (rename(tmp, path) != 0)
            e = errno;
    } else if (link(tmp, path) == 0) {
        unlink(tmp);
    } else {
        e = errno;
        if (e != EEXIST && (e == EPERM || e == EOPNOTSUPP || e == ENOSYS || e == EMLINK)) {
            struct stat st;   /* no hard links here */
            e = lstat(path, &st) == 0 ? EEXIST : rename(tmp, path) == 0 ? 0 : errno;
        }
        if (e == EEXIST)
            return 1;
    }
    if (e != 0) {
        db_error_set(err, DB_ERR_IO, "cannot create %s: %s", path, strerror(e));
        return -1;
    }
    sync_parent(path);
    return 0;
}
