/* seed_scale_rows.c: the values of the scale set's rows, table by table
 * (see seed_scale.c).  Every value comes from the row generator g->rng,
 * drawn in the same order each time, and is written without the locale. */
#include "seed_scale.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *text(SeedGen *g, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static const char *text(SeedGen *g, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->buf[col], BUFLEN, fmt, ap);
    va_end(ap);
    return g->buf[col];
}

static const char *date(SeedGen *g, int col, long long epoch)
{
    seed_fmt_date(epoch, g->buf[col]);
    return g->buf[col];
}

static const char *money(SeedGen *g, int col, long long cents)
{
    seed_fmt_cents(cents, g->buf[col]);
    return g->buf[col];
}

#define S_ (unsigned long long)g->seed
#define N_ g->n
#define I_ g->user

static void users_row(SeedGen *g, SeedRow *row)
{
    const char *first = SCALE_PICK(g, scale_first_names, SCALE_NFIRST);
    const char *last = SCALE_PICK(g, scale_last_names, SCALE_NLAST);
    row->v[1] = text(g, 1, "%s.%s%lld@s%llun%lld.example", first, last, I_, S_, N_);
    row->v[2] = text(g, 2, "%s%lld_s%llun%lld", first, I_, S_, N_);
    row->v[3] = text(g, 3, "sk_s%llun%lld_%lld_%08llx", S_, N_, I_,
                     (unsigned long long)(prng_next(&g->rng) >> 32));
    row->v[4] = prng_chance(&g->rng, 1500) ? NULL : text(g, 4, "cus_s%llun%lld_%lld", S_, N_, I_);
    row->v[5] = scale_stamp(g, 5, g->shape.created);
}

static void workspaces_row(SeedGen *g, SeedRow *row)
{
    row->v[1] = scale_num(g, 1, scale_user_key(g, I_));
    row->v[2] = text(g, 2, "%s %s", SCALE_PICK(g, scale_words, SCALE_NWORDS),
                     SCALE_PICK(g, scale_words, SCALE_NWORDS));
    row->v[3] = scale_stamp(g, 3, scale_after_created(g));
}

static void projects_row(SeedGen *g, SeedRow *row)
{
    const Shape *s = &g->shape;
    while (g->k < s->nws && g->kk >= s->proj[g->k]) {
        g->k++;
        g->kk = 0;
    }
    if (g->k >= s->nws) {   /* the orphan: a project of a missing workspace */
        row->v[1] = scale_num(g, 1, scale_ghost_key(g, T_WORKSPACES));
        row->v[2] = text(g, 2, "orphaned project of user %lld", I_);
        row->damage = true;
    } else {
        row->v[1] = scale_num(g, 1, scale_key_of(g, T_WORKSPACES, g->k));
        row->v[2] = text(g, 2, "%s-%d", SCALE_PICK(g, scale_words, SCALE_NWORDS), g->kk + 1);
        g->kk++;
    }
    row->v[3] = scale_stamp(g, 3, scale_after_created(g));
}

static void subscriptions_row(SeedGen *g, SeedRow *row)
{
    const Shape *s = &g->shape;
    int j = g->row;
    bool orphan = scale_has(s, F_ORPHAN_SUB) && j == s->nsub - 1;
    row->v[1] = scale_num(g, 1, orphan ? scale_ghost_key(g, T_USERS) : scale_user_key(g, I_));
    row->damage = orphan;
    int st = s->sub_status[j];
    row->v[2] = scale_sub_words[st];
    row->v[3] = s->sub_annual[j] ? "annual" : "monthly";
    long long anchor = seed_anchor_epoch();
    if (j == 0 && scale_has(s, F_OVERDUE))
        row->v[4] = date(g, 4, anchor - prng_range(&g->rng, 10, 90) * 86400);
    else if (st == SUB_ACTIVE || st == SUB_TRIAL)
        row->v[4] = date(g, 4, scale_ahead(g));
    else if (st == SUB_PAST_DUE)
        row->v[4] = date(g, 4, anchor - prng_range(&g->rng, 5, 40) * 86400);
    else
        row->v[4] = NULL;
    row->v[5] = scale_stamp(g, 5, scale_after_created(g));
}

