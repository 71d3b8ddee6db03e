/* migrate.c: see migrate.h. */
#include "migrate_internal.h"
#include "strbuf.h"
#include "fsutil.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the folder ---------------------------------------------------- */

static int cmp_file(const void *a, const void *b)
{
    const MigFile *x = a, *y = b;
    int c = strcmp(x->version, y->version);
    return c ? c : strcmp(x->filename, y->filename);
}

static void add_bad(MigBadFile **arr, size_t *n, const char *path, const char *message)
{
    size_t cap = *n;   /* grown one at a time: bad files are few */
    *arr = xgrow(*arr, &cap, *n + 1, sizeof **arr);
    (*arr)[*n].path = xstrdup(path);
    (*arr)[*n].other = NULL;
    (*arr)[*n].message = xstrdup(message);
    (*n)++;
}

static void bad_files_free(MigBadFile *arr, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(arr[i].path);
        free(arr[i].other);
        free(arr[i].message);
    }
    free(arr);
}

/* Two files of one version: neither is used, one bad file names both. */
static void drop_duplicates(MigDir *d)
{
    size_t k = 0;
    for (size_t i = 0; i < d->count;) {
        size_t j = i + 1;
        while (j < d->count && strcmp(d->files[i].version, d->files[j].version) == 0)
            j++;
        if (j - i == 1) {
            d->files[k++] = d->files[i++];
            continue;
        }
        char *msg = xasprintf("two migrations have version %s: %s and %s; give one of them "
                              "a new version", d->files[i].version, d->files[i].path,
                              d->files[i + 1].path);
        add_bad(&d->bad, &d->nbad, d->files[i].path, msg);
        d->bad[d->nbad - 1].other = xstrdup(d->files[i + 1].path);
        free(msg);
        for (; i < j; i++)
            migfile_free(&d->files[i]);
    }
    d->count = k;
}

int migrate_load_dir(MigDir *out, const char *dir, DbError *err)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (!d) {
        db_error_set(err, DB_ERR_IO, "cannot read the migrations folder %s: %s", dir,
                     strerror(errno));
        return -1;
    }
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !str_ends_with(de->d_name, ".sql"))
            continue;
        char *path = xasprintf("%s/%s", dir, de->d_name);
        out->files = xgrow(out->files, &cap, out->count + 1, sizeof *out->files);
        DbError e = DB_ERROR_INIT;
        if (migfile_load(&out->files[out->count], path, &e) == 0)
            out->count++;
        else
            add_bad(&out->bad, &out->nbad, path, e.message ? e.message : "cannot be read");
        db_error_clear(&e);
        free(path);
    }
    closedir(d);
    if (out->count) {
        qsort(out->files, out->count, sizeof *out->files, cmp_file);
        drop_duplicates(out);
    }
    out->path = xstrdup(dir);
    return 0;
}

void migrate_dir_free(MigDir *d)
{
    for (size_t i = 0; i < d->count; i++)
        migfile_free(&d->files[i]);
    bad_files_free(d->bad, d->nbad);
    free(d->files);
    free(d->path);
    memset(d, 0, sizeof *d);
}

/* ---- the version table --------------------------------------------- */

const char *migrate_state_name(MigState s)
{
    switch (s) {
    case MIG_APPLIED: return "applied";
    case MIG_PENDING: return "pending";
    case MIG_MISSING: return "missing";
    case MIG_CHANGED: return "changed";
    case MIG_OUT_OF_ORDER: return "out_of_order";
    case MIG_FAILED: return "failed";
    }
    return "unknown";
}

const char *migrate_create_table_sql(DbEngine e)
{
    return e == DB_ENGINE_POSTGRES
        ? "CREATE TABLE IF NOT EXISTS " MIGRATE_TABLE " (\n"
          "  version     text PRIMARY KEY,\n"
          "  name        text NOT NULL,\n"
          "  checksum    text NOT NULL,\n"
          "  applied_at  timestamptz NOT NULL DEFAULT now(),\n"
          "  duration_ms bigint NOT NULL,\n"
          "  applied_by  text NOT NULL)"
        : "CREATE TABLE IF NOT EXISTS " MIGRATE_TABLE " (\n"
          "  version     TEXT PRIMARY KEY,\n"
          "  name        TEXT NOT NULL,\n"
          "  checksum    TEXT NOT NULL,\n"
          "  applied_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),\n"
          "  duration_ms INTEGER NOT NULL,\n"
          "  applied_by  TEXT NOT NULL)";
}

