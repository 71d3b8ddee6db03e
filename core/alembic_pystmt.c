/* alembic_pystmt.c: a module's top-level statements, walked in order as
 * Python runs them, binding names (see alembic_py.h).
 *
 * What is decided here without running anything:
 * - assignments of every form bind their targets to the value's literal
 *   (chained a = b = v, unpacking a, *b = v, annotated a: T = v, a += v
 *   on strings, tuples and lists); the last binding wins;
 * - import, def and class bind names to values that are not literals;
 *   del unbinds; `from m import *` and globals()/exec/setattr make every
 *   name bound so far unknown;
 * - names bound inside if/elif/else/try/except/finally/for/while/with/
 *   match blocks are unknown: whether a block runs is decided at run
 *   time (even `if True:`: dbwarden does not evaluate conditions);
 * - function bodies are other scopes, except for their `global` names,
 *   which become unknown where the function is defined;
 * - an unexpected indent, or a block header with no block, is an error,
 *   as for Python. */
#include "alembic_py.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the module's names --------------------------------------------- */

const PyBinding *py_module_get(const PyModule *m, const char *name)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->names[i].name, name) == 0)
            return &m->names[i];
    return NULL;
}

void py_module_bind(PyModule *m, const char *name, size_t n, PyVal v, int line)
{
    PyBinding *b = NULL;
    for (size_t i = 0; i < m->count && !b; i++)
        if (strlen(m->names[i].name) == n && memcmp(m->names[i].name, name, n) == 0)
            b = &m->names[i];
    if (!b) {
        m->names = xgrow(m->names, &m->cap, m->count + 1, sizeof *m->names);
        b = &m->names[m->count++];
        memset(b, 0, sizeof *b);
        b->name = xstrndup(name, n);
    }
    py_val_free(&b->value);
    b->value = v;
    b->bound = true;
    b->line = line;
}

void py_module_error(PyModule *m, int line, const char *fmt, ...)
{
    if (m->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    m->err = xvasprintf(fmt, ap);
    va_end(ap);
    m->err_line = line;
}

void py_module_free(PyModule *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->count; i++) {
        free(m->names[i].name);
        py_val_free(&m->names[i].value);
    }
    free(m->names);
    free(m->doc);
    free(m->err);
    free(m->maybe_more);
    memset(m, 0, sizeof *m);
}

/* Every name bound so far becomes unknown (why is formatted once). */
static void forget_all(PyModule *m, const char *why, int line)
{
    for (size_t i = 0; i < m->count; i++) {
        py_val_free(&m->names[i].value);
        m->names[i].value = py_unknown("%s", why);
        m->names[i].bound = true;
        m->names[i].line = line;
    }
    if (!m->maybe_more)
        m->maybe_more = xstrdup(why);
}

/* ---- binding targets ------------------------------------------------ */

static bool is_name(const PyCtx *ctx, size_t i, const char *name)
{
    return ctx->t[i].kind == PT_NAME && py_tok_is(&ctx->t[i], ctx->src, name);
}

static void bind_tok(const PyCtx *ctx, size_t i, const PyVal *v, int line)
{
    const PyTok *t = &ctx->t[i];
    PyVal val = ctx->cond ? py_unknown("%s", ctx->cond) : py_val_copy(v);
    py_module_bind(ctx->m, ctx->src + t->start, t->end - t->start, val, line);
}

static void assign(const PyCtx *ctx, size_t s, size_t e, const PyVal *v, int line);

/* The items of v when it is unpacked, copied into *out; false when it
 * cannot be (then *out is an unknown value saying why). */
