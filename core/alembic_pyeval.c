/* alembic_pyeval.c: Python values, and the value of a literal expression
 * as Python evaluates it (see alembic_py.h): strings (adjacent ones
 * joined), numbers, None, True, False, tuples, lists, sets, dicts,
 * parentheses, starred items, and names bound earlier in the module.
 * Anything else (a call, an operator, an attribute) is PY_UNKNOWN. */
#include "alembic_py.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- values --------------------------------------------------------- */

void py_val_free(PyVal *v)
{
    if (!v)
        return;
    free(v->text);
    for (size_t i = 0; i < v->n; i++)
        py_val_free(&v->items[i]);
    free(v->items);
    memset(v, 0, sizeof *v);
}

PyVal py_val_copy(const PyVal *v)
{
    PyVal c = *v;
    if (v->text) {   /* a string's value may hold NUL: len bytes and its NUL */
        size_t n = v->kind == PY_STR ? v->len : strlen(v->text);
        c.text = xmalloc(n + 1);
        memcpy(c.text, v->text, n + 1);
    }
    c.items = v->n ? xcalloc(v->n, sizeof *c.items) : NULL;
    for (size_t i = 0; i < v->n; i++)
        c.items[i] = py_val_copy(&v->items[i]);
    return c;
}

PyVal py_unknown(const char *fmt, ...)
{
    PyVal v = { .kind = PY_UNKNOWN };
    va_list ap;
    va_start(ap, fmt);
    v.text = xvasprintf(fmt, ap);
    va_end(ap);
    return v;
}

bool py_truthy(const PyVal *v)
{
    switch (v->kind) {
    case PY_BOOL:
    case PY_NUMBER: return v->truthy;
    case PY_STR:
    case PY_BYTES: return v->len > 0;
    case PY_TUPLE:
    case PY_LIST:
    case PY_SET:
    case PY_DICT: return v->n > 0;
    default: return false;
    }
}

char *py_val_describe(const PyVal *v)
{
    switch (v->kind) {
    case PY_NONE: return xstrdup("None");
    case PY_BOOL: return xstrdup(v->truthy ? "True" : "False");
    case PY_NUMBER: return xstrdup(v->text);
    case PY_STR: return xstrdup(v->text);
    case PY_BYTES: return xstrdup("a bytes value");
    case PY_TUPLE: return xstrdup("a tuple");
    case PY_LIST: return xstrdup("a list");
    case PY_SET: return xstrdup("a set");
    case PY_DICT: return xstrdup("a dict");
    default: return xstrdup("a value dbwarden cannot read");
    }
}

static bool py_equal(const PyVal *a, const PyVal *b)
{
    if (a->kind != b->kind || a->n != b->n)
        return false;
    if (a->kind == PY_STR || a->kind == PY_BYTES)
        return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
    if (a->kind == PY_NUMBER)
        return strcmp(a->text, b->text) == 0;
    if (a->kind == PY_BOOL)
        return a->truthy == b->truthy;
    for (size_t i = 0; i < a->n; i++)
        if (!py_equal(&a->items[i], &b->items[i]))
            return false;
    return a->kind != PY_UNKNOWN;
}

static void push_item(PyVal *seq, PyVal item)
{
    seq->items = xrealloc(seq->items, (seq->n + 1) * sizeof *seq->items);
    seq->items[seq->n++] = item;
}

