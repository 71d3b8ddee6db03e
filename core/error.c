/* error.c: see error.h. */
#include "error.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Drops trailing line ends.  What is inside stays as it is, control
 * characters of a name included: the printers escape it (core/escape.h),
 * so that a file name with a line break is shown as such, not as a space. */
static void strip_newlines(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

void db_error_set(DbError *err, DbErrKind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    db_error_clear(err);
    strip_newlines(msg);
    err->kind = kind;
    err->message = msg;
}

void db_error_prefix(DbError *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *pre = xvasprintf(fmt, ap);
    va_end(ap);
    char *msg = xasprintf("%s: %s", pre, err->message ? err->message : "error");
    free(pre);
    free(err->message);
    err->message = msg;
}

void db_error_clear(DbError *err)
{
    free(err->message);
    err->kind = DB_OK;
    err->code[0] = '\0';
    err->position = -1;
    err->message = NULL;
}

void db_error_move(DbError *dst, DbError *src)
{
    db_error_clear(dst);
    *dst = *src;
    src->message = NULL;
    db_error_clear(src);
}
