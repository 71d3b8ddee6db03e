/* rows_sql.c: the pieces of the pager's SQL.  Identifiers are quoted at
 * rows_open(); every value goes as a parameter.  SQLite binds every
 * parameter as text, so a key value is bound back with the type it was
 * read with (typeof()), which keeps comparisons exact for columns of no
 * affinity, REAL and BLOB keys.
 *
 * A key that is not unique (ROWS_KEY_COLUMNS, rows.h) reads from the
 * relation with a duplicate number added, and compares with a bound
 * column by column:  a > x OR (a = x AND (b > y OR (b = y AND n > z))),
 * each term written for a NULL where the engine sorts it (PostgreSQL after
 * every value, SQLite before): a row-value comparison with a NULL is never
 * true, and would skip rows. */
#include "rows_internal.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int rows_args_add(RowsArgs *a, const char *value)
{
    a->vals = xgrow(a->vals, &a->cap, (size_t)a->n + 1, sizeof *a->vals);
    a->vals[a->n++] = xstrdup(value);
    return a->n;
}

void rows_args_free(RowsArgs *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->vals[i]);
    free(a->vals);
    a->vals = NULL;
    a->n = 0;
    a->cap = 0;
}

/* PostgreSQL's system columns need a typed parameter (ctid > $1::tid). */
static const char *pg_cast(const char *col)
{
    if (strcmp(col, "ctid") == 0)
        return "::tid";
    if (strcmp(col, "tableoid") == 0)
        return "::oid";
    return "";
}

void rows_sql_hidden(const RowsPager *p, StrBuf *sql)
{
    for (int i = 0; i < p->nkey; i++) {
        const char *k = p->keyq[i];
        if (p->engine == DB_ENGINE_POSTGRES)
            sb_appendf(sql, ", %s", k);
        else /* 17 digits: a REAL reads back to the same double */
            sb_appendf(sql, ", CASE WHEN typeof(%s) = 'real' THEN printf('%%!.17g', %s) "
                            "ELSE %s END, typeof(%s)", k, k, k, k);
    }
}

void rows_sql_order(const RowsPager *p, StrBuf *sql, bool desc)
{
    for (int i = 0; i < p->nkey; i++)
        sb_appendf(sql, "%s%s%s", i ? ", " : "", p->keyq[i], desc ? " DESC" : "");
}

/* SQLite: parameter n bound back as a value of this typeof(). */
static void sqlite_typed(const RowsPager *p, StrBuf *sql, int key, const char *type, int n)
{
    if (strcmp(type, "integer") == 0) {
        sb_appendf(sql, "CAST($%d AS INTEGER)", n);
    } else if (strcmp(type, "real") == 0) {
        sb_appendf(sql, "CAST($%d AS REAL)", n);
    } else if (strcmp(type, "blob") == 0 && p->has_unhex) {
        sb_appendf(sql, "unhex(substr($%d, 3))", n);
    } else if (strcmp(type, "blob") == 0) {
        /* No unhex() before 3.41: take the stored value itself. */
        char *col = db_quote_ident(p->c, p->key[key]);
        sb_appendf(sql, "(SELECT x.%s FROM %s AS x WHERE hex(x.%s) = upper(substr($%d, 3)) "
                        "LIMIT 1)", col, p->table_q, col, n);
        free(col);
    } else {
        sb_appendf(sql, "$%d", n);
    }
}

/* The bound's value of key part i as an expression ($n, typed on SQLite),
 * appended to sql; false (nothing appended) for SQL NULL. */
static bool bound_value(const RowsPager *p, StrBuf *sql, RowsArgs *args, const RowsBound *b,
                        int i)
{
    if (p->engine == DB_ENGINE_POSTGRES) {
        if (!b->vals[i])
            return false;
        sb_appendf(sql, "$%d%s", rows_args_add(args, b->vals[i]), pg_cast(p->key[i]));
        return true;
    }
    if (strcmp(b->types[i], "null") == 0)
        return false;
    sqlite_typed(p, sql, i, b->types[i], rows_args_add(args, b->vals[i]));
    return true;
}

/* Key part i against the bound's value: op '=', '<' or '>' in the order
 * the engine sorts, NULL included. */
static void part_cmp(const RowsPager *p, StrBuf *sql, RowsArgs *args, const RowsBound *b, int i,
                     char op)
{
    const char *k = p->keyq[i];
    bool nulls_last = p->engine == DB_ENGINE_POSTGRES;
    StrBuf v = STRBUF_INIT;
    bool has = bound_value(p, &v, args, b, i);
    if (op == '=' && has)
        sb_appendf(sql, "%s = %s", k, sb_str(&v));
    else if (op == '=')
        sb_appendf(sql, "%s IS NULL", k);
    else if (!has && (op == '>') == nulls_last) /* nothing is past the end NULLs sort to */
        sb_append(sql, "1 = 0");
    else if (!has)
        sb_appendf(sql, "%s IS NOT NULL", k);
    else if ((op == '>') == nulls_last)
        sb_appendf(sql, "(%s %c %s OR %s IS NULL)", k, op, sb_str(&v), k);
    else
        sb_appendf(sql, "%s %c %s", k, op, sb_str(&v));
    sb_free(&v);
}

/* Key parts from..n-1 against the bound: strictly (op '<' or '>'), or with
 * equality when inclusive. */
