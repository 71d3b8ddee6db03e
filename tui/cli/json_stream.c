/* json_stream.c: JSON written as it goes (see json_stream.h). */
#include "json_stream.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- the buffer ---- */

static void flush(JsonStream *s)
{
    fwrite(s->buf, 1, s->len, s->out);
    s->len = 0;
}

static void put(JsonStream *s, const char *p, size_t n)
{
    if (s->len + n > sizeof s->buf) {
        flush(s);
        if (n > sizeof s->buf) {
            fwrite(p, 1, n, s->out);
            return;
        }
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
}

static void puts_(JsonStream *s, const char *p)
{
    put(s, p, strlen(p));
}

static void putc_(JsonStream *s, char c)
{
    if (s->len == sizeof s->buf)
        flush(s);
    s->buf[s->len++] = c;
}

static const char spaces[] = "                                                                ";

static void indent(JsonStream *s, int depth)
{
    putc_(s, '\n');
    for (int n = depth * 2; n > 0; n -= (int)sizeof spaces - 1)
        put(s, spaces, n < (int)sizeof spaces - 1 ? (size_t)n : sizeof spaces - 1);
}

/* Is s[0..len) valid UTF-8? */
static bool valid_utf8(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > len || (n == 2 && c < 0xC2))
            return false;
        for (size_t k = 1; k < n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        if (n == 3) {
            unsigned cp = (c & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
                return false;
        } else if (n == 4) {
            unsigned cp = (c & 0x07u) << 18 | (s[i + 1] & 0x3Fu) << 12;
            if (cp < 0x10000 || cp > 0x10FFFF)
                return false;
        }
        i += n;
    }
    return true;
}

/* A string, escaped as jansson does; a byte at or above 0x80 makes the
 * whole string checked once for UTF-8 (most names never have one). */
static void put_string(JsonStream *s, const char *v)
{
    putc_(s, '"');
    const char *run = v;   /* bytes written as they are, in one go */
    int utf8 = -1;         /* -1: not checked yet */
    for (const char *p = v; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80)
            continue;
        if (c >= 0x80) {
            if (utf8 < 0)
                utf8 = valid_utf8((const unsigned char *)v, strlen(v));
            if (utf8)
                continue;
        }
        put(s, run, (size_t)(p - run));
        run = p + 1;
        char u[8];
        switch (c) {
        case '"': puts_(s, "\\\""); break;
        case '\\': puts_(s, "\\\\"); break;
        case '\b': puts_(s, "\\b"); break;
        case '\f': puts_(s, "\\f"); break;
        case '\n': puts_(s, "\\n"); break;
        case '\r': puts_(s, "\\r"); break;
        case '\t': puts_(s, "\\t"); break;
        default:
            if (c < 0x20) {
                snprintf(u, sizeof u, "\\u%04X", c);
                puts_(s, u);
            } else {
                puts_(s, "\xEF\xBF\xBD");   /* not UTF-8: U+FFFD */
            }
        }
    }
    puts_(s, run);
    putc_(s, '"');
}

/* Before a value: the comma, the line, the key. */
static void member(JsonStream *s, const char *key)
{
    if (s->depth > 0) {
        if (s->any[s->depth - 1])
            putc_(s, ',');
        s->any[s->depth - 1] = true;
        indent(s, s->depth);
    }
    if (key) {
        put_string(s, key);
        puts_(s, ": ");
    }
}

static void begin(JsonStream *s, const char *key, char c)
{
    member(s, key);
    putc_(s, c);
    if (s->depth >= JS_MAX_DEPTH)
        abort();
    s->any[s->depth++] = false;
}

static void end(JsonStream *s, char c)
{
    s->depth--;
    if (s->any[s->depth])
        indent(s, s->depth);
    putc_(s, c);
}

void js_init(JsonStream *s, FILE *out)
{
    s->out = out;
    s->depth = 0;
    s->len = 0;
}

void js_begin_object(JsonStream *s, const char *key) { begin(s, key, '{'); }
void js_end_object(JsonStream *s) { end(s, '}'); }
void js_begin_array(JsonStream *s, const char *key) { begin(s, key, '['); }
void js_end_array(JsonStream *s) { end(s, ']'); }

void js_string(JsonStream *s, const char *key, const char *v)
{
    member(s, key);
    if (v)
        put_string(s, v);
    else
        puts_(s, "null");
}

void js_int(JsonStream *s, const char *key, int64_t v)
{
    member(s, key);
    char n[24];
    snprintf(n, sizeof n, "%" PRId64, v);
    puts_(s, n);
}

void js_int_or_null(JsonStream *s, const char *key, int64_t v)
{
    if (v < 0)
        js_null(s, key);
    else
        js_int(s, key, v);
}

void js_bool(JsonStream *s, const char *key, bool v)
{
    member(s, key);
    puts_(s, v ? "true" : "false");
}

void js_null(JsonStream *s, const char *key)
{
    member(s, key);
    puts_(s, "null");
}

void js_finish(JsonStream *s)
{
    putc_(s, '\n');
    flush(s);
}
