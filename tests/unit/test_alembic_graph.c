/* test_alembic_graph.c: the revision graph, its problems (each kind, with
 * the files involved), applied/pending from current revisions, the
 * history drawing. */
#include "alembic.h"
#include "strv.h"
#include "test.h"
#include "xalloc.h"

#include <stdlib.h>

typedef struct Src {
    const char *file;
    const char *text;
} Src;

static void build(AlembicGraph *g, const Src *src, size_t n)
{
    AlembicRevision *revs = xcalloc(n + 1, sizeof *revs);
    for (size_t i = 0; i < n; i++)
        alembic_revision_parse(&revs[i], src[i].file, src[i].text, strlen(src[i].text));
    alembic_graph_build(g, revs, n);
}

static const AlembicProblem *find_problem(const AlembicGraph *g, AlembicProblemKind k,
                                          size_t nth)
{
    for (size_t i = 0; i < g->nproblems; i++)
        if (g->problems[i].kind == k && nth-- == 0)
            return &g->problems[i];
    return NULL;
}

static size_t count_problems(const AlembicGraph *g, AlembicProblemKind k)
{
    size_t n = 0;
    for (size_t i = 0; i < g->nproblems; i++)
        n += g->problems[i].kind == k;
    return n;
}

static bool has_file(const AlembicProblem *p, const char *file)
{
    for (size_t i = 0; p && i < p->nfiles; i++)
        if (strcmp(p->files[i], file) == 0)
            return true;
    return false;
}

static const char *id_at(const AlembicGraph *g, size_t k)
{
    return g->revs[g->order[k]].revision;
}

/* a1 <- b2 <- {c3a (billing), c3b} <- d4 (merge) <- e5 */
static const Src project[] = {
    { "v/a1_users.py", "\"\"\"users\n\nCreate Date: 2024-01-01 00:00:01\n\"\"\"\n"
                       "revision = 'a1'\ndown_revision = None\n" },
    { "v/b2_projects.py", "\"\"\"projects\n\nCreate Date: 2024-01-02 00:00:01\n\"\"\"\n"
                          "revision = 'b2'\ndown_revision = 'a1'\n" },
    { "v/c3a_invoices.py", "\"\"\"invoices\n\nCreate Date: 2024-01-03 00:00:01\n\"\"\"\n"
                           "revision = 'c3a'\ndown_revision = 'b2'\n"
                           "branch_labels = ('billing',)\n" },
    { "v/c3b_audit.py", "\"\"\"audit\n\nCreate Date: 2024-01-03 00:00:02\n\"\"\"\n"
                        "revision: str = 'c3b'\ndown_revision: Union[str, None] = 'b2'\n"
                        "depends_on = 'billing'\n" },
    { "v/d4_merge.py", "\"\"\"merge\n\nCreate Date: 2024-01-04 00:00:01\n\"\"\"\n"
                       "revision = 'd4'\ndown_revision = ('c3a', 'c3b')\n" },
    { "v/e5_jobs.py", "\"\"\"jobs\n\nCreate Date: 2024-01-05 00:00:01\n\"\"\"\n"
                      "revision = 'e5'\ndown_revision = 'd4'\n" },
};

static void test_good_graph(void)
{
    AlembicGraph g;
    build(&g, project, 6);
    CHECK(g.nproblems == 0);
    for (size_t i = 0; i < g.nproblems; i++)
        fprintf(stderr, "  unexpected: %s\n", g.problems[i].message);
    CHECK(g.nheads == 1 && strcmp(g.revs[g.heads[0]].revision, "e5") == 0);
    CHECK(g.nbases == 1 && strcmp(g.revs[g.bases[0]].revision, "a1") == 0);
    CHECK(g.norder == 6);
    if (g.norder == 6) {
        CHECK_STR(id_at(&g, 0), "e5");
        CHECK_STR(id_at(&g, 1), "d4");
        CHECK_STR(id_at(&g, 4), "b2");
        CHECK_STR(id_at(&g, 5), "a1");
    }
    long d4 = alembic_graph_find(&g, "d4"), b2 = alembic_graph_find(&g, "b2");
    long c3b = alembic_graph_find(&g, "c3b"), c3a = alembic_graph_find(&g, "c3a");
    CHECK(d4 >= 0 && g.revs[d4].is_merge && g.revs[d4].nparents == 2);
    CHECK(b2 >= 0 && g.revs[b2].is_branchpoint && g.revs[b2].nchildren == 2);
    CHECK(c3b >= 0 && g.revs[c3b].ndeps == 1 && (long)g.revs[c3b].deps[0] == c3a);
    CHECK(alembic_graph_find(&g, "nope") == -1);
    alembic_graph_free(&g);
}

