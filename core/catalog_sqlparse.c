/* catalog_sqlparse.c: reads SQLite's stored CREATE statements for what no
 * pragma gives: constraint names, CHECK expressions, generated columns'
 * expressions, WITHOUT ROWID and STRICT, a view's query, an index's
 * expressions and WHERE.  A tokenizer (quotes "x" `x` [x] 'x', comments,
 * nested parentheses) and a walk over the tokens; never fails, what it does
 * not understand it skips. */
#include "catalog_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum TkType { TK_WORD, TK_QUOTED, TK_STRING, TK_NUMBER, TK_PUNCT } TkType;

typedef struct Tok {
    TkType      type;
    const char *s;
    size_t      len;
} Tok;

typedef struct Toks {
    Tok   *v;
    size_t n, cap;
} Toks;

static bool word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '$' || c >= 0x80;
}

/* The end of a quoted run starting at p (its opening quote is *p); a
 * doubled closing quote stands for itself, except in [ ]. */
static const char *skip_quoted(const char *p)
{
    char close = *p == '[' ? ']' : *p;
    for (p++; *p; p++) {
        if (*p == close) {
            if (close != ']' && p[1] == close) {
                p++;
                continue;
            }
            return p + 1;
        }
    }
    return p;
}

static void tokenize(const char *sql, Toks *out)
{
    memset(out, 0, sizeof *out);
    const char *p = sql;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
            p++;
        if (p[0] == '-' && p[1] == '-') {
            p += strcspn(p, "\n");
            continue;
        }
        if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
            continue;
        }
        if (!*p)
            return;
        Tok t = { TK_PUNCT, p, 1 };
        if (*p == '"' || *p == '`' || *p == '[') {
            t.type = TK_QUOTED;
            t.len = (size_t)(skip_quoted(p) - p);
        } else if (*p == '\'') {
            t.type = TK_STRING;
            t.len = (size_t)(skip_quoted(p) - p);
        } else if ((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')) {
            const char *e = p;
            while (word_char((unsigned char)*e) || *e == '.')
                e++;
            t.type = TK_NUMBER;
            t.len = (size_t)(e - p);
        } else if (word_char((unsigned char)*p)) {
            const char *e = p;
            while (word_char((unsigned char)*e))
                e++;
            t.type = TK_WORD;
            t.len = (size_t)(e - p);
        }
        out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof *out->v);
        out->v[out->n++] = t;
        p += t.len;
    }
}

static bool is_kw(const Toks *tk, size_t i, const char *kw)
{
    return i < tk->n && tk->v[i].type == TK_WORD && strlen(kw) == tk->v[i].len &&
           strncasecmp(tk->v[i].s, kw, tk->v[i].len) == 0;
}

static bool is_punct(const Toks *tk, size_t i, char c)
{
    return i < tk->n && tk->v[i].type == TK_PUNCT && tk->v[i].s[0] == c;
}

/* The identifier a token names, without its quotes. */
static char *tok_ident(const Tok *t)
{
    if (t->type != TK_QUOTED && t->type != TK_STRING)
        return xstrndup(t->s, t->len);
    char q = t->s[0], close = q == '[' ? ']' : q;
    StrBuf b = STRBUF_INIT;
    size_t end = t->len >= 2 && t->s[t->len - 1] == close ? t->len - 1 : t->len;
    for (size_t i = 1; i < end; i++) {
        sb_appendc(&b, t->s[i]);
        if (close != ']' && t->s[i] == close && i + 1 < end && t->s[i + 1] == close)
            i++;
    }
    return sb_take(&b);
}

/* The index of the ')' that closes the '(' at open (or tk->n). */
static size_t match_paren(const Toks *tk, size_t open)
{
    int depth = 0;
    for (size_t i = open; i < tk->n; i++) {
        if (is_punct(tk, i, '('))
            depth++;
        else if (is_punct(tk, i, ')') && --depth == 0)
            return i;
    }
    return tk->n;
}

