/* textview.c: see textview.h. */
#include "textview.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MIN_ROOM 8

static const KeyBinding textview_items[] = {
    { { 'h', KEY_LEFT }, "h Left", ACT_LEFT, "scroll left (long lines that do not wrap)", NULL },
    { { 'l', KEY_RIGHT }, "l Right", ACT_RIGHT, "scroll right", NULL },
    { { '0' }, "0", ACT_LINE_START, "back to the first column", NULL },
    { { '$' }, "$", ACT_LINE_END, "to the end of the longest line", NULL },
    { { 'w' }, "w", ACT_WRAP, "wrap long lines, or scroll them sideways", "wrap" },
    { { '/' }, "/", ACT_FILTER, "search (a regular expression) as you type; "
      "Enter keeps it, Esc goes back", "search" },
    { { 'n' }, "n", ACT_NEXT_MATCH, "next match (wraps)", NULL },
    { { 'N' }, "N", ACT_PREV_MATCH, "previous match", NULL },
};

const KeyTable keys_textview = { "In every text (SQL, DDL, a value, the log)", textview_items,
                                 COUNT(textview_items) };

void tv_init(TextView *tv, const Pane *pane, bool wrap)
{
    memset(tv, 0, sizeof *tv);
    tv->pane = pane;
    tv->wrap = wrap;
    tv->page = 1;
    tv->text.page = 1;
}

static void clear_rows(TextView *tv)
{
    free(tv->rows);
    tv->rows = NULL;
    tv->nrows = 0;
    tv->built = 0;
    tv->longest = 0;
}

void tv_free(TextView *tv)
{
    textscroll_free(&tv->text);
    free(tv->kinds);
    clear_rows(tv);
    rx_free(tv->search);
    free(tv->search_text);
    free(tv->before);
    free(tv->bad);
    memset(tv, 0, sizeof *tv);
}

void tv_set_text(TextView *tv, const char *text)
{
    textscroll_set(&tv->text, text);
    free(tv->kinds);
    tv->kinds = NULL;
    tv->nkinds = 0;
    tv->has_at = false;
    clear_rows(tv);
    tv->top = tv->top_line = 0;
    tv->left = 0;
}

void tv_append(TextView *tv, const char *text)
{
    textscroll_add(&tv->text, text);
}

void tv_append_entry(TextView *tv, time_t when, int kind, const char *text)
{
    char stamp[16];
    struct tm tm;
    localtime_r(&when, &tm);
    strftime(stamp, sizeof stamp, "%H:%M:%S  ", &tm);
    char *line = xasprintf("%s%s", stamp, text);
    for (char *nl = strchr(line, '\n'); nl; nl = strchr(nl, '\n'))
        *nl = ' ';
    tv_append(tv, line);
    free(line);
    size_t n = tv->text.count;
    tv->kinds = xrealloc(tv->kinds, n * sizeof *tv->kinds);
    for (size_t i = tv->nkinds; i < n; i++)
        tv->kinds[i] = 0;
    tv->kinds[n - 1] = kind;
    tv->nkinds = n;
}

int tv_kind(const TextView *tv, size_t i)
{
    return i < tv->nkinds ? tv->kinds[i] : 0;
}

size_t tv_lines(const TextView *tv)
{
    return tv->text.count;
}

const char *tv_line(const TextView *tv, size_t i)
{
    return i < tv->text.count ? tv->text.lines[i] : "";
}

bool tv_matches(const TextView *tv, size_t i)
{
    const char *l = tv_line(tv, i);
    return tv->search && rx_match(tv->search, l, strlen(l), NULL, 0);
}

bool tv_prompting(const TextView *tv)
{
    return tv->prompting;
}

/* ---- rows --------------------------------------------------------------- */

static void push_row(TextView *tv, size_t line, size_t off, size_t len, int indent)
{
    if (tv->nrows % 64 == 0)
        tv->rows = xrealloc(tv->rows, (tv->nrows + 64) * sizeof *tv->rows);
    tv->rows[tv->nrows++] = (TvRow){ line, off, len, indent };
}