/* A number's truth: a digit other than 0 in its value part. */
static bool number_truthy(const char *s, size_t n)
{
    size_t i = 0;
    bool prefixed = n > 1 && s[0] == '0' && strchr("xXoObB", s[1]);
    if (prefixed)
        i = 2;
    for (; i < n; i++) {
        char c = s[i];
        if (!prefixed && (c == 'e' || c == 'E'))
            break;
        if ((c >= '1' && c <= '9') || (prefixed && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')))
            return true;
    }
    return false;
}

/* ---- expressions ---------------------------------------------------- */

size_t py_skip_brackets(const PyCtx *ctx, size_t i, size_t b)
{
    int depth = 0;
    for (size_t k = i; k < b; k++) {
        const PyTok *t = &ctx->t[k];
        if (t->kind != PT_OP || t->end - t->start != 1)
            continue;
        char c = ctx->src[t->start];
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if ((c == ')' || c == ']' || c == '}') && --depth == 0)
            return k;
    }
    return b;
}

bool py_is_op(const PyCtx *ctx, size_t i, const char *op)
{
    return ctx->t[i].kind == PT_OP && py_tok_is(&ctx->t[i], ctx->src, op);
}

bool py_is_open(const PyCtx *ctx, size_t i)
{
    return py_is_op(ctx, i, "(") || py_is_op(ctx, i, "[") || py_is_op(ctx, i, "{");
}

size_t py_next_op(const PyCtx *ctx, size_t i, size_t b, const char *op)
{
    for (; i < b; i++) {
        if (py_is_open(ctx, i))
            i = py_skip_brackets(ctx, i, b);
        else if (py_is_op(ctx, i, op))
            return i;
    }
    return b;
}

static size_t next_comma(const PyCtx *ctx, size_t i, size_t b)
{
    return py_next_op(ctx, i, b, ",");
}

static PyVal eval_strings(const PyCtx *ctx, size_t *i, size_t b)
{
    const PyTok *t = ctx->t;
    bool bytes = t[*i].sflags & PYS_BYTES, fields = false, bad = false, mixed = false;
    bool open = false;
    StrBuf s = STRBUF_INIT;
    int line = t[*i].line;
    for (; *i < b && t[*i].kind == PT_STRING; (*i)++) {
        mixed |= bytes != ((t[*i].sflags & PYS_BYTES) != 0);
        fields |= (t[*i].sflags & PYS_FIELDS) != 0;
        bad |= (t[*i].sflags & PYS_UNDECODED) != 0;
        open |= (t[*i].sflags & PYS_OPEN) != 0;
        sb_appendn(&s, t[*i].str, t[*i].slen);
    }
    if (mixed) {
        py_module_error(ctx->m, line, "cannot mix bytes and nonbytes literals");
        sb_free(&s);
        return py_unknown("mixes bytes and str literals");
    }
    if (open) {
        sb_free(&s);
        return py_unknown("is a string that is never closed");
    }
    if (fields) {
        sb_free(&s);
        return py_unknown("is an f-string with replacement fields, computed when the file "
                          "runs");
    }
    PyVal v = { .kind = bytes ? PY_BYTES : PY_STR, .len = s.len, .bad = bad };
    v.text = sb_take(&s);
    return v;
}

static PyVal eval_expr(const PyCtx *ctx, size_t a, size_t b);

/* Items of a display (between brackets) or of a bare tuple: [a, b) split
 * on top-level commas, starred items unpacked, into seq. */
static bool eval_items(const PyCtx *ctx, size_t a, size_t b, PyVal *seq, PyVal *err)
{
    size_t i = a;
    while (i < b) {
        size_t e = next_comma(ctx, i, b);
        if (e == i) {
            *err = py_unknown("is not valid Python (an empty item)");
            return false;
        }
        bool star = py_is_op(ctx, i, "*");
        PyVal v = eval_expr(ctx, i + star, e);
        if (v.kind == PY_UNKNOWN) {
            *err = v;
            return false;
        }
        if (!star) {
            push_item(seq, v);
        } else if (v.kind == PY_TUPLE || v.kind == PY_LIST || v.kind == PY_SET ||
                   v.kind == PY_DICT) {
            for (size_t k = 0; k < v.n; k++)
                push_item(seq, py_val_copy(&v.items[k]));
            py_val_free(&v);
        } else if (v.kind == PY_STR && !v.bad) {
            for (size_t k = 0; k < v.len;) {
                size_t l = py_utf8_len((const unsigned char *)v.text + k, v.len - k);
                l = l ? l : 1;
                PyVal ch = { .kind = PY_STR, .len = l, .text = xstrndup(v.text + k, l) };
                push_item(seq, ch);
                k += l;
            }
            py_val_free(&v);
        } else {
            py_val_free(&v);
            *err = py_unknown("unpacks with * a value that is not a sequence");
            return false;
        }
        i = e < b ? e + 1 : e;
    }
    return true;
}

static PyVal eval_display(const PyCtx *ctx, size_t a, size_t close, PyKind kind)
{
    PyVal seq = { .kind = kind }, err = { 0 };
    if (kind == PY_DICT) {
        /* only the keys matter: each item's part before its ':' */
        for (size_t i = a + 1; i < close;) {
            size_t e = next_comma(ctx, i, close), colon = i;
            while (colon < e && !py_is_op(ctx, colon, ":"))
                colon = py_is_open(ctx, colon) ? py_skip_brackets(ctx, colon, e) + 1 : colon + 1;
            if (py_is_op(ctx, i, "**") || colon >= e) {
                py_val_free(&seq);
                return py_unknown("is a dict that dbwarden cannot read");
            }
            PyVal k = eval_expr(ctx, i, colon);
            if (k.kind == PY_UNKNOWN) {
                py_val_free(&seq);
                return k;
            }
            push_item(&seq, k);
            i = e < close ? e + 1 : e;
        }
        return seq;
    }
    if (!eval_items(ctx, a + 1, close, &seq, &err)) {
        py_val_free(&seq);
        return err;
    }
    if (kind == PY_SET) {   /* a set keeps one of equal items */
        size_t w = 0;
        for (size_t i = 0; i < seq.n; i++) {
            bool dup = false;
            for (size_t k = 0; k < w && !dup; k++)
                dup = py_equal(&seq.items[k], &seq.items[i]);
            if (dup)
                py_val_free(&seq.items[i]);
            else
                seq.items[w++] = seq.items[i];
        }
        seq.n = w;
    }
    return seq;
}

static bool dict_display(const PyCtx *ctx, size_t a, size_t close)
{
    if (close == a + 1)
        return true;   /* {} is a dict */
    for (size_t i = a + 1; i < close; i++) {
        if (py_is_op(ctx, i, ":") || py_is_op(ctx, i, "**"))
            return true;
        if (py_is_open(ctx, i))
            i = py_skip_brackets(ctx, i, close);
        else if (py_is_op(ctx, i, ","))
            return false;
    }
    return false;
}

/* One atom, with nothing after it. */
static PyVal eval_expr(const PyCtx *ctx, size_t a, size_t b)
{
    const PyTok *t = ctx->t;
    const char *src = ctx->src;
    size_t i = a;
    PyVal v = { 0 };
    if (a >= b)
        return py_unknown("is not valid Python (no value)");
    if (t[a].kind == PT_STRING) {
        v = eval_strings(ctx, &i, b);
    } else if (t[a].kind == PT_NUMBER ||
               ((py_is_op(ctx, a, "-") || py_is_op(ctx, a, "+")) && a + 1 < b &&
                t[a + 1].kind == PT_NUMBER)) {
        i = t[a].kind == PT_NUMBER ? a : a + 1;
        v.kind = PY_NUMBER;
        v.text = xstrndup(src + t[a].start, t[i].end - t[a].start);
        v.truthy = number_truthy(src + t[i].start, t[i].end - t[i].start);
        i++;
    } else if (t[a].kind == PT_NAME) {
        i = a + 1;
        if (py_tok_is(&t[a], src, "None")) {
            v.kind = PY_NONE;
        } else if (py_tok_is(&t[a], src, "True") || py_tok_is(&t[a], src, "False")) {
            v.kind = PY_BOOL;
            v.truthy = src[t[a].start] == 'T';
        } else {
            char *name = xstrndup(src + t[a].start, t[a].end - t[a].start);
            const PyBinding *bnd = py_module_get(ctx->m, name);
            if (!bnd || !bnd->bound)
                v = py_unknown("names %s, which is not assigned above it", name);
            else if (bnd->value.kind == PY_UNKNOWN)
                v = py_unknown("names %s, which %s", name, bnd->value.text);
            else
                v = py_val_copy(&bnd->value);
            free(name);
        }
    } else if (py_is_open(ctx, a)) {
        size_t close = py_skip_brackets(ctx, a, b);
        char open = src[t[a].start];
        if (close >= b)
            return py_unknown("is not valid Python (an open bracket)");
        if (open == '(' && close == a + 1)
            v.kind = PY_TUPLE;
        else if (open == '(')
            v = py_eval(ctx, a + 1, close);
        else
            v = eval_display(ctx, a, close, open == '[' ? PY_LIST
                                            : dict_display(ctx, a, close) ? PY_DICT : PY_SET);
        i = close + 1;
    } else {
        return py_unknown("is computed when the file runs (not a literal)");
    }
    if (i < b && v.kind != PY_UNKNOWN) {
        bool call = py_is_op(ctx, i, "(");
        py_val_free(&v);
        return py_unknown(call ? "is computed by a call when the file runs"
                               : "is an expression computed when the file runs "
                                 "(dbwarden reads literals and names bound to them)");
    }
    return v;
}

PyVal py_eval(const PyCtx *ctx, size_t a, size_t b)
{
    if (next_comma(ctx, a, b) == b) {
        if (a < b && py_is_op(ctx, a, "*"))
            return py_unknown("is not valid Python (a starred value alone)");
        return eval_expr(ctx, a, b);
    }
    PyVal seq = { .kind = PY_TUPLE }, err = { 0 };
    if (!eval_items(ctx, a, b, &seq, &err)) {
        py_val_free(&seq);
        return err;
    }
    return seq;
}
