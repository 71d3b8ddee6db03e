/* console.c: console_run(): the terminal set-up around the App (see
 * console.h). */
#include "console.h"
#include "app.h"
#include "text.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Raw input (Ctrl-C is a key, so that it can stop work without leaving),
 * no echo, function keys decoded, no cursor, quick Esc, mouse clicks. */
static void setup_terminal(void)
{
    raw();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED,
              NULL);
}

int console_run(const ConsoleOptions *opt)
{
    setlocale(LC_ALL, "");
    text_init();
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "dbwarden: the console needs a terminal; for scripts use a "
                        "command such as 'dbwarden status'\n");
        return 2;
    }
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        const char *term = getenv("TERM");
        fprintf(stderr, "dbwarden: cannot start the console on terminal type '%s'\n",
                term ? term : "(unset)");
        return 1;
    }
    set_term(scr);
    /* TERM=dumb (and its like) opens, then draws nothing: a terminal that
     * cannot move its cursor cannot show the console */
    char *cup = tigetstr("cup");
    if (!cup || cup == (char *)-1) {
        endwin();
        delscreen(scr);
        const char *term = getenv("TERM");
        fprintf(stderr, "dbwarden: the console cannot draw on terminal type '%s' (it cannot "
                        "move the cursor); set TERM to your terminal's type, e.g. "
                        "xterm-256color, or use a command such as 'dbwarden status'\n",
                term ? term : "(unset)");
        return 1;
    }
    setup_terminal();
    App app;
    app_init(&app, opt);
    int rc = app_run(&app);
    app_free(&app);
    endwin();
    delscreen(scr);
    return rc;
}
