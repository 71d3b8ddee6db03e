/* action_migrate.c: the up, down and stamp rows of the action table (see
 * action.h).  With an Alembic project configured they act on it (through
 * the project's own alembic), else on dbwarden's own migrations folder. */
#include "action.h"
#include "alembic.h"
#include "migrate.h"
#include "strbuf.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- dbwarden's own migrations -------------------------------------- */

/* Both kinds of plan data begin with their own freer (free_data). */
typedef void (*DataFree)(void *data);

typedef struct MigAct {
    DataFree free;
    MigPlan plan;     /* confirmed */
    MigPlan now;      /* made again under the lock: what runs */
} MigAct;

static void mig_free(void *data)
{
    MigAct *m = data;
    migrate_plan_free(&m->plan);
    migrate_plan_free(&m->now);
    free(m);
}

static MigPlanKind mig_kind(const Action *a)
{
    return a == &action_up ? MIG_PLAN_UP : a == &action_down ? MIG_PLAN_DOWN : MIG_PLAN_STAMP;
}

static int mig_plan(const Session *s, DbConn *c, const Action *a, const char *arg,
                    ActionPlan *p, DbError *err)
{
    const MigDir *dir = session_migrations(s);
    if (!dir) {
        db_error_set(err, DB_ERR_USAGE, "no migrations folder: pass --migrations DIR or set "
                     "dir in [migrations] of dbwarden.ini");
        return -1;
    }
    MigAct *m = xcalloc(1, sizeof *m);
    m->free = mig_free;
    p->data = m;
    if (migrate_plan(c, mig_kind(a), dir, arg, &m->plan, err) != 0)
        return -1;
    p->summary = xstrdup(m->plan.summary);
    p->nothing = m->plan.count == 0;
    p->count = (long)m->plan.count;
    if (!p->nothing)
        p->what = migrate_plan_sql(c, &m->plan);
    size_t cap = 0;
    for (size_t i = 0; i < m->plan.count; i++) {
        char *line = xasprintf("%s_%s", m->plan.steps[i].version, m->plan.steps[i].name);
        strv_push_owned(&p->items, &p->nitems, &cap, line);
    }
    return 0;
}

typedef struct MigEv {
    const ActionEvents *ev;
} MigEv;

static void on_start(void *ctx, const MigStep *st, size_t index, size_t total)
{
    const ActionEvents *ev = ((MigEv *)ctx)->ev;
    if (ev && ev->progress) {
        char *what = xasprintf("%s_%s", st->version, st->name);
        ev->progress(ev->ctx, index, total, what);
        free(what);
    }
}

static void on_done(void *ctx, const MigStep *st, long ms)
{
    const ActionEvents *ev = ((MigEv *)ctx)->ev;
    if (ev && ev->step) {
        ActionStep as = { migrate_step_done_word(st->kind), st->version, st->name, ms };
        ev->step(ev->ctx, &as);
    }
}

static void on_skip(void *ctx, const MigStep *st)
{
    const ActionEvents *ev = ((MigEv *)ctx)->ev;
    if (ev && ev->step) {
        ActionStep as = { "skipped", st->version, st->name, -1 };
        ev->step(ev->ctx, &as);
    }
}

static bool on_cancelled(void *ctx)
{
    const ActionEvents *ev = ((MigEv *)ctx)->ev;
    return ev && ev->cancelled && ev->cancelled(ev->ctx);
}

static int mig_recheck(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                       DbError *err)
{
    (void)s;
    MigAct *m = p->data;
    MigEv me = { ev };
    MigProgress prog = { NULL, NULL, &me, NULL, NULL, on_skip };
    migrate_plan_free(&m->now);
    return migrate_recheck(c, &m->plan, &m->now, &prog, err);
}

static int mig_run(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                   char **outcome, DbError *err)
{
    (void)s;
    MigAct *m = p->data;
    MigEv me = { ev };
    MigProgress prog = { on_start, on_done, &me, NULL, on_cancelled, on_skip };
    size_t n = 0;
    if (migrate_run_steps(c, &m->now, &prog, &n, err) != 0)
        return -1;
    const char *verb = m->plan.count ? migrate_step_done_word(m->plan.steps[0].kind) : "ran";
    *outcome = xasprintf("%s %zu migration%s", verb, n, n == 1 ? "" : "s");
    return 0;
}

static int mig_verify(const Session *s, DbConn *c, ActionPlan *p, DbError *err)
{
    (void)s;
    return migrate_verify(c, &((MigAct *)p->data)->now, err);
}