typedef struct Applied {
    MigEntry *rows;
    size_t    count, cap;
} Applied;

static int collect_applied(void *ctx, const DbRow *row)
{
    Applied *a = ctx;
    a->rows = xgrow(a->rows, &a->cap, a->count + 1, sizeof *a->rows);
    MigEntry *e = &a->rows[a->count++];
    memset(e, 0, sizeof *e);
    e->version = xstrdup(row->values[0] ? row->values[0] : "");
    e->name = xstrdup(row->values[1] ? row->values[1] : "");
    e->checksum = xstrdup(row->values[2] ? row->values[2] : "");
    e->applied_at = xstrdup(row->values[3] ? row->values[3] : "");
    e->duration_ms = row->values[4] ? atol(row->values[4]) : -1;
    e->applied_by = xstrdup(row->values[5] ? row->values[5] : "");
    e->state = MIG_APPLIED;
    return 0;
}

static int read_applied(DbConn *c, Applied *a, bool *exists, DbError *err)
{
    if (db_table_exists(c, MIGRATE_TABLE, exists, err) != 0)
        return -1;
    if (!*exists)
        return 0;
    const char *sql = db_engine(c) == DB_ENGINE_POSTGRES
        ? "/* migrations: applied versions */ SELECT version, name, checksum, "
          "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), duration_ms, "
          "applied_by FROM " MIGRATE_TABLE " ORDER BY version"
        : "/* migrations: applied versions */ SELECT version, name, checksum, applied_at, "
          "duration_ms, applied_by FROM " MIGRATE_TABLE " ORDER BY version";
    return db_query(c, "migrations: applied versions", sql, NULL, collect_applied, a, err);
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const MigEntry *)a)->version, ((const MigEntry *)b)->version);
}

const MigFile *migrate_find_file(const MigDir *dir, const char *version)
{
    for (size_t i = 0; dir && i < dir->count; i++)
        if (strcmp(dir->files[i].version, version) == 0)
            return &dir->files[i];
    return NULL;
}

/* Marks the failed migrations: the pending entry of each version, or a
 * new entry when it has none (no file, or no folder). */
static void merge_failures(Applied *a, const MigFailure *f, size_t nf)
{
    for (size_t k = 0; k < nf; k++) {
        MigEntry *e = NULL;
        for (size_t i = 0; i < a->count && !e; i++)
            if (strcmp(a->rows[i].version, f[k].version) == 0)
                e = &a->rows[i];
        if (e && e->state != MIG_PENDING && e->state != MIG_OUT_OF_ORDER)
            continue;
        if (!e) {
            a->rows = xgrow(a->rows, &a->cap, a->count + 1, sizeof *a->rows);
            e = &a->rows[a->count++];
            memset(e, 0, sizeof *e);
            e->version = xstrdup(f[k].version);
            e->name = xstrdup(f[k].name);
            e->duration_ms = -1;
        }
        e->state = MIG_FAILED;
        e->failed_line = f[k].line;
        e->failed_error = xstrdup(f[k].error);
        e->failed_at = xstrdup(f[k].failed_at);
        e->failed_by = xstrdup(f[k].failed_by);
    }
}

/* The folder's bad files, then every file whose transactional sections
 * would end dbwarden's transaction, by c's engine (migfile_check_tx). */
static void check_files(DbConn *c, const MigDir *dir, MigStatus *out)
{
    for (size_t i = 0; dir && i < dir->nbad; i++) {
        add_bad(&out->bad, &out->nbad, dir->bad[i].path, dir->bad[i].message);
        if (dir->bad[i].other)
            out->bad[out->nbad - 1].other = xstrdup(dir->bad[i].other);
    }
    for (size_t i = 0; dir && i < dir->count; i++) {
        DbError e = DB_ERROR_INIT;
        if (migfile_check_tx(&dir->files[i], NULL, db_engine(c), &e) != 0)
            add_bad(&out->bad, &out->nbad, dir->files[i].path, e.message);
        db_error_clear(&e);
    }
}

int migrate_refuse_bad_files(const MigBadFile *bad, size_t nbad, DbError *err)
{
    if (nbad == 0)
        return 0;
    db_error_set(err, DB_ERR_PARSE, "%s%s; nothing was planned: fix %s first (dbwarden status "
                 "lists %s)", bad[0].message,
                 nbad > 1 ? " (and more files that cannot be used)" : "",
                 nbad > 1 ? "them" : "it", nbad > 1 ? "them" : "it");
    return -1;
}