static bool unpack_items(const PyVal *v, PyVal *out)
{
    memset(out, 0, sizeof *out);
    out->kind = PY_TUPLE;
    if (v->kind == PY_UNKNOWN) {
        *out = py_val_copy(v);
        return false;
    }
    if (v->kind == PY_STR && !v->bad) {
        for (size_t k = 0; k < v->len;) {
            size_t l = py_utf8_len((const unsigned char *)v->text + k, v->len - k);
            l = l ? l : 1;
            out->items = xrealloc(out->items, (out->n + 1) * sizeof *out->items);
            out->items[out->n++] = (PyVal){ .kind = PY_STR, .len = l,
                                            .text = xstrndup(v->text + k, l) };
            k += l;
        }
        return true;
    }
    if (v->kind == PY_TUPLE || v->kind == PY_LIST || v->kind == PY_SET || v->kind == PY_DICT) {
        PyVal c = py_val_copy(v);
        c.kind = PY_TUPLE;
        *out = c;
        return true;
    }
    *out = py_unknown("is unpacked from a value that cannot be unpacked");
    return false;
}

/* a, *b, (c, d) = v: the items of [s, e) split on commas. */
static void assign_list(const PyCtx *ctx, size_t s, size_t e, const PyVal *v, int line)
{
    size_t starts[64], ends[64], n = 0, star = SIZE_MAX;
    for (size_t i = s; i < e && n < 64;) {
        size_t c = py_next_op(ctx, i, e, ",");
        if (c > i) {
            if (py_is_op(ctx, i, "*"))
                star = n;
            starts[n] = i + (star == n);
            ends[n++] = c;
        }
        i = c + 1;
    }
    PyVal items;
    bool ok = unpack_items(v, &items);
    if (ok && (star == SIZE_MAX ? items.n != n : items.n + 1 < n)) {
        py_module_error(ctx->m, line, "%s values to unpack (expected %zu, got %zu)",
                        items.n > n ? "too many" : "not enough", n, items.n);
        py_val_free(&items);
        items = py_unknown("is unpacked from a value of another length");
        ok = false;
    }
    for (size_t k = 0; k < n; k++) {
        if (!ok) {
            assign(ctx, starts[k], ends[k], &items, line);
        } else if (k == star) {
            PyVal rest = { .kind = PY_LIST };
            size_t take = items.n - (n - 1);
            rest.n = take;
            rest.items = take ? xcalloc(take, sizeof *rest.items) : NULL;
            for (size_t j = 0; j < take; j++)
                rest.items[j] = py_val_copy(&items.items[k + j]);
            assign(ctx, starts[k], ends[k], &rest, line);
            py_val_free(&rest);
        } else {
            size_t at = star != SIZE_MAX && k > star ? items.n - (n - k) : k;
            assign(ctx, starts[k], ends[k], &items.items[at], line);
        }
    }
    py_val_free(&items);
}

/* One target [s, e) bound to v (borrowed); attributes and subscripts
 * bind no module name. */
static void assign(const PyCtx *ctx, size_t s, size_t e, const PyVal *v, int line)
{
    if (s >= e)
        return;
    if (e == s + 1 && ctx->t[s].kind == PT_NAME) {
        bind_tok(ctx, s, v, line);
        return;
    }
    bool paren = py_is_op(ctx, s, "("), bracket = py_is_op(ctx, s, "[");
    if ((paren || bracket) && py_skip_brackets(ctx, s, e) == e - 1) {
        if (paren && e - s > 2 && py_next_op(ctx, s + 1, e - 1, ",") == e - 1)
            assign(ctx, s + 1, e - 1, v, line);   /* (a) = v */
        else
            assign_list(ctx, s + 1, e - 1, v, line);
        return;
    }
    if (py_next_op(ctx, s, e, ",") < e)
        assign_list(ctx, s, e, v, line);
}

/* ---- simple statements ---------------------------------------------- */

static const char *const dynamic_names[] = {
    "globals", "vars", "locals", "exec", "eval", "setattr", "delattr", "__dict__", NULL
};

/* globals()["x"] = ..., exec(...), setattr(module, ...): every name may
 * change.  Also `name := value` inside expressions. */
