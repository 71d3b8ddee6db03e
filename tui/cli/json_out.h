/* json_out.h: JSON output for --json, through jansson. */
#ifndef DBW_JSON_OUT_H
#define DBW_JSON_OUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* A JSON string of s (NULL gives JSON null); bytes that are not valid
 * UTF-8 become U+FFFD so that output is always valid JSON.  New reference. */
json_t *json_text(const char *s);
/* A JSON array of the n strings of v (json_text each).  New reference. */
json_t *json_text_array(char *const *v, size_t n);
/* Prints root on stdout, indented, with a final newline, and releases it. */
void    json_emit(json_t *root);
/* true once json_emit() has printed something in this process. */
bool    json_was_emitted(void);

#endif
