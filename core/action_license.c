/* action_license.c: the license-set row of the action table: one license
 * moved from its state to another that [billing] transitions allows,
 * written with a license_events row and an audit_log row in one
 * transaction (see action.h and billing.h).
 *
 * Flags: it writes (refused read-only; on production the database's name
 * is typed), holds the run lock, and is not destructive: it changes one
 * row and says so in two more, so no backup is taken before it (a backup
 * of the whole database per license would be heavy) and, off production,
 * nothing is asked. */
#include "action.h"
#include "billing_internal.h"
#include "migrate.h"
#include "strbuf.h"
#include "whoami.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* The argument's fields are separated by the ASCII unit separator. */
#define SEP '\x1f'

char *billing_set_arg(const char *license_id, const char *state, const char *reason,
                      const char *actor)
{
    return xasprintf("%s%c%s%c%s%c%s", license_id ? license_id : "", SEP, state ? state : "",
                     SEP, actor ? actor : "", SEP, reason ? reason : "");
}

typedef struct LicSet {
    BillSet set;        /* first: billing_set_of() hands it out */
    char   *details;    /* the audit row's JSON */
} LicSet;

static void lic_free(void *data)
{
    LicSet *d = data;
    BillSet *b = &d->set;
    char *fields[] = { b->license_id, b->user_id, b->product, b->from, b->to, b->reason,
                       b->actor, b->correlation_id, b->event_id, b->audit_id, d->details };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        free(fields[i]);
    free(d);
}

const BillSet *billing_set_of(const ActionPlan *p)
{
    return p && p->action == &action_license_set && p->data ? &((LicSet *)p->data)->set : NULL;
}

/* ---- the plan ------------------------------------------------------------- */

/* Splits arg into id, state, actor and reason (the rest). */
static int parse_arg(const char *arg, LicSet *d, DbError *err)
{
    const char *f[4] = { NULL, NULL, NULL, NULL };
    const char *p = arg ? arg : "";
    for (int i = 0; i < 3 && p; i++) {
        f[i] = p;
        p = strchr(p, SEP);
        p = p ? p + 1 : NULL;
    }
    f[3] = p;
    if (!f[1] || !f[3]) {
        db_error_set(err, DB_ERR_USAGE, "license-set needs a license id, a state and a reason");
        return -1;
    }
    d->set.license_id = xstrndup(f[0], strcspn(f[0], "\x1f"));
    d->set.to = xstrndup(f[1], strcspn(f[1], "\x1f"));
    char *actor = xstrndup(f[2], strcspn(f[2], "\x1f"));
    d->set.actor = *actor ? actor : whoami_user_at_host();
    if (!*actor)
        free(actor);
    d->set.reason = xstrdup(f[3]);
    if (!*d->set.license_id || !*d->set.to) {
        db_error_set(err, DB_ERR_USAGE, "license-set needs a license id and a state");
        return -1;
    }
    if (!*d->set.reason) {
        db_error_set(err, DB_ERR_USAGE, "a license transition needs a reason (--reason TEXT); "
                     "nothing was done");
        return -1;
    }
    return 0;
}

/* A UUID (version 4) for audit_log.correlation_id. */
static char *new_correlation_id(void)
{
    unsigned char b[16] = { 0 };
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        for (size_t i = 0; i < sizeof b; i++)
            b[i] = (unsigned char)random();
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    return xasprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                     b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
                     b[12], b[13], b[14], b[15]);
}

static void json_string(StrBuf *sb, const char *s)
{
    sb_appendc(sb, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_appendf(sb, "\\%c", *p);
        else if (*p < 0x20)
            sb_appendf(sb, "\\u%04x", *p);
        else
            sb_appendc(sb, (char)*p);
    }
    sb_appendc(sb, '"');
}

static char *details_json(const BillConf *m, const BillSet *b)
{
    StrBuf sb = STRBUF_INIT;
    const char *kv[][2] = { { "table", m->table[BT_LICENSES] }, { "from", b->from },
                            { "to", b->to }, { "reason", b->reason } };
    sb_appendc(&sb, '{');
    for (size_t i = 0; i < 4; i++) {
        if (i)
            sb_append(&sb, ", ");
        json_string(&sb, kv[i][0]);
        sb_append(&sb, ": ");
        json_string(&sb, kv[i][1]);
    }
    sb_appendc(&sb, '}');
    return sb_take(&sb);
}

