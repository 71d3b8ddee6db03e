/* action_integrity.c: the integrity rows of the action table (see action.h
 * and integrity_fix.h):
 *   fix          arg "delete:ID" or "set-null:ID": the orphans of check ID
 *                deleted or their key set to NULL, in one transaction, with
 *                the inverse SQL file written first (destructive: asked,
 *                backed up first)
 *   fk-migration arg ID: the migration that declares an inferred
 *                relationship, written into the migrations folder
 *   accept       arg integrity_accept_arg(ID, reason, actor): check ID
 *                accepted at its count
 *   unaccept     arg ID: that acceptance taken back
 * Each holds the run lock: the plan is checked again under it (the count
 * that was shown must still be the count), and the effect is read back
 * from the database (or the folder) before it says ok. */
#include "action.h"
#include "fsutil.h"
#include "integrity_fix.h"
#include "strbuf.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arguments ----------------------------------------------------------- */

char *integrity_accept_arg(const char *id, const char *reason, const char *actor)
{
    const char *parts[3] = { id ? id : "", reason ? reason : "", actor ? actor : "" };
    StrBuf b = STRBUF_INIT;
    for (int i = 0; i < 3; i++)
        sb_appendf(&b, "%zu:%s,", strlen(parts[i]), parts[i]);
    return sb_take(&b);
}

/* Splits netstrings into out[3]; false when malformed. */
static bool split_accept(const char *arg, char *out[3])
{
    const char *p = arg ? arg : "";
    for (int i = 0; i < 3; i++) {
        char *end = NULL;
        unsigned long n = strtoul(p, &end, 10);
        if (end == p || *end != ':' || strlen(end + 1) < n + 1 || end[1 + n] != ',') {
            for (int k = 0; k < i; k++)
                free(out[k]);
            return false;
        }
        out[i] = xstrndup(end + 1, n);
        p = end + 2 + n;
    }
    return true;
}

static char *sql_quote(const char *s)
{
    StrBuf b = STRBUF_INIT;
    sb_appendc(&b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            sb_appendc(&b, '\'');
        sb_appendc(&b, *s);
    }
    sb_appendc(&b, '\'');
    return sb_take(&b);
}

/* ---- fix ------------------------------------------------------------------ */

const IntegrityFix *action_fix_data(const ActionPlan *p)
{
    return p && p->action == &action_fix ? p->data : NULL;
}

static void fix_free(void *data)
{
    integrity_fix_free(data);
    free(data);
}

static void fix_items(ActionPlan *p, const IntegrityFix *f)
{
    size_t cap = 0;
    for (size_t i = 0; i < f->nnodes; i++) {
        const IntegrityFixNode *n = &f->nodes[i];
        char *line = n->rows >= 0
            ? xasprintf("%s.%s: %lld row%s %s (%s)", n->schema, n->table, n->rows,
                        n->rows == 1 ? "" : "s", n->update ? "get their key set" : "deleted",
                        n->action)
            : xasprintf("%s.%s: rows %s (%s)", n->schema, n->table,
                        n->update ? "get their key set" : "deleted", n->action);
        strv_push_owned(&p->items, &p->nitems, &cap, line);
    }
}

static int fix_plan(const Session *s, DbConn *c, const char *arg, bool preview, ActionPlan *p,
                    DbError *err)
{
    (void)preview;
    const char *colon = arg ? strchr(arg, ':') : NULL;
    char *mode = colon ? xstrndup(arg, (size_t)(colon - arg)) : NULL;
    int m = integrity_fix_mode_parse(mode);
    free(mode);
    if (m < 0) {
        db_error_set(err, DB_ERR_USAGE, "fix takes delete:ID or set-null:ID");
        return -1;
    }
    IntegrityFix *f = xcalloc(1, sizeof *f);
    p->data = f;
    if (integrity_fix_plan(c, s, colon + 1, (IntegrityFixMode)m, !s->read_only, f, err) != 0)
        return -1;
    const IntegrityCheck *ck = f->ck;
    p->nothing = f->orphans == 0;
    p->count = f->total >= 0 ? (long)f->total : (long)f->orphans;
    if (p->nothing) {
        p->summary = xasprintf("%s has no orphans: nothing to fix", ck->id);
        return 0;
    }
    const char *verb = m == INTEGRITY_FIX_DELETE ? "delete" : "set to NULL the key of";
    p->summary = f->total >= 0
        ? xasprintf("%s %lld orphan row%s of %s.%s (%lld missing key%s): %lld row%s changed in "
                    "all, cascades included", verb, f->orphans, f->orphans == 1 ? "" : "s",
                    ck->schema, ck->table, f->distinct, f->distinct == 1 ? "" : "s", f->total,
                    f->total == 1 ? "" : "s")
        : xasprintf("%s %lld orphan row%s of %s.%s (read-only: not tried, cascades not "
                    "counted)", verb, f->orphans, f->orphans == 1 ? "" : "s", ck->schema,
                    ck->table);
    p->what = xasprintf("-- in one transaction, after the inverse SQL is written into %s/\n"
                        "%s;\n", f->inverse_dir, f->sql);
    fix_items(p, f);
    return 0;
}

