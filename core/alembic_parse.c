/* alembic_parse.c: one Alembic revision file, read as Python reads it and
 * never run (see alembic.h).
 *
 * The text is decoded, tokenized and its top-level statements walked
 * (alembic_py.h); then the module's values are taken the way Alembic
 * 1.8's Script and Revision take them (alembic/script/base.py and
 * revision.py):
 * - revision: the module's `revision`; when the module has none, the id
 *   is the file name's when the name is hexadecimal digits and ".py"
 *   (_legacy_rev, "([a-f0-9]+)\.py$"), else there is no id;
 * - down_revision must exist (Alembic reads module.down_revision): a
 *   false value (None, "", (), []) is a base, a string one parent, a
 *   tuple or list its items (tuple_rev_as_scalar, to_tuple);
 * - branch_labels and depends_on may be missing (getattr(..., None)):
 *   util.to_tuple(), and depends_on's single false item means none. */
#include "alembic.h"
#include "alembic_py.h"
#include "rx.h"
#include "strbuf.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct ParseRx {
    Rx *created;  /* "Create Date:" in the docstring */
    Rx *legacy;   /* Alembic's _legacy_rev */
} ParseRx;

static ParseRx parse_rx;
static pthread_once_t parse_rx_once = PTHREAD_ONCE_INIT;

static void parse_rx_init(void)
{
    DbError err = DB_ERROR_INIT;
    parse_rx.created = rx_compile("(?m)^[ \\t]*Create Date:[ \\t]*(.*?)[ \\t\\r]*$", 0, &err);
    parse_rx.legacy = rx_compile("^([a-f0-9]+)\\.py$", 0, &err);
    db_error_clear(&err);
}

static void note(AlembicRevision *r, char *msg)
{
    if (!r->unreadable)
        r->unreadable = msg;
    else
        free(msg);
}

