/* test_alembic_project.c: Alembic projects loaded from disk, without
 * running Alembic: the test project (a branch and a merge) and a broken
 * one with every problem kind, named by file. */
#include "alembic.h"
#include "test.h"

#include <stdlib.h>
#include <sys/stat.h>

static char path[4096];

static const char *src_path(const char *rel)
{
    const char *src = getenv("DBW_SRC");
    snprintf(path, sizeof path, "%s/%s", src ? src : DBWARDEN_SOURCE_DIR, rel);
    return path;
}

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void test_good_project(void)
{
    AlembicProject p;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_project_load(&p, src_path("tests/alembic/project/alembic.ini"), &err) == 0);
    if (err.message) {
        fprintf(stderr, "  %s\n", err.message);
        db_error_clear(&err);
        return;
    }
    const AlembicGraph *g = &p.graph;
    CHECK(g->count == 6);
    CHECK(g->nproblems == 0);
    CHECK(g->nheads == 1 && strcmp(g->revs[g->heads[0]].revision, "6f708192a3b4") == 0);
    CHECK(g->nbases == 1 && strcmp(g->revs[g->bases[0]].revision, "1a2b3c4d5e6f") == 0);
    long merge = alembic_graph_find(g, "5e6f708192a3");
    CHECK(merge >= 0 && g->revs[merge].is_merge);
    CHECK_STR(g->revs[merge].message, "merge billing and audit");
    CHECK_STR(g->revs[merge].create_date, "2024-01-05 10:00:00.000001");
    long audit = alembic_graph_find(g, "4d5e6f708192");
    CHECK(audit >= 0 && g->revs[audit].down.count == 1);
    CHECK_STR(audit >= 0 ? g->revs[audit].down.items[0] : NULL, "2b3c4d5e6f70");
    long inv = alembic_graph_find(g, "3c4d5e6f7081");
    CHECK(inv >= 0 && g->revs[inv].branch_labels.count == 1);
    /* the ids only in a comment or a string were not taken */
    CHECK(alembic_graph_find(g, "0000deadbeef") == -1);
    CHECK(alembic_graph_find(g, "ffffffffffff") == -1);
    AlembicHistory h;
    alembic_history_render(&h, g, NULL);
    CHECK(h.count == 8);   /* 6 rows and two drawing lines */
    for (size_t i = 0; i < h.count; i++)
        fprintf(stderr, "    %s\n", h.lines[i]);
    alembic_history_free(&h);
    alembic_project_free(&p);
}

static const AlembicProblem *problem(const AlembicGraph *g, AlembicProblemKind k)
{
    for (size_t i = 0; i < g->nproblems; i++)
        if (g->problems[i].kind == k)
            return &g->problems[i];
    return NULL;
}

static bool names(const AlembicProblem *p, const char *file)
{
    for (size_t i = 0; p && i < p->nfiles; i++)
        if (strcmp(base(p->files[i]), file) == 0)
            return true;
    return false;
}

static void test_broken_project(void)
{
    AlembicProject p;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_project_load(&p, src_path("tests/alembic/broken/alembic.ini"), &err) == 0);
    if (err.message) {
        fprintf(stderr, "  %s\n", err.message);
        db_error_clear(&err);
        return;
    }
    const AlembicGraph *g = &p.graph;
    /* __init__.py, .#e4_lock.py and notes.txt are not revision files; the
     * subfolder is read (recursive); the missing folder is skipped */
    CHECK(g->count == 8);
    for (size_t i = 0; i < g->count; i++)
        CHECK(!strstr(g->revs[i].file, "__init__") && !strstr(g->revs[i].file, ".#"));
    CHECK(p.config.nlocations == 3 && p.config.recursive);
    const AlembicProblem *pr;
    pr = problem(g, ALEMBIC_MISSING_PARENT);
    CHECK(pr && names(pr, "b1_orphan.py"));
    CHECK_CONTAINS(pr ? pr->message : NULL, "gone00000000");
    pr = problem(g, ALEMBIC_DUPLICATE_ID);
    CHECK(pr && names(pr, "c2_dup.py") && names(pr, "c2_dup_again.py"));
    pr = problem(g, ALEMBIC_BAD_ID);
    CHECK(pr && names(pr, "d3_bad.py"));
    CHECK_CONTAINS(pr ? pr->message : NULL, "'d3-bad'");
    pr = problem(g, ALEMBIC_NO_REVISION);
    CHECK(pr && names(pr, "helpers.py"));
    pr = problem(g, ALEMBIC_CYCLE);
    CHECK(pr && names(pr, "x5_cycle.py") && names(pr, "y6_cycle.py"));
    pr = problem(g, ALEMBIC_MULTIPLE_HEADS);
    CHECK(pr && names(pr, "b1_orphan.py") && names(pr, "d3_bad.py"));
    for (size_t i = 0; i < g->nproblems; i++)
        fprintf(stderr, "    %s: %s\n", alembic_problem_kind_name(g->problems[i].kind),
                g->problems[i].message);
    alembic_project_free(&p);
}

