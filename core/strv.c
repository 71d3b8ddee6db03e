/* strv.c: see strv.h. */
#include "strv.h"
#include "xalloc.h"

#include <stdlib.h>

size_t strv_len(const char *const *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

char **strv_dup_n(const char *const *v, size_t n)
{
    char **out = xcalloc(n + 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = xstrdup(v[i] ? v[i] : "");
    return out;
}

char **strv_dup(const char *const *v)
{
    return strv_dup_n(v, strv_len(v));
}

void strv_push_owned(char ***v, size_t *n, size_t *cap, char *s)
{
    *v = xgrow(*v, cap, *n + 2, sizeof **v);
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
}

void strv_push(char ***v, size_t *n, size_t *cap, const char *s)
{
    strv_push_owned(v, n, cap, xstrdup(s ? s : ""));
}

void strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}