/* ---- an Alembic project ---------------------------------------------- */

typedef struct AlAct {
    DataFree       free;
    AlembicProject proj;
    AlembicPlan    plan;
    char          *env;       /* "DATABASE_URL=<dbwarden's URL>" for the child */
    char          *command;   /* the alembic command as configured */
    char          *line;      /* the command line it runs */
} AlAct;

static void al_free(void *data)
{
    AlAct *m = data;
    alembic_plan_free(&m->plan);
    alembic_project_free(&m->proj);
    if (m->env) {
        memset(m->env, 0, strlen(m->env));   /* it may hold a password */
        free(m->env);
    }
    free(m->command);
    free(m->line);
    free(m);
}

static AlembicVerb al_verb(const Action *a)
{
    return a == &action_up ? ALEMBIC_UPGRADE
           : a == &action_down ? ALEMBIC_DOWNGRADE : ALEMBIC_STAMP;
}

/* Problems of the project that will make alembic itself fail. */
static char *al_warning(const AlembicGraph *g, const AlembicStatus *st)
{
    size_t n = 0;
    const char *first = NULL;
    for (size_t i = 0; i < g->nproblems; i++)
        if (alembic_problem_fatal(g->problems[i].kind) && n++ == 0)
            first = g->problems[i].message;
    for (size_t i = 0; i < st->nproblems; i++)
        if (alembic_problem_fatal(st->problems[i].kind) && n++ == 0)
            first = st->problems[i].message;
    if (!n)
        return NULL;
    return xasprintf("%zu problem%s of the project will likely make alembic fail: %s", n,
                     n == 1 ? "" : "s", first);
}

static int al_plan(const Session *s, DbConn *c, const Action *a, const char *arg, bool preview,
                   ActionPlan *p, DbError *err)
{
    const MigrationSettings *ms = &s->cfg.migrations;
    AlAct *m = xcalloc(1, sizeof *m);
    m->free = al_free;
    p->data = m;
    if (al_verb(a) == ALEMBIC_STAMP && (!arg || !*arg)) {
        db_error_set(err, DB_ERR_USAGE, "stamp needs a target: a revision, heads or base");
        return -1;
    }
    if (alembic_project_load(&m->proj, ms->alembic_ini, err) != 0)
        return -1;
    const char *var = ms->alembic_url_env ? ms->alembic_url_env : "DATABASE_URL";
    if (!preview && alembic_url_check(&m->proj.config, s->cfg.database.url,
                                      ms->alembic_url_from_env, var, err) != 0)
        return -1;
    AlembicStatus st;
    if (alembic_status(c, &m->proj.graph, &st, err) != 0)
        return -1;
    int rc = alembic_plan_make(&m->plan, &m->proj.graph, &st, al_verb(a), arg, err);
    if (rc == 0)
        p->warning = al_warning(&m->proj.graph, &st);
    alembic_status_free(&st);
    if (rc != 0)
        return -1;
    char *url = NULL;
    if (alembic_url_for_child(s->cfg.database.url, &url, err) != 0)
        return -1;
    m->env = xasprintf("%s=%s", var, url);
    memset(url, 0, strlen(url));
    free(url);
    m->command = xstrdup(ms->alembic_command && *ms->alembic_command ? ms->alembic_command
                                                                      : "alembic");
    p->summary = xstrdup(m->plan.summary);
    p->nothing = m->plan.nothing;
    p->count = (long)m->plan.nchanged;
    p->items = strv_dup_n((const char *const *)m->plan.changed, m->plan.nchanged);
    p->nitems = m->plan.nchanged;
    m->line = alembic_command_text(m->command, ms->alembic_ini,
                                   (const char *const *)m->plan.args);
    StrBuf w = STRBUF_INIT;   /* what is shown: the command, then what it changes */
    sb_appendf(&w, "%s\n%s", m->line, m->plan.summary);
    for (size_t i = 0; m->plan.nchanged > 1 && i < m->plan.nchanged; i++)
        sb_appendf(&w, "\n  %s", m->plan.changed[i]);
    p->what = sb_take(&w);
    return 0;
}

static int al_recheck(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                      DbError *err)
{
    (void)s;
    (void)ev;
    return alembic_plan_recheck(c, &((AlAct *)p->data)->plan, err);
}

static void al_line(void *ctx, const char *line)
{
    const ActionEvents *ev = ctx;
    if (ev && ev->line)
        ev->line(ev->ctx, line);
}

