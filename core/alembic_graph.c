/* alembic_graph.c: revisions linked into Alembic's graph, and what is
 * wrong with it (see alembic.h). */
#include "alembic.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

bool alembic_problem_fatal(AlembicProblemKind k)
{
    return k != ALEMBIC_MULTIPLE_HEADS && k != ALEMBIC_DUPLICATE_ID;
}

const char *alembic_problem_kind_name(AlembicProblemKind k)
{
    switch (k) {
    case ALEMBIC_NO_REVISION: return "no_revision";
    case ALEMBIC_BAD_ID: return "bad_id";
    case ALEMBIC_DUPLICATE_ID: return "duplicate_id";
    case ALEMBIC_MISSING_PARENT: return "missing_parent";
    case ALEMBIC_CYCLE: return "cycle";
    case ALEMBIC_MULTIPLE_HEADS: return "multiple_heads";
    case ALEMBIC_DUPLICATE_LABEL: return "duplicate_label";
    case ALEMBIC_UNREADABLE: return "unreadable";
    case ALEMBIC_UNKNOWN_CURRENT: return "unknown_current";
    }
    return "?";
}

void alembic_problem_add(AlembicProblem **arr, size_t *n, AlembicProblemKind kind,
                         const char *message, const char *const *files, size_t nfiles)
{
    *arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
    AlembicProblem *p = &(*arr)[(*n)++];
    p->kind = kind;
    p->message = xstrdup(message);
    p->files = xcalloc(nfiles ? nfiles : 1, sizeof *p->files);
    p->nfiles = nfiles;
    for (size_t i = 0; i < nfiles; i++)
        p->files[i] = xstrdup(files[i]);
}

void alembic_problems_free(AlembicProblem *arr, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(arr[i].message);
        for (size_t j = 0; j < arr[i].nfiles; j++)
            free(arr[i].files[j]);
        free(arr[i].files);
    }
    free(arr);
}

/* A problem about one file; the message is formatted and owned here. */
static void problem1(AlembicGraph *g, AlembicProblemKind kind, const char *file, char *msg)
{
    const char *files[1] = { file };
    alembic_problem_add(&g->problems, &g->nproblems, kind, msg, files, 1);
    free(msg);
}

static void push_index(size_t **arr, size_t *n, size_t v)
{
    *arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
    (*arr)[(*n)++] = v;
}

/* ---- ids ------------------------------------------------------------ */

static int cmp_by_id(const void *a, const void *b, void *ctx)
{
    const AlembicGraph *g = ctx;
    return strcmp(g->revs[*(const size_t *)a].revision, g->revs[*(const size_t *)b].revision);
}

