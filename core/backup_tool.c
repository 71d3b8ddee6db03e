/* backup_tool.c: finding pg_dump and pg_restore, and running them (see
 * backup.h, "Finding the tools"). */
#include "backup_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MESSAGE_TAIL 600

static void held_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGQUIT);
}

void backup_signals_hold(sigset_t *old)
{
    sigset_t set;
    held_signals(&set);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

void backup_signals_release(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

char *backup_tool_message(const char *output, const char *secret1, const char *secret2)
{
    char *a = db_url_scrub(output ? output : "", secret1);
    char *s = secret2 ? db_url_scrub(a, secret2) : xstrdup(a);
    free(a);
    StrBuf b = STRBUF_INIT;
    for (char *line = s; *line;) {
        size_t n = strcspn(line, "\r\n");
        size_t lead = 0;
        while (lead < n && (line[lead] == ' ' || line[lead] == '\t'))
            lead++;
        if (n > lead) {
            if (b.len)
                sb_append(&b, " / ");
            sb_appendn(&b, line + lead, n - lead);
        }
        line += n;
        while (*line == '\r' || *line == '\n')
            line++;
    }
    free(s);
    if (b.len == 0) {
        sb_free(&b);
        return xstrdup("(no output)");
    }
    if (b.len <= MESSAGE_TAIL)
        return sb_take(&b);
    const char *tail = b.s + b.len - MESSAGE_TAIL;
    while (((unsigned char)*tail & 0xC0) == 0x80) /* not inside a UTF-8 character */
        tail++;
    char *m = xasprintf("... %s", tail);
    sb_free(&b);
    return m;
}

/* The major version `path --version` reports, or -1. */
static int tool_major(const char *path)
{
    const char *argv[] = { path, "--version", NULL };
    char *out = NULL;
    int status;
    DbError e = DB_ERROR_INIT;
    if (backup_tool_run(argv, NULL, &out, &status, &e) != 0) {
        db_error_clear(&e);
        return -1;
    }
    int major = -1;
    const char *p = strstr(out, "(PostgreSQL) ");
    if (status == 0 && p)
        major = atoi(p + strlen("(PostgreSQL) "));
    free(out);
    return major > 0 ? major : -1;
}

/* The folders to search, ':'-separated; *custom when the caller or the
 * environment chose them. */
static char *search_folders(const BackupOptions *o, bool *custom)
{
    const char *s = o && o->tool_path ? o->tool_path : getenv(BACKUP_PATH_ENV);
    *custom = s != NULL;
    if (s)
        return xstrdup(s);
    StrBuf b = STRBUF_INIT;
    const char *path = getenv("PATH");
    sb_append(&b, path ? path : "/usr/bin:/bin");
    glob_t g;
    if (glob("/usr/lib/postgresql/*/bin", GLOB_ONLYDIR, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            sb_appendf(&b, ":%s", g.gl_pathv[i]);
    }
    globfree(&g);
    return sb_take(&b);
}

typedef struct Candidates {
    char  **real;    /* real paths already tried */
    size_t  count, cap;
    char   *best;    /* the newest that fits */
    int     best_major;
    char   *newest;  /* the newest found at all */
    int     newest_major;
} Candidates;

static void consider(Candidates *cs, const char *path, int min_major)
{
    char real[PATH_MAX];
    struct stat st;
    if (access(path, X_OK) != 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
        !realpath(path, real))
        return;
    /* One program reached twice (a folder twice in PATH, /bin and /usr/bin)
     * is asked once: every candidate of one search has the same name, so
     * even a wrapper that looks at its name (Debian's pg_wrapper) answers
     * the same. */
    for (size_t i = 0; i < cs->count; i++)
        if (strcmp(cs->real[i], real) == 0)
            return;
    cs->real = xgrow(cs->real, &cs->cap, cs->count + 1, sizeof *cs->real);
    cs->real[cs->count++] = xstrdup(real);
    int major = tool_major(path);
    if (major < 0)
        return;
    if (major > cs->newest_major) {
        free(cs->newest);
        cs->newest = xstrdup(path);
        cs->newest_major = major;
    }
    if (major >= min_major && major > cs->best_major) {
        free(cs->best);
        cs->best = xstrdup(path);
        cs->best_major = major;
    }
}

static void not_found(const char *tool, int min_major, const Candidates *cs, bool custom,
                      const char *folders, DbError *err)
{
    char *where = custom ? xasprintf("%s=\"%s\"", BACKUP_PATH_ENV, folders)
                         : xstrdup("$PATH and /usr/lib/postgresql/*/bin");
    if (cs->newest) {
        db_error_set(err, DB_ERR_IO,
                     "%s %d (%s) is older than the server, PostgreSQL %d, and cannot %s it: "
                     "install the PostgreSQL %d client tools (Debian: apt-get install "
                     "postgresql-client-%d)", tool, cs->newest_major, cs->newest, min_major,
                     strcmp(tool, "pg_dump") == 0 ? "back up" : "restore into", min_major,
                     min_major);
    } else if (min_major > 0) {
        db_error_set(err, DB_ERR_IO,
                     "%s was not found (looked in %s): install the PostgreSQL client tools, "
                     "version %d or newer (Debian: apt-get install postgresql-client)",
                     tool, where, min_major);
    } else {
        db_error_set(err, DB_ERR_IO,
                     "%s was not found (looked in %s): install the PostgreSQL client tools "
                     "(Debian: apt-get install postgresql-client)", tool, where);
    }
    snprintf(err->code, sizeof err->code, "%s", BACKUP_NO_TOOL);
    free(where);
}

int backup_find_tool(const char *tool, int min_major, const BackupOptions *opt, char **path,
                     int *major, DbError *err)
{
    *path = NULL;
    *major = 0;
    bool custom;
    char *folders = search_folders(opt, &custom);
    Candidates cs = { NULL, 0, 0, NULL, -1, NULL, -1 };
    char *copy = xstrdup(folders), *save = NULL;
    for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        if (dir[0] != '/')
            continue; /* a relative folder in PATH is not trusted */
        char *p = xasprintf("%s/%s", dir, tool);
        consider(&cs, p, min_major);
        free(p);
    }
    free(copy);
    int ret = 0;
    if (cs.best) {
        *path = cs.best;
        *major = cs.best_major;
        cs.best = NULL;
    } else {
        not_found(tool, min_major, &cs, custom, folders, err);
        ret = -1;
    }
    for (size_t i = 0; i < cs.count; i++)
        free(cs.real[i]);
    free(cs.real);
    free(cs.newest);
    free(folders);
    return ret;
}