/* A time after start and before the anchor (start is 2 days before it or more). */
static long long between(SeedGen *g, long long start)
{
    long long span = seed_anchor_epoch() - start;
    return start + 1 + prng_range(&g->rng, 0, span > 3 ? span - 3 : 0);
}

static void licenses_row(SeedGen *g, SeedRow *row)
{
    const Shape *s = &g->shape;
    int j = g->row;
    bool orphan = scale_has(s, F_ORPHAN_LIC) && j == s->nlic - 1;
    row->v[1] = scale_num(g, 1, orphan ? scale_ghost_key(g, T_USERS) : scale_user_key(g, I_));
    row->damage = orphan;
    int st = s->lic_status[j];
    row->v[2] = SCALE_PICK(g, scale_products, SCALE_NPRODUCTS);
    row->v[3] = scale_lic_words[st];
    row->v[4] = scale_num(g, 4, s->seats[j]);
    long long span = seed_anchor_epoch() - 2 * 86400 - s->created;
    long long start = s->created + prng_range(&g->rng, 0, span);
    row->v[5] = scale_stamp(g, 5, start);
    bool past = st == LIC_EXPIRED || (j == 0 && scale_has(s, F_LIC_PAST));
    if (past)
        row->v[6] = scale_stamp(g, 6, between(g, start));
    else if (prng_chance(&g->rng, 2000))
        row->v[6] = NULL;   /* perpetual */
    else
        row->v[6] = scale_stamp(g, 6, scale_ahead(g));
}

static const char *change_reason(int st)
{
    switch (st) {
    case LIC_SUSPENDED: return "payment failed";
    case LIC_REVOKED: return "terms violation";
    case LIC_EXPIRED: return "term ended";
    default: return "renewed";
    }
}

static void events_row(SeedGen *g, SeedRow *row)
{
    const Shape *s = &g->shape;
    while (g->k < s->nlic && g->kk >= s->ev[g->k]) {
        g->k++;
        g->kk = 0;
    }
    if (g->k >= s->nlic) {   /* the orphan: an event of a missing license */
        row->v[1] = scale_num(g, 1, scale_ghost_key(g, T_LICENSES));
        row->v[2] = "active";
        row->v[3] = "revoked";
        row->v[4] = "chargeback";
        row->v[5] = "billing";
        row->damage = true;
    } else {
        int st = s->lic_status[g->k];
        row->v[1] = scale_num(g, 1, scale_key_of(g, T_LICENSES, g->k));
        row->damage = scale_has(s, F_ORPHAN_LIC) && g->k == s->nlic - 1;
        if (g->kk == 0) {
            row->v[2] = NULL;
            row->v[3] = st == LIC_TRIAL ? "trial" : "active";
            row->v[4] = st == LIC_TRIAL ? "trial started" : "purchase";
            row->v[5] = st == LIC_TRIAL ? "web" : "billing";
        } else {
            row->v[2] = "active";
            row->v[3] = scale_lic_words[st];
            row->v[4] = change_reason(st);
            row->v[5] = st == LIC_REVOKED ? "support" : st == LIC_EXPIRED ? "system" : "billing";
        }
        g->kk++;
    }
    row->v[6] = scale_stamp(g, 6, scale_after_created(g));
}

static const int job_live[][2] = { { 0, 75 }, { 1, 10 }, { 2, 5 }, { 3, 5 }, { 4, 5 } };
static const int job_dead[][2] = { { 0, 80 }, { 1, 15 }, { 2, 5 } };
static const char *const job_words[] = { "succeeded", "failed", "cancelled", "queued", "running" };

