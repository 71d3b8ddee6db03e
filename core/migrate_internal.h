/* migrate_internal.h: shared by migrate.c and migrate_run.c only. */
#ifndef DBW_MIGRATE_INTERNAL_H
#define DBW_MIGRATE_INTERNAL_H

#include "migrate.h"

/* CREATE TABLE IF NOT EXISTS for the version table, in e's dialect. */
const char *migrate_create_table_sql(DbEngine e);
/* The file of that version in dir (dir may be NULL), or NULL. */
const MigFile *migrate_find_file(const MigDir *dir, const char *version);

#endif
