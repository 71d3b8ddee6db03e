/* alembic.c: an Alembic project loaded from disk, and its state in a
 * database (see alembic.h). */
#include "alembic.h"
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
    size_t  count, cap, rcap;
} FileList;

static bool seen(const FileList *fl, const char *real)
{
    for (size_t i = 0; i < fl->count; i++)
        if (strcmp(fl->real[i], real) == 0)
            return true;
    return false;
}

/* Revision files in dir as Alembic picks them: *.py, not __init__* and
 * not editor lock files (.#*); subfolders too when recursive. */
static void list_dir(FileList *fl, const Rx *pick, const char *dir, bool recursive, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = alembic_path_join(dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) {
            free(path);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (recursive && depth < 32)
                list_dir(fl, pick, path, recursive, depth + 1);
            free(path);
            continue;
        }
        char real[PATH_MAX];
        if (!S_ISREG(st.st_mode) || !rx_match(pick, e->d_name, strlen(e->d_name), NULL, 0) ||
            !realpath(path, real) || seen(fl, real)) {
            free(path);
            continue;
        }
        fl->paths = xgrow(fl->paths, &fl->cap, fl->count + 1, sizeof *fl->paths);
        fl->real = xgrow(fl->real, &fl->rcap, fl->count + 1, sizeof *fl->real);
        fl->paths[fl->count] = path;
        fl->real[fl->count++] = xstrdup(real);
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool dir_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int alembic_project_load(AlembicProject *out, const char *path, DbError *err)
{
    memset(out, 0, sizeof *out);
    FileList fl = { NULL, NULL, 0, 0, 0 };
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
    pick = rx_compile("^(?!\\.#|__init__).*\\.py$", 0, err);
    if (!pick)
        goto fail;
    for (size_t i = 0; i < cfg->nlocations; i++)
        list_dir(&fl, pick, cfg->version_locations[i], cfg->recursive, 0);
    if (fl.count)
        qsort(fl.paths, fl.count, sizeof *fl.paths, cmp_str);
    revs = xcalloc(fl.count + 1, sizeof *revs);
    for (size_t i = 0; i < fl.count; i++) {
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
    alembic_strv_free(ids);
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