static void make_rows(TextView *tv, size_t line)
{
    const char *s = tv->text.lines[line];
    int w = text_width(s);
    if (w > tv->longest)
        tv->longest = w;
    size_t len = strlen(s);
    if (!tv->wrap || w <= tv->width || len == 0) {
        push_row(tv, line, 0, len, 0);
        return;
    }
    /* wrapped rows under the line's text, hang columns further in */
    int indent = (int)strspn(s, " ") + tv->hang;
    if (indent > tv->width - MIN_ROOM)
        indent = tv->width - MIN_ROOM > 0 ? tv->width - MIN_ROOM : 0;
    size_t off = 0;
    for (bool first = true; off < len; first = false) {
        int at = first ? 0 : indent;
        size_t n = textscroll_fit_bytes(s + off, tv->width - at);
        push_row(tv, line, off, n, at);
        off += n;
        while (off < len && s[off] == ' ')
            off++;   /* a wrapped row starts at a word */
    }
}

static size_t row_of_line(const TextView *tv, size_t line)
{
    size_t lo = 0, hi = tv->nrows;
    while (lo < hi) {   /* the first row of line: rows are in line order */
        size_t mid = (lo + hi) / 2;
        if (tv->rows[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < tv->nrows ? lo : (tv->nrows ? tv->nrows - 1 : 0);
}

/* Makes the rows for width text columns (again when the width or the
 * wrapping changed), the line on top kept. */
static void build(TextView *tv, int width)
{
    if (width < MIN_ROOM)
        width = MIN_ROOM;
    if (width != tv->width) {
        clear_rows(tv);
        tv->width = width;
    }
    bool fresh = tv->built == 0;
    for (; tv->built < tv->text.count; tv->built++)
        make_rows(tv, tv->built);
    if (fresh || tv->relocate)
        tv->top = row_of_line(tv, tv->top_line);
    tv->relocate = false;
}

static size_t max_top(const TextView *tv)
{
    size_t page = tv->page > 1 ? (size_t)tv->page : 1;
    return tv->nrows > page ? tv->nrows - page : 0;
}

static void set_top(TextView *tv, size_t top)
{
    if (top > max_top(tv))
        top = max_top(tv);
    tv->top = top;
    tv->top_line = tv->nrows ? tv->rows[top].line : 0;
}

static void show_line(TextView *tv, size_t line)
{
    tv->top_line = line;
    tv->follow = false;
    if (tv->built < tv->text.count || tv->nrows == 0)
        tv->relocate = true;   /* the rows come at the next draw */
    else
        set_top(tv, row_of_line(tv, line));
}

/* ---- the search ---------------------------------------------------------- */

/* The next line from `from` that matches, towards dir (0: from itself,
 * forwards), round the text; false when none does. */
static bool find(const TextView *tv, size_t from, int dir, size_t *found)
{
    size_t n = tv->text.count;
    for (size_t k = dir == 0 ? 0 : 1; n && k <= n; k++) {
        size_t i = dir < 0 ? (from + n - k % n) % n : (from + k) % n;
        if (tv_matches(tv, i)) {
            *found = i;
            return true;
        }
    }
    return false;
}

static void use_search(TextView *tv, Rx *rx, const char *text)
{
    rx_free(tv->search);
    free(tv->search_text);
    tv->search = rx;
    tv->search_text = rx && text ? xstrdup(text) : NULL;
}

/* What is typed so far: the first match from where the prompt opened. */
static void typed(TextView *tv)
{
    free(tv->bad);
    tv->bad = NULL;
    tv->missed = false;
    if (tv->edit.len == 0) {
        use_search(tv, NULL, NULL);
        show_line(tv, tv->before_top);
        return;
    }
    char *why = NULL;
    Rx *rx = rx_compile_typed(tv->edit.buf, &why);
    if (!rx) {
        tv->bad = why;
        return;
    }
    use_search(tv, rx, tv->edit.buf);
    size_t at;
    tv->has_at = find(tv, tv->before_top, 0, &at);
    if (tv->has_at) {
        tv->at = at;
        show_line(tv, at);
    } else {
        tv->missed = true;
    }
}

static bool prompt_key(TextView *tv, int key)
{
    switch (lineedit_key(&tv->edit, key)) {
    case LINE_ACCEPT:
        tv->prompting = false;
        if (tv->bad)
            pane_say(tv->pane, true, "%s", tv->bad);
        else if (tv->missed)
            pane_say(tv->pane, true, "Nothing matches /%s/.", tv->search_text);
        break;
    case LINE_CANCEL: {
        tv->prompting = false;
        char *why = NULL;
        Rx *rx = tv->before ? rx_compile_typed(tv->before, &why) : NULL;
        free(why);
        use_search(tv, rx, tv->before);
        tv->has_at = false;
        show_line(tv, tv->before_top);
        break;
    }
    case LINE_EDITING:
        typed(tv);
        break;
    case LINE_IGNORED:
        return true;
    }
    if (!tv->prompting) {
        free(tv->bad);
        free(tv->before);
        tv->bad = tv->before = NULL;
    }
    return true;
}

static void open_prompt(TextView *tv)
{
    tv->prompting = true;
    tv->missed = false;
    free(tv->before);
    tv->before = tv->search_text ? xstrdup(tv->search_text) : NULL;
    tv->before_top = tv->top_line;
    lineedit_clear(&tv->edit);
}

static void step(TextView *tv, int dir)
{
    if (!tv->search) {
        pane_say(tv->pane, false, "No search: / sets one.");
        return;
    }
    size_t at, from = tv->has_at ? tv->at : tv->top_line;
    if (!find(tv, from, dir, &at)) {
        pane_say(tv->pane, true, "Nothing matches /%s/.", tv->search_text);
        return;
    }
    if ((dir > 0 && at <= from) || (dir < 0 && at >= from))
        pane_say(tv->pane, false, "Search wrapped around.");
    tv->at = at;
    tv->has_at = true;
    show_line(tv, at);
    tv->follow = false;
}

/* ---- keys ------------------------------------------------------------------ */

static bool go(TextView *tv, KeyAction a)
{
    size_t page = tv->page > 1 ? (size_t)tv->page - 1 : 1;
    switch (a) {
    case ACT_UP: set_top(tv, tv->top ? tv->top - 1 : 0); break;
    case ACT_DOWN: set_top(tv, tv->top + 1); break;
    case ACT_PAGE_UP: set_top(tv, tv->top > page ? tv->top - page : 0); break;
    case ACT_PAGE_DOWN: set_top(tv, tv->top + page); break;
    case ACT_TOP: set_top(tv, 0); break;
    case ACT_BOTTOM: set_top(tv, max_top(tv)); break;
    default: return false;
    }
    tv->follow = tv->top >= max_top(tv);
    return true;
}

static bool sideways(TextView *tv, KeyAction a)
{
    if (tv->wrap) {
        pane_say(tv->pane, false, "Long lines wrap here: w scrolls them sideways instead.");
        return true;
    }
    int step = tv->cols > 8 ? tv->cols / 2 : 4;
    int most = tv->longest > tv->cols ? tv->longest - tv->cols + 1 : 0;
    switch (a) {
    case ACT_LEFT: tv->left = tv->left > step ? tv->left - step : 0; break;
    case ACT_RIGHT: tv->left += step; break;
    case ACT_LINE_START: tv->left = 0; break;
    default: tv->left = most; break;
    }
    if (tv->left > most)
        tv->left = most;
    return true;
}

bool tv_key(TextView *tv, int key)
{
    if (tv->prompting)
        return prompt_key(tv, key);
    if (go(tv, keys_action(&keys_list, key)))
        return true;
    KeyAction a = keys_action(&keys_textview, key);
    switch (a) {
    case ACT_LEFT:
    case ACT_RIGHT:
    case ACT_LINE_START:
    case ACT_LINE_END:
        return sideways(tv, a);
    case ACT_WRAP:
        tv->wrap = !tv->wrap;
        tv->left = 0;
        clear_rows(tv);
        pane_say(tv->pane, false, tv->wrap ? "Long lines wrap (w: scroll them sideways)."
                                           : "Long lines scroll sideways: h l 0 $ (w: wrap).");
        return true;
    case ACT_FILTER:
        open_prompt(tv);
        return true;
    case ACT_NEXT_MATCH:
    case ACT_PREV_MATCH:
        step(tv, a == ACT_NEXT_MATCH ? 1 : -1);
        return true;
    default:
        return false;
    }
}

/* ---- drawing --------------------------------------------------------------- */

void tv_place(const TextView *tv, char *buf, size_t size)
{
    size_t first = tv->nrows ? tv->rows[tv->top].line + 1 : 0;
    size_t end = tv->top + (size_t)tv->page;
    size_t last = end >= tv->nrows ? tv->text.count
                                   : (tv->nrows ? tv->rows[end - 1].line + 1 : 0);
    int n = snprintf(buf, size, "lines %zu-%zu of %zu", first, last, tv->text.count);
    if (n > 0 && (size_t)n < size && !tv->wrap && tv->left > 0)
        snprintf(buf + n, size - (size_t)n, " %s col %d", text_glyph(GLYPH_DOT), tv->left + 1);
}

static int gutter_width(const TextView *tv)
{
    if (!tv->numbers)
        return 0;
    char num[32];
    return snprintf(num, sizeof num, "%zu", tv->text.count) + 2;
}

void tv_draw_body(TextView *tv, WINDOW *w, int y, int x, int height, int width,
                  const Palette *pal)
{
    int gutter = gutter_width(tv);
    int room = width - gutter;
    tv->cols = room > 1 ? room : 1;
    build(tv, tv->cols);
    tv->page = height > 1 ? height : 1;
    if (tv->follow)
        tv->top = max_top(tv);
    set_top(tv, tv->top);
    for (int i = 0; i < height && tv->top + (size_t)i < tv->nrows; i++) {
        const TvRow *r = &tv->rows[tv->top + (size_t)i];
        const char *line = tv->text.lines[r->line];
        if (gutter && r->off == 0) {
            char num[32];
            snprintf(num, sizeof num, "%*zu", gutter - 2, r->line + 1);
            palette_use(w, pal, SLOT_DIM);
            text_add(w, y + i, x, gutter - 2, num);
        }
        ThemeSlot s = tv_matches(tv, r->line) ? SLOT_GRID_SELECTED
                      : tv->style ? tv->style(tv->style_ctx, r->line, line) : SLOT_NORMAL;
        palette_use(w, pal, s);
        if (tv->wrap) {
            char *part = xstrndup(line + r->off, r->len);
            text_add(w, y + i, x + gutter + r->indent, room - r->indent, part);
            free(part);
        } else {
            text_add(w, y + i, x + gutter, room, line + text_skip_cols(line, tv->left));
        }
    }
    palette_use(w, pal, SLOT_NORMAL);
}

static void draw_prompt(TextView *tv, WINDOW *w, int y, int x, int width, const Palette *pal)
{
    static const char prompt[] = "Search (regex): /";
    lineedit_draw(w, y, x, width, prompt, &tv->edit, pal);
    int at = (int)sizeof prompt - 1 + (int)tv->edit.len + 3;
    if (at >= width)
        return;
    const char *note = tv->bad ? tv->bad : tv->missed ? "no match" : NULL;
    if (!note)
        return;
    palette_use(w, pal, SLOT_STATUS_ERROR);
    text_add(w, y, x + at, width - at, note);
    palette_use(w, pal, SLOT_NORMAL);
}

void tv_draw(TextView *tv, WINDOW *w, int y, int x, int height, int width, const char *title,
             const Palette *pal)
{
    tv_draw_body(tv, w, y + 1, x, height - 1, width, pal);
    if (tv->prompting) {
        draw_prompt(tv, w, y, x, width, pal);
        return;
    }
    char place[96];
    tv_place(tv, place, sizeof place);
    int pw = text_width(place) + 2;
    if (pw > width / 2)
        pw = 0;
    palette_use(w, pal, SLOT_GRID_HEADER);
    text_put(w, y, x, width - pw, title ? title : "", ALIGN_LEFT);
    palette_use(w, pal, SLOT_DIM);
    if (pw)
        text_put(w, y, x + width - pw, pw, place, ALIGN_RIGHT);
    palette_use(w, pal, SLOT_NORMAL);
}