static const char *const license_sql =
    "SELECT {TXT l.id} AS id, {l.status} AS status, {TXT l.user_id} AS user_id, "
    "{l.product} AS product FROM {L} l WHERE {TXT l.id} = $1";
static const char *const update_sql =
    "UPDATE {L} SET {L.status} = $1 WHERE {L.id} = $2 AND {L.status} = $3 "
    "RETURNING {TXT L.id}";
static const char *const event_sql =
    "INSERT INTO {E} ({E.license_id}, {E.from_status}, {E.to_status}, {E.reason}, "
    "{E.actor}, {E.created_at}) VALUES ($1, $2, $3, $4, $5, CURRENT_TIMESTAMP) "
    "RETURNING {TXT E.id}";
static const char *const audit_sql =
    "INSERT INTO {A} ({A.actor}, {A.action}, {A.entity}, {A.entity_id}, {A.correlation_id}, "
    "{A.details}, {A.created_at}) VALUES ($1, 'license.transition', 'license', $2, $3, $4, "
    "CURRENT_TIMESTAMP) RETURNING {TXT A.id}";

/* The three statements' parameters. */
static void update_params(const BillSet *b, const char *v[3])
{
    v[0] = b->to;
    v[1] = b->license_id;
    v[2] = b->from;
}

static void event_params(const BillSet *b, const char *v[5])
{
    v[0] = b->license_id;
    v[1] = b->from;
    v[2] = b->to;
    v[3] = b->reason;
    v[4] = b->actor;
}

static void audit_params(const LicSet *d, const char *v[4])
{
    v[0] = d->set.actor;
    v[1] = d->set.license_id;
    v[2] = d->set.correlation_id;
    v[3] = d->details;
}

/* sql with its $n written as the literals they stand for, for people. */
static void put_literal_sql(StrBuf *sb, const char *sql, const char *const *v, int n)
{
    for (const char *p = sql; *p;) {
        if (*p == '"' || (p[0] == '/' && p[1] == '*')) {   /* a name or a comment as it is */
            const char *end = *p == '"' ? strchr(p + 1, '"') : strstr(p + 2, "*/");
            size_t len = end ? (size_t)(end - p) + (*p == '"' ? 1 : 2) : strlen(p);
            sb_appendn(sb, p, len);
            p += len;
        } else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
            char *end;
            long i = strtol(p + 1, &end, 10);
            sb_appendc(sb, '\'');
            for (const char *q = i <= n ? v[i - 1] : ""; *q; q++)
                sb_append(sb, *q == '\'' ? "''" : (char[2]){ *q, 0 });
            sb_appendc(sb, '\'');
            p = end;
        } else {
            sb_appendc(sb, *p++);
        }
    }
}

static void put_statement(const BillConf *m, StrBuf *sb, const char *label, const char *tmpl,
                          const char *const *v, int n)
{
    BillSql q;
    bill_sql(m, label, tmpl, NULL, 0, &q);
    put_literal_sql(sb, q.sql, v, n);
    sb_append(sb, ";\n");
    bill_sql_free(&q);
}

static char *plan_sql(const BillConf *m, const LicSet *d)
{
    StrBuf sb = STRBUF_INIT;
    const char *u[3], *e[5], *a[4];
    update_params(&d->set, u);
    event_params(&d->set, e);
    audit_params(d, a);
    sb_append(&sb, "BEGIN;\n");
    put_statement(m, &sb, "license transition", update_sql, u, 3);
    put_statement(m, &sb, "license event", event_sql, e, 5);
    put_statement(m, &sb, "audit entry", audit_sql, a, 4);
    sb_append(&sb, "COMMIT;");
    return sb_take(&sb);
}

/* The license as it is: its state into *state (NULL when the license is
 * gone), and the rest into d when d is given. */
static int read_license(const BillConf *m, DbConn *c, const char *id, char **state,
                        LicSet *d, DbError *err)
{
    BillTable t;
    *state = NULL;
    if (bill_query(m, c, "license to move", license_sql, &id, 1, 1, &t, err) != 0)
        return -1;
    if (t.nrows) {
        *state = xstrdup(bill_cell(&t, 0, 1) ? bill_cell(&t, 0, 1) : "");
        if (d) {
            free(d->set.license_id);
            d->set.license_id = xstrdup(bill_cell(&t, 0, 0));
            d->set.user_id = xstrdup(bill_cell(&t, 0, 2));
            d->set.product = xstrdup(bill_cell(&t, 0, 3));
        }
    }
    bill_table_free(&t);
    return 0;
}

