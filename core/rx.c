/* rx.c: see rx.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rx.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct Rx {
    pcre2_code *code;
};

Rx *rx_compile(const char *pattern, unsigned flags, DbError *err)
{
    int ec;
    PCRE2_SIZE off;
    uint32_t opts = (flags & RX_BYTES) ? 0 : PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    if (flags & RX_CASELESS)
        opts |= PCRE2_CASELESS;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                     opts, &ec, &off, NULL);
    if (!code) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(ec, buf, sizeof buf);
        db_error_set(err, DB_ERR_USAGE, "invalid regular expression '%s' at offset %zu: %s",
                     pattern, (size_t)off, (char *)buf);
        return NULL;
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* optional speed-up */
    Rx *rx = xmalloc(sizeof *rx);
    rx->code = code;
    return rx;
}

bool rx_match(const Rx *rx, const char *subject, size_t len, RxSpan *caps, int ncaps)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(rx->code, NULL);
    if (!md)
        abort();
    int rc = pcre2_match(rx->code, (PCRE2_SPTR)subject, len, 0, 0, md, NULL);
    if (rc >= 0 && caps) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        uint32_t n = pcre2_get_ovector_count(md);
        for (int i = 0; i < ncaps; i++) {
            caps[i] = (RxSpan){ 0, 0, false };
            if ((uint32_t)i < n && ov[2 * i] != PCRE2_UNSET) {
                caps[i].start = ov[2 * i];
                caps[i].len = ov[2 * i + 1] - ov[2 * i];
                caps[i].set = true;
            }
        }
    }
    pcre2_match_data_free(md);
    return rc >= 0;
}

char *rx_replace(const Rx *rx, const char *subject, const char *repl)
{
    size_t slen = strlen(subject);
    PCRE2_SIZE outlen = slen * 2 + strlen(repl) + 64;
    for (;;) {
        PCRE2_UCHAR *out = xmalloc(outlen);
        PCRE2_SIZE got = outlen;
        int rc = pcre2_substitute(rx->code, (PCRE2_SPTR)subject, slen, 0,
                                  PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_EXTENDED |
                                      PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
                                  NULL, NULL, (PCRE2_SPTR)repl, PCRE2_ZERO_TERMINATED,
                                  out, &got);
        if (rc >= 0)
            return (char *)out;
        free(out);
        if (rc == PCRE2_ERROR_NOMEMORY && got > outlen) {
            outlen = got;
            continue;
        }
        return xstrdup(subject); /* a bad replacement string: leave as is */
    }
}

void rx_free(Rx *rx)
{
    if (!rx)
        return;
    pcre2_code_free(rx->code);
    free(rx);
}

Rx *rx_compile_typed(const char *pattern, char **why)
{
    DbError err = DB_ERROR_INIT;
    Rx *rx = rx_compile(pattern, RX_CASELESS, &err);
    if (!rx)
        *why = xasprintf("Invalid regular expression /%s/: %s", pattern, err.message);
    db_error_clear(&err);
    return rx;
}
