/* billing_why.c: users looked up and searched, and why one cannot run
 * jobs (see billing.h). */
#include "billing_internal.h"
#include "rx.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- users ----------------------------------------------------------------- */

static const char *const user_sql =
    "SELECT {TXT u.id} AS id, {u.email} AS email, {u.username} AS username FROM {U} u "
    "WHERE {TXT u.id} = $1 OR lower({u.email}) = lower($1) OR {u.username} = $1 "
    "ORDER BY CASE WHEN {TXT u.id} = $1 THEN 0 WHEN lower({u.email}) = lower($1) THEN 1 "
    "ELSE 2 END LIMIT 1";

static void user_from_row(BillUser *u, const char *const *v)
{
    u->id = xstrdup(v[0]);
    u->email = xstrdup(v[1]);
    u->username = xstrdup(v[2]);
}

int bill_find_user(const BillConf *m, DbConn *c, const char *who, BillUser *user, bool *found,
                   DbError *err)
{
    memset(user, 0, sizeof *user);
    *found = false;
    BillTable t;
    if (bill_query(m, c, "user by id, email or username", user_sql, &who, 1, 1, &t, err) != 0)
        return -1;
    if (t.nrows) {
        *found = true;
        user_from_row(user, (const char *const *)t.cells);
    }
    bill_table_free(&t);
    return 0;
}

char *bill_user_text(const BillUser *u)
{
    return xasprintf("%s <%s> (id %s)", u->username ? u->username : "(no username)",
                     u->email ? u->email : "no email", u->id ? u->id : "?");
}

void billing_user_free(BillUser *u)
{
    free(u->id);
    free(u->email);
    free(u->username);
    memset(u, 0, sizeof *u);
}

void billing_users_free(BillUsers *u)
{
    for (size_t i = 0; i < u->count; i++)
        billing_user_free(&u->items[i]);
    free(u->items);
    memset(u, 0, sizeof *u);
}

typedef struct Search {
    const Rx  *rx;
    BillUsers *out;
    size_t     max, cap;
} Search;

static bool finds(const Rx *rx, const char *s)
{
    return s && rx_match(rx, s, strlen(s), NULL, 0);
}

static int on_user(void *ctx, const DbRow *row)
{
    Search *sr = ctx;
    if (!finds(sr->rx, row->values[0]) && !finds(sr->rx, row->values[1]) &&
        !finds(sr->rx, row->values[2]))
        return 0;
    if (sr->out->count == sr->max) {
        sr->out->more = true;
        return 1;
    }
    sr->out->items = xgrow(sr->out->items, &sr->cap, sr->out->count + 1, sizeof *sr->out->items);
    user_from_row(&sr->out->items[sr->out->count++], row->values);
    return 0;
}

static int find_users(const BillConf *m, DbConn *c, const Rx *rx, size_t max, BillUsers *out,
                      DbError *err)
{
    BillSql q;
    bill_sql(m, "users to search",
             "SELECT {TXT u.id} AS id, {u.email} AS email, {u.username} AS username FROM {U} u "
             "ORDER BY {u.id}", NULL, 0, &q);
    Search sr = { rx, out, max, 0 };
    int rc = db_query(c, "billing: users to search", q.sql, NULL, on_user, &sr, err);
    bill_sql_free(&q);
    return rc;
}

int billing_find_users(const Session *s, DbConn *c, const char *pattern, size_t max,
                       BillUsers *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    BillConf m;
    Rx *rx = NULL;
    int rc = -1;
    if (bill_conf_init(&m, s, c, err) != 0)
        goto fail;
    if (!(rx = rx_compile(pattern, RX_CASELESS, err)))
        goto fail;
    rc = find_users(&m, c, rx, max, out, err);
fail:
    rx_free(rx);
    bill_conf_free(&m);
    return rc;
}

/* ---- why ---------------------------------------------------------------------- */

const char *billing_why_code_name(BillWhyCode code)
{
    static const char *const names[] = {
        "user_missing", "no_live_subscription", "subscription_past_due", "license_suspended",
        "license_revoked", "license_expired", "no_license", "seats_exhausted", "ok",
    };
    return code <= BILL_OK ? names[code] : "?";
}

