/* cli_alembic.c: the command line for Alembic projects (see
 * cli_alembic.h). */
#include "cli_alembic.h"
#include "alembic.h"
#include "cli_backup.h"
#include "cli_confirm.h"
#include "json_out.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads the project and its state; returns an exit status. */
static int load(Cli *cli, DbConn *conn, AlembicProject *p, AlembicStatus *st)
{
    DbError err = DB_ERROR_INIT;
    if (!cli->alembic_ini) {
        cli_error("no Alembic project: pass --alembic INI or set alembic_ini in [migrations] "
                  "of dbwarden.ini");
        return EXIT_USAGE;
    }
    if (alembic_project_load(p, cli->alembic_ini, &err) != 0)
        return cli_fail(&err);
    if (alembic_status(conn, &p->graph, st, &err) != 0) {
        alembic_project_free(p);
        return cli_fail(&err);
    }
    return EXIT_OK;
}

static json_t *strings_json(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_text(v[i]));
    return a;
}

static json_t *revs_json(const AlembicGraph *g, const size_t *idx, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_text(g->revs[idx[i]].revision));
    return a;
}

static void problems_add(json_t *arr, const AlembicProblem *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_text(alembic_problem_kind_name(p[i].kind)));
        json_object_set_new(o, "message", json_text(p[i].message));
        json_object_set_new(o, "files", strings_json(p[i].files, p[i].nfiles));
        json_array_append_new(arr, o);
    }
}

static void print_ids(const char *label, char *const *v, size_t n, const char *none)
{
    printf("%-11s ", label);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", v[i]);
    printf("%s\n", n ? "" : none);
}

int cli_alembic_status(Cli *cli, DbConn *conn)
{
    AlembicProject p;
    AlembicStatus st;
    int rc = load(cli, conn, &p, &st);
    if (rc != EXIT_OK)
        return rc;
    const AlembicGraph *g = &p.graph;
    char **heads = xcalloc(g->nheads + 1, sizeof *heads);
    for (size_t i = 0; i < g->nheads; i++)
        heads[i] = g->revs[g->heads[i]].revision;
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "source", json_text("alembic"));
        json_object_set_new(o, "engine", json_text(db_engine_name(db_engine(conn))));
        json_object_set_new(o, "database", json_text(db_display_url(conn)));
        json_object_set_new(o, "alembic_ini", json_text(cli->alembic_ini));
        json_object_set_new(o, "current", strings_json(st.current, st.ncurrent));
        json_object_set_new(o, "heads", revs_json(g, g->heads, g->nheads));
        json_object_set_new(o, "bases", revs_json(g, g->bases, g->nbases));
        json_object_set_new(o, "applied", json_integer((json_int_t)st.napplied));
        json_object_set_new(o, "pending", json_integer((json_int_t)st.npending));
        json_object_set_new(o, "table_exists", json_boolean(st.table_exists));
        json_t *probs = json_array();
        problems_add(probs, g->problems, g->nproblems);
        problems_add(probs, st.problems, st.nproblems);
        json_object_set_new(o, "problems", probs);
        json_emit(o);
    } else {
        printf("%-11s %s (%s)\n", "database", db_display_url(conn),
               db_engine_name(db_engine(conn)));
        printf("%-11s %s\n", "alembic", cli->alembic_ini);
        print_ids("current", st.current, st.ncurrent,
                  st.table_exists ? "(none applied)" : "(none applied: no alembic_version)");
        print_ids("heads", heads, g->nheads, "(no revisions)");
        printf("%-11s %zu\n", "applied", st.napplied);
        printf("%-11s %zu\n", "pending", st.npending);
        for (size_t i = 0; i < g->nproblems; i++)
            printf("%-11s %s: %s\n", "problem", alembic_problem_kind_name(g->problems[i].kind),
                   g->problems[i].message);
        for (size_t i = 0; i < st.nproblems; i++)
            printf("%-11s %s: %s\n", "problem", alembic_problem_kind_name(st.problems[i].kind),
                   st.problems[i].message);
    }
    rc = g->nproblems + st.nproblems ? EXIT_PROBLEMS : EXIT_OK;
    free(heads);
    alembic_status_free(&st);
    alembic_project_free(&p);
    return rc;
}

static json_t *list_json(const AlembicList *l)
{
    return strings_json(l->items, l->count);
}

int cli_alembic_history(Cli *cli, DbConn *conn)
{
    AlembicProject p;
    AlembicStatus st;
    int rc = load(cli, conn, &p, &st);
    if (rc != EXIT_OK)
        return rc;
    const AlembicGraph *g = &p.graph;
    if (cli->json) {
        json_t *arr = json_array();
        for (size_t k = 0; k < g->norder; k++) {
            size_t i = g->order[k];
            const AlembicRevision *r = &g->revs[i];
            json_t *o = json_object();
            json_object_set_new(o, "version", json_text(r->revision));
            json_object_set_new(o, "name", json_text(r->message));
            json_object_set_new(o, "state", json_text(st.applied[i] ? "applied" : "pending"));
            json_object_set_new(o, "applied_at", json_null());
            json_object_set_new(o, "down_revisions", list_json(&r->down));
            json_object_set_new(o, "branch_labels", list_json(&r->branch_labels));
            json_object_set_new(o, "depends_on", list_json(&r->depends_on));
            json_object_set_new(o, "is_head", json_boolean(r->is_head));
            json_object_set_new(o, "is_current", json_boolean(alembic_is_current(&st,
                                                                                 r->revision)));
            json_object_set_new(o, "is_merge", json_boolean(r->is_merge));
            json_object_set_new(o, "is_branchpoint", json_boolean(r->is_branchpoint));
            json_object_set_new(o, "is_base", json_boolean(r->is_base));
            json_object_set_new(o, "create_date", json_text(r->create_date));
            json_object_set_new(o, "file", json_text(r->file));
            json_array_append_new(arr, o);
        }
        json_t *root = json_object();
        json_object_set_new(root, "source", json_text("alembic"));
        json_object_set_new(root, "migrations", arr);
        json_emit(root);
    } else {
        AlembicHistory h;
        alembic_history_render(&h, g, &st);
        for (size_t i = 0; i < h.count; i++)
            printf("%s\n", h.lines[i]);
        if (h.count == 0)
            printf("(no revisions in %s)\n", cli->alembic_ini);
        alembic_history_free(&h);
    }
    alembic_status_free(&st);
    alembic_project_free(&p);
    return EXIT_OK;
}

