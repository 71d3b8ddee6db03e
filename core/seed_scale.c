/* seed_scale.c: the scale set: N users and what hangs off them, drawn by
 * prng.h from (N, S) alone, so both engines and every machine get the same
 * rows.
 *
 * Each user i has a shape (how many workspaces, projects, subscriptions,
 * licenses, events, jobs, invoices, idempotency keys, audit entries, a
 * booth and its items, and which anomalies) drawn from the generator
 * (S, SHAPE, i); the values of user i's rows of table t from (S, 100 + t,
 * i).  A table is made by walking the users in order and counting their
 * rows, so every key (and every parent's key) is known without keeping
 * anything per user: memory does not grow with N.
 *
 * Fan-out is skewed (most users have one subscription and one license,
 * a few many; most licenses run a few jobs, some dozens), about 8 rows per
 * user in all.  Healthy users are consistent (a live first subscription, a
 * live first license, history cancelled or expired, no jobs waiting on a
 * dead license).  With [seed] anomalies = p (per 10000), each user has,
 * with probability p each: no subscription; two active subscriptions; an
 * active subscription overdue; an active license past its end; a dead
 * license with a job waiting or running; an active license with no live
 * subscription; and the orphans: a subscription and a license of a
 * missing user, a job and a license event of a missing license, an
 * invoice of a missing subscription, a project of a missing workspace, an
 * NFT item of a missing booth, an NFT item whose creator is missing (no
 * foreign key).  The missing parents are the ghost keys at the start of
 * the users, workspaces, subscriptions, licenses and booths blocks
 * (1 + N / 1000 each). */
#include "seed_scale.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const scale_sub_words[] = { "trial", "active", "past_due", "cancelled", "expired" };
const char *const scale_lic_words[] = { "trial", "active", "suspended", "expired", "revoked" };

const char *const scale_first_names[] = {
    "ada", "alan", "anna", "ben", "chen", "clara", "dmitri", "elena", "emil", "fatima",
    "felix", "grace", "hana", "hugo", "ines", "ivan", "jonas", "julia", "kai", "lara",
    "leo", "lin", "marta", "mateo", "nora", "omar", "paula", "priya", "rafael", "sara",
    "tomas", "yuki",
};
const char *const scale_last_names[] = {
    "adams", "berg", "costa", "dubois", "eriksen", "fischer", "garcia", "hansen", "ito",
    "jensen", "kowalski", "larsen", "moreau", "nakamura", "novak", "okafor", "petrov",
    "quinn", "rossi", "santos", "schmidt", "silva", "tanaka", "urban", "vargas", "weber",
    "xu", "yilmaz", "zhang", "brown", "khan", "meyer",
};
const char *const scale_words[] = {
    "amber", "basalt", "cedar", "delta", "ember", "fjord", "granite", "harbor", "indigo",
    "juniper", "kelp", "lumen", "meadow", "nebula", "onyx", "prairie", "quartz", "river",
    "sierra", "tundra", "umber", "violet", "willow", "xenon", "yarrow", "zephyr", "atlas",
    "beacon", "comet", "dune", "echo", "flint",
};
const char *const scale_products[] = { "Studio", "Render Farm", "Analytics", "API" };

int scale_draw(Prng *r, const int (*tab)[2], size_t n)
{
    unsigned w[16];
    for (size_t i = 0; i < n && i < 16; i++)
        w[i] = (unsigned)tab[i][1];
    return tab[prng_weighted(r, w, n)][0];
}

static const int ws_n[][2] = { { 0, 80 }, { 1, 17 }, { 2, 2 }, { 3, 1 } };
static const int proj_n[][2] = { { 0, 25 }, { 1, 45 }, { 2, 20 }, { 3, 10 } };
static const int sub_n[][2] = { { 1, 82 }, { 2, 14 }, { 3, 3 }, { 4, 1 } };
static const int inv_n[][2] = { { 0, 40 }, { 1, 35 }, { 2, 13 }, { 4, 8 }, { 8, 4 } };
static const int lic_n[][2] = { { 1, 88 }, { 2, 10 }, { 3, 2 } };
static const int seats_n[][2] = { { 1, 50 }, { 2, 20 }, { 3, 12 }, { 5, 10 }, { 10, 6 },
                                  { 25, 2 } };
