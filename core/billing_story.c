/* billing_story.c: one user's subscriptions, licenses, license events,
 * jobs and audit entries, in time order (see billing.h). */
#include "billing_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* One kind of row of the story: its rows (at, id, ...) with the user's id
 * as $1, and how a row reads.  Audit entries take the entity names as
 * $2..$10. */
typedef struct Part {
    const char *kind;
    int         nfixed;   /* parameters it takes */
    const char *sql;
    char *(*text)(const BillTable *t, size_t r);
} Part;

static const char *v(const BillTable *t, size_t r, int col)
{
    return col < t->ncols ? bill_cell(t, r, col) : NULL;
}

static const char *or(const char *s, const char *none)
{
    return s ? s : none;
}

static char *sub_text(const BillTable *t, size_t r)
{
    return xasprintf("subscription %s: %s, %s plan, next billing %s", v(t, r, 1),
                     or(v(t, r, 2), "(no state)"), or(v(t, r, 3), "no"), or(v(t, r, 4), "none"));
}

static char *lic_text(const BillTable *t, size_t r)
{
    return xasprintf("license %s (%s): %s, %s seat%s, expires %s", v(t, r, 1),
                     or(v(t, r, 2), "no product"), or(v(t, r, 3), "(no state)"),
                     or(v(t, r, 4), "unlimited"),
                     v(t, r, 4) && strcmp(v(t, r, 4), "1") == 0 ? "" : "s",
                     or(v(t, r, 5), "never"));
}

static char *event_text(const BillTable *t, size_t r)
{
    StrBuf sb = STRBUF_INIT;
    if (v(t, r, 3))
        sb_appendf(&sb, "license %s: %s -> %s", or(v(t, r, 2), "?"), v(t, r, 3),
                   or(v(t, r, 4), "?"));
    else
        sb_appendf(&sb, "license %s: created %s", or(v(t, r, 2), "?"), or(v(t, r, 4), "?"));
    sb_appendf(&sb, " by %s", or(v(t, r, 5), "(unknown)"));
    if (v(t, r, 6))
        sb_appendf(&sb, ": %s", v(t, r, 6));
    return sb_take(&sb);
}

static char *job_text(const BillTable *t, size_t r)
{
    return xasprintf("job %s under license %s: %s", v(t, r, 1), or(v(t, r, 2), "?"),
                     or(v(t, r, 3), "(no state)"));
}

static char *audit_text(const BillTable *t, size_t r)
{
    StrBuf sb = STRBUF_INIT;
    sb_appendf(&sb, "audit %s: %s %s %s %s", v(t, r, 1), or(v(t, r, 2), "(no actor)"),
               or(v(t, r, 3), "?"), or(v(t, r, 4), "?"), or(v(t, r, 5), ""));
    if (v(t, r, 6))
        sb_appendf(&sb, " (correlation %s)", v(t, r, 6));
    if (v(t, r, 7))
        sb_appendf(&sb, " %s", v(t, r, 7));
    return sb_take(&sb);
}

static const Part parts[] = {
    { "subscription", 1,
      "SELECT {TS s.created_at} AS at, {TXT s.id} AS id, {s.status} AS status, "
      "{s.plan_type} AS plan_type, {s.next_billing_date} AS next_billing_date "
      "FROM {S} s WHERE {s.user_id} = $1 ORDER BY {s.id}", sub_text },
    { "license", 1,
      "SELECT {TS l.starts_at} AS at, {TXT l.id} AS id, {l.product} AS product, "
      "{l.status} AS status, {l.seats} AS seats, {l.expires_at} AS expires_at "
      "FROM {L} l WHERE {l.user_id} = $1 ORDER BY {l.id}", lic_text },
    { "license_event", 1,
      "SELECT {TS e.created_at} AS at, {TXT e.id} AS id, {e.license_id} AS license_id, "
      "{e.from_status} AS from_status, {e.to_status} AS to_status, {e.actor} AS actor, "
      "{e.reason} AS reason FROM {E} e JOIN {L} l ON {l.id} = {e.license_id} "
      "WHERE {l.user_id} = $1 ORDER BY {e.id}", event_text },
    { "job", 1,
      "SELECT {TS j.created_at} AS at, {TXT j.id} AS id, {j.license_id} AS license_id, "
      "{j.status} AS status FROM {J} j WHERE {j.user_id} = $1 ORDER BY {j.id}", job_text },
    { "audit", 10,
      "SELECT {TS a.created_at} AS at, {TXT a.id} AS id, {a.actor} AS actor, "
      "{a.action} AS action, {a.entity} AS entity, {TXT a.entity_id} AS entity_id, "
      "{a.correlation_id} AS correlation_id, {TXT a.details} AS details FROM {A} a "
      "WHERE ({a.entity} IN ($2, $3, $4) "
      "AND {a.entity_id} IN (SELECT {u.id} FROM {U} u WHERE {u.id} = $1)) "
      "OR ({a.entity} IN ($5, $6, $7) "
      "AND {a.entity_id} IN (SELECT {s.id} FROM {S} s WHERE {s.user_id} = $1)) "
      "OR ({a.entity} IN ($8, $9, $10) "
      "AND {a.entity_id} IN (SELECT {l.id} FROM {L} l WHERE {l.user_id} = $1)) "
      "ORDER BY {a.id}", audit_text },
};
#define NPARTS (sizeof parts / sizeof parts[0])

