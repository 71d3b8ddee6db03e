/* alembic_run.c: the project's own alembic command, run under the run
 * lock, its output streamed line by line, cancellable (see alembic.h). */
#include "alembic.h"
#include "strv.h"
#include "alembic_internal.h"
#include "runlock.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define LINE_MAX_BYTES  65536   /* a longer line is passed on in pieces */
#define KILL_GRACE_MS   3000    /* SIGTERM, then SIGKILL after this long */
#define DRAIN_MS        500     /* after the child exits, output still read this long */

struct AlembicRun {
    pthread_mutex_t mu;
    pid_t pid;          /* the running child (its process group), or 0 */
    bool  cancelled;
};

/* ---- words ---------------------------------------------------------- */

static void push_word(char ***v, size_t *n, size_t *cap, StrBuf *w)
{
    *v = xgrow(*v, cap, *n + 2, sizeof **v);
    (*v)[(*n)++] = sb_take(w);
    (*v)[*n] = NULL;
}

int alembic_split_command(const char *cmd, char ***argv, size_t *argc, DbError *err)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    StrBuf w = STRBUF_INIT;
    bool in_word = false;
    *argv = NULL;
    *argc = 0;
    for (const char *p = cmd ? cmd : ""; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word)
                push_word(&v, &n, &cap, &w);
            in_word = false;
            continue;
        }
        in_word = true;
        if (c == '\'') {
            const char *end = strchr(p + 1, '\'');
            if (!end)
                goto open_quote;
            sb_appendn(&w, p + 1, (size_t)(end - p - 1));
            if (!w.s)
                sb_append(&w, "");
            p = end;
        } else if (c == '"') {
            if (!w.s)
                sb_append(&w, "");
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
                    p++;
                sb_appendc(&w, *p);
            }
            if (!*p)
                goto open_quote;
        } else if (c == '\\' && p[1]) {
            sb_appendc(&w, *++p);
        } else {
            sb_appendc(&w, c);
        }
    }
    if (in_word)
        push_word(&v, &n, &cap, &w);
    if (n == 0) {
        db_error_set(err, DB_ERR_USAGE, "the alembic command is empty; set alembic_command "
                     "in [migrations] (e.g. alembic, or docker compose exec -T api alembic)");
        free(v);
        return -1;
    }
    *argv = v;
    *argc = n;
    return 0;
open_quote:
    db_error_set(err, DB_ERR_USAGE, "the alembic command '%s' has a quote that is not "
                 "closed; check alembic_command in [migrations]", cmd);
    sb_free(&w);
    if (v) {
        v[n] = NULL;
        strv_free(v);
    }
    return -1;
}

/* ---- the handle ----------------------------------------------------- */

AlembicRun *alembic_run_new(void)
{
    AlembicRun *r = xcalloc(1, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
    return r;
}

void alembic_run_cancel(AlembicRun *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->cancelled = true;
    if (r->pid > 0)
        kill(-r->pid, SIGTERM);
    pthread_mutex_unlock(&r->mu);
}

void alembic_run_free(AlembicRun *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->mu);
    free(r);
}

static bool run_cancelled(AlembicRun *r)
{
    if (!r)
        return false;
    pthread_mutex_lock(&r->mu);
    bool c = r->cancelled;
    pthread_mutex_unlock(&r->mu);
    return c;
}

static void run_set_pid(AlembicRun *r, pid_t pid)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->pid = pid;
    if (pid > 0 && r->cancelled)
        kill(-pid, SIGTERM);
    pthread_mutex_unlock(&r->mu);
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the child ------------------------------------------------------ */

/* environ with extra "NAME=value" entries replacing those of that name. */
static char **child_env(const char *const *extra)
{
    size_t n = 0, ne = 0;
    while (environ[n])
        n++;
    while (extra && extra[ne])
        ne++;
    char **env = xcalloc(n + ne + 1, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool replaced = false;
        for (size_t j = 0; j < ne && !replaced; j++) {
            size_t len = strcspn(extra[j], "=");
            replaced = strncmp(environ[i], extra[j], len) == 0 && environ[i][len] == '=';
        }
        if (!replaced)
            env[k++] = environ[i];
    }
    for (size_t j = 0; j < ne; j++)
        env[k++] = (char *)extra[j];
    return env;
}