static void test_status(void)
{
    AlembicGraph g;
    build(&g, project, 6);
    AlembicStatus st;
    alembic_status_from_current(&st, &g, NULL, 0);
    CHECK(st.napplied == 0 && st.npending == 6 && st.ncurrent == 0);
    alembic_status_free(&st);

    const char *one[] = { "c3a" };
    alembic_status_from_current(&st, &g, one, 1);
    CHECK(st.napplied == 3 && st.npending == 3);
    CHECK(st.applied[alembic_graph_find(&g, "b2")]);
    CHECK(!st.applied[alembic_graph_find(&g, "c3b")]);
    CHECK(alembic_is_current(&st, "c3a") && !alembic_is_current(&st, "b2"));
    alembic_status_free(&st);

    /* c3b depends on the billing branch: c3a comes with it */
    const char *dep[] = { "c3b" };
    alembic_status_from_current(&st, &g, dep, 1);
    CHECK(st.napplied == 4 && st.applied[alembic_graph_find(&g, "c3a")]);
    alembic_status_free(&st);

    const char *two[] = { "c3b", "c3a", "c3a" };
    alembic_status_from_current(&st, &g, two, 3);
    CHECK(st.ncurrent == 2 && strcmp(st.current[0], "c3a") == 0);
    CHECK(st.napplied == 4 && st.npending == 2);
    alembic_status_free(&st);

    const char *all[] = { "e5" };
    alembic_status_from_current(&st, &g, all, 1);
    CHECK(st.napplied == 6 && st.npending == 0 && st.nproblems == 0);
    alembic_status_free(&st);

    const char *gone[] = { "zz9" };
    alembic_status_from_current(&st, &g, gone, 1);
    CHECK(st.nproblems == 1 && st.problems[0].kind == ALEMBIC_UNKNOWN_CURRENT);
    CHECK_CONTAINS(st.problems[0].message, "'zz9'");
    alembic_status_free(&st);
    alembic_graph_free(&g);
}

static void test_history(void)
{
    AlembicGraph g;
    build(&g, project, 6);
    const char *cur[] = { "c3a" };
    AlembicStatus st;
    alembic_status_from_current(&st, &g, cur, 1);
    AlembicHistory h;
    alembic_history_render(&h, &g, &st);
    const char *want[] = {
        "* e5 (head) [pending] <- d4, jobs",
        "* d4 (mergepoint) [pending] <- c3a, c3b, merge",
        "|\\",
        "* | c3a (current, billing) [applied] <- b2, invoices",
        "| * c3b [pending] <- b2 (depends on billing), audit",
        "|/",
        "* b2 (branchpoint) [applied] <- a1, projects",
        "* a1 (base) [applied] <- <base>, users",
    };
    size_t n = sizeof want / sizeof want[0];
    CHECK(h.count == n);
    for (size_t i = 0; i < h.count && i < n; i++)
        CHECK_STR(h.lines[i], want[i]);
    CHECK(h.rev[2] == -1 && h.rev[0] == alembic_graph_find(&g, "e5"));
    alembic_history_free(&h);
    /* without a status: no state, no current */
    alembic_history_render(&h, &g, NULL);
    CHECK_STR(h.lines[0], "* e5 (head) <- d4, jobs");
    alembic_history_free(&h);
    alembic_status_free(&st);
    alembic_graph_free(&g);
}