/* The source text strictly between tokens a and b, trimmed. */
static char *text_between(const Toks *tk, size_t a, size_t b)
{
    if (a + 1 >= b || b > tk->n)
        return xstrdup("");
    const char *s = tk->v[a + 1].s;
    const char *e = tk->v[b - 1].s + tk->v[b - 1].len;
    return xstrndup(s, (size_t)(e - s));
}

/* The comma-separated items of the list opening at open: for each, its
 * first token as a name (names) or its whole text (texts); returns the
 * index after the closing ')'. */
static size_t paren_items(const Toks *tk, size_t open, char ***names, char ***texts, size_t *n)
{
    size_t close = match_paren(tk, open), cap = 0, tcap = 0, nt = 0;
    *n = 0;
    if (names)
        *names = NULL;
    if (texts)
        *texts = NULL;
    size_t start = open + 1;
    int depth = 0;
    for (size_t i = open + 1; i <= close && i < tk->n + 1; i++) {
        bool end = i == close || (depth == 0 && is_punct(tk, i, ','));
        if (!end) {
            if (is_punct(tk, i, '('))
                depth++;
            else if (is_punct(tk, i, ')'))
                depth--;
            continue;
        }
        if (start < i && start < tk->n) {
            if (names) {
                char *id = tok_ident(&tk->v[start]);
                cat_strv_push(names, n, &cap, id);
                free(id);
            }
            if (texts) {
                char *txt = text_between(tk, start - 1, i);
                cat_strv_push(texts, &nt, &tcap, txt);
                free(txt);
                if (!names)
                    *n = nt;
            }
        }
        start = i + 1;
        if (i == close)
            break;
    }
    return close < tk->n ? close + 1 : tk->n;
}

static SqpConstraint *add_con(SqpTable *t, SqpKind kind, char **pending)
{
    t->cons = cat_append(t->cons, t->ncons, sizeof *t->cons);
    SqpConstraint *k = &t->cons[t->ncons++];
    memset(k, 0, sizeof *k);
    k->kind = kind;
    k->name = *pending;
    *pending = NULL;
    return k;
}

static void one_column(SqpConstraint *k, const char *col)
{
    k->columns = xcalloc(1, sizeof *k->columns);
    k->columns[0] = xstrdup(col);
    k->ncolumns = 1;
}

/* REFERENCES table [(columns)]: i is at REFERENCES; returns the index after. */
static size_t references(const Toks *tk, size_t i, SqpConstraint *k)
{
    i++;
    if (i < tk->n && tk->v[i].type != TK_PUNCT) {
        k->ref_table = tok_ident(&tk->v[i]);
        i++;
    }
    if (is_punct(tk, i, '('))
        i = paren_items(tk, i, &k->ref_columns, NULL, &k->nref_columns);
    return i;
}

/* Walks the constraints in tokens [i, end): a column's own (col set) or
 * the table's (col NULL). */
