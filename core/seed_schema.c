/* seed_schema.c: the reference tables the demo and scale sets write, and
 * the check that a database has them (see seed_internal.h). */
#include "seed_internal.h"
#include "strbuf.h"
#include "strv.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define COLS(...) { __VA_ARGS__, NULL }, sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *)

const SeedTableDef seed_tables[SEED_NTABLES] = {
    { "users", "id", "created_at",
      COLS("id", "email", "username", "api_key", "stripe_customer_id", "created_at") },
    { "workspaces", "id", "created_at", COLS("id", "owner_id", "name", "created_at") },
    { "projects", "id", "created_at", COLS("id", "workspace_id", "name", "created_at") },
    { "subscriptions", "id", "created_at",
      COLS("id", "user_id", "status", "plan_type", "next_billing_date", "created_at") },
    { "licenses", "id", "starts_at",
      COLS("id", "user_id", "product", "status", "seats", "starts_at", "expires_at") },
    { "license_events", "id", "created_at",
      COLS("id", "license_id", "from_status", "to_status", "reason", "actor", "created_at") },
    { "jobs", "id", "created_at", COLS("id", "license_id", "user_id", "status", "created_at") },
    { "invoices", "id", "issued_at",
      COLS("id", "user_id", "subscription_id", "invoice_number", "amount", "vat_rate", "total",
           "currency", "issued_at") },
    { "transaction_idempotency", "id", "created_at",
      COLS("id", "idempotency_key", "request_hash", "response_code", "created_at") },
    { "audit_log", "id", "created_at",
      COLS("id", "actor", "action", "entity", "entity_id", "correlation_id", "details",
           "created_at") },
    { "market_booths", "id", "created_at", COLS("id", "owner_id", "name", "created_at") },
    { "nft_items", "id", "created_at",
      COLS("id", "owner_id", "creator_id", "booth_id", "price", "name", "created_at") },
};

typedef struct Cols {
    char **v;
    size_t n, cap;
} Cols;

static int collect_col(void *ctx, const DbRow *row)
{
    Cols *c = ctx;
    strv_push(&c->v, &c->n, &c->cap, row->values[0]);
    return 0;
}

/* The columns of table (PostgreSQL: as the search path finds it). */
static int columns_of(DbConn *c, const char *table, Cols *out, DbError *err)
{
    bool pg = db_engine(c) == DB_ENGINE_POSTGRES;
    char *q = pg ? db_quote_ident(c, table) : xstrdup(table);
    const char *v[1] = { q };
    DbParams p = { 1, v };
    int rc = db_query(c, "seed: schema check", pg
                      ? "/* seed: schema check */ SELECT attname FROM pg_catalog.pg_attribute "
                        "WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped"
                      : "/* seed: schema check */ SELECT name FROM pragma_table_info($1)",
                      &p, collect_col, out, err);
    free(q);
    return rc;
}

static bool has_column(const Cols *cols, const char *name)
{
    for (size_t i = 0; i < cols->n; i++)
        if (strcmp(cols->v[i], name) == 0)
            return true;
    return false;
}

int seed_schema_check(DbConn *c, const char *set, DbError *err)
{
    StrBuf tables = STRBUF_INIT, cols = STRBUF_INIT;
    for (int t = 0; t < SEED_NTABLES; t++) {
        const SeedTableDef *d = &seed_tables[t];
        bool exists = false;
        if (db_table_exists(c, d->name, &exists, err) != 0)
            goto fail;
        if (!exists) {
            sb_appendf(&tables, "%s%s", tables.len ? ", " : "", d->name);
            continue;
        }
        Cols have = { NULL, 0, 0 };
        if (columns_of(c, d->name, &have, err) != 0) {
            strv_free(have.v);
            goto fail;
        }
        for (int i = 0; i < d->ncols; i++)
            if (!has_column(&have, d->columns[i]))
                sb_appendf(&cols, "%s%s.%s", cols.len ? ", " : "", d->name, d->columns[i]);
        strv_free(have.v);
    }
    if (tables.len || cols.len) {
        db_error_set(err, DB_ERR_USAGE, "seed %s needs the reference schema (migrations/): "
                     "%s%s%s%s%s; nothing was written", set,
                     tables.len ? "missing tables: " : "", sb_str(&tables),
                     tables.len && cols.len ? "; " : "", cols.len ? "missing columns: " : "",
                     sb_str(&cols));
        goto fail;
    }
    sb_free(&tables);
    sb_free(&cols);
    return 0;
fail:
    sb_free(&tables);
    sb_free(&cols);
    return -1;
}