static void side_effects(const PyCtx *ctx, size_t s, size_t e)
{
    for (size_t i = s; i < e; i++) {
        if (ctx->t[i].kind != PT_NAME)
            continue;
        if (i + 1 < e && py_is_op(ctx, i + 1, ":=")) {
            PyVal u = py_unknown("is assigned with := inside an expression");
            bind_tok(ctx, i, &u, ctx->t[i].line);
            py_val_free(&u);
        }
        bool attr = i > s && py_is_op(ctx, i - 1, ".");
        for (int k = 0; dynamic_names[k]; k++)
            if (is_name(ctx, i, dynamic_names[k]) && (!attr || k == 7)) {
                char *why = xasprintf("may be changed through %s at line %d (dbwarden does "
                                      "not run code)", dynamic_names[k], ctx->t[i].line);
                forget_all(ctx->m, why, ctx->t[i].line);
                free(why);
            }
    }
}

static void stmt_import(const PyCtx *ctx, size_t s, size_t e)
{
    const PyTok *t = ctx->t;
    int line = t[s].line;
    size_t i = s + 1;
    bool from = is_name(ctx, s, "from");
    if (from) {
        while (i < e && !is_name(ctx, i, "import"))
            i++;
        i++;
        if (i < e && py_is_op(ctx, i, "*")) {
            char *why = xasprintf("may be replaced by the star import at line %d", line);
            forget_all(ctx->m, why, line);
            free(why);
            return;
        }
    }
    PyVal u = py_unknown(from ? "is imported" : "is an imported module");
    /* each item: dotted.name [as alias]; `import a.b` binds a */
    while (i < e) {
        if (py_is_op(ctx, i, "(") || py_is_op(ctx, i, ")") || py_is_op(ctx, i, ",")) {
            i++;
            continue;
        }
        size_t first = i, last = i;
        while (last + 2 < e && py_is_op(ctx, last + 1, "."))
            last += 2;
        size_t bind_at = from ? last : first;
        i = last + 1;
        if (i + 1 < e && is_name(ctx, i, "as")) {
            bind_at = i + 1;
            i += 2;
        }
        if (t[bind_at].kind == PT_NAME)
            bind_tok(ctx, bind_at, &u, line);
    }
    py_val_free(&u);
}

static void stmt_del(const PyCtx *ctx, size_t s, size_t e)
{
    const PyTok *t = ctx->t;
    for (size_t i = s + 1; i < e; i++) {
        if (t[i].kind != PT_NAME || py_is_op(ctx, i - 1, ".") || py_is_op(ctx, i + 1, "[") ||
            py_is_op(ctx, i + 1, "."))
            continue;   /* del a[0], del a.b bind nothing */
        if (ctx->cond) {
            PyVal u = py_unknown("%s", ctx->cond);
            bind_tok(ctx, i, &u, t[i].line);
            py_val_free(&u);
            continue;
        }
        size_t n = t[i].end - t[i].start;
        bool found = false;
        for (size_t k = 0; k < ctx->m->count; k++) {
            PyBinding *b = &ctx->m->names[k];
            if (b->bound && strlen(b->name) == n && memcmp(b->name, ctx->src + t[i].start, n) == 0) {
                py_val_free(&b->value);
                b->bound = false;
                b->line = t[i].line;
                found = true;
            }
        }
        if (!found)
            py_module_error(ctx->m, t[i].line, "name '%.*s' is not defined (del)", (int)n,
                            ctx->src + t[i].start);
    }
}

/* The first top-level assignment operator in [s, e): "=", ":" (an
 * annotation) or an augmented one ("+=" ...); e when none. */
static size_t assign_op(const PyCtx *ctx, size_t s, size_t e)
{
    static const char *const aug[] = { "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=",
                                       "^=", ">>=", "<<=", "**=", NULL };
    for (size_t i = s; i < e; i++) {
        if (py_is_open(ctx, i)) {
            i = py_skip_brackets(ctx, i, e);
            continue;
        }
        if (is_name(ctx, i, "lambda"))
            return e;
        if (py_is_op(ctx, i, "=") || py_is_op(ctx, i, ":"))
            return i;
        for (int k = 0; aug[k]; k++)
            if (py_is_op(ctx, i, aug[k]))
                return i;
    }
    return e;
}

