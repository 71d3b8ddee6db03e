/* main.c: dbwarden's entry point: options, configuration, dispatch. */
#include "cli.h"
#include "cli_backup.h"
#include "cli_licenses.h"
#include "cli_seed.h"
#include "url.h"
#include "xalloc.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

/* The commands: the command line's own (tui/cli) and the console's
 * (tui/console: tui, demo).  `dbwarden --help` is made from this table. */
const CliCommand cli_commands[] = {
    { "tui", "", "the console (the default)", cli_cmd_tui },
    { "status", "", "migration state: current version, applied, pending, problems", cli_cmd_status },
    { "history", "", "every migration with its state, time and checksum", cli_cmd_history },
    { "up", "[TARGET]", "apply pending migrations, up to TARGET", cli_cmd_up },
    { "down", "[N|TARGET|all]", "roll back migrations (one by default)", cli_cmd_down },
    { "stamp", "TARGET", "record the database as at TARGET without running SQL", cli_cmd_stamp },
    { "schema", "[TABLE]", "the catalog; with TABLE: its columns, constraints, indexes and DDL", cli_cmd_schema },
    { "check", "[rows|fix|accept|unaccept ID]", "integrity checks: orphans, inferred keys, lints (see README)", cli_cmd_check },
    { "licenses", "[why|user USER|set ID STATE]", "license and subscription state, anomalies, why a user cannot run jobs, transitions", cli_cmd_licenses },
    { "seed", "[demo|scale|FILE|list]", "load demo data (--scale N --seed S); --reset removes exactly it", cli_cmd_seed },
    { "backup", "[list]", "back the database up, or list its backups", cli_cmd_backup },
    { "restore", "FILE", "restore a backup (asks first; takes a safety backup)", cli_cmd_restore },
    { "demo", "", "build the demo SQLite database and open the console", cli_cmd_demo },
    { "actions", "", "every change dbwarden can make: its command and its guard", cli_cmd_actions },
    { "keys", "", "the console's keys, pane by pane, and which run which action", cli_cmd_keys },
    { NULL, NULL, NULL, NULL },
};

/* Commands with options of their own, read after the command word. */
static const struct {
    const char         *command;
    const CliCmdOption *options;
} command_options[] = {
    { "check", cli_check_options },
};
#define N_COMMAND_OPTIONS (sizeof command_options / sizeof command_options[0])

typedef struct OptionDoc {
    struct option opt;
    const char   *arg;      /* argument name for the usage text, or NULL */
    const char   *summary;
} OptionDoc;

enum { OPT_DB = 256, OPT_CONFIG, OPT_READ_ONLY, OPT_THEME, OPT_MIGRATIONS, OPT_ALEMBIC,
       OPT_JSON, OPT_YES, OPT_DRY_RUN, OPT_NO_BACKUP, OPT_HELP, OPT_VERSION, OPT_REASON,
       OPT_SCALE, OPT_SEED, OPT_RESET, OPT_FORCE,
       OPT_COMMAND = 512 /* + the place of a command's own option */ };

