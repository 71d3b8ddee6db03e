/* json_stream.h: JSON written as it goes, with no tree in memory, for an
 * output too large to build whole first (the catalog of 10,000 tables).
 * The layout is json_emit()'s (jansson, JSON_INDENT(2)): two spaces a
 * level, "key": value, empty containers as {} and [], a final newline;
 * strings that are not valid UTF-8 have their non-ASCII bytes replaced by
 * U+FFFD, as json_text() does.
 *
 * Order of calls: js_init(), then values: inside an object each with its
 * key, inside an array (and at the top) with key NULL; every js_begin_*()
 * closed by its js_end_*(); js_finish() writes the final newline and
 * flushes what is buffered to out.  Nesting
 * deeper than JS_MAX_DEPTH is not supported (the writer aborts). */
#ifndef DBW_JSON_STREAM_H
#define DBW_JSON_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JS_MAX_DEPTH 32

typedef struct JsonStream {
    FILE  *out;
    int    depth;                 /* containers open */
    bool   any[JS_MAX_DEPTH];     /* the container at each depth has a member */
    char   buf[1 << 16];          /* written to out when full, and by js_finish */
    size_t len;
} JsonStream;

void js_init(JsonStream *s, FILE *out);
void js_begin_object(JsonStream *s, const char *key);
void js_end_object(JsonStream *s);
void js_begin_array(JsonStream *s, const char *key);
void js_end_array(JsonStream *s);
/* v NULL writes null. */
void js_string(JsonStream *s, const char *key, const char *v);
void js_int(JsonStream *s, const char *key, int64_t v);
/* v < 0 writes null (an unknown count or size). */
void js_int_or_null(JsonStream *s, const char *key, int64_t v);
void js_bool(JsonStream *s, const char *key, bool v);
void js_null(JsonStream *s, const char *key);
void js_finish(JsonStream *s);

#endif