static void stmt_augmented(const PyCtx *ctx, size_t s, size_t op, size_t e)
{
    int line = ctx->t[s].line;
    if (op != s + 1 || ctx->t[s].kind != PT_NAME)
        return;   /* a.b += 1 binds no module name */
    char *name = xstrndup(ctx->src + ctx->t[s].start, ctx->t[s].end - ctx->t[s].start);
    const PyBinding *b = py_module_get(ctx->m, name);
    PyVal rhs = py_eval(ctx, op + 1, e), res;
    bool plus = py_is_op(ctx, op, "+=");
    if (!b || !b->bound) {
        py_module_error(ctx->m, line, "name '%s' is not defined (augmented assignment)", name);
        res = py_unknown("is augmented before it is assigned");
    } else if (plus && b->value.kind == rhs.kind && rhs.kind == PY_STR) {
        res = py_val_copy(&b->value);
        res.text = xrealloc(res.text, res.len + rhs.len + 1);
        memcpy(res.text + res.len, rhs.text, rhs.len + 1);
        res.len += rhs.len;
        res.bad |= rhs.bad;
    } else if (plus && b->value.kind == rhs.kind && (rhs.kind == PY_TUPLE || rhs.kind == PY_LIST)) {
        res = py_val_copy(&b->value);
        res.items = xrealloc(res.items, (res.n + rhs.n + 1) * sizeof *res.items);
        for (size_t k = 0; k < rhs.n; k++)
            res.items[res.n++] = py_val_copy(&rhs.items[k]);
    } else if (b->value.kind == PY_UNKNOWN) {
        res = py_val_copy(&b->value);
    } else {
        res = py_unknown("is computed by an augmented assignment at line %d", line);
    }
    bind_tok(ctx, s, &res, line);
    py_val_free(&res);
    py_val_free(&rhs);
    free(name);
}

/* One simple statement [s, e).  first: the module's first statement. */
static void stmt_simple(const PyCtx *ctx, size_t s, size_t e, bool first)
{
    const PyTok *t = ctx->t;
    if (s >= e)
        return;
    side_effects(ctx, s, e);
    if (is_name(ctx, s, "import") || is_name(ctx, s, "from")) {
        stmt_import(ctx, s, e);
        return;
    }
    if (is_name(ctx, s, "del")) {
        stmt_del(ctx, s, e);
        return;
    }
    size_t op = assign_op(ctx, s, e);
    if (op == e) {
        bool doc = first && !ctx->cond;
        for (size_t i = s; i < e && doc; i++)
            doc = t[i].kind == PT_STRING && !(t[i].sflags & (PYS_BYTES | PYS_FSTRING));
        if (doc) {
            StrBuf b = STRBUF_INIT;
            for (size_t i = s; i < e; i++)
                sb_appendn(&b, t[i].str, t[i].slen);
            free(ctx->m->doc);
            ctx->m->doc = sb_take(&b);
        }
        return;
    }
    int line = t[s].line;
    if (py_is_op(ctx, op, ":")) {   /* name: annotation [= value] */
        size_t eq = py_next_op(ctx, op + 1, e, "=");
        if (eq < e) {
            PyVal v = py_eval(ctx, eq + 1, e);
            assign(ctx, s, op, &v, line);
            py_val_free(&v);
        }
        return;
    }
    if (!py_is_op(ctx, op, "=")) {
        stmt_augmented(ctx, s, op, e);
        return;
    }
    /* t1 = t2 = ... = value: the value once, each target in turn */
    size_t last = op;
    for (size_t k = py_next_op(ctx, op + 1, e, "="); k < e; k = py_next_op(ctx, k + 1, e, "="))
        last = k;
    PyVal v = py_eval(ctx, last + 1, e);
    for (size_t a = s, k = op;; a = k + 1, k = py_next_op(ctx, a, e, "=")) {
        assign(ctx, a, k, &v, line);
        if (k == last)
            break;
    }
    py_val_free(&v);
}

/* Statements separated by ';' in [s, e). */
static void stmts_simple(const PyCtx *ctx, size_t s, size_t e, bool first)
{
    while (s < e) {
        size_t semi = py_next_op(ctx, s, e, ";");
        stmt_simple(ctx, s, semi, first);
        first = false;
        s = semi + 1;
    }
}