static void list_clear(AlembicList *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

static void list_push(AlembicList *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return;   /* Alembic dedupes (util.dedupe_tuple) */
    l->items = xrealloc(l->items, (l->count + 1) * sizeof *l->items);
    l->items[l->count++] = xstrdup(s);
}

static void take_docstring(AlembicRevision *r, const char *doc)
{
    const char *s = doc;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strcspn(s, "\n");
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    r->message = n ? xstrndup(s, n) : NULL;
    RxSpan caps[2];
    if (rx_match(parse_rx.created, doc, strlen(doc), caps, 2) && caps[1].len)
        r->create_date = xstrndup(doc + caps[1].start, caps[1].len);
}

/* A usable string: decoded, without NUL. */
static const char *str_problem(const PyVal *v)
{
    if (v->bad)
        return "has an escape dbwarden does not decode (\\N{...} or a lone surrogate)";
    if (strlen(v->text) != v->len)
        return "contains a NUL character";
    return NULL;
}

/* Items of v as ids into l: each must be a string. */
static bool take_items(AlembicRevision *r, const char *what, int line, const PyVal *v,
                       AlembicList *l)
{
    for (size_t i = 0; i < v->n; i++) {
        const PyVal *it = &v->items[i];
        const char *why = it->kind == PY_STR ? str_problem(it) : NULL;
        if (it->kind != PY_STR || why) {
            char *d = py_val_describe(it);
            note(r, xasprintf("%s at line %d holds %s, %s", what, line, d,
                              why ? why : "which is not a revision id: Alembic fails on it"));
            free(d);
            list_clear(l);
            return false;
        }
        list_push(l, it->text);
    }
    return true;
}

/* A binding every value needs: unknown, missing or computed is noted. */
static const PyVal *value_of(AlembicRevision *r, const PyModule *m, const char *name,
                             int *line)
{
    const PyBinding *b = py_module_get(m, name);
    *line = b ? b->line : 0;
    if (!b || !b->bound) {
        if (m->maybe_more)
            note(r, xasprintf("%s %s", name, m->maybe_more));
        return NULL;
    }
    if (b->value.kind == PY_UNKNOWN) {
        note(r, xasprintf("%s at line %d %s", name, b->line, b->value.text));
        return NULL;
    }
    return &b->value;
}

static void take_revision(AlembicRevision *r, const PyModule *m, const char *file)
{
    int line;
    const PyVal *v = value_of(r, m, "revision", &line);
    const PyBinding *b = py_module_get(m, "revision");
    if (!v && (!b || !b->bound) && !m->maybe_more) {
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        RxSpan caps[2];
        if (rx_match(parse_rx.legacy, base, strlen(base), caps, 2)) {
            r->revision = xstrndup(base + caps[1].start, caps[1].len);
            r->revision_is_str = true;
            r->revision_from_name = true;
        }
        return;
    }
    if (!v)
        return;
    r->line = line;
    if (v->kind == PY_STR && str_problem(v)) {
        note(r, xasprintf("revision at line %d %s", line, str_problem(v)));
        return;
    }
    r->revision_is_str = v->kind == PY_STR;
    r->revision = v->kind == PY_STR ? xstrdup(v->text) : py_val_describe(v);
}

static void take_down(AlembicRevision *r, const PyModule *m)
{
    int line;
    const PyVal *v = value_of(r, m, "down_revision", &line);
    const PyBinding *b = py_module_get(m, "down_revision");
    if (!v) {
        if ((!b || !b->bound) && !m->maybe_more && r->revision)
            note(r, xstrdup("defines no down_revision: Alembic stops on it (AttributeError); "
                            "write down_revision = None for a base"));
        return;
    }
    if (!py_truthy(v))
        return;   /* None, "", (), [] ...: a base */
    if (v->kind == PY_STR) {
        const char *why = str_problem(v);
        if (why)
            note(r, xasprintf("down_revision at line %d %s", line, why));
        else
            list_push(&r->down, v->text);
    } else if (v->kind == PY_TUPLE || v->kind == PY_LIST || (v->kind == PY_SET && v->n > 1)) {
        take_items(r, "down_revision", line, v, &r->down);
    } else {
        char *d = py_val_describe(v);
        note(r, xasprintf("down_revision at line %d is %s: Alembic fails on it (give None, "
                          "an id, or a tuple of ids)", line,
                          v->kind == PY_SET ? "a set of one id" : d));
        free(d);
    }
}

/* branch_labels and depends_on: util.to_tuple(getattr(module, name, None)).
 * Returns true for a depends_on that Alembic keeps as a false value other
 * than None ("", ("",), 0): no dependency, but not "no dependencies". */
static bool take_tuple(AlembicRevision *r, const PyModule *m, const char *name,
                       AlembicList *l, bool deps)
{
    int line;
    const PyBinding *b = py_module_get(m, name);
    if (!b || !b->bound)
        return false;   /* missing is None, even after a star import */
    const PyVal *v = value_of(r, m, name, &line);
    if (!v || v->kind == PY_NONE)
        return false;
    PyVal one = { .kind = PY_TUPLE, .n = 1, .items = (PyVal *)v };
    const PyVal *items = v->kind == PY_TUPLE || v->kind == PY_LIST || v->kind == PY_SET ||
                         v->kind == PY_DICT ? v : &one;
    /* depends_on: tuple_rev_as_scalar() makes () None and (x,) x; a false
     * x means no dependency */
    if (deps && (items->n == 0 || (items->n == 1 && !py_truthy(&items->items[0]))))
        return items->n == 1 && items->items[0].kind != PY_NONE;
    take_items(r, name, line, items, l);
    return false;
}

void alembic_revision_parse(AlembicRevision *out, const char *file, const char *text,
                            size_t len)
{
    pthread_once(&parse_rx_once, parse_rx_init);
    memset(out, 0, sizeof *out);
    out->file = xstrdup(file);
    char *why = NULL;
    size_t n = 0;
    char *src = py_source_decode(text, len, &n, &why);
    if (!src) {
        out->unreadable = xasprintf("Python refuses this file: %s", why);
        free(why);
        return;
    }
    PyLexed lx;
    py_lex(&lx, src, n);
    PyModule m;
    py_module_eval(&m, &lx, src);
    if (lx.err || m.err) {
        bool lexer = lx.err && (!m.err || lx.err_line <= m.err_line);
        out->unreadable = xasprintf("Python refuses this file: line %d: %s",
                                    lexer ? lx.err_line : m.err_line, lexer ? lx.err : m.err);
    }
    if (m.doc)
        take_docstring(out, m.doc);
    take_revision(out, &m, file);
    take_down(out, &m);
    take_tuple(out, &m, "branch_labels", &out->branch_labels, false);
    if (take_tuple(out, &m, "depends_on", &out->depends_on, true) && !out->down.count &&
        !out->unreadable)
        note(out, xstrdup("depends_on is empty but not None on a base revision: Alembic then "
                          "finds no real base and stops (DependencyCycleDetected); write "
                          "depends_on = None"));
    py_module_free(&m);
    py_lexed_free(&lx);
    free(src);
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
