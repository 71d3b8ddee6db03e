/* backup_pg.c: PostgreSQL backups through pg_dump -Fc and pg_restore.
 *
 * The tools get c's connection string without its password, as libpq
 * keywords (--dbname); when the URL carries a password it goes through a
 * temporary passfile (mode 0600, "*:*:*:*:password") named in that string,
 * and PGPASSWORD is kept out of the child's environment so that it does
 * not win over it.  Nothing secret is ever on a command line. */
#include "backup_internal.h"
#include "db_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

typedef struct ToolConn {
    char  *conninfo;     /* keyword string, no password */
    char  *passfile;     /* temporary file, or NULL */
    char  *escaped;      /* the password as written in the passfile, or NULL */
    char  *servicefile;  /* temporary service file holding sslpassword, or NULL */
    char  *serviceenv;   /* "PGSERVICEFILE=<servicefile>", or NULL */
    char **envp;         /* environ without PGPASSWORD, or NULL for environ */
} ToolConn;

static void kw_append(StrBuf *b, const char *key, const char *val)
{
    sb_appendf(b, "%s%s='", b->len ? " " : "", key);
    for (const char *p = val; *p; p++) {
        if (*p == '\'' || *p == '\\')
            sb_appendc(b, '\\');
        sb_appendc(b, *p);
    }
    sb_appendc(b, '\'');
}

/* c's connection settings without the password, for the database c is
 * connected to, plus passfile when given. */
static char *tool_conninfo(const DbConn *c, const char *passfile, bool service)
{
    StrBuf b = STRBUF_INIT;
    bool app = false;
    PQconninfoOption *opts = PQconninfoParse(c->url.target, NULL);
    for (PQconninfoOption *o = opts; o && o->keyword; o++) {
        if (!o->val || !*o->val || strcmp(o->keyword, "password") == 0 ||
            strcmp(o->keyword, "sslpassword") == 0 || strcmp(o->keyword, "dbname") == 0 ||
            (passfile && strcmp(o->keyword, "passfile") == 0))
            continue;
        if (strcmp(o->keyword, "application_name") == 0)
            app = true;
        kw_append(&b, o->keyword, o->val);
    }
    PQconninfoFree(opts);
    kw_append(&b, "dbname", db_name(c));
    if (passfile)
        kw_append(&b, "passfile", passfile);
    if (service)
        kw_append(&b, "service", "dbwarden");
    if (!app)
        kw_append(&b, "application_name", "dbwarden-backup");
    return sb_take(&b);
}

/* Writes "*:*:*:*:password" (':' and '\' escaped) to a new 0600 file. */
static int write_passfile(const char *password, char **path, char **escaped, DbError *err)
{
    const char *tmpdir = getenv("TMPDIR");
    char *p = xasprintf("%s/dbwarden-pgpass-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(p);
    if (fd < 0) {
        db_error_set(err, DB_ERR_IO, "cannot create a temporary passfile in %s: %s; set "
                     "TMPDIR to a folder you can write", tmpdir && *tmpdir ? tmpdir : "/tmp",
                     strerror(errno));
        free(p);
        return -1;
    }
    StrBuf e = STRBUF_INIT;
    for (const char *s = password; *s; s++) {
        if (*s == ':' || *s == '\\')
            sb_appendc(&e, '\\');
        sb_appendc(&e, *s);
    }
    char *line = xasprintf("*:*:*:*:%s\n", sb_str(&e));
    size_t len = strlen(line), off = 0;
    bool ok = fchmod(fd, 0600) == 0;
    while (ok && off < len) {
        ssize_t n = write(fd, line + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        off += ok ? (size_t)n : 0;
    }
    int saved = errno;
    ok = close(fd) == 0 && ok;
    memset(line, 0, len);
    free(line);
    if (!ok) {
        db_error_set(err, DB_ERR_IO, "cannot write the temporary passfile %s: %s", p,
                     strerror(saved));
        unlink(p);
        free(p);
        memset(e.s, 0, e.len);
        sb_free(&e);
        return -1;
    }
    *path = p;
    *escaped = sb_take(&e);
    return 0;
}

/* environ without PGPASSWORD (and PGSERVICEFILE when extra replaces it),
 * plus extra; the strings stay environ's. */
static char **child_env(const char *extra)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = xcalloc(n + 2, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "PGPASSWORD=", 11) != 0 &&
            !(extra && strncmp(environ[i], "PGSERVICEFILE=", 14) == 0))
            env[k++] = environ[i];
    if (extra)
        env[k++] = (char *)extra;
    return env;
}

/* sslpassword (the client key's passphrase) must not reach a command line
 * either: it goes to the tools through a temporary service file. */
static char *url_sslpassword(const DbConn *c)
{
    char *v = NULL;
    PQconninfoOption *opts = PQconninfoParse(c->url.target, NULL);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "sslpassword") == 0 && o->val && *o->val)
            v = xstrdup(o->val);
    PQconninfoFree(opts);
    return v;
}

