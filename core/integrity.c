/* integrity.c: the model of the integrity checks: names, copies, the
 * summary (see integrity.h). */
#include "integrity.h"
#include "strbuf.h"
#include "strv.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

const char *integrity_group_name(IntegrityGroup g)
{
    switch (g) {
    case IG_ORPHANS: return "orphans";
    case IG_INFERRED: return "inferred";
    case IG_LINTS: return "lints";
    case IG_ENGINE: return "engine";
    }
    return "?";
}

int integrity_group_parse(const char *name)
{
    for (int g = 0; g < IG_COUNT; g++)
        if (name && strcmp(name, integrity_group_name((IntegrityGroup)g)) == 0)
            return g;
    return -1;
}

const char *integrity_kind_name(IntegrityKind k)
{
    switch (k) {
    case IK_FOREIGN_KEY: return "foreign_key";
    case IK_INFERRED_KEY: return "inferred_key";
    case IK_FK_WITHOUT_INDEX: return "fk_without_index";
    case IK_NO_PRIMARY_KEY: return "no_primary_key";
    case IK_DUPLICATE_INDEX: return "duplicate_index";
    case IK_REDUNDANT_INDEX: return "redundant_index";
    case IK_INVALID_INDEX: return "invalid_index";
    case IK_NOT_VALID_CONSTRAINT: return "not_valid_constraint";
    case IK_MONEY_FLOAT: return "money_float";
    case IK_SEQUENCE_CAPACITY: return "sequence_capacity";
    case IK_KEY_CAPACITY: return "key_capacity";
    case IK_STATUS_WITHOUT_CHECK: return "status_without_check";
    case IK_FOREIGN_KEY_CHECK: return "foreign_key_check";
    case IK_QUICK_CHECK: return "quick_check";
    case IK_INTEGRITY_CHECK: return "integrity_check";
    }
    return "?";
}

const char *integrity_state_name(IntegrityState s)
{
    switch (s) {
    case IS_PENDING: return "pending";
    case IS_OK: return "ok";
    case IS_WARNING: return "warning";
    case IS_PROBLEM: return "problem";
    case IS_ACCEPTED: return "accepted";
    case IS_ERROR: return "error";
    case IS_CANCELLED: return "cancelled";
    }
    return "?";
}

int integrity_state_rank(IntegrityState s)
{
    switch (s) {
    case IS_ERROR: return 4;
    case IS_PROBLEM: return 3;
    case IS_WARNING: return 2;
    case IS_CANCELLED: return 1;
    default: return 0;
    }
}

int integrity_state_order(IntegrityState s)
{
    switch (s) {
    case IS_ERROR: return 0;
    case IS_PROBLEM: return 1;
    case IS_WARNING: return 2;
    case IS_CANCELLED: return 3;
    case IS_ACCEPTED: return 4;
    case IS_PENDING: return 5;
    default: return 6;
    }
}

IntegrityCheck *integrity_find(const IntegrityList *l, const char *id)
{
    for (size_t i = 0; id && i < l->count; i++)
        if (strcmp(l->checks[i].id, id) == 0)
            return &l->checks[i];
    return NULL;
}

void integrity_check_clear(IntegrityCheck *ck)
{
    free(ck->id);
    free(ck->schema);
    free(ck->table);
    strv_free(ck->columns);
    free(ck->ref_schema);
    free(ck->ref_table);
    strv_free(ck->ref_columns);
    free(ck->object);
    free(ck->message);
    free(ck->fix_sql);
    free(ck->accepted_reason);
    free(ck->accepted_by);
    free(ck->accepted_at);
    memset(ck, 0, sizeof *ck);
}

void integrity_check_copy(IntegrityCheck *dst, const IntegrityCheck *src)
{
    *dst = *src;
    dst->id = xstrdup(src->id);
    dst->schema = xstrdup(src->schema);
    dst->table = xstrdup(src->table);
    dst->columns = strv_dup_n((const char *const *)src->columns, src->ncolumns);
    dst->ref_schema = xstrdup(src->ref_schema);
    dst->ref_table = xstrdup(src->ref_table);
    dst->ref_columns = strv_dup_n((const char *const *)src->ref_columns, src->nref_columns);
    dst->object = xstrdup(src->object);
    dst->message = xstrdup(src->message);
    dst->fix_sql = xstrdup(src->fix_sql);
    dst->accepted_reason = xstrdup(src->accepted_reason);
    dst->accepted_by = xstrdup(src->accepted_by);
    dst->accepted_at = xstrdup(src->accepted_at);
}

void integrity_list_free(IntegrityList *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        integrity_check_clear(&l->checks[i]);
    free(l->checks);
    memset(l, 0, sizeof *l);
}

void integrity_summarize(const IntegrityList *l, IntegritySummary *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < l->count; i++) {
        out->by_state[l->checks[i].state]++;
        out->total++;
    }
}

char *integrity_summary_text(const IntegritySummary *s)
{
    static const struct { IntegrityState st; const char *one, *many; } parts[] = {
        { IS_ERROR, "error", "errors" },
        { IS_PROBLEM, "problem", "problems" },
        { IS_WARNING, "warning", "warnings" },
        { IS_CANCELLED, "cancelled", "cancelled" },
        { IS_ACCEPTED, "accepted", "accepted" },
        { IS_PENDING, "not run", "not run" },
        { IS_OK, "ok", "ok" },
    };
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t n = s->by_state[parts[i].st];
        bool always = parts[i].st == IS_PROBLEM || parts[i].st == IS_WARNING ||
                      parts[i].st == IS_OK;
        if (!n && !always)
            continue;
        sb_appendf(&b, "%s%zu %s", b.len ? ", " : "", n, n == 1 ? parts[i].one
                                                                 : parts[i].many);
    }
    return sb_take(&b);
}
