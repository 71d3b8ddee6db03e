/* dialog.c: see dialog.h. */
#include "dialog.h"
#include "box.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define KEY_DEL 127

/* ---- key tables ------------------------------------------------------- */

static const KeyBinding lineedit_items[] = {
    { { '\r', '\n', KEY_ENTER }, "Enter", ACT_ACCEPT, "take what was typed", "keep" },
    { { KEY_ESC, KEY_CTRL('c') }, "Esc Ctrl-C", ACT_CANCEL, "give up typing", "cancel" },
    { { KEY_BACKSPACE, KEY_DEL, KEY_CTRL('h') }, "Backspace", ACT_ERASE,
      "delete the last character", NULL },
    { { KEY_CTRL('u') }, "Ctrl-U", ACT_CLEAR_LINE, "clear the line", NULL },
};

const KeyTable keys_lineedit = { "Typing (a filter, a name)", lineedit_items,
                                 COUNT(lineedit_items) };

static const KeyBinding dialog_items[] = {
    { { 'y', 'Y' }, "y", ACT_CONFIRM, "go on (not on production)", "yes" },
    { { '\r', '\n', KEY_ENTER }, "Enter", ACT_ACCEPT,
      "production: go on once the database name is typed", NULL },
    { { 'n', 'N', KEY_ESC, KEY_CTRL('c') }, "n Esc", ACT_CANCEL,
      "cancel: nothing is done (on production: Esc)", "no" },
    { { '\t' }, "Tab", ACT_TOGGLE_BACKUP, "turn the backup first off or on, for this run",
      "backup on/off" },
    { { KEY_UP }, "Up", ACT_UP, "scroll what will run up a line", NULL },
    { { KEY_DOWN }, "Down", ACT_DOWN, "scroll it down a line", NULL },
    { { KEY_PPAGE }, "PgUp", ACT_PAGE_UP, "scroll it up a page", NULL },
    { { KEY_NPAGE }, "PgDn", ACT_PAGE_DOWN, "scroll it down a page", NULL },
    { { KEY_HOME }, "Home", ACT_TOP, "its first line", NULL },
    { { KEY_END }, "End", ACT_BOTTOM, "its last line", NULL },
};

const KeyTable keys_dialog = { "Confirmation dialog", dialog_items, COUNT(dialog_items) };

/* ---- one-line input ----------------------------------------------------- */

void lineedit_clear(LineEdit *e)
{
    e->len = 0;
    e->buf[0] = '\0';
}

LineResult lineedit_key(LineEdit *e, int key)
{
    switch (keys_action(&keys_lineedit, key)) {
    case ACT_ACCEPT: return LINE_ACCEPT;
    case ACT_CANCEL: return LINE_CANCEL;
    case ACT_ERASE:
        if (e->len > 0)
            e->buf[--e->len] = '\0';
        return LINE_EDITING;
    case ACT_CLEAR_LINE:
        lineedit_clear(e);
        return LINE_EDITING;
    default:
        break;
    }
    if (key < ' ' || key > '~')
        return LINE_IGNORED;
    if (e->len + 1 < LINEEDIT_MAX) {
        e->buf[e->len++] = (char)key;
        e->buf[e->len] = '\0';
    }
    return LINE_EDITING;
}

void lineedit_draw(WINDOW *w, int y, int x, int width, const char *prompt, const LineEdit *e,
                   const Palette *pal)
{
    palette_use(w, pal, SLOT_TITLE);
    int pw = text_add(w, y, x, width, prompt);
    int room = width - pw - 1;   /* one column for the cursor */
    palette_use(w, pal, SLOT_NORMAL);
    if (room <= 0)
        return;
    const char *shown = e->buf;
    if ((int)e->len > room)
        shown = e->buf + e->len - (size_t)room;   /* ASCII: one column a byte */
    int tw = text_add(w, y, x + pw, room, shown);
    palette_use(w, pal, SLOT_GRID_SELECTED);
    text_put(w, y, x + pw + tw, 1, "", ALIGN_LEFT);
    palette_use(w, pal, SLOT_NORMAL);
}

/* ---- scrollable text -------------------------------------------------- */

static void push_line(TextScroll *t, const char *s, size_t n)
{
    size_t tabs = 0;
    for (size_t i = 0; i < n; i++)
        tabs += s[i] == '\t';
    char *line = xmalloc(n + tabs * 3 + 1), *o = line;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\t') {
            memcpy(o, "    ", 4);
            o += 4;
        } else if (s[i] != '\r') {
            *o++ = s[i];
        }
    }
    *o = '\0';
    t->lines = xrealloc(t->lines, (t->count + 1) * sizeof *t->lines);
    t->lines[t->count++] = line;
}