static const int jobs_live[][2] = { { 0, 50 }, { 1, 22 }, { 2, 12 }, { 3, 7 }, { 5, 5 },
                                    { 10, 3 }, { 30, 1 } };
static const int jobs_dead[][2] = { { 0, 70 }, { 1, 20 }, { 2, 7 }, { 5, 3 } };
static const int idem_n[][2] = { { 0, 85 }, { 1, 12 }, { 2, 3 } };
static const int audit_n[][2] = { { 0, 75 }, { 1, 18 }, { 2, 5 }, { 3, 2 } };
static const int items_n[][2] = { { 1, 40 }, { 2, 25 }, { 3, 15 }, { 5, 12 }, { 10, 6 },
                                  { 20, 2 } };
static const int first_sub[][2] = { { SUB_ACTIVE, 85 }, { SUB_TRIAL, 10 }, { SUB_PAST_DUE, 5 } };
static const int old_sub[][2] = { { SUB_CANCELLED, 60 }, { SUB_EXPIRED, 40 } };
static const int old_lic[][2] = { { LIC_EXPIRED, 70 }, { LIC_REVOKED, 15 }, { LIC_SUSPENDED, 15 } };
static const int dead_lic[][2] = { { LIC_SUSPENDED, 40 }, { LIC_REVOKED, 30 }, { LIC_EXPIRED, 30 } };

bool scale_lic_live(int s)
{
    return s == LIC_ACTIVE || s == LIC_TRIAL;
}

/* ---- the shape of user i ------------------------------------------------ */

static void draw_flags(SeedGen *g, Prng *r, Shape *s)
{
    for (int f = 0; f < NFLAGS; f++)
        if (prng_chance(r, g->anomalies))
            s->flags |= 1u << f;
    if (s->flags & F_NO_SUB)   /* kept apart from the subscription anomalies */
        s->flags &= ~(unsigned)(F_TWO_ACTIVE | F_OVERDUE | F_LIC_NO_LIVE_SUB | F_LIC_PAST |
                                F_LIC_BAD_JOBS | F_ORPHAN_INV);
    if (s->flags & F_LIC_NO_LIVE_SUB)
        s->flags &= ~(unsigned)(F_TWO_ACTIVE | F_OVERDUE | F_LIC_PAST | F_LIC_BAD_JOBS);
    if (s->flags & F_LIC_BAD_JOBS)
        s->flags &= ~(unsigned)F_LIC_PAST;
}

static void draw_subscriptions(Prng *r, Shape *s)
{
    s->nsub = (s->flags & F_NO_SUB) ? 0 : SCALE_DRAW(r, sub_n);
    if ((s->flags & F_TWO_ACTIVE) && s->nsub < 2)
        s->nsub = 2;
    for (int k = 0; k < s->nsub; k++) {
        s->sub_status[k] = (unsigned char)(k == 0 ? SCALE_DRAW(r, first_sub) : SCALE_DRAW(r, old_sub));
        s->sub_annual[k] = prng_chance(r, 3000);
        s->inv[k] = SCALE_DRAW(r, inv_n);
    }
    if (s->flags & (F_TWO_ACTIVE | F_OVERDUE))
        s->sub_status[0] = SUB_ACTIVE;
    if (s->flags & F_TWO_ACTIVE)
        s->sub_status[1] = SUB_ACTIVE;
    if (s->flags & F_LIC_NO_LIVE_SUB)
        for (int k = 0; k < s->nsub; k++)
            s->sub_status[k] = (unsigned char)(k % 2 ? SUB_EXPIRED : SUB_CANCELLED);
    for (int k = 0; k < s->nsub; k++)
        if (s->sub_status[k] == SUB_TRIAL)
            s->inv[k] = 0;
    s->oneoff = prng_chance(r, 300);
    if (s->flags & F_ORPHAN_SUB) {   /* a subscription of a missing user, last */
        s->sub_status[s->nsub] = SUB_ACTIVE;
        s->sub_annual[s->nsub] = 0;
        s->inv[s->nsub] = 0;
        s->nsub++;
    }
}

