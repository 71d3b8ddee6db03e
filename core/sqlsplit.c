/* sqlsplit.c: see sqlsplit.h. */
#include "sqlsplit.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

static bool ident_char(int c)
{
    return isalnum(c) || c == '_' || c >= 0x80 || c == '$';
}

/* If s[i] opens a dollar quote, returns the length of its tag ($tag$), else 0. */
static size_t dollar_tag(const char *s, size_t i)
{
    if (s[i] != '$' || (i > 0 && ident_char((unsigned char)s[i - 1])))
        return 0;
    size_t j = i + 1;
    if (isdigit((unsigned char)s[j]))
        return 0; /* $1 is a parameter */
    while (isalnum((unsigned char)s[j]) || s[j] == '_' || (unsigned char)s[j] >= 0x80)
        j++;
    return s[j] == '$' ? j - i + 1 : 0;
}

/* Returns the offset just past the construct that starts at i, or i when
 * nothing special starts there. */
static size_t skip_special(const char *s, size_t len, size_t i)
{
    char c = s[i];
    if (c == '-' && s[i + 1] == '-') {
        while (i < len && s[i] != '\n')
            i++;
        return i;
    }
    if (c == '/' && s[i + 1] == '*') {
        int depth = 1;
        i += 2;
        while (i < len && depth > 0) {
            if (s[i] == '/' && s[i + 1] == '*') { depth++; i += 2; }
            else if (s[i] == '*' && s[i + 1] == '/') { depth--; i += 2; }
            else i++;
        }
        return i;
    }
    if (c == '\'' || c == '"') {
        bool backslash = c == '\'' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
                         (i < 2 || !ident_char((unsigned char)s[i - 2]));
        i++;
        while (i < len) {
            if (backslash && s[i] == '\\' && i + 1 < len) { i += 2; continue; }
            if (s[i] == c) {
                if (s[i + 1] == c) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return i;
    }
    size_t tag = dollar_tag(s, i);
    if (tag) {
        const char *end = NULL;
        for (size_t j = i + tag; j + tag <= len; j++)
            if (s[j] == '$' && memcmp(s + j, s + i, tag) == 0) { end = s + j; break; }
        return end ? (size_t)(end - s) + tag : len;
    }
    return i;
}

/* Length of the word (identifier or keyword) at s[i], 0 if none starts there. */
static size_t word_len(const char *s, size_t i)
{
    if (i > 0 && ident_char((unsigned char)s[i - 1]))
        return 0;
    if (!(isalpha((unsigned char)s[i]) || s[i] == '_'))
        return 0;
    size_t j = i;
    while (isalnum((unsigned char)s[j]) || s[j] == '_')
        j++;
    return j - i;
}

static bool word_is(const char *w, size_t n, const char *kw)
{
    return strlen(kw) == n && strncasecmp(w, kw, n) == 0;
}

/* Block nesting that a ';' must not split: parentheses, and the body of a
 * SQL-standard function (BEGIN ATOMIC … END, with CASE … END inside). */
typedef struct Nesting {
    int  parens;
    int  atomic;        /* BEGIN/CASE depth inside BEGIN ATOMIC (or a
                           trigger's BEGIN … END); 0 outside */
    bool after_begin;   /* the last word was BEGIN */
    bool trigger;       /* the statement has said TRIGGER: its BEGIN opens
                           a body (SQLite's CREATE TRIGGER … BEGIN … END) */
} Nesting;

static void note_word(Nesting *n, const char *w, size_t len)
{
    if (n->atomic > 0) {
        if (word_is(w, len, "BEGIN") || word_is(w, len, "CASE"))
            n->atomic++;
        else if (word_is(w, len, "END"))
            n->atomic--;
    } else if (n->after_begin && word_is(w, len, "ATOMIC")) {
        n->atomic = 1;
    } else if (n->trigger && word_is(w, len, "BEGIN")) {
        n->atomic = 1;
    }
    if (word_is(w, len, "TRIGGER"))
        n->trigger = true;
    n->after_begin = word_is(w, len, "BEGIN");
}

size_t sqlsplit_postgres(const char *sql, SqlStmt **out)
{
    size_t len = strlen(sql), n = 0, cap = 0;
    SqlStmt *v = NULL;
    size_t i = 0, start = (size_t)-1;
    Nesting nest = { 0, 0, false, false };
    while (i < len) {
        size_t j = skip_special(sql, len, i);
        bool comment = (sql[i] == '-' && sql[i + 1] == '-') || (sql[i] == '/' && sql[i + 1] == '*');
        if (j != i) {
            if (!comment && start == (size_t)-1)
                start = i;
            i = j;
            continue;
        }
        size_t w = word_len(sql, i);
        if (w) {
            if (start == (size_t)-1)
                start = i;
            note_word(&nest, sql + i, w);
            i += w;
            continue;
        }
        if (sql[i] == '(')
            nest.parens++;
        else if (sql[i] == ')' && nest.parens > 0)
            nest.parens--;
        if (sql[i] == ';' && nest.parens == 0 && nest.atomic == 0) {
            if (start != (size_t)-1) {
                v = xgrow(v, &cap, n + 1, sizeof *v);
                v[n++] = (SqlStmt){ start, i + 1 };
            }
            start = (size_t)-1;
            nest = (Nesting){ 0, 0, false, false };
        } else if (!isspace((unsigned char)sql[i]) && start == (size_t)-1) {
            start = i;
        }
        i++;
    }
    if (start != (size_t)-1) {
        v = xgrow(v, &cap, n + 1, sizeof *v);
        v[n++] = (SqlStmt){ start, len };
    }
    *out = v;
    return n;
}