void textscroll_add(TextScroll *t, const char *text)
{
    const char *p = text ? text : "";
    for (;;) {
        const char *nl = strchr(p, '\n');
        push_line(t, p, nl ? (size_t)(nl - p) : strlen(p));
        if (!nl)
            break;
        p = nl + 1;
    }
}

void textscroll_free(TextScroll *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->lines[i]);
    free(t->lines);
    *t = (TextScroll){ NULL, 0, 0, 1 };
}

void textscroll_set(TextScroll *t, const char *text)
{
    textscroll_free(t);
    if (!text)
        return;
    size_t n = strlen(text);
    while (n > 0 && text[n - 1] == '\n')   /* no empty last line */
        n--;
    char *copy = xstrndup(text, n);
    textscroll_add(t, copy);
    free(copy);
}

size_t textscroll_fit_bytes(const char *s, int width)
{
    size_t n = 0, space = 0;
    int used = 0;
    while (s[n]) {
        unsigned char c = (unsigned char)s[n];
        size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        char one[5] = { 0 };
        for (size_t k = 0; k < len && s[n + k]; k++)
            one[k] = s[n + k];
        len = strlen(one);
        int cw = text_width(one);
        if (used + cw > width)
            break;
        used += cw;
        n += len;
        if (c == ' ')
            space = n;
    }
    if (s[n] && space > n / 2)
        return space;
    return n ? n : strlen(s) ? 1 : 0;
}

void textscroll_set_wrapped(TextScroll *t, const char *text, int width)
{
    size_t top = t->top;
    textscroll_set(t, text);
    if (width < 8)
        return;
    TextScroll w = { NULL, 0, 0, t->page };
    for (size_t i = 0; i < t->count; i++) {
        const char *p = t->lines[i];
        size_t indent = strspn(p, " ");
        bool first = true;
        do {
            int room = first ? width : width - (int)indent - 2;
            size_t n = textscroll_fit_bytes(p, room);
            char *line = first ? xstrndup(p, n)
                               : xasprintf("%*s%.*s", (int)indent + 2, "", (int)n, p);
            push_line(&w, line, strlen(line));
            free(line);
            p += n;
            first = false;
        } while (*p);
    }
    textscroll_free(t);
    *t = w;
    t->top = top;
}

static size_t max_top(const TextScroll *t)
{
    size_t page = t->page > 1 ? (size_t)t->page : 1;
    return t->count > page ? t->count - page : 0;
}

void textscroll_fit(TextScroll *t, int page)
{
    t->page = page > 1 ? page : 1;
    if (t->top > max_top(t))
        t->top = max_top(t);
}

bool textscroll_at_end(const TextScroll *t)
{
    return t->top >= max_top(t);
}

bool textscroll_apply(TextScroll *t, KeyAction a)
{
    size_t page = t->page > 1 ? (size_t)t->page - 1 : 1;
    switch (a) {
    case ACT_UP: t->top = t->top ? t->top - 1 : 0; break;
    case ACT_DOWN: t->top++; break;
    case ACT_PAGE_UP: t->top = t->top > page ? t->top - page : 0; break;
    case ACT_PAGE_DOWN: t->top += page; break;
    case ACT_TOP: t->top = 0; break;
    case ACT_BOTTOM: t->top = max_top(t); break;
    default: return false;
    }
    if (t->top > max_top(t))
        t->top = max_top(t);
    return true;
}

/* ---- the dialog -------------------------------------------------------- */

struct Dialog {
    char        *title, *summary, *target, *name, *what, *warning;
    int          wrapped_for;    /* the width body was wrapped to */
    char        *backup_folder, *backup_problem;
    TextScroll   body;
    DialogBackup backup;
    LineEdit     typed;          /* production: the name as typed so far */
    char        *note;           /* owned: why the last answer was refused */
};

Dialog *dialog_new(const DialogSpec *s)
{
    Dialog *d = xcalloc(1, sizeof *d);
    d->title = xstrdup(s->title ? s->title : "Go on?");
    d->summary = xstrdup(s->summary ? s->summary : "");
    d->warning = s->warning && *s->warning ? xstrdup(s->warning) : NULL;
    d->target = xstrdup(s->target);
    d->name = xstrdup(s->production_name);
    d->backup_folder = xstrdup(s->backup_folder && *s->backup_folder ? s->backup_folder
                                                                       : "backups");
    d->backup_problem = xstrdup(s->backup_problem);
    d->backup = s->backup;
    d->what = xstrdup(s->what ? s->what : "");
    d->body.page = 1;
    textscroll_set(&d->body, d->what);
    return d;
}