static int fix_recheck(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                       DbError *err)
{
    (void)s;
    (void)ev;
    return integrity_fix_recheck(c, p->data, err);
}

static bool ev_cancelled(void *ctx)
{
    const ActionEvents *ev = ctx;
    return ev && ev->cancelled && ev->cancelled(ev->ctx);
}

static int fix_run(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                   char **outcome, DbError *err)
{
    (void)s;
    IntegrityFix *f = p->data;
    if (ev && ev->progress)
        ev->progress(ev->ctx, 0, 1, f->ck->id);
    if (integrity_fix_run(c, f, ev_cancelled, (void *)ev, err) != 0)
        return -1;
    *outcome = xasprintf("%s %lld orphan row%s of %s.%s (%lld row%s in all); inverse SQL: %s",
                         f->mode == INTEGRITY_FIX_DELETE ? "deleted" : "set to NULL the key "
                         "of", f->nodes[0].captured, f->nodes[0].captured == 1 ? "" : "s",
                         f->ck->schema, f->ck->table, f->total, f->total == 1 ? "" : "s",
                         f->inverse_path);
    return 0;
}

static int fix_verify(const Session *s, DbConn *c, ActionPlan *p, DbError *err)
{
    (void)s;
    return integrity_fix_verify(c, p->data, err);
}

const Action action_fix = {
    "fix", "delete the orphans of a check, or set their key to NULL (an inverse SQL file "
    "is written first)", ACTION_WRITES | ACTION_DESTRUCTIVE | ACTION_LONG | ACTION_RUN_LOCK,
    fix_plan, fix_recheck, fix_run, fix_verify, fix_free,
    "check fix ID --delete|--set-null",
};

/* ---- fk-migration ------------------------------------------------------ */

typedef struct MigData {
    IntegrityFkMigration m;
    char *id;
} MigData;

static void mig_free(void *data)
{
    MigData *d = data;
    integrity_fkmig_free(&d->m);
    free(d->id);
    free(d);
}

const IntegrityFkMigration *action_fk_migration_data(const ActionPlan *p)
{
    return p && p->action == &action_fk_migration && p->data ? &((MigData *)p->data)->m : NULL;
}

static int mig_make(const Session *s, DbConn *c, const char *id, IntegrityFkMigration *m,
                    DbError *err)
{
    const char *dir = s->cfg.migrations.dir;
    if (!dir) {
        db_error_set(err, DB_ERR_USAGE, "no migrations folder to write the migration into: "
                     "pass --migrations DIR or set dir in [migrations] of %s",
                     s->cfg.path ? s->cfg.path : "the configuration (dbwarden.ini)");
        return -1;
    }
    Catalog *cat = NULL;
    IntegrityList l;
    if (integrity_lookup(c, s, id, &cat, &l, err) != 0)
        return -1;
    int rc = integrity_fkmig_plan(cat, &l.checks[0], dir, m, err);
    integrity_list_free(&l);
    catalog_free(cat);
    return rc;
}

static int mig_plan(const Session *s, DbConn *c, const char *arg, bool preview, ActionPlan *p,
                    DbError *err)
{
    (void)preview;
    MigData *d = xcalloc(1, sizeof *d);
    p->data = d;
    d->id = xstrdup(arg ? arg : "");
    if (mig_make(s, c, d->id, &d->m, err) != 0)
        return -1;
    size_t cap = 0;
    StrBuf what = STRBUF_INIT;
    for (int i = 0; i < 2 && d->m.names[i]; i++) {
        strv_push(&p->items, &p->nitems, &cap, d->m.names[i]);
        sb_appendf(&what, "%s-- %s/%s\n%s", i ? "\n" : "", d->m.dir, d->m.names[i],
                   d->m.texts[i]);
    }
    p->what = sb_take(&what);
    p->count = (long)p->nitems;
    p->summary = xasprintf("write %zu migration%s into %s/ that declare%s the foreign key of %s",
                           p->nitems, p->nitems == 1 ? "" : "s", d->m.dir,
                           p->nitems == 1 ? "s" : "", d->id);
    return 0;
}

/* Under the lock: the relationship is still inferred (no key declared
 * meanwhile) and the files are still new. */
