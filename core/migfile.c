/* migfile.c: see migfile.h. */
#include "migfile.h"
#include "rx.h"
#include "sqlsplit.h"
#include "strbuf.h"
#include "fsutil.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void migfile_sha256_hex(const char *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
        abort();
    for (unsigned int i = 0; i < mdlen && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
}

/* The first control character of s, or NULL. */
static const char *control_char(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return s;
    return NULL;
}

bool migfile_split_name(const char *filename, char **version, char **name)
{
    if (control_char(filename))
        return false;
    DbError e = DB_ERROR_INIT;
    Rx *rx = rx_compile("^([0-9]+)_([^/]+)\\.sql$", 0, &e);
    RxSpan caps[3];
    bool ok = rx && rx_match(rx, filename, strlen(filename), caps, 3);
    if (ok) {
        *version = xstrndup(filename + caps[1].start, caps[1].len);
        *name = xstrndup(filename + caps[2].start, caps[2].len);
    }
    rx_free(rx);
    db_error_clear(&e);
    return ok;
}

int migfile_line_of(const MigSection *s, size_t offset)
{
    int line = s->first_line;
    for (size_t i = 0; i < offset && s->sql[i]; i++)
        if (s->sql[i] == '\n')
            line++;
    return line;
}

/* Applies the options after a marker ("transaction:false"). */
static int marker_options(MigSection *sec, const char *opts, size_t n, const char *path,
                          int line, DbError *err)
{
    char *copy = xstrndup(opts, n), *save = NULL;
    int rc = 0;
    for (char *w = strtok_r(copy, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
        if (strcmp(w, "transaction:false") == 0)
            sec->transaction = false;
        else if (strcmp(w, "transaction:true") == 0)
            sec->transaction = true;
        else {
            db_error_set(err, DB_ERR_PARSE,
                         "%s:%d: unknown migration option '%s' (known: transaction:false)",
                         path, line, w);
            rc = -1;
            break;
        }
    }
    free(copy);
    return rc;
}

/* The first word of the statement at s, upper-cased into buf; returns the
 * text after it and the white space that follows. */
static const char *first_word(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    while (isalpha((unsigned char)s[n])) {
        if (n + 1 < size)
            buf[n] = (char)toupper((unsigned char)s[n]);
        n++;
    }
    buf[n < size ? n : size - 1] = '\0';
    s += n;
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* Does the statement at s end or start a transaction?  *what gets its
 * first word. */
static bool is_tx_control(const char *s, char what[16])
{
    char next[16];
    const char *after = first_word(first_word(s, what, 16), next, sizeof next);
    if (strcmp(what, "ROLLBACK") == 0 || strcmp(what, "ABORT") == 0) {
        if (strcmp(next, "WORK") == 0 || strcmp(next, "TRANSACTION") == 0)
            first_word(after, next, sizeof next);
        return strcmp(next, "TO") != 0; /* ROLLBACK TO SAVEPOINT stays inside */
    }
    if (strcmp(what, "START") == 0 || strcmp(what, "PREPARE") == 0)
        return strcmp(next, "TRANSACTION") == 0;
    return strcmp(what, "BEGIN") == 0 || strcmp(what, "COMMIT") == 0 ||
           strcmp(what, "END") == 0;
}

static int check_section_tx(const MigFile *f, const MigSection *sec, DbEngine engine,
                            DbError *err)
{
    if (!sec->present || !sec->transaction)
        return 0;
    const char *which = sec == &f->up ? "up" : "down";
    SqlStmt *st = NULL;
    size_t n = sqlsplit(engine, sec->sql, &st);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char w[16];
        if (!is_tx_control(sec->sql + st[i].start, w))
            continue;
        char *shown = xstrdup(f->path);
        db_error_set(err, DB_ERR_PARSE,
                     "%s:%d: %s in the %s section: dbwarden already runs it in a "
                     "transaction, and this would end that transaction early (%s's "
                     "rules); remove it, or write '-- migrate:%s transaction:false'",
                     shown, migfile_line_of(sec, st[i].start), w, which,
                     engine == DB_ENGINE_SQLITE ? "SQLite" : "PostgreSQL", which);
        free(shown);
        rc = -1;
    }
    free(st);
    return rc;
}

int migfile_check_tx(const MigFile *f, const MigSection *sec, DbEngine engine, DbError *err)
{
    if (sec)
        return check_section_tx(f, sec, engine, err);
    if (check_section_tx(f, &f->up, engine, err) != 0)
        return -1;
    return check_section_tx(f, &f->down, engine, err);
}

int migfile_parse(MigFile *out, const char *path, const char *text, size_t len, DbError *err)
{
    memset(out, 0, sizeof *out);
    out->path = xstrdup(path);
    const char *slash = strrchr(path, '/');
    out->filename = xstrdup(slash ? slash + 1 : path);
    out->up.transaction = out->down.transaction = true;
    char *shown = xstrdup(path);
    const char *ctl = control_char(out->filename);
    if (ctl) {
        db_error_set(err, DB_ERR_PARSE,
                     "%s: the file name holds a control character (byte 0x%02x); rename "
                     "the file: names go into messages and SQL comments", shown,
                     (unsigned char)*ctl);
        goto fail;
    }
    if (!migfile_split_name(out->filename, &out->version, &out->name)) {
        db_error_set(err, DB_ERR_PARSE,
                     "%s: a migration file is named <version>_<name>.sql with a numeric "
                     "version, e.g. 20260101120000_create_users.sql", shown);
        goto fail;
    }
    if (memchr(text, '\0', len)) {
        db_error_set(err, DB_ERR_PARSE, "%s: not a text file (it holds a NUL byte)", shown);
        goto fail;
    }
    DbError e = DB_ERROR_INIT;
    /* Any line that looks like a marker is one: a misspelt marker must be
     * an error, never SQL that runs in the wrong section. */
    Rx *marker = rx_compile("^\\s*--\\s*migrate\\s*:\\s*(\\w*)(.*)$", RX_CASELESS, &e);
    MigSection *cur = NULL;
    size_t cur_start = 0;
    int line = 1;
    int rc = 0;
    /* a UTF-8 byte-order mark is not part of the first line */
    size_t first = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (size_t pos = first; pos <= len && rc == 0;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t lend = end > pos && text[end - 1] == '\r' ? end - 1 : end;
        RxSpan caps[3];
        if (rx_match(marker, text + pos, lend - pos, caps, 3)) {
            char *kind = xstrndup(text + pos + caps[1].start, caps[1].len);
            MigSection *next = strcasecmp(kind, "up") == 0 ? &out->up
                             : strcasecmp(kind, "down") == 0 ? &out->down : NULL;
            if (!next) {
                db_error_set(err, DB_ERR_PARSE,
                             "%s:%d: unknown marker 'migrate:%s' (use -- migrate:up and "
                             "-- migrate:down)", shown, line, kind);
                rc = -1;
            } else if (next->present) {
                db_error_set(err, DB_ERR_PARSE, "%s:%d: a second '-- migrate:%s' section",
                             shown, line, kind);
                rc = -1;
            } else {
                if (cur)
                    cur->sql = xstrndup(text + cur_start, pos - cur_start);
                next->present = true;
                next->first_line = line + 1;
                rc = marker_options(next, text + pos + caps[2].start, caps[2].len, shown,
                                    line, err);
                cur = next;
                cur_start = nl ? end + 1 : len;
            }
            free(kind);
        }
        if (!nl)
            break;
        pos = end + 1;
        line++;
    }
    if (rc == 0 && cur)
        cur->sql = xstrndup(text + cur_start, len - cur_start);
    rx_free(marker);
    if (rc != 0)
        goto fail;
    if (!out->up.present) {
        db_error_set(err, DB_ERR_PARSE, "%s: no '-- migrate:up' line; a migration has "
                     "'-- migrate:up' and '-- migrate:down' sections", shown);
        goto fail;
    }
    if (!out->down.sql)
        out->down.sql = xstrdup("");
    migfile_sha256_hex(out->up.sql, strlen(out->up.sql), out->checksum);
    free(shown);
    return 0;
fail:
    free(shown);
    migfile_free(out);
    return -1;
}

int migfile_load(MigFile *out, const char *path, DbError *err)
{
    memset(out, 0, sizeof *out);
    size_t len = 0;
    char *text = fs_read_file(path, &len, err);
    if (!text)
        return -1;
    int rc = migfile_parse(out, path, text, len, err);
    free(text);
    return rc;
}

void migfile_free(MigFile *f)
{
    free(f->path);
    free(f->filename);
    free(f->version);
    free(f->name);
    free(f->up.sql);
    free(f->down.sql);
    memset(f, 0, sizeof *f);
}