static void test_history_two_heads_two_bases(void)
{
    static const Src src[] = {
        { "v/p1.py", "revision = 'p1'\n" },
        { "v/p2.py", "revision = 'p2'\ndown_revision = 'p1'\n" },
        { "v/q1.py", "revision = 'q1'\n" },
        { "v/q2.py", "revision = 'q2'\ndown_revision = 'q1'\n" },
        { "v/r3.py", "revision = 'r3'\ndown_revision = 'p1'\n" },
    };
    AlembicGraph g;
    build(&g, src, 5);
    AlembicHistory h;
    alembic_history_render(&h, &g, NULL);
    size_t rows = 0;
    for (size_t i = 0; i < h.count; i++)
        rows += h.rev[i] >= 0;
    CHECK(rows == 5);
    CHECK(g.nheads == 3 && g.nbases == 2);
    /* every revision row is drawn once, and every line is non-empty */
    for (size_t i = 0; i < h.count; i++)
        fprintf(stderr, "    %s\n", h.lines[i]);
    /* a base that is not the last row is followed by a drawing line, so
     * that the next revision does not look like its parent */
    long q1 = alembic_graph_find(&g, "q1");
    for (size_t i = 0; i + 1 < h.count; i++)
        if (h.rev[i] == q1)
            CHECK(h.rev[i + 1] == -1);
    alembic_history_free(&h);
    alembic_graph_free(&g);
}

static void test_missing_parent(void)
{
    static const Src src[] = {
        { "v/a.py", "revision = 'a'\n" },
        { "v/b.py", "revision = 'b'\ndown_revision = 'zzz'\n" },
        { "v/c.py", "revision = 'c'\ndown_revision = 'a'\ndepends_on = ('nolabel',)\n" },
    };
    AlembicGraph g;
    build(&g, src, 3);
    CHECK(count_problems(&g, ALEMBIC_MISSING_PARENT) == 2);
    const AlembicProblem *p = find_problem(&g, ALEMBIC_MISSING_PARENT, 0);
    CHECK(p && p->nfiles == 1 && has_file(p, "v/b.py"));
    CHECK_CONTAINS(p ? p->message : NULL, "'zzz'");
    p = find_problem(&g, ALEMBIC_MISSING_PARENT, 1);
    CHECK(p && has_file(p, "v/c.py"));
    CHECK_CONTAINS(p ? p->message : NULL, "depends_on 'nolabel'");
    /* b has no parent in the graph: a head and not a base */
    long b = alembic_graph_find(&g, "b");
    CHECK(b >= 0 && g.revs[b].is_head && !g.revs[b].is_base);
    alembic_graph_free(&g);
}

static void test_cycle(void)
{
    static const Src src[] = {
        { "v/base.py", "revision = 'r0'\n" },
        { "v/x.py", "revision = 'x'\ndown_revision = 'z'\n" },
        { "v/y.py", "revision = 'y'\ndown_revision = 'x'\n" },
        { "v/z.py", "revision = 'z'\ndown_revision = 'y'\n" },
        { "v/self.py", "revision = 's'\ndown_revision = 's'\n" },
        { "v/below.py", "revision = 'w'\ndown_revision = 'r0'\n" },
    };
    AlembicGraph g;
    build(&g, src, 6);
    CHECK(count_problems(&g, ALEMBIC_CYCLE) == 2);
    const AlembicProblem *p = NULL;
    for (size_t k = 0; k < 2; k++) {
        const AlembicProblem *q = find_problem(&g, ALEMBIC_CYCLE, k);
        if (q && q->nfiles == 3)
            p = q;
    }
    CHECK(p && has_file(p, "v/x.py") && has_file(p, "v/y.py") && has_file(p, "v/z.py"));
    CHECK(p && !has_file(p, "v/base.py"));
    CHECK_CONTAINS(p ? p->message : NULL, "cycle");
    const AlembicProblem *s = find_problem(&g, ALEMBIC_CYCLE, 0);
    if (s && s->nfiles != 1)
        s = find_problem(&g, ALEMBIC_CYCLE, 1);
    CHECK(s && s->nfiles == 1 && has_file(s, "v/self.py"));
    /* every revision still gets a line in the history */
    CHECK(g.norder == 6);
    AlembicHistory h;
    alembic_history_render(&h, &g, NULL);
    size_t cyc = 0;
    for (size_t i = 0; i < h.count; i++)
        cyc += strstr(h.lines[i], "cycle") != NULL;
    CHECK(cyc == 4);
    alembic_history_free(&h);
    alembic_graph_free(&g);
}

