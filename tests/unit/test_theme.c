/* test_theme.c: theme files: good and bad inputs as a table, the shipped
 * themes, lookup in folders, and that a failed parse changes nothing. */
#include "test.h"
#include "theme.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct ThemeCase {
    const char *text;
    const char *error;   /* NULL: must parse; else the whole expected message */
} ThemeCase;

static const ThemeCase cases[] = {
    /* good */
    { "", NULL },
    { "# only a comment\n; another\n", NULL },
    { "[theme]\nname = x\n[styles]\nnormal = default on default\n", NULL },
    { "[styles]\ntab.active = black on cyan bold\n", NULL },
    { "[styles]\nstate.pending = yellow bold\r\n", NULL },
    { "[styles]\ndim = dim\n", NULL },
    { "[styles]\ngrid.header = on blue\n", NULL },
    { "[styles]\ngrid.header = bold underline reverse italic dim\n", NULL },
    { "[styles]\ntitle = bright-cyan on color236\n", NULL },
    { "[styles]\ntitle = color0 on color255 ; inline comment\n", NULL },
    { "[styles]\nTITLE = Cyan Bold\n", NULL },
    { "\xef\xbb\xbf[styles]\nnormal = default\n", NULL },
    { "[styles]\nnormal = red", NULL },                       /* no final newline */
    /* bad: each names its line */
    { "[styles]\nnormal = purpel\n", "x.theme:2: normal: unknown colour 'purpel'" },
    { "[styles]\n\n\n\n\n\ntab = red on purpel\n", "x.theme:7: tab: unknown colour 'purpel'" },
    { "[styles]\ntab = red bold blinking\n",
      "x.theme:2: tab: unknown attribute 'blinking' (bold, dim, underline, reverse, italic)" },
    { "[styles]\ntab = red green\n",
      "x.theme:2: tab: unknown attribute 'green' (bold, dim, underline, reverse, italic)" },
    { "[styles]\ntab = red on\n", "x.theme:2: tab: 'on' needs a background colour after it" },
    { "[styles]\ntab = bold on red\n", "x.theme:2: tab: 'on' must come before the attributes, once" },
    { "[styles]\ntab =\n",
      "x.theme:2: tab: empty style (write 'default' for the terminal's own colours)" },
    { "[styles]\ntab = color256\n", "x.theme:2: tab: unknown colour 'color256'" },
    { "[styles]\ntab = color-1\n", "x.theme:2: tab: unknown colour 'color-1'" },
    { "[styles]\ntab = color\n", "x.theme:2: tab: unknown colour 'color'" },
    { "[styles]\ntab = color0001\n", "x.theme:2: tab: unknown colour 'color0001'" },
    { "[styles]\ntab = bright-color3\n", "x.theme:2: tab: unknown colour 'bright-color3'" },
    { "[styles]\nstatus.eror = red\n", "x.theme:2: unknown slot 'status.eror'" },
    { "normal = red\n", "x.theme:1: 'normal' outside a section (put it under [styles])" },
    { "# c\n[colours]\nnormal = red\n",
      "x.theme:2: unknown section [colours] (expected [theme] or [styles])" },
    { "[colours]\n", "x.theme:1: unknown section [colours] (expected [theme] or [styles])" },
    { "[theme]\ncolour = red\n", "x.theme:2: unknown key 'colour' in [theme] (expected name)" },
    { "[theme]\nname =\n", "x.theme:2: empty theme name" },
    { "[styles]\nnormal = red\njust words\n", "x.theme:3: expected '[section]' or 'slot = style'" },
    { "[styles\nnormal = red\n", "x.theme:1: expected '[section]' or 'slot = style'" },
    /* the first error wins, whichever kind it is */
    { "[styles]\nnope\nnormal = purpel\n", "x.theme:2: expected '[section]' or 'slot = style'" },
    { "[styles]\nnormal = purpel\nnope\n", "x.theme:2: normal: unknown colour 'purpel'" },
};

static void test_case_table(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const ThemeCase *c = &cases[i];
        Theme t;
        theme_init_builtin(&t);
        DbError err = DB_ERROR_INIT;
        int rc = theme_parse(&t, "x.theme", c->text, strlen(c->text), &err);
        if (c->error) {
            CHECK(rc == -1);
            CHECK(err.kind == DB_ERR_PARSE);
            CHECK_STR(err.message, c->error);
        } else {
            CHECK(rc == 0);
            CHECK_STR(err.message, NULL);
        }
        if ((rc == 0) != (c->error == NULL))
            fprintf(stderr, "  case %zu: %s\n", i, c->text);
        db_error_clear(&err);
        theme_free(&t);
    }
}

static void test_values(void)
{
    Theme t;
    theme_init_builtin(&t);
    DbError err = DB_ERROR_INIT;
    const char *text = "[theme]\nname = night\n[styles]\n"
                       "tab.active = black on bright-cyan bold underline\n"
                       "title = color208\n"
                       "status = on blue\n";
    CHECK(theme_parse(&t, "n.theme", text, strlen(text), &err) == 0);
    CHECK_STR(t.name, "night");
    ThemeStyle s = t.styles[SLOT_TAB_ACTIVE];
    CHECK(s.fg == 0 && s.bg == 14 && s.attrs == (THEME_BOLD | THEME_UNDERLINE));
    s = t.styles[SLOT_TITLE];
    CHECK(s.fg == 208 && s.bg == THEME_DEFAULT_COLOR && s.attrs == 0);
    s = t.styles[SLOT_STATUS];
    CHECK(s.fg == THEME_DEFAULT_COLOR && s.bg == 4 && s.attrs == 0);
    db_error_clear(&err);
    theme_free(&t);
}