static int al_run(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                  char **outcome, DbError *err)
{
    (void)c;   /* the lock is the guard's: alembic_run takes none without a connection */
    AlAct *m = p->data;
    const char *env[] = { m->env, NULL };
    AlembicRunOptions o = { m->command, s->cfg.migrations.alembic_ini, NULL, env, 0, NULL };
    if (ev && ev->progress)
        ev->progress(ev->ctx, 0, 0, m->line);
    int status = -1;
    int rc = alembic_run(NULL, ev ? ev->alembic : NULL, &o, (const char *const *)m->plan.args,
                         al_line, (void *)ev, &status, err);
    p->tool_status = status;
    if (rc != 0)
        return -1;
    if (status != 0) {
        db_error_set(err, DB_ERR_IO, "%s exited with status %d; its output says why", m->line,
                     status);
        return -1;
    }
    *outcome = xstrdup(m->plan.summary);
    return 0;
}

static int al_verify(const Session *s, DbConn *c, ActionPlan *p, DbError *err)
{
    (void)s;
    AlAct *m = p->data;
    return alembic_plan_verify(c, &m->proj.graph, &m->plan, false, err);
}

const AlembicPlan *action_alembic_plan(const ActionPlan *p)
{
    return p->data && *(DataFree *)p->data == al_free ? &((AlAct *)p->data)->plan : NULL;
}

const char *action_alembic_command(const ActionPlan *p)
{
    return p->data && *(DataFree *)p->data == al_free ? ((AlAct *)p->data)->line : NULL;
}

int action_alembic_preview(const Session *s, const ActionPlan *p,
                           void (*on_line)(void *ctx, const char *line), void *ctx,
                           int *status, DbError *err)
{
    const AlembicPlan *plan = action_alembic_plan(p);
    *status = -1;
    if (!plan) {
        db_error_set(err, DB_ERR_USAGE, "not an Alembic plan");
        return -1;
    }
    if (!plan->sql_args) {
        db_error_set(err, DB_ERR_USAGE, "%s", plan->sql_problem ? plan->sql_problem
                                                                : "nothing to preview");
        return -1;
    }
    const AlAct *m = p->data;
    const char *env[] = { m->env, NULL };
    AlembicRunOptions o = { m->command, s->cfg.migrations.alembic_ini, NULL, env, 0, NULL };
    return alembic_run(NULL, NULL, &o, (const char *const *)plan->sql_args, on_line, ctx,
                       status, err);
}

/* ---- the rows -------------------------------------------------------- */

static bool is_alembic(const Session *s)
{
    return s->cfg.migrations.alembic_ini != NULL;
}

static int plan(const Session *s, DbConn *c, const char *arg, bool preview, ActionPlan *p,
                DbError *err)
{
    return is_alembic(s) ? al_plan(s, c, p->action, arg, preview, p, err)
                         : mig_plan(s, c, p->action, arg, p, err);
}

static int recheck(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                   DbError *err)
{
    return is_alembic(s) ? al_recheck(s, c, p, ev, err) : mig_recheck(s, c, p, ev, err);
}

static int run(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
               char **outcome, DbError *err)
{
    return is_alembic(s) ? al_run(s, c, p, ev, outcome, err)
                         : mig_run(s, c, p, ev, outcome, err);
}

static int verify(const Session *s, DbConn *c, ActionPlan *p, DbError *err)
{
    return is_alembic(s) ? al_verify(s, c, p, err) : mig_verify(s, c, p, err);
}

static void free_data(void *data)
{
    (*(DataFree *)data)(data);
}

const Action action_up = {
    "up", "apply pending migrations, up to TARGET",
    ACTION_WRITES | ACTION_LONG | ACTION_RUN_LOCK, plan, recheck, run, verify, free_data,
    "up [TARGET]",
};
const Action action_down = {
    "down", "roll back migrations (one by default); asks first, backs up first",
    ACTION_WRITES | ACTION_DESTRUCTIVE | ACTION_LONG | ACTION_RUN_LOCK,
    plan, recheck, run, verify, free_data, "down [N|TARGET|all]",
};
const Action action_stamp = {
    "stamp", "record the database as at TARGET without running SQL; asks first, backs up first",
    ACTION_WRITES | ACTION_DESTRUCTIVE | ACTION_LONG | ACTION_RUN_LOCK,
    plan, recheck, run, verify, free_data, "stamp TARGET",
};
