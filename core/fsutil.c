/* fsutil.c: see fsutil.h. */
#include "fsutil.h"
#include "strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

char *fs_read_file(const char *path, size_t *len, DbError *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        db_error_set(err, DB_ERR_IO, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    StrBuf b = STRBUF_INIT;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_appendn(&b, buf, n);
    int e = ferror(f) ? errno : 0;
    fclose(f);
    if (e) {
        db_error_set(err, DB_ERR_IO, "cannot read %s: %s", path, strerror(e));
        sb_free(&b);
        return NULL;
    }
    if (len)
        *len = b.len;
    return sb_take(&b);
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
