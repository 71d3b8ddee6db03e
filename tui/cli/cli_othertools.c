/* cli_othertools.c: status and history for a database another migration
 * tool manages (see cli_othertools.h). */
#include "cli_othertools.h"
#include "format.h"
#include "json_out.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON ----------------------------------------------------------- */

static json_t *problems_json(const OtherTool *t)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < t->nproblems; i++) {
        const OtherProblem *p = &t->problems[i];
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_text(p->kind));
        json_object_set_new(o, "version", json_text(p->version));
        json_object_set_new(o, "message", json_text(p->message));
        json_object_set_new(o, "files", json_array());
        json_array_append_new(arr, o);
    }
    return arr;
}

/* The fields every tool has, into o. */
static void tool_fields(json_t *o, const OtherTool *t)
{
    json_object_set_new(o, "schema", json_text(t->schema));
    json_object_set_new(o, "table", json_text(t->table));
    json_object_set_new(o, "current", json_text_array(t->current, t->ncurrent));
    json_object_set_new(o, "heads", json_text_array(t->current, t->ncurrent));
    json_object_set_new(o, "applied", json_integer((json_int_t)t->applied));
    json_object_set_new(o, "pending", json_integer(0));
    json_object_set_new(o, "detail", json_text(t->detail));
    json_object_set_new(o, "problems", problems_json(t));
}

static json_t *status_json(DbConn *conn, const OtherToolList *l)
{
    const OtherTool *first = &l->items[0];
    json_t *root = json_object();
    json_object_set_new(root, "source", json_text(othertools_kind_name(first->kind)));
    json_object_set_new(root, "engine", json_text(db_engine_name(db_engine(conn))));
    json_object_set_new(root, "database", json_text(db_display_url(conn)));
    tool_fields(root, first);
    json_t *tools = json_array();
    for (size_t i = 0; i < l->count; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "source", json_text(othertools_kind_name(l->items[i].kind)));
        tool_fields(o, &l->items[i]);
        json_array_append_new(tools, o);
    }
    json_object_set_new(root, "tools", tools);
    return root;
}

static json_t *history_json(const OtherToolList *l)
{
    json_t *arr = json_array();
    for (size_t t = 0; t < l->count; t++) {
        const OtherTool *tool = &l->items[t];
        for (size_t i = tool->count; i-- > 0;) {
            const OtherMigration *m = &tool->history[i];
            json_t *o = json_object();
            json_object_set_new(o, "source", json_text(othertools_kind_name(tool->kind)));
            json_object_set_new(o, "version", json_text(m->version));
            json_object_set_new(o, "name", json_text(m->name));
            json_object_set_new(o, "group", json_text(m->group));
            json_object_set_new(o, "state", json_text(othertools_state_name(m->state)));
            json_object_set_new(o, "applied_at", json_text(m->applied_at));
            json_array_append_new(arr, o);
        }
    }
    json_t *root = json_object();
    json_object_set_new(root, "source", json_text(othertools_kind_name(l->items[0].kind)));
    json_object_set_new(root, "migrations", arr);
    return root;
}

/* ---- text ----------------------------------------------------------- */

/* The name recorded for version v, for "current 2 (add users)". */
static const char *name_of(const OtherTool *t, const char *v)
{
    for (size_t i = t->count; i-- > 0;)
        if (t->history[i].version && strcmp(t->history[i].version, v) == 0)
            return t->history[i].name;
    return NULL;
}

static void status_text(const OtherTool *t)
{
    printf("source      %s (table %s.%s)\n", othertools_kind_name(t->kind), fmt_esc(t->schema),
           fmt_esc(t->table));
    if (t->ncurrent == 0)
        printf("current     (none applied)\n");
    for (size_t i = 0; i < t->ncurrent; i++) {
        const char *name = name_of(t, t->current[i]);
        printf("current     %s%s%s%s\n", fmt_esc(t->current[i]), name ? " (" : "",
               fmt_esc(name), name ? ")" : "");
    }
    printf("applied     %zu\n", t->applied);
    printf("pending     0 (unknown: %s keeps its migration files where dbwarden does not "
           "read them)\n", othertools_kind_name(t->kind));
    if (t->detail)
        printf("detail      %s\n", fmt_esc(t->detail));
    for (size_t i = 0; i < t->nproblems; i++)
        printf("problem     %s\n", fmt_esc(t->problems[i].message));
}

static void history_text(const OtherToolList *l)
{
    printf("%-14s %-28s %-32s %-11s %s\n", "SOURCE", "VERSION", "NAME", "STATE", "APPLIED AT");
    for (size_t t = 0; t < l->count; t++) {
        const OtherTool *tool = &l->items[t];
        const char sep = tool->kind == OTHER_SQITCH ? ':' : '.';
        for (size_t i = tool->count; i-- > 0;) {
            const OtherMigration *m = &tool->history[i];
            char *version = m->group ? xasprintf("%s%c%s", m->group, sep, m->version)
                                     : xstrdup(m->version ? m->version : "(repeatable)");
            printf("%-14s %-28s %-32s %-11s %s\n", othertools_kind_name(tool->kind),
                   fmt_esc(version), fmt_esc(m->name), othertools_state_name(m->state),
                   fmt_esc(m->applied_at));
            free(version);
        }
    }
}

/* ---- the entry points ----------------------------------------------- */

static bool any_problem(const OtherToolList *l)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].nproblems)
            return true;
    return false;
}

int cli_othertools_print_status(const Cli *cli, DbConn *conn, const OtherToolList *l)
{
    if (cli->json) {
        json_emit(status_json(conn, l));
    } else {
        printf("database    %s (%s)\n", fmt_esc(db_display_url(conn)),
               db_engine_name(db_engine(conn)));
        for (size_t i = 0; i < l->count; i++) {
            if (i)
                putchar('\n');
            status_text(&l->items[i]);
        }
    }
    return any_problem(l) ? EXIT_PROBLEMS : EXIT_OK;
}

int cli_othertools_print_history(const Cli *cli, const OtherToolList *l)
{
    if (cli->json)
        json_emit(history_json(l));
    else
        history_text(l);
    return EXIT_OK;
}

/* Scans; on a tool found calls print; see cli_othertools.h. */
static int scan_and_print(const Cli *cli, DbConn *conn, bool *found, bool history)
{
    OtherToolList l;
    DbError err = DB_ERROR_INIT;
    *found = false;
    if (othertools_scan(conn, &l, &err) != 0) {
        *found = true;
        return cli_fail(&err);
    }
    int rc = EXIT_OK;
    if (l.count > 0) {
        *found = true;
        rc = history ? cli_othertools_print_history(cli, &l)
                     : cli_othertools_print_status(cli, conn, &l);
    }
    othertools_list_free(&l);
    return rc;
}

int cli_othertools_status(const Cli *cli, DbConn *conn, bool *found)
{
    return scan_and_print(cli, conn, found, false);
}

int cli_othertools_history(const Cli *cli, DbConn *conn, bool *found)
{
    return scan_and_print(cli, conn, found, true);
}