static const char *const subs_sql =
    "SELECT " SUB_COLS ", CASE WHEN {DUE} THEN 1 ELSE 0 END AS overdue "
    "FROM {S} s WHERE {s.user_id} = $1 ORDER BY {s.id}";
static const char *const lics_sql =
    "SELECT " LIC_COLS ", CASE WHEN {LEXP} THEN 1 ELSE 0 END AS past_expiry, "
    "(SELECT count(*) FROM {J} j WHERE {j.license_id} = {l.id} AND {IN j.status job_active}) "
    "AS jobs_active FROM {L} l WHERE {l.user_id} = $1 ORDER BY {l.id}";

/* The answer, and the rows of t that keep[] marks as its evidence. */
static void answer(BillWhy *w, BillWhyCode code, const char *table, BillTable *t,
                   const bool *keep, char *message)
{
    w->code = code;
    w->message = message;
    w->table = table;
    if (t) {
        if (keep)
            bill_table_filter(t, keep);
        w->evidence = *t;
        memset(t, 0, sizeof *t);
    }
}

static const char *cell(const BillTable *t, size_t r, const char *col)
{
    int i = bill_col(t, col);
    const char *v = i >= 0 ? bill_cell(t, r, i) : NULL;
    return v ? v : "";
}

static bool flag(const BillTable *t, size_t r, const char *col)
{
    return strcmp(cell(t, r, col), "1") == 0;
}

/* The subscriptions: 0 when they let the user on, 1 when they answer. */
static int why_subscriptions(const BillConf *m, BillTable *t, const char *who, BillWhy *w)
{
    bool *live = xcalloc(t->nrows + 1, sizeof *live), *good = xcalloc(t->nrows + 1, 1);
    size_t nlive = 0, ngood = 0, first = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *st = cell(t, r, "status");
        live[r] = bill_in_set(m, BS_SUB_LIVE, st);
        good[r] = live[r] && !bill_in_set(m, BS_SUB_PAST_DUE, st) && !flag(t, r, "overdue");
        if (live[r] && nlive++ == 0)
            first = r;
        ngood += good[r];
    }
    int rc = 1;
    if (!nlive) {
        char *set = bill_set_text(m, BS_SUB_LIVE);
        answer(w, BILL_NO_LIVE_SUBSCRIPTION, m->table[BT_SUBSCRIPTIONS], t, NULL,
               xasprintf("%s has no subscription in a live state (%s); %zu subscription%s "
                         "in all", who, set, t->nrows, t->nrows == 1 ? "" : "s"));
        free(set);
    } else if (!ngood) {
        char *grace = bill_duration_text(m->b->grace_period);
        const char *st = cell(t, first, "status"), *id = cell(t, first, "id");
        char *msg = bill_in_set(m, BS_SUB_PAST_DUE, st)
            ? xasprintf("subscription %s of %s is %s", id, who, st)
            : xasprintf("subscription %s of %s is %s, but its next_billing_date %s passed "
                        "more than %s ago (grace_period)", id, who, st,
                        cell(t, first, "next_billing_date"), grace);
        answer(w, BILL_SUBSCRIPTION_PAST_DUE, m->table[BT_SUBSCRIPTIONS], t, live, msg);
        free(grace);
    } else {
        rc = 0;
    }
    free(live);
    free(good);
    return rc;
}

/* The first license whose mark is set, as "license 12 (pro)", or NULL. */
static char *first_license(const BillTable *t, const bool *mark)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (mark[r])
            return xasprintf("license %s (%s)", cell(t, r, "id"), cell(t, r, "product"));
    return NULL;
}

static long long seats_of(const BillTable *t, size_t r)
{
    int i = bill_col(t, "seats");
    const char *v = i >= 0 ? bill_cell(t, r, i) : NULL;
    return v ? atoll(v) : -1;   /* NULL: no limit */
}

