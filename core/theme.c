/* theme.c: see theme.h.
 *
 * The text goes to inih through our own line reader, so that one reader call
 * is always exactly one line of the file: line numbers stay right whatever
 * inih does with long lines, and NUL bytes or over-long lines become errors
 * instead of silently split lines.  A parse works on a copy of the theme and
 * commits it only when the whole file is good. */
#include "theme.h"
#include "xalloc.h"

#include <ini.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define THEME_MAX_BYTES (1024 * 1024)

const char *const theme_slot_names[THEME_SLOT_COUNT] = {
    [SLOT_NORMAL] = "normal",
    [SLOT_TAB] = "tab",
    [SLOT_TAB_ACTIVE] = "tab.active",
    [SLOT_STATUS] = "status",
    [SLOT_STATUS_ERROR] = "status.error",
    [SLOT_STATUS_READONLY] = "status.readonly",
    [SLOT_GRID_HEADER] = "grid.header",
    [SLOT_GRID_SELECTED] = "grid.selected",
    [SLOT_GRID_NULL] = "grid.null",
    [SLOT_DIM] = "dim",
    [SLOT_TITLE] = "title",
    [SLOT_HELP_KEY] = "help.key",
    [SLOT_STATE_APPLIED] = "state.applied",
    [SLOT_STATE_PENDING] = "state.pending",
    [SLOT_STATE_PROBLEM] = "state.problem",
};

static const char *const colour_names[8] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static const struct { const char *word; unsigned bit; } attr_names[] = {
    { "bold", THEME_BOLD },         { "dim", THEME_DIM },
    { "underline", THEME_UNDERLINE }, { "reverse", THEME_REVERSE },
    { "italic", THEME_ITALIC },
};

/* ---- built-in theme ---------------------------------------------------- */

static ThemeStyle style(short fg, short bg, unsigned attrs)
{
    ThemeStyle s = { fg, bg, attrs };
    return s;
}

void theme_init_builtin(Theme *t)
{
    enum { D = THEME_DEFAULT_COLOR, RED = 1, GREEN = 2, YELLOW = 3, MAGENTA = 5, CYAN = 6 };
    t->name = xstrdup("builtin");
    ThemeStyle *s = t->styles;
    /* Reverse-video based, so that it reads the same with colours dropped. */
    s[SLOT_NORMAL] = style(D, D, 0);
    s[SLOT_TAB] = style(D, D, 0);
    s[SLOT_TAB_ACTIVE] = style(CYAN, D, THEME_REVERSE | THEME_BOLD);
    s[SLOT_STATUS] = style(D, D, THEME_REVERSE);
    s[SLOT_STATUS_ERROR] = style(RED, D, THEME_REVERSE | THEME_BOLD);
    s[SLOT_STATUS_READONLY] = style(YELLOW, D, THEME_REVERSE | THEME_BOLD);
    s[SLOT_GRID_HEADER] = style(D, D, THEME_BOLD | THEME_UNDERLINE);
    s[SLOT_GRID_SELECTED] = style(CYAN, D, THEME_REVERSE);
    s[SLOT_GRID_NULL] = style(MAGENTA, D, THEME_DIM);
    s[SLOT_DIM] = style(D, D, THEME_DIM);
    s[SLOT_TITLE] = style(CYAN, D, THEME_BOLD);
    s[SLOT_HELP_KEY] = style(YELLOW, D, THEME_BOLD);
    s[SLOT_STATE_APPLIED] = style(GREEN, D, 0);
    s[SLOT_STATE_PENDING] = style(YELLOW, D, THEME_BOLD);
    s[SLOT_STATE_PROBLEM] = style(RED, D, THEME_BOLD | THEME_UNDERLINE);
}

void theme_free(Theme *t)
{
    if (!t)
        return;
    free(t->name);
    t->name = NULL;
}

/* ---- one style value ------------------------------------------------------ */

/* "red", "bright-red", "default", "color42" -> 0..255 or THEME_DEFAULT_COLOR;
 * returns false for anything else. */