static void test_multiple_heads(void)
{
    static const Src src[] = {
        { "v/a.py", "revision = 'a'\n" },
        { "v/b.py", "revision = 'b'\ndown_revision = 'a'\n" },
        { "v/c.py", "revision = 'c'\ndown_revision = 'a'\n" },
    };
    AlembicGraph g;
    build(&g, src, 3);
    CHECK(g.nheads == 2);
    CHECK(count_problems(&g, ALEMBIC_MULTIPLE_HEADS) == 1);
    const AlembicProblem *p = find_problem(&g, ALEMBIC_MULTIPLE_HEADS, 0);
    CHECK(p && p->nfiles == 2 && has_file(p, "v/b.py") && has_file(p, "v/c.py"));
    CHECK_CONTAINS(p ? p->message : NULL, "alembic merge heads");
    alembic_graph_free(&g);
}

static void test_duplicate_id(void)
{
    /* files in Alembic's reading order: its RevisionMap keeps the last
     * file read for an id (a warning, "Revision dup is present more than
     * once") */
    static const Src src[] = {
        { "v/0_base.py", "revision = 'b0'\ndown_revision = None\n" },
        { "v/1_first.py", "revision = 'dup'\ndown_revision = None\n" },
        { "v/2_second.py", "revision = 'dup'\ndown_revision = 'b0'\n" },
        { "v/3_child.py", "revision = 'k'\ndown_revision = 'dup'\n" },
    };
    AlembicGraph g;
    build(&g, src, 4);
    CHECK(count_problems(&g, ALEMBIC_DUPLICATE_ID) == 1);
    const AlembicProblem *p = find_problem(&g, ALEMBIC_DUPLICATE_ID, 0);
    CHECK(p && p->nfiles == 2 && has_file(p, "v/1_first.py") && has_file(p, "v/2_second.py"));
    CHECK_CONTAINS(p ? p->message : NULL, "'dup'");
    CHECK_CONTAINS(p ? p->message : NULL, "the last one it reads (2_second.py)");
    /* the last file keeps the id: one line b0 <- dup <- k, one base */
    CHECK(alembic_graph_find(&g, "dup") == 2);
    CHECK(!g.revs[1].in_graph && g.revs[2].in_graph);
    CHECK(g.nbases == 1 && g.nheads == 1);
    CHECK(g.revs[2].nparents == 1 && g.revs[2].parents[0] == 0);
    CHECK(count_problems(&g, ALEMBIC_CYCLE) == 0);
    alembic_graph_free(&g);
}

