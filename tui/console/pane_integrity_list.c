/* pane_integrity_list.c: the Integrity pane's list of checks: one row a
 * check with its state (coloured), kind, table, what it checks, the count
 * and what was found ("7 rows → 2 missing users", a lint's message, or
 * the error of a check that could not run), and its time; problems first
 * as `dbwarden check` orders them, or by table, count, time or kind (o/O);
 * the filter as typed; the header with the totals (see
 * pane_integrity_internal.h). */
#include "pane_integrity_internal.h"
#include "strbuf.h"
#include "table.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { COL_STATE, COL_KIND, COL_CHECK, COL_COUNT, COL_FOUND, COL_TIME, COL_N };

/* CHECK (the table and what is checked) takes what is left; FOUND is cut
 * (the detail has it whole). */
static const TableColumn columns[COL_N] = {
    [COL_STATE] = { "STATE", 9, 0, ALIGN_LEFT, false, 0 },
    [COL_KIND] = { "KIND", 8, 0, ALIGN_LEFT, false, 2 },
    [COL_CHECK] = { "CHECK", 0, 24, ALIGN_LEFT, true, 0 },
    [COL_COUNT] = { "COUNT", 7, 0, ALIGN_RIGHT, false, 0 },
    [COL_FOUND] = { "FOUND", 32, 0, ALIGN_LEFT, false, 0 },
    [COL_TIME] = { "TIME", 8, 0, ALIGN_RIGHT, false, 3 },
};

enum { SORT_STATE, SORT_TABLE, SORT_COUNT, SORT_TIME, SORT_KIND, SORT_N };
static const char *const sort_names[SORT_N] = { "problems first", "table", "count", "time",
                                                 "kind" };

ThemeSlot int_state_slot(IntegrityState s)
{
    switch (s) {
    case IS_OK: return SLOT_STATE_APPLIED;
    case IS_WARNING: return SLOT_STATE_PENDING;
    case IS_PROBLEM:
    case IS_ERROR: return SLOT_STATE_PROBLEM;
    default: return SLOT_DIM;   /* accepted, cancelled, not run */
    }
}

static const char *kind_label(const IntegrityCheck *ck)
{
    switch (ck->group) {
    case IG_ORPHANS: return "orphans";
    case IG_INFERRED: return "inferred";
    case IG_LINTS: return "lint";
    default: return "engine";
    }
}

static void join(StrBuf *b, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_appendf(b, "%s%s", i ? ", " : "", v[i]);
}

/* The table and what is checked: "jobs(user_id) → users(id)",
 * "nft_items: money_float (price)", "foreign_key_check". */
static char *check_text(const IntegrityCheck *ck)
{
    StrBuf b = STRBUF_INIT;
    if (ck->group == IG_ORPHANS || ck->group == IG_INFERRED) {
        sb_appendf(&b, "%s(", ck->table ? ck->table : "?");
        join(&b, ck->columns, ck->ncolumns);
        sb_appendf(&b, ") → %s(", ck->ref_table ? ck->ref_table : "?");
        join(&b, ck->ref_columns, ck->nref_columns);
        sb_appendc(&b, ')');
        if (ck->group == IG_ORPHANS && !ck->validated)
            sb_append(&b, " NOT VALID");
        return sb_take(&b);
    }
    if (ck->table)
        sb_appendf(&b, "%s: ", ck->table);
    sb_append(&b, integrity_kind_name(ck->kind));
    if (ck->ncolumns) {
        sb_append(&b, " (");
        join(&b, ck->columns, ck->ncolumns);
        sb_appendc(&b, ')');
    } else if (ck->object && ck->kind != IK_NO_PRIMARY_KEY) {
        sb_appendf(&b, " %s", ck->object);
    }
    return sb_take(&b);
}

char *int_found_text(const IntegrityCheck *ck)
{
    if (ck->state == IS_ERROR)
        return xasprintf("error: %s", ck->message ? ck->message : "the check could not run");
    if (ck->state == IS_CANCELLED)
        return xstrdup("cancelled: not counted");
    if (ck->state == IS_PENDING)
        return xstrdup("not run");
    bool orphans = ck->group == IG_ORPHANS || ck->group == IG_INFERRED;
    if (orphans && ck->count > 0)
        return xasprintf("%lld row%s → %lld missing %s", ck->count, ck->count == 1 ? "" : "s",
                         ck->distinct_keys, ck->ref_table ? ck->ref_table : "parents");
    if (orphans && ck->count == 0)
        return xstrdup("no orphans");
    return xstrdup(ck->message ? ck->message : "");
}

/* ---- the source --------------------------------------------------------- */

static const IntegrityCheck *at(const IntPane *ip, size_t k)
{
    return &ip->list.checks[k];
}

static size_t src_count(void *ctx)
{
    const IntPane *ip = ctx;
    return ip->have_list ? ip->list.count : 0;
}

static const char *src_text(void *ctx, size_t k, char *buf, size_t size)
{
    const IntegrityCheck *ck = at(ctx, k);
    char *what = check_text(ck), *found = int_found_text(ck);
    snprintf(buf, size, "%s\n%s\n%s\n%s\n%s\n%s", ck->id, integrity_state_name(ck->state),
             kind_label(ck), what, found, ck->table ? ck->table : "");
    free(what);
    free(found);
    return buf;
}

static TableCell dash(void)
{
    return (TableCell){ text_glyph(GLYPH_DASH), SLOT_DIM };
}

