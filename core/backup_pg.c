/* backup_pg.c: PostgreSQL backups through pg_dump -Fc, and what the
 * PostgreSQL tools share: the connection they get, finding them, the
 * archive's check.
 *
 * The tools get c's connection string without its password, as libpq
 * keywords (--dbname).  When the URL carries a password it goes through a
 * passfile ("*:*:*:*:password", mode 0600) that is a private in-memory
 * file (memfd) handed to the child as its descriptor 3 and named
 * passfile=/proc/self/fd/3: it is on no disk, so nothing is left behind
 * however dbwarden ends.  sslpassword likewise goes through a service file
 * on descriptor 4.  The child's environment is backup_tool_env(): no
 * PGPASSWORD (it would win over the passfile), no DATABASE_URL.  Nothing
 * secret is ever on a command line. */
#include "backup_internal.h"
#include "db_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHILD_FD3 "/proc/self/fd/3"   /* the passfile */
#define CHILD_FD4 "/proc/self/fd/4"   /* the service file */

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
 * connected to, with our passfile and service file when given. */
static char *tool_conninfo(const DbConn *c, bool passfile, bool service, const char *app)
{
    StrBuf b = STRBUF_INIT;
    bool has_app = false;
    PQconninfoOption *opts = PQconninfoParse(c->url.target, NULL);
    for (PQconninfoOption *o = opts; o && o->keyword; o++) {
        if (!o->val || !*o->val || strcmp(o->keyword, "password") == 0 ||
            strcmp(o->keyword, "sslpassword") == 0 || strcmp(o->keyword, "dbname") == 0 ||
            (passfile && strcmp(o->keyword, "passfile") == 0))
            continue;
        if (strcmp(o->keyword, "application_name") == 0)
            has_app = true;
        kw_append(&b, o->keyword, o->val);
    }
    PQconninfoFree(opts);
    kw_append(&b, "dbname", db_name(c));
    if (passfile)
        kw_append(&b, "passfile", CHILD_FD3);
    if (service)
        kw_append(&b, "service", "dbwarden");
    if (!has_app)
        kw_append(&b, "application_name", app);
    return sb_take(&b);
}

/* "*:*:*:*:password" with ':' and '\' escaped, in a memfd; *escaped
 * (caller wipes and frees) is the password as written there. */
static int passfile_fd(const char *password, char **escaped, DbError *err)
{
    StrBuf e = STRBUF_INIT;
    for (const char *s = password; *s; s++) {
        if (*s == ':' || *s == '\\')
            sb_appendc(&e, '\\');
        sb_appendc(&e, *s);
    }
    char *line = xasprintf("*:*:*:*:%s\n", sb_str(&e));
    int fd = backup_tool_memfd("dbwarden-pgpass", line, err);
    memset(line, 0, strlen(line));
    free(line);
    *escaped = sb_take(&e);
    return fd;
}

/* sslpassword (the client key's passphrase) must not reach a command line
 * either: it goes to the tools through a service file. */
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

static void wipe(char *s)
{
    if (s) {
        memset(s, 0, strlen(s));
        free(s);
    }
}

void backup_pg_conn_close(ToolConn *t)
{
    if (t->fds[0] >= 0)
        close(t->fds[0]);
    if (t->fds[1] >= 0)
        close(t->fds[1]);
    free(t->conninfo);
    wipe(t->escaped);
    backup_tool_env_free(t->envp);
    memset(t, 0, sizeof *t);
    t->fds[0] = t->fds[1] = -1;
}

int backup_pg_conn_open(DbConn *c, const char *app, ToolConn *t, DbError *err)
{
    memset(t, 0, sizeof *t);
    t->fds[0] = t->fds[1] = -1;
    const char *pw = db_password(c);
    if (pw && *pw && (t->fds[0] = passfile_fd(pw, &t->escaped, err)) < 0)
        goto fail;
    char *sslpw = url_sslpassword(c);
    if (sslpw) {
        char *text = xasprintf("[dbwarden]\nsslpassword=%s\n", sslpw);
        t->fds[1] = backup_tool_memfd("dbwarden-pgservice", text, err);
        wipe(text);
        wipe(sslpw);
        if (t->fds[1] < 0)
            goto fail;
    }
    t->envp = backup_tool_env(t->fds[1] >= 0 ? "PGSERVICEFILE=" CHILD_FD4 : NULL);
    t->conninfo = tool_conninfo(c, t->fds[0] >= 0, t->fds[1] >= 0, app);
    return 0;
fail:
    backup_pg_conn_close(t);
    return -1;
}