int migrate_status(DbConn *c, const MigDir *dir, MigStatus *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    check_files(c, dir, out);
    Applied a = { NULL, 0, 0 };
    MigFailure *failed = NULL;
    size_t nfailed = 0;
    if (read_applied(c, &a, &out->table_exists, err) != 0 ||
        migrate_read_failures(c, &failed, &nfailed, err) != 0) {
        out->items = a.rows;
        out->count = a.count;
        migrate_status_free(out);
        return -1;
    }
    /* Applied rows, judged against the folder. */
    for (size_t i = 0; i < a.count; i++) {
        MigEntry *e = &a.rows[i];
        e->file = migrate_find_file(dir, e->version);
        if (!e->file)
            e->state = dir ? MIG_MISSING : MIG_APPLIED;  /* no folder: nothing to miss */
        else if (strcmp(e->file->checksum, e->checksum) != 0)
            e->state = MIG_CHANGED;
    }
    const char *newest = a.count ? a.rows[a.count - 1].version : NULL;
    /* Files not applied. */
    size_t applied_rows = a.count;
    for (size_t i = 0; dir && i < dir->count; i++) {
        const MigFile *f = &dir->files[i];
        bool done = false;
        for (size_t k = 0; k < applied_rows && !done; k++)
            done = strcmp(a.rows[k].version, f->version) == 0;
        if (done)
            continue;
        a.rows = xgrow(a.rows, &a.cap, a.count + 1, sizeof *a.rows);
        MigEntry *e = &a.rows[a.count++];
        memset(e, 0, sizeof *e);
        e->version = xstrdup(f->version);
        e->name = xstrdup(f->name);
        e->file = f;
        e->duration_ms = -1;
        e->state = newest && strcmp(f->version, newest) < 0 ? MIG_OUT_OF_ORDER : MIG_PENDING;
    }
    merge_failures(&a, failed, nfailed);
    migrate_failures_free(failed, nfailed);
    if (a.count)
        qsort(a.rows, a.count, sizeof *a.rows, cmp_entry);
    out->items = a.rows;
    out->count = a.count;
    out->current = xstrdup(newest);
    for (size_t i = 0; i < out->count; i++) {
        MigState s = out->items[i].state;
        if (s == MIG_PENDING || s == MIG_OUT_OF_ORDER || s == MIG_FAILED)
            out->pending++;
        else
            out->applied++;
        if (s != MIG_PENDING && s != MIG_APPLIED)
            out->problems++;
    }
    out->problems += out->nbad;
    return 0;
}

char *migrate_problem_text(const MigEntry *e)
{
    const char *text = NULL;
    char *failed = NULL;
    switch (e->state) {
    case MIG_MISSING: text = "applied, but no file in the migrations folder has this version"; break;
    case MIG_CHANGED: text = "applied, but its up section changed since (checksum differs)"; break;
    case MIG_OUT_OF_ORDER: text = "pending, but older than the newest applied version"; break;
    case MIG_FAILED:
        failed = xasprintf("failed half way at line %d%s%s on %s (%s); the statements before it "
                           "stay applied: fix by hand, then `dbwarden stamp %s`",
                           e->failed_line, e->file ? " of " : "", e->file ? e->file->path : "",
                           e->failed_at ? e->failed_at : "?",
                           e->failed_error ? e->failed_error : "", e->version);
        text = failed;
        break;
    default: return NULL;
    }
    char *msg = xasprintf("%s %s: %s", e->version, e->name, text);
    free(failed);
    return msg;
}

void migrate_status_free(MigStatus *s)
{
    for (size_t i = 0; i < s->count; i++) {
        MigEntry *e = &s->items[i];
        free(e->version);
        free(e->name);
        free(e->applied_at);
        free(e->applied_by);
        free(e->checksum);
        free(e->failed_error);
        free(e->failed_at);
        free(e->failed_by);
    }
    free(s->items);
    free(s->current);
    bad_files_free(s->bad, s->nbad);
    memset(s, 0, sizeof *s);
}

int migrate_refuse_failed(const MigStatus *st, DbError *err)
{
    for (size_t i = 0; i < st->count; i++) {
        const MigEntry *e = &st->items[i];
        if (e->state == MIG_FAILED) {
            migrate_failed_error(err, e->version, e->name, e->file ? e->file->path : NULL,
                                 e->failed_line);
            return -1;
        }
    }
    return 0;
}

