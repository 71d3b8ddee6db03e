/* migfile.h: one dbwarden migration file, <version>_<name>.sql.
 *
 * The file holds a "-- migrate:up" section and a "-- migrate:down" section
 * (dbmate's markers).  A marker may carry options; the one understood is
 * "transaction:false" (run that section outside a transaction).  Text
 * before the first marker is ignored.  The checksum is the SHA-256, in
 * hex, of the up section's text. */
#ifndef DBW_MIGFILE_H
#define DBW_MIGFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

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
 * "create_users".  Returns false when the name does not have that shape. */
bool migfile_split_name(const char *filename, char **version, char **name);

/* Parses text (len bytes) read from path.  DB_ERR_PARSE errors name the
 * file and line: no up marker, two up markers, an unknown marker option,
 * a badly named file. */
int  migfile_parse(MigFile *out, const char *path, const char *text, size_t len,
                   DbError *err);
/* Reads and parses path (DB_ERR_IO when it cannot be read). */
int  migfile_load(MigFile *out, const char *path, DbError *err);
void migfile_free(MigFile *f);

/* Maps a byte offset inside a section's sql to a 1-based line of the file. */
int  migfile_line_of(const MigSection *s, size_t offset);

/* Hex SHA-256 of len bytes into out[65]. */
void migfile_sha256_hex(const char *data, size_t len, char out[65]);

#endif
