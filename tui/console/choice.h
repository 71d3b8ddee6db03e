/* choice.h: a small modal list to pick one of a few things from, e.g.
 * which of two current Alembic heads to roll back.
 *
 * A pane keeps a Choice while it is open: choice_new() with a title, one
 * line saying what is asked, and the items; it hands every key to
 * choice_key() and draws it over its content with choice_draw().
 * choice_key() says when the user picked an item (Enter, or its number
 * 1-9: choice_selected() tells which) or gave up (Esc, n, Ctrl-C).  The
 * keys are in keys_choice, so help lists them. */
#ifndef DBW_CHOICE_H
#define DBW_CHOICE_H

#include <stddef.h>

#include "colors.h"
#include "keys.h"

typedef struct Choice Choice;

typedef enum ChoiceResult {
    CHOICE_OPEN = 0,   /* still asking */
    CHOICE_PICKED,     /* choice_selected() is the item */
    CHOICE_CANCELLED,
    CHOICE_PASS        /* not for the list (help): let the console have it */
} ChoiceResult;

extern const KeyTable keys_choice;

/* Copies everything; n >= 1. */
Choice      *choice_new(const char *title, const char *question, const char *const *items,
                        size_t n);
ChoiceResult choice_key(Choice *c, int key);
size_t       choice_selected(const Choice *c);
/* Draws the list in a box in the middle of w. */
void         choice_draw(WINDOW *w, const Choice *c, const Palette *pal);
void         choice_free(Choice *c);   /* NULL is fine */

#endif