static const OptionDoc options[] = {
    { { "db", required_argument, NULL, OPT_DB }, "URL", "database (else [database] url, DATABASE_URL, or alembic.ini's sqlalchemy.url)" },
    { { "config", required_argument, NULL, OPT_CONFIG }, "FILE", "configuration (else ./dbwarden.ini, else $XDG_CONFIG_HOME/dbwarden/config.ini)" },
    { { "read-only", no_argument, NULL, OPT_READ_ONLY }, NULL, "refuse every write; open the connection read-only" },
    { { "theme", required_argument, NULL, OPT_THEME }, "NAME", "colour theme (default, mono, or a .theme file)" },
    { { "migrations", required_argument, NULL, OPT_MIGRATIONS }, "DIR", "dbwarden's SQL migrations folder" },
    { { "alembic", required_argument, NULL, OPT_ALEMBIC }, "INI", "an Alembic project's alembic.ini (or its versions folder)" },
    { { "json", no_argument, NULL, OPT_JSON }, NULL, "machine-readable output" },
    { { "yes", no_argument, NULL, OPT_YES }, NULL, "answer yes to confirmations" },
    { { "dry-run", no_argument, NULL, OPT_DRY_RUN }, NULL, "print the SQL a change would run, and run nothing" },
    { { "no-backup", no_argument, NULL, OPT_NO_BACKUP }, NULL, "skip the backup before a destructive action, for this run" },
    { { "reason", required_argument, NULL, OPT_REASON }, "TEXT", "why (licenses set, check accept: written with the change)" },
    { { "scale", required_argument, NULL, OPT_SCALE }, "N", "seed scale: N users" },
    { { "seed", required_argument, NULL, OPT_SEED }, "S", "seed scale: the generator's seed (default 1)" },
    { { "reset", no_argument, NULL, OPT_RESET }, NULL, "seed: remove exactly the seeded rows (of SET, or all)" },
    { { "force", no_argument, NULL, OPT_FORCE }, NULL, "seed or reset a production database (its name is asked)" },
    { { "help", no_argument, NULL, OPT_HELP }, NULL, "this text" },
    { { "version", no_argument, NULL, OPT_VERSION }, NULL, "print the version" },
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static void usage(FILE *out)
{
    fprintf(out, "usage: dbwarden [OPTIONS] [COMMAND [ARGS]]\n\noptions:\n");
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char left[40];
        snprintf(left, sizeof left, "--%s%s%s", options[i].opt.name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        fprintf(out, "  %-20s %s\n", left, options[i].summary);
    }
    fprintf(out, "\ncommands:\n");
    for (const CliCommand *c = cli_commands; c->name; c++) {
        char left[80];
        snprintf(left, sizeof left, "%s %s", c->name, c->args);
        if (strlen(left) > 20)   /* a long one: the summary on the next line */
            fprintf(out, "  %s\n  %-20s %s\n", left, "", c->summary);
        else
            fprintf(out, "  %-20s %s\n", left, c->summary);
    }
    fprintf(out, "\nexit status: 0 success, 1 problems found or action failed, "
                 "2 usage error, 3 cannot connect\n");
}

/* --db as given: argv's copy is masked (see parse_args). */
static char *db_copy;

/* No core dump: one would hold the password (in the parsed URL, in libpq's
 * connection).  Not dumpable also keeps others from reading our memory
 * and environment through /proc or ptrace. */
static void no_core_dumps(void)
{
    struct rlimit none = { 0, 0 };
    /* neither lowering a limit nor clearing the flag fails on Linux */
    (void)setrlimit(RLIMIT_CORE, &none);
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* The options of the command argv names (the first word that is neither
 * an option nor an option's value), or NULL. */
static const CliCmdOption *own_options(int argc, char **argv, size_t *n)
{
    const char *cmd = NULL;
    for (int i = 1; i < argc && !cmd; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            cmd = i + 1 < argc ? argv[i + 1] : NULL;
            break;
        }
        if (a[0] != '-' || !a[1]) {
            cmd = a;
            break;
        }
        for (size_t k = 0; k < N_OPTIONS; k++)
            if (a[1] == '-' && !strchr(a, '=') && options[k].opt.has_arg == required_argument &&
                strcmp(a + 2, options[k].opt.name) == 0)
                i++;   /* its value */
    }
    for (size_t k = 0; cmd && k < N_COMMAND_OPTIONS; k++)
        if (strcmp(cmd, command_options[k].command) == 0) {
            const CliCmdOption *o = command_options[k].options;
            for (*n = 0; o[*n].name; (*n)++)
                ;
            return o;
        }
    *n = 0;
    return NULL;
}

/* Parses argv into cli; returns -1 after printing a usage error, 1 when
 * help or the version was printed, 0 to go on.  The password of a --db
 * value is masked in argv itself. */
static int parse_args(Cli *cli, int argc, char **argv)
{
    size_t nown = 0;
    const CliCmdOption *own = own_options(argc, argv, &nown);
    struct option *longopts = xcalloc(N_OPTIONS + nown + 1, sizeof *longopts);
    for (size_t i = 0; i < N_OPTIONS; i++)
        longopts[i] = options[i].opt;
    for (size_t i = 0; i < nown; i++)
        longopts[N_OPTIONS + i] = (struct option){ own[i].name,
            own[i].has_arg ? required_argument : no_argument, NULL, OPT_COMMAND + (int)i };
    int rc = 0;
    int c;
    opterr = 0;
    /* GNU getopt permutes: options may come before or after the command. */
    while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            if (!*optarg) {
                /* an unset variable in a script: never fall back silently */
                cli_error("--db is empty; give a connection string or leave the option out");
                rc = -1;
                goto out;
            }
            /* ours from here on; the password in argv, which anyone may
             * read in the process list (/proc/PID/cmdline, ps), becomes
             * x's as the mysql client does */
            free(db_copy);
            db_copy = xstrdup(optarg);
            db_url_mask(optarg);
            cli->opt.db_url = db_copy;
            break;
        case OPT_CONFIG: cli->opt.config_path = optarg; break;
        case OPT_READ_ONLY: cli->opt.read_only = true; break;
        case OPT_THEME: cli->opt.theme = optarg; break;
        case OPT_MIGRATIONS: cli->opt.migrations_dir = optarg; break;
        case OPT_ALEMBIC: cli->opt.alembic_ini = optarg; break;
        case OPT_JSON: cli->json = true; break;
        case OPT_YES: cli->yes = true; break;
        case OPT_DRY_RUN: cli->dry_run = true; break;
        case OPT_NO_BACKUP: cli->opt.no_backup = true; break;
        case OPT_REASON: cli->reason = optarg; break;
        case OPT_SCALE: cli->seed_scale = optarg; break;
        case OPT_SEED: cli->seed_seed = optarg; break;
        case OPT_RESET: cli->seed_reset = true; break;
        case OPT_FORCE: cli->force = true; break;
        case 'h': case OPT_HELP: usage(stdout); rc = 1; goto out;
        case 'V': case OPT_VERSION: printf("dbwarden %s\n", DBWARDEN_VERSION); rc = 1; goto out;
        case ':':
            cli_error("option %s needs a value", argv[optind - 1]);
            rc = -1;
            goto out;
        default:
            if (c >= OPT_COMMAND && (size_t)(c - OPT_COMMAND) < nown) {
                cli->cmd_opts = xrealloc(cli->cmd_opts, (cli->ncmd_opts + 1) *
                                         sizeof *cli->cmd_opts);
                cli->cmd_opts[cli->ncmd_opts++] =
                    (CliOptValue){ own[c - OPT_COMMAND].name, optarg };
                break;
            }
            cli_error("unknown option %s (see dbwarden --help)", argv[optind - 1]);
            rc = -1;
            goto out;
        }
    }
    if (optind < argc)
        cli->command = argv[optind++];
    cli->argc = argc - optind;
    cli->argv = argv + optind;
out:
    free(longopts);
    return rc;
}

