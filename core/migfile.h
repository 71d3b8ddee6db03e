/* migfile.h: one dbwarden migration file, <version>_<name>.sql.
 *
 * The file holds a "-- migrate:up" section and a "-- migrate:down" section
 * (dbmate's markers).  A marker may carry options; the one understood is
 * "transaction:false" (run that section outside a transaction).  Text
 * before the first marker is ignored.  The checksum is the SHA-256, in
 * hex, of the up section's text.
 *
 * A file's name goes into messages and into SQL comments (the dry run),
 * so a name with a control character (a line break, say) is refused. */
#ifndef DBW_MIGFILE_H
#define DBW_MIGFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "url.h"

typedef struct MigSection {
    bool  present;       /* the marker was found */
    bool  transaction;   /* false with "transaction:false" */
    char *sql;           /* owned: the text after the marker line ("" if none) */
    int   first_line;    /* 1-based line in the file of sql's first byte */
} MigSection;

typedef struct MigFile {
    char *path;          /* owned: as given */
    char *filename;      /* owned: base name */
    char *version;       /* owned: the digits before the first '_' */
    char *name;          /* owned: the rest, without ".sql" */
    MigSection up, down;
    char  checksum[65];  /* hex SHA-256 of up.sql */
} MigFile;

/* Splits "0001_create_users.sql" into version "0001" and name
 * "create_users".  Returns false when the name does not have that shape
 * or holds a control character. */
bool migfile_split_name(const char *filename, char **version, char **name);

/* Parses text (len bytes) read from path.  DB_ERR_PARSE errors name the
 * file and line: no up marker, two up markers, an unknown marker option,
 * a badly named file, a name with a control character.  Paths in messages
 * are as they are (printers escape them, core/escape.h).  Whether the SQL
 * ends its own transaction depends on the engine: migfile_check_tx. */
int  migfile_parse(MigFile *out, const char *path, const char *text, size_t len,
                   DbError *err);
/* Reads and parses path (DB_ERR_IO when it cannot be read, or is not a
 * regular file of at most FS_READ_MAX bytes: see fs_read_file). */
int  migfile_load(MigFile *out, const char *path, DbError *err);
void migfile_free(MigFile *f);

/* A section that runs inside dbwarden's transaction must neither end it
 * nor start one: a COMMIT there would commit half a migration, unrecorded.
 * Splits sec (f->up or f->down; NULL: both) by engine's rules (sqlsplit.h)
 * and fails with DB_ERR_PARSE "<file>:<line>: COMMIT in the up section: …"
 * at the first statement that is BEGIN, START TRANSACTION, COMMIT, END,
 * ROLLBACK (but not ROLLBACK TO a savepoint), ABORT or PREPARE
 * TRANSACTION.  A transaction:false section is not checked. */
int  migfile_check_tx(const MigFile *f, const MigSection *sec, DbEngine engine, DbError *err);

/* Maps a byte offset inside a section's sql to a 1-based line of the file. */
int  migfile_line_of(const MigSection *s, size_t offset);

/* Hex SHA-256 of len bytes into out[65]. */
void migfile_sha256_hex(const char *data, size_t len, char out[65]);

#endif
