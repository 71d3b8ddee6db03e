/* strbuf.c: see strbuf.h. */
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_appendn(StrBuf *b, const char *s, size_t n)
{
    b->s = xgrow(b->s, &b->cap, b->len + n + 1, 1);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_append(StrBuf *b, const char *s)
{
    sb_appendn(b, s, strlen(s));
}

void sb_appendc(StrBuf *b, char c)
{
    sb_appendn(b, &c, 1);
}

void sb_appendf(StrBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = xvasprintf(fmt, ap);
    va_end(ap);
    sb_append(b, p);
    free(p);
}

void sb_append_escaped(StrBuf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '\n': sb_append(b, "\\n"); break;
        case '\r': sb_append(b, "\\r"); break;
        case '\t': sb_append(b, "\\t"); break;
        case '\\': sb_append(b, "\\\\"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                sb_appendf(b, "\\x%02x", *p);
            else
                sb_appendc(b, (char)*p);
        }
    }
}

char *str_escaped(const char *s)
{
    StrBuf b = STRBUF_INIT;
    sb_append_escaped(&b, s ? s : "");
    return sb_take(&b);
}

const char *sb_str(const StrBuf *b)
{
    return b->s ? b->s : "";
}

char *sb_take(StrBuf *b)
{
    char *s = b->s ? b->s : xstrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void sb_free(StrBuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}