static int spawn(const char *const *argv, const char *cwd, const char *const *extra_env,
                 int out_fd, pid_t *pid, DbError *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out_fd, STDERR_FILENO);
    if (cwd)
        posix_spawn_file_actions_addchdir_np(&fa, cwd);
    sigset_t none, dflt;
    sigemptyset(&none);
    sigemptyset(&dflt);
    sigaddset(&dflt, SIGPIPE);
    sigaddset(&dflt, SIGINT);
    sigaddset(&dflt, SIGTERM);
    sigaddset(&dflt, SIGQUIT);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dflt);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
    char **env = child_env(extra_env);
    int rc = posix_spawnp(pid, argv[0], &fa, &at, (char *const *)argv, env);
    free(env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (rc == 0)
        return 0;
    if (rc == ENOENT && cwd && access(cwd, X_OK) != 0)
        db_error_set(err, DB_ERR_IO, "cannot run alembic in %s: %s", cwd, strerror(errno));
    else if (rc == ENOENT)
        db_error_set(err, DB_ERR_IO, "cannot run '%s': not found%s; install Alembic, or set "
                     "alembic_command in [migrations] of dbwarden.ini", argv[0],
                     strchr(argv[0], '/') ? "" : " in PATH");
    else
        db_error_set(err, DB_ERR_IO, "cannot run '%s': %s", argv[0], strerror(rc));
    return -1;
}

typedef struct Reader {
    StrBuf        line;
    AlembicLineFn on_line;
    void         *ctx;
} Reader;

static void emit(Reader *rd)
{
    StrBuf *l = &rd->line;
    if (l->len && l->s[l->len - 1] == '\r')
        l->s[--l->len] = '\0';
    if (rd->on_line)
        rd->on_line(rd->ctx, sb_str(l));
    l->len = 0;
    if (l->s)
        l->s[0] = '\0';
}

static void feed(Reader *rd, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            emit(rd);
            continue;
        }
        sb_appendc(&rd->line, buf[i]);
        if (rd->line.len >= LINE_MAX_BYTES)
            emit(rd);
    }
}

/* true when pid has exited (not reaped: the pid stays ours). */
static bool child_exited(pid_t pid)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid;
}

/* Reads the child's output to its end; kills its group when cancelled. */
static bool pump(AlembicRun *h, pid_t pid, int fd, Reader *rd)
{
    long term_at = -1, exited_at = -1;
    bool killed = false;
    char buf[4096];
    for (;;) {
        if (run_cancelled(h) && term_at < 0) {
            kill(-pid, SIGTERM);
            term_at = now_ms();
            killed = true;
        }
        if (term_at >= 0 && now_ms() - term_at > KILL_GRACE_MS)
            kill(-pid, SIGKILL);
        struct pollfd pfd = { fd, POLLIN, 0 };
        int pr = poll(&pfd, 1, 100);
        if (pr < 0 && errno != EINTR)
            break;
        if (pr > 0) {
            ssize_t n = read(fd, buf, sizeof buf);
            if (n > 0) {
                feed(rd, buf, (size_t)n);
                continue;
            }
            if (n == 0 || (errno != EINTR && errno != EAGAIN))
                break;                      /* end of output */
            continue;
        }
        /* quiet: a child that has exited while something it left behind
         * holds the pipe open is not waited for long */
        if (exited_at < 0 && child_exited(pid))
            exited_at = now_ms();
        if (exited_at >= 0 && now_ms() - exited_at > DRAIN_MS)
            break;
    }
    if (rd->line.len)
        emit(rd);
    return killed;
}

static char *describe_run(const char *const *args)
{
    StrBuf b = STRBUF_INIT;
    sb_append(&b, "alembic");
    for (size_t i = 0; args && args[i]; i++)
        sb_appendf(&b, " %s", args[i]);
    return sb_take(&b);
}

