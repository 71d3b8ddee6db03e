/* integrity_engine.c: SQLite's own checks: PRAGMA foreign_key_check
 * (compared with dbwarden's counts of the declared keys), quick_check,
 * and integrity_check on demand. */
#include "integrity_internal.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows of foreign_key_check per table. */
typedef struct PerTable {
    char     **names;
    long long *counts;
    size_t     n, cap, ncap;
    long long  total;
} PerTable;

static void per_table_add(PerTable *p, const char *name, long long k)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->names[i], name) == 0) {
            p->counts[i] += k;
            return;
        }
    strv_push(&p->names, &p->n, &p->cap, name);
    p->counts = xgrow(p->counts, &p->ncap, p->n, sizeof *p->counts);
    p->counts[p->n - 1] = k;
}

static long long per_table_get(const PerTable *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->names[i], name) == 0)
            return p->counts[i];
    return 0;
}

static int on_fk_row(void *ctx, const DbRow *row)
{
    PerTable *p = ctx;
    per_table_add(p, row->values[0] ? row->values[0] : "", 1);
    p->total++;
    return 0;
}

/* Compares foreign_key_check's rows per table with the declared keys'
 * orphans counted in this list; a note for the message. */
static char *compare(const IntegrityList *list, const PerTable *fk)
{
    PerTable ours = { NULL, NULL, 0, 0, 0, 0 };
    size_t declared = 0;
    for (size_t i = 0; i < list->count; i++)
        declared += list->checks[i].kind == IK_FOREIGN_KEY;
    if (!declared)
        return xstrdup(fk->total ? "not compared with dbwarden's counts: the declared keys "
                                   "were not counted in this run"
                                 : "no foreign key is broken");
    for (size_t i = 0; i < list->count; i++) {
        const IntegrityCheck *ck = &list->checks[i];
        if (ck->kind != IK_FOREIGN_KEY)
            continue;
        if (ck->count < 0) {
            strv_free(ours.names);
            free(ours.counts);
            return xstrdup("not compared with dbwarden's counts: not every declared key was "
                           "counted");
        }
        per_table_add(&ours, ck->table, ck->count);
    }
    char *note = NULL;
    for (size_t i = 0; i < fk->n && !note; i++)
        if (per_table_get(&ours, fk->names[i]) != fk->counts[i])
            note = xasprintf("disagrees with dbwarden's counts: %s has %lld here, %lld in its "
                             "declared keys' checks", fk->names[i], fk->counts[i],
                             per_table_get(&ours, fk->names[i]));
    for (size_t i = 0; i < ours.n && !note; i++)
        if (per_table_get(fk, ours.names[i]) != ours.counts[i])
            note = xasprintf("disagrees with dbwarden's counts: %s has %lld here, %lld in its "
                             "declared keys' checks", ours.names[i],
                             per_table_get(fk, ours.names[i]), ours.counts[i]);
    if (!note)
        note = xasprintf("agrees with dbwarden's counts of the %zu declared key%s", declared,
                         declared == 1 ? "" : "s");
    strv_free(ours.names);
    free(ours.counts);
    return note;
}

static int run_fk_check(DbConn *c, const IntegrityList *list, IntegrityCheck *ck, DbError *err)
{
    PerTable fk = { NULL, NULL, 0, 0, 0, 0 };
    int rc = db_query(c, "integrity: foreign_key_check",
                      "/* integrity: foreign_key_check */ PRAGMA foreign_key_check", NULL,
                      on_fk_row, &fk, err);
    if (rc == 0) {
        ck->count = fk.total;
        ck->state = IS_OK;
        free(ck->message);
        ck->message = xasprintf("%lld row%s break%s a foreign key", fk.total,
                                fk.total == 1 ? "" : "s", fk.total == 1 ? "s" : "");
        char *note = compare(list, &fk);
        integrity_note(&ck->message, "%s", note);
        free(note);
        integrity_note(&ck->message, "SQLite enforces foreign keys only on connections that "
                       "turn PRAGMA foreign_keys on (this one: %s)",
                       list->fk_not_enforced ? "off" : "on");
    }
    strv_free(fk.names);
    free(fk.counts);
    return rc;
}

typedef struct Lines {
    long long n;
    char     *first;
} Lines;

static int on_line(void *ctx, const DbRow *row)
{
    Lines *l = ctx;
    const char *s = row->values[0] ? row->values[0] : "";
    if (strcmp(s, "ok") == 0)
        return 0;
    if (!l->first)
        l->first = xstrdup(s);
    l->n++;
    return 0;
}

static int run_quick(DbConn *c, IntegrityCheck *ck, DbError *err)
{
    bool full = ck->kind == IK_INTEGRITY_CHECK;
    Lines l = { 0, NULL };
    int rc = db_query(c, full ? "integrity: integrity_check" : "integrity: quick_check",
                      full ? "/* integrity: integrity_check */ PRAGMA integrity_check"
                           : "/* integrity: quick_check */ PRAGMA quick_check",
                      NULL, on_line, &l, err);
    if (rc == 0) {
        ck->count = l.n;
        ck->state = IS_OK;
        free(ck->message);
        if (!l.n)
            ck->message = xstrdup(full ? "ok (the full check: b-trees, indexes, constraints)"
                                       : "ok (the full integrity_check: dbwarden check --full)");
        else
            ck->message = xasprintf("%s%s", l.first, l.n > 1 ? " (and more)" : "");
    }
    free(l.first);
    return rc;
}

int integrity_engine_run(DbConn *c, const IntegrityList *list, IntegrityCheck *ck,
                         DbError *err)
{
    if (ck->kind == IK_FOREIGN_KEY_CHECK)
        return run_fk_check(c, list, ck, err);
    return run_quick(c, ck, err);
}
