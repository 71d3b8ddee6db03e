/* rx.h: regular expressions, all through pcre2 (UTF-8, 8-bit code units).
 *
 * Rx *rx = rx_compile("(.+)_id$", RX_CASELESS, &err);
 * if (rx_match(rx, s, caps, 2)) ...      caps[i] is group i (start, len)
 * char *t = rx_replace(rx, s, "${1}***"); global substitution, caller frees
 * rx_free(rx);
 * A compile error names the offset in the pattern. */
#ifndef DBW_RX_H
#define DBW_RX_H

#include <stdbool.h>
#include <stddef.h>
#include "error.h"

typedef struct Rx Rx;

enum {
    RX_CASELESS = 1,  /* ignore case */
    RX_BYTES = 2      /* match bytes, not UTF-8: for text that may not be UTF-8 */
};

typedef struct RxSpan {
    size_t start;  /* byte offset in the subject */
    size_t len;    /* 0 for an empty or unset group */
    bool   set;    /* false when the group did not take part */
} RxSpan;

/* Compiles pattern; NULL and *err set (DB_ERR_USAGE) when it is invalid. */
Rx   *rx_compile(const char *pattern, unsigned flags, DbError *err);
/* true when subject matches; fills up to ncaps spans (group 0 = whole). */
bool  rx_match(const Rx *rx, const char *subject, size_t len, RxSpan *caps, int ncaps);
/* Replaces every match with repl (pcre2 extended syntax: ${1}); never NULL. */
char *rx_replace(const Rx *rx, const char *subject, const char *repl);
void  rx_free(Rx *rx);
/* A pattern a user typed (a filter, a search): compiled without regard to
 * case, or NULL with *why (caller frees) "Invalid regular expression
 * /PATTERN/: reason". */
Rx   *rx_compile_typed(const char *pattern, char **why);

#endif
