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

/* verb "up", "down" or "stamp"; target as Alembic takes it (NULL: up to
 * "heads", down one step; stamp needs one; a plain number N for down
 * means N steps).  Runs the project's alembic (alembic_command in
 * [migrations], else "alembic") in the ini's folder under the run lock,
 * printing its output as it comes.  --dry-run runs it with --sql and
 * changes nothing; down and stamp ask for confirmation (cli_confirm) and
 * take the backup first; --read-only refuses all but --dry-run.  JSON:
 * command, exit_status, output (lines), current, pending, error.
 * EXIT_PROBLEMS when alembic fails. */
int cli_alembic_run(Cli *cli, DbConn *conn, const char *verb, const char *target);

#endif
