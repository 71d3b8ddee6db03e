/* billing_model.c: counts per state and plan, and the anomalies, each one
 * statement with its count and its rows (see billing.h). */
#include "billing_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

const char *const billing_anomaly_kinds[] = {
    "subscription_past_billing", "license_past_expiry", "jobs_under_dead_license",
    "duplicate_live_subscriptions", "access_after_end", "user_without_subscription",
    "missing_user", NULL,
};

/* ---- counts ---------------------------------------------------------------- */

static const char *const counts_sql[2] = {
    "SELECT 'state' AS what, {TXT s.status} AS k, count(*) AS n FROM {S} s "
    "GROUP BY {s.status} "
    "UNION ALL SELECT 'plan', {TXT s.plan_type}, count(*) FROM {S} s GROUP BY {s.plan_type}",
    "SELECT 'state' AS what, {TXT l.status} AS k, count(*) AS n FROM {L} l "
    "GROUP BY {l.status} "
    "UNION ALL SELECT 'plan', {TXT l.product}, count(*) FROM {L} l GROUP BY {l.product}",
};

static void add_count(BillCount **v, size_t *n, size_t *cap, const char *key, long long k)
{
    *v = xgrow(*v, cap, *n + 1, sizeof **v);
    (*v)[*n].key = xstrdup(key ? key : "(null)");
    (*v)[(*n)++].n = k;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const BillCount *)a)->key, ((const BillCount *)b)->key);
}

/* side's counts from the rows (what, k, n); the vocabulary first, in order. */
static void fill_side(const BillConf *m, BillSetId voc, const BillTable *t, BillSide *side)
{
    size_t scap = 0, pcap = 0;
    for (size_t i = 0; i < m->nset[voc]; i++)
        add_count(&side->by_state, &side->nstates, &scap, m->set[voc][i], 0);
    size_t first_extra = side->nstates;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *what = bill_cell(t, r, 0), *key = bill_cell(t, r, 1);
        long long n = atoll(bill_cell(t, r, 2) ? bill_cell(t, r, 2) : "0");
        if (strcmp(what, "plan") == 0) {
            add_count(&side->by_plan, &side->nplans, &pcap, key, n);
            continue;
        }
        side->total += n;
        size_t i = 0;
        while (i < side->nstates && !(key && strcmp(side->by_state[i].key, key) == 0))
            i++;
        if (i < side->nstates)
            side->by_state[i].n += n;
        else
            add_count(&side->by_state, &side->nstates, &scap, key, n);
    }
    qsort(side->by_state + first_extra, side->nstates - first_extra, sizeof *side->by_state,
          by_key);
    if (side->nplans)
        qsort(side->by_plan, side->nplans, sizeof *side->by_plan, by_key);
}

static int load_side(const BillConf *m, DbConn *c, int which, BillSide *side, DbError *err)
{
    BillTable t;
    side->table = m->table[which == 0 ? BT_SUBSCRIPTIONS : BT_LICENSES];
    if (bill_query(m, c, which == 0 ? "subscriptions per state and plan"
                                    : "licenses per state and product",
                   counts_sql[which], NULL, 0, 100000, &t, err) != 0)
        return -1;
    fill_side(m, which == 0 ? BS_SUB_STATES : BS_LIC_STATES, &t, side);
    bill_table_free(&t);
    return 0;
}

static void side_free(BillSide *side)
{
    for (size_t i = 0; i < side->nstates; i++)
        free(side->by_state[i].key);
    for (size_t i = 0; i < side->nplans; i++)
        free(side->by_plan[i].key);
    free(side->by_state);
    free(side->by_plan);
}

/* ---- anomalies ----------------------------------------------------------- */

typedef struct Check {
    int         kind;     /* index in billing_anomaly_kinds */
    BillTab     table;    /* of the rows listed */
    const char *key;      /* the column whose distinct values are counted */
    const char *rows;     /* the template of the rows */
} Check;

static const Check checks[] = {
    { 0, BT_SUBSCRIPTIONS, "id",
      "SELECT " SUB_COLS " FROM {S} s WHERE {IN s.status sub_current} AND {DUE}" },
    { 1, BT_LICENSES, "id", "SELECT " LIC_COLS " FROM {L} l WHERE {IN l.status lic_live} AND {LEXP}" },
    { 2, BT_JOBS, "license_id",
      "SELECT {j.id} AS id, {j.license_id} AS license_id, {j.user_id} AS user_id, "
      "{j.status} AS status, {l.status} AS license_status "
      "FROM {J} j JOIN {L} l ON {l.id} = {j.license_id} "
      "WHERE {IN j.status job_active} AND {IN l.status lic_dead}" },
    { 3, BT_SUBSCRIPTIONS, "user_id",
      "SELECT " SUB_COLS " FROM {S} s WHERE {IN s.status sub_live} AND {s.user_id} IN "
      "(SELECT {s2.user_id} FROM {S} s2 WHERE {IN s2.status sub_live} "
      "GROUP BY {s2.user_id} HAVING count(*) > 1)" },
    { 4, BT_LICENSES, "id",
      "SELECT " LIC_COLS " FROM {L} l WHERE {IN l.status lic_live} "
      "AND EXISTS (SELECT 1 FROM {S} s WHERE {s.user_id} = {l.user_id}) "
      "AND NOT EXISTS (SELECT 1 FROM {S} s WHERE {s.user_id} = {l.user_id} "
      "AND ({NOTIN s.status sub_ended} OR {s.status} IS NULL))" },
    { 5, BT_USERS, "id",
      "SELECT {u.id} AS id, {u.email} AS email, {u.username} AS username FROM {U} u "
      "WHERE NOT EXISTS (SELECT 1 FROM {S} s WHERE {s.user_id} = {u.id})" },
    { 6, BT_SUBSCRIPTIONS, "id",
      "SELECT " SUB_COLS " FROM {S} s "
      "WHERE NOT EXISTS (SELECT 1 FROM {U} u WHERE {u.id} = {s.user_id})" },
    { 6, BT_LICENSES, "id",
      "SELECT " LIC_COLS " FROM {L} l "
      "WHERE NOT EXISTS (SELECT 1 FROM {U} u WHERE {u.id} = {l.user_id})" },
};
#define NCHECKS (sizeof checks / sizeof checks[0])

