/* backup_child.c: running pg_dump, pg_restore and psql (see
 * backup_internal.h).
 *
 * fork and exec rather than posix_spawn, for one thing posix_spawn cannot
 * do: the child asks the kernel to kill it when we die (PR_SET_PDEATHSIG),
 * so a dbwarden killed with SIGKILL leaves no pg_dump writing on, and no
 * psql holding a half-done restore open.  The program may have threads
 * (the console's jobs): between fork and exec the child calls only
 * async-signal-safe functions, on data prepared before the fork. */
#include "backup_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define OUTPUT_CAP (64 * 1024)
#define HIGH_FD 10     /* descriptors handed to a child are moved here first */
#define MAX_STAGES 2

/* The signals a child gets back to their default action: those
 * backup_signals_hold() blocks, and SIGPIPE (pg_restore stops when psql
 * has). */
static const int reset_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };

/* ---- the environment ------------------------------------------------- */

/* What a PostgreSQL tool may see of our environment: where to find
 * programs, home (for ~/.pgpass and ~/.pg_service.conf), language and time
 * zone, the temporary folder, libpq's own PG* variables but PGPASSWORD,
 * and the Kerberos ticket cache.  Never DATABASE_URL nor anything else. */
static bool env_allowed(const char *kv, bool own_service)
{
    static const char *const names[] = { "PATH", "HOME", "TMPDIR", "TZ", "LANG", "LANGUAGE",
                                         "KRB5CCNAME", NULL };
    size_t n = strcspn(kv, "=");
    if (kv[n] != '=')
        return false;
    for (const char *const *p = names; *p; p++)
        if (strlen(*p) == n && strncmp(kv, *p, n) == 0)
            return true;
    if (strncmp(kv, "LC_", 3) == 0)
        return true;
    if (strncmp(kv, "PG", 2) != 0 || strncmp(kv, "PGPASSWORD=", 11) == 0)
        return false;
    return !(own_service && strncmp(kv, "PGSERVICEFILE=", 14) == 0);
}

char **backup_tool_env(const char *extra)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = xcalloc(n + 2, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (env_allowed(environ[i], extra != NULL))
            env[k++] = xstrdup(environ[i]);
    if (extra)
        env[k++] = xstrdup(extra);
    return env;
}

void backup_tool_env_free(char **env)
{
    for (size_t i = 0; env && env[i]; i++)
        free(env[i]);
    free(env);
}

/* ---- descriptors ----------------------------------------------------- */

int backup_tool_memfd(const char *name, const char *text, DbError *err)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) {
        db_error_set(err, DB_ERR_IO, "cannot make a private in-memory file for %s: %s", name,
                     strerror(errno));
        return -1;
    }
    size_t len = text ? strlen(text) : 0, off = 0;
    bool ok = fchmod(fd, 0600) == 0; /* libpq ignores a passfile others could read */
    while (ok && off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        off += ok ? (size_t)w : 0;
    }
    if (!ok) {
        db_error_set(err, DB_ERR_IO, "cannot write the in-memory file for %s: %s", name,
                     strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* A copy of fd at HIGH_FD or above, close-on-exec; fd itself is closed
 * when owned.  -1 in, -1 out. */
static int lift(int fd, bool owned)
{
    if (fd < 0)
        return -1;
    int h = fcntl(fd, F_DUPFD_CLOEXEC, HIGH_FD);
    if (owned)
        close(fd);
    return h;
}

/* ---- one child ------------------------------------------------------- */

typedef struct Stage {
    const ToolCmd *cmd;
    char * const  *envp;
    int            in, out, errfd;   /* for 0, 1, 2 */
    int            extra[2];         /* for 3, 4, or -1 */
    int            report[2];        /* exec failure: errno through here */
    pid_t          pid;
} Stage;

/* In the child: async-signal-safe calls only. */
static void __attribute__((noreturn)) child(const Stage *s, pid_t parent,
                                            const struct sigaction *dfl, const sigset_t *none)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(127); /* we are already gone: do not start at all */
    for (size_t i = 0; i < sizeof reset_signals / sizeof reset_signals[0]; i++)
        sigaction(reset_signals[i], dfl, NULL);
    sigprocmask(SIG_SETMASK, none, NULL);
    int rep = s->report[1];
    if (dup2(s->in, 0) < 0 || dup2(s->out, 1) < 0 || dup2(s->errfd, 2) < 0 ||
        (s->extra[0] >= 0 && dup2(s->extra[0], 3) < 0) ||
        (s->extra[1] >= 0 && dup2(s->extra[1], 4) < 0) || dup3(rep, 5, O_CLOEXEC) < 0)
        goto failed;
    rep = 5;
    close_range(6, ~0U, 0); /* nothing else of ours (a kernel without it: all are CLOEXEC) */
    execve(s->cmd->argv[0], (char *const *)s->cmd->argv, s->envp);
failed:;
    int e = errno;
    ssize_t w = write(rep, &e, sizeof e);
    (void)w;
    _exit(127);
}

/* Starts s; returns 0, or -1 with err set (nothing left running). */
static int start(Stage *s, DbError *err)
{
    if (pipe2(s->report, O_CLOEXEC) != 0) {
        db_error_set(err, DB_ERR_IO, "cannot run %s: %s", s->cmd->argv[0], strerror(errno));
        return -1;
    }
    s->report[0] = lift(s->report[0], true);
    s->report[1] = lift(s->report[1], true);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigset_t all, none, old;
    sigfillset(&all);
    sigemptyset(&none);
    /* no handler of ours may run in the child before exec */
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t parent = getpid();
    s->pid = fork();
    if (s->pid == 0)
        child(s, parent, &dfl, &none);
    int fork_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(s->report[1]);
    int e = 0;
    ssize_t got = 0;
    if (s->pid > 0)
        while ((got = read(s->report[0], &e, sizeof e)) < 0 && errno == EINTR)
            ;
    close(s->report[0]);
    if (s->pid < 0 || got == (ssize_t)sizeof e) {
        if (s->pid > 0)
            waitpid(s->pid, NULL, 0);
        db_error_set(err, DB_ERR_IO, "cannot run %s: %s", s->cmd->argv[0],
                     strerror(s->pid < 0 ? fork_errno : e));
        s->pid = -1;
        return -1;
    }
    return 0;
}

static int wait_status(pid_t pid)
{
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0) {
        if (errno != EINTR)
            return 255;
    }
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 255;
}