/* The licenses, once the subscriptions let the user on. */
static void why_licenses(const BillConf *m, BillTable *t, const char *who, BillWhy *w)
{
    size_t n = t->nrows + 1;
    bool *usable = xcalloc(n, 1), *susp = xcalloc(n, 1), *rev = xcalloc(n, 1),
         *exp = xcalloc(n, 1), *room = xcalloc(n, 1);
    size_t nusable = 0, nsusp = 0, nrev = 0, nexp = 0, nroom = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *st = cell(t, r, "status");
        bool live = bill_in_set(m, BS_LIC_LIVE, st), past = flag(t, r, "past_expiry");
        long long seats = seats_of(t, r), busy = atoll(cell(t, r, "jobs_active"));
        nusable += usable[r] = live && !past;
        nsusp += susp[r] = bill_in_set(m, BS_LIC_SUSPENDED, st);
        nrev += rev[r] = bill_in_set(m, BS_LIC_REVOKED, st);
        nexp += exp[r] = bill_in_set(m, BS_LIC_EXPIRED, st) || (live && past);
        nroom += room[r] = usable[r] && (seats < 0 || busy < seats);
    }
    const char *lt = m->table[BT_LICENSES];
    char *name;
    if (!nusable && nsusp) {
        name = first_license(t, susp);
        answer(w, BILL_LICENSE_SUSPENDED, lt, t, susp, xasprintf("%s is suspended", name));
    } else if (!nusable && nrev) {
        name = first_license(t, rev);
        answer(w, BILL_LICENSE_REVOKED, lt, t, rev, xasprintf("%s is revoked", name));
    } else if (!nusable && nexp) {
        name = first_license(t, exp);
        answer(w, BILL_LICENSE_EXPIRED, lt, t, exp, xasprintf("%s has expired", name));
    } else if (!nusable) {
        name = NULL;
        answer(w, BILL_NO_LICENSE, lt, t, NULL,
               t->nrows ? xasprintf("%s has no license in a known state", who)
                        : xasprintf("%s has no license", who));
    } else if (!nroom) {
        name = first_license(t, usable);
        answer(w, BILL_SEATS_EXHAUSTED, lt, t, usable,
               xasprintf("every usable license of %s has as many jobs queued or running as "
                         "seats (%s among them)", who, name));
    } else {
        name = first_license(t, room);
        answer(w, BILL_OK, lt, t, room,
               xasprintf("%s can run jobs: %s is usable and has a free seat", who, name));
    }
    free(name);
    free(usable);
    free(susp);
    free(rev);
    free(exp);
    free(room);
}

static void user_missing(const BillConf *m, DbConn *c, const char *who, BillWhy *w)
{
    w->code = BILL_USER_MISSING;
    w->message = xasprintf("no user has the id, email or username '%s' (table %s)", who,
                           m->table[BT_USERS]);
    DbError e = DB_ERROR_INIT;
    Rx *rx = rx_compile(who, RX_CASELESS, &e);
    if (rx && find_users(m, c, rx, 20, &w->candidates, &e) != 0)
        billing_users_free(&w->candidates);   /* a hint only: none then */
    rx_free(rx);
    db_error_clear(&e);
}

int billing_why(const Session *s, DbConn *c, const char *who, BillWhy *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    BillConf m;
    BillTable subs = { 0 }, lics = { 0 };
    char *name = NULL;
    int rc = -1;
    if (bill_conf_init(&m, s, c, err) != 0 ||
        bill_find_user(&m, c, who, &out->user, &out->found, err) != 0)
        goto fail;
    if (!out->found) {
        user_missing(&m, c, who, out);
        rc = 0;
        goto fail;
    }
    const char *id = out->user.id;
    name = bill_user_text(&out->user);
    if (bill_query(&m, c, "subscriptions of a user", subs_sql, &id, 1, BILLING_MAX_ROWS, &subs,
                   err) != 0 ||
        bill_query(&m, c, "licenses of a user", lics_sql, &id, 1, BILLING_MAX_ROWS, &lics,
                   err) != 0)
        goto fail;
    if (why_subscriptions(&m, &subs, name, out) == 0)
        why_licenses(&m, &lics, name, out);
    rc = 0;
fail:
    free(name);
    bill_table_free(&subs);
    bill_table_free(&lics);
    bill_conf_free(&m);
    return rc;
}

void billing_why_free(BillWhy *w)
{
    billing_user_free(&w->user);
    free(w->message);
    bill_table_free(&w->evidence);
    billing_users_free(&w->candidates);
    memset(w, 0, sizeof *w);
}