static void test_load_errors(void)
{
    AlembicProject p;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_project_load(&p, "/nonexistent/alembic.ini", &err) == -1);
    CHECK(err.kind == DB_ERR_IO);
    db_error_clear(&err);
    /* an ini whose versions folder does not exist */
    FILE *f = fopen("alembic_noversions.ini", "w");
    fputs("[alembic]\nscript_location = %(here)s/no_such_scripts\n", f);
    fclose(f);
    CHECK(alembic_project_load(&p, "alembic_noversions.ini", &err) == -1);
    CHECK(err.kind == DB_ERR_IO);
    CHECK_CONTAINS(err.message, "no_such_scripts/versions");
    db_error_clear(&err);
    remove("alembic_noversions.ini");
    /* a versions folder given directly */
    CHECK(alembic_project_load(&p, src_path("tests/alembic/project/migrations/versions"),
                               &err) == 0);
    CHECK(p.graph.count == 6);
    alembic_project_free(&p);
}

static char tmp[256];

static void put(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    for (char *s = p + strlen(tmp) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
}

static const AlembicRevision *rev_of(const AlembicGraph *g, const char *id)
{
    long i = alembic_graph_find(g, id);
    return i >= 0 ? &g->revs[i] : NULL;
}

/* Alembic reads the locations in their order, each folder's files sorted,
 * then its subfolders (recursive); for one id it keeps the last file. */
static void test_reading_order(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/dbw-alembic-order-XXXXXX");
    CHECK(mkdtemp(tmp) != NULL);
    put("alembic.ini", "[alembic]\nscript_location = %(here)s\n"
                       "version_locations = %(here)s/aa %(here)s/zz\n"
                       "recursive_version_locations = true\n");
    put("aa/0_base.py", "revision = 'base0'\ndown_revision = None\n");
    put("aa/1_dup.py", "revision = 'dup'\ndown_revision = None\n");
    put("zz/1_dup.py", "revision = 'dup'\ndown_revision = 'base0'\n");   /* read last */
    put("zz/a_two.py", "revision = 'two'\ndown_revision = 'dup'\n");
    put("zz/b_sub/a_two.py", "revision = 'two'\ndown_revision = 'base0'\n");   /* last */
    char ini[300];
    snprintf(ini, sizeof ini, "%s/alembic.ini", tmp);
    AlembicProject p;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_project_load(&p, ini, &err) == 0);
    const AlembicRevision *dup = rev_of(&p.graph, "dup"), *two = rev_of(&p.graph, "two");
    CHECK(dup && strstr(dup->file, "/zz/1_dup.py") && dup->down.count == 1);
    CHECK(two && strstr(two->file, "/zz/b_sub/a_two.py"));
    CHECK(two && two->down.count == 1 && strcmp(two->down.items[0], "base0") == 0);
    CHECK(p.graph.count == 5 && strstr(p.graph.revs[0].file, "/aa/0_base.py") &&
          strstr(p.graph.revs[4].file, "/zz/b_sub/a_two.py"));
    size_t dups = 0;
    for (size_t i = 0; i < p.graph.nproblems; i++)
        dups += p.graph.problems[i].kind == ALEMBIC_DUPLICATE_ID;
    CHECK(dups == 2);
    alembic_project_free(&p);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    CHECK(system(cmd) == 0);
}

/* sourceless = true: compiled files without their source are revisions
 * too (_sourceless_rev_file); dbwarden cannot read them and says so. */
static void test_sourceless(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/dbw-alembic-pyc-XXXXXX");
    CHECK(mkdtemp(tmp) != NULL);
    put("alembic.ini", "[alembic]\nscript_location = %(here)s\nsourceless = true\n");
    put("versions/a_src.py", "revision = 'a'\ndown_revision = None\n");
    put("versions/a_src.pyc", "compiled");                 /* its source is there */
    put("versions/b_only.pyc", "compiled");                /* read: a problem */
    put("versions/__pycache__/a_src.cpython-311.pyc", "compiled");
    put("versions/__pycache__/c_gone.cpython-311.pyc", "compiled");   /* read */
    char ini[300];
    snprintf(ini, sizeof ini, "%s/alembic.ini", tmp);
    AlembicProject p;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_project_load(&p, ini, &err) == 0);
    CHECK(p.config.sourceless && p.graph.count == 3);
    size_t compiled = 0;
    for (size_t i = 0; i < p.graph.nproblems; i++) {
        const AlembicProblem *pr = &p.graph.problems[i];
        CHECK(pr->kind == ALEMBIC_UNREADABLE);
        CHECK_CONTAINS(pr->message, "compiled revision file");
        compiled += names(pr, "b_only.pyc") || names(pr, "c_gone.cpython-311.pyc");
    }
    CHECK(compiled == 2 && p.graph.nproblems == 2);
    alembic_project_free(&p);
    /* without the option the compiled files are not revisions */
    put("alembic.ini", "[alembic]\nscript_location = %(here)s\n");
    CHECK(alembic_project_load(&p, ini, &err) == 0);
    CHECK(!p.config.sourceless && p.graph.count == 1 && p.graph.nproblems == 0);
    alembic_project_free(&p);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    CHECK(system(cmd) == 0);
}

int main(void)
{
    RUN(test_good_project);
    RUN(test_broken_project);
    RUN(test_load_errors);
    RUN(test_reading_order);
    RUN(test_sourceless);
    return test_report();
}