/* A failed parse leaves the theme as it was, name included. */
static void test_atomic(void)
{
    Theme t, before;
    theme_init_builtin(&t);
    theme_init_builtin(&before);
    DbError err = DB_ERROR_INIT;
    const char *text = "[theme]\nname = half\n[styles]\nnormal = red\ntab = purpel\n";
    CHECK(theme_parse(&t, "h.theme", text, strlen(text), &err) == -1);
    CHECK_STR(t.name, before.name);
    CHECK(memcmp(t.styles, before.styles, sizeof t.styles) == 0);
    db_error_clear(&err);
    theme_free(&t);
    theme_free(&before);
}

/* Line numbers stay right past long lines; NUL bytes are errors. */
static void test_hostile(void)
{
    Theme t;
    theme_init_builtin(&t);
    DbError err = DB_ERROR_INIT;
    char *long_line = xmalloc(5000);
    memset(long_line, 'a', 4999);
    long_line[4999] = '\0';
    char *text = xasprintf("[styles]\n# %s\nnormal = purpel\n", long_line);
    CHECK(theme_parse(&t, "l.theme", text, strlen(text), &err) == -1);
    CHECK_CONTAINS(err.message, "l.theme:2: line longer than");
    free(text);
    text = xasprintf("[styles]\nnormal = %s\n", long_line);
    CHECK(theme_parse(&t, "l.theme", text, strlen(text), &err) == -1);
    CHECK_CONTAINS(err.message, "l.theme:2:");
    free(text);
    free(long_line);
    static const char nul[] = "[styles]\nnormal = red\0 bold\n";
    CHECK(theme_parse(&t, "z.theme", nul, sizeof nul - 1, &err) == -1);
    CHECK_STR(err.message, "z.theme:2: NUL byte in the line");
    CHECK(theme_parse(&t, NULL, NULL, 0, &err) == 0);
    static const char junk[] = "\xff\xfe[\x01]\n=\n:\n[]\n\x80=\x80\n";
    CHECK(theme_parse(&t, "j.theme", junk, sizeof junk - 1, &err) == -1);
    CHECK_CONTAINS(err.message, "j.theme:1: ");
    db_error_clear(&err);
    theme_free(&t);
}

static char *shipped_dir(void)
{
    const char *src = getenv("DBW_SRC");
    return xasprintf("%s/themes", src ? src : "../..");
}

static void test_shipped_themes(void)
{
    char *dir = shipped_dir();
    const char *const dirs[] = { "/nonexistent-dbwarden", dir, NULL };
    const char *names[] = { "default", "mono" };
    for (size_t i = 0; i < 2; i++) {
        Theme t;
        theme_init_builtin(&t);
        DbError err = DB_ERROR_INIT;
        CHECK(theme_load(&t, names[i], dirs, &err) == 0);
        CHECK_STR(err.message, NULL);
        CHECK_STR(t.name, names[i]);
        if (i == 1)   /* mono: attributes only */
            for (int s = 0; s < THEME_SLOT_COUNT; s++)
                CHECK(t.styles[s].fg == THEME_DEFAULT_COLOR && t.styles[s].bg == THEME_DEFAULT_COLOR);
        db_error_clear(&err);
        theme_free(&t);
    }
    free(dir);
}

static void test_load_errors(void)
{
    Theme t;
    theme_init_builtin(&t);
    DbError err = DB_ERROR_INIT;
    const char *const dirs[] = { "/nonexistent-a", "/nonexistent-b", NULL };
    CHECK(theme_load(&t, "nosuch", dirs, &err) == -1);
    CHECK(err.kind == DB_ERR_IO);
    CHECK_STR(err.message, "theme 'nosuch' not found (looked in /nonexistent-a, /nonexistent-b)");
    CHECK(theme_load(&t, "/nonexistent-a/x.theme", dirs, &err) == -1);
    CHECK_CONTAINS(err.message, "/nonexistent-a/x.theme: ");

    char path[] = "/tmp/dbw-theme-XXXXXX.theme";
    int fd = mkstemps(path, 6);
    CHECK(fd >= 0);
    if (fd >= 0) {
        const char *bad = "[styles]\n\n\n\n\n\nnormal = purpel\n";
        CHECK(write(fd, bad, strlen(bad)) == (ssize_t)strlen(bad));
        close(fd);
        CHECK(theme_load(&t, path, NULL, &err) == -1);
        char *want = xasprintf("%s:7: normal: unknown colour 'purpel'", path);
        CHECK_STR(err.message, want);
        free(want);
        unlink(path);
    }
    db_error_clear(&err);
    theme_free(&t);
}

static void test_slot_names(void)
{
    for (int s = 0; s < THEME_SLOT_COUNT; s++)
        CHECK(theme_slot_names[s] != NULL);
    CHECK_STR(theme_slot_names[SLOT_STATE_PENDING], "state.pending");
    CHECK_STR(theme_slot_names[SLOT_STATUS_ERROR], "status.error");
}

int main(void)
{
    RUN(test_case_table);
    RUN(test_values);
    RUN(test_atomic);
    RUN(test_hostile);
    RUN(test_shipped_themes);
    RUN(test_load_errors);
    RUN(test_slot_names);
    return test_report();
}
