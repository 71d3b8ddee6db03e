/* cli_actions.c: `dbwarden actions`: every change dbwarden can make (the
 * rows of core/action.h's table), with its guard and the command that runs
 * it.  Nothing is connected to. */
#include "action.h"
#include "cli.h"
#include "format.h"
#include "json_out.h"

#include <stdio.h>

static const char *guard_text(unsigned f, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s%s", f & ACTION_WRITES ? "writes" : "reads",
             f & ACTION_DESTRUCTIVE ? ", asks and backs up first" : "",
             f & ACTION_RUN_LOCK ? ", run lock" : "", f & ACTION_LONG ? ", cancellable" : "");
    return buf;
}

int cli_cmd_actions(Cli *cli)
{
    if (cli->json) {
        json_t *arr = json_array();
        for (size_t i = 0; action_table[i]; i++) {
            const Action *a = action_table[i];
            json_t *o = json_object();
            json_object_set_new(o, "name", json_text(a->name));
            json_object_set_new(o, "command", json_text(a->command));
            json_object_set_new(o, "help", json_text(a->help));
            json_object_set_new(o, "writes", json_boolean(a->flags & ACTION_WRITES));
            json_object_set_new(o, "destructive", json_boolean(a->flags & ACTION_DESTRUCTIVE));
            json_object_set_new(o, "run_lock", json_boolean(a->flags & ACTION_RUN_LOCK));
            json_object_set_new(o, "long", json_boolean(a->flags & ACTION_LONG));
            json_array_append_new(arr, o);
        }
        json_t *root = json_object();
        json_object_set_new(root, "actions", arr);
        json_emit(root);
        return EXIT_OK;
    }
    printf("%-12s %-42s %s\n", "ACTION", "COMMAND", "GUARD");
    for (size_t i = 0; action_table[i]; i++) {
        const Action *a = action_table[i];
        char guard[96];
        printf("%-12s %-42s %s\n", a->name, a->command ? a->command : "-",
               guard_text(a->flags, guard, sizeof guard));
        printf("%-12s %s\n", "", a->help);
    }
    printf("\nThose that write are refused with --read-only and ask for the database's name "
           "on production;\nthose that hold the run lock are planned again under it before "
           "they run.\n");
    return EXIT_OK;
}