int alembic_run(DbConn *conn, AlembicRun *handle, const AlembicRunOptions *o,
                const char *const *args, AlembicLineFn on_line, void *ctx, int *status,
                DbError *err)
{
    char **words = NULL, *cwd = NULL, *what = NULL;
    const char **argv = NULL;
    size_t nwords = 0, nargs = 0;
    RunLock *lock = NULL;
    int fds[2] = { -1, -1 };
    int rc = -1;
    *status = -1;
    if (!o->ini) {
        db_error_set(err, DB_ERR_USAGE, "no alembic.ini to run alembic with");
        return -1;
    }
    if (alembic_split_command(o->command && *o->command ? o->command : "alembic", &words,
                              &nwords, err) != 0)
        return -1;
    while (args && args[nargs])
        nargs++;
    argv = xcalloc(nwords + nargs + 3, sizeof *argv);
    for (size_t i = 0; i < nwords; i++)
        argv[i] = words[i];
    const char *slash = strrchr(o->ini, '/');
    argv[nwords] = "-c";
    argv[nwords + 1] = o->cwd ? o->ini : slash ? slash + 1 : o->ini;
    for (size_t i = 0; i < nargs; i++)
        argv[nwords + 2 + i] = args[i];
    cwd = o->cwd ? xstrdup(o->cwd) : alembic_path_dir(o->ini);
    what = describe_run(args);
    if (conn && runlock_acquire(conn, "migrations", what,
                                o->lock_wait_ms > 0 ? o->lock_wait_ms : RUNLOCK_WAIT_DEFAULT,
                                &lock, err) != 0)
        goto fail;
    if (run_cancelled(handle)) {
        db_error_set(err, DB_ERR_CANCELLED, "cancelled before %s started", what);
        goto fail;
    }
    const AlembicRunHooks *hk = conn ? o->hooks : NULL;
    if (hk && hk->locked && hk->locked(hk->ctx, conn, err) != 0)
        goto fail;
    if (hk && hk->locked && run_cancelled(handle)) {
        db_error_set(err, DB_ERR_CANCELLED, "cancelled before %s started", what);
        goto fail;
    }
    if (pipe2(fds, O_CLOEXEC) != 0) {
        db_error_set(err, DB_ERR_IO, "cannot run %s: %s", what, strerror(errno));
        goto fail;
    }
    pid_t pid;
    if (spawn(argv, cwd, o->env, fds[1], &pid, err) != 0)
        goto fail;
    close(fds[1]);
    fds[1] = -1;
    run_set_pid(handle, pid);
    Reader rd = { STRBUF_INIT, on_line, ctx };
    bool killed = pump(handle, pid, fds[0], &rd);
    sb_free(&rd.line);
    run_set_pid(handle, 0);       /* from here the pid may be reaped */
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
    }
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : -1;
    /* alembic_run_cancel() may have killed the group itself */
    if (killed || (run_cancelled(handle) && WIFSIGNALED(ws))) {
        db_error_set(err, DB_ERR_CANCELLED, "cancelled: %s was stopped (its processes "
                     "killed); check the database state before running it again", what);
        goto fail;
    }
    if (hk && hk->ended && hk->ended(hk->ctx, conn, *status, err) != 0)
        goto fail;
    rc = 0;
fail:
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
    runlock_release(lock);
    free(what);
    free(cwd);
    free(argv);
    strv_free(words);
    return rc;
}

char *alembic_command_text(const char *command, const char *ini, const char *const *args)
{
    StrBuf b = STRBUF_INIT;
    const char *slash = ini ? strrchr(ini, '/') : NULL;
    sb_appendf(&b, "%s -c %s", command && *command ? command : "alembic",
               slash ? slash + 1 : ini ? ini : "alembic.ini");
    for (size_t i = 0; args && args[i]; i++)
        sb_appendf(&b, " %s", args[i]);
    return sb_take(&b);
}
