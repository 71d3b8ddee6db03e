/* seed_files.c: the SQL seed files: every *.sql of [seed] dir in name
 * order (or one FILE), each in its own transaction, its new rows recorded
 * in the ledger (see seed.h).
 *
 * A file's rows are found by their keys: for every table the file names
 * (its name appears in the text) that has a one-column integer primary
 * key, the count and the largest key before the file runs, and after it
 * the keys above that largest one (PostgreSQL runs the file in a
 * REPEATABLE READ snapshot, so rows others commit meanwhile are not seen).
 * When the count grew by more or less than those keys (the file inserted
 * below the existing keys, or deleted rows), or a table without such a key
 * changed, the file is rolled back: its rows could not be told apart from
 * the others.  A file seeded before with the same SHA-256 is skipped; a
 * changed one runs again (its INSERTs should skip what exists: ON CONFLICT
 * DO NOTHING, INSERT OR IGNORE). */
#include "catalog.h"
#include "fsutil.h"
#include "migfile.h"
#include "seed_internal.h"
#include "xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.sql files of dir, sorted by name (caller frees each and the array). */
static int list_dir(const char *dir, char ***out, size_t *n, DbError *err)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        db_error_set(err, DB_ERR_IO, "cannot read the seed folder %s ([seed] dir)", dir);
        return -1;
    }
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !str_ends_with(e->d_name, ".sql"))
            continue;
        *out = xgrow(*out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = xasprintf("%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (*n)
        qsort(*out, *n, sizeof **out, cmp_str);
    return 0;
}

typedef struct Prior {
    long long same, last;   /* a run with this checksum; the last run of the file */
    const char *checksum;
} Prior;

static int take_prior(void *ctx, const DbRow *row)
{
    Prior *p = ctx;
    long long id = atoll(row->values[0]);
    p->last = id;
    if (row->values[1] && strcmp(row->values[1], p->checksum) == 0)
        p->same = id;
    return 0;
}

static int plan_file(DbConn *c, bool ledger, SeedFilePlan *f, DbError *err)
{
    size_t len = 0;
    char *text = fs_read_file(f->path, &len, err);
    if (!text)
        return -1;
    migfile_sha256_hex(text, len, f->checksum);
    free(text);
    if (!ledger)
        return 0;
    const char *v[1] = { f->name };
    DbParams p = { 1, v };
    Prior pr = { 0, 0, f->checksum };
    if (db_query(c, "seed: runs of a file", "/* seed: runs of a file */ SELECT id, checksum "
                 "FROM " SEED_RUNS_TABLE " WHERE set_name = 'file' AND source = $1 ORDER BY id",
                 &p, take_prior, &pr, err) != 0)
        return -1;
    f->seeded_run = pr.same ? pr.same : pr.last;
    f->changed = !pr.same && pr.last;
    return 0;
}

int seed_files_plan(DbConn *c, const SeedSettings *cfg, SeedPlan *p, DbError *err)
{
    char **paths = NULL;
    size_t n = 0;
    if (p->req.kind == SEED_FILE) {
        paths = xcalloc(1, sizeof *paths);
        paths[0] = xstrdup(p->req.file);
        n = 1;
    } else if (list_dir(cfg->dir, &paths, &n, err) != 0) {
        return -1;
    }
    bool ledger = false;
    int rc = seed_ledger_exists(c, &ledger, err);
    p->files = xcalloc(n ? n : 1, sizeof *p->files);
    for (size_t i = 0; i < n; i++) {
        SeedFilePlan *f = &p->files[p->nfiles++];
        f->path = paths[i];
        const char *slash = strrchr(f->path, '/');
        f->name = xstrdup(slash ? slash + 1 : f->path);
        if (rc == 0)
            rc = plan_file(c, ledger, f, err);
    }
    free(paths);
    p->rows = -1;
    return rc;
}

/* ---- a run ---------------------------------------------------------------- */

typedef struct Watch {
    const CatTable *t;
    const char *key;        /* its one-column integer key, or NULL */
    long long count, max;   /* before the file */
    SeedRanges keys;        /* after: the new ones */
} Watch;

/* Does text name table (as a word, without regard to ASCII case)? */
static bool names_table(const char *text, const char *table)
{
    size_t n = strlen(table);
    for (const char *p = text; (p = strcasestr(p, table)) != NULL; p++) {
        bool before = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        bool after = !(isalnum((unsigned char)p[n]) || p[n] == '_');
        if (before && after)
            return true;
    }
    return false;
}

static const char *integer_key(const CatTable *t)
{
    for (size_t i = 0; i < t->nconstraints; i++) {
        const CatConstraint *k = &t->constraints[i];
        if (k->type != CAT_CON_PRIMARY_KEY || k->ncolumns != 1)
            continue;
        for (size_t j = 0; j < t->ncolumns; j++)
            if (strcmp(t->columns[j].name, k->columns[0]) == 0 &&
                strcasestr(t->columns[j].type, "int"))
                return t->columns[j].name;
    }
    return NULL;
}

static int count_and_max(DbConn *c, Watch *w, long long *count, long long *max, DbError *err)
{
    char *qt = db_quote_ident(c, w->t->name);
    char *qk = w->key ? db_quote_ident(c, w->key) : NULL;
    char *sql = qk ? xasprintf("/* seed: rows of %s */ SELECT count(*) || ' ' || "
                               "coalesce(max(%s), 0) FROM %s", w->t->name, qk, qt)
                   : xasprintf("/* seed: rows of %s */ SELECT count(*) || ' 0' FROM %s",
                               w->t->name, qt);
    char *v = NULL;
    int rc = db_query_value(c, "seed: rows of a table", sql, NULL, &v, err);
    if (rc == 0 && v)
        sscanf(v, "%lld %lld", count, max);
    free(v);
    free(sql);
    free(qt);
    free(qk);
    return rc;
}

static int take_key(void *ctx, const DbRow *row)
{
    seed_ranges_add(ctx, atoll(row->values[0]));
    return 0;
}

/* After the file: its new keys, and the counts agree with them. */
static int collect_new(DbConn *c, const char *file, Watch *w, long long *rows, DbError *err)
{
    long long count = 0, max = 0;
    if (count_and_max(c, w, &count, &max, err) != 0)
        return -1;
    if (!w->key) {
        if (count == w->count)
            return 0;
        db_error_set(err, DB_ERR_SQL, "%s changed the rows of %s, which has no one-column "
                     "integer primary key: the ledger could not record them; the file was "
                     "rolled back", file, w->t->name);
        return -1;
    }
    char *qt = db_quote_ident(c, w->t->name), *qk = db_quote_ident(c, w->key);
    char *sql = xasprintf("/* seed: new keys of %s */ SELECT %s FROM %s WHERE %s > "
                          "CAST($1 AS bigint) ORDER BY %s", w->t->name, qk, qt, qk, qk);
    char smax[32];
    snprintf(smax, sizeof smax, "%lld", w->max);
    const char *v[1] = { smax };
    DbParams p = { 1, v };
    int rc = db_query(c, "seed: new keys", sql, &p, take_key, &w->keys, err);
    free(sql);
    free(qt);
    free(qk);
    if (rc != 0)
        return -1;
    if (count - w->count != w->keys.count) {
        db_error_set(err, DB_ERR_SQL, "%s added %lld rows to %s but only %lld above the keys "
                     "it had (it inserted below them, or deleted rows): the ledger could not "
                     "tell its rows apart; the file was rolled back", file,
                     count - w->count, w->t->name, w->keys.count);
        return -1;
    }
    *rows += w->keys.count;
    return 0;
}

/* "file:line: message" from the offset of the failing statement. */
static void locate(DbError *err, const char *name, const char *text, size_t failed_at)
{
    size_t at = err->position >= 0 ? (size_t)err->position : failed_at;
    int line = 1;
    for (size_t i = 0; i < at && text[i]; i++)
        line += text[i] == '\n';
    db_error_prefix(err, "%s:%d", name, line);
}

typedef struct FileRun {
    DbConn       *c;
    SeedFilePlan *f;
    const Catalog *cat;
    Watch        *w;
    size_t        nw;
    char         *text;
    long long     rows;
} FileRun;

static int watch_tables(FileRun *r, DbError *err)
{
    r->w = xcalloc(r->cat->count + 1, sizeof *r->w);
    for (size_t i = 0; i < r->cat->count; i++) {
        const CatTable *t = &r->cat->tables[i];
        if (t->kind != CAT_KIND_TABLE || strncmp(t->name, "dbwarden_", 9) == 0 ||
            !names_table(r->text, t->name))
            continue;
        Watch *w = &r->w[r->nw++];
        w->t = t;
        w->key = integer_key(t);
        if (count_and_max(r->c, w, &w->count, &w->max, err) != 0)
            return -1;
    }
    return 0;
}

static int record_file(FileRun *r, long ms, long long *run_id, DbError *err)
{
    SeedRunRow row = { "file", -1, -1, r->f->name, r->f->checksum, r->rows, ms };
    if (seed_ledger_add_run(r->c, &row, run_id, err) != 0)
        return -1;
    for (size_t i = 0; i < r->nw; i++) {
        Watch *w = &r->w[i];
        if (!w->key || w->keys.count == 0)
            continue;
        seed_ranges_normalize(&w->keys);
        if (seed_ledger_add_keys(r->c, *run_id, w->t->name, w->key, NULL, &w->keys,
                                 w->keys.r[0].lo, w->keys.r[w->keys.n - 1].hi, NULL, err) != 0)
            return -1;
    }
    return 0;
}

static int run_one(DbConn *c, const Catalog *cat, SeedFilePlan *f, const ActionEvents *ev,
                   long long *run_id, long long *rows, DbError *err)
{
    FileRun r = { c, f, cat, NULL, 0, NULL, 0 };
    long t0 = seed_now_ms();
    size_t len = 0;
    char sum[65];
    r.text = fs_read_file(f->path, &len, err);
    if (!r.text)
        return -1;
    migfile_sha256_hex(r.text, len, sum);
    int rc = 0;
    if (strcmp(sum, f->checksum) != 0) {
        db_error_set(err, DB_ERR_BUSY, "%s changed since the plan: it did not run", f->name);
        rc = -1;
    }
    bool pg = db_engine(c) == DB_ENGINE_POSTGRES;
    if (rc == 0)
        rc = pg ? db_exec(c, "seed: begin", "/* seed: a file's snapshot */ BEGIN ISOLATION "
                          "LEVEL REPEATABLE READ", NULL, err)
                : db_begin(c, true, err);
    bool open = rc == 0;
    if (rc == 0)
        rc = seed_ledger_create(c, err);
    if (rc == 0)
        rc = watch_tables(&r, err);
    if (rc == 0) {
        size_t failed_at = 0;
        bool committed = false;
        rc = db_exec_script_in_tx(c, "seed: file", r.text, &failed_at, &committed, err);
        if (rc != 0) {
            locate(err, f->name, r.text, failed_at);
            open = !committed;
        }
    }
    for (size_t i = 0; i < r.nw && rc == 0; i++)
        rc = collect_new(c, f->name, &r.w[i], &r.rows, err);
    if (rc == 0 && seed_cancelled(ev))
        rc = seed_cancel_error(err);
    if (rc == 0)
        rc = record_file(&r, seed_now_ms() - t0, run_id, err);
    if (rc == 0)
        rc = db_commit(c, err);
    if (rc != 0 && open)
        db_rollback(c);
    *rows = rc == 0 ? r.rows : 0;
    for (size_t i = 0; i < r.nw; i++)
        seed_ranges_free(&r.w[i].keys);
    free(r.w);
    free(r.text);
    return rc;
}

int seed_files_run(DbConn *c, SeedPlan *p, const ActionEvents *ev, SeedOutcome *out,
                   DbError *err)
{
    long t0 = seed_now_ms();
    Catalog *cat = NULL;
    if (catalog_load(c, &cat, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < p->nfiles && rc == 0; i++) {
        SeedFilePlan *f = &p->files[i];
        if (f->seeded_run && !f->changed)
            continue;
        if (seed_cancelled(ev)) {
            rc = seed_cancel_error(err);
            break;
        }
        if (ev && ev->progress)
            ev->progress(ev->ctx, i, p->nfiles, f->name);
        long long run = 0, rows = 0;
        rc = run_one(c, cat, f, ev, &run, &rows, err);
        if (rc == 0) {
            f->done_run = run;
            out->run_id = run;
            out->inserted += rows;
            out->files_run++;
        } else if (out->files_run) {
            db_error_prefix(err, "%zu file%s before it stayed seeded", out->files_run,
                            out->files_run == 1 ? "" : "s");
        }
    }
    catalog_free(cat);
    out->ms = seed_now_ms() - t0;
    return rc;
}

int seed_files_verify(DbConn *c, const SeedPlan *p, const SeedOutcome *o, DbError *err)
{
    (void)o;
    for (size_t i = 0; i < p->nfiles; i++) {
        const SeedFilePlan *f = &p->files[i];
        if (!f->done_run)
            continue;
        long long recorded = 0, found = 0;
        if (seed_verify_run(c, f->done_run, &recorded, &found, err) != 0)
            return -1;
        if (found != recorded) {
            db_error_set(err, DB_ERR_SQL, "after %s the ledger records %lld rows and the "
                         "tables hold %lld of them", f->name, recorded, found);
            return -1;
        }
    }
    return 0;
}
