/* seed_demo.c: the demo set: a small story on the reference schema in
 * which every finding of the Integrity and Licenses panes is true.
 *
 * Keys: each table's block starts with its ghosts (keys never inserted:
 * the rows that were "deleted by hand" and left orphans behind), then the
 * rows below in this order.  In a fresh database (`make demo`) that makes
 * user 1 the ghost Oscar, alice user 2 … peggy user 14; subscription 1,
 * license 1, workspace 1 and market booth 1 are ghosts too, so the first
 * real row of each of those tables has key 2.
 *
 * The story (anchor SEED_ANCHOR = 2026-11-01; healthy dates ahead are in
 * 2030 or later):
 *   alice    fine: an active annual subscription, the Studio license (5
 *            seats) with a job in every status, an old expired Analytics
 *            license, invoices, a workspace with projects, a market booth
 *   bob      his monthly subscription is past_due; license active
 *   carol    license suspended (payment failed) while a job is queued
 *   dave     license revoked while a job is running
 *   erin     license expired while a job is running
 *   frank    seats exhausted: 2 seats, 2 jobs running, one more queued
 *   grace    every subscription cancelled or expired, license still active
 *   heidi    no subscription at all (one one-off invoice, no license)
 *   ivan     two active subscriptions
 *   judy     subscription active, next billing 2026-09-15: overdue past the
 *            3-day grace period (and a draft invoice with no total)
 *   mallory  license active past its expires_at (2026-10-15)
 *   nina     on trial: trial subscription and trial license
 *   peggy    NULLs and long values: no api_key or Stripe id, a perpetual
 *            license (expires_at NULL), long workspace, project and item
 *            names, a long audit entry
 *   oscar    the ghost user (key 1 in a fresh database): deleted without
 *            his rows, which stay as orphans: an active subscription, an
 *            active license with a queued job (jobs.user_id and
 *            licenses.user_id point at nobody: "user missing"), and the
 *            creator of an NFT item (nft_items.creator_id has no foreign
 *            key: the inferred orphan)
 * The other orphans, one through each kind of declared foreign key:
 *   projects.workspace_id -> workspaces (ON DELETE CASCADE): "Left behind"
 *   subscriptions.user_id, licenses.user_id -> users: oscar's
 *   jobs.license_id -> licenses: a queued job of bob's on a ghost license
 *   license_events.license_id -> licenses (CASCADE): a chargeback event
 *   invoices.subscription_id -> subscriptions (nullable): frank's
 *     INV-2026-0010, next to heidi's and peggy's invoices with a NULL
 *     subscription_id (not orphans)
 *   nft_items.booth_id -> market_booths (ON DELETE SET NULL): carol's
 *     "Orphaned Listing", next to frank's "Untitled" with booth_id NULL
 * Money kept as a float: nft_items.price (values such as 0.10, 19.99).
 * Invoices carry VAT 20.00 and total = amount * 1.2. */
