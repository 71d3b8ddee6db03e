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
 * Runs the action of that name (core/action.h: the plan on the graph with
 * an explicit target, refused when the ini's sqlalchemy.url names another
 * database; confirmation for down and stamp; under the run lock the plan
 * checked again, the backup, the project's alembic with dbwarden's URL in
 * alembic_url_env, alembic_version read again) through cli_action_run.
 * --dry-run runs the same change with --sql and changes nothing.  JSON:
 * command, dry_run, plan {summary, target, before, after, revisions},
 * exit_status, output (lines), current, pending, error. */
int cli_alembic_run(Cli *cli, const char *verb, const char *target);

#endif
