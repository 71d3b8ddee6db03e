/* sqlsplit.c: see sqlsplit.h. */
#include "sqlsplit.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

typedef struct Stmts {
    SqlStmt *v;
    size_t   n, cap;
} Stmts;

static void push(Stmts *s, size_t start, size_t end)
{
    s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
    s->v[s->n++] = (SqlStmt){ start, end };
}

static bool word_is(const char *w, size_t n, const char *kw)
{
    return strlen(kw) == n && strncasecmp(w, kw, n) == 0;
}

/* ---- PostgreSQL ------------------------------------------------------ */

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
    if (!(isalpha((unsigned char)s[i]) || s[i] == '_' || (unsigned char)s[i] >= 0x80))
        return 0;
    size_t j = i;
    while (ident_char((unsigned char)s[j]))
        j++;
    return j - i;
}

/* What a ';' must not split, as psql tracks it: parentheses, and the body
 * of a SQL-standard routine (CREATE [OR REPLACE] FUNCTION|PROCEDURE …
 * BEGIN ATOMIC … END, with CASE … END inside). */
typedef struct PgNest {
    int  parens;
    int  head;          /* reading CREATE [OR REPLACE]: 1 after CREATE, 2 after
                           OR, 3 after REPLACE; 0 at the start; -1 done */
    bool routine;       /* the statement creates a function or procedure */
    bool after_begin;   /* the last token was the word BEGIN */
    int  atomic;        /* CASE depth inside BEGIN ATOMIC … END; 0 outside */
} PgNest;

static void pg_head(PgNest *n, const char *w, size_t len)
{
    bool routine = word_is(w, len, "FUNCTION") || word_is(w, len, "PROCEDURE");
    switch (n->head) {
    case 0: n->head = word_is(w, len, "CREATE") ? 1 : -1; break;
    case 1: n->routine = routine; n->head = !routine && word_is(w, len, "OR") ? 2 : -1; break;
    case 2: n->head = word_is(w, len, "REPLACE") ? 3 : -1; break;
    case 3: n->routine = routine; n->head = -1; break;
    default: break;
    }
}

static void pg_word(PgNest *n, const char *w, size_t len)
{
    pg_head(n, w, len);
    if (n->routine && n->parens == 0) {
        if (n->atomic > 0 && word_is(w, len, "CASE"))
            n->atomic++;
        else if (n->atomic > 0 && word_is(w, len, "END"))
            n->atomic--;
        else if (n->atomic == 0 && n->after_begin && word_is(w, len, "ATOMIC"))
            n->atomic = 1;
    }
    n->after_begin = word_is(w, len, "BEGIN");
}

size_t sqlsplit_postgres(const char *sql, SqlStmt **out)
{
    size_t len = strlen(sql);
    Stmts st = { NULL, 0, 0 };
    size_t i = 0, start = (size_t)-1;
    PgNest nest = { 0, 0, false, false, 0 };
    while (i < len) {
        size_t j = skip_special(sql, len, i);
        bool comment = (sql[i] == '-' && sql[i + 1] == '-') || (sql[i] == '/' && sql[i + 1] == '*');
        if (j != i) {
            if (!comment && start == (size_t)-1)
                start = i;
            if (!comment)
                nest.after_begin = false;
            i = j;
            continue;
        }
        size_t w = word_len(sql, i);
        if (w) {
            if (start == (size_t)-1)
                start = i;
            pg_word(&nest, sql + i, w);
            i += w;
            continue;
        }
        if (!isspace((unsigned char)sql[i]))
            nest.after_begin = false;
        if (sql[i] == '(')
            nest.parens++;
        else if (sql[i] == ')' && nest.parens > 0)
            nest.parens--;
        if (sql[i] == ';' && nest.parens == 0 && nest.atomic == 0) {
            if (start != (size_t)-1)
                push(&st, start, i + 1);
            start = (size_t)-1;
            nest = (PgNest){ 0, 0, false, false, 0 };
        } else if (!isspace((unsigned char)sql[i]) && start == (size_t)-1) {
            start = i;
        }
        i++;
    }
    if (start != (size_t)-1)
        push(&st, start, len);
    *out = st.v;
    return st.n;
}

