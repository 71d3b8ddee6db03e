/* cli_alembic.c: the command line for Alembic projects (see
 * cli_alembic.h). */
#include "cli_alembic.h"
#include "alembic.h"
#include "cli_backup.h"
#include "cli_confirm.h"
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
        printf("%-11s %s (%s)\n", "database", fmt_esc(db_display_url(conn)),
               db_engine_name(db_engine(conn)));
        printf("%-11s %s\n", "alembic", fmt_esc(cli->alembic_ini));
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
            printf("%s\n", fmt_esc(h.lines[i]));
        if (h.count == 0)
            printf("(no revisions in %s)\n", fmt_esc(cli->alembic_ini));
        alembic_history_free(&h);
    }
    alembic_status_free(&st);
    alembic_project_free(&p);
    return EXIT_OK;
}

/* ---- the database ---------------------------------------------------- */

int cli_alembic_db_url(Cli *cli)
{
    const char *env = getenv("DATABASE_URL");
    if (cli->db_url || (env && *env) || !cli->alembic_ini)
        return EXIT_OK;
    AlembicConfig cfg;
    DbError err = DB_ERROR_INIT;
    if (alembic_config_load(&cfg, cli->alembic_ini, &err) != 0) {
        db_error_clear(&err);    /* the command reports it when it loads the project */
        return EXIT_OK;
    }
    int rc = EXIT_OK;
    if (alembic_config_db_url(&cfg, &cli->alembic_db_url, &err) != 0)
        rc = cli_fail(&err);
    else if (cli->alembic_db_url)
        cli->db_url = cli->alembic_db_url;
    alembic_config_free(&cfg);
    return rc;
}

/* ---- up, down, stamp ------------------------------------------------ */

typedef struct RunOut {
    const Cli *cli;
    json_t    *lines;          /* --json: the output lines */
    bool       backup_failed;  /* cli_backup_take said why */
} RunOut;

static void run_line(void *ctx, const char *line)
{
    RunOut *o = ctx;
    if (o->cli->json) {
        json_array_append_new(o->lines, json_text(line));
        return;
    }
    printf("%s\n", fmt_esc(line));
    fflush(stdout);
}

/* Under the run lock, after the plan was checked again. */
static int run_backup(void *ctx, DbConn *conn, DbError *err)
{
    RunOut *o = ctx;
    if (cli_backup_take(o->cli, conn) == EXIT_OK)
        return 0;
    o->backup_failed = true;
    db_error_set(err, DB_ERR_IO, "no backup could be taken; nothing was changed");
    return -1;
}

static bool parse_verb(const char *verb, AlembicVerb *v)
{
    if (strcmp(verb, "up") == 0)
        *v = ALEMBIC_UPGRADE;
    else if (strcmp(verb, "down") == 0)
        *v = ALEMBIC_DOWNGRADE;
    else if (strcmp(verb, "stamp") == 0)
        *v = ALEMBIC_STAMP;
    else
        return false;
    return true;
}

/* What the confirmation shows: the command line and the revisions. */
static char *plan_text(const AlembicPlan *p, const char *command_line)
{
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "%s\n%s", command_line, p->summary);
    if (p->nchanged > 1)
        for (size_t i = 0; i < p->nchanged; i++)
            sb_appendf(&b, "\n  %s", p->changed[i]);
    return sb_take(&b);
}

/* Before a destructive run: the backup can be taken, and the user says
 * yes to the plan shown.  Returns an exit status. */
static int confirm(const Cli *cli, DbConn *conn, const AlembicPlan *plan, const char *what)
{
    int rc = cli_backup_preflight(cli, conn);
    if (rc != EXIT_OK)
        return rc;
    char *action = xasprintf("alembic %s", plan->summary);
    char *shown = plan_text(plan, what);
    bool yes = cli_confirm(cli, conn, action, shown);
    free(shown);
    free(action);
    return yes ? EXIT_OK : EXIT_PROBLEMS;
}

static json_t *plan_json(const AlembicPlan *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "summary", json_text(p->summary));
    json_object_set_new(o, "target", json_text(p->target));
    json_object_set_new(o, "before", strings_json(p->before, p->nbefore));
    json_object_set_new(o, "after", strings_json(p->after_current, p->nafter_current));
    json_t *revs = json_array();
    for (size_t i = 0; i < p->nchanged; i++)
        json_array_append_new(revs, json_stringn(p->changed[i], strcspn(p->changed[i], " ")));
    json_object_set_new(o, "revisions", revs);
    return o;
}

/* Everything before the run: the URL check, the plan, what the child
 * gets.  Returns an exit status; EXIT_OK with *plan made. */
static int prepare(Cli *cli, const AlembicProject *p, const AlembicStatus *st, AlembicVerb v,
                   const char *target, AlembicPlan *plan, char **env)
{
    DbError err = DB_ERROR_INIT;
    memset(plan, 0, sizeof *plan);
    *env = NULL;
    bool from_env = cli->cfg.migrations.alembic_url_from_env;
    const char *var = cli->cfg.migrations.alembic_url_env ? cli->cfg.migrations.alembic_url_env : "DATABASE_URL";
    if (!cli->dry_run && alembic_url_check(&p->config, cli->db_url, from_env, var, &err) != 0)
        return cli_fail(&err);
    if (alembic_plan_make(plan, &p->graph, st, v, target, &err) != 0)
        return cli_fail(&err);
    if (cli->dry_run && !plan->nothing && !plan->sql_args) {
        cli_error("--dry-run: %s", plan->sql_problem);
        return EXIT_PROBLEMS;
    }
    char *url = NULL;
    if (alembic_url_for_child(cli->db_url, &url, &err) != 0)
        return cli_fail(&err);
    *env = xasprintf("%s=%s", var, url);
    free(url);
    return EXIT_OK;
}

