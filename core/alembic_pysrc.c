/* alembic_pysrc.c: a revision file's bytes decoded as CPython 3.11
 * decodes a module's source (see alembic_py.h): Parser/tokenizer.c's
 * translate_newlines, check_bom, check_coding_spec and get_normal_name,
 * and the codec lookup of Lib/encodings. */
#include "alembic_py.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* "\r\n" and "\r" -> "\n" (Python does it before anything else). */
static char *translate_newlines(const char *s, size_t len, size_t *out_len)
{
    char *out = xmalloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r') {
            out[o++] = '\n';
            if (i + 1 < len && s[i + 1] == '\n')
                i++;
            continue;
        }
        out[o++] = s[i];
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* The declaration on one line [s, s+n): NULL when there is none; *code
 * set when the line holds code (then line 2 is not looked at). */
static char *coding_spec(const char *s, size_t n, bool *code)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f'))
        i++;
    if (i >= n || s[i] != '#') {
        *code = i < n && s[i] != '\n';
        return NULL;
    }
    for (size_t k = i; k + 6 < n; k++) {
        if (memcmp(s + k, "coding", 6) != 0)
            continue;
        size_t p = k + 6;
        if (s[p] != ':' && s[p] != '=')
            continue;
        p++;
        while (p < n && (s[p] == ' ' || s[p] == '\t'))
            p++;
        size_t b = p;
        while (p < n && (isalnum((unsigned char)s[p]) || s[p] == '-' || s[p] == '_' ||
                         s[p] == '.'))
            p++;
        if (p > b)
            return xstrndup(s + b, p - b);
    }
    return NULL;
}

/* get_normal_name(): "utf-8" and "iso-8859-1" for their spellings. */
static const char *normal_name(const char *cs)
{
    char buf[13];
    size_t i;
    for (i = 0; i < 12 && cs[i]; i++)
        buf[i] = cs[i] == '_' ? '-' : (char)tolower((unsigned char)cs[i]);
    buf[i] = '\0';
    if (strcmp(buf, "utf-8") == 0 || strncmp(buf, "utf-8-", 6) == 0)
        return "utf-8";
    if (strcmp(buf, "latin-1") == 0 || strcmp(buf, "iso-8859-1") == 0 ||
        strcmp(buf, "iso-latin-1") == 0 || strncmp(buf, "latin-1-", 8) == 0 ||
        strncmp(buf, "iso-8859-1-", 11) == 0 || strncmp(buf, "iso-latin-1-", 12) == 0)
        return "iso-8859-1";
    return cs;
}

typedef enum Codec { C_UTF8, C_LATIN1, C_ASCII, C_CP1252, C_OTHER } Codec;

/* Lib/encodings: lower case, runs of other characters than letters,
 * digits and '.' made one '_', then the aliases we decode here. */
static Codec codec_of(const char *name)
{
    static const struct { const char *alias; Codec c; } aliases[] = {
        { "utf_8", C_UTF8 }, { "utf8", C_UTF8 }, { "u8", C_UTF8 }, { "utf", C_UTF8 },
        { "utf8_ucs2", C_UTF8 }, { "utf8_ucs4", C_UTF8 }, { "cp65001", C_UTF8 },
        { "latin_1", C_LATIN1 }, { "latin1", C_LATIN1 }, { "latin", C_LATIN1 },
        { "l1", C_LATIN1 }, { "iso8859_1", C_LATIN1 }, { "iso_8859_1", C_LATIN1 },
        { "iso_8859_1_1987", C_LATIN1 }, { "iso_ir_100", C_LATIN1 }, { "8859", C_LATIN1 },
        { "cp819", C_LATIN1 }, { "ibm819", C_LATIN1 }, { "csisolatin1", C_LATIN1 },
        { "ascii", C_ASCII }, { "us_ascii", C_ASCII }, { "646", C_ASCII },
        { "us", C_ASCII }, { "ansi_x3.4_1968", C_ASCII }, { "ansi_x3_4_1968", C_ASCII },
        { "ansi_x3.4_1986", C_ASCII }, { "cp367", C_ASCII }, { "csascii", C_ASCII },
        { "ibm367", C_ASCII }, { "iso646_us", C_ASCII }, { "iso_646.irv_1991", C_ASCII },
        { "iso_ir_6", C_ASCII },
        { "cp1252", C_CP1252 }, { "windows_1252", C_CP1252 }, { "1252", C_CP1252 },
    };
    StrBuf b = STRBUF_INIT;
    bool pending = false;
    for (const char *s = name; *s; s++) {
        if (isalnum((unsigned char)*s) || *s == '.') {
            if (pending && b.len)
                sb_appendc(&b, '_');
            pending = false;
            sb_appendc(&b, (char)tolower((unsigned char)*s));
        } else {
            pending = true;
        }
    }
    Codec c = C_OTHER;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(sb_str(&b), aliases[i].alias) == 0)
            c = aliases[i].c;
    sb_free(&b);
    return c;
}

