/* cli_othertools.h: status and history of a database that another
 * migration tool manages (Flyway, golang-migrate, dbmate, Rails, Django,
 * Knex, Prisma, EF Core, goose, Liquibase, Atlas, sqitch), on the command
 * line.  Read-only; see core/othertools.h for what is recognised.
 *
 * status --json (the first tool found is the one at the top level; every
 * tool found, that one included, is in "tools"):
 *   { "source": "flyway", "engine": "postgresql", "database": "<redacted>",
 *     "schema": "public", "table": "flyway_schema_history",
 *     "current": ["2"], "heads": ["2"], "applied": 2, "pending": 0,
 *     "detail": null,
 *     "problems": [ { "kind": "failed", "version": "3", "message": "…",
 *                     "files": [] } ],
 *     "tools": [ { "source", "schema", "table", "current", "heads", "applied",
 *                  "pending", "detail", "problems" }, … ] }
 * "heads" equals "current" and "pending" is 0: the other tool keeps its
 * migration files where dbwarden does not read them.
 * history --json, tool by tool in the order above, each newest first:
 *   { "source": "flyway", "migrations": [ { "source": "flyway",
 *     "version": "2", "name": "add users", "group": null,
 *     "state": "applied", "applied_at": "2024-01-05 12:00:00" }, … ] }
 * state is "applied", "failed", "dirty" or "rolled_back"; group is
 * Django's app or sqitch's project, else null. */
#ifndef DBW_CLI_OTHERTOOLS_H
#define DBW_CLI_OTHERTOOLS_H

#include <stdbool.h>

#include "cli.h"
#include "othertools.h"

/* Scans conn for other tools' version tables.  When at least one is found,
 * prints the status (text, or JSON with cli->json) on stdout, sets *found
 * and returns EXIT_PROBLEMS when any tool has a problem, else EXIT_OK.
 * When none is found, prints nothing, clears *found and returns EXIT_OK
 * (the caller goes on with dbwarden's own status).  When the scan fails,
 * reports it on stderr, sets *found and returns its exit status.  conn
 * stays open and owned by the caller. */
int cli_othertools_status(const Cli *cli, DbConn *conn, bool *found);
/* The same for the history; returns EXIT_OK when something was printed. */
int cli_othertools_history(const Cli *cli, DbConn *conn, bool *found);

/* The printers behind those two, for a caller that already scanned:
 * l must hold at least one tool; conn is only used for the engine and the
 * (redacted) URL.  Return values as above. */
int cli_othertools_print_status(const Cli *cli, DbConn *conn, const OtherToolList *l);
int cli_othertools_print_history(const Cli *cli, const OtherToolList *l);

#endif
