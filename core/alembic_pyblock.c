/* alembic_pyblock.c: a module's statements walked in order, and its
 * compound statements (see alembic_py.h; simple statements are in
 * alembic_pystmt.c).
 * - names bound inside if/elif/else/try/except/finally/for/while/with/
 *   match blocks are unknown: whether a block runs is decided at run
 *   time (even `if True:`: dbwarden does not evaluate conditions);
 * - def and class bind their name; function bodies are other scopes,
 *   except for their `global` names, which become unknown where the
 *   function is defined;
 * - an unexpected indent, or a block header with no block, is an error,
 *   as for Python. */
#include "alembic_py.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

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
    if (py_is_name(ctx, a, "async") && a + 1 < l.b)
        a++;
    for (int k = 0; kws[k]; k++)
        if (py_is_name(ctx, a, kws[k]))
            return kws[k];
    if ((py_is_name(ctx, a, "match") || py_is_name(ctx, a, "case")) && l.b > a + 1 &&
        py_is_op(ctx, l.b - 1, ":"))
        return py_is_name(ctx, a, "match") ? "match" : "case";
    return NULL;
}

/* The ':' that ends a header in [a, b) (not a lambda's), or b. */
static size_t header_colon(const PyCtx *ctx, size_t a, size_t b)
{
    int lambdas = 0;
    for (size_t i = a; i < b; i++) {
        if (py_is_open(ctx, i))
            i = py_skip_brackets(ctx, i, b);
        else if (py_is_name(ctx, i, "lambda"))
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
    py_side_effects(ctx, a, colon);
    if (strcmp(kw, "for") == 0) {
        size_t f = a;
        while (f < colon && !py_is_name(ctx, f, "for"))
            f++;
        size_t in = f + 1;
        while (in < colon && !py_is_name(ctx, in, "in"))
            in = py_is_open(ctx, in) ? py_skip_brackets(ctx, in, colon) + 1 : in + 1;
        py_assign(ctx, f + 1, in, &u, t[a].line);
    }
    for (size_t i = a; i + 1 < colon; i++) {
        if (!py_is_name(ctx, i, "as"))
            continue;
        size_t end = py_is_open(ctx, i + 1) ? py_skip_brackets(ctx, i + 1, colon) + 1 : i + 2;
        py_assign(ctx, i + 1, end, &u, t[a].line);
    }
    if (strcmp(kw, "case") == 0)
        for (size_t i = a + 1; i < colon; i++)
            if (t[i].kind == PT_NAME && !py_is_op(ctx, i + 1, "(") &&
                !py_is_op(ctx, i + 1, ".") && !py_is_op(ctx, i - 1, "."))
                py_bind_tok(ctx, i, &u, t[a].line);
    py_val_free(&u);
}

/* def/class: the name is bound; a function's `global` names may change
 * when it runs. */
static void def_stmt(const PyCtx *ctx, Line l, size_t body, size_t end)
{
    const PyTok *t = ctx->t;
    size_t k = py_is_name(ctx, l.a, "async") ? l.a + 1 : l.a;
    bool cls = py_is_name(ctx, k, "class");
    if (k + 1 >= l.b || t[k + 1].kind != PT_NAME)
        return;
    char *fname = xstrndup(ctx->src + t[k + 1].start, t[k + 1].end - t[k + 1].start);
    PyVal u = py_unknown(cls ? "is the class %s (line %d)" : "is the function %s (line %d)",
                         fname, t[k].line);
    py_bind_tok(ctx, k + 1, &u, t[k].line);
    py_val_free(&u);
    u = py_unknown("may be assigned when function %s runs (it declares it global, line %d)",
                   fname, t[k].line);
    for (size_t i = k + 2; i < end; i++) {
        if (i == l.b)
            i = body;
        if (!py_is_name(ctx, i, "global"))
            continue;
        for (i++; t[i].kind == PT_NAME || py_is_op(ctx, i, ","); i++)
            if (t[i].kind == PT_NAME)
                py_bind_tok(ctx, i, &u, t[k].line);
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
            py_stmts_simple(ctx, l.a, l.b, false);
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
            py_stmts_simple(ctx, colon + 1, l.b, false);
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
        py_stmts_simple(ctx, colon + 1, l.b, false);
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
            py_stmts_simple(&ctx, l.a, l.b, first);
        else
            i = compound_stmt(&ctx, l, kw, i);
        first = false;
    }
}
