/* dump_graph.c: dbwarden's view of an Alembic project as JSON, for the
 * differential test against the real Alembic (test_differential.py).
 *
 *   dump_graph INI  ->  {"heads": [...], "bases": [...],
 *                        "revisions": {id: {"down": [...], "depends_on": [...],
 *                                           "labels": [...], "file": path}},
 *                        "problems": [{"kind", "message", "files"}]}
 *
 * Only revisions in the graph are listed (one per id).  Exit 0 when the
 * project loads, 2 when it cannot (the error on stderr). */
#include "alembic.h"

#include <jansson.h>
#include <stdio.h>

static json_t *strings(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *ids(const AlembicGraph *g, const size_t *idx, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(g->revs[idx[i]].revision));
    return a;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dump_graph INI\n");
        return 2;
    }
    AlembicProject p;
    DbError err = DB_ERROR_INIT;
    if (alembic_project_load(&p, argv[1], &err) != 0) {
        fprintf(stderr, "dump_graph: %s\n", err.message);
        db_error_clear(&err);
        return 2;
    }
    const AlembicGraph *g = &p.graph;
    json_t *o = json_object(), *revs = json_object(), *probs = json_array();
    json_object_set_new(o, "heads", ids(g, g->heads, g->nheads));
    json_object_set_new(o, "bases", ids(g, g->bases, g->nbases));
    for (size_t i = 0; i < g->count; i++) {
        const AlembicRevision *r = &g->revs[i];
        if (!r->in_graph)
            continue;
        json_t *e = json_object();
        json_object_set_new(e, "down", strings(r->down.items, r->down.count));
        json_object_set_new(e, "depends_on", strings(r->depends_on.items, r->depends_on.count));
        json_object_set_new(e, "labels", strings(r->branch_labels.items, r->branch_labels.count));
        json_object_set_new(e, "file", json_string(r->file));
        json_object_set_new(revs, r->revision, e);
    }
    json_object_set_new(o, "revisions", revs);
    for (size_t i = 0; i < g->nproblems; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "kind", json_string(alembic_problem_kind_name(g->problems[i].kind)));
        json_object_set_new(e, "message", json_string(g->problems[i].message));
        json_object_set_new(e, "files", strings(g->problems[i].files, g->problems[i].nfiles));
        json_array_append_new(probs, e);
    }
    json_object_set_new(o, "problems", probs);
    json_dumpf(o, stdout, JSON_INDENT(1) | JSON_ENSURE_ASCII);
    putchar('\n');
    json_decref(o);
    alembic_project_free(&p);
    return 0;
}