long alembic_graph_find(const AlembicGraph *g, const char *id)
{
    size_t lo = 0, hi = g->nby_id;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(g->revs[g->by_id[mid]].revision, id);
        if (c == 0)
            return (long)g->by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static long find_label(const AlembicGraph *g, const char *label)
{
    for (size_t i = 0; i < g->count; i++) {
        const AlembicRevision *r = &g->revs[i];
        if (!r->in_graph)
            continue;
        for (size_t j = 0; j < r->branch_labels.count; j++)
            if (strcmp(r->branch_labels.items[j], label) == 0)
                return (long)i;
    }
    return -1;
}

static const char *bad_id_reason(const AlembicRevision *r)
{
    if (!r->revision_is_str)
        return "is not a string";
    if (!*r->revision)
        return "is empty";
    for (const unsigned char *s = (const unsigned char *)r->revision; *s; s++) {
        if (*s <= ' ' || *s == 0x7f)
            return "contains a space or a control character";
        if (*s == '@' || *s == '-' || *s == '+')
            return "contains @, - or +, which Alembic refuses in an id";
        if (*s == ':')
            return "contains ':', Alembic's range separator";
    }
    return "is one of Alembic's reserved names (head, heads, base, current)";
}

/* Each file: its own problems, and whether it joins the graph. */
static void check_files(AlembicGraph *g)
{
    for (size_t i = 0; i < g->count; i++) {
        AlembicRevision *r = &g->revs[i];
        if (r->unreadable)
            problem1(g, ALEMBIC_UNREADABLE, r->file,
                     xasprintf("%s: %s", base_name(r->file), r->unreadable));
        if (!r->revision && r->unreadable)
            continue;   /* the reason is the problem already reported */
        if (!r->revision) {
            problem1(g, ALEMBIC_NO_REVISION, r->file,
                     xasprintf("%s defines no revision; Alembic stops on it. Add "
                               "revision = \"<id>\" or move the file out of the versions "
                               "folder", base_name(r->file)));
            continue;
        }
        if (!alembic_id_ok(r->revision) || !r->revision_is_str)
            problem1(g, ALEMBIC_BAD_ID, r->file,
                     xasprintf("%s:%d: revision id '%s' %s; give it an id of letters and "
                               "digits", base_name(r->file), r->line, r->revision,
                               bad_id_reason(r)));
        r->in_graph = r->revision_is_str && *r->revision;
    }
    /* one id, several files: the last one read keeps it */
    size_t *idx = NULL, n = 0;
    for (size_t i = 0; i < g->count; i++)
        if (g->revs[i].in_graph)
            push_index(&idx, &n, i);
    if (n)
        qsort_r(idx, n, sizeof *idx, cmp_by_id, g);
    size_t kept = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && strcmp(g->revs[idx[j]].revision, g->revs[idx[i]].revision) == 0)
            j++;
        /* Alembic's RevisionMap keeps the last file it reads (files are
         * in its reading order) */
        size_t keep = idx[i];
        for (size_t k = i + 1; k < j; k++)
            if (idx[k] > keep)
                keep = idx[k];
        if (j - i > 1) {
            const char **files = xcalloc(j - i, sizeof *files);
            StrBuf names = STRBUF_INIT;
            for (size_t k = i; k < j; k++) {
                files[k - i] = g->revs[idx[k]].file;
                sb_appendf(&names, "%s%s", k > i ? ", " : "", base_name(g->revs[idx[k]].file));
                if (idx[k] != keep)
                    g->revs[idx[k]].in_graph = false;
            }
            char *msg = xasprintf("revision id '%s' is defined by %zu files (%s); Alembic "
                                  "uses the last one it reads (%s) and its commands fail "
                                  "or show the others as extra heads: give each its own id",
                                  g->revs[keep].revision, j - i, sb_str(&names),
                                  base_name(g->revs[keep].file));
            alembic_problem_add(&g->problems, &g->nproblems, ALEMBIC_DUPLICATE_ID, msg,
                                files, j - i);
            free(msg);
            sb_free(&names);
            free(files);
        }
        idx[kept++] = keep;
        i = j;
    }
    g->by_id = idx;
    g->nby_id = kept;
    if (kept)
        qsort_r(idx, kept, sizeof *idx, cmp_by_id, g);
}

static void check_labels(AlembicGraph *g)
{
    for (size_t i = 0; i < g->count; i++) {
        const AlembicRevision *r = &g->revs[i];
        if (!r->in_graph)
            continue;
        for (size_t j = 0; j < r->branch_labels.count; j++) {
            const char *label = r->branch_labels.items[j];
            long other = find_label(g, label);
            long as_id = alembic_graph_find(g, label);
            if (other >= 0 && (size_t)other != i) {
                if ((size_t)other > i)
                    continue;   /* reported once, from the later file */
                const char *files[2] = { g->revs[other].file, r->file };
                char *msg = xasprintf("branch label '%s' is used by %s and %s; Alembic "
                                      "refuses a label used twice: rename one", label,
                                      base_name(files[0]), base_name(files[1]));
                alembic_problem_add(&g->problems, &g->nproblems, ALEMBIC_DUPLICATE_LABEL,
                                    msg, files, 2);
                free(msg);
            } else if (as_id >= 0) {
                const char *files[2] = { r->file, g->revs[as_id].file };
                char *msg = xasprintf("branch label '%s' in %s is also a revision id (%s); "
                                      "rename the label", label, base_name(r->file),
                                      base_name(g->revs[as_id].file));
                alembic_problem_add(&g->problems, &g->nproblems, ALEMBIC_DUPLICATE_LABEL,
                                    msg, files, (size_t)as_id == i ? 1 : 2);
                free(msg);
            }
        }
    }
}