static void test_dependency_cycles(void)
{
    /* Alembic: DependencyCycleDetected, DependencyLoopDetected */
    static const Src src[] = {
        { "v/a0.py", "revision = 'a0'\ndown_revision = None\n" },
        { "v/b1.py", "revision = 'b1'\ndown_revision = 'a0'\ndepends_on = 'c2'\n" },
        { "v/c2.py", "revision = 'c2'\ndown_revision = 'b1'\n" },
        { "v/d3.py", "revision = 'd3'\ndown_revision = 'a0'\ndepends_on = ('d3',)\n" },
        { "v/e4.py", "revision = 'e4'\ndown_revision = 'a0'\nbranch_labels = 'lab'\n"
                     "depends_on = 'f5'\n" },
        { "v/f5.py", "revision = 'f5'\ndown_revision = 'a0'\ndepends_on = 'lab'\n" },
        { "v/g6.py", "revision = 'g6'\ndown_revision = 'a0'\ndepends_on = 'b1'\n" },
    };
    AlembicGraph g;
    build(&g, src, 7);
    CHECK(count_problems(&g, ALEMBIC_CYCLE) == 3);
    const AlembicProblem *p;
    bool bc = false, d = false, ef = false;
    for (size_t i = 0; (p = find_problem(&g, ALEMBIC_CYCLE, i)) != NULL; i++) {
        if (has_file(p, "v/b1.py") && has_file(p, "v/c2.py") && p->nfiles == 2) {
            bc = true;
            CHECK_CONTAINS(p->message, "through down_revision and depends_on");
        }
        if (has_file(p, "v/d3.py") && p->nfiles == 1) {
            d = true;
            CHECK_CONTAINS(p->message, "d3 depends on itself");
        }
        ef = ef || (has_file(p, "v/e4.py") && has_file(p, "v/f5.py") && p->nfiles == 2);
    }
    CHECK(bc && d && ef);
    alembic_graph_free(&g);
}

static void test_bad_ids(void)
{
    static const Src src[] = {
        { "v/dash.py", "revision = 'ab-cd'\n" },
        { "v/space.py", "revision = 'ab cd'\n" },
        { "v/empty.py", "revision = ''\n" },
        { "v/number.py", "revision = 42\n" },
        { "v/reserved.py", "revision = 'head'\n" },
        { "v/none.py", "revision = None\n" },
        { "v/ok.py", "revision = 'fine_1'\n" },
    };
    AlembicGraph g;
    build(&g, src, 7);
    CHECK(count_problems(&g, ALEMBIC_BAD_ID) == 6);
    const char *files[] = { "v/dash.py", "v/space.py", "v/empty.py", "v/number.py",
                            "v/reserved.py", "v/none.py" };
    for (size_t i = 0; i < 6; i++) {
        const AlembicProblem *p = find_problem(&g, ALEMBIC_BAD_ID, i);
        CHECK(p && p->nfiles == 1 && has_file(p, files[i]));
    }
    CHECK_CONTAINS(find_problem(&g, ALEMBIC_BAD_ID, 0)->message, "@, - or +");
    CHECK_CONTAINS(find_problem(&g, ALEMBIC_BAD_ID, 1)->message, "space");
    CHECK_CONTAINS(find_problem(&g, ALEMBIC_BAD_ID, 2)->message, "is empty");
    CHECK_CONTAINS(find_problem(&g, ALEMBIC_BAD_ID, 3)->message, "not a string");
    CHECK_CONTAINS(find_problem(&g, ALEMBIC_BAD_ID, 4)->message, "reserved");
    CHECK_CONTAINS(find_problem(&g, ALEMBIC_BAD_ID, 0)->message, "dash.py:1:");
    alembic_graph_free(&g);
}

static void test_no_revision_and_unreadable(void)
{
    static const Src src[] = {
        { "v/helpers.py", "\"\"\"shared helpers\"\"\"\nimport os\n" },
        { "v/computed.py", "revision = 'ok1'\ndown_revision = make()\n" },
        { "v/ok0.py", "revision = 'ok0'\ndown_revision = None\n" },
    };
    AlembicGraph g;
    build(&g, src, 3);
    const AlembicProblem *p = find_problem(&g, ALEMBIC_NO_REVISION, 0);
    CHECK(count_problems(&g, ALEMBIC_NO_REVISION) == 1);
    CHECK(p && p->nfiles == 1 && has_file(p, "v/helpers.py"));
    CHECK_CONTAINS(p ? p->message : NULL, "helpers.py defines no revision");
    p = find_problem(&g, ALEMBIC_UNREADABLE, 0);
    CHECK(p && has_file(p, "v/computed.py"));
    CHECK_CONTAINS(p ? p->message : NULL, "down_revision at line 2");
    alembic_graph_free(&g);
}

