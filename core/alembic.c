/* alembic.c: an Alembic project loaded from disk, and its state in a
 * database (see alembic.h). */
#include "alembic.h"
#include "strv.h"
#include "alembic_internal.h"
#include "rx.h"
#include "strbuf.h"
#include "fsutil.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- files ---------------------------------------------------------- */

typedef struct FileList {
    char  **paths;     /* owned */
    char  **real;      /* owned: realpath, to skip a file seen twice */
    bool   *compiled;  /* a .pyc/.pyo (sourceless = true) */
    size_t  count, cap, rcap, ccap;
} FileList;

static bool seen(const FileList *fl, const char *real)
{
    for (size_t i = 0; i < fl->count; i++)
        if (strcmp(fl->real[i], real) == 0)
            return true;
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool path_exists(const char *dir, const char *name, const char *suffix)
{
    char *p = xasprintf("%s/%s%s", dir, name, suffix);
    struct stat st;
    bool ok = stat(p, &st) == 0;
    free(p);
    return ok;
}

/* The folder's entries, sorted (newer Alembic sorts them; 1.8 takes the
 * file system's order, which is not defined).  Owned, NULL-terminated. */
static char **sorted_entries(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    if (!d)
        return NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        v = xgrow(v, &cap, *n + 2, sizeof *v);
        v[(*n)++] = xstrdup(e->d_name);
        v[*n] = NULL;
    }
    closedir(d);
    if (*n)
        qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

static void add_file(FileList *fl, char *path, bool compiled)
{
    char real[PATH_MAX];
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || !realpath(path, real) ||
        seen(fl, real)) {
        free(path);
        return;
    }
    fl->paths = xgrow(fl->paths, &fl->cap, fl->count + 1, sizeof *fl->paths);
    fl->real = xgrow(fl->real, &fl->rcap, fl->count + 1, sizeof *fl->real);
    fl->compiled = xgrow(fl->compiled, &fl->ccap, fl->count + 1, sizeof *fl->compiled);
    fl->paths[fl->count] = path;
    fl->compiled[fl->count] = compiled;
    fl->real[fl->count++] = xstrdup(real);
}

/* Whether Alembic reads name in dir: *.py, not __init__* nor an editor
 * lock file (.#*); with sourceless also *.pyc and *.pyo when no .py (nor,
 * for .pyo, a .pyc) of the same name is there (_from_filename). */
static bool picked(const Rx *pick, bool sourceless, const char *dir, const char *name,
                   bool *compiled)
{
    size_t n = strlen(name);
    *compiled = false;
    if (!rx_match(pick, name, n, NULL, 0))
        return false;
    if (n > 3 && strcmp(name + n - 3, ".py") == 0)
        return true;
    if (!sourceless)
        return false;
    char *py = xstrndup(name, n - 1);
    bool shadowed = path_exists(dir, py, "") ||
                    (name[n - 1] == 'o' && path_exists(dir, py, "c"));
    free(py);
    *compiled = true;
    return !shadowed;
}

/* Revision files in dir in Alembic's reading order: the folder's files
 * sorted, then (sourceless) compiled files in __pycache__ whose name is
 * not that of an entry of the folder, then subfolders when recursive. */