/* Parents, children and dependencies; missing ones are problems. */
static void link(AlembicGraph *g)
{
    for (size_t i = 0; i < g->count; i++) {
        AlembicRevision *r = &g->revs[i];
        if (!r->in_graph)
            continue;
        for (size_t j = 0; j < r->down.count; j++) {
            long p = alembic_graph_find(g, r->down.items[j]);
            if (p < 0) {
                problem1(g, ALEMBIC_MISSING_PARENT, r->file,
                         xasprintf("%s: down_revision '%s' of %s is not defined by any "
                                   "file; restore that file or correct the id",
                                   base_name(r->file), r->down.items[j], r->revision));
                continue;
            }
            push_index(&r->parents, &r->nparents, (size_t)p);
            push_index(&g->revs[p].children, &g->revs[p].nchildren, i);
        }
        for (size_t j = 0; j < r->depends_on.count; j++) {
            long p = alembic_graph_find(g, r->depends_on.items[j]);
            if (p < 0)
                p = find_label(g, r->depends_on.items[j]);
            if (p < 0) {
                problem1(g, ALEMBIC_MISSING_PARENT, r->file,
                         xasprintf("%s: depends_on '%s' of %s is neither a revision nor a "
                                   "branch label of any file; correct it",
                                   base_name(r->file), r->depends_on.items[j], r->revision));
                continue;
            }
            push_index(&r->deps, &r->ndeps, (size_t)p);
        }
    }
}

/* ---- cycles (Tarjan's strongly connected components) ----------------- */

typedef struct Tarjan {
    AlembicGraph *g;
    long   *index, *low;
    bool   *on_stack;
    size_t *stack, sp;
    long    next;
} Tarjan;

/* deps: some edge of the cycle is a depends_on (Alembic raises
 * DependencyCycleDetected, or DependencyLoopDetected for one revision);
 * else it is CycleDetected (LoopDetected). */
static void report_cycle(AlembicGraph *g, const size_t *members, size_t n, bool deps)
{
    const char **files = xcalloc(n, sizeof *files);
    StrBuf ids = STRBUF_INIT;
    for (size_t k = 0; k < n; k++) {
        files[k] = g->revs[members[k]].file;
        sb_appendf(&ids, "%s%s", k ? " -> " : "", g->revs[members[k]].revision);
    }
    sb_appendf(&ids, " -> %s", g->revs[members[0]].revision);
    char *msg = n == 1 && deps
        ? xasprintf("revision %s depends on itself (depends_on): Alembic refuses it; remove "
                    "it from its depends_on", g->revs[members[0]].revision)
        : xasprintf("revisions %s form a cycle through %s: each is its own ancestor, so "
                    "Alembic cannot order them; correct the %s of one of them", sb_str(&ids),
                    deps ? "down_revision and depends_on" : "down_revision",
                    deps ? "down_revision or depends_on" : "down_revision");
    alembic_problem_add(&g->problems, &g->nproblems, ALEMBIC_CYCLE, msg, files, n);
    free(msg);
    sb_free(&ids);
    free(files);
}

/* Edge j of v: its parents, then its depends_on revisions. */
static size_t edge(const AlembicRevision *r, size_t j)
{
    return j < r->nparents ? r->parents[j] : r->deps[j - r->nparents];
}