static void drain(int fd, char **output)
{
    StrBuf b = STRBUF_INIT;
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (b.len < OUTPUT_CAP) /* keep the start; drain the rest */
            sb_appendn(&b, buf, (size_t)n < OUTPUT_CAP - b.len ? (size_t)n : OUTPUT_CAP - b.len);
    }
    *output = sb_take(&b);
}

/* ---- a pipeline ------------------------------------------------------ */

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

int backup_tool_pipeline(const ToolCmd *cmds, size_t n, char **output, int *status,
                         DbError *err)
{
    *output = NULL;
    Stage st[MAX_STAGES];
    char **own_env[MAX_STAGES] = { NULL };
    int cap[2] = { -1, -1 }, link[2] = { -1, -1 }, null_in = -1;
    int ret = -1;
    size_t started = 0;
    if (n == 0 || n > MAX_STAGES)
        abort(); /* a bug in the caller */
    memset(st, 0, sizeof st);
    for (size_t i = 0; i < MAX_STAGES; i++)
        st[i].extra[0] = st[i].extra[1] = -1;
    if (pipe2(cap, O_CLOEXEC) != 0 || (n > 1 && pipe2(link, O_CLOEXEC) != 0) ||
        (null_in = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
        db_error_set(err, DB_ERR_IO, "cannot run %s: %s", cmds[0].argv[0], strerror(errno));
        goto done;
    }
    cap[0] = lift(cap[0], true);
    cap[1] = lift(cap[1], true);
    link[0] = lift(link[0], true);
    link[1] = lift(link[1], true);
    null_in = lift(null_in, true);
    for (size_t i = 0; i < n; i++) {
        status[i] = -1;
        st[i].cmd = &cmds[i];
        st[i].envp = cmds[i].envp ? cmds[i].envp : (own_env[i] = backup_tool_env(NULL));
        st[i].in = i == 0 ? null_in : link[0];
        st[i].out = i + 1 < n ? link[1] : cap[1];
        st[i].errfd = cap[1];
        for (int k = 0; k < 2; k++)
            st[i].extra[k] = lift(cmds[i].fds[k], false);
    }
    for (; started < n; started++)
        if (start(&st[started], err) != 0)
            break;
    close_fd(&cap[1]);
    close_fd(&link[0]);
    close_fd(&link[1]);
    if (started < n) {
        for (size_t i = 0; i < started; i++) /* a half-built pipeline does not run on */
            kill(st[i].pid, SIGKILL);
    } else {
        drain(cap[0], output);
    }
    for (size_t i = 0; i < started; i++)
        status[i] = wait_status(st[i].pid);
    ret = started == n ? 0 : -1;
done:
    if (ret != 0) {
        free(*output);
        *output = NULL;
    }
    close_fd(&cap[0]);
    close_fd(&cap[1]);
    close_fd(&link[0]);
    close_fd(&link[1]);
    close_fd(&null_in);
    for (size_t i = 0; i < n; i++) {
        close_fd(&st[i].extra[0]);
        close_fd(&st[i].extra[1]);
        backup_tool_env_free(own_env[i]);
    }
    return ret;
}

int backup_tool_run(const char *const argv[], char *const envp[], char **output, int *status,
                    DbError *err)
{
    ToolCmd cmd = { argv, envp, { -1, -1 } };
    return backup_tool_pipeline(&cmd, 1, output, status, err);
}
