/* cli_interrupt.c: see cli_interrupt.h. */
#include "cli_interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIGNALS (sizeof signals / sizeof signals[0])

static struct {
    bool             active;
    int              pipe[2];
    pthread_t        watcher;
    DbConn          *conn;
    struct sigaction old[NSIGNALS];
} st = { false, { -1, -1 }, 0, NULL, { { .sa_flags = 0 } } };

static atomic_int got_signal;   /* the first signal, or 0 */

static void on_signal(int sig)
{
    int saved = errno;
    int expected = 0;
    if (!atomic_compare_exchange_strong(&got_signal, &expected, sig)) {
        /* the second one: stop at once, as without this module */
        signal(sig, SIG_DFL);
        raise(sig);
    }
    unsigned char b = (unsigned char)sig;
    if (write(st.pipe[1], &b, 1) < 0) {
        /* the flag is set; the watcher only adds the cancel */
    }
    errno = saved;
}

static void *watch(void *arg)
{
    (void)arg;
    unsigned char b;
    for (;;) {
        ssize_t n = read(st.pipe[0], &b, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;   /* cli_interrupt_end closed the pipe */
        fprintf(stderr, "dbwarden: %s: stopping the running statement and rolling back "
                        "(again to quit at once)\n", b == SIGTERM ? "terminated"
                        : b == SIGHUP ? "hung up" : "interrupted");
        db_cancel(st.conn);
    }
    return NULL;
}

int cli_interrupt_begin(DbConn *conn)
{
    if (st.active)
        return -1;
    atomic_store(&got_signal, 0);
    if (pipe2(st.pipe, O_CLOEXEC) != 0)
        return -1;
    st.conn = conn;
    /* the watcher gets no signals: they go to the thread that runs */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&st.watcher, NULL, watch, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        close(st.pipe[0]);
        close(st.pipe[1]);
        return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaction(signals[i], &sa, &st.old[i]);
    st.active = true;
    return 0;
}

bool cli_interrupted(void)
{
    return atomic_load(&got_signal) != 0;
}

int cli_interrupt_signal(void)
{
    return atomic_load(&got_signal);
}

bool cli_interrupt_end(void)
{
    if (!st.active)
        return cli_interrupted();
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaction(signals[i], &st.old[i], NULL);
    close(st.pipe[1]);
    pthread_join(st.watcher, NULL);
    close(st.pipe[0]);
    st.pipe[0] = st.pipe[1] = -1;
    st.conn = NULL;
    st.active = false;
    return cli_interrupted();
}