void dialog_free(Dialog *d)
{
    if (!d)
        return;
    free(d->title);
    free(d->summary);
    free(d->warning);
    free(d->target);
    free(d->name);
    free(d->what);
    free(d->backup_folder);
    free(d->backup_problem);
    free(d->note);
    textscroll_free(&d->body);
    free(d);
}

bool dialog_backup(const Dialog *d)
{
    return d->backup == DIALOG_BACKUP_ON;
}

static void set_note(Dialog *d, const char *text)
{
    free(d->note);
    d->note = xstrdup(text);
}

/* The user said go on: refused while the backup wanted cannot be taken,
 * or (production) while the name typed is not the database's. */
static DialogResult go_on(Dialog *d)
{
    if (d->backup == DIALOG_BACKUP_UNAVAILABLE) {
        set_note(d, "No backup can be taken (see above): press Tab to go on without one, "
                    "or n to cancel.");
        return DIALOG_OPEN;
    }
    if (d->name && strcmp(d->typed.buf, d->name) != 0) {
        char *msg = xasprintf("That is not the database name: type %s in full, then Enter.",
                              d->name);
        set_note(d, msg);
        free(msg);
        return DIALOG_OPEN;
    }
    return DIALOG_YES;
}

DialogResult dialog_key(Dialog *d, int key)
{
    if (key == '?' && !d->name)
        return DIALOG_PASS;
    if (key == KEY_F(1) || key == KEY_CTRL('l'))
        return DIALOG_PASS;
    KeyAction act = keys_action(&keys_dialog, key);
    if (textscroll_apply(&d->body, act))
        return DIALOG_OPEN;
    if (act == ACT_TOGGLE_BACKUP) {
        if (d->backup == DIALOG_BACKUP_ON || d->backup == DIALOG_BACKUP_UNAVAILABLE)
            d->backup = DIALOG_BACKUP_OFF;
        else if (d->backup == DIALOG_BACKUP_OFF)
            d->backup = d->backup_problem ? DIALOG_BACKUP_UNAVAILABLE : DIALOG_BACKUP_ON;
        free(d->note);
        d->note = NULL;
        return DIALOG_OPEN;
    }
    if (d->name) {   /* production: letters are typed; Enter goes on */
        if (key == KEY_ESC || key == KEY_CTRL('c'))
            return DIALOG_NO;
        if (act == ACT_ACCEPT)
            return go_on(d);
        if (lineedit_key(&d->typed, key) == LINE_EDITING) {
            free(d->note);
            d->note = NULL;
        }
        return DIALOG_OPEN;
    }
    if (act == ACT_CANCEL)
        return DIALOG_NO;
    if (act == ACT_CONFIRM)
        return go_on(d);
    return DIALOG_OPEN;   /* modal: every other key is swallowed */
}

ThemeSlot textscroll_sql_slot(const char *line)
{
    while (*line == ' ')
        line++;
    if (strncmp(line, "-- migrate:", 11) == 0)
        return SLOT_TITLE;
    if (strncmp(line, "--", 2) == 0)
        return SLOT_DIM;
    return SLOT_NORMAL;
}

static void fill(WINDOW *w, int y, int x, int width, const Palette *pal)
{
    palette_use(w, pal, SLOT_NORMAL);
    text_put(w, y, x, width, "", ALIGN_LEFT);
}

static void draw_backup_line(WINDOW *w, int y, int x, int width, const Dialog *d,
                             const Palette *pal)
{
    char *text = NULL;
    ThemeSlot slot = SLOT_NORMAL;
    switch (d->backup) {
    case DIALOG_BACKUP_NONE:
        return;
    case DIALOG_BACKUP_ON:
        text = xasprintf("Backup first into %s/  (Tab: no backup)", d->backup_folder);
        slot = SLOT_STATE_APPLIED;
        break;
    case DIALOG_BACKUP_OFF:
        text = xstrdup("No backup will be taken  (Tab: take one)");
        slot = SLOT_STATE_PENDING;
        break;
    case DIALOG_BACKUP_UNAVAILABLE:
        text = xasprintf("No backup can be taken: %s", d->backup_problem);
        slot = SLOT_STATE_PROBLEM;
        break;
    }
    palette_use(w, pal, slot);
    text_add(w, y, x, width, text);
    palette_use(w, pal, SLOT_NORMAL);
    free(text);
}

