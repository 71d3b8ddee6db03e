/* pane_schema_rowjob.c: the Rows tab's work off the console's thread (see
 * pane_schema_internal.h): one task at a time on a persistent worker
 * (core/worker.h) with a connection of the tab's own, opened by the
 * worker's first task and kept (the pager holds it); the wait for a quick
 * task, the progress of a slow one, Esc, and the task's messages said on
 * the console's thread.  An in-memory database runs its tasks at once on
 * the console's connection. */
#include "pane_schema_internal.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How often a stop is sent again while the task has not ended (a cancel
 * that came between two statements reaches none). */
#define RESTOP_MS 50

/* ---- tasks ---------------------------------------------------------------- */

void sch_rowjob_init(SchemaPane *sp)
{
    pthread_mutex_init(&sp->rj.mu, NULL);
    sp->rj.session = sp->base.ctx->session;
}

SchTask *sch_task_new(SchOp op, const char *at_schema, const char *at_name, const char *fmt, ...)
{
    SchTask *t = xcalloc(1, sizeof *t);
    t->op = op;
    va_list ap;
    va_start(ap, fmt);
    t->what = xvasprintf(fmt, ap);
    va_end(ap);
    t->at_schema = xstrdup(at_schema);
    t->at_name = xstrdup(at_name);
    t->rows.grid_y = -1;
    t->table.rows = -1;
    atomic_init(&t->stop, false);
    return t;
}

void sch_spec_set(SchTableSpec *s, const CatTable *t)
{
    s->schema = xstrdup(t->schema);
    s->name = xstrdup(t->name);
    s->rows = t->rows;
    s->rows_exact = t->rows_exact;
    s->detailed = t->detailed;
    if (!t->detailed)
        return;
    s->rls = t->rls_enabled;
    s->ncolumns = t->ncolumns;
    s->columns = xcalloc(t->ncolumns + 1, sizeof *s->columns);
    for (size_t i = 0; i < t->ncolumns; i++)
        s->columns[i] = xstrdup(t->columns[i].name);
}

void sch_spec_free(SchTableSpec *s)
{
    free(s->schema);
    free(s->name);
    sch_strv_free((int)s->ncolumns, s->columns);
    *s = (SchTableSpec){ .rows = -1 };
}

void sch_task_free(SchTask *t)
{
    if (!t)
        return;
    free(t->what);
    free(t->at_schema);
    free(t->at_name);
    sch_spec_free(&t->table);
    sch_step_free(&t->step);
    sch_strv_free(t->nfk, t->ref_cols);
    sch_strv_free(t->nfk, t->vals);
    free(t->anchor);
    free(t->no_conn);
    sch_rows_close(&t->rows);
    catalog_free(t->one);
    for (size_t i = 0; i < t->nmsgs; i++)
        free(t->msgs[i].text);
    free(t->msgs);
    free(t);
}

void sch_task_say(SchTask *t, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    t->msgs = xrealloc(t->msgs, (t->nmsgs + 1) * sizeof *t->msgs);
    t->msgs[t->nmsgs++] = (SchMsg){ error, text };
}

void sch_task_doing(SchTask *t, const char *fmt, ...)
{
    if (!t->job)
        return;
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&t->job->mu);
    vsnprintf(t->job->doing, sizeof t->job->doing, fmt, ap);
    pthread_mutex_unlock(&t->job->mu);
    va_end(ap);
}

bool sch_task_go(SchTask *t)
{
    if (!atomic_load(&t->stop))
        return true;
    t->was_stopped = true;
    return false;
}

bool sch_task_cut(SchTask *t, const DbError *e)
{
    if (e->kind != DB_ERR_CANCELLED || !atomic_load(&t->stop))
        return false;
    t->was_stopped = true;
    return true;
}

bool sch_task_details(SchTask *t)
{
    SchTableSpec *s = &t->table;
    if (s->detailed)
        return true;
    if (!sch_task_go(t))
        return false;
    sch_task_doing(t, "reading the columns of %s", s->name);
    Catalog *one = NULL;
    DbError e = DB_ERROR_INIT;
    const CatTable *ct = NULL;
    if (catalog_load_table(t->conn, s->schema, s->name, &one, &e) == 0)
        ct = catalog_find(one, s->schema, s->name);
    if (!ct || !ct->detailed) {
        if (!sch_task_cut(t, &e))
            sch_task_say(t, true, "Cannot read %s: %s", s->name,
                         e.message ? e.message : "it is no longer in the database");
        catalog_free(one);
        db_error_clear(&e);
        return false;
    }
    SchTableSpec read = { 0 };
    sch_spec_set(&read, ct);
    sch_spec_free(s);
    *s = read;
    t->one = one;
    return true;
}

/* ---- running them ---------------------------------------------------------- */

