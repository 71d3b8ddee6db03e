/* demo.h: the demo SQLite database that `dbwarden demo` and `make demo`
 * build from the reference migrations, with the demo seed set in it.
 *
 * A demo database is marked (PRAGMA application_id 'DBWD'), so that a new
 * demo replaces only a file a demo made, never the user's own database. */
#ifndef DBW_DEMO_H
#define DBW_DEMO_H

#include <stdbool.h>

#include "error.h"
#include "migrate.h"

/* true when path does not exist, or holds a demo database made before. */
bool demo_replaceable(const char *path);

/* Builds the demo at path: dir's migrations applied to a temporary file
 * beside it, marked, the demo seed set loaded (seed.h; when dir is the
 * reference schema, else it stays empty), then renamed over path; on
 * failure nothing is left behind and path is untouched.  The caller checks demo_replaceable()
 * first. */
int  demo_build(const char *path, const MigDir *dir, DbError *err);

#endif