static void jobs_row(SeedGen *g, SeedRow *row)
{
    const Shape *s = &g->shape;
    while (g->k < s->nlic && g->kk >= s->jobs[g->k]) {
        g->k++;
        g->kk = 0;
    }
    row->v[2] = scale_num(g, 2, scale_user_key(g, I_));
    if (g->k >= s->nlic) {   /* the orphan: a job of a missing license */
        row->v[1] = scale_num(g, 1, scale_ghost_key(g, T_LICENSES));
        row->v[3] = "queued";
        row->damage = true;
    } else {
        int st = s->lic_status[g->k];
        row->v[1] = scale_num(g, 1, scale_key_of(g, T_LICENSES, g->k));
        int js = scale_lic_live(st) ? SCALE_DRAW(&g->rng, job_live) : SCALE_DRAW(&g->rng, job_dead);
        if (g->k == 0 && g->kk == 0 && scale_has(s, F_LIC_BAD_JOBS))
            js = prng_chance(&g->rng, 5000) ? 4 : 3;   /* waiting on a dead license */
        row->v[3] = job_words[js];
        g->kk++;
    }
    row->v[4] = scale_stamp(g, 4, scale_after_created(g));
}

static const int price_cents[] = { 1900, 2900, 4900, 9900 };
static const int currency_w[][2] = { { 0, 80 }, { 1, 10 }, { 2, 10 } };
static const char *const currencies[] = { "EUR", "GBP", "USD" };

static void invoices_row(SeedGen *g, SeedRow *row)
{
    const Shape *s = &g->shape;
    while (g->k < s->nsub && g->kk >= s->inv[g->k]) {
        g->k++;
        g->kk = 0;
    }
    row->v[1] = scale_num(g, 1, scale_user_key(g, I_));
    bool annual = false;
    if (g->k < s->nsub) {
        row->v[2] = scale_num(g, 2, scale_key_of(g, T_SUBSCRIPTIONS, g->k));
        annual = s->sub_annual[g->k];
        g->kk++;
    } else if (s->oneoff && g->kk == 0) {   /* a one-off purchase: no subscription */
        row->v[2] = NULL;
        g->kk++;
    } else {   /* the orphan: an invoice of a missing subscription */
        row->v[2] = scale_num(g, 2, scale_ghost_key(g, T_SUBSCRIPTIONS));
        row->damage = true;
    }
    row->v[3] = text(g, 3, "INV-S%lluN%lld-%lld", S_, N_,
                     row->key - g->base[T_INVOICES] - g->ghosts[T_INVOICES]);
    long long cents = price_cents[prng_below(&g->rng, 4)] * (annual ? 10 : 1);
    row->v[4] = money(g, 4, cents);
    row->v[5] = "20.00";
    row->v[6] = prng_chance(&g->rng, 300) ? NULL : money(g, 6, cents * 6 / 5);   /* a draft */
    row->v[7] = currencies[SCALE_DRAW(&g->rng, currency_w)];
    row->v[8] = scale_stamp(g, 8, scale_after_created(g));
}

static const int response_w[][2] = { { 200, 50 }, { 201, 35 }, { 409, 10 }, { 500, 5 } };

static void idempotency_row(SeedGen *g, SeedRow *row)
{
    row->v[1] = text(g, 1, "idem-S%lluN%lld-%lld-%d", S_, N_, I_, g->row + 1);
    uint64_t h = prng_next(&g->rng);
    row->v[2] = prng_chance(&g->rng, 1000) ? NULL : text(g, 2, "%016llx", (unsigned long long)h);
    row->v[3] = prng_chance(&g->rng, 500) ? NULL
                                          : scale_num(g, 3, SCALE_DRAW(&g->rng, response_w));
    row->v[4] = scale_stamp(g, 4, scale_after_created(g));
}

static const char *const actors[] = { "web", "billing", "system", "support" };
static const char *const actions[] = { "login", "logout", "password.reset", "license.update",
                                       "invoice.paid" };
static const char *const agents[] = { "web/5.2", "cli/1.4", "ios/17.1" };