static void work(SchTask *t)
{
    switch (t->op) {
    case SCH_OP_SHOW:
    case SCH_OP_FIRST:
    case SCH_OP_LAST:
    case SCH_OP_NEXT:
    case SCH_OP_PREV: sch_rows_work(t); break;
    case SCH_OP_RESTORE:
    case SCH_OP_BACK: sch_place_work(t); break;
    case SCH_OP_FOLLOW: sch_follow_work(t); break;
    }
}

/* The worker's side: the tab's connection (opened the first time), then
 * the work.  The connection goes into job->conn under the lock, for
 * db_cancel from the console's thread; one that cannot be opened leaves
 * t->conn NULL and the reason in t->no_conn, which the work shows. */
static void task_main(void *arg)
{
    SchTask *t = arg;
    SchRowJob *j = t->job;
    pthread_mutex_lock(&j->mu);
    DbConn *c = j->conn;
    pthread_mutex_unlock(&j->mu);
    if (!c) {
        DbError e = DB_ERROR_INIT;
        sch_task_doing(t, "connecting");
        if (session_open(j->session, false, &c, &e) != 0) {
            t->no_conn = xasprintf("cannot connect: %s", e.message);
            db_error_clear(&e);
            c = NULL;
        } else {
            pthread_mutex_lock(&j->mu);
            j->conn = c;
            pthread_mutex_unlock(&j->mu);
        }
    }
    t->conn = c;
    sch_task_doing(t, "%s", t->what);
    work(t);
}

static void apply(SchemaPane *sp, SchTask *t)
{
    switch (t->op) {
    case SCH_OP_SHOW:
    case SCH_OP_FIRST:
    case SCH_OP_LAST:
    case SCH_OP_NEXT:
    case SCH_OP_PREV: sch_rows_apply(sp, t); break;
    case SCH_OP_RESTORE:
    case SCH_OP_BACK: sch_place_apply(sp, t); break;
    case SCH_OP_FOLLOW: sch_follow_apply(sp, t); break;
    }
}

static void start(SchemaPane *sp, SchTask *t);

/* The task has ended: its messages said, its result applied (or dropped),
 * then the one queued behind it started, or the tab opened that the
 * selection wants. */
static void finish(SchemaPane *sp, SchTask *t)
{
    SchRowJob *j = &sp->rj;
    j->applying = true;
    if (!t->dropped) {
        for (size_t i = 0; i < t->nmsgs; i++)
            pane_say(&sp->base, t->msgs[i].error, "%s", t->msgs[i].text);
        if (t->was_stopped)
            pane_say(&sp->base, false, "Stopped %s.", t->what);
        apply(sp, t);
    }
    sch_task_free(t);
    j->applying = false;
    SchTask *next = j->queued;
    j->queued = NULL;
    if (next)
        start(sp, next);
    else
        sch_follow_selection(sp);
}

static void start(SchemaPane *sp, SchTask *t)
{
    SchRowJob *j = &sp->rj;
    t->job = j;
    snprintf(j->doing, sizeof j->doing, "%s", t->what);
    j->second = 0;
    if (sp->load.sync) {   /* an in-memory database: its one connection */
        t->conn = sp->base.ctx->conn;
        work(t);
        finish(sp, t);
        return;
    }
    DbError e = DB_ERROR_INIT;
    if (!j->worker && worker_start(&j->worker, &e) != 0) {
        pane_say(&sp->base, true, "Cannot read the rows: %s", e.message);
        db_error_clear(&e);
        sch_task_free(t);
        return;
    }
    j->task = t;
    worker_submit(j->worker, task_main, t);   /* free: no task was running */
    if (worker_wait(j->worker, SCH_ROWS_WAIT_MS)) {
        j->task = NULL;
        finish(sp, t);
    }
}

void sch_rowjob_run(SchemaPane *sp, SchTask *t)
{
    SchRowJob *j = &sp->rj;
    if (j->task) {   /* replaced: stopped, dropped when it ends */
        j->task->dropped = true;
        sch_rowjob_stop(sp);
    }
    if (j->task || j->applying) {
        sch_task_free(j->queued);
        j->queued = t;
        return;
    }
    start(sp, t);
}

bool sch_rowjob_busy(const SchemaPane *sp)
{
    return sp->rj.task != NULL || sp->rj.applying;
}

static bool task_on(const SchTask *t, const CatTable *ct)
{
    return t && !t->dropped && ct && strcmp(t->at_name, ct->name) == 0 &&
           strcmp(t->at_schema, ct->schema) == 0;
}

bool sch_rowjob_on(const SchemaPane *sp, const CatTable *t)
{
    return task_on(sp->rj.task, t) || task_on(sp->rj.queued, t);
}

bool sch_rowjob_refuse(SchemaPane *sp)
{
    if (!sch_rowjob_busy(sp))
        return false;
    const SchTask *t = sp->rj.task;
    pane_say(&sp->base, false, "Still %s: wait, or Esc stops it.", t ? t->what : "busy");
    return true;
}

