/* alembic_exec.c: a planned alembic run, under the run lock: the plan
 * re-checked against alembic_version before alembic starts, and what
 * alembic did checked against the plan before the lock is released (see
 * alembic.h). */
#include "alembic.h"
#include "strv.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *joined(char *const *v, size_t n)
{
    if (n == 0)
        return xstrdup("nothing applied");
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        sb_appendf(&b, "%s%s", i ? ", " : "", v[i]);
    return sb_take(&b);
}

/* Sorted rows without repeats (alembic_current_read sorts them). */
static size_t dedup(char **v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && strcmp(v[k - 1], v[i]) == 0) {
            free(v[i]);
            continue;
        }
        v[k++] = v[i];
    }
    if (v)
        v[k] = NULL;
    return k;
}

static bool same_rows(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static int read_rows(DbConn *c, char ***rows, size_t *n, DbError *err)
{
    bool exists = false;
    if (alembic_current_read(c, rows, n, &exists, err) != 0)
        return -1;
    *n = dedup(*rows, *n);
    return 0;
}

int alembic_plan_recheck(DbConn *c, const AlembicPlan *p, DbError *err)
{
    char **rows = NULL;
    size_t n = 0;
    if (read_rows(c, &rows, &n, err) != 0) {
        db_error_prefix(err, "cannot check the plan again, so nothing was done");
        return -1;
    }
    int rc = 0;
    if (!same_rows(rows, n, p->before, p->nbefore)) {
        char *was = joined(p->before, p->nbefore), *now = joined(rows, n);
        db_error_set(err, DB_ERR_BUSY, "the database moved from %s to %s while this was being "
                     "confirmed (another run changed %s): nothing was done; look at it again "
                     "and start over", was, now, ALEMBIC_VERSION_TABLE);
        free(was);
        free(now);
        rc = -1;
    }
    strv_free(rows);
    return rc;
}

/* The ids applied when alembic_version holds rows, as g sees them; false
 * when a row names a revision g does not know. */
static bool applied_ids(const AlembicGraph *g, char *const *rows, size_t n, char ***ids,
                        size_t *nids)
{
    AlembicStatus st;
    alembic_status_from_current(&st, g, (const char *const *)rows, n);
    bool known = st.nproblems == 0;
    *ids = xcalloc(g->count + 1, sizeof **ids);
    *nids = 0;
    for (size_t i = 0; i < g->count; i++)
        if (st.applied[i] && g->revs[i].in_graph)
            (*ids)[(*nids)++] = xstrdup(g->revs[i].revision);
    alembic_status_free(&st);
    if (*nids)
        qsort(*ids, *nids, sizeof **ids, cmp_str);   /* as the plan's lists are */
    return known;
}

int alembic_plan_verify(DbConn *c, const AlembicGraph *g, const AlembicPlan *p, bool sql,
                        DbError *err)
{
    char **rows = NULL, **ids = NULL;
    size_t n = 0, nids = 0;
    if (read_rows(c, &rows, &n, err) != 0) {
        db_error_prefix(err, "alembic ended, but its effect cannot be checked");
        return -1;
    }
    int rc = 0;
    if (sql) {
        if (!same_rows(rows, n, p->before, p->nbefore)) {
            char *was = joined(p->before, p->nbefore), *now = joined(rows, n);
            db_error_set(err, DB_ERR_IO, "the --sql preview was to change nothing, but %s on %s "
                         "went from %s to %s", ALEMBIC_VERSION_TABLE, db_display_url(c), was,
                         now);
            free(was);
            free(now);
            rc = -1;
        }
    } else if (!applied_ids(g, rows, n, &ids, &nids) ||
               !same_rows(ids, nids, p->after, p->nafter)) {
        char *now = joined(rows, n), *want = joined(p->after_current, p->nafter_current);
        char *was = joined(p->before, p->nbefore);
        db_error_set(err, DB_ERR_IO, "alembic ended with exit status 0, but %s on %s holds %s, "
                     "not %s as planned (it held %s before): the project's env.py may connect "
                     "to another database than dbwarden's (see alembic_url_env)",
                     ALEMBIC_VERSION_TABLE, db_display_url(c), now, want, was);
        free(now);
        free(want);
        free(was);
        rc = -1;
    }
    strv_free(ids);
    strv_free(rows);
    return rc;
}

/* ---- the run -------------------------------------------------------- */

typedef struct PlanRun {
    const AlembicGraph          *g;
    const AlembicPlan           *p;
    const AlembicPlanRunOptions *o;
} PlanRun;

static int on_locked(void *ctx, DbConn *conn, DbError *err)
{
    PlanRun *r = ctx;
    if (alembic_plan_recheck(conn, r->p, err) != 0)
        return -1;
    if (r->o->backup && r->o->backup(r->o->ctx, conn, err) != 0)
        return -1;
    return 0;
}

static int on_ended(void *ctx, DbConn *conn, int status, DbError *err)
{
    PlanRun *r = ctx;
    if (status != 0)
        return 0;     /* alembic failed: the caller says so, with its output */
    return alembic_plan_verify(conn, r->g, r->p, r->o->sql, err);
}

int alembic_plan_run(DbConn *conn, AlembicRun *handle, const AlembicGraph *g,
                     const AlembicPlan *p, const AlembicPlanRunOptions *o, int *status,
                     DbError *err)
{
    *status = -1;
    char **args = o->sql ? p->sql_args : p->args;
    if (!args) {
        db_error_set(err, DB_ERR_USAGE, "%s", p->sql_problem ? p->sql_problem
                                                             : "nothing to run");
        return -1;
    }
    PlanRun r = { g, p, o };
    AlembicRunHooks hooks = { on_locked, on_ended, &r };
    AlembicRunOptions ro = o->run;
    ro.hooks = &hooks;
    return alembic_run(conn, handle, &ro, (const char *const *)args, o->on_line, o->ctx, status,
                       err);
}