static void put_utf8(StrBuf *b, unsigned cp)
{
    if (cp < 0x80) {
        sb_appendc(b, (char)cp);
    } else if (cp < 0x800) {
        sb_appendc(b, (char)(0xC0 | (cp >> 6)));
        sb_appendc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        sb_appendc(b, (char)(0xE0 | (cp >> 12)));
        sb_appendc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sb_appendc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

/* cp1252's 0x80..0x9F; 0 where Python's codec has no character. */
static const unsigned short cp1252_hi[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

size_t py_utf8_len(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s[0] < 0x80)
        return 1;
    size_t len = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
                 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    if (!len || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;   /* overlong, a surrogate, beyond U+10FFFF */
    return len;
}

/* Decodes s with codec; NULL and *why on a byte it cannot decode. */
static char *decode(const char *s, size_t n, Codec codec, const char *name, size_t *out_len,
                    char **why)
{
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t l = codec == C_UTF8 ? py_utf8_len((const unsigned char *)s + i, n - i) : 1;
        if (c < 0x80 || codec == C_LATIN1) {
            put_utf8(&b, c);
        } else if (codec == C_UTF8 && l) {
            sb_appendn(&b, s + i, l);
            i += l - 1;
        } else if (codec == C_CP1252 && (c >= 0xA0 || cp1252_hi[c - 0x80])) {
            put_utf8(&b, c >= 0xA0 ? c : cp1252_hi[c - 0x80]);
        } else {
            *why = xasprintf("the %s codec cannot decode byte 0x%02x at offset %zu", name, c, i);
            sb_free(&b);
            return NULL;
        }
    }
    *out_len = b.len;
    return sb_take(&b);
}

static char *decode_iconv(const char *s, size_t n, const char *name, size_t *out_len,
                          char **why)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) {
        *why = xasprintf("unknown encoding: %s (dbwarden decodes UTF-8, Latin-1, ASCII, "
                         "cp1252 and what iconv knows)", name);
        return NULL;
    }
    size_t cap = n * 4 + 16;
    char *out = xmalloc(cap + 1), *op = out, *ip = (char *)s;
    size_t ileft = n, oleft = cap;
    size_t rc = iconv(cd, &ip, &ileft, &op, &oleft);
    if (rc != (size_t)-1)
        rc = iconv(cd, NULL, NULL, &op, &oleft);
    iconv_close(cd);
    if (rc == (size_t)-1) {
        *why = xasprintf("the %s codec cannot decode the byte at offset %zu", name,
                         (size_t)(ip - s));
        free(out);
        return NULL;
    }
    *op = '\0';
    *out_len = (size_t)(op - out);
    return out;
}

char *py_source_decode(const char *bytes, size_t len, size_t *out_len, char **why)
{
    *why = NULL;
    if (memchr(bytes, '\0', len)) {
        *why = xstrdup("source code string cannot contain null bytes");
        return NULL;
    }
    size_t n;
    char *text = translate_newlines(bytes, len, &n);
    const char *s = text;
    bool bom = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
    if (bom) {
        s += 3;
        n -= 3;
    }
    char *cs = NULL;
    const char *nl = memchr(s, '\n', n);
    if (nl) {
        bool code = false;
        cs = coding_spec(s, (size_t)(nl - s), &code);
        const char *nl2 = memchr(nl + 1, '\n', n - (size_t)(nl + 1 - s));
        if (!cs && !code && nl2)
            cs = coding_spec(nl + 1, (size_t)(nl2 - nl - 1), &code);
    }
    char *out = NULL;
    const char *norm = cs ? normal_name(cs) : "utf-8";
    if (bom && strcmp(norm, "utf-8") != 0) {
        *why = xasprintf("encoding problem: %s with BOM", norm);
    } else if (strcmp(norm, "utf-8") == 0) {
        out = xstrndup(s, n);   /* UTF-8 is checked in the tokens */
        *out_len = n;
    } else {
        Codec c = strcmp(norm, "iso-8859-1") == 0 ? C_LATIN1 : codec_of(norm);
        out = c == C_OTHER ? decode_iconv(s, n, norm, out_len, why)
                           : decode(s, n, c, norm, out_len, why);
    }
    free(cs);
    free(text);
    return out;
}
