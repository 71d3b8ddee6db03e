/* strbuf.h: a growable, always NUL-terminated string.
 *
 * StrBuf sb = STRBUF_INIT; sb_append(&sb, "x"); ... char *s = sb_take(&sb);
 * The buffer owns its memory until sb_take() hands it over (and resets the
 * buffer) or sb_free() releases it. */
#ifndef DBW_STRBUF_H
#define DBW_STRBUF_H

#include <stddef.h>

typedef struct StrBuf {
    char  *s;    /* NULL until the first append; then NUL-terminated */
    size_t len;  /* bytes used, without the NUL */
    size_t cap;  /* bytes allocated */
} StrBuf;

#define STRBUF_INIT { NULL, 0, 0 }

void  sb_appendn(StrBuf *b, const char *s, size_t n);
void  sb_append(StrBuf *b, const char *s);
void  sb_appendc(StrBuf *b, char c);
void  sb_appendf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with every control character (bytes below 0x20, and 0x7f)
 * and every backslash written as an escape: \n, \r, \t, \xHH, \\.  The
 * result holds no line break, so it is safe inside a "--" SQL comment and
 * on one line of a message. */
void  sb_append_escaped(StrBuf *b, const char *s);
/* s as sb_append_escaped writes it; caller frees. */
char *str_escaped(const char *s);
const char *sb_str(const StrBuf *b);   /* "" for an empty buffer; valid until the next append */
char *sb_take(StrBuf *b);              /* caller frees; never NULL */
void  sb_free(StrBuf *b);

#endif
