/* migrate_run.c: running plans under the run lock: the plan made again
 * and compared, the steps, the check of where the database ends (see
 * migrate.h). */
#include "migrate_internal.h"
#include "runlock.h"
#include "sqlsplit.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- running ------------------------------------------------------- */

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1000L + (t1.tv_nsec - t0->tv_nsec) / 1000000L;
}

static int is_recorded(DbConn *c, const char *version, bool *recorded, DbError *err)
{
    const char *vals[1] = { version };
    DbParams p = { 1, vals };
    char *v = NULL;
    if (db_query_value(c, "migrations: is version applied",
                       "/* migrations: is version applied */ SELECT 1 FROM " MIGRATE_TABLE
                       " WHERE version = $1", &p, &v, err) != 0)
        return -1;
    *recorded = v != NULL;
    free(v);
    return 0;
}

/* Appends "; note" to err's message. */
static void add_note(DbError *err, const char *note)
{
    char *m = xasprintf("%s; %s", err->message ? err->message : "failed", note);
    free(err->message);
    err->message = m;
}

/* Did a statement of sql run before the one at offset at? */
static bool ran_before(DbConn *c, const char *sql, size_t at)
{
    SqlStmt *st = NULL;
    size_t n = sqlsplit(db_engine(c), sql, &st);
    bool before = n > 0 && st[0].start < at;
    free(st);
    return before;
}

/* Runs one section.  Inside dbwarden's transaction the section is checked
 * first (migfile_check_tx: nothing runs when a statement of it would end
 * the transaction), and a statement that ends it anyway stops it at once
 * (db_exec_script_in_tx).  On failure err reads "<file>:<line>: …",
 * *line is where the failing statement starts, and *half says whether
 * statements before it stay applied: outside a transaction, or when that
 * statement committed the transaction. */
static int run_section(DbConn *c, const MigFile *f, const MigSection *sec, int *line,
                       bool *half, DbError *err)
{
    size_t at = 0;
    bool committed = false;
    *half = false;
    if (sec->transaction) {
        if (migfile_check_tx(f, sec, db_engine(c), err) != 0)
            return -1;
        if (db_exec_script_in_tx(c, f->filename, sec->sql, &at, &committed, err) == 0)
            return 0;
        *half = committed;
    } else {
        if (db_exec_script(c, f->filename, sec->sql, &at, err) == 0)
            return 0;
        *half = ran_before(c, sec->sql, at);
    }
    *line = migfile_line_of(sec, at);
    int err_line = err->position >= 0 ? migfile_line_of(sec, (size_t)err->position) : *line;
    char *path = xstrdup(f->path);
    if (err_line != *line)
        db_error_prefix(err, "%s:%d (statement at line %d)", path, err_line, *line);
    else
        db_error_prefix(err, "%s:%d", path, *line);
    free(path);
    return -1;
}

/* After step s failed half way at line: records it, and says so in err. */
static void note_failed(DbConn *c, const MigStep *s, int line, const char *who, DbError *err)
{
    DbError e = DB_ERROR_INIT;
    char *note;
    if (migrate_record_failure(c, s->version, s->name, line, err->message, who, &e) == 0)
        note = xasprintf("the statements before line %d stay applied, so it is recorded as "
                         "failed half way and no migration runs until it is fixed: finish it "
                         "by hand, then run 'dbwarden stamp %s'", line, s->version);
    else
        note = xasprintf("the statements before line %d stay applied, and it could not be "
                         "recorded as failed (%s): finish it by hand, then run 'dbwarden "
                         "stamp %s'", line, e.message, s->version);
    add_note(err, note);
    free(note);
    db_error_clear(&e);
}

/* Refuses to apply anything while a migration is recorded as failed. */
static int refuse_if_failed(DbConn *c, DbError *err)
{
    MigFailure *f = NULL;
    size_t n = 0;
    if (migrate_read_failures(c, &f, &n, err) != 0)
        return -1;
    if (n > 0)
        migrate_failed_error(err, f[0].version, f[0].name, NULL, f[0].line);
    migrate_failures_free(f, n);
    return n > 0 ? -1 : 0;
}