#include "seed_internal.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A value "@x<n>" is the key of row n of table x (u users, w workspaces,
 * p projects, s subscriptions, l licenses, i invoices, b booths); n < 0 is
 * a ghost: the row breaks a declared foreign key (loaded with checks off).
 * "#x<n>" is the same key in a column without a constraint (an inferred
 * reference, an audit entry's entity_id): never damage.  A row that
 * references a damage row is damage too (oscar's license's event). */

#define LONG_NAME \
    "Peggy's extremely thorough workspace for the long-running archival migration of every " \
    "customer-facing asset, including the legacy photo library, the 2019 brand refresh, and " \
    "the audio books nobody dared to delete"
#define LONG_PROJECT \
    "A project whose name keeps going well past any column width: it documents the " \
    "reconciliation of invoices, licenses and subscriptions across three billing systems, " \
    "two currencies and one very patient accountant, so that the Rows view has to cut it " \
    "with an ellipsis and show it whole on Enter, which is exactly the point of this row"
#define LONG_DETAILS \
    "{\"bio\": \"Peggy collects vintage synthesizers, writes long commit messages and keeps " \
    "every receipt since 2009. This field is long on purpose: the Rows view cuts it and " \
    "shows it whole on Enter. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed " \
    "do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim " \
    "veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo " \
    "consequat.\", \"tags\": [\"synths\", \"receipts\", \"archives\"]}"

static const char *const users[][5] = {
    { "alice@example.com", "alice", "ak_demo_alice_4f1c9e", "cus_demo_alice", "2024-02-01 10:00:00" },
    { "bob@example.com", "bob", "ak_demo_bob_77aa01", "cus_demo_bob", "2025-05-10 09:15:00" },
    { "carol@example.com", "carol", "ak_demo_carol_0b9d3e", "cus_demo_carol", "2025-01-20 14:30:00" },
    { "dave@example.com", "dave", "ak_demo_dave_c2e8f4", "cus_demo_dave", "2024-11-03 08:45:00" },
    { "erin@example.com", "erin", "ak_demo_erin_915ab2", "cus_demo_erin", "2025-01-10 16:20:00" },
    { "frank@example.com", "frank", "ak_demo_frank_3d7e60", "cus_demo_frank", "2024-07-22 11:05:00" },
    { "grace@example.com", "grace", "ak_demo_grace_aa4410", "cus_demo_grace", "2023-06-01 12:00:00" },
    { "heidi@example.com", "heidi", "ak_demo_heidi_5c21d9", NULL, "2026-08-14 17:40:00" },
    { "ivan@example.com", "ivan", "ak_demo_ivan_e0f3b7", "cus_demo_ivan", "2025-03-02 10:10:00" },
    { "judy@example.com", "judy", "ak_demo_judy_6b8c12", "cus_demo_judy", "2025-08-15 13:00:00" },
    { "mallory@example.com", "mallory", "ak_demo_mallory_f00d42", "cus_demo_mallory", "2025-10-15 09:00:00" },
    { "nina@example.com", "nina", "ak_demo_nina_2e6a90", "cus_demo_nina", "2026-10-20 15:30:00" },
    { "peggy@example.com", "peggy", NULL, NULL, "2024-04-04 04:04:04" },
};

static const char *const workspaces[][3] = {
    { "@u1", "Alice Studio", "2024-02-02 09:00:00" },
    { "@u6", "Frank Renders", "2024-07-23 10:00:00" },
    { "@u13", LONG_NAME, "2024-04-05 08:00:00" },
};

static const char *const projects[][3] = {
    { "@w1", "Website", "2024-02-03 09:30:00" },
    { "@w1", "Mobile app", "2024-03-11 14:00:00" },
    { "@w2", "Q4 renders", "2024-09-01 08:00:00" },
    { "@w3", LONG_PROJECT, "2024-04-06 10:00:00" },
    { "@w-1", "Left behind", "2025-02-14 12:00:00" },
};

static const char *const subscriptions[][5] = {
    { "@u1", "active", "annual", "2031-02-01", "2024-02-01 10:05:00" },
    { "@u2", "past_due", "monthly", "2026-10-20", "2025-05-10 09:20:00" },
    { "@u3", "active", "monthly", "2030-12-01", "2025-01-20 14:35:00" },
    { "@u4", "active", "monthly", "2030-12-03", "2024-11-03 08:50:00" },
    { "@u5", "active", "annual", "2031-03-10", "2025-01-10 16:25:00" },
    { "@u6", "active", "monthly", "2030-12-05", "2024-07-22 11:10:00" },
    { "@u7", "cancelled", "monthly", NULL, "2024-06-01 12:00:00" },
    { "@u7", "expired", "annual", NULL, "2023-06-01 12:05:00" },
    { "@u9", "active", "monthly", "2030-12-07", "2025-03-02 10:15:00" },
    { "@u9", "active", "annual", "2031-05-01", "2025-05-01 10:00:00" },
    { "@u10", "active", "monthly", "2026-09-15", "2025-08-15 13:05:00" },
    { "@u11", "active", "monthly", "2030-12-09", "2025-10-15 09:05:00" },
    { "@u12", "trial", "monthly", "2030-11-20", "2026-10-20 15:35:00" },
    { "@u13", "active", "monthly", "2030-12-11", "2024-04-04 05:00:00" },
    { "@u-1", "active", "monthly", "2030-12-12", "2024-09-09 09:09:00" },
};

static const char *const licenses[][6] = {
    { "@u1", "Studio", "active", "5", "2024-02-01 10:05:00", "2031-02-01 00:00:00" },
    { "@u2", "Studio", "active", "1", "2025-05-10 09:20:00", "2030-06-10 00:00:00" },
    { "@u3", "Render Farm", "suspended", "3", "2025-01-20 14:35:00", "2030-01-20 00:00:00" },
    { "@u4", "Studio", "revoked", "2", "2024-11-03 08:50:00", "2030-11-03 00:00:00" },
    { "@u5", "Analytics", "expired", "1", "2025-01-10 16:25:00", "2026-01-10 16:25:00" },
    { "@u6", "Render Farm", "active", "2", "2024-07-22 11:10:00", "2031-07-22 00:00:00" },
    { "@u7", "Studio", "active", "1", "2023-06-01 12:05:00", "2031-06-01 00:00:00" },
    { "@u9", "Studio", "active", "2", "2025-03-02 10:15:00", "2030-03-02 00:00:00" },
    { "@u10", "Analytics", "active", "1", "2025-08-15 13:05:00", "2030-08-15 00:00:00" },
    { "@u11", "Studio", "active", "3", "2025-10-15 09:05:00", "2026-10-15 09:05:00" },
    { "@u12", "Studio", "trial", "1", "2026-10-20 15:35:00", "2030-11-20 00:00:00" },
    { "@u13", "Analytics", "active", "1", "2024-04-04 05:00:00", NULL },
    { "@u-1", "Studio", "active", "1", "2024-09-09 09:09:00", "2031-09-09 00:00:00" },
    { "@u1", "Analytics", "expired", "1", "2023-01-01 00:00:00", "2024-01-01 00:00:00" },
};

static const char *const license_events[][6] = {
    { "@l1", NULL, "active", "purchase", "billing", "2024-02-01 10:05:00" },
    { "@l2", NULL, "active", "purchase", "billing", "2025-05-10 09:20:00" },
    { "@l3", NULL, "active", "purchase", "billing", "2025-01-20 14:35:00" },
    { "@l3", "active", "suspended", "payment failed", "billing", "2026-10-02 03:00:00" },
    { "@l4", NULL, "active", "purchase", "billing", "2024-11-03 08:50:00" },
    { "@l4", "active", "revoked", "terms violation", "support:sam", "2026-09-28 16:12:00" },
    { "@l5", NULL, "active", "purchase", "billing", "2025-01-10 16:25:00" },
    { "@l5", "active", "expired", "term ended", "system", "2026-01-10 16:25:00" },
    { "@l6", NULL, "active", "purchase", "billing", "2024-07-22 11:10:00" },
    { "@l7", NULL, "active", "purchase", "billing", "2023-06-01 12:05:00" },
    { "@l8", NULL, "active", "purchase", "billing", "2025-03-02 10:15:00" },
    { "@l9", NULL, "active", "purchase", "billing", "2025-08-15 13:05:00" },
    { "@l10", NULL, "active", "purchase", "billing", "2025-10-15 09:05:00" },
    { "@l11", NULL, "trial", "trial started", "web", "2026-10-20 15:35:00" },
    { "@l12", NULL, "active", "purchase", "billing", "2024-04-04 05:00:00" },
    { "@l13", NULL, "active", "purchase", "billing", "2024-09-09 09:09:00" },
    { "@l14", NULL, "active", "purchase", "billing", "2023-01-01 00:00:00" },
    { "@l14", "active", "expired", "term ended", "system", "2024-01-01 00:00:00" },
    { "@l-1", "active", "revoked", "chargeback", "billing", "2025-12-12 12:12:00" },
};

static const char *const jobs[][4] = {
    { "@l1", "@u1", "succeeded", "2026-10-01 08:00:00" },
    { "@l1", "@u1", "failed", "2026-10-02 08:00:00" },
    { "@l1", "@u1", "cancelled", "2026-10-03 08:00:00" },
    { "@l1", "@u1", "running", "2026-10-31 22:00:00" },
    { "@l1", "@u1", "queued", "2026-10-31 23:00:00" },
    { "@l3", "@u3", "queued", "2026-10-30 10:00:00" },
    { "@l4", "@u4", "running", "2026-10-30 11:00:00" },
    { "@l5", "@u5", "running", "2026-10-30 12:00:00" },
    { "@l6", "@u6", "running", "2026-10-31 09:00:00" },
    { "@l6", "@u6", "running", "2026-10-31 09:30:00" },
    { "@l6", "@u6", "queued", "2026-10-31 10:00:00" },
    { "@l8", "@u9", "succeeded", "2026-09-12 10:00:00" },
    { "@l10", "@u11", "running", "2026-10-31 20:00:00" },
    { "@l11", "@u12", "succeeded", "2026-10-25 10:00:00" },
    { "@l13", "@u-1", "queued", "2026-10-31 21:00:00" },
    { "@l-1", "@u2", "queued", "2026-10-29 18:00:00" },
};

/* user, subscription, number, amount, vat, total, currency, issued_at */
static const char *const invoices[][8] = {
    { "@u1", "@s1", "INV-2024-0001", "490.00", "20.00", "588.00", "EUR", "2024-02-01 10:05:00" },
    { "@u1", "@s1", "INV-2025-0002", "490.00", "20.00", "588.00", "EUR", "2025-02-01 10:05:00" },
    { "@u2", "@s2", "INV-2026-0003", "29.00", "20.00", "34.80", "EUR", "2026-08-20 00:00:00" },
    { "@u2", "@s2", "INV-2026-0004", "29.00", "20.00", "34.80", "EUR", "2026-09-20 00:00:00" },
    { "@u3", "@s3", "INV-2026-0005", "59.00", "20.00", "70.80", "GBP", "2026-10-01 00:00:00" },
    { "@u9", "@s9", "INV-2026-0006", "29.00", "20.00", "34.80", "EUR", "2026-10-07 00:00:00" },
    { "@u9", "@s10", "INV-2026-0007", "290.00", "20.00", "348.00", "EUR", "2026-05-01 00:00:00" },
    { "@u10", "@s11", "INV-2026-0008", "19.00", "20.00", NULL, "EUR", "2026-08-15 13:05:00" },
    { "@u13", NULL, "INV-2026-0009", "5.00", "20.00", "6.00", "USD", "2026-03-03 03:03:03" },
    { "@u6", "@s-1", "INV-2026-0010", "59.00", "20.00", "70.80", "EUR", "2026-10-05 00:00:00" },
    { "@u7", "@s7", "INV-2024-0011", "29.00", "20.00", "34.80", "EUR", "2024-06-01 12:00:00" },
    { "@u8", NULL, "INV-2026-0012", "12.00", "20.00", "14.40", "EUR", "2026-08-14 17:45:00" },
    { "@u12", "@s13", "INV-2026-0013", "0.00", "20.00", "0.00", "EUR", "2026-10-20 15:35:00" },
};

static const char *const idempotency[][4] = {
    { "idem-demo-0001", "9f2c0a7e4b1d", "201", "2026-08-20 00:00:01" },
    { "idem-demo-0002", "9f2c0a7e4b1d", "409", "2026-08-20 00:00:02" },
    { "idem-demo-0003", "1b7e33c0d2aa", "200", "2026-10-05 00:00:01" },
    { "idem-demo-0004", NULL, NULL, "2026-10-31 23:59:00" },
};

/* actor, action, entity, entity_id, correlation_id, details, created_at */
static const char *const audit_log[][7] = {
    { "alice", "login", "users", "#u1", NULL, NULL, "2026-10-31 21:55:00" },
    { "billing", "license.suspended", "licenses", "#l3", "corr-7d1e-0001",
      "{\"to\": \"suspended\", \"from\": \"active\", \"reason\": \"payment failed\"}",
      "2026-10-02 03:00:00" },
    { "support:sam", "license.revoked", "licenses", "#l4", "corr-7d1e-0002",
      "{\"to\": \"revoked\", \"from\": \"active\", \"reason\": \"terms violation\"}",
      "2026-09-28 16:12:00" },
    { "system", "license.expired", "licenses", "#l5", "corr-7d1e-0003",
      "{\"to\": \"expired\", \"from\": \"active\", \"reason\": \"term ended\"}",
      "2026-01-10 16:25:00" },
    { "billing", "invoice.issued", "invoices", "#i4", "corr-7d1e-0004", NULL,
      "2026-09-20 00:00:00" },
    { "support:sam", "user.deleted", "users", "#u-1", "corr-7d1e-0005",
      "{\"note\": \"deleted by hand with foreign keys off; his rows stayed\"}",
      "2025-12-12 12:00:00" },
    { "peggy", "profile.update", "users", "#u13", NULL, LONG_DETAILS, "2026-07-07 07:07:07" },
};

static const char *const booths[][3] = {
    { "@u1", "Alice's Pixel Stall", "2025-04-01 10:00:00" },
    { "@u6", "Frank's Render Bazaar", "2025-06-01 10:00:00" },
};

/* owner, creator, booth, price, name, created_at */
static const char *const nft_items[][6] = {
    { "@u1", "#u1", "@b1", "12.5", "Sunset #1", "2025-04-02 10:00:00" },
    { "@u1", "#u6", "@b1", "0.1", "Pixel Cat", "2025-04-03 10:00:00" },
    { "@u6", "#u6", "@b2", "1999.99", "Render Study", "2025-06-02 10:00:00" },
    { "@u6", NULL, NULL, "5", "Untitled", "2025-06-03 10:00:00" },
    { "@u2", "#u-1", "@b2", "42", "Lost Artist's Piece", "2025-06-04 10:00:00" },
    { "@u3", "#u3", "@b-1", "3.33", "Orphaned Listing", "2025-07-01 10:00:00" },
    { "@u13", "#u13", "@b1", NULL,
      "\xc3\x89milie's \xe2\x9c\xa8 infinitely detailed generative landscape, edition of one, "
      "with provenance notes", "2025-08-08 08:08:08" },
};

typedef struct DemoTable {
    const char *const *rows;   /* nrows x width values */
    int width;
    int nrows;
    int ghosts;
} DemoTable;

#define DT(a, g) { &(a)[0][0], (int)(sizeof (a)[0] / sizeof (a)[0][0]), \
                   (int)(sizeof (a) / sizeof (a)[0]), g }

