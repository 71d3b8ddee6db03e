/* integrity_fkmig.c: the migration that declares an inferred relationship
 * as a foreign key (see integrity_fix.h). */
#include "integrity_internal.h"
#include "escape.h"
#include "fsutil.h"
#include "migfile.h"
#include "strv.h"
#include "xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void integrity_fkmig_free(IntegrityFkMigration *m)
{
    free(m->dir);
    for (int i = 0; i < 2; i++) {
        free(m->names[i]);
        free(m->texts[i]);
    }
    memset(m, 0, sizeof *m);
}

/* ---- versions ------------------------------------------------------------ */

/* The versions of the next two migrations of dir: the next numbers when
 * every version is a number of one width, else UTC timestamps. */
static int next_versions(const char *dir, char *v1, char *v2, size_t size, DbError *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        db_error_set(err, DB_ERR_IO, "cannot read the migrations folder %s: %s", dir,
                     strerror(errno));
        return -1;
    }
    size_t width = 0, n = 0;
    unsigned long long max = 0;
    bool same = true;
    struct dirent *e;
    while ((e = readdir(d))) {
        char *version = NULL, *name = NULL;
        if (!str_ends_with(e->d_name, ".sql") ||
            !migfile_split_name(e->d_name, &version, &name)) {
            free(version);
            free(name);
            continue;
        }
        size_t w = strlen(version);
        same = same && str_all_digits(version) && (!n || w == width) && w < 19;
        width = w;
        n++;
        if (same && strtoull(version, NULL, 10) > max)
            max = strtoull(version, NULL, 10);
        free(version);
        free(name);
    }
    closedir(d);
    if (n && same) {
        snprintf(v1, size, "%0*llu", (int)width, max + 1);
        snprintf(v2, size, "%0*llu", (int)width, max + 2);
        if (strlen(v2) == width)
            return 0;
    }
    time_t now = time(NULL), later = now + 1;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(v1, size, "%Y%m%d%H%M%S", &tm);
    gmtime_r(&later, &tm);
    strftime(v2, size, "%Y%m%d%H%M%S", &tm);
    return 0;
}

/* A name made of lower-case letters, digits and _ (for file and
 * constraint names). */
static char *slug(const char *s, size_t max)
{
    StrBuf b = STRBUF_INIT;
    for (; *s && b.len < max; s++) {
        unsigned char ch = (unsigned char)*s;
        sb_appendc(&b, isalnum(ch) && ch < 0x80 ? (char)tolower(ch) : '_');
    }
    return sb_take(&b);
}

/* ---- PostgreSQL --------------------------------------------------------- */

static char *qrel(const Catalog *cat, const char *schema, const char *table)
{
    StrBuf b = STRBUF_INIT;
    if (cat->engine == DB_ENGINE_SQLITE) {
        char *t = catalog_quote_ident(cat, table);
        sb_append(&b, t);
        free(t);
    } else {
        ib_rel_text(&b, cat, schema, table, NULL, 0);
    }
    return sb_take(&b);
}

static void comment_head(StrBuf *b, const IntegrityCheck *ck)
{
    char *id = esc_dup(ck->id, 0);
    sb_appendf(b, "-- dbwarden: declares the relationship %s,\n-- inferred from the column's "
                  "name (dbwarden check).\n", id);
    free(id);
}

