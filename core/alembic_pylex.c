/* alembic_pylex.c: Python's tokenizer, as far as a revision file's
 * top-level values need it (see alembic_py.h).  Follows CPython 3.11's
 * Parser/tokenizer.c: logical lines, brackets, continuation lines,
 * comments, string literals with their prefixes and escapes. */
#include "alembic_py.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 200   /* Python's limit of nested brackets */

typedef struct Lex {
    const char *s;
    size_t      len, pos;
    int         line;
    char        open[MAX_DEPTH];   /* the open brackets */
    int         open_line[MAX_DEPTH];
    int         depth;
    PyLexed    *out;
    size_t      cap;
    bool        bol;       /* the next token starts a logical line ... */
    int         col;       /* ... at this column */
} Lex;

static bool is_name_start(unsigned char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static void lex_error(Lex *lx, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void lex_error(Lex *lx, int line, const char *fmt, ...)
{
    if (lx->out->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    lx->out->err = xvasprintf(fmt, ap);
    va_end(ap);
    lx->out->err_line = line;
}

static PyTok *push(Lex *lx, PyTokKind kind, size_t start, size_t end, int line)
{
    PyLexed *o = lx->out;
    o->toks = xgrow(o->toks, &lx->cap, o->count + 1, sizeof *o->toks);
    PyTok *t = &o->toks[o->count++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->start = start;
    t->end = end;
    t->line = line;
    if (lx->bol && kind != PT_NEWLINE && kind != PT_EOF) {
        t->bol = true;
        t->col = lx->col;
        lx->bol = false;
    }
    return t;
}

bool py_tok_is(const PyTok *t, const char *src, const char *text)
{
    size_t n = strlen(text);
    return (t->kind == PT_OP || t->kind == PT_NAME) && t->end - t->start == n &&
           memcmp(src + t->start, text, n) == 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put_cp(StrBuf *b, unsigned long cp)
{
    if (cp < 0x80) {
        sb_appendc(b, (char)cp);
    } else if (cp < 0x800) {
        sb_appendc(b, (char)(0xC0 | (cp >> 6)));
        sb_appendc(b, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        sb_appendc(b, (char)(0xE0 | (cp >> 12)));
        sb_appendc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sb_appendc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        sb_appendc(b, (char)(0xF0 | (cp >> 18)));
        sb_appendc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
        sb_appendc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sb_appendc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

/* n hex digits at s[*i..]: the value, or -1 (then nothing is consumed). */
static long hex_digits(const Lex *lx, size_t i, int n)
{
    long v = 0;
    for (int k = 0; k < n; k++) {
        if (i + (size_t)k >= lx->len || hexval(lx->s[i + (size_t)k]) < 0)
            return -1;
        v = v * 16 + hexval(lx->s[i + (size_t)k]);
    }
    return v;
}

/* The escape whose backslash is at lx->pos (not raw); advances past it. */
static void escape(Lex *lx, StrBuf *b, PyTok *t, bool bytes)
{
    const char *s = lx->s;
    size_t i = lx->pos + 1;
    char c = s[i];
    static const char simple[] = "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v";
    lx->pos = i + 1;
    if (c == '\n') {
        lx->line++;
        return;
    }
    for (const char *p = simple; *p; p += 2)
        if (c == p[0]) {
            sb_appendc(b, p[1]);
            return;
        }
    if (c >= '0' && c <= '7') {
        unsigned v = 0;
        size_t k = i;
        while (k < i + 3 && k < lx->len && s[k] >= '0' && s[k] <= '7')
            v = v * 8 + (unsigned)(s[k++] - '0');
        lx->pos = k;
        if (bytes)
            sb_appendc(b, (char)(v & 0xFF));
        else
            put_cp(b, v);
        return;
    }
    int width = c == 'x' ? 2 : bytes ? 0 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
    if (width) {
        long v = hex_digits(lx, i + 1, width);
        if (v < 0 || v > 0x10FFFF) {
            lex_error(lx, lx->line, v < 0 ? "truncated \\%c escape in a string"
                                          : "illegal Unicode character (\\%c escape)", c);
            return;
        }
        lx->pos = i + 1 + (size_t)width;
        if (bytes)
            sb_appendc(b, (char)v);
        else if (v >= 0xD800 && v <= 0xDFFF)
            t->sflags |= PYS_UNDECODED;   /* a lone surrogate */
        else
            put_cp(b, (unsigned long)v);
        return;
    }
    if (c == 'N' && !bytes) {
        const char *close = i + 1 < lx->len && s[i + 1] == '{'
                            ? memchr(s + i + 1, '}', lx->len - i - 1) : NULL;
        if (!close || memchr(s + i + 1, '\n', (size_t)(close - s - i - 1))) {
            lex_error(lx, lx->line, "malformed \\N character escape in a string");
            return;
        }
        t->sflags |= PYS_UNDECODED;
        lx->pos = (size_t)(close - s) + 1;
        return;
    }
    sb_appendc(b, '\\');   /* an unknown escape keeps its backslash */
    lx->pos = i;
}

/* A string literal; lx->pos is at its opening quote, flags from the
 * prefix (raw: 'r' in it). */
static void lex_string(Lex *lx, size_t start, bool raw, unsigned flags)
{
    const char *s = lx->s;
    int line = lx->line;
    char q = s[lx->pos];
    bool triple = lx->pos + 2 < lx->len && s[lx->pos + 1] == q && s[lx->pos + 2] == q;
    bool bytes = flags & PYS_BYTES, fstr = flags & PYS_FSTRING;
    PyTok tmp = { .sflags = flags };
    StrBuf b = STRBUF_INIT;
    bool closed = false;
    lx->pos += triple ? 3 : 1;
    while (lx->pos < lx->len) {
        char c = s[lx->pos];
        if (c == q && (!triple || (lx->pos + 2 < lx->len && s[lx->pos + 1] == q &&
                                   s[lx->pos + 2] == q))) {
            lx->pos += triple ? 3 : 1;
            closed = true;
            break;
        }
        if (c == '\n' && !triple)
            break;
        if (c == '\\' && lx->pos + 1 < lx->len) {
            if (raw) {   /* kept, and the next character cannot end the string */
                if (s[lx->pos + 1] == '\n')
                    lx->line++;
                sb_appendn(&b, s + lx->pos, 2);
                lx->pos += 2;
            } else {
                escape(lx, &b, &tmp, bytes);
            }
            continue;
        }
        if (fstr && (c == '{' || c == '}')) {
            if (lx->pos + 1 < lx->len && s[lx->pos + 1] == c) {
                sb_appendc(&b, c);
                lx->pos += 2;
                continue;
            }
            if (c == '}')
                lex_error(lx, lx->line, "f-string: single '}' is not allowed");
            tmp.sflags |= PYS_FIELDS;
        }
        size_t l = py_utf8_len((const unsigned char *)s + lx->pos, lx->len - lx->pos);
        if (!l || (bytes && l > 1)) {
            lex_error(lx, lx->line, bytes ? "bytes can only contain ASCII literal characters"
                      : "byte 0x%02x in a string is not UTF-8, and the file declares no "
                      "other encoding (# -*- coding: ... -*-)", (unsigned char)c);
            l = 1;
        }
        if (c == '\n')
            lx->line++;
        sb_appendn(&b, s + lx->pos, l);
        lx->pos += l;
    }
    if (!closed)
        lex_error(lx, line, triple ? "unterminated triple-quoted string literal"
                                   : "unterminated string literal");
    PyTok *t = push(lx, PT_STRING, start, lx->pos, line);
    t->slen = b.len;
    t->str = sb_take(&b);
    t->sflags = tmp.sflags | (closed ? 0 : PYS_OPEN);
}

/* A name, or a string prefix followed by its string. */
static void lex_name(Lex *lx)
{
    const char *s = lx->s;
    size_t p = lx->pos;
    while (p < lx->len) {
        unsigned char c = (unsigned char)s[p];
        if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9')) {
            p++;
            continue;
        }
        size_t l = c >= 0x80 ? py_utf8_len((const unsigned char *)s + p, lx->len - p) : 0;
        if (c >= 0x80 && !l) {
            lex_error(lx, lx->line, "byte 0x%02x is not UTF-8, and the file declares no "
                      "other encoding (# -*- coding: ... -*-)", c);
            l = 1;
        }
        if (!l)
            break;
        p += l;
    }
    size_t n = p - lx->pos;
    if (n <= 2 && p < lx->len && (s[p] == '\'' || s[p] == '"')) {
        unsigned flags = 0;
        bool raw = false, ok = true;
        for (size_t i = lx->pos; i < p; i++) {
            char k = (char)(s[i] | 0x20);
            raw |= k == 'r';
            flags |= k == 'b' ? PYS_BYTES : k == 'f' ? PYS_FSTRING : 0;
            ok &= k == 'r' || k == 'b' || k == 'f' || (k == 'u' && n == 1);
        }
        if (ok && !((flags & PYS_BYTES) && (flags & PYS_FSTRING))) {
            size_t start = lx->pos;
            lx->pos = p;
            lex_string(lx, start, raw, flags);
            return;
        }
    }
    push(lx, PT_NAME, lx->pos, p, lx->line);
    lx->pos = p;
}

static void lex_number(Lex *lx)
{
    const char *s = lx->s;
    size_t p = lx->pos;
    bool hex = s[p] == '0' && p + 1 < lx->len && (s[p + 1] | 0x20) == 'x';
    while (p < lx->len) {
        char c = s[p];
        if ((c | 0x20) == 'e' && !hex && p + 1 < lx->len && (s[p + 1] == '+' || s[p + 1] == '-'))
            p += 2;
        else if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                 c == '_' || c == '.')
            p++;
        else
            break;
    }
    push(lx, PT_NUMBER, lx->pos, p, lx->line);
    lx->pos = p;
}

static void lex_op(Lex *lx)
{
    static const char *const ops[] = {
        "**=", "//=", ">>=", "<<=", "...", "!=", "%=", "&=", "**", "*=", "+=", "-=", "->",
        "//", "/=", ":=", "<<", "<=", "==", ">=", ">>", "@=", "^=", "|=", NULL
    };
    const char *s = lx->s + lx->pos;
    size_t left = lx->len - lx->pos, n = 0;
    for (int i = 0; ops[i] && !n; i++)
        if (strlen(ops[i]) <= left && memcmp(s, ops[i], strlen(ops[i])) == 0)
            n = strlen(ops[i]);
    if (!n && strchr("()[]{}:,;+-*/|&<>=.%~^@!", *s))
        n = 1;
    if (!n) {
        lex_error(lx, lx->line, "invalid character '%c' (U+%04X)", *s >= ' ' ? *s : '?',
                  (unsigned char)*s);
        lx->pos++;
        return;
    }
    char c = *s;
    if (n == 1 && strchr("([{", c)) {
        if (lx->depth >= MAX_DEPTH) {
            lex_error(lx, lx->line, "too many nested parentheses");
        } else {
            lx->open_line[lx->depth] = lx->line;
            lx->open[lx->depth++] = c;
        }
    } else if (n == 1 && strchr(")]}", c)) {
        char want = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (lx->depth == 0)
            lex_error(lx, lx->line, "unmatched '%c'", c);
        else if (lx->open[lx->depth - 1] != want)
            lex_error(lx, lx->line, "closing parenthesis '%c' does not match opening "
                      "parenthesis '%c' on line %d", c, lx->open[lx->depth - 1],
                      lx->open_line[lx->depth - 1]);
        if (lx->depth > 0)
            lx->depth--;
    }
    push(lx, PT_OP, lx->pos, lx->pos + n, lx->line);
    lx->pos += n;
}

/* At the start of a logical line: its indentation column, or -1 for a
 * blank or comment line (skipped, with its newline). */
static int line_start(Lex *lx)
{
    int col = 0;
    size_t p = lx->pos;
    for (; p < lx->len; p++) {
        char c = lx->s[p];
        if (c == ' ')
            col++;
        else if (c == '\t')
            col = (col / 8 + 1) * 8;
        else if (c == '\f')
            col = 0;
        else
            break;
    }
    if (p < lx->len && lx->s[p] != '#' && lx->s[p] != '\n') {
        lx->pos = p;
        return col;
    }
    while (p < lx->len && lx->s[p] != '\n')
        p++;
    if (p < lx->len)
        lx->line++;
    lx->pos = p < lx->len ? p + 1 : p;
    return -1;
}

void py_lex(PyLexed *out, const char *text, size_t len)
{
    memset(out, 0, sizeof *out);
    Lex lx = { .s = text, .len = len, .line = 1, .out = out };
    bool new_line = true;
    while (lx.pos < lx.len) {
        if (new_line) {
            int col = line_start(&lx);
            if (col < 0)
                continue;
            new_line = false;
            lx.bol = true;
            lx.col = col;
        }
        char c = text[lx.pos];
        if (c == ' ' || c == '\t' || c == '\f') {
            lx.pos++;
        } else if (c == '#') {
            while (lx.pos < lx.len && text[lx.pos] != '\n')
                lx.pos++;
        } else if (c == '\\') {
            if (lx.pos + 1 >= lx.len || text[lx.pos + 1] != '\n')
                lex_error(&lx, lx.line, "unexpected character after line continuation "
                          "character");
            else
                lx.line++;
            lx.pos += 2;
        } else if (c == '\n') {
            if (lx.depth == 0) {
                push(&lx, PT_NEWLINE, lx.pos, lx.pos + 1, lx.line);
                new_line = true;
            }
            lx.line++;
            lx.pos++;
        } else if (is_name_start((unsigned char)c)) {
            lex_name(&lx);
        } else if (c == '\'' || c == '"') {
            lex_string(&lx, lx.pos, false, 0);
        } else if ((c >= '0' && c <= '9') ||
                   (c == '.' && lx.pos + 1 < lx.len && text[lx.pos + 1] >= '0' &&
                    text[lx.pos + 1] <= '9')) {
            lex_number(&lx);
        } else {
            lex_op(&lx);
        }
    }
    if (lx.depth > 0)
        lex_error(&lx, lx.open_line[lx.depth - 1], "'%c' was never closed",
                  lx.open[lx.depth - 1]);
    if (out->count && out->toks[out->count - 1].kind != PT_NEWLINE)
        push(&lx, PT_NEWLINE, len, len, lx.line);
    push(&lx, PT_EOF, len, len, lx.line);
}

void py_lexed_free(PyLexed *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        free(l->toks[i].str);
    free(l->toks);
    free(l->err);
    memset(l, 0, sizeof *l);
}
