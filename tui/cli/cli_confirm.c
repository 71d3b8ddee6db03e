/* cli_confirm.c: see cli_confirm.h. */
#include "cli_confirm.h"
#include "format.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool read_answer(char *buf, size_t n)
{
    FILE *tty = fopen("/dev/tty", "r");
    if (!tty)
        return false;
    bool ok = fgets(buf, (int)n, tty) != NULL;
    fclose(tty);
    buf[strcspn(buf, "\r\n")] = '\0';
    return ok;
}

bool cli_confirm(const Cli *cli, DbConn *conn, const char *action, const char *what,
                 const char *word)
{
    bool production = session_production(&cli->session);
    fprintf(stderr, "dbwarden: %s on %s%s\n", fmt_esc(action), fmt_esc(db_display_url(conn)),
            production ? " (environment: production)" : "");
    if (what && *what) {
        fputs("---- what will run ----\n", stderr);
        fmt_put_block(stderr, what);
        fputs("\n-----------------------\n", stderr);
    }
    if (cli->yes)
        return true;
    if (!isatty(STDIN_FILENO) || access("/dev/tty", R_OK) != 0) {
        cli_error("%s needs confirmation: run it from a terminal, or pass --yes", action);
        return false;
    }
    char answer[256];
    bool name = strcmp(word, "yes") != 0;
    if (name)
        fprintf(stderr, "This is a production database. Type its name (%s) to go on: ",
                fmt_esc(word));
    else
        fprintf(stderr, "Type yes to go on: ");
    if (read_answer(answer, sizeof answer) && strcmp(answer, word) == 0)
        return true;
    if (name)
        cli_error("not confirmed: the name typed was not %s", word);
    else
        cli_error("not confirmed; nothing was done");
    return false;
}