static void pg_texts(const Catalog *cat, const IntegrityCheck *ck, const char *con,
                     IntegrityFkMigration *m)
{
    char *t = qrel(cat, ck->schema, ck->table), *p = qrel(cat, ck->ref_schema, ck->ref_table);
    char *k = catalog_quote_ident(cat, ck->columns[0]);
    char *r = catalog_quote_ident(cat, ck->ref_columns[0]);
    char *qc = catalog_quote_ident(cat, con);
    StrBuf a = STRBUF_INIT, v = STRBUF_INIT;
    sb_append(&a, "-- migrate:up\n");
    comment_head(&a, ck);
    sb_appendf(&a, "-- NOT VALID: the rows already there are not checked here, so this takes "
                   "no long lock;\n-- the next migration validates them (it fails while "
                   "orphans remain: dbwarden check rows).\nALTER TABLE %s ADD CONSTRAINT %s "
                   "FOREIGN KEY (%s) REFERENCES %s (%s) NOT VALID;\n\n-- migrate:down\n"
                   "ALTER TABLE %s DROP CONSTRAINT %s;\n", t, qc, k, p, r, t, qc);
    sb_appendf(&v, "-- migrate:up\n-- dbwarden: validates the foreign key the previous "
                   "migration added NOT VALID\n-- (it reads the table under a lock that lets "
                   "writes go on).\nALTER TABLE %s VALIDATE CONSTRAINT %s;\n\n"
                   "-- migrate:down\n-- a validation cannot be undone: nothing to do\n"
                   "SELECT 1;\n", t, qc);
    m->texts[0] = sb_take(&a);
    m->texts[1] = sb_take(&v);
    free(t);
    free(p);
    free(k);
    free(r);
    free(qc);
}

/* ---- SQLite: the table made again -------------------------------------- */

/* The byte after a quoted name or string starting at s (s[0] the quote). */
static const char *skip_quoted(const char *s)
{
    char close = *s == '[' ? ']' : *s;
    for (s++; *s; s++)
        if (*s == close) {
            if (close != ']' && s[1] == close) {
                s++;
                continue;
            }
            return s + 1;
        }
    return s;
}

/* The column list's parentheses in a CREATE TABLE statement: *open at
 * '(' and *close at its ')'; false when not found. */
static bool body_span(const char *sql, const char **open, const char **close)
{
    int depth = 0;
    *open = NULL;
    for (const char *s = sql; *s;) {
        if (*s == '"' || *s == '`' || *s == '[' || *s == '\'') {
            s = skip_quoted(s);
            continue;
        }
        if (s[0] == '-' && s[1] == '-') {
            s += strcspn(s, "\n");
            continue;
        }
        if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            s = e ? e + 2 : s + strlen(s);
            continue;
        }
        if (*s == '(' && depth++ == 0)
            *open = s;
        if (*s == ')' && --depth == 0 && *open) {
            *close = s;
            return true;
        }
        s++;
    }
    return false;
}

/* The statements that make t again as new_sql says: new table, rows,
 * drop, rename, indexes, triggers. */
static void rebuild(StrBuf *b, const Catalog *cat, const CatTable *t, const char *body,
                    const char *tail)
{
    char *tmpname = xasprintf("%s__dbwarden_new", t->name);
    char *qt = catalog_quote_ident(cat, t->name), *qn = catalog_quote_ident(cat, tmpname);
    StrBuf cols = STRBUF_INIT;
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (t->columns[i].generated)
            continue;
        char *c = catalog_quote_ident(cat, t->columns[i].name);
        sb_appendf(&cols, "%s%s", cols.len ? ", " : "", c);
        free(c);
    }
    sb_appendf(b, "CREATE TABLE %s (%s)%s;\nINSERT INTO %s (%s) SELECT %s FROM %s;\n"
                  "DROP TABLE %s;\nPRAGMA legacy_alter_table = ON;\nALTER TABLE %s RENAME "
                  "TO %s;\nPRAGMA legacy_alter_table = OFF;\n", qn, body, tail, qn,
               sb_str(&cols), sb_str(&cols), qt, qt, qn, qt);
    for (size_t i = 0; i < t->nindexes; i++)
        if (!t->indexes[i].constraint && t->indexes[i].definition)
            sb_appendf(b, "%s;\n", t->indexes[i].definition);
    for (size_t i = 0; i < t->ntriggers; i++)
        if (t->triggers[i].definition)
            sb_appendf(b, "%s;\n", t->triggers[i].definition);
    sb_free(&cols);
    free(tmpname);
    free(qt);
    free(qn);
}