static void strongconnect(Tarjan *t, size_t v)
{
    AlembicRevision *r = &t->g->revs[v];
    t->index[v] = t->low[v] = t->next++;
    t->stack[t->sp++] = v;
    t->on_stack[v] = true;
    bool self = false;
    for (size_t j = 0; j < r->nparents + r->ndeps; j++) {
        size_t w = edge(r, j);
        if (w == v)
            self = true;
        if (t->index[w] < 0) {
            strongconnect(t, w);
            if (t->low[w] < t->low[v])
                t->low[v] = t->low[w];
        } else if (t->on_stack[w] && t->index[w] < t->low[v]) {
            t->low[v] = t->index[w];
        }
    }
    if (t->low[v] != t->index[v])
        return;
    size_t start = t->sp;
    do {
        start--;
        t->on_stack[t->stack[start]] = false;
    } while (t->stack[start] != v);
    size_t n = t->sp - start;
    if (n > 1 || self) {
        /* a depends_on edge inside the component makes it a dependency
         * cycle; the stack holds them parent-last, listed child first */
        bool deps = false;
        for (size_t k = start; k < t->sp && !deps; k++) {
            const AlembicRevision *m = &t->g->revs[t->stack[k]];
            for (size_t j = 0; j < m->ndeps && !deps; j++)
                for (size_t q = start; q < t->sp && !deps; q++)
                    deps = m->deps[j] == t->stack[q];
        }
        report_cycle(t->g, t->stack + start, n, deps);
    }
    t->sp = start;
}

static void find_cycles(AlembicGraph *g)
{
    size_t n = g->count;
    Tarjan t = { g, xcalloc(n + 1, sizeof(long)), xcalloc(n + 1, sizeof(long)),
                 xcalloc(n + 1, sizeof(bool)), xcalloc(n + 1, sizeof(size_t)), 0, 0 };
    for (size_t i = 0; i < n; i++)
        t.index[i] = -1;
    for (size_t i = 0; i < n; i++)
        if (g->revs[i].in_graph && t.index[i] < 0)
            strongconnect(&t, i);
    free(t.index);
    free(t.low);
    free(t.on_stack);
    free(t.stack);
}

/* ---- order ---------------------------------------------------------- */

/* Newer first: by create date when both have one, else by file name. */
static int newer_first(const AlembicRevision *a, const AlembicRevision *b)
{
    if (a->create_date && b->create_date) {
        int c = strcmp(b->create_date, a->create_date);
        if (c)
            return c;
    }
    return strcmp(b->file, a->file);
}

static int cmp_newer(const void *x, const void *y, void *ctx)
{
    const AlembicGraph *g = ctx;
    return newer_first(&g->revs[*(const size_t *)x], &g->revs[*(const size_t *)y]);
}

/* History order: children before parents; one branch followed down to
 * where it joins another before the next is taken up (lanes, as the
 * history drawing uses them). */
