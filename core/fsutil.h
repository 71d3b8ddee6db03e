/* fsutil.h: small file and string helpers shared by the core. */
#ifndef DBW_FSUTIL_H
#define DBW_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define FS_READ_MAX (64 << 20)  /* the largest file fs_read_file reads: 64 MiB */

/* Reads the whole file at path; returns the bytes (NUL-terminated, caller
 * frees) and their count in *len (may be NULL), or NULL with a DB_ERR_IO
 * error "cannot read <path>: <reason>" (the path as it is: printers escape
 * it, core/escape.h).  Only a regular file, or a symbolic link to
 * one, of at most FS_READ_MAX bytes is read: a FIFO, a device, a socket or
 * a folder is refused without waiting on it, and so is a larger file. */
char *fs_read_file(const char *path, size_t *len, DbError *err);

/* Writing a file whole or not at all: the caller writes it under a
 * temporary name (fs_temp_name) in the folder it goes to, then gives it its
 * name with fs_place(), which makes the data and the name survive a crash.
 * Without replace an existing file of that name is never overwritten
 * (link(), or check-then-rename where a filesystem has no hard links) and
 * 1 is returned, the temporary file left for another name; with replace it
 * is renamed over.  0 when placed (tmp is gone), -1 with a DB_ERR_IO error
 * naming path. */
char *fs_temp_name(const char *path);
int   fs_place(const char *tmp, const char *path, bool replace, DbError *err);
/* fsync() of a file or a folder; -1 (errno set) on failure. */
int   fs_sync(const char *path, bool dir);

/* true when s is one or more ASCII digits. */
bool  str_all_digits(const char *s);
/* true when s ends with suffix. */
bool  str_ends_with(const char *s, const char *suffix);

#endif
