/* job_tasks.c: the jobs the console runs: a migration plan, an alembic
 * run, a backup, a restore (see job.h). */
#include "backup.h"
#include "job.h"
#include "strbuf.h"
#include "strv.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- shared ---------------------------------------------------------- */

typedef struct BackupArg {
    bool  take;
    char *folder;   /* owned; NULL: "backups" */
} BackupArg;

static BackupArg backup_arg(const JobBackup *b)
{
    BackupArg a = { b && b->take, NULL };
    if (a.take && b->folder && *b->folder)
        a.folder = xstrdup(b->folder);
    return a;
}

/* The backup before what (when asked for); reports it as JOB_BACKUP. */
static int take_backup(Job *job, DbConn *c, const BackupArg *b, const char *what,
                       DbError *err)
{
    if (!b->take)
        return 0;
    job_log(job, "taking a backup before %s", what);
    BackupInfo info;
    if (backup_create(c, b->folder, NULL, &info, err) != 0) {
        db_error_prefix(err, "no backup could be taken before %s, so nothing was changed", what);
        return -1;
    }
    job_backup_written(job, info.path, info.bytes);
    backup_info_free(&info);
    return 0;
}

/* ---- a migration plan ------------------------------------------------ */

typedef struct PlanArg {
    MigPlan   plan;
    BackupArg backup;
    char     *title;
    int       statement_timeout_ms;  /* [database] statement_timeout; 0: none */
} PlanArg;

static void plan_free(void *p)
{
    PlanArg *a = p;
    migrate_plan_free(&a->plan);
    free(a->backup.folder);
    free(a->title);
    free(a);
}

static const char *step_verb(MigStepKind k)
{
    switch (k) {
    case MIG_STEP_UP: return "applied";
    case MIG_STEP_DOWN: return "rolled back";
    case MIG_STEP_RECORD: return "recorded";
    case MIG_STEP_FORGET: return "forgot";
    }
    return "";
}

typedef struct PlanRun {
    Job     *job;
    PlanArg *arg;
    DbConn  *conn;   /* the job's own */
} PlanRun;

static void step_start(void *ctx, const MigStep *s, size_t index, size_t total)
{
    PlanRun *r = ctx;
    job_progress(r->job, index, total, "%s_%s", s->version, s->name);
}

static void step_done(void *ctx, const MigStep *s, long ms)
{
    PlanRun *r = ctx;
    job_log(r->job, "%s %s_%s (%ld ms)", step_verb(s->kind), s->version, s->name, ms);
}

static void step_skipped(void *ctx, const MigStep *s)
{
    PlanRun *r = ctx;
    job_log(r->job, "skipped %s_%s: already done (by another run)", s->version, s->name);
}

static bool plan_cancelled(void *ctx)
{
    return job_cancel_requested(((PlanRun *)ctx)->job);
}

/* With the run lock held and the plan re-checked: the backup. */
static int plan_before(void *ctx, const MigPlan *plan, DbError *err)
{
    (void)plan;
    PlanRun *r = ctx;
    return take_backup(r->job, r->conn, &r->arg->backup, r->arg->title, err);
}

static int plan_run(Job *job, DbConn *c, void *arg, char **summary, DbError *err)
{
    PlanArg *a = arg;
    const MigPlan *p = &a->plan;
    if (a->statement_timeout_ms > 0 &&
        db_set_statement_timeout(c, a->statement_timeout_ms, err) != 0)
        return -1;
    PlanRun r = { job, a, c };
    MigProgress prog = { step_start, step_done, &r, plan_before, plan_cancelled, step_skipped };
    size_t done = 0;
    if (migrate_run(c, p, &prog, &done, err) != 0)
        return -1;
    if (p->count == 0)
        *summary = xstrdup(p->summary ? p->summary : "nothing to do");
    else
        *summary = xasprintf("%s %zu migration%s", step_verb(p->steps[0].kind), done,
                             done == 1 ? "" : "s");
    return 0;
}

int job_start_plan(Job **out, const char *url, int statement_timeout_ms, const char *title,
                   MigPlan *plan, const JobBackup *backup, DbError *err)
{
    PlanArg *a = xcalloc(1, sizeof *a);
    a->statement_timeout_ms = statement_timeout_ms;
    a->plan = *plan;
    memset(plan, 0, sizeof *plan);
    a->backup = backup_arg(backup);
    a->title = xstrdup(title);
    JobSpec spec = { title, url, plan_run, a, plan_free };
    return job_start(out, &spec, err);
}

/* ---- an alembic run -------------------------------------------------- */

typedef struct AlembicArg {
    char       *command, *ini, *cwd;
    char      **env;     /* NULL-terminated, or NULL */
    int         lock_wait_ms;
    AlembicPlan plan;
    BackupArg   backup;
    char       *title;
    Job        *job;     /* set when the work starts */
} AlembicArg;

static void alembic_free(void *p)
{
    AlembicArg *a = p;
    free(a->command);
    free(a->ini);
    free(a->cwd);
    strv_free(a->env);
    alembic_plan_free(&a->plan);
    free(a->backup.folder);
    free(a->title);
    free(a);
}

static void alembic_line(void *ctx, const char *line)
{
    job_log(((AlembicArg *)ctx)->job, "%s", line);
}

/* Under the run lock, once the plan is checked again: the backup. */
static int alembic_backup(void *ctx, DbConn *c, DbError *err)
{
    AlembicArg *a = ctx;
    return take_backup(a->job, c, &a->backup, a->title, err);
}