static bool parse_colour(const char *w, short *out)
{
    if (strcasecmp(w, "default") == 0) {
        *out = THEME_DEFAULT_COLOR;
        return true;
    }
    short base = 0;
    if (strncasecmp(w, "bright-", 7) == 0) {
        base = 8;
        w += 7;
    }
    for (short i = 0; i < 8; i++)
        if (strcasecmp(w, colour_names[i]) == 0) {
            *out = (short)(base + i);
            return true;
        }
    if (base || strncasecmp(w, "color", 5) != 0)
        return false;
    const char *d = w + 5;
    size_t n = strspn(d, "0123456789");
    if (n == 0 || n > 3 || d[n] != '\0')
        return false;
    int v = atoi(d);
    if (v > 255)
        return false;
    *out = (short)v;
    return true;
}

static bool parse_attr(const char *w, unsigned *bits)
{
    for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
        if (strcasecmp(w, attr_names[i].word) == 0) {
            *bits |= attr_names[i].bit;
            return true;
        }
    return false;
}

/* Parses "[FG] [on BG] [ATTR...]" into *out.  On failure returns a message
 * (caller frees). */
static char *parse_style(const char *value, ThemeStyle *out)
{
    ThemeStyle s = { THEME_DEFAULT_COLOR, THEME_DEFAULT_COLOR, 0 };
    bool have_fg = false, have_bg = false, have_attr = false, want_bg = false;
    char *copy = xstrdup(value), *save = NULL, *msg = NULL;
    int words = 0;
    for (char *w = strtok_r(copy, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
        words++;
        if (want_bg) {
            if (!parse_colour(w, &s.bg)) {
                msg = xasprintf("unknown colour '%s'", w);
                break;
            }
            want_bg = false;
            have_bg = true;
        } else if (strcasecmp(w, "on") == 0) {
            if (have_bg || have_attr) {
                msg = xasprintf("'on' must come before the attributes, once");
                break;
            }
            want_bg = true;
        } else if (parse_attr(w, &s.attrs)) {
            have_attr = true;
        } else if (!have_fg && !have_bg && !have_attr && parse_colour(w, &s.fg)) {
            have_fg = true;
        } else {
            msg = have_fg || have_bg || have_attr
                ? xasprintf("unknown attribute '%s' (bold, dim, underline, reverse, italic)", w)
                : xasprintf("unknown colour '%s'", w);
            break;
        }
    }
    if (!msg && want_bg)
        msg = xstrdup("'on' needs a background colour after it");
    if (!msg && words == 0)
        msg = xstrdup("empty style (write 'default' for the terminal's own colours)");
    free(copy);
    if (!msg)
        *out = s;
    return msg;
}

/* ---- the inih side ------------------------------------------------------ */

typedef struct ParseCtx {
    const char *text;   /* the whole input */
    size_t      len, pos;
    int         line;   /* number of the line last handed to inih */
    Theme      *t;      /* the copy being filled */
    int         err_line;
    char       *err_msg;  /* owned: first error found, at err_line */
} ParseCtx;

/* Keeps the error with the smallest line number; takes msg. */
static void ctx_error(ParseCtx *c, int line, char *msg)
{
    if (c->err_msg && c->err_line <= line) {
        free(msg);
        return;
    }
    free(c->err_msg);
    c->err_msg = msg;
    c->err_line = line;
}

static bool known_section(const char *s)
{
    return strcmp(s, "theme") == 0 || strcmp(s, "styles") == 0;
}

/* Section headers are checked here, as inih reports no event for them. */
static void check_section_line(ParseCtx *c, const char *line, size_t n)
{
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i >= n || line[i] != '[')
        return;
    const char *close = memchr(line + i, ']', n - i);
    if (!close)
        return;   /* inih reports the missing ']' itself */
    char *name = xstrndup(line + i + 1, (size_t)(close - line - i - 1));
    if (!known_section(name))
        ctx_error(c, c->line, xasprintf("unknown section [%s] (expected [theme] or [styles])", name));
    free(name);
}

/* fgets-like: copies the next line (always ending in '\n') into buf. */
static char *reader(char *buf, int num, void *stream)
{
    ParseCtx *c = stream;
    if (c->pos >= c->len || num < 3)
        return NULL;
    const char *start = c->text + c->pos;
    const char *nl = memchr(start, '\n', c->len - c->pos);
    size_t n = nl ? (size_t)(nl - start) : c->len - c->pos;
    c->pos += n + (nl ? 1 : 0);
    c->line++;
    size_t keep = n;
    if (keep > (size_t)num - 2) {
        keep = (size_t)num - 2;
        ctx_error(c, c->line, xasprintf("line longer than %d bytes", num - 2));
    }
    if (memchr(start, '\0', n))
        ctx_error(c, c->line, xstrdup("NUL byte in the line"));
    for (size_t i = 0; i < keep; i++)
        buf[i] = start[i] ? start[i] : ' ';
    buf[keep] = '\n';
    buf[keep + 1] = '\0';
    check_section_line(c, buf, keep);
    return buf;
}