static void test_labels(void)
{
    static const Src src[] = {
        { "v/a.py", "revision = 'a'\nbranch_labels = 'shared'\n" },
        { "v/b.py", "revision = 'b'\nbranch_labels = ['shared']\n" },
        { "v/c.py", "revision = 'c'\nbranch_labels = ('a',)\n" },
    };
    AlembicGraph g;
    build(&g, src, 3);
    CHECK(count_problems(&g, ALEMBIC_DUPLICATE_LABEL) == 2);
    const AlembicProblem *p = find_problem(&g, ALEMBIC_DUPLICATE_LABEL, 0);
    CHECK(p && has_file(p, "v/a.py") && has_file(p, "v/b.py"));
    p = find_problem(&g, ALEMBIC_DUPLICATE_LABEL, 1);
    CHECK(p && has_file(p, "v/c.py") && has_file(p, "v/a.py"));
    alembic_graph_free(&g);
}

static void test_empty(void)
{
    AlembicGraph g;
    alembic_graph_build(&g, xcalloc(1, sizeof(AlembicRevision)), 0);
    CHECK(g.nproblems == 0 && g.nheads == 0 && g.norder == 0);
    AlembicHistory h;
    alembic_history_render(&h, &g, NULL);
    CHECK(h.count == 0);
    alembic_history_free(&h);
    alembic_graph_free(&g);
}

static void test_kind_names(void)
{
    CHECK_STR(alembic_problem_kind_name(ALEMBIC_MISSING_PARENT), "missing_parent");
    CHECK_STR(alembic_problem_kind_name(ALEMBIC_CYCLE), "cycle");
    CHECK_STR(alembic_problem_kind_name(ALEMBIC_MULTIPLE_HEADS), "multiple_heads");
    CHECK_STR(alembic_problem_kind_name(ALEMBIC_DUPLICATE_ID), "duplicate_id");
    CHECK_STR(alembic_problem_kind_name(ALEMBIC_BAD_ID), "bad_id");
    CHECK_STR(alembic_problem_kind_name(ALEMBIC_NO_REVISION), "no_revision");
}

static void test_split_command(void)
{
    char **v;
    size_t n;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_split_command("docker compose exec -T api alembic", &v, &n, &err) == 0);
    CHECK(n == 6 && strcmp(v[0], "docker") == 0 && strcmp(v[5], "alembic") == 0 && !v[6]);
    strv_free(v);
    CHECK(alembic_split_command("  '/opt/my app/bin/alembic'  --name \"x \\\"y\\\" $z\" a\\ b ''",
                                &v, &n, &err) == 0);
    CHECK(n == 5);
    if (n == 5) {
        CHECK_STR(v[0], "/opt/my app/bin/alembic");
        CHECK_STR(v[1], "--name");
        CHECK_STR(v[2], "x \"y\" $z");
        CHECK_STR(v[3], "a b");
        CHECK_STR(v[4], "");
    }
    strv_free(v);
    CHECK(alembic_split_command("alembic 'open", &v, &n, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "not closed");
    db_error_clear(&err);
    CHECK(alembic_split_command("   ", &v, &n, &err) == -1);
    CHECK_CONTAINS(err.message, "empty");
    db_error_clear(&err);
}

int main(void)
{
    RUN(test_good_graph);
    RUN(test_status);
    RUN(test_history);
    RUN(test_history_two_heads_two_bases);
    RUN(test_missing_parent);
    RUN(test_cycle);
    RUN(test_multiple_heads);
    RUN(test_duplicate_id);
    RUN(test_dependency_cycles);
    RUN(test_bad_ids);
    RUN(test_no_revision_and_unreadable);
    RUN(test_labels);
    RUN(test_empty);
    RUN(test_kind_names);
    RUN(test_split_command);
    return test_report();
}