static int sqlite_texts(const Catalog *cat, const IntegrityCheck *ck, const char *con,
                        IntegrityFkMigration *m, DbError *err)
{
    const CatTable *t = catalog_find(cat, ck->schema, ck->table);
    const char *open = NULL, *close = NULL;
    if (!t || !t->sql || !body_span(t->sql, &open, &close)) {
        db_error_set(err, DB_ERR_USAGE, "the CREATE TABLE statement of %s cannot be read, so "
                     "no migration can make it again with the key", ck->table);
        return -1;
    }
    char *body = xstrndup(open + 1, (size_t)(close - open - 1));
    char *k = catalog_quote_ident(cat, ck->columns[0]);
    char *p = catalog_quote_ident(cat, ck->ref_table);
    char *r = catalog_quote_ident(cat, ck->ref_columns[0]);
    char *qc = catalog_quote_ident(cat, con);
    char *with = xasprintf("%s,\n    CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s)", body,
                           qc, k, p, r);
    StrBuf a = STRBUF_INIT;
    sb_append(&a, "-- migrate:up\n");
    comment_head(&a, ck);
    sb_append(&a, "-- SQLite adds a constraint only by making the table again: a new table "
                  "with the key,\n-- the rows copied, the old one dropped, the new one "
                  "renamed, its indexes and\n-- triggers made again.  Rows that break the key "
                  "are copied too: PRAGMA\n-- foreign_key_check lists them, and SQLite "
                  "checks the key only on connections\n-- that turn PRAGMA foreign_keys on.\n");
    rebuild(&a, cat, t, with, close + 1);
    sb_append(&a, "\n-- migrate:down\n");
    rebuild(&a, cat, t, body, close + 1);
    m->texts[0] = sb_take(&a);
    free(body);
    free(k);
    free(p);
    free(r);
    free(qc);
    free(with);
    return 0;
}

/* ---- plan and write ---------------------------------------------------- */

int integrity_fkmig_plan(const Catalog *cat, const IntegrityCheck *ck, const char *dir,
                         IntegrityFkMigration *m, DbError *err)
{
    memset(m, 0, sizeof *m);
    if (ck->kind != IK_INFERRED_KEY) {
        db_error_set(err, DB_ERR_USAGE, "%s is not an inferred relationship: a migration is "
                     "written only to declare one", ck->id);
        return -1;
    }
    char v1[32], v2[32];
    if (next_versions(dir, v1, v2, sizeof v1, err) != 0)
        return -1;
    m->dir = xstrdup(dir);
    char *t = slug(ck->table, 40), *col = slug(ck->columns[0], 40);
    char *con = xasprintf("%.50s_%s_fkey", ck->table, ck->columns[0]);
    m->names[0] = xasprintf("%s_add_fk_%s_%s.sql", v1, t, col);
    int rc = 0;
    if (cat->engine == DB_ENGINE_POSTGRES) {
        m->names[1] = xasprintf("%s_validate_fk_%s_%s.sql", v2, t, col);
        pg_texts(cat, ck, con, m);
    } else {
        rc = sqlite_texts(cat, ck, con, m, err);
    }
    free(t);
    free(col);
    free(con);
    return rc;
}

/* Writes text as dir/name, whole or not at all: a temporary file, flushed,
 * then linked to the name (never over a file of that name). */
static int write_new(const char *dir, const char *name, const char *text, DbError *err)
{
    char *path = xasprintf("%s/%s", dir, name), *tmp = xasprintf("%s/.%s.tmp-XXXXXX", dir, name);
    int fd = mkstemp(tmp), rc = -1;
    size_t len = strlen(text);
    if (fd < 0 || fchmod(fd, 0644) != 0 || write(fd, text, len) != (ssize_t)len ||
        fsync(fd) != 0 || link(tmp, path) != 0)
        db_error_set(err, DB_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    else
        rc = 0;
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    free(path);
    free(tmp);
    return rc;
}

int integrity_fkmig_write(const IntegrityFkMigration *m, DbError *err)
{
    if (write_new(m->dir, m->names[0], m->texts[0], err) != 0)
        return -1;
    if (m->names[1] && write_new(m->dir, m->names[1], m->texts[1], err) != 0) {
        char *first = xasprintf("%s/%s", m->dir, m->names[0]);
        unlink(first);   /* both or neither */
        free(first);
        return -1;
    }
    return 0;
}
