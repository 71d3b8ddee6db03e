/* billing_settings.c: the [billing] settings read and checked (see
 * billing_settings.h), and the transitions table (billing.h). */
#include "billing.h"
#include "billing_settings.h"
#include "strbuf.h"
#include "strv.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

const BillTabDef billing_tabdefs[BT_NTABLES] = {
    { "users", 'u', { "id", "email", "username", NULL } },
    { "subscriptions", 's', { "id", "user_id", "status", "plan_type", "next_billing_date",
                              "created_at", NULL } },
    { "licenses", 'l', { "id", "user_id", "product", "status", "seats", "starts_at",
                         "expires_at", NULL } },
    { "license_events", 'e', { "id", "license_id", "from_status", "to_status", "reason",
                               "actor", "created_at", NULL } },
    { "jobs", 'j', { "id", "license_id", "user_id", "status", "created_at", NULL } },
    { "audit_log", 'a', { "id", "actor", "action", "entity", "entity_id", "correlation_id",
                          "details", "created_at", NULL } },
};

const char *billing_table(const BillingSettings *b, BillTab t)
{
    const char *const names[BT_NTABLES] = { b->users, b->subscriptions, b->licenses,
                                            b->license_events, b->jobs, b->audit_log };
    return names[t] ? names[t] : billing_tabdefs[t].key;
}

static const char *const SPACE = " \t";

/* The next word of *p (its length in *len), or NULL at the end. */
static const char *next_word(const char **p, size_t *len)
{
    const char *s = *p + strspn(*p, SPACE);
    if (!*s)
        return NULL;
    *len = strcspn(s, SPACE);
    *p = s + *len;
    return s;
}

char *billing_column(const BillingSettings *b, BillTab t, const char *col)
{
    const char *p = b->columns ? b->columns : "";
    const char *w;
    size_t len, tl = strlen(billing_tabdefs[t].key), cl = strlen(col);
    char *found = NULL;
    while ((w = next_word(&p, &len)) != NULL) {
        /* table.column:name; the last one of a column wins */
        if (len > tl + cl + 2 && strncmp(w, billing_tabdefs[t].key, tl) == 0 && w[tl] == '.' &&
            strncmp(w + tl + 1, col, cl) == 0 && w[tl + 1 + cl] == ':') {
            free(found);
            found = xstrndup(w + tl + cl + 2, len - tl - cl - 2);
        }
    }
    return found ? found : xstrdup(col);
}

bool billing_word_in(const char *list, const char *word)
{
    const char *p = list ? list : "", *w;
    size_t len;
    while ((w = next_word(&p, &len)) != NULL)
        if (len == strlen(word) && strncmp(w, word, len) == 0)
            return true;
    return false;
}

static void push_words(char ***v, size_t *n, size_t *cap, const char *list)
{
    const char *p = list ? list : "", *w;
    size_t len;
    while ((w = next_word(&p, &len)) != NULL)
        strv_push_owned(v, n, cap, xstrndup(w, len));
}

char **billing_set_words(const BillingSettings *b, BillSetId id, size_t *n)
{
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    switch (id) {
    case BS_SUB_STATES: push_words(&v, n, &cap, b->subscription_states); break;
    case BS_SUB_LIVE: push_words(&v, n, &cap, b->subscription_live); break;
    case BS_SUB_PAST_DUE: push_words(&v, n, &cap, b->subscription_past_due); break;
    case BS_SUB_ENDED: push_words(&v, n, &cap, b->subscription_ended); break;
    case BS_SUB_CURRENT: {
        char **live = billing_set_words(b, BS_SUB_LIVE, &(size_t){ 0 });
        for (char **w = live; w && *w; w++)
            if (!billing_word_in(b->subscription_past_due, *w))
                strv_push(&v, n, &cap, *w);
        strv_free(live);
        break;
    }
    case BS_LIC_STATES: push_words(&v, n, &cap, b->license_states); break;
    case BS_LIC_LIVE: push_words(&v, n, &cap, b->license_live); break;
    case BS_LIC_SUSPENDED: push_words(&v, n, &cap, b->license_suspended); break;
    case BS_LIC_REVOKED: push_words(&v, n, &cap, b->license_revoked); break;
    case BS_LIC_EXPIRED: push_words(&v, n, &cap, b->license_expired); break;
    case BS_LIC_DEAD:
        push_words(&v, n, &cap, b->license_suspended);
        push_words(&v, n, &cap, b->license_revoked);
        push_words(&v, n, &cap, b->license_expired);
        break;
    case BS_JOB_ACTIVE: push_words(&v, n, &cap, b->job_active); break;
    case BS_NSETS: break;
    }
    return v;
}

/* ---- transitions ---------------------------------------------------- */