int billing_license_state(const Session *s, DbConn *c, const char *id, char **state,
                          DbError *err)
{
    BillConf m;
    memset(&m, 0, sizeof m);
    *state = NULL;
    int rc = bill_conf_init(&m, s, c, err) == 0 ? read_license(&m, c, id, state, NULL, err) : -1;
    bill_conf_free(&m);
    return rc;
}

static int check_allowed(const BillConf *m, const BillSet *b, DbError *err)
{
    if (billing_transition_allowed(m->b, b->from, b->to))
        return 0;
    char *allowed = billing_transitions_from(m->b, b->from);
    db_error_set(err, DB_ERR_USAGE, "license %s is %s: %s>%s is not allowed; allowed from %s: "
                 "%s ([billing] transitions); nothing was done", b->license_id, b->from,
                 b->from, b->to, b->from, allowed);
    snprintf(err->code, sizeof err->code, "%s", BILLING_NOT_ALLOWED);
    free(allowed);
    return -1;
}

static int lic_plan(const Session *s, DbConn *c, const char *arg, bool preview, ActionPlan *p,
                    DbError *err)
{
    (void)preview;
    LicSet *d = xcalloc(1, sizeof *d);
    p->data = d;
    BillConf m;
    memset(&m, 0, sizeof m);
    int rc = -1;
    if (parse_arg(arg, d, err) != 0 || bill_conf_init(&m, s, c, err) != 0)
        goto fail;
    if (!bill_in_set(&m, BS_LIC_STATES, d->set.to)) {
        char *states = bill_set_text(&m, BS_LIC_STATES);
        db_error_set(err, DB_ERR_USAGE, "'%s' is not a license state (license_states: %s)",
                     d->set.to, states);
        free(states);
        goto fail;
    }
    if (read_license(&m, c, d->set.license_id, &d->set.from, d, err) != 0)
        goto fail;
    if (!d->set.from) {
        db_error_set(err, DB_ERR_USAGE, "no license has the id %s (table %s)",
                     d->set.license_id, m.table[BT_LICENSES]);
        goto fail;
    }
    if (check_allowed(&m, &d->set, err) != 0)
        goto fail;
    d->set.correlation_id = new_correlation_id();
    d->details = details_json(&m, &d->set);
    p->summary = xasprintf("license %s (%s, user %s): %s -> %s, by %s, reason: %s",
                           d->set.license_id, d->set.product ? d->set.product : "no product",
                           d->set.user_id ? d->set.user_id : "none", d->set.from, d->set.to,
                           d->set.actor, d->set.reason);
    p->what = plan_sql(&m, d);
    p->count = 1;
    rc = 0;
fail:
    bill_conf_free(&m);
    return rc;
}

/* ---- under the lock ------------------------------------------------------ */

static int lic_recheck(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                       DbError *err)
{
    (void)ev;
    LicSet *d = p->data;
    BillConf m;
    char *now = NULL;
    int rc = -1;
    if (bill_conf_init(&m, s, c, err) != 0 ||
        read_license(&m, c, d->set.license_id, &now, NULL, err) != 0)
        goto fail;
    if (!now || strcmp(now, d->set.from) != 0) {
        if (now)
            db_error_set(err, DB_ERR_BUSY, "license %s moved from %s to %s while you were "
                         "confirming: nothing was done (the plan was %s -> %s)",
                         d->set.license_id, d->set.from, now, d->set.from, d->set.to);
        else
            db_error_set(err, DB_ERR_BUSY, "license %s was deleted while you were confirming: "
                         "nothing was done", d->set.license_id);
        snprintf(err->code, sizeof err->code, "%s", MIGRATE_PLAN_CHANGED);
        goto fail;
    }
    rc = 0;
fail:
    free(now);
    bill_conf_free(&m);
    return rc;
}

/* Runs one of the three writes; *id gets the value it returns. */
static int write_one(const BillConf *m, DbConn *c, const char *label, const char *tmpl,
                     const char *const *v, int n, char **id, DbError *err)
{
    BillTable t;
    if (bill_query(m, c, label, tmpl, v, n, 2, &t, err) != 0)
        return -1;
    int rc = 0;
    if (t.nrows != 1 || !bill_cell(&t, 0, 0)) {
        db_error_set(err, DB_ERR_SQL, "%s wrote %zu rows instead of one", label, t.nrows);
        rc = -1;
    } else {
        *id = xstrdup(bill_cell(&t, 0, 0));
    }
    bill_table_free(&t);
    return rc;
}