static int find_slot(const char *name)
{
    for (int i = 0; i < THEME_SLOT_COUNT; i++)
        if (strcasecmp(name, theme_slot_names[i]) == 0)
            return i;
    return -1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    ParseCtx *c = user;
    if (strcmp(section, "theme") == 0) {
        if (strcmp(name, "name") != 0) {
            ctx_error(c, c->line, xasprintf("unknown key '%s' in [theme] (expected name)", name));
            return 0;
        }
        if (!*value) {
            ctx_error(c, c->line, xstrdup("empty theme name"));
            return 0;
        }
        free(c->t->name);
        c->t->name = xstrdup(value);
        return 1;
    }
    if (strcmp(section, "styles") != 0) {
        ctx_error(c, c->line, *section
                  ? xasprintf("unknown section [%s] (expected [theme] or [styles])", section)
                  : xasprintf("'%s' outside a section (put it under [styles])", name));
        return 0;
    }
    int slot = find_slot(name);
    if (slot < 0) {
        ctx_error(c, c->line, xasprintf("unknown slot '%s'", name));
        return 0;
    }
    char *msg = parse_style(value, &c->t->styles[slot]);
    if (msg) {
        char *full = xasprintf("%s: %s", theme_slot_names[slot], msg);
        free(msg);
        ctx_error(c, c->line, full);
        return 0;
    }
    return 1;
}

int theme_parse(Theme *t, const char *path, const char *text, size_t len, DbError *err)
{
    if (!path)
        path = "<theme>";
    if (!text)
        len = 0;
    Theme work = *t;
    work.name = xstrdup(t->name);
    ParseCtx c = { .text = text ? text : "", .len = len, .t = &work };
    int rc = ini_parse_stream(reader, &c, handler, &c);
    if (rc > 0 && (!c.err_msg || rc < c.err_line))
        ctx_error(&c, rc, xstrdup("expected '[section]' or 'slot = style'"));
    else if (rc < 0 && !c.err_msg)
        ctx_error(&c, 0, xstrdup("could not be parsed (out of memory)"));
    if (c.err_msg) {
        db_error_set(err, DB_ERR_PARSE, "%s:%d: %s", path, c.err_line, c.err_msg);
        free(c.err_msg);
        theme_free(&work);
        return -1;
    }
    theme_free(t);
    *t = work;
    return 0;
}

/* ---- files -------------------------------------------------------------- */

/* Reads a whole file of at most THEME_MAX_BYTES.  Returns NULL with errno
 * set (EFBIG when too large). */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap)
            buf = xgrow(buf, &cap, n + 1, 1);
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n > THEME_MAX_BYTES) {
            free(buf);
            fclose(f);
            errno = EFBIG;
            return NULL;
        }
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

static int parse_file(Theme *t, const char *path, DbError *err)
{
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) {
        db_error_set(err, DB_ERR_IO, "%s: %s", path,
                     errno == EFBIG ? "theme file too large" : strerror(errno));
        return -1;
    }
    int rc = theme_parse(t, path, text, len, err);
    free(text);
    return rc;
}

static bool is_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 6 && strcmp(name + n - 6, ".theme") == 0);
}

int theme_load(Theme *t, const char *name, const char *const *dirs, DbError *err)
{
    if (!name || !*name)
        name = "default";
    if (is_path(name))
        return parse_file(t, name, err);
    char *looked = xstrdup("");
    for (size_t i = 0; dirs && dirs[i]; i++) {
        char *path = xasprintf("%s/%s.theme", dirs[i], name);
        FILE *f = fopen(path, "rb");
        if (f) {
            fclose(f);
            free(looked);
            int rc = parse_file(t, path, err);
            free(path);
            return rc;
        }
        char *more = xasprintf("%s%s%s", looked, *looked ? ", " : "", dirs[i]);
        free(looked);
        looked = more;
        free(path);
    }
    db_error_set(err, DB_ERR_IO, "theme '%s' not found (looked in %s)", name,
                 *looked ? looked : "no folder");
    free(looked);
    return -1;
}