static void audit_row(SeedGen *g, SeedRow *row)
{
    row->v[1] = SCALE_PICK(g, actors, 4);
    int a = (int)prng_below(&g->rng, 5);
    row->v[2] = actions[a];
    row->v[3] = a < 3 ? "users" : a == 3 ? "licenses" : "invoices";
    row->v[4] = a < 3 ? scale_num(g, 4, scale_user_key(g, I_)) : NULL;
    uint64_t corr = prng_next(&g->rng);
    row->v[5] = prng_chance(&g->rng, 5000) ? NULL
                                           : text(g, 5, "corr-%016llx", (unsigned long long)corr);
    if (prng_chance(&g->rng, 4000)) {
        /* written as PostgreSQL's jsonb prints it, so both engines hold the same text */
        unsigned ip = (unsigned)prng_below(&g->rng, 1u << 24);
        row->v[6] = text(g, 6, "{\"ip\": \"10.%u.%u.%u\", \"agent\": \"%s\"}", ip >> 16,
                         (ip >> 8) & 255, ip & 255, SCALE_PICK(g, agents, 3));
    } else {
        row->v[6] = NULL;
    }
    row->v[7] = scale_stamp(g, 7, scale_after_created(g));
}

static void booths_row(SeedGen *g, SeedRow *row)
{
    row->v[1] = scale_num(g, 1, scale_user_key(g, I_));
    row->v[2] = text(g, 2, "%s's %s booth", SCALE_PICK(g, scale_first_names, SCALE_NFIRST),
                     SCALE_PICK(g, scale_words, SCALE_NWORDS));
    row->v[3] = scale_stamp(g, 3, scale_after_created(g));
}

static const int creator_w[][2] = { { 0, 70 }, { 1, 25 }, { 2, 5 } };

static void items_row(SeedGen *g, SeedRow *row)
{
    const Shape *s = &g->shape;
    int j = g->row;
    row->v[1] = scale_num(g, 1, scale_user_key(g, I_));
    if (j >= s->items) {   /* the orphan: an item of a missing booth */
        row->v[2] = scale_num(g, 2, scale_user_key(g, I_));
        row->v[3] = scale_num(g, 3, scale_ghost_key(g, T_BOOTHS));
        row->damage = true;
    } else {
        if (j == 0 && scale_has(s, F_CREATOR_GHOST)) {
            row->v[2] = scale_num(g, 2, scale_ghost_key(g, T_USERS));   /* no foreign key */
        } else {
            int c = SCALE_DRAW(&g->rng, creator_w);
            long long other = 1 + (long long)prng_below(&g->rng, (uint64_t)g->n);
            row->v[2] = c == 2 ? NULL
                      : scale_num(g, 2, scale_user_key(g, c == 0 ? I_ : other));
        }
        row->v[3] = scale_num(g, 3, scale_key_of(g, T_BOOTHS, 0));
    }
    row->v[4] = prng_chance(&g->rng, 500) ? NULL
                                          : money(g, 4, prng_range(&g->rng, 50, 500000));
    row->v[5] = text(g, 5, "%s %s #%d", SCALE_PICK(g, scale_words, SCALE_NWORDS),
                     SCALE_PICK(g, scale_words, SCALE_NWORDS), j + 1);
    row->v[6] = scale_stamp(g, 6, scale_after_created(g));
}

void scale_make_row(SeedGen *g, SeedRow *row)
{
    switch (g->table) {
    case T_USERS: users_row(g, row); break;
    case T_WORKSPACES: workspaces_row(g, row); break;
    case T_PROJECTS: projects_row(g, row); break;
    case T_SUBSCRIPTIONS: subscriptions_row(g, row); break;
    case T_LICENSES: licenses_row(g, row); break;
    case T_LICENSE_EVENTS: events_row(g, row); break;
    case T_JOBS: jobs_row(g, row); break;
    case T_INVOICES: invoices_row(g, row); break;
    case T_IDEMPOTENCY: idempotency_row(g, row); break;
    case T_AUDIT_LOG: audit_row(g, row); break;
    case T_BOOTHS: booths_row(g, row); break;
    case T_NFT_ITEMS: items_row(g, row); break;
    }
}
