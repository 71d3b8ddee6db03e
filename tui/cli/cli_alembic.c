/* cli_alembic.c: the command line for Alembic projects (see
 * cli_alembic.h). */
#include "cli_alembic.h"
#include "alembic.h"
#include "cli_action.h"
#include "format.h"
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
    if (!cli->session.cfg.migrations.alembic_ini) {
        cli_error("no Alembic project: pass --alembic INI or set alembic_ini in [migrations] "
                  "of dbwarden.ini");
        return EXIT_USAGE;
    }
    if (alembic_project_load(p, cli->session.cfg.migrations.alembic_ini, &err) != 0)
        return cli_fail(&err);
    if (alembic_status(conn, &p->graph, st, &err) != 0) {
        alembic_project_free(p);
        return cli_fail(&err);
    }
    return EXIT_OK;
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
        json_object_set_new(o, "files", json_text_array(p[i].files, p[i].nfiles));
        json_array_append_new(arr, o);
    }
}

static void print_ids(const char *label, char *const *v, size_t n, const char *none)
{
    printf("%-11s ", label);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", fmt_esc(v[i]));
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
        json_object_set_new(o, "alembic_ini", json_text(cli->session.cfg.migrations.alembic_ini));
        json_object_set_new(o, "current", json_text_array(st.current, st.ncurrent));
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
        printf("%-11s %s (%s)\n", "database", fmt_esc(db_display_url(conn)),
               db_engine_name(db_engine(conn)));
        printf("%-11s %s\n", "alembic", fmt_esc(cli->session.cfg.migrations.alembic_ini));
        print_ids("current", st.current, st.ncurrent,
                  st.table_exists ? "(none applied)" : "(none applied: no alembic_version)");
        print_ids("heads", heads, g->nheads, "(no revisions)");
        printf("%-11s %zu\n", "applied", st.napplied);
        printf("%-11s %zu\n", "pending", st.npending);
        for (size_t i = 0; i < g->nproblems; i++)
            printf("%-11s %s: %s\n", "problem", alembic_problem_kind_name(g->problems[i].kind),
                   fmt_esc(g->problems[i].message));
        for (size_t i = 0; i < st.nproblems; i++)
            printf("%-11s %s: %s\n", "problem", alembic_problem_kind_name(st.problems[i].kind),
                   fmt_esc(st.problems[i].message));
    }
    rc = g->nproblems + st.nproblems ? EXIT_PROBLEMS : EXIT_OK;
    free(heads);
    alembic_status_free(&st);
    alembic_project_free(&p);
    return rc;
}

static json_t *list_json(const AlembicList *l)
{
    return json_text_array(l->items, l->count);
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
            printf("%s\n", fmt_esc(h.lines[i]));
        if (h.count == 0)
            printf("(no revisions in %s)\n", fmt_esc(cli->session.cfg.migrations.alembic_ini));
        alembic_history_free(&h);
    }
    alembic_status_free(&st);
    alembic_project_free(&p);
    return EXIT_OK;
}

/* ---- the database ---------------------------------------------------- */

/* ---- up, down, stamp ------------------------------------------------ */

static json_t *plan_json(const AlembicPlan *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "summary", json_text(p->summary));
    json_object_set_new(o, "target", json_text(p->target));
    json_object_set_new(o, "before", json_text_array(p->before, p->nbefore));
    json_object_set_new(o, "after", json_text_array(p->after_current, p->nafter_current));
    json_t *revs = json_array();
    for (size_t i = 0; i < p->nchanged; i++)
        json_array_append_new(revs, json_stringn(p->changed[i], strcspn(p->changed[i], " ")));
    json_object_set_new(o, "revisions", revs);
    return o;
}

/* The result: alembic's output (printed as it came, or in "output"), and
 * where the database is now, read again on dbwarden's own connection. */