static void constraints(const Toks *tk, size_t i, size_t end, const char *col, SqpTable *t)
{
    char *pending = NULL;
    while (i < end) {
        if (is_kw(tk, i, "CONSTRAINT") && i + 1 < end) {
            free(pending);
            pending = tok_ident(&tk->v[i + 1]);
            i += 2;
        } else if (is_kw(tk, i, "PRIMARY") || is_kw(tk, i, "UNIQUE")) {
            SqpConstraint *k = add_con(t, is_kw(tk, i, "PRIMARY") ? SQP_PRIMARY_KEY
                                                                       : SQP_UNIQUE, &pending);
            i += is_kw(tk, i, "PRIMARY") && is_kw(tk, i + 1, "KEY") ? 2 : 1;
            if (col)
                one_column(k, col);
            else if (is_punct(tk, i, '('))
                i = paren_items(tk, i, &k->columns, NULL, &k->ncolumns);
        } else if (is_kw(tk, i, "CHECK") && is_punct(tk, i + 1, '(')) {
            SqpConstraint *k = add_con(t, SQP_CHECK, &pending);
            size_t close = match_paren(tk, i + 1);
            k->expression = text_between(tk, i + 1, close);
            if (col)
                one_column(k, col);
            i = close + 1;
        } else if (is_kw(tk, i, "FOREIGN") && is_kw(tk, i + 1, "KEY")) {
            SqpConstraint *k = add_con(t, SQP_FOREIGN_KEY, &pending);
            i += 2;
            if (is_punct(tk, i, '('))
                i = paren_items(tk, i, &k->columns, NULL, &k->ncolumns);
            if (is_kw(tk, i, "REFERENCES"))
                i = references(tk, i, k);
        } else if (is_kw(tk, i, "REFERENCES") && col) {
            SqpConstraint *k = add_con(t, SQP_FOREIGN_KEY, &pending);
            one_column(k, col);
            i = references(tk, i, k);
        } else if (is_kw(tk, i, "AS") && is_punct(tk, i + 1, '(') && col) {
            size_t close = match_paren(tk, i + 1);
            t->gen = cat_append(t->gen, t->ngen, sizeof *t->gen);
            t->gen[t->ngen].column = xstrdup(col);
            t->gen[t->ngen].expression = text_between(tk, i + 1, close);
            t->ngen++;
            free(pending);
            pending = NULL;
            i = close + 1;
        } else if (is_punct(tk, i, '(')) {
            i = match_paren(tk, i) + 1;
        } else {
            if (is_kw(tk, i, "NOT") || is_kw(tk, i, "NULL") || is_kw(tk, i, "DEFAULT") ||
                is_kw(tk, i, "COLLATE") || is_kw(tk, i, "GENERATED")) {
                free(pending);
                pending = NULL;
            }
            i++;
        }
    }
    free(pending);
}

static bool starts_column_constraint(const Toks *tk, size_t i)
{
    static const char *const kws[] = { "CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE",
                                       "CHECK", "DEFAULT", "COLLATE", "REFERENCES",
                                       "GENERATED", "AS" };
    for (size_t k = 0; k < sizeof kws / sizeof kws[0]; k++)
        if (is_kw(tk, i, kws[k]))
            return true;
    return false;
}

static bool starts_table_constraint(const Toks *tk, size_t i)
{
    return is_kw(tk, i, "CONSTRAINT") || is_kw(tk, i, "PRIMARY") || is_kw(tk, i, "UNIQUE") ||
           is_kw(tk, i, "CHECK") || is_kw(tk, i, "FOREIGN");
}

/* One item of the column list, tokens [a, b). */
static void parse_item(const Toks *tk, size_t a, size_t b, SqpTable *t)
{
    if (a >= b)
        return;
    if (starts_table_constraint(tk, a)) {
        constraints(tk, a, b, NULL, t);
        return;
    }
    char *col = tok_ident(&tk->v[a]);
    size_t i = a + 1;
    while (i < b && !starts_column_constraint(tk, i))
        i = is_punct(tk, i, '(') ? match_paren(tk, i) + 1 : i + 1;
    constraints(tk, i, b, col, t);
    free(col);
}

/* After CREATE [TEMP|TEMPORARY] <what> [IF NOT EXISTS] [schema.]name: the
 * index of the next token, or tk->n. */
static size_t after_name(const Toks *tk, const char *what, bool *is_virtual)
{
    size_t i = 0;
    if (!is_kw(tk, i++, "CREATE"))
        return tk->n;
    if (is_kw(tk, i, "TEMP") || is_kw(tk, i, "TEMPORARY"))
        i++;
    if (is_virtual && is_kw(tk, i, "VIRTUAL")) {
        *is_virtual = true;
        i++;
    }
    if (strcmp(what, "INDEX") == 0 && is_kw(tk, i, "UNIQUE"))
        i++;
    if (!is_kw(tk, i++, what))
        return tk->n;
    if (is_kw(tk, i, "IF") && is_kw(tk, i + 1, "NOT") && is_kw(tk, i + 2, "EXISTS"))
        i += 3;
    i++; /* the name */
    if (is_punct(tk, i, '.'))
        i += 2;
    return i < tk->n ? i : tk->n;
}

