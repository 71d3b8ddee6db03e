/* cli.c: the helpers the commands share: errors, exit statuses, --json
 * answers, connections (see cli.h). */
#include "cli.h"
#include "cli_backup.h"
#include "format.h"
#include "json_out.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What went wrong, for --json: every line cli_error printed, and the kind
 * of the first error cli_fail reported. */
static struct {
    bool      json;
    char    **lines;
    size_t    count, cap;
    DbErrKind kind;
} failure;

void cli_set_json(bool on)
{
    failure.json = on;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    if (!msg)
        return;
    fprintf(stderr, "dbwarden: %s\n", fmt_esc(msg));   /* names in it come from outside */
    failure.lines = xgrow(failure.lines, &failure.cap, failure.count + 1, sizeof *failure.lines);
    failure.lines[failure.count++] = msg;
}

static const char *kind_word(DbErrKind k, int status)
{
    switch (k) {
    case DB_ERR_USAGE: return "usage";
    case DB_ERR_CONNECT: return "connect";
    case DB_ERR_SQL: return "sql";
    case DB_ERR_CANCELLED: return "cancelled";
    case DB_ERR_BUSY: return "busy";
    case DB_ERR_IO: return "io";
    case DB_ERR_PARSE: return "parse";
    case DB_OK: break;
    }
    return status == EXIT_USAGE ? "usage" : status == EXIT_CONNECT ? "connect" : "failed";
}

void cli_finish(int status)
{
    if (failure.json && status != EXIT_OK && !json_was_emitted()) {
        json_t *e = json_object();
        json_object_set_new(e, "kind", json_text(kind_word(failure.kind, status)));
        json_object_set_new(e, "message", json_text(failure.count ? failure.lines[0]
                                                                   : "failed"));
        json_t *more = json_array();
        for (size_t i = 1; i < failure.count; i++)
            json_array_append_new(more, json_text(failure.lines[i]));
        json_object_set_new(e, "details", more);
        json_object_set_new(e, "exit_status", json_integer(status));
        json_t *root = json_object();
        json_object_set_new(root, "error", e);
        json_emit(root);
    }
    for (size_t i = 0; i < failure.count; i++)
        free(failure.lines[i]);
    free(failure.lines);
    memset(&failure, 0, sizeof failure);
}

int cli_exit_for(const DbError *err)
{
    switch (err->kind) {
    case DB_OK: return EXIT_OK;
    case DB_ERR_USAGE: return EXIT_USAGE;
    case DB_ERR_CONNECT: return EXIT_CONNECT;
    default: return EXIT_PROBLEMS;
    }
}

int cli_fail(DbError *err)
{
    int rc = cli_exit_for(err);
    if (failure.kind == DB_OK)
        failure.kind = err->kind;
    cli_error("%s", err->message ? err->message : "failed");
    db_error_clear(err);
    return rc ? rc : EXIT_PROBLEMS;
}

int cli_connect(Cli *cli, bool create, DbConn **out)
{
    DbError err = DB_ERROR_INIT;
    if (session_open(&cli->session, create, out, &err) != 0)
        return cli_fail(&err);
    return EXIT_OK;
}

int cli_migrations(Cli *cli, bool required, const MigDir **dir)
{
    *dir = NULL;
    if (!cli->session.cfg.migrations.dir) {
        if (!required)
            return EXIT_OK;
        cli_error("no migrations folder: pass --migrations DIR or set dir in [migrations] "
                  "of dbwarden.ini");
        return EXIT_USAGE;
    }
    DbError err = DB_ERROR_INIT;
    if (session_load_migrations(&cli->session, &err) != 0) {
        cli_fail(&err);
        return EXIT_USAGE;   /* a folder that is not there: a usage error */
    }
    *dir = session_migrations(&cli->session);
    return EXIT_OK;
}

const char *const *cli_theme_dirs(void)
{
    static char *dirs[5];
    static const char *view[5];
    if (!dirs[0]) {
        const char *xdg = getenv("XDG_CONFIG_HOME");
        const char *home = getenv("HOME");
        dirs[0] = xdg && *xdg ? xasprintf("%s/dbwarden/themes", xdg)
                              : xasprintf("%s/.config/dbwarden/themes", home ? home : ".");
        dirs[1] = xstrdup(DBWARDEN_DATADIR "/themes");
        dirs[2] = xstrdup("themes");
        dirs[3] = xstrdup(DBWARDEN_SOURCE_DIR "/themes");
        for (int i = 0; i < 4; i++)
            view[i] = dirs[i];
    }
    return view;
}