/* Stops the statement that runs (again: one sent between two statements
 * reaches none). */
static void cancel_now(SchRowJob *j)
{
    pthread_mutex_lock(&j->mu);
    db_cancel(j->conn);
    pthread_mutex_unlock(&j->mu);
}

bool sch_rowjob_stop(SchemaPane *sp)
{
    SchRowJob *j = &sp->rj;
    if (!j->task)
        return false;
    atomic_store(&j->task->stop, true);
    cancel_now(j);
    if (j->queued)   /* the one waiting for it: stopped before it starts */
        atomic_store(&j->queued->stop, true);
    return true;
}

PaneResult sch_rowjob_poll(SchemaPane *sp, bool *busy)
{
    SchRowJob *j = &sp->rj;
    *busy = false;
    if (!j->task)
        return PANE_HANDLED;
    if (worker_wait(j->worker, 0)) {
        SchTask *t = j->task;
        j->task = NULL;
        finish(sp, t);
        *busy = j->task != NULL;
        return PANE_REDRAW;
    }
    *busy = true;
    if (atomic_load(&j->task->stop))
        cancel_now(j);
    long second = worker_elapsed_ms(j->worker) / 1000;
    if (second == j->second)
        return PANE_HANDLED;
    j->second = second;   /* the seconds on screen */
    return PANE_REDRAW;
}

/* Stops the task, waits for it (sending the stop again meanwhile) and
 * drops it, and the one queued, unapplied. */
static void end_task(SchRowJob *j)
{
    sch_task_free(j->queued);
    j->queued = NULL;
    if (!j->task)
        return;
    atomic_store(&j->task->stop, true);
    cancel_now(j);
    while (!worker_wait(j->worker, RESTOP_MS))
        cancel_now(j);
    sch_task_free(j->task);
    j->task = NULL;
}

void sch_rowjob_drop(SchemaPane *sp)
{
    SchRowJob *j = &sp->rj;
    end_task(j);
    if (j->conn && !db_alive(j->conn)) {   /* lost: the next task opens another */
        sch_rows_close(&sp->rows);           /* (its pager is on it) */
        db_close(j->conn);
        j->conn = NULL;
    }
}

void sch_rowjob_free(SchemaPane *sp)
{
    SchRowJob *j = &sp->rj;
    end_task(j);
    worker_free(j->worker);
    j->worker = NULL;
    sch_rows_close(&sp->rows);   /* its pager is on the connection */
    db_close(j->conn);
    j->conn = NULL;
    pthread_mutex_destroy(&j->mu);
}

/* ---- the progress --------------------------------------------------------------- */

bool sch_rowjob_draw(SchemaPane *sp, WINDOW *w, int y, int h)
{
    SchRowJob *j = &sp->rj;
    if (!j->task)
        return false;
    const SchTask *t = task_on(j->task, sp->shown) ? j->task
                     : task_on(j->queued, sp->shown) ? j->queued : NULL;
    if (!t && !sch_rows_on(&sp->rows, sp->shown))
        return false;   /* nothing of this table's is being read */
    const Palette *pal = sp->base.ctx->pal;
    int width = getmaxx(w);
    char doing[sizeof j->doing];
    pthread_mutex_lock(&j->mu);
    snprintf(doing, sizeof doing, "%s", t == j->task ? j->doing : t ? t->what : "");
    pthread_mutex_unlock(&j->mu);
    if (doing[0] >= 'a' && doing[0] <= 'z')
        doing[0] = (char)(doing[0] - 'a' + 'A');
    long s = worker_elapsed_ms(j->worker) / 1000;
    char *line = NULL;
    if (t == j->task && atomic_load(&t->stop))
        line = xasprintf("Stopping %s: %ld s %s waiting for the server", t->what, s,
                         text_glyph(GLYPH_DASH));
    else if (t == j->task)
        line = xasprintf("%s: %ld s %s Esc stops", doing, s, text_glyph(GLYPH_DASH));
    else if (t)   /* queued: the task before it is being stopped */
        line = xasprintf("%s: once %s has stopped.", doing, j->task->what);
    else          /* a task being stopped still holds these rows */
        line = xasprintf("Waiting for %s to stop.", j->task->what);
    palette_use(w, pal, SLOT_NORMAL);
    int n = text_wrap(w, y + 1, 1, width - 1, h > 3 ? h - 3 : 1, line);
    free(line);
    if (y + 2 + n < y + h) {
        palette_use(w, pal, SLOT_DIM);
        text_wrap(w, y + 2 + n, 1, width - 1, h - 2 - n,
                  "Keys work meanwhile: h goes back to the list, Tab to other panes, q quits.");
    }
    palette_use(w, pal, SLOT_NORMAL);
    return true;
}
