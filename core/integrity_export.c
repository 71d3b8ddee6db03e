/* integrity_export.c: a check's orphans written as CSV (RFC 4180) or JSON
 * (see integrity_rows.h). */
#include "integrity_rows.h"
#include "fsutil.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Rows fetched per statement while exporting. */
#define EXPORT_PAGE 1000

/* ---- CSV --------------------------------------------------------------- */

static void csv_field(FILE *out, const RowsCell *c)
{
    if (c->null)
        return;
    bool quote = false;
    for (size_t i = 0; i < c->len && !quote; i++)
        quote = c->text[i] == ',' || c->text[i] == '"' || c->text[i] == '\r' ||
                c->text[i] == '\n';
    if (!quote) {
        fwrite(c->text, 1, c->len, out);
        return;
    }
    fputc('"', out);
    for (size_t i = 0; i < c->len; i++) {
        if (c->text[i] == '"')
            fputc('"', out);
        fputc(c->text[i], out);
    }
    fputc('"', out);
}

static void csv_header(FILE *out, const IntegrityRowsPage *p)
{
    for (int i = 0; i < p->ncols; i++) {
        RowsCell c = { p->names[i], strlen(p->names[i]), false, false };
        if (i)
            fputc(',', out);
        csv_field(out, &c);
    }
    fputs("\r\n", out);
}

static void csv_rows(FILE *out, const IntegrityRowsPage *p, size_t n)
{
    for (size_t r = 0; r < n; r++) {
        for (int i = 0; i < p->ncols; i++) {
            if (i)
                fputc(',', out);
            csv_field(out, integrity_rows_cell(p, r, i));
        }
        fputs("\r\n", out);
    }
}

/* ---- JSON -------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t need = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
                : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (!need || need > n || (need == 2 && s[0] < 0xc2))
        return 0;
    for (size_t i = 1; i < need; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    uint32_t cp = need == 1 ? s[0] : need == 2 ? (uint32_t)(s[0] & 0x1f)
                : need == 3 ? (uint32_t)(s[0] & 0x0f) : (uint32_t)(s[0] & 0x07);
    for (size_t i = 1; i < need; i++)
        cp = (cp << 6) | (s[i] & 0x3f);
    if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return need;
}

static void json_str(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    for (size_t i = 0; i < len;) {
        unsigned char ch = p[i];
        if (ch == '"' || ch == '\\') {
            fputc('\\', out);
            fputc(ch, out);
        } else if (ch == '\n') {
            fputs("\\n", out);
        } else if (ch == '\r') {
            fputs("\\r", out);
        } else if (ch == '\t') {
            fputs("\\t", out);
        } else if (ch < 0x20 || ch == 0x7f) {
            fprintf(out, "\\u%04x", ch);
        } else if (ch >= 0x80) {
            size_t n = utf8_len(p + i, len - i);
            if (!n) {
                fputs("\\ufffd", out);
                i++;
                continue;
            }
            fwrite(p + i, 1, n, out);
            i += n;
            continue;
        } else {
            fputc(ch, out);
        }
        i++;
    }
    fputc('"', out);
}

static void json_names(FILE *out, const IntegrityRowsPage *p, bool keys_only)
{
    fputc('[', out);
    bool first = true;
    for (int i = 0; i < p->ncols; i++) {
        if (keys_only && !p->is_key[i])
            continue;
        if (!first)
            fputs(", ", out);
        json_str(out, p->names[i], strlen(p->names[i]));
        first = false;
    }
    fputc(']', out);
}

static void json_rows(FILE *out, const IntegrityRowsPage *p, size_t n, long long before)
{
    for (size_t r = 0; r < n; r++) {
        fputs(before + (long long)r ? ",\n    [" : "\n    [", out);
        for (int i = 0; i < p->ncols; i++) {
            const RowsCell *c = integrity_rows_cell(p, r, i);
            if (i)
                fputs(", ", out);
            if (c->null)
                fputs("null", out);
            else
                json_str(out, c->text, c->len);
        }
        fputc(']', out);
    }
}

/* ---- both ---------------------------------------------------------------- */

int integrity_export(DbConn *c, const IntegrityCheck *ck, IntegrityFormat fmt, FILE *out,
                     long limit, long long *written, DbError *err)
{
    IntegrityRowsCursor *cur = NULL;
    *written = 0;
    long page = limit > 0 && limit < EXPORT_PAGE ? limit : EXPORT_PAGE;
    if (integrity_rows_open(&cur, c, ck, (int)page, err) != 0)
        return -1;
    const IntegrityRowsPage *p = NULL;
    bool truncated = false, started = false;
    int rc = 0;
    while ((rc = integrity_rows_next(cur, &p, err)) == 0 && p->nrows > 0) {
        size_t n = p->nrows;
        if (limit > 0 && *written + (long long)n > limit)
            n = (size_t)(limit - *written);
        if (!started && fmt == INTEGRITY_CSV) {
            csv_header(out, p);
        } else if (!started) {
            fputs("{\n  \"check\": ", out);
            json_str(out, ck->id, strlen(ck->id));
            fputs(",\n  \"columns\": ", out);
            json_names(out, p, false);
            fputs(",\n  \"key_columns\": ", out);
            json_names(out, p, true);
            fputs(",\n  \"rows\": [", out);
        }
        started = true;
        if (fmt == INTEGRITY_CSV)
            csv_rows(out, p, n);
        else
            json_rows(out, p, n, *written);
        *written += (long long)n;
        if (limit > 0 && *written >= limit) {
            truncated = p->more || n < p->nrows;
            break;
        }
    }
    if (rc == 0 && fmt == INTEGRITY_JSON) {
        if (!started) {
            fputs("{\n  \"check\": ", out);
            json_str(out, ck->id, strlen(ck->id));
            fputs(",\n  \"columns\": [],\n  \"key_columns\": [],\n  \"rows\": [", out);
        }
        fprintf(out, "%s],\n  \"truncated\": %s\n}\n", *written ? "\n  " : "",
                truncated ? "true" : "false");
    }
    integrity_rows_close(cur);
    if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
        db_error_set(err, DB_ERR_IO, "cannot write the export: %s", strerror(errno));
        rc = -1;
    }
    return rc;
}

/* Creates tmp for writing (mode 0600); a leftover of this process under
 * that name is removed first.  NULL with err set. */
static FILE *create_tmp(const char *tmp, const char *path, DbError *err)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        db_error_set(err, DB_ERR_IO, "cannot write %s: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
    }
    return f;
}

int integrity_export_file(DbConn *c, const IntegrityCheck *ck, IntegrityFormat fmt,
                          const char *path, bool replace, long long *written, DbError *err)
{
    *written = 0;
    char *tmp = fs_temp_name(path);
    FILE *f = create_tmp(tmp, path, err);
    if (!f) {
        free(tmp);
        return -1;
    }
    int rc = integrity_export(c, ck, fmt, f, 0, written, err);
    if (fclose(f) != 0 && rc == 0) {
        db_error_set(err, DB_ERR_IO, "cannot write %s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc == 0)
        rc = fs_place(tmp, path, replace, err);   /* 1: path exists, kept */
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}
