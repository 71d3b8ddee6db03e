/* text.c: see text.h. */
#include "text.h"
#include "xalloc.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

static bool utf8_locale;

void text_init(void)
{
    const char *cs = nl_langinfo(CODESET);
    utf8_locale = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

const char *text_glyph(TextGlyph g)
{
    static const char *const utf8[] = { "\xe2\x80\xa6", "\xe2\x80\x94", "\xc2\xb7", "\xe2\x94\x82" };
    static const char *const ascii[] = { "~", "-", "|", "|" };
    if ((unsigned)g > GLYPH_BAR)
        return "?";
    return utf8_locale ? utf8[g] : ascii[g];
}

static wchar_t ellipsis_wc(void)
{
    return utf8_locale ? (wchar_t)0x2026 : L'~';
}

/* Decoded text: one entry per drawn character, with its width (1 or 2).
 * Invalid bytes and control characters become '?'; zero-width characters
 * are dropped, so that every entry owns at least one cell. */
typedef struct Decoded {
    wchar_t *wc;
    signed char *w;
    size_t n;
    int cols;
} Decoded;

static void decode(const char *s, Decoded *d)
{
    size_t len = s ? strlen(s) : 0;
    d->wc = xmalloc((len + 1) * sizeof *d->wc);
    d->w = xmalloc(len + 1);
    d->n = 0;
    d->cols = 0;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    for (size_t i = 0; i < len;) {
        wchar_t c;
        size_t r = mbrtowc(&c, s + i, len - i, &st);
        if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
            memset(&st, 0, sizeof st);
            c = L'?';
            r = 1;
        }
        i += r;
        int cw = wcwidth(c);
        if (c == L'\t')
            c = L' ', cw = 1;
        /* a control, or a bidirectional override or mark that would turn
         * what follows around unseen: shown as ? */
        if (cw < 0 || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
            c == 0x200E || c == 0x200F || c == 0x061C)
            c = L'?', cw = 1;
        if (cw == 0)
            continue;
        d->wc[d->n] = c;
        d->w[d->n++] = (signed char)cw;
        d->cols += cw;
    }
}

static void decoded_free(Decoded *d)
{
    free(d->wc);
    free(d->w);
}

int text_width(const char *s)
{
    Decoded d;
    decode(s, &d);
    int cols = d.cols;
    decoded_free(&d);
    return cols;
}

size_t text_skip_cols(const char *s, int cols)
{
    size_t len = strlen(s), i = 0;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    while (i < len && cols > 0) {
        wchar_t c;
        size_t r = mbrtowc(&c, s + i, len - i, &st);
        int cw = 1;
        if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
            memset(&st, 0, sizeof st);
            r = 1;
        } else {
            cw = c == L'\t' ? 1 : wcwidth(c);
            if (cw < 0)
                cw = 1;
        }
        i += r;
        cols -= cw;
    }
    return i;
}

/* Clips (y, x, width) to w; returns false when nothing is visible. */
static bool clip(WINDOW *w, int y, int x, int *width)
{
    int maxy, maxx;
    if (!w)
        return false;
    getmaxyx(w, maxy, maxx);
    if (y < 0 || y >= maxy || x < 0 || x >= maxx || *width <= 0)
        return false;
    if (*width > maxx - x)
        *width = maxx - x;
    return true;
}

/* Draws the characters [from, to) of d at (y, x), then an ellipsis when
 * ell is set.  Returns the columns drawn. */
static int draw_span(WINDOW *w, int y, int x, const Decoded *d, size_t from, size_t to, bool ell)
{
    int cols = 0;
    wmove(w, y, x);
    if (to > from)
        waddnwstr(w, d->wc + from, (int)(to - from));
    for (size_t i = from; i < to; i++)
        cols += d->w[i];
    if (ell) {
        wchar_t e[2] = { ellipsis_wc(), 0 };
        mvwaddnwstr(w, y, x + cols, e, 1);
        cols++;
    }
    return cols;
}

/* How many characters from `from` fit in width columns. */
static size_t fit(const Decoded *d, size_t from, int width)
{
    int cols = 0;
    size_t i = from;
    while (i < d->n && cols + d->w[i] <= width)
        cols += d->w[i++];
    return i;
}

static void pad(WINDOW *w, int y, int x, int n)
{
    for (int i = 0; i < n; i++)
        mvwaddch(w, y, x + i, ' ');
}

int text_put(WINDOW *w, int y, int x, int width, const char *s, TextAlign align)
{
    if (!clip(w, y, x, &width))
        return 0;
    Decoded d;
    decode(s, &d);
    bool cut = d.cols > width;
    size_t end = cut ? fit(&d, 0, width - 1) : d.n;
    int cols = 0;
    for (size_t i = 0; i < end; i++)
        cols += d.w[i];
    cols += cut;
    int left = align == ALIGN_RIGHT ? width - cols : align == ALIGN_CENTER ? (width - cols) / 2 : 0;
    pad(w, y, x, left);
    draw_span(w, y, x + left, &d, 0, end, cut);
    pad(w, y, x + left + cols, width - left - cols);
    decoded_free(&d);
    return cols;
}

int text_add(WINDOW *w, int y, int x, int width, const char *s)
{
    if (!clip(w, y, x, &width))
        return 0;
    Decoded d;
    decode(s, &d);
    bool cut = d.cols > width;
    size_t end = cut ? fit(&d, 0, width - 1) : d.n;
    int cols = draw_span(w, y, x, &d, 0, end, cut);
    decoded_free(&d);
    return cols;
}

/* End of the line that starts at from: at the last space that lets the
 * words fit, or a hard cut when one word is wider than the line. */
static size_t line_end(const Decoded *d, size_t from, int width)
{
    size_t end = fit(d, from, width);
    if (end >= d->n || d->wc[end] == L' ')
        return end;
    for (size_t i = end; i > from; i--)
        if (d->wc[i - 1] == L' ')
            return i - 1;
    return end > from ? end : from + 1;
}

int text_wrap(WINDOW *w, int y, int x, int width, int max_lines, const char *s)
{
    if (max_lines <= 0 || !clip(w, y, x, &width))
        return 0;
    Decoded d;
    decode(s, &d);
    size_t i = 0;
    int line = 0;
    while (i < d.n && line < max_lines) {
        while (i < d.n && d.wc[i] == L' ')
            i++;
        if (i >= d.n)
            break;
        size_t end = line_end(&d, i, width);
        bool last = line == max_lines - 1 && end < d.n;
        if (last)
            end = fit(&d, i, width - 1);
        draw_span(w, y + line, x, &d, i, end, last);
        i = end;
        line++;
    }
    decoded_free(&d);
    return line;
}