static int al_finish(CliRun *r)
{
    Cli *cli = r->cli;
    const AlembicPlan *plan = action_alembic_plan(&r->plan);
    AlembicProject p;
    AlembicStatus after;
    DbError e = DB_ERROR_INIT;
    bool have = alembic_project_load(&p, cli->session.cfg.migrations.alembic_ini, &e) == 0;
    if (have && alembic_status(r->conn, &p.graph, &after, &e) != 0) {
        alembic_project_free(&p);
        have = false;
    }
    db_error_clear(&e);
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "command", r->plan.nothing ? json_null()
                                          : json_text(action_alembic_command(&r->plan)));
        json_object_set_new(o, "dry_run", json_false());
        json_object_set_new(o, "plan", plan ? plan_json(plan) : json_null());
        json_object_set_new(o, "exit_status", r->plan.tool_status >= 0
                                              ? json_integer(r->plan.tool_status) : json_null());
        json_object_set_new(o, "output", json_incref(r->lines));
        json_object_set_new(o, "current", have ? json_text_array(after.current, after.ncurrent)
                                               : json_null());
        json_object_set_new(o, "pending", have ? json_integer((json_int_t)after.npending)
                                               : json_null());
        json_object_set_new(o, "error", r->failed ? json_text(r->err.message) : json_null());
        json_emit(o);
    } else if (r->plan.nothing) {
        printf("%s\n", fmt_esc(r->plan.summary));
    } else if (!r->failed && have) {
        print_ids("current", after.current, after.ncurrent, "(none applied)");
    }
    int rc = r->failed ? cli_fail(&r->err) : EXIT_OK;
    if (have) {
        alembic_status_free(&after);
        alembic_project_free(&p);
    }
    return rc;
}

static int al_no_dry_run(CliRun *r)
{
    (void)r;
    return EXIT_USAGE;   /* a dry run is alembic's own --sql: see dry_run() */
}

static const CliReport al_report = { NULL, al_no_dry_run, al_finish, NULL };

static void dry_line(void *ctx, const char *line)
{
    cli_run_line(ctx, line);
}

/* --dry-run: the project's alembic with --sql, showing the SQL of the same
 * change as the real run (the same explicit target); it changes nothing
 * and takes no lock. */
static int dry_run(Cli *cli, const char *verb, const char *target)
{
    DbConn *conn;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    CliRun r;
    memset(&r, 0, sizeof r);
    r.cli = cli;
    r.conn = conn;
    r.lines = json_array();
    DbError err = DB_ERROR_INIT;
    ActionPlan ap;
    if (action_plan(&cli->session, conn, action_find(verb), target, true, &ap, &err) != 0) {
        rc = cli_fail(&err);
        goto done;
    }
    const AlembicPlan *plan = action_alembic_plan(&ap);
    if (!ap.nothing && !plan->sql_args) {
        cli_error("--dry-run: %s", plan->sql_problem);
        rc = EXIT_PROBLEMS;
        action_plan_free(&ap);
        goto done;
    }
    const MigrationSettings *ms = &cli->session.cfg.migrations;
    char *what = ap.nothing ? NULL
        : alembic_command_text(ms->alembic_command, ms->alembic_ini,
                               (const char *const *)plan->sql_args);
    int status = -1;
    int failed = 0;
    if (!ap.nothing)
        failed = action_alembic_preview(&cli->session, &ap, dry_line, &r, &status, &err);
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "command", json_text(what));
        json_object_set_new(o, "dry_run", json_true());
        json_object_set_new(o, "plan", plan_json(plan));
        json_object_set_new(o, "exit_status", status >= 0 ? json_integer(status) : json_null());
        json_object_set_new(o, "output", json_incref(r.lines));
        json_object_set_new(o, "current", json_text_array(plan->before, plan->nbefore));
        json_object_set_new(o, "error", failed ? json_text(err.message)
                                        : status > 0 ? json_text("alembic failed") : json_null());
        json_emit(o);
    } else if (ap.nothing) {
        printf("%s\n", fmt_esc(ap.summary));
    }
    if (failed)
        rc = cli_fail(&err);
    else if (status > 0) {
        cli_error("%s exited with status %d; the output above says why", what, status);
        rc = EXIT_PROBLEMS;
    }
    free(what);
    action_plan_free(&ap);
done:
    json_decref(r.lines);
    db_close(conn);
    return rc;
}

int cli_alembic_run(Cli *cli, const char *verb, const char *target)
{
    if (strcmp(verb, "stamp") == 0 && (!target || !*target)) {
        cli_error("usage: dbwarden --alembic INI stamp TARGET (a revision, heads or base)");
        return EXIT_USAGE;
    }
    if (cli->dry_run)
        return dry_run(cli, verb, target);
    /* alembic creates a SQLite file on its first upgrade */
    return cli_action_run(cli, verb, target, strcmp(verb, "up") == 0, &al_report);
}