static const DemoTable demo[SEED_NTABLES] = {
    DT(users, 1), DT(workspaces, 1), DT(projects, 0), DT(subscriptions, 1), DT(licenses, 1),
    DT(license_events, 0), DT(jobs, 0), DT(invoices, 0), DT(idempotency, 0), DT(audit_log, 0),
    DT(booths, 1), DT(nft_items, 0),
};

struct SeedGen {
    int  table;
    int  row;               /* next row */
    long long base[SEED_NTABLES];
    char buf[SEED_MAXCOLS][24];
};

static int table_of_letter(char c)
{
    switch (c) {
    case 'u': return T_USERS;
    case 'w': return T_WORKSPACES;
    case 'p': return T_PROJECTS;
    case 's': return T_SUBSCRIPTIONS;
    case 'l': return T_LICENSES;
    case 'i': return T_INVOICES;
    case 'b': return T_BOOTHS;
    default: return -1;
    }
}

static SeedGen *demo_open(const SeedRequest *req, unsigned anomalies)
{
    (void)req;
    (void)anomalies;   /* the story plants one of each, whatever the share */
    return xcalloc(1, sizeof(SeedGen));
}

static bool row_damage(int t, int r);

/* Does v reference, through a declared foreign key, a ghost or a row that
 * is itself damage (a row under an orphan goes where the orphan goes)? */
