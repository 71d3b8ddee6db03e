/* alembic_internal.h: helpers shared by the alembic_*.c files; not part
 * of the public interface (alembic.h). */
#ifndef DBW_ALEMBIC_INTERNAL_H
#define DBW_ALEMBIC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "alembic.h"
#include "error.h"

/* base + "/" + rel (rel alone when absolute), with ".", ".." and "//"
 * removed lexically.  Caller frees. */
char *alembic_path_join(const char *base, const char *rel);
/* The absolute folder of path (relative paths against the working
 * folder).  Caller frees. */
char *alembic_path_dir(const char *path);

/* Marks r and every revision it needs (down_revision, depends_on), in a
 * set of g->count flags. */
void alembic_mark_below(const AlembicGraph *g, bool *set, size_t r);
/* Marks r and every revision that needs it (children, dependents). */
void alembic_mark_above(const AlembicGraph *g, bool *set, size_t r);
/* The revision name stands for, as Alembic reads it: an id, the unique
 * start of one, a branch label, "label@head", or "head" (one head only).
 * -1 with a DB_ERR_USAGE error starting with verb ("up: ...") saying why
 * (not found, ambiguous: the candidates listed). */
long alembic_resolve(const AlembicGraph *g, const char *verb, const char *name, DbError *err);
/* "a, b, c": the ids of the revisions at idx.  Caller frees. */
char *alembic_ids_text(const AlembicGraph *g, const size_t *idx, size_t n);

#endif