static int write_servicefile(const char *sslpassword, char **path, DbError *err)
{
    const char *tmpdir = getenv("TMPDIR");
    char *p = xasprintf("%s/dbwarden-pgservice-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(p);
    char *text = xasprintf("[dbwarden]\nsslpassword=%s\n", sslpassword);
    size_t len = strlen(text);
    bool ok = fd >= 0 && fchmod(fd, 0600) == 0 && write(fd, text, len) == (ssize_t)len;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    memset(text, 0, len);
    free(text);
    if (!ok) {
        db_error_set(err, DB_ERR_IO, "cannot write a temporary service file in %s: %s",
                     tmpdir && *tmpdir ? tmpdir : "/tmp", strerror(saved));
        if (fd >= 0)
            unlink(p);
        free(p);
        return -1;
    }
    *path = p;
    return 0;
}

static void toolconn_close(ToolConn *t)
{
    if (t->passfile)
        unlink(t->passfile);
    if (t->servicefile)
        unlink(t->servicefile);
    free(t->servicefile);
    free(t->serviceenv);
    free(t->passfile);
    free(t->conninfo);
    if (t->escaped) {
        memset(t->escaped, 0, strlen(t->escaped));
        free(t->escaped);
    }
    free(t->envp);
    memset(t, 0, sizeof *t);
}

static int toolconn_open(DbConn *c, ToolConn *t, DbError *err)
{
    memset(t, 0, sizeof *t);
    const char *pw = db_password(c);
    if (pw && *pw && write_passfile(pw, &t->passfile, &t->escaped, err) != 0)
        return -1;
    char *sslpw = url_sslpassword(c);
    if (sslpw) {
        int rc = write_servicefile(sslpw, &t->servicefile, err);
        memset(sslpw, 0, strlen(sslpw));
        free(sslpw);
        if (rc != 0) {
            toolconn_close(t);
            return -1;
        }
        t->serviceenv = xasprintf("PGSERVICEFILE=%s", t->servicefile);
    }
    if (t->passfile || t->serviceenv)
        t->envp = child_env(t->serviceenv);
    t->conninfo = tool_conninfo(c, t->passfile, t->servicefile != NULL);
    return 0;
}

/* Runs a tool with the connection in t; on a non-zero exit fills err with
 * kind and "<what>: <its output, scrubbed>". */
static int run_tool(DbConn *c, const ToolConn *t, const char *const argv[], DbErrKind kind,
                    const char *what, DbError *err)
{
    char *out = NULL;
    int status = 0;
    if (backup_tool_run(argv, t->envp, &out, &status, err) != 0)
        return -1;
    int ret = 0;
    if (status != 0) {
        char *m = backup_tool_message(out, db_password(c), t->escaped);
        db_error_set(err, kind, "%s (%s exit status %d): %s", what, argv[0], status, m);
        free(m);
        ret = -1;
    }
    free(out);
    return ret;
}

int backup_pg_find(DbConn *c, const char *name, const BackupOptions *o, char **tool,
                   DbError *err)
{
    char *v = NULL;
    *tool = NULL;
    if (db_query_value(c, "backup: server version", "SHOW server_version_num", NULL, &v,
                       err) != 0)
        return -1;
    int server = v ? (int)(strtol(v, NULL, 10) / 10000) : 0;
    free(v);
    int major;
    return backup_find_tool(name, server, o, tool, &major, err);
}

int backup_pg_dump(DbConn *c, const char *tool, const char *dest, DbError *err)
{
    ToolConn t;
    if (toolconn_open(c, &t, err) != 0)
        return -1;
    const char *argv[] = { tool, "--format=custom", "--no-password", "--lock-wait-timeout=30s",
                           "--file", dest, "--dbname", t.conninfo, NULL };
    char *what = xasprintf("pg_dump could not back up %s", db_display_url(c));
    int rc = run_tool(c, &t, argv, DB_ERR_IO, what, err);
    free(what);
    toolconn_close(&t);
    return rc;
}

int backup_pg_check(DbConn *c, const char *tool, const char *file, DbError *err)
{
    const char *argv[] = { tool, "--list", "--file", "/dev/null", file, NULL };
    ToolConn none = { NULL, NULL, NULL, NULL, NULL, NULL };
    char *what = xasprintf("%s is not a usable pg_dump archive", file);
    int rc = run_tool(c, &none, argv, DB_ERR_USAGE, what, err);
    free(what);
    return rc;
}

int backup_pg_restore(DbConn *c, const char *tool, const char *file, DbError *err)
{
    ToolConn t;
    if (toolconn_open(c, &t, err) != 0)
        return -1;
    const char *argv[] = { tool, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                           "--exit-on-error", "--no-password", "--dbname", t.conninfo, file,
                           NULL };
    char *what = xasprintf("pg_restore could not restore %s into %s; the database was left as "
                           "it was", file, db_display_url(c));
    int rc = run_tool(c, &t, argv, DB_ERR_IO, what, err);
    free(what);
    toolconn_close(&t);
    return rc;
}