/* --json anywhere before "--" asks for JSON, even from a command line
 * that fails to parse. */
static bool wants_json(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--json") == 0)
            return true;
    return false;
}

static int run(Cli *cli, int argc, char **argv)
{
    int p = parse_args(cli, argc, argv);
    if (p != 0)
        return p < 0 ? EXIT_USAGE : EXIT_OK;
    if (!cli->command)
        cli->command = "tui";
    const CliCommand *cmd = NULL;
    for (const CliCommand *c = cli_commands; c->name; c++)
        if (strcmp(c->name, cli->command) == 0)
            cmd = c;
    if (!cmd) {
        cli_error("unknown command '%s' (see dbwarden --help)", cli->command);
        return EXIT_USAGE;
    }
    DbError err = DB_ERROR_INIT;
    if (session_init(&cli->session, &cli->opt, &err) != 0) {
        cli_fail(&err);
        return EXIT_USAGE; /* a bad setting is a usage error */
    }
    return cmd->run(cli);
}

int main(int argc, char **argv)
{
    no_core_dumps();
    setlocale(LC_ALL, "");
    Cli cli;
    memset(&cli, 0, sizeof cli);
    cli_set_json(wants_json(argc, argv));
    int rc = run(&cli, argc, argv);
    cli_finish(rc);
    session_free(&cli.session);
    free(cli.cmd_opts);
    if (db_copy) {
        memset(db_copy, 0, strlen(db_copy));
        free(db_copy);
    }
    return rc;
}
