/* billing.h: licenses and subscriptions: their state, the anomalies, "why
 * can't this customer run jobs?", a user's story, and the license
 * transitions.
 *
 * Everything is read from the tables and columns that [billing] names
 * (config.h; defaults: the reference schema's users, subscriptions,
 * licenses, license_events, jobs, audit_log), with the state vocabularies
 * and their roles from [billing] too:
 *   subscription_states    every state a subscription may be in (order kept)
 *   subscription_live      states of a subscription that is still running
 *   subscription_past_due  live states that mean "not paid"
 *   subscription_ended     states of a subscription that is over
 *   license_states         every state a license may be in (order kept)
 *   license_live           states that let the user run jobs
 *   license_suspended, license_revoked, license_expired   one role each
 *   job_active             job states that are queued or running
 *   transitions            the allowed license transitions ("from>to", *>x)
 *   columns                columns named otherwise ("licenses.status:state")
 * The settings are checked when the configuration is read
 * (billing_config_check); the tables and columns when a call below reads
 * them: a database without them fails with DB_ERR_USAGE naming what is
 * missing and the setting to change.
 *
 * Dates are compared with the database's clock (CURRENT_TIMESTAMP,
 * now()), each anomaly in one statement.
 *
 * Calls (each reads the database on c, changes nothing, and fills an out
 * struct that the caller frees with the matching _free, also after a
 * failure):
 *   billing_load()        counts per state and plan, every anomaly with
 *                         its count and rows: what a Licenses view shows
 *   billing_find_users()  users whose id, email or username matches a
 *                         regular expression (the candidates of a search)
 *   billing_why()         the first reason one user cannot run jobs, with
 *                         its evidence rows
 *   billing_story()       one user's subscriptions, licenses, license
 *                         events, jobs and audit entries in time order
 * The transition is the action row action_license_set (action.h): its
 * argument is made by billing_set_arg(); its plan's data is a BillSet. */
#ifndef DBW_BILLING_H
#define DBW_BILLING_H

#include <stdbool.h>
#include <stddef.h>

#include "action.h"
#include "billing_settings.h"
#include "db.h"
#include "session.h"

/* At most this many rows are kept per anomaly and per evidence table; the
 * count is exact whatever it is. */
#define BILLING_MAX_ROWS 1000

/* ---- rows ------------------------------------------------------------ */

/* Rows read from the database, every value as text. */
typedef struct BillTable {
    int     ncols;
    char  **names;      /* ncols column names, owned */
    size_t  nrows;
    char  **cells;      /* nrows * ncols values, row by row, owned; NULL = SQL NULL */
    bool    truncated;  /* more rows matched than were kept */
} BillTable;

/* The value at (row, col), NULL for SQL NULL; both must be in range. */
static inline const char *bill_cell(const BillTable *t, size_t row, int col)
{
    return t->cells[row * (size_t)t->ncols + (size_t)col];
}
/* The column of that name, or -1. */
int  bill_col(const BillTable *t, const char *name);
void bill_table_free(BillTable *t);            /* empty is fine */

/* ---- the model: counts and anomalies -------------------------------- */

typedef struct BillCount {
    char     *key;      /* a state or a plan, owned; "(null)" for NULL */
    long long n;
} BillCount;

/* Counts of one table.  by_state lists every state of the vocabulary in
 * its order (0 included), then the states found that it does not name. */
typedef struct BillSide {
    const char *table;  /* the configured table name, borrowed from the session */
    long long   total;
    BillCount  *by_state;
    size_t      nstates;
    BillCount  *by_plan;   /* subscriptions: plan_type; licenses: product */
    size_t      nplans;
} BillSide;

typedef struct BillAnomaly {
    const char *kind;     /* static, see billing_anomaly_kinds */
    const char *table;    /* the table whose rows are listed (configured name, borrowed) */
    long long   count;    /* what the message counts (rows, users, licenses) */
    long long   nrows;    /* the rows behind it, all of them (rows keeps the first) */
    char       *message;  /* one line, owned: "2 subscriptions ..." */
    BillTable   rows;     /* the rows behind it, at most BILLING_MAX_ROWS */
} BillAnomaly;

/* The kinds, in the order checked:
 *   subscription_past_billing  a live subscription, not past due, whose
 *                              next_billing_date + grace_period has passed
 *   license_past_expiry        a live license past its expires_at
 *   jobs_under_dead_license    a suspended, revoked or expired license with
 *                              jobs queued or running (counts licenses,
 *                              lists the jobs)
 *   duplicate_live_subscriptions  a user with more than one live
 *                              subscription (counts users, lists them)
 *   access_after_end           a live license of a user whose subscriptions
 *                              are all ended
 *   user_without_subscription  a user with no subscription at all
 *   missing_user               a subscription, or a license, whose user does
 *                              not exist (one anomaly per table) */
extern const char *const billing_anomaly_kinds[];

/* A license transition: from (NULL: any state) to. */
typedef struct BillTransition {
    char *from;
    char *to;
} BillTransition;

typedef struct BillModel {
    BillSide        subscriptions;
    BillSide        licenses;
    BillAnomaly    *anomalies;    /* every check, those that found nothing too */
    size_t          nanomalies;
    BillTransition *transitions;  /* [billing] transitions, in order */
    size_t          ntransitions;
} BillModel;

/* Reads the counts and every anomaly (one statement each).  Fails with
 * DB_ERR_USAGE when a table or column is missing (naming it and the
 * setting), or as the statements fail. */
