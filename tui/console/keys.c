/* keys.c: the key tables (see keys.h). */
#include "keys.h"

#include "tcurses.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const KeyBinding global_items[] = {
    { { '?', KEY_F(1) }, "? F1", ACT_HELP, "show or hide this help", "help" },
    { { 'q' }, "q", ACT_QUIT, "quit", "quit" },
    { { '\t' }, "Tab", ACT_NEXT_PANE, "next pane", "pane" },
    { { KEY_BTAB }, "Shift-Tab", ACT_PREV_PANE, "previous pane", NULL },
    { { '1', '2', '3', '4', '5' }, "1-5", ACT_GOTO_PANE, "go to pane 1 to 5", NULL },
    { { 'r', KEY_F(5) }, "r F5", ACT_RELOAD, "reload the pane from the database", "reload" },
    { { 'm' }, "m", ACT_MESSAGES, "every message of this session, in full, with its time",
      "messages" },
    { { KEY_CTRL('l') }, "Ctrl-L", ACT_REPAINT, "repaint the screen", NULL },
    { { KEY_CTRL('c') }, "Ctrl-C", ACT_INTERRUPT, "stop the running job (migration, backup)", NULL },
};

static const KeyBinding help_items[] = {
    { { KEY_ESC, '?', 'q', KEY_F(1) }, "Esc ? q", ACT_CLOSE, "close this help", NULL },
    { { KEY_NPAGE, KEY_DOWN, 'j', ' ' }, "PgDn j", ACT_PAGE_DOWN, "more keys (next section)", NULL },
    { { KEY_PPAGE, KEY_UP, 'k' }, "PgUp k", ACT_PAGE_UP, "previous section", NULL },
};

static const KeyBinding list_items[] = {
    { { KEY_UP, 'k' }, "Up k", ACT_UP, "previous row", NULL },
    { { KEY_DOWN, 'j' }, "Down j", ACT_DOWN, "next row", NULL },
    { { KEY_PPAGE, KEY_CTRL('b') }, "PgUp Ctrl-B", ACT_PAGE_UP, "one page up", NULL },
    { { KEY_NPAGE, KEY_CTRL('f'), ' ' }, "PgDn Ctrl-F Space", ACT_PAGE_DOWN, "one page down", NULL },
    { { 'g', KEY_HOME }, "g Home", ACT_TOP, "first row", NULL },
    { { 'G', KEY_END }, "G End", ACT_BOTTOM, "last row", NULL },
};

const KeyTable keys_global = { "Everywhere", global_items, COUNT(global_items) };
const KeyTable keys_help = { "In this help", help_items, COUNT(help_items) };
const KeyTable keys_list = { "Lists", list_items, COUNT(list_items) };

const KeyBinding *keys_lookup(const KeyTable *t, int key, int *index)
{
    if (!t || key == 0)
        return NULL;
    for (size_t i = 0; i < t->count; i++)
        for (int k = 0; k < KEYS_PER_BINDING && t->items[i].keys[k]; k++)
            if (t->items[i].keys[k] == key) {
                if (index)
                    *index = k;
                return &t->items[i];
            }
    return NULL;
}

KeyAction keys_action(const KeyTable *t, int key)
{
    const KeyBinding *b = keys_lookup(t, key, NULL);
    return b ? b->action : ACT_NONE;
}
