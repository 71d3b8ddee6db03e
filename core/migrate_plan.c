/* migrate_plan.c: plans of up, down and stamp, and what plans, their SQL
 * and the runs share (see migrate.h). */
#include "migrate_internal.h"
#include "strbuf.h"
#include "fsutil.h"
#include "whoami.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    const char *end = p->count ? end_version(st, p) : st->current;
    p->to = end ? xstrdup(end) : NULL;
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
    free(p->to);
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

/* ---- what plans, their SQL and the runs share ---------------------- */

char *migrate_who_applies(void)
{
    return whoami_user_at_host();
}

const MigSection *migrate_step_section(const MigStep *s)
{
    if (s->kind == MIG_STEP_UP)
        return &s->file->up;
    if (s->kind == MIG_STEP_DOWN)
        return &s->file->down;
    return NULL;
}

const char *migrate_step_done_word(MigStepKind k)
{
    switch (k) {
    case MIG_STEP_UP: return "applied";
    case MIG_STEP_DOWN: return "rolled back";
    case MIG_STEP_RECORD: return "recorded";
    case MIG_STEP_FORGET: return "forgot";
    }
    return "";
}

bool migrate_step_in_transaction(const MigStep *s)
{
    const MigSection *sec = migrate_step_section(s);
    return sec ? sec->transaction : true;
}

const char *const migrate_record_sql =
    "INSERT INTO " MIGRATE_TABLE " (version, name, checksum, duration_ms, applied_by) "
    "VALUES ($1, $2, $3, CAST($4 AS bigint), $5)";
const char *const migrate_forget_sql = "DELETE FROM " MIGRATE_TABLE " WHERE version = $1";