static void parts_cmp(const RowsPager *p, StrBuf *sql, RowsArgs *args, const RowsBound *b,
                      int from, int n, char op, bool inclusive)
{
    if (from + 1 == n && !inclusive) {
        part_cmp(p, sql, args, b, from, op);
        return;
    }
    sb_appendc(sql, '(');
    part_cmp(p, sql, args, b, from, op);
    sb_append(sql, " OR ");
    if (from + 1 == n) {
        part_cmp(p, sql, args, b, from, '=');
    } else {
        sb_appendc(sql, '(');
        part_cmp(p, sql, args, b, from, '=');
        sb_append(sql, " AND ");
        parts_cmp(p, sql, args, b, from + 1, n, op, inclusive);
        sb_appendc(sql, ')');
    }
    sb_appendc(sql, ')');
}

void rows_sql_key_cmp(const RowsPager *p, StrBuf *sql, RowsArgs *args, const RowsBound *b,
                      const char *op)
{
    if (p->dup) {
        parts_cmp(p, sql, args, b, 0, p->nkey, op[0], op[1] == '=');
        return;
    }
    sb_appendc(sql, '(');
    rows_sql_order(p, sql, false);
    sb_appendf(sql, ") %s (", op);
    for (int i = 0; i < p->nkey; i++) {
        if (i)
            sb_append(sql, ", ");
        if (!bound_value(p, sql, args, b, i))
            sb_append(sql, "NULL"); /* no parameter: every $n must be used */
    }
    sb_appendc(sql, ')');
}

void rows_sql_from(const RowsPager *p, StrBuf *sql, RowsArgs *args, const RowsBound *anchor,
                   bool back)
{
    if (!p->dup) {
        sb_appendf(sql, " FROM %s AS r", p->table_q);
        return;
    }
    int ncol = p->nkey - 1;
    sb_append(sql, " FROM (SELECT r.*, row_number() OVER (PARTITION BY ");
    for (int i = 0; i < ncol; i++)
        sb_appendf(sql, "%s%s", i ? ", " : "", p->keyq[i]);
    sb_append(sql, " ORDER BY ");  /* ties: by the values' exact text */
    for (int i = 0; i < ncol; i++) {
        char *q = db_quote_ident(p->c, p->key[i]);
        if (p->engine == DB_ENGINE_POSTGRES)
            sb_appendf(sql, "%s(r.%s)::text COLLATE \"C\"", i ? ", " : "", q);
        else
            sb_appendf(sql, "%squote(r.%s)", i ? ", " : "", q);
        free(q);
    }
    sb_appendf(sql, ") AS %s FROM %s AS r", ROWS_DUP_COL, p->table_q);
    if (anchor) { /* whole groups of duplicates: their numbers stay right */
        sb_append(sql, " WHERE ");
        parts_cmp(p, sql, args, anchor, 0, ncol, back ? '<' : '>', true);
    }
    sb_append(sql, ") AS r");
}

/* A plain SQL number, as SQLite writes one: -12, 3.5, 1.0e+20. */
static bool looks_numeric(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    if (!isdigit((unsigned char)*s))
        return false;
    while (isdigit((unsigned char)*s))
        s++;
    if (*s == '.') {
        s++;
        while (isdigit((unsigned char)*s))
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+')
            s++;
        if (!isdigit((unsigned char)*s))
            return false;
        while (isdigit((unsigned char)*s))
            s++;
    }
    return *s == '\0';
}

/* \x followed by pairs of hex digits: a BLOB as a page shows it. */
static bool looks_hex(const char *s)
{
    if (s[0] != '\\' || s[1] != 'x')
        return false;
    size_t n = 0;
    for (s += 2; *s; s++, n++)
        if (!isxdigit((unsigned char)*s))
            return false;
    return n % 2 == 0;
}

void rows_sql_equals(const RowsPager *p, StrBuf *sql, RowsArgs *args, const char *col,
                     const char *value)
{
    char *q = db_quote_ident(p->c, col);
    if (!value) {
        sb_appendf(sql, "r.%s IS NULL", q);
        free(q);
        return;
    }
    int n = rows_args_add(args, value);
    bool text = false;
    for (int i = 0; p->key_text && i < p->nkey; i++)
        text |= p->key_text[i] && strcmp(p->key[i], col) == 0;
    if (p->engine == DB_ENGINE_POSTGRES && text) {
        sb_appendf(sql, "(r.%s)::text = $%d", q, n);
    } else if (p->engine == DB_ENGINE_POSTGRES) {
        sb_appendf(sql, "r.%s = $%d%s", q, n, pg_cast(col));
    } else if (looks_numeric(value)) {
        /* a column of no affinity keeps 5 and '5' apart; the numeric form
         * only matches numbers, or a TEXT '7' would match '7.0' */
        sb_appendf(sql, "(r.%s = $%d OR (typeof(r.%s) IN ('integer', 'real') AND "
                   "r.%s = CAST($%d AS NUMERIC)))", q, n, q, q, n);
    } else if (looks_hex(value) && p->has_unhex) {
        sb_appendf(sql, "r.%s IN ($%d, unhex(substr($%d, 3)))", q, n, n);
    } else if (looks_hex(value)) {
        sb_appendf(sql, "(r.%s = $%d OR (typeof(r.%s) = 'blob' AND hex(r.%s) = upper(substr($%d, 3))))",
                   q, n, q, q, n);
    } else {
        sb_appendf(sql, "r.%s = $%d", q, n);
    }
    free(q);
}
