/* integrity_judge.c: thresholds and acceptances turn a check's count into
 * its state (see integrity.h). */
#include "integrity.h"
#include "xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

int integrity_threshold_parse(const char *text, IntegrityThreshold *out, DbError *err)
{
    static const char *const ops[] = { ">=", "<=", "!=", "==", ">", "<", "=" };
    memset(out, 0, sizeof *out);
    const char *s = skip_space(text ? text : "");
    if (strcmp(s, "never") == 0) {
        out->never = true;
        return 0;
    }
    size_t oplen = 0;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0] && !oplen; i++)
        if (strncmp(s, ops[i], strlen(ops[i])) == 0) {
            oplen = strlen(ops[i]);
            memcpy(out->op, ops[i], oplen);
        }
    if (!oplen)
        goto bad;
    s = skip_space(s + oplen);
    char *end = NULL;
    errno = 0;
    out->value = strtod(s, &end);
    if (end == s || errno || !isfinite(out->value) || out->value < 0)
        goto bad;
    s = skip_space(end);
    if (*s == '%') {
        out->percent = true;
        s = skip_space(s + 1);
    }
    if (*s)
        goto bad;
    return 0;
bad:
    db_error_set(err, DB_ERR_USAGE, "'%s' is not a threshold: use never, or an operator "
                 "(> >= < <= = !=) and a count or a percentage of the table's rows, e.g. "
                 "'> 0', '>= 100', '> 0.5%%'", text ? text : "");
    return -1;
}

bool integrity_threshold_met(const IntegrityThreshold *t, long long count, long long rows)
{
    if (t->never || count < 0)
        return false;
    double v = (double)count;
    if (t->percent)
        v = rows > 0 ? 100.0 * (double)count / (double)rows : 0.0;
    const char *op = t->op;
    if (strcmp(op, ">") == 0) return v > t->value;
    if (strcmp(op, ">=") == 0) return v >= t->value;
    if (strcmp(op, "<") == 0) return v < t->value;
    if (strcmp(op, "<=") == 0) return v <= t->value;
    if (strcmp(op, "!=") == 0) return v != t->value;
    return v == t->value;   /* = and == */
}

/* The setting's threshold; "> 0" when it cannot be read (config.c has
 * checked every one already). */
static IntegrityThreshold threshold_of(const char *text)
{
    IntegrityThreshold t;
    DbError e = DB_ERROR_INIT;
    if (integrity_threshold_parse(text ? text : "> 0", &t, &e) != 0) {
        db_error_clear(&e);
        integrity_threshold_parse("> 0", &t, &e);
    }
    return t;
}

/* The state a count gives before any acceptance. */
static IntegrityState raw_state(const IntegrityCheck *ck, const IntegritySettings *set)
{
    switch (ck->kind) {
    case IK_FOREIGN_KEY:
    case IK_FOREIGN_KEY_CHECK:
    case IK_INFERRED_KEY: {
        bool inf = ck->kind == IK_INFERRED_KEY;
        IntegrityThreshold e = threshold_of(inf ? set->inferred_error_if : set->error_if);
        IntegrityThreshold w = threshold_of(inf ? set->inferred_warn_if : set->warn_if);
        if (integrity_threshold_met(&e, ck->count, ck->rows))
            return IS_PROBLEM;
        return integrity_threshold_met(&w, ck->count, ck->rows) ? IS_WARNING : IS_OK;
    }
    case IK_SEQUENCE_CAPACITY:
    case IK_KEY_CAPACITY:
        return ck->count >= INTEGRITY_CAPACITY_PCT ? IS_WARNING : IS_OK;
    case IK_QUICK_CHECK:
    case IK_INTEGRITY_CHECK:
        return ck->count > 0 ? IS_PROBLEM : IS_OK;
    default:
        return ck->count > 0 ? IS_WARNING : IS_OK;
    }
}

static void take_acceptance(IntegrityCheck *ck, const IntegrityAcceptance *a)
{
    free(ck->accepted_reason);
    free(ck->accepted_by);
    free(ck->accepted_at);
    ck->accepted = a != NULL;
    ck->accepted_count = a ? a->count : -1;
    ck->accepted_reason = a ? xstrdup(a->reason) : NULL;
    ck->accepted_by = a ? xstrdup(a->accepted_by) : NULL;
    ck->accepted_at = a ? xstrdup(a->accepted_at) : NULL;
}

void integrity_judge(IntegrityCheck *ck, const IntegritySettings *set,
                     const IntegrityAccepted *acc)
{
    take_acceptance(ck, acc ? integrity_accepted_find(acc, ck->id) : NULL);
    if (ck->state == IS_PENDING || ck->state == IS_ERROR || ck->state == IS_CANCELLED)
        return;
    IntegrityState st = raw_state(ck, set);
    if ((st == IS_WARNING || st == IS_PROBLEM) && ck->accepted &&
        ck->accepted_count == ck->count)
        st = IS_ACCEPTED;
    ck->state = st;
}
