/* strv.h: string vectors: arrays of owned strings, always ending with a
 * NULL entry (so that they can be handed to execv or walked without a
 * count), growable.
 *
 *   char **v = NULL; size_t n = 0, cap = 0;
 *   strv_push(&v, &n, &cap, "a");   // copies; v[n] == NULL afterwards
 *   strv_free(v);
 *
 * A vector owns its strings and its array; strv_free() releases both.
 * NULL is an empty vector everywhere. */
#ifndef DBW_STRV_H
#define DBW_STRV_H

#include <stddef.h>

/* Entries before the NULL. */
size_t strv_len(const char *const *v);
/* A copy of the first n entries of v (n may be 0; v NULL then). */
char **strv_dup_n(const char *const *v, size_t n);
/* A copy of the NULL-terminated v. */
char **strv_dup(const char *const *v);
/* Appends a copy of s (NULL: "") at *n, growing *v (capacity in *cap). */
void   strv_push(char ***v, size_t *n, size_t *cap, const char *s);
/* Appends s itself, taking it over. */
void   strv_push_owned(char ***v, size_t *n, size_t *cap, char *s);
/* Frees every entry and the array. */
void   strv_free(char **v);

#endif
