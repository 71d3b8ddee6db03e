/* keys_card.c: `dbwarden keys`: the console's keys, pane by pane, as the
 * help overlay shows them, and which keys run which action rows
 * (core/action.h); --json for tests and tools.  Opens no terminal. */
#include "cli.h"
#include "json_out.h"
#include "keys.h"
#include "pane.h"

#include <stdio.h>

/* The binding of action act in the pane's tables, or NULL. */
static const KeyBinding *binding_of(const PaneClass *cls, KeyAction act)
{
    const KeyTable *t = cls->keys;
    for (size_t i = 0; t && i < t->count; i++)
        if (t->items[i].action == act)
            return &t->items[i];
    for (const KeyTable *const *m = cls->more_keys; m && *m; m++)
        for (size_t i = 0; i < (*m)->count; i++)
            if ((*m)->items[i].action == act)
                return &(*m)->items[i];
    return NULL;
}

static json_t *table_json(const KeyTable *t)
{
    json_t *keys = json_array();
    for (size_t i = 0; i < t->count; i++) {
        json_t *k = json_object();
        json_object_set_new(k, "keys", json_text(t->items[i].label));
        json_object_set_new(k, "help", json_text(t->items[i].help));
        json_array_append_new(keys, k);
    }
    json_t *o = json_object();
    json_object_set_new(o, "title", json_text(t->title));
    json_object_set_new(o, "keys", keys);
    return o;
}

static void table_text(const KeyTable *t)
{
    printf("  %s\n", t->title);
    for (size_t i = 0; i < t->count; i++)
        printf("    %-18s %s\n", t->items[i].label, t->items[i].help);
}

static int keys_json(void)
{
    json_t *panes = json_array();
    for (size_t p = 0; p < pane_registry_count; p++) {
        const PaneClass *cls = pane_registry[p];
        json_t *tables = json_array(), *actions = json_array();
        if (cls->keys)
            json_array_append_new(tables, table_json(cls->keys));
        for (const KeyTable *const *m = cls->more_keys; m && *m; m++)
            json_array_append_new(tables, table_json(*m));
        for (const PaneActionKey *k = cls->action_keys; k && k->action; k++) {
            const KeyBinding *b = binding_of(cls, k->key);
            json_t *o = json_object();
            json_object_set_new(o, "action", json_text(k->action));
            json_object_set_new(o, "keys", b ? json_text(b->label) : json_null());
            json_object_set_new(o, "help", b ? json_text(b->help) : json_null());
            json_array_append_new(actions, o);
        }
        json_t *o = json_object();
        json_object_set_new(o, "pane", json_text(cls->title));
        json_object_set_new(o, "number", json_integer((json_int_t)p + 1));
        json_object_set_new(o, "tables", tables);
        json_object_set_new(o, "actions", actions);
        json_array_append_new(panes, o);
    }
    json_t *root = json_object();
    json_object_set_new(root, "global", table_json(&keys_global));
    json_object_set_new(root, "panes", panes);
    json_emit(root);
    return EXIT_OK;
}

int cli_cmd_keys(Cli *cli)
{
    if (cli->json)
        return keys_json();

    table_text(&keys_global);
    for (size_t p = 0; p < pane_registry_count; p++) {
        const PaneClass *cls = pane_registry[p];
        printf("\n%zu %s\n", p + 1, cls->title);
        if (cls->keys)
            table_text(cls->keys);
        for (const KeyTable *const *m = cls->more_keys; m && *m; m++)
            table_text(*m);
        for (const PaneActionKey *k = cls->action_keys; k && k->action; k++) {
            const KeyBinding *b = binding_of(cls, k->key);
            printf("    %-18s runs the action '%s' (dbwarden actions)\n", b ? b->label : "?",
                   k->action);
        }
    }
    return EXIT_OK;
}