/* The version table's part of step s, and for a stamp the failure's. */
static int bookkeep(DbConn *c, const MigStep *s, const char *who, long ms, DbError *err)
{
    const char *vals[5] = { s->version, s->name, s->file ? s->file->checksum : "", NULL, who };
    char dur[32];
    snprintf(dur, sizeof dur, "%ld", ms);
    vals[3] = dur;
    DbParams p = { 5, vals }, one = { 1, vals };
    bool adds = s->kind == MIG_STEP_UP || s->kind == MIG_STEP_RECORD;
    if (adds ? db_exec(c, "migrations: record version", migrate_record_sql, &p, err) != 0
             : db_exec(c, "migrations: forget version", migrate_forget_sql, &one, err) != 0)
        return -1;
    if (s->kind == MIG_STEP_RECORD || s->kind == MIG_STEP_FORGET)
        return migrate_clear_failure(c, s->version, err);
    return 0;
}

/* Runs one step in its own transaction. *skipped when it was already done
 * (by another runner). */
static int run_step(DbConn *c, const MigStep *s, const char *who, long *ms, bool *skipped,
                    DbError *err)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool tx = migrate_step_in_transaction(s);
    bool adds = s->kind == MIG_STEP_UP || s->kind == MIG_STEP_RECORD;
    *skipped = false;
    if (tx && db_begin(c, true, err) != 0)
        return -1;
    bool recorded = false;
    if (is_recorded(c, s->version, &recorded, err) != 0)
        goto fail;
    if (recorded == adds) {
        *skipped = true;
        if (tx)
            db_rollback(c);
        return 0;
    }
    if (s->kind == MIG_STEP_UP && refuse_if_failed(c, err) != 0)
        goto fail;
    const MigSection *sec = migrate_step_section(s);
    int line = 0;
    bool half = false;
    if (sec && run_section(c, s->file, sec, &line, &half, err) != 0) {
        if (tx)
            db_rollback(c);
        if (half)
            note_failed(c, s, line, who, err);
        return -1;
    }
    *ms = elapsed_ms(&t0);
    if (bookkeep(c, s, who, sec ? *ms : 0L, err) != 0)
        goto fail;
    if (tx && db_commit(c, err) != 0)
        goto fail;
    return 0;
fail:
    if (tx)
        db_rollback(c);
    return -1;
}

static bool same_step(const MigStep *a, const MigStep *b)
{
    return a->kind == b->kind && strcmp(a->version, b->version) == 0;
}

/* Is now, the plan made under the lock, the confirmed plan?  An up may
 * have lost steps that another runner applied (reported through on_skip);
 * nothing else may differ.  On a difference err says what moved. */
static int plan_holds(const MigPlan *confirmed, const MigPlan *now, const MigProgress *pg,
                      DbError *err)
{
    bool ok = true;
    if (confirmed->kind == MIG_PLAN_UP) {
        size_t k = 0;   /* now must be confirmed with steps left out */
        for (size_t i = 0; i < confirmed->count; i++)
            if (k < now->count && same_step(&confirmed->steps[i], &now->steps[k]))
                k++;
        ok = k == now->count;
        for (size_t i = 0, j = 0; ok && i < confirmed->count; i++) {
            if (j < now->count && same_step(&confirmed->steps[i], &now->steps[j]))
                j++;
            else if (pg && pg->on_skip)
                pg->on_skip(pg->ctx, &confirmed->steps[i]);
        }
    } else {
        ok = confirmed->count == now->count;
        for (size_t i = 0; ok && i < now->count; i++)
            ok = same_step(&confirmed->steps[i], &now->steps[i]);
    }
    if (ok)
        return 0;
    const char *was = confirmed->from ? confirmed->from : "no version";
    const char *is = now->from ? now->from : "no version";
    if (strcmp(was, is) != 0)
        db_error_set(err, DB_ERR_BUSY, "the database moved from %s to %s while you were "
                     "confirming: nothing was done (the plan was to %s; it would now be to %s)",
                     was, is, confirmed->summary, now->summary);
    else
        db_error_set(err, DB_ERR_BUSY, "the migrations applied to the database changed while "
                     "you were confirming: nothing was done (the plan was to %s; it would now "
                     "be to %s)", confirmed->summary, now->summary);
    snprintf(err->code, sizeof err->code, "%s", MIGRATE_PLAN_CHANGED);
    return -1;
}