void billing_transitions(const BillingSettings *b, BillTransition **out, size_t *n)
{
    const char *p = b->transitions ? b->transitions : "", *w;
    size_t len, cap = 0;
    *out = NULL;
    *n = 0;
    while ((w = next_word(&p, &len)) != NULL) {
        const char *gt = memchr(w, '>', len);
        if (!gt)
            continue;   /* refused when the configuration was read */
        *out = xgrow(*out, &cap, *n + 1, sizeof **out);
        BillTransition *t = &(*out)[(*n)++];
        t->from = gt - w == 1 && *w == '*' ? NULL : xstrndup(w, (size_t)(gt - w));
        t->to = xstrndup(gt + 1, len - (size_t)(gt - w) - 1);
    }
}

void billing_transitions_free(BillTransition *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].from);
        free(t[i].to);
    }
    free(t);
}

bool billing_transition_allowed(const BillingSettings *b, const char *from, const char *to)
{
    BillTransition *t;
    size_t n;
    billing_transitions(b, &t, &n);
    bool ok = false;
    for (size_t i = 0; i < n && !ok; i++)
        ok = strcmp(t[i].to, to) == 0 && (!t[i].from || strcmp(t[i].from, from) == 0) &&
             strcmp(from, to) != 0;
    billing_transitions_free(t, n);
    return ok;
}

char *billing_transitions_from(const BillingSettings *b, const char *from)
{
    BillTransition *t;
    size_t n;
    billing_transitions(b, &t, &n);
    StrBuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if ((t[i].from && strcmp(t[i].from, from) != 0) || strcmp(t[i].to, from) == 0)
            continue;
        sb_appendf(&sb, "%s%s>%s", sb.len ? ", " : "", t[i].from ? t[i].from : "*", t[i].to);
    }
    billing_transitions_free(t, n);
    if (!sb.len)
        sb_append(&sb, "none");
    return sb_take(&sb);
}

/* ---- checks when the configuration is read --------------------------- */

static bool word_char(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-' || ch >= 0x80;
}

/* A state: letters, digits, _ and -. */
static bool is_word(const char *w, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!word_char((unsigned char)w[i]))
            return false;
    return len > 0;
}

static int check_words(const char *name, const char *value, DbError *err)
{
    const char *p = value, *w;
    size_t len;
    while ((w = next_word(&p, &len)) != NULL) {
        if (!is_word(w, len)) {
            db_error_set(err, DB_ERR_PARSE, "%s = '%s': '%.*s' is not a state (letters, "
                         "digits, _ and -, separated by spaces)", name, value, (int)len, w);
            return -1;
        }
    }
    return 0;
}

static int check_transitions(const char *value, DbError *err)
{
    const char *p = value, *w;
    size_t len;
    while ((w = next_word(&p, &len)) != NULL) {
        const char *gt = memchr(w, '>', len);
        size_t fl = gt ? (size_t)(gt - w) : 0;
        if (!gt || !(is_word(w, fl) || (fl == 1 && *w == '*')) ||
            !is_word(gt + 1, len - fl - 1)) {
            db_error_set(err, DB_ERR_PARSE, "transitions = '%s': '%.*s' is not a transition "
                         "(from>to, or *>to for any state)", value, (int)len, w);
            return -1;
        }
    }
    return 0;
}

/* table.column:name, for a known table and column. */
static int check_columns(const char *value, DbError *err)
{
    const char *p = value, *w;
    size_t len;
    while ((w = next_word(&p, &len)) != NULL) {
        const char *dot = memchr(w, '.', len), *colon = memchr(w, ':', len);
        bool ok = false;
        for (int t = 0; !ok && dot && colon && colon > dot && colon + 1 < w + len &&
                        t < BT_NTABLES; t++) {
            const BillTabDef *d = &billing_tabdefs[t];
            if (strlen(d->key) != (size_t)(dot - w) || strncmp(d->key, w, (size_t)(dot - w)))
                continue;
            for (const char *const *c = d->cols; *c && !ok; c++)
                ok = strlen(*c) == (size_t)(colon - dot - 1) &&
                     strncmp(*c, dot + 1, (size_t)(colon - dot - 1)) == 0;
        }
        if (!ok) {
            db_error_set(err, DB_ERR_PARSE, "columns = '%s': '%.*s' is not table.column:name "
                         "for a column the licenses model reads (e.g. licenses.status:state)",
                         value, (int)len, w);
            return -1;
        }
    }
    return 0;
}

