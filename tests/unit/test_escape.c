/* test_escape.c: what reaches a terminal from outside is escaped. */
#include "test.h"
#include "escape.h"

#include <stdlib.h>

typedef struct EscCase {
    const char *in;
    size_t      len;       /* 0: strlen */
    unsigned    flags;
    const char *out;
} EscCase;

static const EscCase cases[] = {
    { "plain name", 0, 0, "plain name" },
    { "osc\x1b]0;pwned\x07t", 0, 0, "osc\\x1b]0;pwned\\x07t" },
    { "esc\x1b[2Jclear", 0, 0, "esc\\x1b[2Jclear" },
    { "new\nline\ttab\rcr", 0, 0, "new\\nline\\ttab\\rcr" },
    { "new\nline\ttab\rcr", 0, ESC_LINES, "new\nline\ttab\\rcr" },
    { "crlf\r\nE'\\x1b'\x1b[2J", 0, ESC_LINES, "crlf\r\nE'\\x1b'\\x1b[2J" },
    { "del\x7f", 0, 0, "del\\x7f" },
    { "back\\slash \\x1b", 0, 0, "back\\\\slash \\\\x1b" },
    { "csi\xc2\x9b" "31m", 0, 0, "csi\\u009b31m" },
    { "rtl\xe2\x80\xae" "gpj.exe", 0, 0, "rtl\\u202egpj.exe" },
    { "bad\xff\xfe utf8 \xc3", 0, 0, "bad\\xff\\xfe utf8 \\xc3" },
    { "caf\xc3\xa9 \xe4\xb8\xad", 0, 0, "caf\xc3\xa9 \xe4\xb8\xad" },
    { "nul\0byte", 8, 0, "nul\\x00byte" },
    { "overlong\xc0\xaf", 0, 0, "overlong\\xc0\\xaf" },
    { "", 0, 0, "" },
};

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const EscCase *c = &cases[i];
        StrBuf b = STRBUF_INIT;
        esc_append(&b, c->in, c->len ? c->len : strlen(c->in), c->flags);
        CHECK_STR(sb_str(&b), c->out);
        sb_free(&b);
    }
    char *e = esc_dup(NULL, 0);
    CHECK_STR(e, "");
    free(e);
    CHECK(esc_clean("users", 0));
    CHECK(!esc_clean("a\x1b", 0));
    CHECK(esc_clean("two\nlines", ESC_LINES));
    CHECK(!esc_clean("two\nlines", 0));
}

/* No output byte can act on a terminal, whatever the input. */
static void test_every_byte(void)
{
    char in[512];
    for (int i = 0; i < 512; i++)
        in[i] = (char)((i * 37 + 11) & 0xff);
    StrBuf b = STRBUF_INIT;
    esc_append(&b, in, sizeof in, 0);
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)b.s[i];
        CHECK(c >= 0x20 && c != 0x7f);
    }
    sb_free(&b);
}

int main(void)
{
    RUN(test_cases);
    RUN(test_every_byte);
    return test_report();
}