/* Runs the steps of plan, the lock held. */
static int run_steps(DbConn *c, const MigPlan *plan, const MigProgress *pg, size_t *n,
                     DbError *err)
{
    char *who = migrate_who_applies();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < plan->count; i++) {
        const MigStep *s = &plan->steps[i];
        if (pg && pg->cancelled && pg->cancelled(pg->ctx)) {
            db_error_set(err, DB_ERR_CANCELLED, "cancelled before %s_%s (%zu of %zu); the "
                         "%zu step%s before it stay%s", s->version, s->name, i + 1,
                         plan->count, *n, *n == 1 ? "" : "s", *n == 1 ? "s" : "");
            rc = -1;
            break;
        }
        if (pg && pg->on_start)
            pg->on_start(pg->ctx, s, i, plan->count);
        long ms = 0;
        bool skipped = false;
        rc = run_step(c, s, who, &ms, &skipped, err);
        if (rc == 0 && skipped && pg && pg->on_skip)
            pg->on_skip(pg->ctx, s);
        if (rc == 0 && !skipped) {
            (*n)++;
            if (pg && pg->on_done)
                pg->on_done(pg->ctx, s, ms);
        }
    }
    free(who);
    return rc;
}

int migrate_recheck(DbConn *c, const MigPlan *confirmed, MigPlan *now,
                    const MigProgress *progress, DbError *err)
{
    memset(now, 0, sizeof *now);
    if (!confirmed->dir) {
        db_error_set(err, DB_ERR_USAGE, "a plan to run must come from migrate_plan");
        return -1;
    }
    /* CREATE TABLE IF NOT EXISTS under the lock: two at once can collide
     * in PostgreSQL's catalog */
    if (db_exec(c, "migrations: create version table", migrate_create_table_sql(db_engine(c)),
                NULL, err) != 0)
        return -1;
    if (migrate_plan(c, confirmed->kind, confirmed->dir, confirmed->arg, now, err) != 0)
        return -1;
    if (plan_holds(confirmed, now, progress, err) != 0) {
        migrate_plan_free(now);
        return -1;
    }
    return 0;
}

int migrate_run_steps(DbConn *c, const MigPlan *plan, const MigProgress *progress,
                      size_t *done, DbError *err)
{
    size_t n = 0;
    int rc = run_steps(c, plan, progress, &n, err);
    if (done)
        *done = n;
    return rc;
}

int migrate_verify(DbConn *c, const MigPlan *plan, DbError *err)
{
    MigStatus st;
    if (migrate_status(c, plan->dir, &st, err) != 0) {
        db_error_prefix(err, "the run ended, but where the database is cannot be read");
        return -1;
    }
    const char *cur = st.current, *want = plan->to;
    int rc = 0;
    if ((cur == NULL) != (want == NULL) || (cur && strcmp(cur, want) != 0)) {
        db_error_set(err, DB_ERR_IO, "the run ended, but the database is at %s, not at %s as "
                     "planned: check %s before going on", cur ? cur : "no version",
                     want ? want : "no version", MIGRATE_TABLE);
        rc = -1;
    }
    migrate_status_free(&st);
    return rc;
}

int migrate_run(DbConn *c, const MigPlan *plan, const MigProgress *progress, size_t *done,
                DbError *err)
{
    if (done)
        *done = 0;
    if (plan->count == 0)
        return 0;
    RunLock *lock = NULL;
    if (runlock_acquire(c, "migrations", "dbwarden migrations", RUNLOCK_WAIT_DEFAULT, &lock,
                        err) != 0)
        return -1;
    MigPlan now;
    int rc = migrate_recheck(c, plan, &now, progress, err);
    if (rc == 0 && progress && progress->before)
        rc = progress->before(progress->ctx, &now, err);
    if (rc == 0)
        rc = migrate_run_steps(c, &now, progress, done, err);
    if (rc == 0)
        rc = migrate_verify(c, &now, err);
    migrate_plan_free(&now);
    runlock_release(lock);
    return rc;
}

int migrate_up(DbConn *c, const MigDir *dir, const char *target, const MigProgress *progress,
               size_t *applied_count, DbError *err)
{
    MigPlan plan;
    if (applied_count)
        *applied_count = 0;
    if (migrate_plan_up(c, dir, target, &plan, err) != 0)
        return -1;
    int rc = migrate_run(c, &plan, progress, applied_count, err);
    migrate_plan_free(&plan);
    return rc;
}