static int write_all(const BillConf *m, DbConn *c, LicSet *d, DbError *err)
{
    const char *u[3], *e[5], *a[4];
    char *updated = NULL;
    update_params(&d->set, u);
    event_params(&d->set, e);
    audit_params(d, a);
    int rc = -1;
    if (db_begin(c, true, err) != 0)
        return -1;
    if (write_one(m, c, "license transition", update_sql, u, 3, &updated, err) == 0 &&
        write_one(m, c, "license event", event_sql, e, 5, &d->set.event_id, err) == 0 &&
        write_one(m, c, "audit entry", audit_sql, a, 4, &d->set.audit_id, err) == 0 &&
        db_commit(c, err) == 0)
        rc = 0;
    if (rc != 0)
        db_rollback(c);
    free(updated);
    return rc;
}

static int lic_run(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                   char **outcome, DbError *err)
{
    LicSet *d = p->data;
    BillConf m;
    int rc = -1;
    if (bill_conf_init(&m, s, c, err) != 0)
        goto fail;
    d->details = d->details ? d->details : details_json(&m, &d->set);
    if (write_all(&m, c, d, err) != 0) {
        /* say what the license is now, read from the database */
        char *now = NULL;
        DbError e2 = DB_ERROR_INIT;
        if (read_license(&m, c, d->set.license_id, &now, NULL, &e2) == 0 && now &&
            strcmp(now, d->set.from) == 0)
            db_error_prefix(err, "nothing was changed (license %s is still %s)",
                            d->set.license_id, now);
        else if (now)
            db_error_prefix(err, "license %s is now %s", d->set.license_id, now);
        free(now);
        db_error_clear(&e2);
        free(d->set.event_id);
        free(d->set.audit_id);
        d->set.event_id = d->set.audit_id = NULL;
        goto fail;
    }
    if (ev && ev->step) {
        char *name = xasprintf("%s -> %s", d->set.from, d->set.to);
        ActionStep st = { "set", d->set.license_id, name, -1 };
        ev->step(ev->ctx, &st);
        free(name);
    }
    *outcome = xasprintf("license %s: %s -> %s (%s %s, %s %s)", d->set.license_id,
                         d->set.from, d->set.to, m.table[BT_EVENTS], d->set.event_id,
                         m.table[BT_AUDIT], d->set.audit_id);
    rc = 0;
fail:
    bill_conf_free(&m);
    return rc;
}

static const char *const verify_sql =
    "SELECT (SELECT {l.status} FROM {L} l WHERE {l.id} = $1) AS status, "
    "(SELECT count(*) FROM {E} e WHERE {e.id} = $2 AND {e.license_id} = $1 "
    "AND {e.to_status} = $3) AS events, "
    "(SELECT count(*) FROM {A} a WHERE {a.id} = $4 AND {a.entity_id} = $1) AS audits";

static int lic_verify(const Session *s, DbConn *c, ActionPlan *p, DbError *err)
{
    LicSet *d = p->data;
    BillConf m;
    BillTable t = { 0 };
    int rc = -1;
    if (bill_conf_init(&m, s, c, err) != 0)
        goto fail;
    const char *v[4] = { d->set.license_id, d->set.event_id, d->set.to, d->set.audit_id };
    if (bill_query(&m, c, "transition written?", verify_sql, v, 4, 1, &t, err) != 0)
        goto fail;
    const char *st = t.nrows ? bill_cell(&t, 0, 0) : NULL;
    bool events = t.nrows && bill_cell(&t, 0, 1) && strcmp(bill_cell(&t, 0, 1), "1") == 0;
    bool audits = t.nrows && bill_cell(&t, 0, 2) && strcmp(bill_cell(&t, 0, 2), "1") == 0;
    if (!st || strcmp(st, d->set.to) != 0 || !events || !audits) {
        db_error_set(err, DB_ERR_SQL, "the transition was committed but the database does not "
                     "show it: license %s is %s, %s row %s, %s row %s",
                     d->set.license_id, st ? st : "gone", m.table[BT_EVENTS],
                     events ? "present" : "missing", m.table[BT_AUDIT],
                     audits ? "present" : "missing");
        goto fail;
    }
    rc = 0;
fail:
    bill_table_free(&t);
    bill_conf_free(&m);
    return rc;
}

const Action action_license_set = {
    "license-set", "move a license to another state (with a reason; audited)",
    ACTION_WRITES | ACTION_RUN_LOCK,
    lic_plan, lic_recheck, lic_run, lic_verify, lic_free,
    "licenses set LICENSE STATE --reason TEXT",
};
