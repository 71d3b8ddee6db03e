/* xalloc.h: allocation that never returns NULL.
 *
 * Out of memory is not a state dbwarden can recover from in a useful way,
 * so every allocation goes through these helpers, which abort in one place
 * (x_oom) with a message on stderr.  Callers never check for NULL. */
#ifndef DBW_XALLOC_H
#define DBW_XALLOC_H

#include <stddef.h>
#include <stdarg.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of *cap elements of elem bytes so that it holds at least
 * need elements; returns the (possibly moved) array. */
void *xgrow(void *p, size_t *cap, size_t need, size_t elem);
char *xstrdup(const char *s);           /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
