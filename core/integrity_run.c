/* integrity_run.c: a whole run of the checks, and the lookup of one check
 * by its id (see integrity.h). */
#include "integrity_internal.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool hook_cancelled(const IntegrityHooks *h)
{
    return h && h->cancelled && h->cancelled(h->ctx);
}

/* "counting public.orders", "checking public.users", "PRAGMA quick_check" */
static char *doing(const IntegrityCheck *ck)
{
    if (!ck->table)
        return xasprintf("PRAGMA %s", integrity_kind_name(ck->kind));
    const char *verb = ck->group == IG_LINTS ? "checking" : "counting";
    return xasprintf("%s %s.%s", verb, ck->schema, ck->table);
}

/* The checks from from on that have not run are cancelled (and handed
 * over as done). */
static void cancel_rest(IntegrityList *l, size_t from, const IntegrityHooks *h)
{
    for (size_t i = from; i < l->count; i++) {
        IntegrityCheck *ck = &l->checks[i];
        if (ck->state == IS_PENDING) {
            ck->state = IS_CANCELLED;
            free(ck->message);
            ck->message = xstrdup("cancelled before it ran");
        }
        if (h && h->done)
            h->done(h->ctx, ck);
    }
}

/* Runs every check of l (lints already decided are judged again, with
 * the acceptances). */
static int run_all(DbConn *c, const Catalog *cat, const IntegritySettings *set,
                   const IntegrityAccepted *acc, const IntegrityHooks *h, IntegrityList *l,
                   DbError *err)
{
    for (size_t i = 0; i < l->count; i++) {
        IntegrityCheck *ck = &l->checks[i];
        if (hook_cancelled(h)) {
            cancel_rest(l, i, h);
            return 0;
        }
        if (ck->state != IS_PENDING && ck->group == IG_LINTS) {
            integrity_judge(ck, set, acc);   /* decided from the catalog */
        } else {
            if (h && h->progress) {
                char *what = doing(ck);
                h->progress(h->ctx, i, l->count, what);
                free(what);
            }
            if (integrity_run_check(c, cat, set, acc, l, i, err) != 0) {
                if (h && h->done)
                    h->done(h->ctx, ck);
                cancel_rest(l, i + 1, h);
                return -1;
            }
        }
        if (h && h->done)
            h->done(h->ctx, ck);
    }
    return 0;
}

int integrity_run(DbConn *c, const Session *s, const IntegrityOptions *o,
                  const IntegrityHooks *hooks, IntegrityList *out, DbError *err)
{
    long t0 = integrity_now_ms();
    memset(out, 0, sizeof *out);
    Catalog *cat = NULL;
    IntegrityAccepted acc = { NULL, 0 };
    int rc = -1;
    if (catalog_load(c, &cat, err) != 0)
        goto done;
    if (integrity_build(cat, &s->cfg.integrity, o, out, err) != 0)
        goto done;
    if (integrity_accepted_load(c, &acc, err) != 0) {
        db_error_prefix(err, "cannot read the accepted checks (%s)", INTEGRITY_ACCEPT_TABLE);
        goto done;
    }
    rc = run_all(c, cat, &s->cfg.integrity, &acc, hooks, out, err);
done:
    out->ms = integrity_now_ms() - t0;
    integrity_accepted_free(&acc);
    catalog_free(cat);
    return rc;
}

int integrity_lookup(DbConn *c, const Session *s, const char *id, Catalog **cat,
                     IntegrityList *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    *cat = NULL;
    IntegrityOptions o = { 0, NULL, id, false };
    if (id && strcmp(id, "engine:integrity_check") == 0)
        o.full = true;
    if (catalog_load(c, cat, err) != 0)
        return -1;
    if (integrity_build(*cat, &s->cfg.integrity, &o, out, err) != 0)
        goto fail;
    if (out->count == 0) {
        db_error_set(err, DB_ERR_USAGE, "no check has the id %s (dbwarden check --json lists "
                     "them)", id ? id : "");
        goto fail;
    }
    IntegrityCheck *ck = &out->checks[0];
    if ((ck->group == IG_ORPHANS || ck->group == IG_INFERRED) &&
        integrity_choose_shape(c, ck, err) != 0)
        goto fail;
    return 0;
fail:
    integrity_list_free(out);
    catalog_free(*cat);
    *cat = NULL;
    return -1;
}