static void list_dir(FileList *fl, const Rx *pick, bool sourceless, const char *dir,
                     bool recursive, int depth)
{
    size_t n = 0;
    char **names = sorted_entries(dir, &n);
    for (size_t i = 0; i < n; i++) {
        bool compiled;
        if (picked(pick, sourceless, dir, names[i], &compiled))
            add_file(fl, alembic_path_join(dir, names[i]), compiled);
    }
    char *cache = alembic_path_join(dir, "__pycache__");
    size_t nc = 0;
    char **cached = sourceless ? sorted_entries(cache, &nc) : NULL;
    for (size_t i = 0; i < nc; i++) {
        size_t stem = strcspn(cached[i], ".");
        bool shadowed = false;
        for (size_t k = 0; k < n && !shadowed; k++)
            shadowed = strcspn(names[k], ".") == stem && strncmp(names[k], cached[i], stem) == 0;
        bool compiled;
        if (!shadowed && picked(pick, true, cache, cached[i], &compiled))
            add_file(fl, alembic_path_join(cache, cached[i]), compiled);
    }
    strv_free(cached);
    free(cache);
    for (size_t i = 0; recursive && depth < 32 && i < n; i++) {
        char *sub = alembic_path_join(dir, names[i]);
        struct stat st;
        if (strcmp(names[i], "__pycache__") != 0 && stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            list_dir(fl, pick, sourceless, sub, recursive, depth + 1);
        free(sub);
    }
    strv_free(names);
}

static bool dir_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int alembic_project_load(AlembicProject *out, const char *path, DbError *err)
{
    memset(out, 0, sizeof *out);
    FileList fl = { 0 };
    AlembicRevision *revs = NULL;
    Rx *pick = NULL;
    if (alembic_config_load(&out->config, path, err) != 0)
        return -1;
    const AlembicConfig *cfg = &out->config;
    size_t existing = 0;
    for (size_t i = 0; i < cfg->nlocations; i++)
        existing += dir_exists(cfg->version_locations[i]);
    if (existing == 0) {
        StrBuf b = STRBUF_INIT;
        for (size_t i = 0; i < cfg->nlocations; i++)
            sb_appendf(&b, "%s%s", i ? ", " : "", cfg->version_locations[i]);
        db_error_set(err, DB_ERR_IO, "no version folder of %s exists (%s); create it or "
                     "correct script_location / version_locations", cfg->ini_path ?
                     cfg->ini_path : path, sb_str(&b));
        sb_free(&b);
        goto fail;
    }
    /* Alembic's _only_source_rev_file, or _sourceless_rev_file */
    pick = rx_compile(cfg->sourceless ? "^(?!\\.#|__init__).*\\.py[co]?$"
                                      : "^(?!\\.#|__init__).*\\.py$", 0, err);
    if (!pick)
        goto fail;
    for (size_t i = 0; i < cfg->nlocations; i++)
        list_dir(&fl, pick, cfg->sourceless, cfg->version_locations[i], cfg->recursive, 0);
    revs = xcalloc(fl.count + 1, sizeof *revs);
    for (size_t i = 0; i < fl.count; i++) {
        if (fl.compiled[i]) {
            revs[i].file = xstrdup(fl.paths[i]);
            revs[i].unreadable = xstrdup("a compiled revision file (sourceless = true): "
                                         "dbwarden reads only Python source; keep the .py "
                                         "file beside it");
            continue;
        }
        size_t len = 0;
        DbError rerr = DB_ERROR_INIT;
        char *text = fs_read_file(fl.paths[i], &len, &rerr);
        if (!text) {
            memset(&revs[i], 0, sizeof revs[i]);
            revs[i].file = xstrdup(fl.paths[i]);
            revs[i].unreadable = xstrdup(rerr.message);
            db_error_clear(&rerr);
            continue;
        }
        alembic_revision_parse(&revs[i], fl.paths[i], text, len);
        free(text);
    }
    alembic_graph_build(&out->graph, revs, fl.count);
    for (size_t i = 0; i < fl.count; i++) {
        free(fl.paths[i]);
        free(fl.real[i]);
    }
    free(fl.paths);
    free(fl.real);
    free(fl.compiled);
    rx_free(pick);
    return 0;
fail:
    rx_free(pick);
    alembic_config_free(&out->config);
    return -1;
}

void alembic_project_free(AlembicProject *p)
{
    if (!p)
        return;
    alembic_config_free(&p->config);
    alembic_graph_free(&p->graph);
}

/* ---- the database --------------------------------------------------- */

typedef struct IdList {
    char  **ids;
    size_t  count, cap;
} IdList;

static int on_version_row(void *ctx, const DbRow *row)
{
    IdList *l = ctx;
    if (row->ncols < 1 || !row->values[0])
        return 0;
    l->ids = xgrow(l->ids, &l->cap, l->count + 1, sizeof *l->ids);
    l->ids[l->count++] = xstrdup(row->values[0]);
    return 0;
}

void alembic_status_from_current(AlembicStatus *out, const AlembicGraph *g,
                                 const char *const *current, size_t ncurrent)
{
    memset(out, 0, sizeof *out);
    out->table_exists = ncurrent > 0;
    out->current = xcalloc(ncurrent + 1, sizeof *out->current);
    for (size_t i = 0; i < ncurrent; i++) {
        bool dup = false;
        for (size_t k = 0; k < out->ncurrent; k++)
            dup = dup || strcmp(out->current[k], current[i]) == 0;
        if (!dup)
            out->current[out->ncurrent++] = xstrdup(current[i]);
    }
    if (out->ncurrent)
        qsort(out->current, out->ncurrent, sizeof *out->current, cmp_str);
    out->applied = xcalloc(g->count + 1, sizeof *out->applied);
    for (size_t i = 0; i < out->ncurrent; i++) {
        long r = alembic_graph_find(g, out->current[i]);
        if (r >= 0) {
            alembic_mark_below(g, out->applied, (size_t)r);
            continue;
        }
        char *msg = xasprintf("the database is at revision '%s' (in %s), which no revision "
                              "file defines: restore the file, or stamp the database to a "
                              "revision that exists", out->current[i], ALEMBIC_VERSION_TABLE);
        alembic_problem_add(&out->problems, &out->nproblems, ALEMBIC_UNKNOWN_CURRENT, msg,
                            NULL, 0);
        free(msg);
    }
    for (size_t i = 0; i < g->count; i++) {
        if (!g->revs[i].in_graph)
            continue;
        if (out->applied[i])
            out->napplied++;
        else
            out->npending++;
    }
}

int alembic_current_read(DbConn *c, char ***ids, size_t *n, bool *exists, DbError *err)
{
    IdList l = { NULL, 0, 0 };
    *ids = NULL;
    *n = 0;
    *exists = false;
    if (db_table_exists(c, ALEMBIC_VERSION_TABLE, exists, err) != 0)
        return -1;
    if (*exists) {
        char *q = db_quote_ident(c, ALEMBIC_VERSION_TABLE);
        char *sql = xasprintf("/* alembic: current revisions */ SELECT version_num FROM %s", q);
        int rc = db_query(c, "alembic: current revisions", sql, NULL, on_version_row, &l, err);
        free(sql);
        free(q);
        if (rc != 0) {
            for (size_t i = 0; i < l.count; i++)
                free(l.ids[i]);
            free(l.ids);
            db_error_prefix(err, "reading %s", ALEMBIC_VERSION_TABLE);
            return -1;
        }
    }
    l.ids = xrealloc(l.ids, (l.count + 1) * sizeof *l.ids);
    l.ids[l.count] = NULL;
    if (l.count)
        qsort(l.ids, l.count, sizeof *l.ids, cmp_str);
    *ids = l.ids;
    *n = l.count;
    return 0;
}

int alembic_status(DbConn *c, const AlembicGraph *g, AlembicStatus *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    char **ids = NULL;
    size_t n = 0;
    bool exists = false;
    if (alembic_current_read(c, &ids, &n, &exists, err) != 0)
        return -1;
    alembic_status_from_current(out, g, (const char *const *)ids, n);
    out->table_exists = exists;
    strv_free(ids);
    return 0;
}

void alembic_status_free(AlembicStatus *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ncurrent; i++)
        free(s->current[i]);
    free(s->current);
    free(s->applied);
    alembic_problems_free(s->problems, s->nproblems);
    memset(s, 0, sizeof *s);
}

bool alembic_is_current(const AlembicStatus *s, const char *id)
{
    for (size_t i = 0; s && i < s->ncurrent; i++)
        if (strcmp(s->current[i], id) == 0)
            return true;
    return false;
}