static void draw_licenses(Prng *r, Shape *s)
{
    s->nlic = (s->flags & F_NO_SUB) ? 0 : SCALE_DRAW(r, lic_n);
    for (int k = 0; k < s->nlic; k++) {
        if (k == 0)
            s->lic_status[k] = s->nsub && s->sub_status[0] == SUB_TRIAL ? LIC_TRIAL : LIC_ACTIVE;
        else
            s->lic_status[k] = (unsigned char)SCALE_DRAW(r, old_lic);
        s->seats[k] = SCALE_DRAW(r, seats_n);
        s->ev[k] = scale_lic_live(s->lic_status[k]) ? prng_chance(r, 3000) : 2;
        s->jobs[k] = scale_lic_live(s->lic_status[k]) ? SCALE_DRAW(r, jobs_live) : SCALE_DRAW(r, jobs_dead);
    }
    if ((s->flags & (F_LIC_PAST | F_LIC_NO_LIVE_SUB)) && s->nlic > 0)
        s->lic_status[0] = LIC_ACTIVE;
    if ((s->flags & F_LIC_BAD_JOBS) && s->nlic > 0) {
        s->lic_status[0] = (unsigned char)SCALE_DRAW(r, dead_lic);
        s->ev[0] = 2;
        if (s->jobs[0] < 1)
            s->jobs[0] = 1;
    }
    if (s->flags & F_ORPHAN_LIC) {   /* a license of a missing user, last */
        s->lic_status[s->nlic] = LIC_ACTIVE;
        s->seats[s->nlic] = 1;
        s->ev[s->nlic] = 1;
        s->jobs[s->nlic] = 0;
        s->nlic++;
    }
}

static void make_shape(SeedGen *g, long long i, Shape *s)
{
    Prng r;
    prng_init(&r, g->seed, STREAM_SHAPE, (uint64_t)i);
    memset(s, 0, sizeof *s);
    s->created = seed_anchor_epoch() - prng_range(&r, 30LL * 86400, 4LL * 365 * 86400);
    draw_flags(g, &r, s);
    s->nws = SCALE_DRAW(&r, ws_n);
    for (int w = 0; w < s->nws; w++)
        s->proj[w] = SCALE_DRAW(&r, proj_n);
    draw_subscriptions(&r, s);
    draw_licenses(&r, s);
    s->nidem = SCALE_DRAW(&r, idem_n);
    s->naudit = SCALE_DRAW(&r, audit_n);
    s->booth = prng_chance(&r, 150);
    s->items = s->booth ? SCALE_DRAW(&r, items_n) : 0;
    if (!s->items)
        s->flags &= ~(unsigned)F_CREATOR_GHOST;
}

bool scale_has(const Shape *s, unsigned f)
{
    return (s->flags & f) != 0;
}

long long scale_rows_of(const Shape *s, int t, long long *damage)
{
    long long n = 0, d = 0;
    switch (t) {
    case T_USERS: n = 1; break;
    case T_WORKSPACES: n = s->nws; break;
    case T_PROJECTS:
        for (int w = 0; w < s->nws; w++)
            n += s->proj[w];
        d = scale_has(s, F_ORPHAN_PROJ);
        n += d;
        break;
    case T_SUBSCRIPTIONS: n = s->nsub; d = scale_has(s, F_ORPHAN_SUB); break;
    case T_LICENSES: n = s->nlic; d = scale_has(s, F_ORPHAN_LIC); break;
    case T_LICENSE_EVENTS:
        for (int k = 0; k < s->nlic; k++)
            n += s->ev[k];
        d = scale_has(s, F_ORPHAN_EVENT);
        n += d;
        if (scale_has(s, F_ORPHAN_LIC))   /* the events of an orphan license go with it */
            d += s->ev[s->nlic - 1];
        break;
    case T_JOBS:
        for (int k = 0; k < s->nlic; k++)
            n += s->jobs[k];
        d = scale_has(s, F_ORPHAN_JOB);
        n += d;
        break;
    case T_INVOICES:
        for (int k = 0; k < s->nsub; k++)
            n += s->inv[k];
        d = scale_has(s, F_ORPHAN_INV);
        n += s->oneoff + d;
        break;
    case T_IDEMPOTENCY: n = s->nidem; break;
    case T_AUDIT_LOG: n = s->naudit; break;
    case T_BOOTHS: n = s->booth; break;
    case T_NFT_ITEMS: d = scale_has(s, F_ORPHAN_ITEM); n = s->items + d; break;
    }
    if (damage)
        *damage = d;
    return n;
}

