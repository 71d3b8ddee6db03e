/* cli_licenses.h: licenses and subscriptions on the command line (see
 * core/billing.h).
 *
 *   dbwarden licenses [--json]            counts per state and plan, the
 *                                         anomalies; exit 1 when any is found
 *   dbwarden licenses why USER [--json]   the first reason USER cannot run
 *                                         jobs, with its evidence rows; exit 1
 *                                         unless the answer is ok
 *   dbwarden licenses user USER [--json]  the answer and USER's whole story
 *   dbwarden licenses set LICENSE_ID STATE --reason TEXT [--yes] [--dry-run]
 *                                         a transition, through the action
 *                                         table (action license-set) */
#ifndef DBW_CLI_LICENSES_H
#define DBW_CLI_LICENSES_H

#include <jansson.h>
#include <stddef.h>

#include "cli.h"

int cli_cmd_licenses(Cli *cli);

/* Printers shared by the subcommands (cli_licenses_user.c). */
struct BillTable;
/* Prints t as aligned columns, at most max rows, every value escaped. */
void cli_bill_table(const struct BillTable *t, size_t max, const char *indent);
/* t's rows as a JSON array of objects (column -> text or null). */
json_t *cli_bill_rows_json(const struct BillTable *t);
int  cli_licenses_why(Cli *cli, const char *who);
int  cli_licenses_user(Cli *cli, const char *who);

#endif