/* ---- compound statements -------------------------------------------- */

typedef struct Line {
    size_t a, b;    /* its tokens, without the NEWLINE */
    int    indent;
} Line;

static Line line_at(const PyCtx *ctx, size_t i)
{
    Line l = { i, i, ctx->t[i].col };
    while (ctx->t[l.b].kind != PT_NEWLINE && ctx->t[l.b].kind != PT_EOF)
        l.b++;
    return l;
}

/* The first token of the first line at or after i indented no more than
 * indent (or the PT_EOF). */
static size_t block_end(const PyCtx *ctx, size_t i, int indent)
{
    while (ctx->t[i].kind != PT_EOF && ctx->t[i].col > indent)
        i = line_at(ctx, i).b + 1;
    return i;
}

/* The keyword of a compound statement's header ("if", "def", "@" for a
 * decorator, ...), or NULL for simple statements. */
static const char *header_kw(const PyCtx *ctx, Line l)
{
    static const char *const kws[] = { "if", "elif", "else", "try", "except", "finally",
                                       "with", "for", "while", "def", "class", NULL };
    size_t a = l.a;
    if (py_is_op(ctx, a, "@"))
        return "@";
    if (is_name(ctx, a, "async") && a + 1 < l.b)
        a++;
    for (int k = 0; kws[k]; k++)
        if (is_name(ctx, a, kws[k]))
            return kws[k];
    if ((is_name(ctx, a, "match") || is_name(ctx, a, "case")) && l.b > a + 1 &&
        py_is_op(ctx, l.b - 1, ":"))
        return is_name(ctx, a, "match") ? "match" : "case";
    return NULL;
}

/* The ':' that ends a header in [a, b) (not a lambda's), or b. */
static size_t header_colon(const PyCtx *ctx, size_t a, size_t b)
{
    int lambdas = 0;
    for (size_t i = a; i < b; i++) {
        if (py_is_open(ctx, i))
            i = py_skip_brackets(ctx, i, b);
        else if (is_name(ctx, i, "lambda"))
            lambdas++;
        else if (py_is_op(ctx, i, ":") && lambdas-- == 0)
            return i;
    }
    return b;
}

/* Names a header binds: for targets, `as` targets, case captures. */
static void header_bindings(const PyCtx *ctx, const char *kw, size_t a, size_t colon)
{
    const PyTok *t = ctx->t;
    PyVal u = py_unknown("%s", ctx->cond);
    side_effects(ctx, a, colon);
    if (strcmp(kw, "for") == 0) {
        size_t f = a;
        while (f < colon && !is_name(ctx, f, "for"))
            f++;
        size_t in = f + 1;
        while (in < colon && !is_name(ctx, in, "in"))
            in = py_is_open(ctx, in) ? py_skip_brackets(ctx, in, colon) + 1 : in + 1;
        assign(ctx, f + 1, in, &u, t[a].line);
    }
    for (size_t i = a; i + 1 < colon; i++) {
        if (!is_name(ctx, i, "as"))
            continue;
        size_t end = py_is_open(ctx, i + 1) ? py_skip_brackets(ctx, i + 1, colon) + 1 : i + 2;
        assign(ctx, i + 1, end, &u, t[a].line);
    }
    if (strcmp(kw, "case") == 0)
        for (size_t i = a + 1; i < colon; i++)
            if (t[i].kind == PT_NAME && !py_is_op(ctx, i + 1, "(") &&
                !py_is_op(ctx, i + 1, ".") && !py_is_op(ctx, i - 1, "."))
                bind_tok(ctx, i, &u, t[a].line);
    py_val_free(&u);
}

/* def/class: the name is bound; a function's `global` names may change
 * when it runs. */
