/* alembic_pystmt.c: a module's names, and its simple statements run as
 * Python runs them, binding names (see alembic_py.h).
 *
 * What is decided here without running anything:
 * - assignments of every form bind their targets to the value's literal
 *   (chained a = b = v, unpacking a, *b = v, annotated a: T = v, a += v
 *   on strings, tuples and lists); the last binding wins;
 * - import, def and class bind names to values that are not literals;
 *   del unbinds; `from m import *` and globals()/exec/setattr make every
 *   name bound so far unknown;
 * Compound statements (blocks) are in alembic_pyblock.c. */
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

bool py_is_name(const PyCtx *ctx, size_t i, const char *name)
{
    return ctx->t[i].kind == PT_NAME && py_tok_is(&ctx->t[i], ctx->src, name);
}

void py_bind_tok(const PyCtx *ctx, size_t i, const PyVal *v, int line)
{
    const PyTok *t = &ctx->t[i];
    PyVal val = ctx->cond ? py_unknown("%s", ctx->cond) : py_val_copy(v);
    py_module_bind(ctx->m, ctx->src + t->start, t->end - t->start, val, line);
}


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
            py_assign(ctx, starts[k], ends[k], &items, line);
        } else if (k == star) {
            PyVal rest = { .kind = PY_LIST };
            size_t take = items.n - (n - 1);
            rest.n = take;
            rest.items = take ? xcalloc(take, sizeof *rest.items) : NULL;
            for (size_t j = 0; j < take; j++)
                rest.items[j] = py_val_copy(&items.items[k + j]);
            py_assign(ctx, starts[k], ends[k], &rest, line);
            py_val_free(&rest);
        } else {
            size_t at = star != SIZE_MAX && k > star ? items.n - (n - k) : k;
            py_assign(ctx, starts[k], ends[k], &items.items[at], line);
        }
    }
    py_val_free(&items);
}

/* One target [s, e) bound to v (borrowed); attributes and subscripts
 * bind no module name. */
void py_assign(const PyCtx *ctx, size_t s, size_t e, const PyVal *v, int line)
{
    if (s >= e)
        return;
    if (e == s + 1 && ctx->t[s].kind == PT_NAME) {
        py_bind_tok(ctx, s, v, line);
        return;
    }
    bool paren = py_is_op(ctx, s, "("), bracket = py_is_op(ctx, s, "[");
    if ((paren || bracket) && py_skip_brackets(ctx, s, e) == e - 1) {
        if (paren && e - s > 2 && py_next_op(ctx, s + 1, e - 1, ",") == e - 1)
            py_assign(ctx, s + 1, e - 1, v, line);   /* (a) = v */
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
void py_side_effects(const PyCtx *ctx, size_t s, size_t e)
{
    for (size_t i = s; i < e; i++) {
        if (ctx->t[i].kind != PT_NAME)
            continue;
        if (i + 1 < e && py_is_op(ctx, i + 1, ":=")) {
            PyVal u = py_unknown("is assigned with := inside an expression");
            py_bind_tok(ctx, i, &u, ctx->t[i].line);
            py_val_free(&u);
        }
        /* a call of the builtin (not an attribute, not a keyword
         * argument), or any __dict__ */
        bool attr = i > s && py_is_op(ctx, i - 1, ".");
        bool call = i + 1 < e && py_is_op(ctx, i + 1, "(");
        for (int k = 0; dynamic_names[k]; k++)
            if (py_is_name(ctx, i, dynamic_names[k]) &&
                (strcmp(dynamic_names[k], "__dict__") == 0 || (!attr && call))) {
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
    bool from = py_is_name(ctx, s, "from");
    if (from) {
        while (i < e && !py_is_name(ctx, i, "import"))
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
        if (i + 1 < e && py_is_name(ctx, i, "as")) {
            bind_at = i + 1;
            i += 2;
        }
        if (t[bind_at].kind == PT_NAME)
            py_bind_tok(ctx, bind_at, &u, line);
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
            py_bind_tok(ctx, i, &u, t[i].line);
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
        if (py_is_name(ctx, i, "lambda"))
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
    py_bind_tok(ctx, s, &res, line);
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
    py_side_effects(ctx, s, e);
    if (py_is_name(ctx, s, "import") || py_is_name(ctx, s, "from")) {
        stmt_import(ctx, s, e);
        return;
    }
    if (py_is_name(ctx, s, "del")) {
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
            py_assign(ctx, s, op, &v, line);
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
        py_assign(ctx, a, k, &v, line);
        if (k == last)
            break;
    }
    py_val_free(&v);
}

/* Statements separated by ';' in [s, e). */
void py_stmts_simple(const PyCtx *ctx, size_t s, size_t e, bool first)
{
    while (s < e) {
        size_t semi = py_next_op(ctx, s, e, ";");
        stmt_simple(ctx, s, semi, first);
        first = false;
        s = semi + 1;
    }
}