/* ---- SQLite ------------------------------------------------------------
 * The token classes and state machine of SQLite's sqlite3_complete()
 * (complete.c): a ';' ends a statement unless the statement is
 * CREATE [TEMP] TRIGGER, whose ';'s only end it after "; END". */

enum { TK_SEMI, TK_WS, TK_OTHER, TK_EXPLAIN, TK_CREATE, TK_TEMP, TK_TRIGGER, TK_END };
enum { ST_INVALID, ST_START, ST_NORMAL, ST_EXPLAIN, ST_CREATE, ST_TRIGGER, ST_SEMI, ST_END };

static const unsigned char sq_trans[8][8] = {
    /*              SEMI WS OTHER EXPLAIN CREATE TEMP TRIGGER END */
    /* INVALID */ { 1,   0, 2,    3,      4,     2,   2,      2 },
    /* START   */ { 1,   1, 2,    3,      4,     2,   2,      2 },
    /* NORMAL  */ { 1,   2, 2,    2,      2,     2,   2,      2 },
    /* EXPLAIN */ { 1,   3, 3,    2,      4,     2,   2,      2 },
    /* CREATE  */ { 1,   4, 2,    2,      2,     4,   5,      2 },
    /* TRIGGER */ { 6,   5, 5,    5,      5,     5,   5,      5 },
    /* SEMI    */ { 6,   6, 5,    5,      5,     5,   5,      7 },
    /* END     */ { 1,   7, 5,    5,      5,     5,   5,      5 },
};

static bool sq_id_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static int sq_keyword(const char *w, size_t n)
{
    if (word_is(w, n, "CREATE")) return TK_CREATE;
    if (word_is(w, n, "TRIGGER")) return TK_TRIGGER;
    if (word_is(w, n, "TEMP") || word_is(w, n, "TEMPORARY")) return TK_TEMP;
    if (word_is(w, n, "END")) return TK_END;
    if (word_is(w, n, "EXPLAIN")) return TK_EXPLAIN;
    return TK_OTHER;
}

/* Sets *tk to the class of the token at s[i] and returns the offset just
 * past it (an unterminated comment, string or identifier runs to len). */
static size_t sq_token(const char *s, size_t len, size_t i, int *tk)
{
    unsigned char c = (unsigned char)s[i];
    *tk = TK_OTHER;
    if (c == ';') { *tk = TK_SEMI; return i + 1; }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') { *tk = TK_WS; return i + 1; }
    if (c == '/' && s[i + 1] == '*') {
        const char *e = strstr(s + i + 2, "*/");
        *tk = TK_WS;
        return e ? (size_t)(e - s) + 2 : len;
    }
    if (c == '-' && s[i + 1] == '-') {
        const char *e = strchr(s + i, '\n');
        *tk = TK_WS;
        return e ? (size_t)(e - s) : len;
    }
    if (c == '[' || c == '`' || c == '"' || c == '\'') {
        const char *e = strchr(s + i + 1, c == '[' ? ']' : (char)c);
        return e ? (size_t)(e - s) + 1 : len;
    }
    if (sq_id_char(c)) {
        size_t j = i + 1;
        while (j < len && sq_id_char((unsigned char)s[j]))
            j++;
        *tk = sq_keyword(s + i, j - i);
        return j;
    }
    return i + 1;
}

size_t sqlsplit_sqlite(const char *sql, SqlStmt **out)
{
    size_t len = strlen(sql);
    Stmts st = { NULL, 0, 0 };
    size_t i = 0, start = (size_t)-1;
    int state = ST_START;
    while (i < len) {
        int tk;
        size_t j = sq_token(sql, len, i, &tk);
        int next = sq_trans[state][tk];
        if (tk != TK_WS && tk != TK_SEMI && start == (size_t)-1)
            start = i;
        if (tk == TK_SEMI && next == ST_START && start != (size_t)-1) {
            push(&st, start, j);
            start = (size_t)-1;
        }
        state = next;
        i = j;
    }
    if (start != (size_t)-1)
        push(&st, start, len);
    *out = st.v;
    return st.n;
}

size_t sqlsplit(DbEngine e, const char *sql, SqlStmt **out)
{
    return e == DB_ENGINE_SQLITE ? sqlsplit_sqlite(sql, out) : sqlsplit_postgres(sql, out);
}
