/* alembic_url.c: the database the project's alembic connects to, next to
 * the one dbwarden works on (see alembic.h). */
#include "alembic.h"
#include "alembic_internal.h"
#include "strbuf.h"
#include "url.h"
#include "xalloc.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool alembic_url_is_placeholder(const char *url)
{
    if (!url)
        return true;
    while (isspace((unsigned char)*url))
        url++;
    return !*url || strncmp(url, "driver://", 9) == 0 || strncmp(url, "driver+", 7) == 0;
}

/* The working folder, or "." when it cannot be read.  Caller frees. */
static char *cwd_dup(void)
{
    char buf[PATH_MAX];
    return xstrdup(getcwd(buf, sizeof buf) ? buf : ".");
}

/* path (relative to dir, NULL: the working folder) made absolute, with
 * symbolic links resolved when it exists.  Caller frees. */
static char *abs_path(const char *path, const char *dir)
{
    char *base = dir ? xstrdup(dir) : cwd_dup();
    char *joined = alembic_path_join(base, path);
    free(base);
    char real[PATH_MAX];
    if (realpath(joined, real)) {
        free(joined);
        return xstrdup(real);
    }
    return joined;
}

/* "sqlite" or "sqlite+pysqlite" of a URL, or NULL for a plain path. */
static char *scheme_of(const char *url)
{
    const char *sep = strstr(url, "://");
    if (!sep)
        return NULL;
    for (const char *p = url; p < sep; p++)
        if (!isalnum((unsigned char)*p) && *p != '+' && *p != '.' && *p != '-' && *p != '_')
            return NULL;
    return xstrndup(url, (size_t)(sep - url));
}

/* A SQLite URL naming u's file as seen from dir; in-memory as it was. */
static char *sqlite_abs_url(const char *raw, const DbUrl *u, const char *dir)
{
    if (strcmp(u->target, ":memory:") == 0)
        return xstrdup(raw);
    char *scheme = scheme_of(raw);
    char *path = abs_path(u->target, dir);
    char *out = xasprintf("%s:///%s", scheme ? scheme : "sqlite", path);
    free(scheme);
    free(path);
    return out;
}

int alembic_config_db_url(const AlembicConfig *cfg, char **out, DbError *err)
{
    *out = NULL;
    if (cfg->url_problem) {
        db_error_set(err, DB_ERR_USAGE, "sqlalchemy.url cannot be read: %s", cfg->url_problem);
        return -1;
    }
    if (alembic_url_is_placeholder(cfg->url))
        return 0;
    DbUrl u;
    DbError perr = DB_ERROR_INIT;
    if (db_url_parse(&u, cfg->url, &perr) != 0) {
        /* not one dbwarden opens: db_open will say so, naming it */
        db_error_clear(&perr);
        *out = xstrdup(cfg->url);
        return 0;
    }
    *out = u.engine == DB_ENGINE_SQLITE ? sqlite_abs_url(cfg->url, &u, cfg->here)
                                        : xstrdup(cfg->url);
    db_url_free(&u);
    return 0;
}

/* ---- a libpq keyword string as a URL --------------------------------- */

static void pct_append(StrBuf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || strchr("-._~", c))
            sb_appendc(b, (char)c);
        else
            sb_appendf(b, "%%%02X", c);
    }
}

static const char *opt_val(const PQconninfoOption *opts, const char *key)
{
    for (const PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, key) == 0)
            return o->val && *o->val ? o->val : NULL;
    return NULL;
}

static char *keywords_to_url(const char *target)
{
    PQconninfoOption *opts = PQconninfoParse(target, NULL);
    if (!opts)
        return xstrdup(target);
    StrBuf b = STRBUF_INIT;
    const char *user = opt_val(opts, "user"), *pw = opt_val(opts, "password");
    const char *host = opt_val(opts, "host"), *port = opt_val(opts, "port");
    const char *db = opt_val(opts, "dbname");
    bool host_in_query = host && (host[0] == '/' || strchr(host, ','));
    sb_append(&b, "postgresql://");
    if (user) {
        pct_append(&b, user);
        if (pw) {
            sb_appendc(&b, ':');
            pct_append(&b, pw);
        }
        sb_appendc(&b, '@');
    }
    if (host && !host_in_query)
        sb_append(&b, host);
    if (port && !host_in_query)
        sb_appendf(&b, ":%s", port);
    sb_appendc(&b, '/');
    if (db)
        pct_append(&b, db);
    char sep = '?';
    for (const PQconninfoOption *o = opts; o->keyword; o++) {
        const char *k = o->keyword;
        bool in_path = strcmp(k, "user") == 0 || strcmp(k, "password") == 0 ||
                       strcmp(k, "dbname") == 0 ||
                       (!host_in_query && (strcmp(k, "host") == 0 || strcmp(k, "port") == 0));
        if (in_path || !o->val || !*o->val)
            continue;
        sb_appendf(&b, "%c%s=", sep, k);
        pct_append(&b, o->val);
        sep = '&';
    }
    PQconninfoFree(opts);
    return sb_take(&b);
}