void cat_sqlite_parse(const char *sql, SqpTable *out)
{
    memset(out, 0, sizeof *out);
    if (!sql)
        return;
    Toks tk;
    tokenize(sql, &tk);
    size_t i = after_name(&tk, "TABLE", &out->is_virtual);
    if (out->is_virtual || !is_punct(&tk, i, '(')) {
        out->parsed = out->is_virtual;
        free(tk.v);
        return;
    }
    size_t close = match_paren(&tk, i), start = i + 1;
    int depth = 0;
    for (size_t k = i + 1; k <= close && k < tk.n + 1; k++) {
        bool end = k == close || (depth == 0 && is_punct(&tk, k, ','));
        if (!end) {
            if (is_punct(&tk, k, '('))
                depth++;
            else if (is_punct(&tk, k, ')'))
                depth--;
            continue;
        }
        parse_item(&tk, start, k, out);
        start = k + 1;
        if (k == close)
            break;
    }
    for (size_t k = close + 1; k < tk.n; k++) {
        if (is_kw(&tk, k, "WITHOUT") && is_kw(&tk, k + 1, "ROWID"))
            out->without_rowid = true;
        else if (is_kw(&tk, k, "STRICT"))
            out->strict = true;
    }
    out->parsed = true;
    free(tk.v);
}

void cat_sqlite_parse_free(SqpTable *t)
{
    for (size_t i = 0; i < t->ncons; i++) {
        SqpConstraint *k = &t->cons[i];
        free(k->name);
        cat_strv_free(k->columns, k->ncolumns);
        free(k->ref_table);
        cat_strv_free(k->ref_columns, k->nref_columns);
        free(k->expression);
    }
    free(t->cons);
    for (size_t i = 0; i < t->ngen; i++) {
        free(t->gen[i].column);
        free(t->gen[i].expression);
    }
    free(t->gen);
    memset(t, 0, sizeof *t);
}

char *cat_sqlite_view_query(const char *sql)
{
    if (!sql)
        return NULL;
    Toks tk;
    tokenize(sql, &tk);
    size_t i = after_name(&tk, "VIEW", NULL);
    if (is_punct(&tk, i, '('))
        i = match_paren(&tk, i) + 1;
    char *q = NULL;
    if (is_kw(&tk, i, "AS") && i + 1 < tk.n) {
        const char *s = tk.v[i + 1].s;
        size_t len = strlen(s);
        while (len && (s[len - 1] == ';' || s[len - 1] == ' ' || s[len - 1] == '\n' ||
                       s[len - 1] == '\t' || s[len - 1] == '\r'))
            len--;
        q = xstrndup(s, len);
    }
    free(tk.v);
    return q ? q : xstrdup(sql);
}

void cat_sqlite_index_parts(const char *sql, char ***items, size_t *n, char **where)
{
    *items = NULL;
    *n = 0;
    *where = NULL;
    if (!sql)
        return;
    Toks tk;
    tokenize(sql, &tk);
    size_t i = after_name(&tk, "INDEX", NULL);
    if (is_kw(&tk, i, "ON")) {
        i += 2;
        if (is_punct(&tk, i, '.'))
            i += 2;
    }
    if (is_punct(&tk, i, '(')) {
        i = paren_items(&tk, i, NULL, items, n);
        if (is_kw(&tk, i, "WHERE") && i + 1 < tk.n)
            *where = text_between(&tk, i, tk.n);
    }
    free(tk.v);
}