static void draw_answer_line(WINDOW *w, int y, int x, int width, Dialog *d,
                             const Palette *pal)
{
    if (d->name) {
        char *prompt = xasprintf("Production: type the name (%s) and Enter: ", d->name);
        if (width - text_width(prompt) < 12) {
            free(prompt);
            prompt = xasprintf("Name (%s): ", d->name);
        }
        lineedit_draw(w, y, x, width, prompt, &d->typed, pal);
        free(prompt);
        return;
    }
    static const char *const parts[][2] = {
        { "y", " go on   " }, { "n", "/" }, { "Esc", " cancel   " },
        { "PgUp/PgDn", " scroll" },
    };
    int cx = x;
    for (size_t i = 0; i < COUNT(parts) && cx < x + width; i++) {
        palette_use(w, pal, SLOT_HELP_KEY);
        cx += text_add(w, y, cx, x + width - cx, parts[i][0]);
        palette_use(w, pal, SLOT_NORMAL);
        cx += text_add(w, y, cx, x + width - cx, parts[i][1]);
    }
}

void dialog_draw(WINDOW *w, Dialog *d, const Palette *pal)
{
    int h = getmaxy(w), wd = getmaxx(w);
    int my = h > 14 ? 1 : 0, mx = wd > 60 ? 2 : 0;
    int bh = h - 2 * my, bw = wd - 2 * mx, iw = bw - 4;
    if (bh < 5 || bw < 12)
        return;
    if (d->wrapped_for != iw - 1) {
        textscroll_set_wrapped(&d->body, d->what, iw - 1);
        d->wrapped_for = iw - 1;
    }
    /* as tall as the text needs, centred */
    int need = 2 + (text_width(d->summary) > iw ? 2 : 1) + (d->target ? 1 : 0) + 1 +
               (d->warning ? (text_width(d->warning) > iw ? 2 : 1) : 0) +
               (int)d->body.count + (d->backup != DIALOG_BACKUP_NONE) + 1 + (d->note != NULL);
    if (need < bh)
        bh = need;
    int y0 = (h - bh) / 2, x0 = mx;
    for (int y = y0; y < y0 + bh; y++)   /* nothing of the pane beside the box */
        fill(w, y, 0, wd, pal);
    box_draw(w, y0, x0, bh, bw, d->title, pal, false);
    int x = x0 + 2, y = y0 + 1, bottom = y0 + bh - 1;
    /* from the bottom up: the note, the answer line, the backup line */
    int ny = d->note ? --bottom : -1;
    int ay = --bottom;
    int by = d->backup != DIALOG_BACKUP_NONE ? --bottom : -1;
    if (y < bottom) {
        palette_use(w, pal, SLOT_NORMAL);
        y += text_wrap(w, y, x, iw, bottom - y > 3 ? 2 : 1, d->summary);
    }
    if (y < bottom && d->warning) {
        palette_use(w, pal, SLOT_STATE_PROBLEM);
        y += text_wrap(w, y, x, iw, bottom - y > 4 ? 2 : 1, d->warning);
    }
    if (y < bottom && d->target) {
        palette_use(w, pal, d->name ? SLOT_STATE_PROBLEM : SLOT_DIM);
        char *t = xasprintf("on %s%s", d->target, d->name ? "  (environment: production)" : "");
        text_add(w, y++, x, iw, t);
        free(t);
    }
    if (y < bottom) {
        char head[96];
        int page = bottom - y - 1;
        textscroll_fit(&d->body, page);
        size_t last = d->body.top + (size_t)(page > 0 ? page : 0);
        if (last > d->body.count)
            last = d->body.count;
        if (page > 0 && d->body.count)
            snprintf(head, sizeof head, "What will run (lines %zu-%zu of %zu):",
                     d->body.top + 1, last, d->body.count);
        else
            snprintf(head, sizeof head, "What will run: %zu lines", d->body.count);
        palette_use(w, pal, SLOT_GRID_HEADER);
        text_add(w, y++, x, iw, head);
        for (size_t i = d->body.top; i < last && y < bottom; i++) {
            palette_use(w, pal, textscroll_sql_slot(d->body.lines[i]));
            text_add(w, y++, x + 1, iw - 1, d->body.lines[i]);
        }
    }
    if (by >= 0)
        draw_backup_line(w, by, x, iw, d, pal);
    draw_answer_line(w, ay, x, iw, d, pal);
    if (ny >= 0) {
        palette_use(w, pal, SLOT_STATUS_ERROR);
        text_put(w, ny, x, iw, d->note, ALIGN_LEFT);
    }
    palette_use(w, pal, SLOT_NORMAL);
}
