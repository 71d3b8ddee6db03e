/* cli_schema.c: the schema command (tables, views, row counts). */
#include "catalog.h"
#include "cli.h"
#include "json_out.h"

#include <stdio.h>
#include <string.h>

int cli_cmd_schema(Cli *cli)
{
    DbConn *conn;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    CatTableList tl;
    DbError err = DB_ERROR_INIT;
    if (catalog_list_tables(conn, &tl, &err) != 0) {
        db_close(conn);
        return cli_fail(&err);
    }
    const char *only = cli->argc ? cli->argv[0] : NULL;
    size_t shown = 0;
    json_t *arr = json_array();
    if (!cli->json)
        printf("%-12s %-40s %-5s %12s %12s\n", "SCHEMA", "NAME", "KIND", "ROWS", "BYTES");
    for (size_t i = 0; i < tl.count; i++) {
        const CatTable *t = &tl.items[i];
        if (only && strcmp(t->name, only) != 0)
            continue;
        shown++;
        if (cli->json) {
            json_t *o = json_object();
            json_object_set_new(o, "name", json_text(t->name));
            json_object_set_new(o, "schema", json_text(t->schema));
            json_object_set_new(o, "kind", json_text(t->is_view ? "view" : "table"));
            json_object_set_new(o, "rows_estimate", t->rows >= 0 ? json_integer(t->rows) : json_null());
            json_object_set_new(o, "bytes", t->bytes >= 0 ? json_integer(t->bytes) : json_null());
            json_array_append_new(arr, o);
        } else {
            char rows[32] = "?", bytes[32] = "-";
            if (t->rows >= 0)
                snprintf(rows, sizeof rows, "%lld", (long long)t->rows);
            if (t->bytes >= 0)
                snprintf(bytes, sizeof bytes, "%lld", (long long)t->bytes);
            printf("%-12s %-40s %-5s %12s %12s\n", t->schema, t->name,
                   t->is_view ? "view" : "table", rows, bytes);
        }
    }
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "tables", arr);
        json_emit(o);
    } else {
        json_decref(arr);
    }
    catalog_tables_free(&tl);
    db_close(conn);
    if (only && shown == 0) {
        cli_error("no table named '%s'", only);
        return EXIT_PROBLEMS;
    }
    return EXIT_OK;
}