static bool is_damage(const char *v)
{
    if (!v || v[0] != '@')
        return false;
    long n = strtol(v + 2, NULL, 10);
    return n < 0 || row_damage(table_of_letter(v[1]), (int)n - 1);
}

static bool row_damage(int t, int r)
{
    const DemoTable *d = &demo[t];
    for (int c = 0; c < d->width; c++)
        if (is_damage(d->rows[r * d->width + c]))
            return true;
    return false;
}

static void demo_counts(SeedGen *g, long long rows[SEED_NTABLES], long long damage[SEED_NTABLES],
                        long long ghosts[SEED_NTABLES])
{
    (void)g;
    for (int t = 0; t < SEED_NTABLES; t++) {
        const DemoTable *d = &demo[t];
        rows[t] = d->nrows;
        ghosts[t] = d->ghosts;
        damage[t] = 0;
        for (int r = 0; r < d->nrows; r++)
            damage[t] += row_damage(t, r);
    }
}

static void demo_begin(SeedGen *g, int t, const long long base[SEED_NTABLES])
{
    g->table = t;
    g->row = 0;
    memcpy(g->base, base, sizeof g->base);
}

/* The key that "@x<n>" or "#x<n>" names, as text in buf. */
static const char *resolve(SeedGen *g, const char *v, char buf[24])
{
    if (!v || (v[0] != '@' && v[0] != '#'))
        return v;
    int t = table_of_letter(v[1]);
    long n = strtol(v + 2, NULL, 10);
    if (t < 0 || n == 0)
        abort();   /* a typo in the tables above */
    long long key = n < 0 ? g->base[t] - n : g->base[t] + demo[t].ghosts + n;
    snprintf(buf, 24, "%lld", key);
    return buf;
}

static bool demo_next(SeedGen *g, SeedRow *row)
{
    const DemoTable *d = &demo[g->table];
    if (g->row >= d->nrows)
        return false;
    const char *const *vals = d->rows + (size_t)g->row * (size_t)d->width;
    row->key = g->base[g->table] + d->ghosts + g->row + 1;
    snprintf(g->buf[0], sizeof g->buf[0], "%lld", row->key);
    row->v[0] = g->buf[0];
    row->damage = row_damage(g->table, g->row);
    for (int c = 0; c < d->width; c++)
        row->v[c + 1] = resolve(g, vals[c], g->buf[c + 1]);
    g->row++;
    return true;
}

static void demo_close(SeedGen *g)
{
    free(g);
}

const SeedGenClass seed_demo_gen = {
    "demo", demo_open, demo_counts, demo_begin, demo_next, demo_close,
};