static void def_stmt(const PyCtx *ctx, Line l, size_t body, size_t end)
{
    const PyTok *t = ctx->t;
    size_t k = is_name(ctx, l.a, "async") ? l.a + 1 : l.a;
    bool cls = is_name(ctx, k, "class");
    if (k + 1 >= l.b || t[k + 1].kind != PT_NAME)
        return;
    char *fname = xstrndup(ctx->src + t[k + 1].start, t[k + 1].end - t[k + 1].start);
    PyVal u = py_unknown(cls ? "is the class %s (line %d)" : "is the function %s (line %d)",
                         fname, t[k].line);
    bind_tok(ctx, k + 1, &u, t[k].line);
    py_val_free(&u);
    u = py_unknown("may be assigned when function %s runs (it declares it global, line %d)",
                   fname, t[k].line);
    for (size_t i = k + 2; i < end; i++) {
        if (i == l.b)
            i = body;
        if (!is_name(ctx, i, "global"))
            continue;
        for (i++; t[i].kind == PT_NAME || py_is_op(ctx, i, ","); i++)
            if (t[i].kind == PT_NAME)
                bind_tok(ctx, i, &u, t[k].line);
    }
    py_val_free(&u);
    free(fname);
}

/* The lines [i, end) of a block that may not run (ctx->cond set). */
static void block_walk(const PyCtx *ctx, size_t i, size_t end)
{
    while (i < end) {
        Line l = line_at(ctx, i);
        i = l.b + 1;
        const char *kw = header_kw(ctx, l);
        if (!kw) {
            stmts_simple(ctx, l.a, l.b, false);
            continue;
        }
        if (strcmp(kw, "@") == 0)
            continue;
        size_t colon = header_colon(ctx, l.a, l.b);
        if (strcmp(kw, "def") == 0 || strcmp(kw, "class") == 0) {
            size_t body_end = block_end(ctx, i, l.indent);
            def_stmt(ctx, l, i, body_end);
            i = body_end;
            continue;
        }
        header_bindings(ctx, kw, l.a, colon);
        if (colon < l.b)
            stmts_simple(ctx, colon + 1, l.b, false);
    }
}

/* A compound statement at the top level whose header is l and whose
 * block starts at token next; returns where the next statement starts. */
static size_t compound_stmt(PyCtx *ctx, Line l, const char *kw, size_t next)
{
    int line = ctx->t[l.a].line;
    if (strcmp(kw, "@") == 0)
        return next;
    size_t colon = header_colon(ctx, l.a, l.b);
    size_t end = block_end(ctx, next, 0);
    if (colon >= l.b)
        py_module_error(ctx->m, line, "expected ':' after '%s'", kw);
    else if (colon + 1 == l.b && end == next)
        py_module_error(ctx->m, line, "expected an indented block after '%s' statement on "
                        "line %d", kw, line);
    if (strcmp(kw, "def") == 0 || strcmp(kw, "class") == 0) {
        def_stmt(ctx, l, next, end);
        return end;
    }
    char *why = xasprintf("is assigned inside the %s block at line %d (dbwarden does not run "
                          "code, so cannot tell whether that runs)", kw, line);
    ctx->cond = why;
    header_bindings(ctx, kw, l.a, colon);
    if (colon + 1 < l.b)
        stmts_simple(ctx, colon + 1, l.b, false);
    block_walk(ctx, next, end);
    ctx->cond = NULL;
    free(why);
    return end;
}

void py_module_eval(PyModule *m, const PyLexed *lx, const char *src)
{
    memset(m, 0, sizeof *m);
    PyCtx ctx = { lx->toks, src, m, NULL };
    size_t i = 0;
    bool first = true;
    while (lx->toks[i].kind != PT_EOF) {
        Line l = line_at(&ctx, i);
        i = l.b + (lx->toks[l.b].kind == PT_NEWLINE);
        if (l.a == l.b)
            continue;
        if (l.indent > 0) {
            py_module_error(m, lx->toks[l.a].line, "unexpected indent");
            continue;
        }
        const char *kw = header_kw(&ctx, l);
        if (!kw)
            stmts_simple(&ctx, l.a, l.b, first);
        else
            i = compound_stmt(&ctx, l, kw, i);
        first = false;
    }
}