/* ---- up, down, stamp ------------------------------------------------ */

typedef struct RunOut {
    bool    json;
    json_t *lines;
} RunOut;

static void run_line(void *ctx, const char *line)
{
    RunOut *o = ctx;
    if (o->json) {
        json_array_append_new(o->lines, json_text(line));
        return;
    }
    printf("%s\n", line);
    fflush(stdout);
}

/* "down 3" means three steps: "-3" for Alembic. */
static char *alembic_target(const char *verb, const char *target)
{
    if (!target)
        return NULL;
    if (strcmp(verb, "down") == 0 && target[0] >= '1' && target[0] <= '9' &&
        strspn(target, "0123456789") == strlen(target))
        return xasprintf("-%s", target);
    return xstrdup(target);
}

int cli_alembic_run(Cli *cli, DbConn *conn, const char *verb, const char *target)
{
    AlembicVerb v;
    if (strcmp(verb, "up") == 0) {
        v = ALEMBIC_UPGRADE;
    } else if (strcmp(verb, "down") == 0) {
        v = ALEMBIC_DOWNGRADE;
    } else if (strcmp(verb, "stamp") == 0) {
        v = ALEMBIC_STAMP;
    } else {
        cli_error("'%s' is not an Alembic action (up, down, stamp)", verb);
        return EXIT_USAGE;
    }
    if (v == ALEMBIC_STAMP && (!target || !*target)) {
        cli_error("usage: dbwarden --alembic INI stamp TARGET (a revision, head or base)");
        return EXIT_USAGE;
    }
    if (!cli->dry_run && cli_refuse_read_only(cli, verb))
        return EXIT_USAGE;
    AlembicProject p;
    AlembicStatus st;
    int rc = load(cli, conn, &p, &st);
    if (rc != EXIT_OK)
        return rc;
    const char *command = cli->cfg.alembic_command && *cli->cfg.alembic_command
                              ? cli->cfg.alembic_command : "alembic";
    char *tgt = alembic_target(verb, target);
    char **args = alembic_command_args(v, tgt, cli->dry_run, (const char *const *)st.current,
                                       st.ncurrent);
    char *what = alembic_command_text(command, cli->alembic_ini, (const char *const *)args);
    RunOut out = { cli->json, json_array() };
    json_t *result = json_object();
    if (v != ALEMBIC_UPGRADE && !cli->dry_run) {
        char *action = xasprintf("alembic %s %s", args[0], args[1]);
        rc = cli_guard_destructive(cli, conn, action, what);
        free(action);
        if (rc != EXIT_OK)
            goto done;
    }
    AlembicRunOptions o = { command, cli->alembic_ini, NULL, NULL, 0 };
    int status = -1;
    DbError err = DB_ERROR_INIT;
    int failed = alembic_run(conn, NULL, &o, (const char *const *)args, run_line, &out, &status,
                             &err);
    /* where the database is now */
    AlembicStatus after;
    DbError e2 = DB_ERROR_INIT;
    bool have = alembic_status(conn, &p.graph, &after, &e2) == 0;
    db_error_clear(&e2);
    if (cli->json) {
        json_object_set_new(result, "command", json_text(what));
        json_object_set_new(result, "dry_run", json_boolean(cli->dry_run));
        json_object_set_new(result, "exit_status", failed ? json_null() : json_integer(status));
        json_object_set_new(result, "output", out.lines);
        out.lines = NULL;
        json_object_set_new(result, "current", have ? strings_json(after.current,
                                                                   after.ncurrent)
                                                    : json_null());
        json_object_set_new(result, "pending", have ? json_integer((json_int_t)after.npending)
                                                    : json_null());
        json_object_set_new(result, "error", failed ? json_text(err.message)
                                         : status ? json_text("alembic failed") : json_null());
        json_emit(result);
        result = NULL;
    } else if (!failed && have && !cli->dry_run) {
        print_ids("current", after.current, after.ncurrent, "(none applied)");
    }
    if (failed) {
        rc = cli_fail(&err);
    } else if (status != 0) {
        cli_error("%s exited with status %d; the output above says why", what, status);
        rc = EXIT_PROBLEMS;
    }
    if (have)
        alembic_status_free(&after);
done:
    json_decref(result);
    json_decref(out.lines);
    free(what);
    free(tgt);
    alembic_strv_free(args);
    alembic_status_free(&st);
    alembic_project_free(&p);
    return rc;
}