typedef struct Item {
    BillEvent ev;
    size_t    order;   /* as read: kind, then id */
} Item;

static int by_time(const void *pa, const void *pb)
{
    const Item *a = pa, *b = pb;
    if (a->ev.at && b->ev.at) {
        int c = strcmp(a->ev.at, b->ev.at);
        if (c)
            return c;
    } else if (a->ev.at || b->ev.at) {
        return a->ev.at ? -1 : 1;   /* no time: last */
    }
    return a->order < b->order ? -1 : a->order > b->order;
}

static int read_part(const BillConf *m, DbConn *c, const Part *p, const char *const *fixed,
                     Item **items, size_t *n, size_t *cap, DbError *err)
{
    BillTable t;
    char *label = xasprintf("story: %ss", p->kind);
    int rc = bill_query(m, c, label, p->sql, fixed, p->nfixed,
                        BILLING_MAX_ROWS, &t, err);
    free(label);
    if (rc != 0)
        return -1;
    for (size_t r = 0; r < t.nrows; r++) {
        *items = xgrow(*items, cap, *n + 1, sizeof **items);
        Item *it = &(*items)[*n];
        it->order = (*n)++;
        it->ev.at = xstrdup(bill_cell(&t, r, 0));
        it->ev.kind = p->kind;
        it->ev.id = xstrdup(or(bill_cell(&t, r, 1), ""));
        it->ev.text = p->text(&t, r);
    }
    bill_table_free(&t);
    return 0;
}

int billing_story(const Session *s, DbConn *c, const char *who, BillStory *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    BillConf m;
    Item *items = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    if (bill_conf_init(&m, s, c, err) != 0 ||
        bill_find_user(&m, c, who, &out->user, &out->found, err) != 0)
        goto fail;
    if (!out->found) {
        rc = 0;
        goto fail;
    }
    /* the user's id, then the names an audit entry gives each entity */
    const char *fixed[10] = { out->user.id, "user", "users", m.table[BT_USERS],
                              "subscription", "subscriptions", m.table[BT_SUBSCRIPTIONS],
                              "license", "licenses", m.table[BT_LICENSES] };
    for (size_t i = 0; i < NPARTS; i++)
        if (read_part(&m, c, &parts[i], fixed, &items, &n, &cap, err) != 0)
            goto fail;
    qsort(items, n, sizeof *items, by_time);
    out->events = xcalloc(n + 1, sizeof *out->events);
    for (size_t i = 0; i < n; i++)
        out->events[i] = items[i].ev;
    out->count = n;
    n = 0;
    rc = 0;
fail:
    for (size_t i = 0; i < n; i++) {
        free(items[i].ev.at);
        free(items[i].ev.id);
        free(items[i].ev.text);
    }
    free(items);
    bill_conf_free(&m);
    return rc;
}

void billing_story_free(BillStory *st)
{
    billing_user_free(&st->user);
    for (size_t i = 0; i < st->count; i++) {
        free(st->events[i].at);
        free(st->events[i].id);
        free(st->events[i].text);
    }
    free(st->events);
    memset(st, 0, sizeof *st);
}