int  billing_load(const Session *s, DbConn *c, BillModel *out, DbError *err);
void billing_model_free(BillModel *m);
/* Anomalies with a count above 0. */
size_t billing_anomalies_found(const BillModel *m);

/* ---- users ------------------------------------------------------------ */

typedef struct BillUser {
    char *id, *email, *username;   /* owned; NULL when SQL NULL */
} BillUser;

typedef struct BillUsers {
    BillUser *items;
    size_t    count;
    bool      more;     /* more matched than max */
} BillUsers;

/* Users whose id, email or username the pattern (pcre2, caseless) finds,
 * in id order, at most max.  DB_ERR_USAGE for a bad pattern. */
int  billing_find_users(const Session *s, DbConn *c, const char *pattern, size_t max,
                        BillUsers *out, DbError *err);
void billing_users_free(BillUsers *u);
void billing_user_free(BillUser *u);

/* ---- why ---------------------------------------------------------------- */

/* The answer, in the order it is checked (as Keygen validates a license):
 * the first that holds is the answer. */
typedef enum BillWhyCode {
    BILL_USER_MISSING = 0,      /* no user has that id, email or username */
    BILL_NO_LIVE_SUBSCRIPTION,  /* no subscription in a live state */
    BILL_SUBSCRIPTION_PAST_DUE, /* every live subscription is past due (its
                                   state, or next_billing_date + grace gone) */
    BILL_LICENSE_SUSPENDED,     /* no usable license, one is suspended */
    BILL_LICENSE_REVOKED,       /* no usable license, one is revoked */
    BILL_LICENSE_EXPIRED,       /* no usable license, one expired (its state,
                                   or a live one past expires_at) */
    BILL_NO_LICENSE,            /* no license at all (or none in a known role) */
    BILL_SEATS_EXHAUSTED,       /* every usable license has as many jobs
                                   queued or running as seats */
    BILL_OK                     /* a usable license with a free seat */
} BillWhyCode;

/* "user_missing", "no_live_subscription", ... "ok". */
const char *billing_why_code_name(BillWhyCode code);

typedef struct BillWhy {
    BillWhyCode code;
    bool        found;        /* the user exists */
    BillUser    user;         /* when found */
    char       *message;      /* one line, owned */
    const char *table;        /* the table of the evidence rows (borrowed), or NULL */
    BillTable   evidence;     /* the rows behind the answer */
    BillUsers   candidates;   /* user_missing: users the text finds as a pattern */
} BillWhy;

/* who: an id, an email (any case) or a username, looked up in that order.
 * A user that does not exist is an answer (BILL_USER_MISSING), not a
 * failure; the candidates are then the users that who, taken as a regular
 * expression, finds (none when it is not one). */
int  billing_why(const Session *s, DbConn *c, const char *who, BillWhy *out, DbError *err);
void billing_why_free(BillWhy *w);

/* ---- the story ------------------------------------------------------------ */

typedef struct BillEvent {
    char       *at;       /* "YYYY-MM-DD HH:MM:SS" (UTC on PostgreSQL), or NULL */
    const char *kind;     /* static: "subscription", "license", "license_event",
                             "job", "audit" */
    char       *id;       /* the row's id */
    char       *text;     /* one line, owned */
} BillEvent;

typedef struct BillStory {
    bool       found;
    BillUser   user;
    BillEvent *events;   /* in time order (no time: last); ties in the order above */
    size_t     count;
} BillStory;

/* The story of the user who names (as billing_why looks users up);
 * found is false, and the story empty, when there is no such user.  Audit
 * entries are those whose entity names a user, subscription or license
 * (singular or plural, or the configured table's name) of this user. */
int  billing_story(const Session *s, DbConn *c, const char *who, BillStory *out,
                   DbError *err);
void billing_story_free(BillStory *st);

/* ---- transitions ------------------------------------------------------------ */

/* Is from -> to in [billing] transitions? */
bool billing_transition_allowed(const BillingSettings *b, const char *from, const char *to);
/* "active>suspended, active>expired, *>revoked": the transitions allowed
 * from that state, or "none"; caller frees. */
char *billing_transitions_from(const BillingSettings *b, const char *from);
/* The transitions of [billing] (out owned: free with billing_transitions_free). */
void billing_transitions(const BillingSettings *b, BillTransition **out, size_t *n);
void billing_transitions_free(BillTransition *t, size_t n);

/* The argument of action_license_set: license id, target state, reason
 * (required) and actor (NULL: the OS user@host).  Caller frees. */
/* The state of license id into *state (caller frees; NULL when no license
 * has that id), as the transition's plan reads it. */
int billing_license_state(const Session *s, DbConn *c, const char *id, char **state,
                          DbError *err);

char *billing_set_arg(const char *license_id, const char *state, const char *reason,
                      const char *actor);

/* What a planned license transition does (the plan's data). */
typedef struct BillSet {
    char *license_id;    /* as the database writes it */
    char *user_id;
    char *product;
    char *from, *to;
    char *reason, *actor;
    char *correlation_id; /* written into audit_log, made when planned */
    char *event_id;      /* after the run: the license_events row */
    char *audit_id;      /* after the run: the audit_log row */
} BillSet;

/* The BillSet of a license-set plan, else NULL. */
const BillSet *billing_set_of(const ActionPlan *p);

/* err->code when a transition is not in [billing] transitions. */
#define BILLING_NOT_ALLOWED "DBW_NOT_ALLOWED"

#endif
