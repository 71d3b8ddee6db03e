/* catalog.h: what tables and views a database has.
 *
 * Loaded with a fixed number of queries, whatever the number of tables. */
#ifndef DBW_CATALOG_H
#define DBW_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

typedef struct CatTable {
    char   *schema;      /* owned: "public", "main", … */
    char   *name;        /* owned */
    bool    is_view;
    int64_t rows;        /* row count or estimate; -1 when unknown */
    bool    rows_exact;  /* rows was counted, not estimated */
    int64_t bytes;       /* size on disk; -1 when unknown */
} CatTable;

typedef struct CatTableList {
    CatTable *items;     /* owned, sorted by schema then name */
    size_t    count;
} CatTableList;

/* Lists user tables and views (not the engines' own, and not
 * dbwarden_migrations' siblings of other tools: those are listed too, as
 * they are the user's tables). */
int  catalog_list_tables(DbConn *c, CatTableList *out, DbError *err);
void catalog_tables_free(CatTableList *l);

#endif