int billing_setting_check(const char *name, const char *value, DbError *err)
{
    for (int t = 0; t < BT_NTABLES; t++) {
        if (strcmp(name, billing_tabdefs[t].key) != 0)
            continue;
        if (!*value || strpbrk(value, "\t\r\n")) {
            db_error_set(err, DB_ERR_PARSE, "%s = '%s' is not a table name", name, value);
            return -1;
        }
        return 0;
    }
    if (strcmp(name, "transitions") == 0)
        return check_transitions(value, err);
    if (strcmp(name, "columns") == 0)
        return check_columns(value, err);
    if (strstr(name, "_states") || strstr(name, "subscription_") || strstr(name, "license_") ||
        strcmp(name, "job_active") == 0)
        return check_words(name, value, err);
    return 0;
}

typedef struct Role {
    const char *key;
    size_t      offset;   /* in BillingSettings */
} Role;

#define B(m) { #m, offsetof(BillingSettings, m) }

static const char *get(const BillingSettings *b, const Role *r)
{
    const char *v = *(char *const *)((const char *)b + r->offset);
    return v ? v : "";
}

/* The vocabulary: at least one state, none twice. */
static int check_vocabulary(const BillingSettings *b, const Role *voc, DbError *err)
{
    const char *p = get(b, voc), *w;
    size_t len, n = 0;
    while ((w = next_word(&p, &len)) != NULL) {
        n++;
        char *one = xstrndup(w, len);
        bool twice = billing_word_in(p, one);
        free(one);
        if (twice) {
            db_error_set(err, DB_ERR_PARSE, "%s = '%s' names '%.*s' twice", voc->key,
                         get(b, voc), (int)len, w);
            return -1;
        }
    }
    if (n == 0) {
        db_error_set(err, DB_ERR_PARSE, "%s is empty: name every state", voc->key);
        return -1;
    }
    return 0;
}

/* Every role within the vocabulary; the roles of disjoint[] share no state. */
static int check_roles(const BillingSettings *b, const Role *voc, const Role *roles, size_t n,
                       size_t ndisjoint, const char **key, const char **other, DbError *err)
{
    *key = voc->key;
    *other = NULL;
    if (check_vocabulary(b, voc, err) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *p = get(b, &roles[i]), *w;
        size_t len;
        while ((w = next_word(&p, &len)) != NULL) {
            char *one = xstrndup(w, len);
            bool in = billing_word_in(get(b, voc), one);
            const Role *clash = NULL;
            for (size_t j = i + 1; i < ndisjoint && j < ndisjoint && !clash; j++)
                if (billing_word_in(get(b, &roles[j]), one))
                    clash = &roles[j];
            free(one);
            *key = roles[i].key;
            if (!in) {
                *other = voc->key;
                db_error_set(err, DB_ERR_PARSE, "%s = '%s': '%.*s' is not one of %s (%s)",
                             roles[i].key, get(b, &roles[i]), (int)len, w, voc->key,
                             get(b, voc));
                return -1;
            }
            if (clash) {
                *other = clash->key;
                db_error_set(err, DB_ERR_PARSE, "%s = '%s': '%.*s' is also in %s; a state "
                             "has one of these roles at most", roles[i].key,
                             get(b, &roles[i]), (int)len, w, clash->key);
                return -1;
            }
        }
    }
    return 0;
}

static int check_transition_states(const BillingSettings *b, DbError *err)
{
    BillTransition *t;
    size_t n;
    billing_transitions(b, &t, &n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *bad = t[i].from && !billing_word_in(b->license_states, t[i].from)
                              ? t[i].from
                              : !billing_word_in(b->license_states, t[i].to) ? t[i].to : NULL;
        if (bad) {
            db_error_set(err, DB_ERR_PARSE, "transitions: '%s' in %s>%s is not one of "
                         "license_states (%s)", bad, t[i].from ? t[i].from : "*", t[i].to,
                         b->license_states ? b->license_states : "");
            rc = -1;
        } else if (t[i].from && strcmp(t[i].from, t[i].to) == 0) {
            db_error_set(err, DB_ERR_PARSE, "transitions: %s>%s goes nowhere", t[i].from,
                         t[i].to);
            rc = -1;
        }
    }
    billing_transitions_free(t, n);
    return rc;
}

int billing_config_check(const Config *cfg, const char **key, const char **other,
                         DbError *err)
{
    const BillingSettings *b = &cfg->billing;
    static const Role sub_voc = B(subscription_states), lic_voc = B(license_states);
    /* live and ended share no state (past due may be either, or neither) */
    static const Role sub_roles[] = { B(subscription_live), B(subscription_ended),
                                      B(subscription_past_due) };
    static const Role lic_roles[] = { B(license_live), B(license_suspended),
                                      B(license_revoked), B(license_expired) };
    if (check_roles(b, &sub_voc, sub_roles, 3, 2, key, other, err) != 0 ||
        check_roles(b, &lic_voc, lic_roles, 4, 4, key, other, err) != 0)
        return -1;
    *key = "transitions";
    *other = "license_states";
    return check_transition_states(b, err);
}
