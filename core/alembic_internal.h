/* alembic_internal.h: helpers shared by the alembic_*.c files; not part
 * of the public interface (alembic.h). */
#ifndef DBW_ALEMBIC_INTERNAL_H
#define DBW_ALEMBIC_INTERNAL_H

#include <stddef.h>

#include "error.h"

/* base + "/" + rel (rel alone when absolute), with ".", ".." and "//"
 * removed lexically.  Caller frees. */
char *alembic_path_join(const char *base, const char *rel);
/* The absolute folder of path (relative paths against the working
 * folder).  Caller frees. */
char *alembic_path_dir(const char *path);

#endif