static int mig_recheck(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                       DbError *err)
{
    (void)ev;
    MigData *d = p->data;
    IntegrityFkMigration now;
    if (mig_make(s, c, d->id, &now, err) != 0) {
        db_error_prefix(err, "nothing was written");
        return -1;
    }
    integrity_fkmig_free(&now);
    return 0;
}

static int mig_run(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                   char **outcome, DbError *err)
{
    (void)s;
    (void)c;
    (void)ev;
    MigData *d = p->data;
    if (integrity_fkmig_write(&d->m, err) != 0)
        return -1;
    *outcome = xasprintf("wrote %s/%s%s%s", d->m.dir, d->m.names[0], d->m.names[1] ? " and " : "",
                         d->m.names[1] ? d->m.names[1] : "");
    return 0;
}

static int mig_verify(const Session *s, DbConn *c, ActionPlan *p, DbError *err)
{
    (void)s;
    (void)c;
    MigData *d = p->data;
    for (int i = 0; i < 2 && d->m.names[i]; i++) {
        char *path = xasprintf("%s/%s", d->m.dir, d->m.names[i]);
        size_t len = 0;
        char *text = fs_read_file(path, &len, err);
        bool same = text && len == strlen(d->m.texts[i]) && memcmp(text, d->m.texts[i], len) == 0;
        free(text);
        if (!same) {
            if (err->kind == DB_OK)
                db_error_set(err, DB_ERR_IO, "%s does not hold what was written", path);
            free(path);
            return -1;
        }
        free(path);
    }
    return 0;
}

const Action action_fk_migration = {
    "fk-migration", "write the migration that declares an inferred relationship as a "
    "foreign key", ACTION_WRITES | ACTION_RUN_LOCK,
    mig_plan, mig_recheck, mig_run, mig_verify, mig_free,
    "check fix ID --migration",
};

/* ---- accept, unaccept --------------------------------------------------- */

typedef struct AcceptData {
    char     *id, *reason, *actor;
    long long count;
} AcceptData;

static void accept_free(void *data)
{
    AcceptData *d = data;
    free(d->id);
    free(d->reason);
    free(d->actor);
    free(d);
}

/* The check's count now (it is run). */
static int count_now(const Session *s, DbConn *c, const char *id, IntegrityCheck *out,
                     DbError *err)
{
    Catalog *cat = NULL;
    IntegrityList l;
    if (integrity_lookup(c, s, id, &cat, &l, err) != 0)
        return -1;
    int rc = integrity_run_check(c, cat, &s->cfg.integrity, NULL, &l, 0, err);
    if (rc == 0 && (l.checks[0].state == IS_ERROR || l.checks[0].state == IS_CANCELLED)) {
        db_error_set(err, l.checks[0].state == IS_ERROR ? DB_ERR_SQL : DB_ERR_CANCELLED,
                     "%s could not be run: %s", id, l.checks[0].message);
        rc = -1;
    }
    if (rc == 0)
        integrity_check_copy(out, &l.checks[0]);
    integrity_list_free(&l);
    catalog_free(cat);
    return rc;
}

long long action_accept_count(const ActionPlan *p)
{
    return p && p->action == &action_accept && p->data ? ((AcceptData *)p->data)->count : -1;
}

static int accept_plan(const Session *s, DbConn *c, const char *arg, bool preview,
                       ActionPlan *p, DbError *err)
{
    (void)preview;
    char *parts[3];
    if (!split_accept(arg, parts)) {
        db_error_set(err, DB_ERR_USAGE, "accept takes integrity_accept_arg(id, reason, actor)");
        return -1;
    }
    AcceptData *d = xcalloc(1, sizeof *d);
    p->data = d;
    d->id = parts[0];
    d->reason = parts[1];
    d->actor = *parts[2] ? parts[2] : integrity_actor();
    if (*parts[2] == '\0')
        free(parts[2]);
    if (!*d->reason) {
        db_error_set(err, DB_ERR_USAGE, "an acceptance needs a reason (--reason TEXT)");
        return -1;
    }
    IntegrityCheck ck;
    if (count_now(s, c, d->id, &ck, err) != 0)
        return -1;
    d->count = ck.count;
    bool found = ck.state == IS_WARNING || ck.state == IS_PROBLEM || ck.state == IS_ACCEPTED;
    integrity_check_clear(&ck);
    if (!found) {
        db_error_set(err, DB_ERR_USAGE, "%s finds nothing (count %lld): there is nothing to "
                     "accept", d->id, d->count);
        return -1;
    }
    char *qid = sql_quote(d->id), *qr = sql_quote(d->reason), *qa = sql_quote(d->actor);
    p->summary = xasprintf("accept %s at a count of %lld, as %s: %s", d->id, d->count, d->actor,
                           d->reason);
    /* the statement integrity_accept() runs, with its values */
    p->what = xasprintf("INSERT INTO %s (check_id, count, reason, accepted_by) VALUES (%s, "
                        "%lld, %s, %s) ON CONFLICT (check_id) DO UPDATE SET count = "
                        "excluded.count, reason = excluded.reason, accepted_by = "
                        "excluded.accepted_by, accepted_at = %s;", INTEGRITY_ACCEPT_TABLE, qid,
                        d->count, qr, qa, db_engine(c) == DB_ENGINE_POSTGRES
                            ? "now()" : "strftime('%Y-%m-%d %H:%M:%S', 'now')");
    p->count = 1;
    free(qid);
    free(qr);
    free(qa);
    return 0;
}

