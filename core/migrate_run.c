/* migrate_run.c: plans (up, down, stamp), their SQL, and running them
 * (see migrate.h). */
#include "migrate_internal.h"
#include "escape.h"
#include "runlock.h"
#include "sqlsplit.h"
#include "strbuf.h"
#include "fsutil.h"
#include "xalloc.h"

#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- plans --------------------------------------------------------- */

static void add_step(MigPlan *p, size_t *cap, MigStepKind kind, const MigEntry *e)
{
    p->steps = xgrow(p->steps, cap, p->count + 1, sizeof *p->steps);
    MigStep *s = &p->steps[p->count++];
    s->kind = kind;
    s->version = xstrdup(e->version);
    s->name = xstrdup(e->name);
    s->file = e->file;
}

static bool is_applied_state(MigState s)
{
    return s == MIG_APPLIED || s == MIG_CHANGED || s == MIG_MISSING;
}

/* The version the database is at once plan has run. */
static const char *end_version(const MigStatus *st, const MigPlan *p)
{
    const char *end = NULL;
    for (size_t i = 0; i < st->count; i++) {
        const MigEntry *e = &st->items[i];
        bool on = is_applied_state(e->state);
        for (size_t k = 0; k < p->count; k++)
            if (strcmp(p->steps[k].version, e->version) == 0)
                on = p->steps[k].kind == MIG_STEP_UP || p->steps[k].kind == MIG_STEP_RECORD;
        if (on)
            end = e->version;
    }
    return end;
}

static void summarise(MigPlan *p, const MigStatus *st, const char *verb)
{
    StrBuf b = STRBUF_INIT;
    p->from = st->current ? xstrdup(st->current) : NULL;
    if (p->count == 0) {
        sb_appendf(&b, "nothing to %s; the database stays at %s", verb,
                   st->current ? st->current : "no version");
    } else {
        sb_appendf(&b, "%s %zu migration%s (", verb, p->count, p->count == 1 ? "" : "s");
        for (size_t i = 0; i < p->count && i < 6; i++)
            sb_appendf(&b, "%s%s", i ? ", " : "", p->steps[i].version);
        if (p->count > 6)
            sb_append(&b, ", …");
        const char *end = end_version(st, p);
        sb_appendf(&b, "); the database ends at %s", end ? end : "no version");
    }
    p->summary = sb_take(&b);
}

/* Zeroes out and notes how it is made. */
static void plan_begin(MigPlan *out, MigPlanKind kind, const MigDir *dir, const char *arg)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->dir = dir;
    out->arg = arg ? xstrdup(arg) : NULL;
}

/* The status a plan starts from; refused while the folder has a bad file.
 * On failure *st is freed (zeroed). */
static int plan_status(DbConn *c, const MigDir *dir, MigStatus *st, DbError *err)
{
    if (migrate_status(c, dir, st, err) != 0) {
        memset(st, 0, sizeof *st);
        return -1;
    }
    if (migrate_refuse_bad_files(st->bad, st->nbad, err) != 0) {
        migrate_status_free(st);
        return -1;
    }
    return 0;
}

static const MigEntry *find_entry(const MigStatus *st, const char *version)
{
    for (size_t i = 0; i < st->count; i++)
        if (strcmp(st->items[i].version, version) == 0)
            return &st->items[i];
    return NULL;
}

int migrate_plan_up(DbConn *c, const MigDir *dir, const char *target, MigPlan *out,
                    DbError *err)
{
    plan_begin(out, MIG_PLAN_UP, dir, target);
    if (target && !migrate_find_file(dir, target)) {
        db_error_set(err, DB_ERR_USAGE, "no migration has version %s in %s", target, dir->path);
        migrate_plan_free(out);
        return -1;
    }
    MigStatus st;
    if (plan_status(c, dir, &st, err) != 0 || migrate_refuse_failed(&st, err) != 0) {
        migrate_status_free(&st);
        migrate_plan_free(out);
        return -1;
    }
    size_t cap = 0;
    for (size_t i = 0; i < st.count; i++) {
        const MigEntry *e = &st.items[i];
        if ((e->state == MIG_PENDING || e->state == MIG_OUT_OF_ORDER) &&
            (!target || strcmp(e->version, target) <= 0))
            add_step(out, &cap, MIG_STEP_UP, e);
    }
    summarise(out, &st, "apply");
    migrate_status_free(&st);
    return 0;
}

