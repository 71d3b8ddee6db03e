/* escape.c: see escape.h. */
#include "escape.h"
#include "xalloc.h"

#include <stdlib.h>

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
    size_t len;
    unsigned c = s[0], min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        len = 2, c &= 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, c &= 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

static bool dangerous(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

void esc_append(StrBuf *b, const char *s, size_t len, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s;
    char tmp[16];
    for (size_t i = 0; i < len;) {
        unsigned c = p[i];
        if (c == '\\') {
            sb_append(b, (flags & ESC_LINES) ? "\\" : "\\\\");
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            if ((flags & ESC_LINES) &&
                (c == '\n' || c == '\t' || (c == '\r' && i + 1 < len && p[i + 1] == '\n')))
                sb_appendc(b, (char)c);
            else if (c == '\n')
                sb_append(b, "\\n");
            else if (c == '\r')
                sb_append(b, "\\r");
            else if (c == '\t')
                sb_append(b, "\\t");
            else {
                snprintf(tmp, sizeof tmp, "\\x%02x", c);
                sb_append(b, tmp);
            }
            i++;
        } else if (c < 0x80) {
            sb_appendc(b, (char)c);
            i++;
        } else {
            unsigned cp;
            size_t n = utf8_len(p + i, len - i, &cp);
            if (n == 0) {
                snprintf(tmp, sizeof tmp, "\\x%02x", c);
                sb_append(b, tmp);
                i++;
            } else if (dangerous(cp)) {
                snprintf(tmp, sizeof tmp, "\\u%04x", cp);
                sb_append(b, tmp);
                i += n;
            } else {
                sb_appendn(b, s + i, n);
                i += n;
            }
        }
    }
    if (!b->s)
        sb_append(b, "");
}

void esc_append_str(StrBuf *b, const char *s, unsigned flags)
{
    esc_append(b, s ? s : "", s ? strlen(s) : 0, flags);
}

char *esc_dup(const char *s, unsigned flags)
{
    StrBuf b = STRBUF_INIT;
    esc_append_str(&b, s, flags);
    return sb_take(&b);
}

bool esc_clean(const char *s, unsigned flags)
{
    char *e = esc_dup(s, flags);
    bool same = strcmp(e, s ? s : "") == 0;
    free(e);
    return same;
}
