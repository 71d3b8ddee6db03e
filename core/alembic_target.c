/* alembic_target.c: revisions named the way Alembic names them, and the
 * revisions below or above one (see alembic_internal.h). */
#include "alembic.h"
#include "alembic_internal.h"
#include "fsutil.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- sets of revisions --------------------------------------------- */

/* Marks r and the revisions reached from it, with an explicit stack (a
 * long history must not exhaust the call stack): down the parents and
 * dependencies, or up the children and dependents. */
static void mark(const AlembicGraph *g, bool *set, size_t r, bool up)
{
    size_t edges = 1;
    for (size_t i = 0; i < g->count; i++)
        edges += g->revs[i].nparents + g->revs[i].nchildren + 2 * g->revs[i].ndeps;
    size_t *stack = xmalloc(edges * sizeof *stack), sp = 0;   /* one push per edge */
    stack[sp++] = r;
    while (sp) {
        size_t v = stack[--sp];
        if (set[v])
            continue;
        set[v] = true;
        const AlembicRevision *rv = &g->revs[v];
        for (size_t j = 0; !up && j < rv->nparents; j++)
            stack[sp++] = rv->parents[j];
        for (size_t j = 0; !up && j < rv->ndeps; j++)
            stack[sp++] = rv->deps[j];
        for (size_t j = 0; up && j < rv->nchildren; j++)
            stack[sp++] = rv->children[j];
        for (size_t i = 0; up && i < g->count; i++)
            for (size_t j = 0; j < g->revs[i].ndeps; j++)
                if (g->revs[i].deps[j] == v && !set[i])
                    stack[sp++] = i;
    }
    free(stack);
}

void alembic_mark_below(const AlembicGraph *g, bool *set, size_t r)
{
    mark(g, set, r, false);
}

void alembic_mark_above(const AlembicGraph *g, bool *set, size_t r)
{
    mark(g, set, r, true);
}

/* ---- names ---------------------------------------------------------- */

static long find_label(const AlembicGraph *g, const char *label)
{
    for (size_t i = 0; i < g->count; i++)
        for (size_t j = 0; g->revs[i].in_graph && j < g->revs[i].branch_labels.count; j++)
            if (strcmp(g->revs[i].branch_labels.items[j], label) == 0)
                return (long)i;
    return -1;
}

char *alembic_ids_text(const AlembicGraph *g, const size_t *idx, size_t n)
{
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        sb_appendf(&b, "%s%s", i ? ", " : "", g->revs[idx[i]].revision);
    return sb_take(&b);
}

/* "label@head": the one head above the labelled revision. */
static long label_head(const AlembicGraph *g, const char *verb, const char *name, DbError *err)
{
    char *label = xstrndup(name, strlen(name) - 5);
    long l = find_label(g, label);
    long found = -1;
    size_t n = 0;
    size_t *heads = xcalloc(g->nheads + 1, sizeof *heads);
    if (l >= 0) {
        bool *above = xcalloc(g->count + 1, sizeof(bool));
        alembic_mark_above(g, above, (size_t)l);
        for (size_t i = 0; i < g->nheads; i++)
            if (above[g->heads[i]])
                heads[n++] = g->heads[i];
        free(above);
    }
    if (l < 0)
        db_error_set(err, DB_ERR_USAGE, "%s: no branch is labelled '%s'", verb, label);
    else if (n != 1) {
        char *t = alembic_ids_text(g, heads, n);
        db_error_set(err, DB_ERR_USAGE, "%s: the branch '%s' has %zu heads (%s): name one",
                     verb, label, n, t);
        free(t);
    } else
        found = (long)heads[0];
    free(heads);
    free(label);
    return found;
}

/* A revision named as Alembic names one: its id, a unique prefix of it,
 * a branch label, "label@head", or "head" (when there is one head). */
long alembic_resolve(const AlembicGraph *g, const char *verb, const char *name, DbError *err)
{
    long r = alembic_graph_find(g, name);
    if (r >= 0)
        return r;
    if (strcmp(name, "head") == 0) {
        if (g->nheads == 1)
            return (long)g->heads[0];
        char *t = alembic_ids_text(g, g->heads, g->nheads);
        db_error_set(err, DB_ERR_USAGE, "%s: the project has %zu heads (%s): name one, or "
                     "use heads", verb, g->nheads, t);
        free(t);
        return -1;
    }
    if (str_ends_with(name, "@head") && strlen(name) > 5)
        return label_head(g, verb, name, err);
    if ((r = find_label(g, name)) >= 0)
        return r;
    size_t hits = 0, len = strlen(name);
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; len && i < g->count; i++)
        if (g->revs[i].in_graph && strncmp(g->revs[i].revision, name, len) == 0) {
            sb_appendf(&b, "%s%s", hits ? ", " : "", g->revs[i].revision);
            r = (long)i;
            hits++;
        }
    if (hits == 1) {
        sb_free(&b);
        return r;
    }
    if (hits > 1)
        db_error_set(err, DB_ERR_USAGE, "%s: '%s' is the start of %zu revisions (%s): give "
                     "more of the id", verb, name, hits, sb_str(&b));
    else
        db_error_set(err, DB_ERR_USAGE, "%s: '%s' is not a revision of this project (nor the "
                     "start of one, a branch label, head or heads)", verb, name);
    sb_free(&b);
    return -1;
}
