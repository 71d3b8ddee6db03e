/* billing_settings.h: the [billing] settings as the licenses model reads
 * them: the logical tables and columns (the reference schema's names) and
 * the names they have in this database, the state vocabularies and their
 * roles, the transitions; and the checks made when the configuration is
 * read (config.c calls billing_setting_check per key and
 * billing_config_check once the file is read).
 *
 * The settings stay where they are (session->cfg.billing, as text); these
 * functions read them.  No database here. */
#ifndef DBW_BILLING_SETTINGS_H
#define DBW_BILLING_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "error.h"

/* The tables the model reads, by their role. */
typedef enum BillTab {
    BT_USERS = 0, BT_SUBSCRIPTIONS, BT_LICENSES, BT_EVENTS, BT_JOBS, BT_AUDIT, BT_NTABLES
} BillTab;

#define BILL_MAX_COLS 8

/* A logical table: its [billing] key (which is also its default name), the
 * letter its aliases start with in the model's SQL, its columns. */
typedef struct BillTabDef {
    const char *key;
    char        letter;
    const char *cols[BILL_MAX_COLS + 1];   /* NULL-terminated */
} BillTabDef;

extern const BillTabDef billing_tabdefs[BT_NTABLES];

/* The configured name of table t (borrowed from b). */
const char *billing_table(const BillingSettings *b, BillTab t);
/* The name column col of table t has here: [billing] columns, else col
 * itself.  Caller frees. */
char *billing_column(const BillingSettings *b, BillTab t, const char *col);

/* The word sets (roles of states), by what they are for. */
typedef enum BillSetId {
    BS_SUB_STATES = 0,  /* subscription_states */
    BS_SUB_LIVE,        /* subscription_live */
    BS_SUB_PAST_DUE,    /* subscription_past_due */
    BS_SUB_ENDED,       /* subscription_ended */
    BS_SUB_CURRENT,     /* live and not past due (derived) */
    BS_LIC_STATES,      /* license_states */
    BS_LIC_LIVE,        /* license_live */
    BS_LIC_SUSPENDED,   /* license_suspended */
    BS_LIC_REVOKED,     /* license_revoked */
    BS_LIC_EXPIRED,     /* license_expired */
    BS_LIC_DEAD,        /* suspended, revoked or expired (derived) */
    BS_JOB_ACTIVE,      /* job_active */
    BS_NSETS
} BillSetId;

/* The words of a set, as a NULL-terminated vector (strv.h; caller frees
 * with strv_free), *n their count. */
char **billing_set_words(const BillingSettings *b, BillSetId id, size_t *n);
/* Is word in the space-separated list? */
bool billing_word_in(const char *list, const char *word);

/* One [billing] key's value on its own (a list of words, the transitions,
 * the columns, a table name): 0, or -1 with err saying what is wrong (the
 * caller adds the file and line).  Keys it does not know pass. */
int  billing_setting_check(const char *name, const char *value, DbError *err);
/* The settings together (roles within their vocabulary, transitions
 * between its states): 0, or -1 with err set, *key the key at fault and
 * *other (may be NULL) the other key the message names. */
int  billing_config_check(const Config *cfg, const char **key, const char **other,
                          DbError *err);

#endif