static const char *plural(long long n)
{
    return n == 1 ? "" : "s";
}

static char *message(const BillConf *m, const Check *ck, long long n, long long rows)
{
    char *grace = bill_duration_text(m->b->grace_period);
    char *set = bill_set_text(m, ck->kind == 0 ? BS_SUB_CURRENT
                                 : ck->kind == 4 ? BS_SUB_ENDED : BS_LIC_LIVE);
    char *msg = NULL;
    switch (ck->kind) {
    case 0:
        msg = xasprintf("%lld subscription%s (%s) whose next_billing_date passed more than %s "
                        "ago (grace_period)", n, plural(n), set, grace);
        break;
    case 1:
        msg = xasprintf("%lld license%s (%s) past %s expires_at", n, plural(n), set,
                        n == 1 ? "its" : "their");
        break;
    case 2:
        msg = xasprintf("%lld license%s suspended, revoked or expired with %lld job%s queued "
                        "or running", n, plural(n), rows, plural(rows));
        break;
    case 3:
        msg = xasprintf("%lld user%s with more than one live subscription (%lld subscription%s)",
                        n, plural(n), rows, plural(rows));
        break;
    case 4:
        msg = xasprintf("%lld live license%s of users whose subscriptions have all ended (%s)",
                        n, plural(n), set);
        break;
    case 5:
        msg = xasprintf("%lld user%s with no subscription at all", n, plural(n));
        break;
    default:
        msg = xasprintf("%lld row%s of %s whose user does not exist in %s", n, plural(n),
                        m->table[ck->table], m->table[BT_USERS]);
        break;
    }
    free(set);
    free(grace);
    return msg;
}

static int run_check(const BillConf *m, DbConn *c, const Check *ck, BillAnomaly *a,
                     DbError *err)
{
    a->kind = billing_anomaly_kinds[ck->kind];
    a->table = m->table[ck->table];
    char *tmpl = xasprintf("WITH bad AS (%s) SELECT (SELECT count(DISTINCT %s) FROM bad) "
                           "AS dbw_count, (SELECT count(*) FROM bad) AS dbw_rows, bad.* "
                           "FROM bad ORDER BY 3", ck->rows, ck->key);
    char *label = xasprintf("anomaly %s (%s)", a->kind, a->table);
    int rc = bill_query(m, c, label, tmpl, NULL, 0, BILLING_MAX_ROWS, &a->rows, err);
    free(label);
    free(tmpl);
    if (rc != 0) {
        db_error_prefix(err, "billing: %s", a->kind);
        return -1;
    }
    if (a->rows.nrows) {
        a->count = atoll(bill_cell(&a->rows, 0, 0));
        a->nrows = atoll(bill_cell(&a->rows, 0, 1));
    }
    bill_table_drop_first(&a->rows);
    bill_table_drop_first(&a->rows);
    a->message = message(m, ck, a->count, a->nrows);
    return 0;
}

int billing_load(const Session *s, DbConn *c, BillModel *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    BillConf m;
    int rc = -1;
    if (bill_conf_init(&m, s, c, err) != 0)
        goto fail;
    if (load_side(&m, c, 0, &out->subscriptions, err) != 0 ||
        load_side(&m, c, 1, &out->licenses, err) != 0)
        goto fail;
    out->anomalies = xcalloc(NCHECKS, sizeof *out->anomalies);
    for (size_t i = 0; i < NCHECKS; i++, out->nanomalies++)
        if (run_check(&m, c, &checks[i], &out->anomalies[i], err) != 0)
            goto fail;
    billing_transitions(m.b, &out->transitions, &out->ntransitions);
    rc = 0;
fail:
    bill_conf_free(&m);
    return rc;
}

void billing_model_free(BillModel *m)
{
    side_free(&m->subscriptions);
    side_free(&m->licenses);
    for (size_t i = 0; i < m->nanomalies; i++) {
        free(m->anomalies[i].message);
        bill_table_free(&m->anomalies[i].rows);
    }
    free(m->anomalies);
    billing_transitions_free(m->transitions, m->ntransitions);
    memset(m, 0, sizeof *m);
}

size_t billing_anomalies_found(const BillModel *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->nanomalies; i++)
        n += m->anomalies[i].count > 0;
    return n;
}
