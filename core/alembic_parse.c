/* alembic_parse.c: one Alembic revision file, read as Python text and
 * never run (see alembic.h).
 *
 * A small Python tokenizer finds the top-level statements (so that text
 * in comments, strings and indented blocks is never taken for code); a
 * pcre2 pattern recognises the assignments we want in a statement's
 * text; the tokenizer then reads the assigned literal. */
#include "alembic.h"
#include "rx.h"
#include "strbuf.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokens --------------------------------------------------------- */

typedef enum TokKind { T_EOF, T_NEWLINE, T_NAME, T_NUMBER, T_STRING, T_OP } TokKind;

typedef struct Tok {
    TokKind kind;
    size_t  start, end;   /* byte offsets in the text */
    int     line;         /* 1-based line of the start */
    int     col;          /* column of the start */
    char   *str;          /* T_STRING: the decoded value (owned) */
    bool    plain;        /* T_STRING: a str, not bytes, not an f-string, and
                             closed (an open quote is a syntax error) */
} Tok;

typedef struct Lex {
    const char *s;
    size_t      len, pos;
    int         line;
    size_t      line_start;
    int         depth;        /* open brackets */
} Lex;

static bool is_name_start(unsigned char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool is_name_char(unsigned char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static void lex_newline(Lex *lx)
{
    lx->line++;
    lx->line_start = lx->pos;
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

/* One escape after a backslash at s[*i] (s[*i] is the char after '\'). */
static void decode_escape(const char *s, size_t n, size_t *i, StrBuf *out)
{
    char c = s[*i];
    switch (c) {
    case '\n': break;                       /* line continuation */
    case '\\': sb_appendc(out, '\\'); break;
    case '\'': sb_appendc(out, '\''); break;
    case '"': sb_appendc(out, '"'); break;
    case 'n': sb_appendc(out, '\n'); break;
    case 't': sb_appendc(out, '\t'); break;
    case 'r': sb_appendc(out, '\r'); break;
    case 'a': sb_appendc(out, '\a'); break;
    case 'b': sb_appendc(out, '\b'); break;
    case 'f': sb_appendc(out, '\f'); break;
    case 'v': sb_appendc(out, '\v'); break;
    case 'x':
        if (*i + 2 < n && hexval(s[*i + 1]) >= 0 && hexval(s[*i + 2]) >= 0) {
            sb_appendc(out, (char)(hexval(s[*i + 1]) * 16 + hexval(s[*i + 2])));
            *i += 2;
            break;
        }
        /* fall through */
    default:                                /* unknown: Python keeps both */
        sb_appendc(out, '\\');
        sb_appendc(out, c);
    }
}

/* A string literal starting at lx->pos (prefix already skipped to the
 * quote); fills t->str, and clears t->plain when it is not closed. */
static void lex_string(Lex *lx, Tok *t, bool raw)
{
    const char *s = lx->s;
    char q = s[lx->pos];
    bool triple = lx->pos + 2 < lx->len && s[lx->pos + 1] == q && s[lx->pos + 2] == q;
    lx->pos += triple ? 3 : 1;
    StrBuf out = STRBUF_INIT;
    bool closed = false;
    while (lx->pos < lx->len) {
        char c = s[lx->pos];
        if (c == '\\' && lx->pos + 1 < lx->len) {
            if (s[lx->pos + 1] == '\n') {
                lx->pos += 2;
                lex_newline(lx);
                if (raw)
                    sb_append(&out, "\\\n");
                continue;
            }
            if (raw) {
                sb_appendc(&out, c);
                sb_appendc(&out, s[lx->pos + 1]);
                lx->pos += 2;
                continue;
            }
            size_t i = lx->pos + 1;
            decode_escape(s, lx->len, &i, &out);
            lx->pos = i + 1;
            continue;
        }
        if (c == q && (!triple || (lx->pos + 2 < lx->len && s[lx->pos + 1] == q &&
                                   s[lx->pos + 2] == q))) {
            lx->pos += triple ? 3 : 1;
            closed = true;
            break;
        }
        if (c == '\n' && !triple)
            break;       /* unterminated: the line end is a NEWLINE token */
        if (c == '\n') {
            lx->pos++;
            lex_newline(lx);
            sb_appendc(&out, '\n');
            continue;
        }
        sb_appendc(&out, c);
        lx->pos++;
    }
    t->str = sb_take(&out);
    if (!closed)
        t->plain = false;
}

/* The next token.  Comments, blank lines and continuation backslashes are
 * skipped; T_NEWLINE ends a logical line (only outside brackets). */
static void lex_next(Lex *lx, Tok *t)
{
    const char *s = lx->s;
    memset(t, 0, sizeof *t);
    for (;;) {
        while (lx->pos < lx->len && (s[lx->pos] == ' ' || s[lx->pos] == '\t' ||
                                     s[lx->pos] == '\r' || s[lx->pos] == '\f'))
            lx->pos++;
        if (lx->pos >= lx->len) {
            t->kind = T_EOF;
            t->start = t->end = lx->len;
            t->line = lx->line;
            return;
        }
        char c = s[lx->pos];
        if (c == '#') {
            while (lx->pos < lx->len && s[lx->pos] != '\n')
                lx->pos++;
            continue;
        }
        if (c == '\\' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '\n') {
            lx->pos += 2;
            lex_newline(lx);
            continue;
        }
        if (c == '\n') {
            t->start = lx->pos;
            t->line = lx->line;
            lx->pos++;
            lex_newline(lx);
            if (lx->depth > 0)
                continue;
            t->kind = T_NEWLINE;
            t->end = lx->pos;
            return;
        }
        break;
    }
    t->start = lx->pos;
    t->line = lx->line;
    t->col = (int)(lx->pos - lx->line_start);
    unsigned char c = (unsigned char)s[lx->pos];
    if (is_name_start(c)) {
        size_t p = lx->pos;
        while (p < lx->len && is_name_char((unsigned char)s[p]))
            p++;
        size_t plen = p - lx->pos;
        if (plen <= 2 && p < lx->len && (s[p] == '\'' || s[p] == '"')) {
            bool raw = false, bytes = false, fmt = false, ok = true;
            for (size_t i = lx->pos; i < p; i++) {
                char k = (char)(s[i] | 0x20);
                if (k == 'r')
                    raw = true;
                else if (k == 'b')
                    bytes = true;
                else if (k == 'f')
                    fmt = true;
                else if (k != 'u')
                    ok = false;
            }
            if (ok) {
                lx->pos = p;
                t->kind = T_STRING;
                t->plain = !bytes && !fmt;
                lex_string(lx, t, raw);
                t->end = lx->pos;
                return;
            }
        }
        t->kind = T_NAME;
        lx->pos = p;
        t->end = p;
        return;
    }
    if (c == '\'' || c == '"') {
        t->kind = T_STRING;
        t->plain = true;
        lex_string(lx, t, false);
        t->end = lx->pos;
        return;
    }
    if (c >= '0' && c <= '9') {
        while (lx->pos < lx->len && (is_name_char((unsigned char)s[lx->pos]) ||
                                     s[lx->pos] == '.'))
            lx->pos++;
        t->kind = T_NUMBER;
        t->end = lx->pos;
        return;
    }
    if (c == '(' || c == '[' || c == '{')
        lx->depth++;
    else if ((c == ')' || c == ']' || c == '}') && lx->depth > 0)
        lx->depth--;
    t->kind = T_OP;
    lx->pos++;
    t->end = lx->pos;
}

/* ---- statements ----------------------------------------------------- */

typedef struct Stmt {
    Tok   *toks;
    size_t count, cap;
    int    indent;     /* column of the physical line's first token */
} Stmt;

static void stmt_clear(Stmt *st)
{
    for (size_t i = 0; i < st->count; i++)
        free(st->toks[i].str);
    st->count = 0;
}

static bool tok_is(const Tok *t, const char *text, const char *src)
{
    size_t n = strlen(text);
    return t->end - t->start == n && memcmp(src + t->start, text, n) == 0;
}

typedef struct Parser {
    const char      *src;
    AlembicRevision *out;
    bool             first_stmt;
} Parser;

static void note_unreadable(Parser *p, const char *what, int line)
{
    if (!p->out->unreadable)
        p->out->unreadable = xasprintf("%s at line %d is not a literal dbwarden can read "
                                       "(a string, None, or a tuple or list of strings)",
                                       what, line);
}

static void list_clear(AlembicList *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

static void list_push(AlembicList *l, char *s)
{
    l->items = xrealloc(l->items, (l->count + 1) * sizeof *l->items);
    l->items[l->count++] = s;
}

/* Adjacent string literals from toks[*i], concatenated; NULL when toks[*i]
 * is not a plain string. */
static char *read_strings(const Tok *toks, size_t n, size_t *i)
{
    if (*i >= n || toks[*i].kind != T_STRING || !toks[*i].plain)
        return NULL;
    StrBuf b = STRBUF_INIT;
    while (*i < n && toks[*i].kind == T_STRING && toks[*i].plain) {
        sb_append(&b, toks[*i].str);
        (*i)++;
    }
    return sb_take(&b);
}

/* The literal in toks[0..n): None, strings, or a tuple/list of strings.
 * Returns 0 and fills l, 1 for a number (its text in l), -1 when it is
 * something else. */
static int read_value(const char *src, const Tok *toks, size_t n, AlembicList *l)
{
    size_t i = 0;
    if (n == 1 && toks[0].kind == T_NAME && tok_is(&toks[0], "None", src))
        return 0;
    if (n == 1 && toks[0].kind == T_NUMBER) {
        list_push(l, xstrndup(src + toks[0].start, toks[0].end - toks[0].start));
        return 1;
    }
    char *s = read_strings(toks, n, &i);
    if (s) {
        if (i == n) {
            list_push(l, s);
            return 0;
        }
        free(s);
        return -1;
    }
    if (n < 2 || toks[0].kind != T_OP || toks[n - 1].kind != T_OP)
        return -1;
    char open = src[toks[0].start], close = src[toks[n - 1].start];
    if (!((open == '(' && close == ')') || (open == '[' && close == ']')))
        return -1;
    i = 1;
    while (i < n - 1) {
        char *item = read_strings(toks, n - 1, &i);
        if (!item)
            return -1;
        list_push(l, item);
        if (i < n - 1) {
            if (toks[i].kind != T_OP || src[toks[i].start] != ',')
                return -1;
            i++;
        }
    }
    return 0;
}

typedef struct ParseRx {
    Rx *assign;   /* the head of an assignment we read */
    Rx *created;  /* "Create Date:" in the docstring */
} ParseRx;

static ParseRx parse_rx;
static pthread_once_t parse_rx_once = PTHREAD_ONCE_INIT;

static void parse_rx_init(void)
{
    DbError err = DB_ERROR_INIT;
    /* name, then an optional annotation (`: Union[str, None]`), then a
     * single '=' (not '=='); group 2 is where the value starts */
    parse_rx.assign = rx_compile("^(revision|down_revision|branch_labels|depends_on)"
                                 "\\s*(?::[^=]*)?=(?!=)", 0, &err);
    parse_rx.created = rx_compile("(?m)^[ \\t]*Create Date:[ \\t]*(.*?)[ \\t\\r]*$", 0, &err);
    db_error_clear(&err);
}

static void take_docstring(Parser *p, const char *doc)
{
    const char *s = doc;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strcspn(s, "\n");
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    free(p->out->message);
    p->out->message = n ? xstrndup(s, n) : NULL;
    RxSpan caps[2];
    if (rx_match(parse_rx.created, doc, strlen(doc), caps, 2) && caps[1].len) {
        free(p->out->create_date);
        p->out->create_date = xstrndup(doc + caps[1].start, caps[1].len);
    }
}

/* One top-level statement. */
static void parse_stmt(Parser *p, const Stmt *st)
{
    bool first = p->first_stmt;
    p->first_stmt = false;
    if (!st->count || st->indent != 0)
        return;
    const Tok *t = st->toks;
    if (first && t[0].kind == T_STRING) {
        size_t i = 0;
        char *doc = read_strings(t, st->count, &i);
        if (doc && i == st->count)
            take_docstring(p, doc);
        free(doc);
        return;
    }
    if (t[0].kind != T_NAME)
        return;
    size_t end = t[st->count - 1].end;
    RxSpan caps[2];
    if (!rx_match(parse_rx.assign, p->src + t[0].start, end - t[0].start, caps, 2))
        return;
    size_t value_at = t[0].start + caps[0].len;
    char *name = xstrndup(p->src + t[0].start + caps[1].start, caps[1].len);
    size_t v = 0;
    while (v < st->count && t[v].start < value_at)
        v++;
    AlembicList val = { NULL, 0 };
    int kind = v < st->count ? read_value(p->src, t + v, st->count - v, &val) : -1;
    AlembicRevision *r = p->out;
    if (kind < 0 || (kind == 1 && strcmp(name, "revision") != 0)) {
        note_unreadable(p, name, t[0].line);
        list_clear(&val);
    } else if (strcmp(name, "revision") == 0) {
        free(r->revision);
        r->revision = NULL;
        r->line = t[0].line;
        if (val.count == 1) {
            r->revision = val.items[0];
            r->revision_is_str = kind == 0;
            free(val.items);
        } else {
            /* None or a tuple: not an id at all */
            r->revision = xstrdup("");
            r->revision_is_str = false;
            list_clear(&val);
        }
    } else {
        AlembicList *dst = strcmp(name, "down_revision") == 0   ? &r->down
                           : strcmp(name, "branch_labels") == 0 ? &r->branch_labels
                                                                : &r->depends_on;
        list_clear(dst);
        *dst = val;
    }
    free(name);
}

void alembic_revision_parse(AlembicRevision *out, const char *file, const char *text,
                            size_t len)
{
    pthread_once(&parse_rx_once, parse_rx_init);
    memset(out, 0, sizeof *out);
    out->file = xstrdup(file);
    Lex lx = { text, len, 0, 1, 0, 0 };
    Parser p = { text, out, true };
    Stmt st = { NULL, 0, 0, 0 };
    int line_indent = 0;
    bool at_line_start = true;
    for (;;) {
        Tok t;
        lex_next(&lx, &t);
        if (at_line_start && t.kind != T_NEWLINE && t.kind != T_EOF) {
            line_indent = t.col;
            at_line_start = false;
        }
        bool semi = t.kind == T_OP && lx.depth == 0 && text[t.start] == ';';
        if (t.kind == T_NEWLINE || t.kind == T_EOF || semi) {
            st.indent = line_indent;
            if (st.count)
                parse_stmt(&p, &st);
            stmt_clear(&st);
            if (t.kind == T_NEWLINE)
                at_line_start = true;
            if (t.kind == T_EOF)
                break;
            continue;
        }
        st.toks = xgrow(st.toks, &st.cap, st.count + 1, sizeof *st.toks);
        st.toks[st.count++] = t;
    }
    free(st.toks);
}

void alembic_revision_free(AlembicRevision *r)
{
    if (!r)
        return;
    free(r->file);
    free(r->revision);
    list_clear(&r->down);
    list_clear(&r->branch_labels);
    list_clear(&r->depends_on);
    free(r->message);
    free(r->create_date);
    free(r->unreadable);
    free(r->parents);
    free(r->children);
    free(r->deps);
    memset(r, 0, sizeof *r);
}

bool alembic_id_ok(const char *id)
{
    static const char *const reserved[] = { "head", "heads", "base", "current", NULL };
    if (!id || !*id)
        return false;
    for (const unsigned char *s = (const unsigned char *)id; *s; s++)
        if (*s <= ' ' || *s == 0x7f || *s == '@' || *s == '-' || *s == '+' || *s == ':')
            return false;
    for (int i = 0; reserved[i]; i++)
        if (strcmp(id, reserved[i]) == 0)
            return false;
    return true;
}
