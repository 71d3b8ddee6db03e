/* json_out.c: see json_out.h. */
#include "json_out.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *json_text(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (j)
        return j;
    /* Not valid UTF-8: keep the ASCII, replace the rest. */
    StrBuf b = STRBUF_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80)
            sb_appendc(&b, (char)*p);
        else
            sb_append(&b, "\xEF\xBF\xBD");
    }
    j = json_string(sb_str(&b));
    sb_free(&b);
    return j ? j : json_null();
}

static int emitted;

bool json_was_emitted(void)
{
    return emitted > 0;
}

void json_emit(json_t *root)
{
    emitted++;
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(root);
}

json_t *json_text_array(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_text(v[i]));
    return a;
}
