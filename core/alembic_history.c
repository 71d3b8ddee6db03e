/* alembic_history.c: the revision graph drawn as lines of text, newest
 * first (see alembic.h).
 *
 * Lanes, as `git log --graph` draws them: each lane waits for one
 * revision.  A revision's row puts '*' in its lane; lanes that wait for
 * the same revision close into it first ("|/"); a merge opens a lane per
 * further parent ("|\"); a base closes its lane. */
#include "alembic.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct Lanes {
    size_t *v;
    size_t  n, cap;
} Lanes;

static void add_line(AlembicHistory *h, char *text, long rev)
{
    h->lines = xrealloc(h->lines, (h->count + 1) * sizeof *h->lines);
    h->rev = xrealloc(h->rev, (h->count + 1) * sizeof *h->rev);
    h->lines[h->count] = text;
    h->rev[h->count++] = rev;
}

/* A blank drawing 2*n wide; the caller fills it. */
static char *blank(size_t n)
{
    char *s = xmalloc(2 * n + 2);
    memset(s, ' ', 2 * n + 1);
    s[2 * n + 1] = '\0';
    return s;
}

static char *rtrim(char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

/* Lane j (> col) closes into lane col. */
static void draw_close(AlembicHistory *h, Lanes *l, size_t col, size_t j)
{
    char *s = blank(l->n);
    for (size_t k = 0; k < l->n; k++) {
        if (k < j)
            s[2 * k] = '|';
        else if (k == j)
            s[2 * k - 1] = '/';
        else
            s[2 * k - 1] = '/';
    }
    for (size_t k = col; k + 1 < j; k++)
        s[2 * k + 1] = '_';
    add_line(h, rtrim(s), -1);
    memmove(l->v + j, l->v + j + 1, (l->n - j - 1) * sizeof *l->v);
    l->n--;
}

/* A new lane opens right of lane at, for parent p. */
static void draw_open(AlembicHistory *h, Lanes *l, size_t at, size_t p)
{
    char *s = blank(l->n + 1);
    for (size_t k = 0; k < l->n; k++) {
        if (k <= at)
            s[2 * k] = '|';
        else
            s[2 * k + 1] = '\\';
    }
    s[2 * at + 1] = '\\';
    add_line(h, rtrim(s), -1);
    l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
    memmove(l->v + at + 2, l->v + at + 1, (l->n - at - 1) * sizeof *l->v);
    l->v[at + 1] = p;
    l->n++;
}

/* Lane col ends (a base): lanes right of it move left.  more: rows
 * follow, which must not look like this one's parents. */
static void draw_end(AlembicHistory *h, Lanes *l, size_t col, bool more)
{
    if (l->n > 1 || more) {
        char *s = blank(l->n);
        for (size_t k = 0; k < l->n; k++) {
            if (k < col)
                s[2 * k] = '|';
            else if (k > col)
                s[2 * k - 1] = '/';
        }
        add_line(h, rtrim(s), -1);
    }
    memmove(l->v + col, l->v + col + 1, (l->n - col - 1) * sizeof *l->v);
    l->n--;
}

static void describe(StrBuf *b, const AlembicGraph *g, const AlembicRevision *r,
                     const AlembicStatus *st, size_t idx)
{
    sb_append(b, r->revision);
    const char *marks[8];
    int nm = 0;
    if (r->is_head)
        marks[nm++] = "head";
    if (st && alembic_is_current(st, r->revision))
        marks[nm++] = "current";
    if (r->is_merge)
        marks[nm++] = "mergepoint";
    if (r->is_branchpoint)
        marks[nm++] = "branchpoint";
    if (r->is_base)
        marks[nm++] = "base";
    if (nm || r->branch_labels.count) {
        sb_append(b, " (");
        for (int i = 0; i < nm; i++)
            sb_appendf(b, "%s%s", i ? ", " : "", marks[i]);
        for (size_t i = 0; i < r->branch_labels.count; i++)
            sb_appendf(b, "%s%s", nm || i ? ", " : "", r->branch_labels.items[i]);
        sb_append(b, ")");
    }
    if (st && st->applied)
        sb_appendf(b, " [%s]", st->applied[idx] ? "applied" : "pending");
    sb_append(b, " <- ");
    if (!r->down.count)
        sb_append(b, "<base>");
    for (size_t i = 0; i < r->down.count; i++)
        sb_appendf(b, "%s%s", i ? ", " : "", r->down.items[i]);
    if (r->depends_on.count) {
        sb_append(b, " (depends on ");
        for (size_t i = 0; i < r->depends_on.count; i++)
            sb_appendf(b, "%s%s", i ? ", " : "", r->depends_on.items[i]);
        sb_append(b, ")");
    }
    sb_appendf(b, ", %s", r->message ? r->message : "(no message)");
    (void)g;
}

void alembic_history_render(AlembicHistory *out, const AlembicGraph *g,
                            const AlembicStatus *st)
{
    memset(out, 0, sizeof *out);
    Lanes l = { NULL, 0, 0 };
    bool *drawn = xcalloc(g->count + 1, sizeof *drawn);
    for (size_t oi = 0; oi < g->norder; oi++) {
        size_t r = g->order[oi];
        const AlembicRevision *rv = &g->revs[r];
        bool ready = true;
        for (size_t j = 0; j < rv->nchildren; j++)
            ready = ready && drawn[rv->children[j]];
        StrBuf b = STRBUF_INIT;
        if (!ready) {
            /* in a cycle, or below one: no place in the drawing */
            sb_append(&b, "! ");
            describe(&b, g, rv, st, r);
            sb_append(&b, "  (in or below a cycle)");
            add_line(out, sb_take(&b), (long)r);
            continue;
        }
        drawn[r] = true;
        size_t col = l.n;
        for (size_t k = 0; k < l.n; k++)
            if (l.v[k] == r) {
                col = k;
                break;
            }
        if (col == l.n) {
            l.v = xgrow(l.v, &l.cap, l.n + 1, sizeof *l.v);
            l.v[l.n++] = r;
        }
        for (size_t k = col + 1; k < l.n;) {
            if (l.v[k] == r)
                draw_close(out, &l, col, k);
            else
                k++;
        }
        char *row = blank(l.n);
        for (size_t k = 0; k < l.n; k++)
            row[2 * k] = k == col ? '*' : '|';
        sb_append(&b, rtrim(row));
        free(row);
        sb_append(&b, " ");
        describe(&b, g, rv, st, r);
        add_line(out, sb_take(&b), (long)r);
        if (rv->nparents == 0) {
            draw_end(out, &l, col, oi + 1 < g->norder);
            continue;
        }
        l.v[col] = rv->parents[0];
        for (size_t j = 1; j < rv->nparents; j++)
            draw_open(out, &l, col + j - 1, rv->parents[j]);
    }
    free(drawn);
    free(l.v);
}

void alembic_history_free(AlembicHistory *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->count; i++)
        free(h->lines[i]);
    free(h->lines);
    free(h->rev);
    memset(h, 0, sizeof *h);
}