char *backup_pg_message(DbConn *c, const ToolConn *t, const char *output)
{
    return backup_tool_message(output, db_password(c), t ? t->escaped : NULL);
}

/* Runs one tool as cmd; on a non-zero exit fills err with kind and
 * "<what> (<tool> exit status N): <its output, scrubbed>". */
static int run_tool(DbConn *c, const ToolConn *t, const ToolCmd *cmd, DbErrKind kind,
                    const char *what, DbError *err)
{
    char *out = NULL;
    int status = 0;
    if (backup_tool_pipeline(cmd, 1, &out, &status, err) != 0)
        return -1;
    int ret = 0;
    if (status != 0) {
        char *m = backup_pg_message(c, t, out);
        db_error_set(err, kind, "%s (%s exit status %d): %s", what, cmd->argv[0], status, m);
        free(m);
        ret = -1;
    }
    free(out);
    return ret;
}

static int server_major(DbConn *c, int *major, DbError *err)
{
    char *v = NULL;
    if (db_query_value(c, "backup: server version", "SHOW server_version_num", NULL, &v,
                       err) != 0)
        return -1;
    *major = v ? (int)(strtol(v, NULL, 10) / 10000) : 0;
    free(v);
    return 0;
}

int backup_pg_find(DbConn *c, const char *name, const BackupOptions *o, char **tool,
                   DbError *err)
{
    *tool = NULL;
    int server, major;
    if (server_major(c, &server, err) != 0)
        return -1;
    return backup_find_tool(name, server, o, tool, &major, err);
}

/* dir/psql when it is an executable file; else NULL. */
static char *psql_in(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return NULL;
    char *p = xasprintf("%.*s/psql", (int)(slash - path), path);
    struct stat st;
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0)
        return p;
    free(p);
    return NULL;
}

int backup_pg_find_psql(DbConn *c, const char *restore_tool, const BackupOptions *o,
                        char **psql, DbError *err)
{
    /* the psql of pg_restore's own client package reads what it writes
     * (\restrict and all): beside it, or beside what a link to it names */
    *psql = psql_in(restore_tool);
    char real[PATH_MAX];
    if (!*psql && realpath(restore_tool, real))
        *psql = psql_in(real);
    if (*psql)
        return 0;
    return backup_pg_find(c, "psql", o, psql, err);
}

int backup_pg_dump(DbConn *c, const char *tool, const char *dest, DbError *err)
{
    ToolConn t;
    if (backup_pg_conn_open(c, "dbwarden-backup", &t, err) != 0)
        return -1;
    const char *argv[] = { tool, "--format=custom", "--no-password", "--lock-wait-timeout=30s",
                           "--file", dest, "--dbname", t.conninfo, NULL };
    ToolCmd cmd = { argv, t.envp, { t.fds[0], t.fds[1] } };
    char *what = xasprintf("pg_dump could not back up %s", db_display_url(c));
    int rc = run_tool(c, &t, &cmd, DB_ERR_IO, what, err);
    free(what);
    backup_pg_conn_close(&t);
    return rc;
}

int backup_pg_check(DbConn *c, const char *tool, const char *file, DbError *err)
{
    const char *argv[] = { tool, "--list", "--file", "/dev/null", file, NULL };
    ToolCmd cmd = { argv, NULL, { -1, -1 } };
    char *what = xasprintf("%s is not a usable pg_dump archive", file);
    int rc = run_tool(c, NULL, &cmd, DB_ERR_USAGE, what, err);
    free(what);
    return rc;
}