static int accept_recheck(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                          DbError *err)
{
    (void)ev;
    AcceptData *d = p->data;
    IntegrityCheck ck;
    if (count_now(s, c, d->id, &ck, err) != 0)
        return -1;
    long long now = ck.count;
    integrity_check_clear(&ck);
    if (now == d->count)
        return 0;
    db_error_set(err, DB_ERR_BUSY, "the count of %s went from %lld to %lld while you were "
                 "confirming: nothing was accepted", d->id, d->count, now);
    return -1;
}

static int accept_run(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                      char **outcome, DbError *err)
{
    (void)s;
    (void)ev;
    AcceptData *d = p->data;
    if (integrity_accept(c, d->id, d->count, d->reason, d->actor, err) != 0)
        return -1;
    *outcome = xasprintf("accepted %s at %lld", d->id, d->count);
    return 0;
}

/* The acceptance of id as the database holds it (found false: none). */
static int read_back(DbConn *c, const char *id, bool *found, long long *count, DbError *err)
{
    IntegrityAccepted a;
    if (integrity_accepted_load(c, &a, err) != 0)
        return -1;
    const IntegrityAcceptance *x = integrity_accepted_find(&a, id);
    *found = x != NULL;
    *count = x ? x->count : -1;
    integrity_accepted_free(&a);
    return 0;
}

static int accept_verify(const Session *s, DbConn *c, ActionPlan *p, DbError *err)
{
    (void)s;
    AcceptData *d = p->data;
    bool found = false;
    long long n = -1;
    if (read_back(c, d->id, &found, &n, err) != 0)
        return -1;
    if (found && n == d->count)
        return 0;
    db_error_set(err, DB_ERR_SQL, "the acceptance of %s is not in %s after it was written",
                 d->id, INTEGRITY_ACCEPT_TABLE);
    return -1;
}

const Action action_accept = {
    "accept", "accept a check at its count (it shows as accepted until the count changes)",
    ACTION_WRITES | ACTION_RUN_LOCK,
    accept_plan, accept_recheck, accept_run, accept_verify, accept_free,
    "check accept ID --reason TEXT",
};

static int unaccept_plan(const Session *s, DbConn *c, const char *arg, bool preview,
                         ActionPlan *p, DbError *err)
{
    (void)s;
    (void)preview;
    AcceptData *d = xcalloc(1, sizeof *d);
    p->data = d;
    d->id = xstrdup(arg ? arg : "");
    bool found = false;
    if (read_back(c, d->id, &found, &d->count, err) != 0)
        return -1;
    p->nothing = !found;
    p->count = found ? 1 : 0;
    p->summary = found ? xasprintf("take back the acceptance of %s (at %lld)", d->id, d->count)
                       : xasprintf("%s is not accepted: nothing to take back", d->id);
    char *qid = sql_quote(d->id);
    p->what = xasprintf("DELETE FROM %s WHERE check_id = %s;", INTEGRITY_ACCEPT_TABLE, qid);
    free(qid);
    return 0;
}

static int unaccept_run(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                        char **outcome, DbError *err)
{
    (void)s;
    (void)ev;
    AcceptData *d = p->data;
    bool removed = false;
    if (integrity_unaccept(c, d->id, &removed, err) != 0)
        return -1;
    *outcome = removed ? xasprintf("took back the acceptance of %s", d->id)
                       : xasprintf("%s was no longer accepted", d->id);
    return 0;
}

static int unaccept_verify(const Session *s, DbConn *c, ActionPlan *p, DbError *err)
{
    (void)s;
    AcceptData *d = p->data;
    bool found = false;
    long long n = -1;
    if (read_back(c, d->id, &found, &n, err) != 0)
        return -1;
    if (!found)
        return 0;
    db_error_set(err, DB_ERR_SQL, "%s is still accepted after the acceptance was deleted",
                 d->id);
    return -1;
}

const Action action_unaccept = {
    "unaccept", "take back the acceptance of a check", ACTION_WRITES | ACTION_RUN_LOCK,
    unaccept_plan, NULL, unaccept_run, unaccept_verify, accept_free,
    "check unaccept ID",
};
