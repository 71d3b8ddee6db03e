/* cli_seed.h: `dbwarden seed` (see cli_seed.c).
 *
 *   seed [demo|scale|files|FILE.sql] [--scale N] [--seed S] [--force]
 *        [--dry-run] [--json]        runs the "seed" action row
 *   seed [SET|FILE.sql] --reset       runs the "reset" row (every run
 *                                     without a set; --scale and --seed
 *                                     narrow a scale reset)
 *   seed list                         the sets, the ledger's runs, and the
 *                                     seeded rows in each table now
 * --force reaches the plan inside the action's argument (seed.h:
 * SeedRequest): on a production database seed and reset refuse without
 * it.  Progress goes to stderr as pgbench -i prints it (one line kept up
 * to date on a terminal, a line a second otherwise); Ctrl-C rolls back. */
#ifndef DBW_CLI_SEED_H
#define DBW_CLI_SEED_H

#include "cli.h"

int cli_cmd_seed(Cli *cli);

#endif
