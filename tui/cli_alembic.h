/* cli_alembic.h: status, history, up, down and stamp on the command line
 * for an Alembic project (--alembic INI, or alembic_ini in [migrations]).
 *
 * The caller has connected (conn, which it keeps and closes) and found
 * cli->alembic_ini set.  Each function loads the project itself, prints
 * its result on stdout (text, or JSON with --json) and its errors on
 * stderr, and returns an exit status (cli.h). */
#ifndef DBW_CLI_ALEMBIC_H
#define DBW_CLI_ALEMBIC_H

#include "cli.h"

/* Current revision(s), heads, applied and pending counts, problems.
 * JSON: source "alembic", engine, database, alembic_ini, current, heads,
 * bases (arrays of ids), applied, pending (counts), table_exists,
 * problems [{kind, message, files}].  EXIT_PROBLEMS when there are
 * problems. */
int cli_alembic_status(Cli *cli, DbConn *conn);

/* Every revision newest first, as a drawing with branches and merges
 * (text), or JSON: migrations [{version, name, state ("applied" or
 * "pending"), applied_at (null), down_revisions, branch_labels,
 * depends_on, is_head, is_current, is_merge, is_branchpoint, is_base,
 * create_date, file}]. */
int cli_alembic_history(Cli *cli, DbConn *conn);

/* verb "up", "down" or "stamp"; target as the command line gives it
 * (alembic_plan_make: NULL is up to heads, down one step; stamp needs one;
 * with several current revisions down needs the one to roll back named).
 * The plan is made first, on the graph, with an explicit target: up, down
 * and stamp refuse before anything else when the ini's sqlalchemy.url
 * names another database (alembic_url_check, unless alembic_url_from_env);
 * down and stamp show the plan and ask (cli_confirm).  Then, under the
 * run lock: the plan checked again (the database moved: nothing done),
 * the backup (down, stamp), the project's alembic (alembic_command in
 * [migrations], else "alembic") in the ini's folder with dbwarden's URL in
 * the variable alembic_url_env (default DATABASE_URL), its output printed
 * as it comes, and alembic_version read again: a result other than
 * planned is a failure.  --dry-run runs the same change with --sql and
 * changes nothing; --read-only refuses all but --dry-run.  JSON: command,
 * dry_run, plan {summary, target, before, after, revisions}, exit_status,
 * output (lines), current, pending, error.  EXIT_PROBLEMS when alembic
 * fails or does something else than planned. */
int cli_alembic_run(Cli *cli, DbConn *conn, const char *verb, const char *target);

/* With an Alembic project and no other database named (--db, [database]
 * url, DATABASE_URL), the database is the one the ini's sqlalchemy.url
 * names (alembic_config_db_url): sets cli->db_url (and owns it in
 * cli->alembic_db_url).  Returns an exit status: EXIT_USAGE when that
 * value cannot be read (printed). */
int cli_alembic_db_url(Cli *cli);

#endif