int migrate_plan_down(DbConn *c, const MigDir *dir, const char *arg, MigPlan *out,
                      DbError *err)
{
    plan_begin(out, MIG_PLAN_DOWN, dir, arg);
    MigStatus st;
    if (plan_status(c, dir, &st, err) != 0) {
        migrate_plan_free(out);
        return -1;
    }
    size_t steps = 1, cap = 0;
    const char *stop_at = NULL; /* roll back versions newer than this */
    /* a count is short and has no leading zero: 0002 is a version */
    bool count_like = arg && str_all_digits(arg) && strlen(arg) < 6 &&
                      (arg[0] != '0' || arg[1] == '\0');
    bool version_like = arg && (find_entry(&st, arg) || migrate_find_file(dir, arg));
    if (arg && strncmp(arg, "to:", 3) == 0) {
        steps = (size_t)-1;
        stop_at = arg + 3;
        if (!find_entry(&st, stop_at) && !migrate_find_file(dir, stop_at)) {
            db_error_set(err, DB_ERR_USAGE, "no migration has version %s", stop_at);
            goto fail;
        }
    } else if (arg && strncmp(arg, "steps:", 6) == 0) {
        count_like = str_all_digits(arg + 6) && strlen(arg + 6) < 6;
        if (!count_like) {
            db_error_set(err, DB_ERR_USAGE, "'%s': steps: takes a number, e.g. steps:2", arg);
            goto fail;
        }
        arg += 6;
        version_like = false;
    }
    if (stop_at) {
        /* set above */
    } else if (arg && strcmp(arg, "all") == 0) {
        steps = (size_t)-1;
    } else if (count_like && version_like) {
        db_error_set(err, DB_ERR_USAGE, "'%s' is both a version and a number of steps: write "
                     "to:%s to roll back everything after version %s, or steps:%s to roll "
                     "back %s migration%s", arg, arg, arg, arg, arg, strcmp(arg, "1") ? "s" : "");
        goto fail;
    } else if (version_like) {
        steps = (size_t)-1;
        stop_at = arg;
    } else if (count_like) {
        steps = (size_t)strtoul(arg, NULL, 10);
        if (steps > st.applied) {
            db_error_set(err, DB_ERR_USAGE, "cannot roll back %zu migrations: only %zu %s "
                         "applied", steps, st.applied, st.applied == 1 ? "is" : "are");
            goto fail;
        }
    } else if (arg) {
        db_error_set(err, DB_ERR_USAGE, "down takes a number of steps, a version, or 'all' "
                     "(or to:VERSION, steps:N); '%s' is none of them", arg);
        goto fail;
    }
    for (size_t i = st.count; i-- > 0 && out->count < steps;) {
        const MigEntry *e = &st.items[i];
        if (!is_applied_state(e->state))
            continue;
        if (stop_at && strcmp(e->version, stop_at) <= 0)
            break;
        if (!e->file) {
            db_error_set(err, DB_ERR_USAGE, "cannot roll back %s %s: no file in %s has this "
                         "version; restore the file, or use stamp to move past it",
                         e->version, e->name, dir ? dir->path : "the migrations folder");
            goto fail;
        }
        if (strspn(e->file->down.sql, " \t\r\n") == strlen(e->file->down.sql)) {
            db_error_set(err, DB_ERR_USAGE, "cannot roll back %s: its '-- migrate:down' "
                         "section is empty; write one, or use stamp to move past it",
                         e->file->path);
            goto fail;
        }
        add_step(out, &cap, MIG_STEP_DOWN, e);
    }
    summarise(out, &st, "roll back");
    migrate_status_free(&st);
    return 0;
fail:
    migrate_status_free(&st);
    migrate_plan_free(out);
    return -1;
}