/* Prints the outcome; returns the exit status. */
static int report(Cli *cli, DbConn *conn, const AlembicProject *p, const AlembicPlan *plan,
                  const char *what, RunOut *out, int failed, int status, DbError *err)
{
    AlembicStatus after;
    DbError e2 = DB_ERROR_INIT;
    bool have = alembic_status(conn, &p->graph, &after, &e2) == 0;   /* where it is now */
    db_error_clear(&e2);
    if (cli->json) {
        json_t *result = json_object();
        json_object_set_new(result, "command", json_text(what));
        json_object_set_new(result, "dry_run", json_boolean(cli->dry_run));
        json_object_set_new(result, "plan", plan_json(plan));
        json_object_set_new(result, "exit_status", status >= 0 ? json_integer(status)
                                                               : json_null());
        json_object_set_new(result, "output", out->lines);
        out->lines = NULL;
        json_object_set_new(result, "current", have ? strings_json(after.current,
                                                                   after.ncurrent)
                                                    : json_null());
        json_object_set_new(result, "pending", have ? json_integer((json_int_t)after.npending)
                                                    : json_null());
        json_object_set_new(result, "error", failed ? json_text(err->message)
                                         : status ? json_text("alembic failed") : json_null());
        json_emit(result);
    } else if (!failed && have && !cli->dry_run) {
        print_ids("current", after.current, after.ncurrent, "(none applied)");
    }
    int rc = EXIT_OK;
    if (failed && out->backup_failed) {
        db_error_clear(err);
        rc = EXIT_PROBLEMS;
    } else if (failed) {
        rc = cli_fail(err);
    } else if (status != 0) {
        cli_error("%s exited with status %d; the output above says why", what, status);
        rc = EXIT_PROBLEMS;
    }
    if (have)
        alembic_status_free(&after);
    return rc;
}

/* Problems that will make the project's alembic fail: said before it runs
 * (and before the confirmation). */
static void warn_fatal(const AlembicGraph *g, const AlembicStatus *st)
{
    size_t n = 0;
    const char *first = NULL;
    for (size_t i = 0; i < g->nproblems; i++)
        if (alembic_problem_fatal(g->problems[i].kind) && n++ == 0)
            first = g->problems[i].message;
    for (size_t i = 0; i < st->nproblems; i++)
        if (alembic_problem_fatal(st->problems[i].kind) && n++ == 0)
            first = st->problems[i].message;
    if (n)
        fprintf(stderr, "dbwarden: warning: %zu problem%s of the project will likely make "
                        "alembic fail (dbwarden status lists %s): %s\n", n, n == 1 ? "" : "s",
                n == 1 ? "it" : "them", fmt_esc(first));
}

static int nothing_to_do(const Cli *cli, const AlembicPlan *plan)
{
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "command", json_null());
        json_object_set_new(o, "dry_run", json_boolean(cli->dry_run));
        json_object_set_new(o, "plan", plan_json(plan));
        json_object_set_new(o, "exit_status", json_null());
        json_object_set_new(o, "output", json_array());
        json_object_set_new(o, "current", strings_json(plan->before, plan->nbefore));
        json_object_set_new(o, "error", json_null());
        json_emit(o);
    } else {
        printf("%s\n", fmt_esc(plan->summary));
    }
    return EXIT_OK;
}

int cli_alembic_run(Cli *cli, DbConn *conn, const char *verb, const char *target)
{
    AlembicVerb v;
    if (!parse_verb(verb, &v)) {
        cli_error("'%s' is not an Alembic action (up, down, stamp)", verb);
        return EXIT_USAGE;
    }
    if (v == ALEMBIC_STAMP && (!target || !*target)) {
        cli_error("usage: dbwarden --alembic INI stamp TARGET (a revision, heads or base)");
        return EXIT_USAGE;
    }
    if (!cli->dry_run && cli_refuse_read_only(cli, verb))
        return EXIT_USAGE;
    AlembicProject p;
    AlembicStatus st;
    int rc = load(cli, conn, &p, &st);
    if (rc != EXIT_OK)
        return rc;
    AlembicPlan plan;
    char *env = NULL, *what = NULL;
    RunOut out = { cli, json_array(), false };
    rc = prepare(cli, &p, &st, v, target, &plan, &env);
    if (rc != EXIT_OK || plan.nothing) {
        if (rc == EXIT_OK)
            rc = nothing_to_do(cli, &plan);
        goto done;
    }
    const char *command = cli->cfg.migrations.alembic_command && *cli->cfg.migrations.alembic_command
                              ? cli->cfg.migrations.alembic_command : "alembic";
    what = alembic_command_text(command, cli->alembic_ini, (const char *const *)
                                (cli->dry_run ? plan.sql_args : plan.args));
    warn_fatal(&p.graph, &st);
    bool destructive = v != ALEMBIC_UPGRADE && !cli->dry_run;
    if (destructive && (rc = confirm(cli, conn, &plan, what)) != EXIT_OK)
        goto done;
    const char *child_env[] = { env, NULL };
    AlembicPlanRunOptions o = {
        .run = { command, cli->alembic_ini, NULL, child_env, 0, NULL },
        .sql = cli->dry_run,
        .backup = destructive ? run_backup : NULL,
        .on_line = run_line,
        .ctx = &out,
    };
    int status = -1;
    DbError err = DB_ERROR_INIT;
    int failed = alembic_plan_run(conn, NULL, &p.graph, &plan, &o, &status, &err);
    rc = report(cli, conn, &p, &plan, what, &out, failed, status, &err);
done:
    json_decref(out.lines);
    free(what);
    free(env);
    alembic_plan_free(&plan);
    alembic_status_free(&st);
    alembic_project_free(&p);
    return rc;
}