static void order(AlembicGraph *g)
{
    size_t n = g->count;
    size_t *left = xcalloc(n + 1, sizeof *left);   /* children not yet listed */
    bool *done = xcalloc(n + 1, sizeof *done);
    size_t edges = 0;
    for (size_t i = 0; i < n; i++) {
        left[i] = g->revs[i].nchildren;
        edges += g->revs[i].nparents;
    }
    /* a lane per head plus one per extra parent, at most */
    size_t *lanes = xcalloc(n + edges + 2, sizeof *lanes), nl = 0;
    size_t next_head = 0;
    for (;;) {
        long pick = -1;
        for (size_t k = 0; k < nl && pick < 0; k++)
            if (!done[lanes[k]] && left[lanes[k]] == 0)
                pick = (long)lanes[k];
        while (pick < 0 && next_head < g->nheads) {
            size_t h = g->heads[next_head++];
            if (!done[h])
                pick = (long)h;
        }
        if (pick < 0)
            break;
        size_t r = (size_t)pick;
        const AlembicRevision *rv = &g->revs[r];
        done[r] = true;
        push_index(&g->order, &g->norder, r);
        /* lanes: r's first lane becomes its first parent, other lanes
         * waiting for r close, further parents open lanes after it */
        size_t col = nl;
        for (size_t k = 0; k < nl; k++)
            if (lanes[k] == r) {
                col = k;
                break;
            }
        if (col == nl)
            lanes[nl++] = r;
        size_t w = 0;
        for (size_t k = 0; k < nl; k++)
            if (lanes[k] != r || k == col)
                lanes[w++] = lanes[k];
            else if (k < col)
                col--;
        nl = w;
        for (size_t j = 0; j < rv->nparents; j++)
            left[rv->parents[j]]--;
        if (rv->nparents == 0) {
            memmove(lanes + col, lanes + col + 1, (nl - col - 1) * sizeof *lanes);
            nl--;
        } else {
            lanes[col] = rv->parents[0];
            size_t extra = rv->nparents - 1;
            memmove(lanes + col + 1 + extra, lanes + col + 1, (nl - col - 1) * sizeof *lanes);
            for (size_t j = 0; j < extra; j++)
                lanes[col + 1 + j] = rv->parents[1 + j];
            nl += extra;
        }
    }
    /* what is left is in a cycle, or below one */
    for (size_t i = 0; i < n; i++)
        if (g->revs[i].in_graph && !done[i])
            push_index(&g->order, &g->norder, i);
    free(left);
    free(done);
    free(lanes);
}

void alembic_graph_build(AlembicGraph *g, AlembicRevision *revs, size_t count)
{
    memset(g, 0, sizeof *g);
    g->revs = revs;
    g->count = count;
    check_files(g);
    check_labels(g);
    link(g);
    for (size_t i = 0; i < count; i++) {
        AlembicRevision *r = &revs[i];
        if (!r->in_graph)
            continue;
        r->is_base = r->down.count == 0;
        r->is_merge = r->down.count > 1;
        r->is_branchpoint = r->nchildren > 1;
        r->is_head = r->nchildren == 0;
        if (r->is_head)
            push_index(&g->heads, &g->nheads, i);
        if (r->is_base)
            push_index(&g->bases, &g->nbases, i);
    }
    if (g->nheads)
        qsort_r(g->heads, g->nheads, sizeof *g->heads, cmp_newer, g);
    find_cycles(g);
    order(g);
    /* heads and bases in history order */
    size_t nh = 0, nb = 0;
    for (size_t k = 0; k < g->norder; k++) {
        const AlembicRevision *r = &revs[g->order[k]];
        if (r->is_head)
            g->heads[nh++] = g->order[k];
        if (r->is_base)
            g->bases[nb++] = g->order[k];
    }
    if (g->nheads > 1) {
        const char **files = xcalloc(g->nheads, sizeof *files);
        StrBuf ids = STRBUF_INIT;
        for (size_t k = 0; k < g->nheads; k++) {
            files[k] = revs[g->heads[k]].file;
            sb_appendf(&ids, "%s%s", k ? ", " : "", revs[g->heads[k]].revision);
        }
        char *msg = xasprintf("%zu heads (%s): `alembic upgrade head` refuses to choose; "
                              "join them with `alembic merge heads`, or upgrade to 'heads'",
                              g->nheads, sb_str(&ids));
        alembic_problem_add(&g->problems, &g->nproblems, ALEMBIC_MULTIPLE_HEADS, msg, files,
                            g->nheads);
        free(msg);
        sb_free(&ids);
        free(files);
    }
}

void alembic_graph_free(AlembicGraph *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->count; i++)
        alembic_revision_free(&g->revs[i]);
    free(g->revs);
    free(g->order);
    free(g->heads);
    free(g->bases);
    free(g->by_id);
    alembic_problems_free(g->problems, g->nproblems);
    memset(g, 0, sizeof *g);
}