/* ---- the class ------------------------------------------------------------ */

static SeedGen *scale_open(const SeedRequest *req, unsigned anomalies)
{
    SeedGen *g = xcalloc(1, sizeof *g);
    g->n = req->scale;
    g->seed = req->seed;
    g->anomalies = anomalies;
    long long ghosts = anomalies > 0 ? 1 + g->n / 1000 : 0;
    g->ghosts[T_USERS] = g->ghosts[T_WORKSPACES] = g->ghosts[T_SUBSCRIPTIONS] = ghosts;
    g->ghosts[T_LICENSES] = g->ghosts[T_BOOTHS] = ghosts;
    return g;
}

static void scale_counts(SeedGen *g, long long rows[SEED_NTABLES], long long damage[SEED_NTABLES],
                         long long ghosts[SEED_NTABLES])
{
    memset(rows, 0, sizeof(long long) * SEED_NTABLES);
    memset(damage, 0, sizeof(long long) * SEED_NTABLES);
    memcpy(ghosts, g->ghosts, sizeof g->ghosts);
    Shape s;
    for (long long i = 1; i <= g->n; i++) {
        make_shape(g, i, &s);
        for (int t = 0; t < SEED_NTABLES; t++) {
            long long d;
            rows[t] += scale_rows_of(&s, t, &d);
            damage[t] += d;
        }
    }
}

static void scale_begin(SeedGen *g, int t, const long long base[SEED_NTABLES])
{
    g->table = t;
    memcpy(g->base, base, sizeof g->base);
    memset(g->cum, 0, sizeof g->cum);
    g->user = 0;
    g->row = 0;
}

long long scale_key_of(const SeedGen *g, int t, long long idx)
{
    return g->base[t] + g->ghosts[t] + g->cum[t] + idx + 1;
}

long long scale_user_key(const SeedGen *g, long long i)
{
    return g->base[T_USERS] + g->ghosts[T_USERS] + i;
}

long long scale_ghost_key(SeedGen *g, int t)
{
    return g->base[t] + 1 + (long long)prng_below(&g->rng, (uint64_t)g->ghosts[t]);
}

const char *scale_num(SeedGen *g, int col, long long v)
{
    snprintf(g->buf[col], BUFLEN, "%lld", v);
    return g->buf[col];
}

const char *scale_stamp(SeedGen *g, int col, long long epoch)
{
    seed_fmt_time(epoch, g->buf[col]);
    return g->buf[col];
}

long long scale_after_created(SeedGen *g)
{
    long long span = seed_anchor_epoch() - g->shape.created;
    return g->shape.created + prng_range(&g->rng, 0, span > 1 ? span - 1 : 0);
}

long long scale_ahead(SeedGen *g)
{
    return 1893456000LL + prng_range(&g->rng, 0, 1500) * 86400;   /* 2030-01-01 + */
}

static bool scale_next(SeedGen *g, SeedRow *row)
{
    for (;;) {
        if (g->user == 0 || g->row >= scale_rows_of(&g->shape, g->table, NULL)) {
            if (g->user > 0)
                for (int t = 0; t < SEED_NTABLES; t++)
                    g->cum[t] += scale_rows_of(&g->shape, t, NULL);
            if (g->user >= g->n)
                return false;
            g->user++;
            make_shape(g, g->user, &g->shape);
            g->row = 0;
            g->k = g->kk = 0;
            prng_init(&g->rng, g->seed, 100 + (uint64_t)g->table, (uint64_t)g->user);
            continue;
        }
        memset(row, 0, sizeof *row);
        row->key = scale_key_of(g, g->table, g->row);
        row->v[0] = scale_num(g, 0, row->key);
        scale_make_row(g, row);
        g->row++;
        return true;
    }
}

static void scale_close(SeedGen *g)
{
    free(g);
}

const SeedGenClass seed_scale_gen = {
    "scale", scale_open, scale_counts, scale_begin, scale_next, scale_close,
};

const SeedGenClass *seed_gen_for(SeedKind k)
{
    return k == SEED_DEMO ? &seed_demo_gen : k == SEED_SCALE ? &seed_scale_gen : NULL;
}
