/* billing_internal.h: shared by the billing*.c files and action_license.c:
 * the settings as one call uses them (BillConf), the SQL of the model
 * written once for both engines (templates), and reading rows.
 *
 * A template is SQL with these in braces, expanded by bill_sql():
 *   {U} {S} {L} {E} {J} {A}   the table (users, subscriptions, licenses,
 *                             license_events, jobs, audit_log), quoted
 *   {s.status}                alias s, column status of the table its first
 *                             letter names (s2 -> subscriptions), quoted:
 *                             s2."state" when [billing] columns renames it
 *   {S.status}                the column alone, quoted
 *   {IN s.status SET}         s."status" IN ($n, ...), the words of the set
 *                             (sub_live, lic_dead, ... see set_names) as
 *                             parameters; 1 = 0 when the set is empty;
 *                             {NOTIN ...} the opposite
 *   {DUE}                     the subscription aliased s is past its
 *                             next_billing_date + grace_period (a parameter)
 *   {LEXP}                    the license aliased l is past its expires_at
 *   {TS s.created_at}         the time as text, "YYYY-MM-DD HH:MM:SS"
 *   {TXT u.id}                the value as text
 * Values are never spliced: the caller's parameters are $1..$nfixed, the
 * expansion adds its own after them. */
#ifndef DBW_BILLING_INTERNAL_H
#define DBW_BILLING_INTERNAL_H

#include "billing.h"
#include "billing_settings.h"

/* The columns shown of a subscription (alias s) and of a license (alias l). */
#define SUB_COLS "{s.id} AS id, {s.user_id} AS user_id, {s.status} AS status, " \
                 "{s.plan_type} AS plan_type, {s.next_billing_date} AS next_billing_date"
#define LIC_COLS "{l.id} AS id, {l.user_id} AS user_id, {l.product} AS product, " \
                 "{l.status} AS status, {l.seats} AS seats, {l.expires_at} AS expires_at"

/* The settings of one call: the tables and columns as named in this
 * database (checked to exist), the word sets. */
typedef struct BillConf {
    const BillingSettings *b;      /* the session's */
    const DbConn *conn;            /* what the SQL is for (quoting) */
    DbEngine engine;
    const char *table[BT_NTABLES]; /* borrowed from b */
    char  *col[BT_NTABLES][BILL_MAX_COLS];   /* owned, the names here */
    char **set[BS_NSETS];          /* owned word vectors */
    size_t nset[BS_NSETS];
    long   grace_s;                /* grace_period in seconds */
} BillConf;

/* Reads the settings and checks, in one statement, that every table and
 * column exists on c: DB_ERR_USAGE naming what is missing and the setting
 * to change.  bill_conf_free() also after a failure. */
int  bill_conf_init(BillConf *m, const Session *s, DbConn *c, DbError *err);
void bill_conf_free(BillConf *m);
/* The column's name here (borrowed), by its logical name. */
const char *bill_colname(const BillConf *m, BillTab t, const char *col);

/* An expanded template. */
typedef struct BillSql {
    char  *sql;       /* owned, starts with the label comment */
    char **params;    /* owned vector: the fixed ones, then the expansion's */
    int    nparams;
} BillSql;

/* Expands tmpl (see the top of this file) after a comment that labels it
 * ("billing: <label>").  fixed: nfixed parameters ($1..). */
void bill_sql(const BillConf *m, const char *label, const char *tmpl,
              const char *const *fixed, int nfixed, BillSql *out);
void bill_sql_free(BillSql *q);

/* Runs q and keeps up to max rows (truncated set when there were more). */
int  bill_read(DbConn *c, const char *label, const BillSql *q, size_t max, BillTable *out,
               DbError *err);
/* Expands and runs in one go. */
int  bill_query(const BillConf *m, DbConn *c, const char *label, const char *tmpl,
                const char *const *fixed, int nfixed, size_t max, BillTable *out,
                DbError *err);
/* Removes column 0 (a count the query carried along). */
void bill_table_drop_first(BillTable *t);
/* Keeps the rows whose keep[] is true. */
void bill_table_filter(BillTable *t, const bool *keep);
/* true when the value is in the set. */
bool bill_in_set(const BillConf *m, BillSetId id, const char *word);
/* "trial, active": the set's words; caller frees. */
char *bill_set_text(const BillConf *m, BillSetId id);

/* A duration as "3d", "12h", "90m" or "45s"; caller frees. */
char *bill_duration_text(int ms);

/* Looks the user up by id, email (any case) or username, in that order:
 * *found false when none matches. */
int  bill_find_user(const BillConf *m, DbConn *c, const char *who, BillUser *user, bool *found,
                    DbError *err);
/* A user as "7 bob <bob@example.com>"; caller frees. */
char *bill_user_text(const BillUser *u);

#endif