static TableCell src_cell(void *ctx, size_t k, size_t col, char *buf, size_t size)
{
    const IntegrityCheck *ck = at(ctx, k);
    char *t = NULL;
    switch (col) {
    case COL_STATE:
        return (TableCell){ integrity_state_name(ck->state), int_state_slot(ck->state) };
    case COL_KIND: return (TableCell){ kind_label(ck), SLOT_DIM };
    case COL_CHECK: t = check_text(ck); break;
    case COL_COUNT:
        /* an error is never shown as a number */
        if (ck->count < 0 || ck->state == IS_ERROR || ck->state == IS_CANCELLED ||
            ck->state == IS_PENDING)
            return dash();
        if (ck->kind == IK_SEQUENCE_CAPACITY || ck->kind == IK_KEY_CAPACITY)
            snprintf(buf, size, "%lld%%", ck->count);
        else
            snprintf(buf, size, "%lld", ck->count);
        return (TableCell){ buf, ck->count ? int_state_slot(ck->state) : SLOT_NORMAL };
    case COL_FOUND:
        t = int_found_text(ck);
        snprintf(buf, size, "%s", t);
        free(t);
        return (TableCell){ buf, ck->state == IS_ERROR ? SLOT_STATUS_ERROR : SLOT_NORMAL };
    case COL_TIME:
        if (ck->ms < 0)
            return dash();
        /* one width for every time, so that the column does not move */
        if (ck->ms < 100000)
            snprintf(buf, size, "%5ld ms", ck->ms);
        else
            snprintf(buf, size, "%6ld s", ck->ms / 1000);
        return (TableCell){ buf, SLOT_DIM };
    default: return dash();
    }
    snprintf(buf, size, "%s", t);
    free(t);
    return (TableCell){ buf, SLOT_NORMAL };
}

static int cmp_ll(long long a, long long b)
{
    return a < b ? -1 : a > b;
}

static int src_compare(void *ctx, size_t a, size_t b, int key)
{
    const IntegrityCheck *x = at(ctx, a), *y = at(ctx, b);
    switch (key) {
    case SORT_TABLE: {
        int c = strcmp(x->table ? x->table : "", y->table ? y->table : "");
        return c ? c : integrity_state_order(x->state) - integrity_state_order(y->state);
    }
    case SORT_COUNT: return cmp_ll(y->count, x->count);   /* the most first */
    case SORT_TIME: return cmp_ll(y->ms, x->ms);          /* the slowest first */
    case SORT_KIND: return (int)x->group - (int)y->group;
    default: return integrity_state_order(x->state) - integrity_state_order(y->state);
    }
}

static const ListSource source = {
    .count = src_count, .text = src_text, .cell = src_cell, .compare = src_compare,
};

void int_list_init(IntPane *ip)
{
    lm_init(&ip->lm, &ip->base, &source, ip, columns, COL_N, "checks", sort_names, SORT_N);
}

void int_list_rebuild(IntPane *ip, const char *keep_id)
{
    long keep = -1;
    for (size_t k = 0; keep_id && k < src_count(ip); k++)
        if (strcmp(at(ip, k)->id, keep_id) == 0)
            keep = (long)k;
    lm_rebuild(&ip->lm, keep);
}

const IntegrityCheck *int_selected(const IntPane *ip)
{
    size_t k;
    if (!ip->have_list || !lm_selected(&ip->lm, &k))
        return NULL;
    return at(ip, k);
}

/* Line y: "9 problems, 2 warnings, 42 ok · 53 checks in 0.1 s · sorted by
 * problems first (o)", the summary in the colour of the worst state. */
void int_header_draw(IntPane *ip, WINDOW *w, int y)
{
    int x = y == 0 ? pane_draw_title(w, &ip->base) : 0;
    if (!ip->have_list) {
        pane_add(w, &ip->base, y, x, SLOT_DIM, int_run_running(ip) ? "running the checks..."
                                                                   : "");
        return;
    }
    IntegritySummary sum;
    integrity_summarize(&ip->list, &sum);
    char *text = integrity_summary_text(&sum);
    ThemeSlot slot = sum.by_state[IS_ERROR] || sum.by_state[IS_PROBLEM] ? SLOT_STATE_PROBLEM
                     : sum.by_state[IS_WARNING] ? SLOT_STATE_PENDING : SLOT_STATE_APPLIED;
    x = pane_add(w, &ip->base, y, x, slot, text);
    free(text);
    char *rest = xasprintf("  %s %zu checks in %.1f s  %s sorted by %s%s (o)",
                           text_glyph(GLYPH_DOT), sum.total, (double)ip->run_ms / 1000.0,
                           text_glyph(GLYPH_DOT), sort_names[ip->lm.sort],
                           ip->lm.descending ? ", reversed" : "");
    pane_add(w, &ip->base, y, x, SLOT_DIM, rest);
    free(rest);
}

void int_list_draw(IntPane *ip, WINDOW *w, int y, int height)
{
    if (lm_draw_filter(&ip->lm, w, y, getmaxx(w), ip->base.ctx->pal)) {
        y++;
        height--;
    }
    if (ip->have_list && ip->list.count == 0) {
        pane_add(w, &ip->base, y + 1, 2, SLOT_DIM, "No checks: the database has no tables.");
        return;
    }
    lm_draw(&ip->lm, w, y, height, ip->base.ctx->pal);
}