int alembic_url_for_child(const char *db_url, char **out, DbError *err)
{
    *out = NULL;
    const char *raw = db_url && *db_url ? db_url : getenv("DATABASE_URL");
    DbUrl u;
    if (db_url_parse(&u, raw, err) != 0)
        return -1;
    if (u.engine == DB_ENGINE_SQLITE)
        *out = sqlite_abs_url(raw, &u, NULL);
    else if (strstr(raw, "://"))
        *out = xstrdup(raw);
    else
        *out = keywords_to_url(u.target);
    db_url_free(&u);
    return 0;
}

/* ---- the same database? ---------------------------------------------- */

/* One PostgreSQL setting as libpq would take it: the string's value, else
 * the environment's, else dflt. */
static const char *pg_setting(const PQconninfoOption *opts, const char *key, const char *env,
                              const char *dflt)
{
    const char *v = opt_val(opts, key);
    if (!v && env)
        v = getenv(env);
    return v && *v ? v : dflt;
}

static const char *login_name(void)
{
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : "";
}

/* "host port dbname" of a PostgreSQL target, defaults applied. */
static char *pg_identity(const char *target)
{
    PQconninfoOption *opts = PQconninfoParse(target, NULL);
    if (!opts)
        return xstrdup(target);
    const char *host = pg_setting(opts, "host", "PGHOST", "(default socket)");
    if (strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0)
        host = "localhost";
    size_t hl = strlen(host);
    while (hl > 1 && host[hl - 1] == '/')
        hl--;
    const char *port = pg_setting(opts, "port", "PGPORT", "5432");
    const char *user = pg_setting(opts, "user", "PGUSER", login_name());
    const char *db = pg_setting(opts, "dbname", "PGDATABASE", user);
    char *id = xasprintf("%.*s %s %s", (int)hl, host, port, db);
    PQconninfoFree(opts);
    return id;
}

bool alembic_url_same_db(const char *a, const char *a_dir, const char *b, const char *b_dir)
{
    DbUrl ua, ub;
    DbError e = DB_ERROR_INIT;
    if (db_url_parse(&ua, a, &e) != 0) {
        db_error_clear(&e);
        return false;
    }
    if (db_url_parse(&ub, b, &e) != 0) {
        db_error_clear(&e);
        db_url_free(&ua);
        return false;
    }
    bool same = false;
    if (ua.engine != ub.engine) {
        same = false;
    } else if (ua.engine == DB_ENGINE_SQLITE) {
        if (strcmp(ua.target, ":memory:") != 0 && strcmp(ub.target, ":memory:") != 0) {
            char *pa = abs_path(ua.target, a_dir), *pb = abs_path(ub.target, b_dir);
            same = strcmp(pa, pb) == 0;
            free(pa);
            free(pb);
        }
    } else {
        char *ia = pg_identity(ua.target), *ib = pg_identity(ub.target);
        same = strcmp(ia, ib) == 0;
        free(ia);
        free(ib);
    }
    db_url_free(&ua);
    db_url_free(&ub);
    return same;
}

int alembic_url_check(const AlembicConfig *cfg, const char *db_url, bool url_from_env,
                      const char *env_name, DbError *err)
{
    if (url_from_env || !cfg->ini_path)
        return 0;
    if (cfg->url_problem) {
        db_error_set(err, DB_ERR_USAGE, "sqlalchemy.url cannot be read: %s; nothing was done",
                     cfg->url_problem);
        return -1;
    }
    if (alembic_url_is_placeholder(cfg->url))
        return 0;
    const char *ours = db_url && *db_url ? db_url : getenv("DATABASE_URL");
    if (ours && alembic_url_same_db(ours, NULL, cfg->url, cfg->here))
        return 0;
    char *theirs = NULL;
    DbError rerr = DB_ERROR_INIT;
    if (alembic_config_db_url(cfg, &theirs, &rerr) != 0 || !theirs)
        theirs = xstrdup(cfg->url);    /* cannot fail here: checked above */
    db_error_clear(&rerr);
    char *theirs_shown = db_url_redact(theirs);
    free(theirs);
    char *ours_shown = db_url_redact(ours ? ours : "(none)");
    const char *env = env_name && *env_name ? env_name : "DATABASE_URL";
    db_error_set(err, DB_ERR_USAGE, "%s:%d: sqlalchemy.url names %s, but dbwarden works on "
                 "%s: the project's alembic would change the other database, and dbwarden "
                 "would back up and check the wrong one. Nothing was done. Make env.py read "
                 "its URL from %s (dbwarden sets it) and set alembic_url_from_env = yes in "
                 "[migrations], or give --db the database in sqlalchemy.url",
                 cfg->ini_path, cfg->url_line, theirs_shown, ours_shown, env);
    free(theirs_shown);
    free(ours_shown);
    return -1;
}