int migrate_plan_stamp(DbConn *c, const MigDir *dir, const char *target, MigPlan *out,
                       DbError *err)
{
    plan_begin(out, MIG_PLAN_STAMP, dir, target);
    if (!target || !migrate_find_file(dir, target)) {
        db_error_set(err, DB_ERR_USAGE, "stamp needs the version of a migration in %s%s%s",
                     dir ? dir->path : "the migrations folder", target ? "; not " : "",
                     target ? target : "");
        migrate_plan_free(out);
        return -1;
    }
    MigStatus st;
    if (plan_status(c, dir, &st, err) != 0) {
        migrate_plan_free(out);
        return -1;
    }
    size_t cap = 0;
    for (size_t i = st.count; i-- > 0;) { /* forget, newest first */
        const MigEntry *e = &st.items[i];
        if (is_applied_state(e->state) && strcmp(e->version, target) > 0)
            add_step(out, &cap, MIG_STEP_FORGET, e);
    }
    for (size_t i = 0; i < st.count; i++) {
        const MigEntry *e = &st.items[i];
        if (!is_applied_state(e->state) && strcmp(e->version, target) <= 0)
            add_step(out, &cap, MIG_STEP_RECORD, e);
    }
    summarise(out, &st, "stamp");
    migrate_status_free(&st);
    return 0;
}

void migrate_plan_free(MigPlan *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free(p->steps[i].version);
        free(p->steps[i].name);
    }
    free(p->steps);
    free(p->summary);
    free(p->arg);
    free(p->from);
    memset(p, 0, sizeof *p);
}

int migrate_plan(DbConn *c, MigPlanKind kind, const MigDir *dir, const char *arg,
                 MigPlan *out, DbError *err)
{
    switch (kind) {
    case MIG_PLAN_UP: return migrate_plan_up(c, dir, arg, out, err);
    case MIG_PLAN_DOWN: return migrate_plan_down(c, dir, arg, out, err);
    case MIG_PLAN_STAMP: return migrate_plan_stamp(c, dir, arg, out, err);
    }
    db_error_set(err, DB_ERR_USAGE, "unknown kind of plan");
    return -1;
}

/* ---- the SQL of a step --------------------------------------------- */

static char *who_applies(void)
{
    const char *user = getenv("USER");
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        user = pw->pw_name;
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = '\0';
    return xasprintf("%s@%s", user ? user : "unknown", host);
}

static const MigSection *step_section(const MigStep *s)
{
    if (s->kind == MIG_STEP_UP)
        return &s->file->up;
    if (s->kind == MIG_STEP_DOWN)
        return &s->file->down;
    return NULL;
}

static bool step_in_transaction(const MigStep *s)
{
    const MigSection *sec = step_section(s);
    return sec ? sec->transaction : true;
}

static const char *const record_sql =
    "INSERT INTO " MIGRATE_TABLE " (version, name, checksum, duration_ms, applied_by) "
    "VALUES ($1, $2, $3, CAST($4 AS bigint), $5)";
static const char *const forget_sql = "DELETE FROM " MIGRATE_TABLE " WHERE version = $1";

static void sb_literal(StrBuf *b, const char *v)
{
    sb_appendc(b, '\'');
    for (; *v; v++) {
        if (*v == '\'')
            sb_appendc(b, '\'');
        sb_appendc(b, *v);
    }
    sb_appendc(b, '\'');
}

/* Appends sql with $n replaced by the literals of vals (for display). */
static void sb_bound(StrBuf *b, const char *sql, const char *const *vals, int n)
{
    for (const char *p = sql; *p; p++) {
        if (*p == '$' && isdigit((unsigned char)p[1])) {
            int i = atoi(p + 1);
            if (i >= 1 && i <= n) {
                sb_literal(b, vals[i - 1]);
                while (isdigit((unsigned char)p[1]))
                    p++;
                continue;
            }
        }
        sb_appendc(b, *p);
    }
}

static const char *step_verb(MigStepKind k)
{
    switch (k) {
    case MIG_STEP_UP: return "up";
    case MIG_STEP_DOWN: return "down";
    case MIG_STEP_RECORD: return "stamp: record";
    case MIG_STEP_FORGET: return "stamp: forget";
    }
    return "";
}

/* Appends "-- text" and a line break, text escaped (core/escape.h):
 * nothing in it (a name, a path) can end the comment. */