static int alembic_job_run(Job *job, DbConn *c, void *arg, char **summary, DbError *err)
{
    AlembicArg *a = arg;
    a->job = job;
    AlembicProject proj;
    if (alembic_project_load(&proj, a->ini, err) != 0)
        return -1;
    char *what = alembic_command_text(a->command, a->ini, (const char *const *)a->plan.args);
    job_progress(job, 0, 0, "%s", what);
    AlembicPlanRunOptions o = {
        .run = { a->command, a->ini, a->cwd, (const char *const *)a->env, a->lock_wait_ms, NULL },
        .sql = false,
        .backup = alembic_backup,
        .on_line = alembic_line,
        .ctx = a,
    };
    int status = -1, rc = -1;
    if (alembic_plan_run(c, job_alembic_handle(job), &proj.graph, &a->plan, &o, &status,
                         err) != 0)
        goto done;
    if (status != 0) {
        db_error_set(err, DB_ERR_IO, "%s exited with status %d; its output in the log says why",
                     what, status);
        goto done;
    }
    StrBuf now = STRBUF_INIT;
    for (size_t i = 0; i < a->plan.nafter_current; i++)
        sb_appendf(&now, "%s%s", i ? ", " : "", a->plan.after_current[i]);
    *summary = now.len ? xasprintf("%s: done; the database is at %s", a->plan.summary,
                                   sb_str(&now))
                       : xasprintf("%s: done; no revision is applied", a->plan.summary);
    sb_free(&now);
    rc = 0;
done:
    free(what);
    alembic_project_free(&proj);
    return rc;
}

int job_start_alembic(Job **out, const char *url, const char *title,
                      const AlembicRunOptions *o, AlembicPlan *plan,
                      const JobBackup *backup, DbError *err)
{
    AlembicArg *a = xcalloc(1, sizeof *a);
    a->command = xstrdup(o->command);
    a->ini = xstrdup(o->ini);
    a->cwd = xstrdup(o->cwd);
    a->env = o->env ? strv_dup(o->env) : NULL;
    a->lock_wait_ms = o->lock_wait_ms;
    a->plan = *plan;
    memset(plan, 0, sizeof *plan);
    a->backup = backup_arg(backup);
    a->title = xstrdup(title);
    JobSpec spec = { title, url, alembic_job_run, a, alembic_free };
    return job_start(out, &spec, err);
}

/* ---- a backup, a restore --------------------------------------------- */

typedef struct RestoreArg {
    char     *file;     /* NULL for a plain backup */
    BackupArg backup;
} RestoreArg;

static void restore_free(void *p)
{
    RestoreArg *a = p;
    free(a->file);
    free(a->backup.folder);
    free(a);
}

static int backup_job_run(Job *job, DbConn *c, void *arg, char **summary, DbError *err)
{
    RestoreArg *a = arg;
    job_progress(job, 0, 1, "backup of %s", db_display_url(c));
    BackupInfo info;
    if (backup_create(c, a->backup.folder, NULL, &info, err) != 0)
        return -1;
    job_backup_written(job, info.path, info.bytes);
    *summary = xasprintf("backup written: %s (%ld ms)", info.path, info.duration_ms);
    backup_info_free(&info);
    return 0;
}

int job_start_backup(Job **out, const char *url, const char *folder, DbError *err)
{
    RestoreArg *a = xcalloc(1, sizeof *a);
    JobBackup b = { true, folder };
    a->backup = backup_arg(&b);
    JobSpec spec = { "backup", url, backup_job_run, a, restore_free };
    return job_start(out, &spec, err);
}

/* The order of backup.h: the lock, then the check, the backup and the
 * restore under it. */
static int restore_job_run(Job *job, DbConn *c, void *arg, char **summary, DbError *err)
{
    RestoreArg *a = arg;
    RunLock *lock = NULL;
    int rc = -1;
    job_progress(job, 0, 4, "waiting for the run lock");
    if (backup_restore_lock(c, &lock, err) != 0) {
        db_error_prefix(err, "nothing was changed");
        return -1;
    }
    job_progress(job, 1, 4, "checking %s", a->file);
    if (backup_check(c, a->file, NULL, err) != 0)
        goto done;
    job_progress(job, 2, 4, "backup of the database as it is");
    char *what = xasprintf("restoring %s", a->file);
    int brc = take_backup(job, c, &a->backup, what, err);
    free(what);
    if (brc != 0)
        goto done;
    if (job_cancel_requested(job)) {
        db_error_set(err, DB_ERR_CANCELLED, "cancelled before the restore began; nothing was "
                     "changed");
        goto done;
    }
    job_progress(job, 3, 4, "restoring %s", a->file);
    long ms = 0;
    if (backup_restore(c, a->file, NULL, &ms, err) != 0)
        goto done;
    *summary = xasprintf("restored %s (%ld ms)", a->file, ms);
    rc = 0;
done:
    runlock_release(lock);
    return rc;
}

int job_start_restore(Job **out, const char *url, const char *file, const JobBackup *before,
                      DbError *err)
{
    RestoreArg *a = xcalloc(1, sizeof *a);
    a->file = xstrdup(file);
    a->backup = backup_arg(before);
    JobSpec spec = { "restore", url, restore_job_run, a, restore_free };
    return job_start(out, &spec, err);
}