static void sb_comment(StrBuf *b, const char *text)
{
    sb_append(b, "-- ");
    esc_append(b, text, strlen(text), 0);
    sb_appendc(b, '\n');
}

/* The bookkeeping of step s, with values as literals. */
static void sb_bookkeeping(StrBuf *b, const MigStep *s, const char *who, bool failures)
{
    const char *vals[5] = { s->version, s->name, s->file ? s->file->checksum : "", "0", who };
    if (s->kind == MIG_STEP_UP || s->kind == MIG_STEP_RECORD)
        sb_bound(b, record_sql, vals, 5);
    else
        sb_bound(b, forget_sql, vals, 1);
    sb_append(b, ";\n");
    if (failures && (s->kind == MIG_STEP_RECORD || s->kind == MIG_STEP_FORGET)) {
        sb_bound(b, migrate_clear_failure_sql, vals, 1);
        sb_append(b, ";\n");
    }
}

char *migrate_plan_sql(DbConn *c, const MigPlan *plan)
{
    StrBuf b = STRBUF_INIT;
    char *who = who_applies();
    bool sqlite = db_engine(c) == DB_ENGINE_SQLITE;
    bool failures = false;
    DbError e = DB_ERROR_INIT;
    if (db_table_exists(c, MIGRATE_FAILURES_TABLE, &failures, &e) != 0)
        db_error_clear(&e);
    char *on = xasprintf("on %s", db_display_url(c));
    sb_comment(&b, plan->summary ? plan->summary : "");
    sb_comment(&b, on);
    free(on);
    sb_appendf(&b, "%s;\n", migrate_create_table_sql(db_engine(c)));
    for (size_t i = 0; i < plan->count; i++) {
        const MigStep *s = &plan->steps[i];
        const MigSection *sec = step_section(s);
        bool tx = step_in_transaction(s);
        char *head = xasprintf("%s %s_%s%s", step_verb(s->kind), s->version, s->name,
                               tx ? "" : " (outside a transaction)");
        sb_appendc(&b, '\n');
        sb_comment(&b, head);
        free(head);
        if (tx)
            sb_append(&b, sqlite ? "BEGIN IMMEDIATE;\n" : "BEGIN;\n");
        if (sec) {
            sb_append(&b, sec->sql);
            if (b.len && b.s[b.len - 1] != '\n')
                sb_appendc(&b, '\n');
        }
        sb_bookkeeping(&b, s, who, failures);
        if (tx)
            sb_append(&b, "COMMIT;\n");
    }
    free(who);
    return sb_take(&b);
}

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
    if (adds ? db_exec(c, "migrations: record version", record_sql, &p, err) != 0
             : db_exec(c, "migrations: forget version", forget_sql, &one, err) != 0)
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
    bool tx = step_in_transaction(s);
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
    const MigSection *sec = step_section(s);
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
    char *who = who_applies();
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

int migrate_run(DbConn *c, const MigPlan *plan, const MigProgress *progress, size_t *done,
                DbError *err)
{
    size_t n = 0;
    if (done)
        *done = 0;
    if (plan->count == 0)
        return 0;
    if (!plan->dir) {
        db_error_set(err, DB_ERR_USAGE, "a plan to run must come from migrate_plan");
        return -1;
    }
    /* The lock comes first: two CREATE TABLE IF NOT EXISTS at once can
     * collide in PostgreSQL's catalog, and the plan is made again under it. */
    RunLock *lock = NULL;
    if (runlock_acquire(c, "migrations", "dbwarden migrations", RUNLOCK_WAIT_DEFAULT, &lock,
                        err) != 0)
        return -1;
    MigPlan now;
    memset(&now, 0, sizeof now);
    int rc = db_exec(c, "migrations: create version table",
                     migrate_create_table_sql(db_engine(c)), NULL, err);
    if (rc == 0)
        rc = migrate_plan(c, plan->kind, plan->dir, plan->arg, &now, err);
    if (rc == 0)
        rc = plan_holds(plan, &now, progress, err);
    if (rc == 0 && progress && progress->before)
        rc = progress->before(progress->ctx, &now, err);
    if (rc == 0)
        rc = run_steps(c, &now, progress, &n, err);
    migrate_plan_free(&now);
    runlock_release(lock);
    if (done)
        *done = n;
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
