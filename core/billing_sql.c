/* billing_sql.c: the settings of one call, the tables and columns checked
 * on the database, the templates expanded, rows read (see
 * billing_internal.h). */
#include "billing_internal.h"
#include "escape.h"
#include "strbuf.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the settings and the schema -------------------------------------- */

const char *bill_colname(const BillConf *m, BillTab t, const char *col)
{
    const BillTabDef *d = &billing_tabdefs[t];
    for (int i = 0; d->cols[i]; i++)
        if (strcmp(d->cols[i], col) == 0)
            return m->col[t][i];
    return col;   /* not a logical column: a bug of a template */
}

typedef struct Seen {
    const BillConf *m;
    bool sqlite;
    bool table[BT_NTABLES];
    bool col[BT_NTABLES][BILL_MAX_COLS];
} Seen;

static bool same(const Seen *sn, const char *a, const char *b)
{
    return sn->sqlite ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* A row: (table name, column name). */
static int on_column(void *ctx, const DbRow *row)
{
    Seen *sn = ctx;
    const char *tab = row->values[0], *col = row->values[1];
    for (int t = 0; tab && col && t < BT_NTABLES; t++) {
        if (!same(sn, sn->m->table[t], tab))
            continue;
        sn->table[t] = true;
        for (int i = 0; billing_tabdefs[t].cols[i]; i++)
            if (same(sn, sn->m->col[t][i], col))
                sn->col[t][i] = true;
    }
    return 0;
}

/* What is missing, with the setting to change; NULL when nothing is. */
static char *missing_text(const BillConf *m, const Seen *sn)
{
    StrBuf tabs = STRBUF_INIT, keys = STRBUF_INIT, cols = STRBUF_INIT;
    for (int t = 0; t < BT_NTABLES; t++) {
        const BillTabDef *d = &billing_tabdefs[t];
        if (!sn->table[t]) {
            sb_appendf(&tabs, "%s%s", tabs.len ? ", " : "", m->table[t]);
            sb_appendf(&keys, "%s%s", keys.len ? ", " : "", d->key);
            continue;
        }
        for (int i = 0; d->cols[i]; i++)
            if (!sn->col[t][i])
                sb_appendf(&cols, "; table %s has no column %s (set columns = %s.%s:NAME in "
                           "[billing])", m->table[t], m->col[t][i], d->key, d->cols[i]);
    }
    char *out = NULL;
    if (tabs.len)
        out = xasprintf("no table %s (set %s in [billing] to the table%s that hold%s %s "
                        "here)%s", sb_str(&tabs), sb_str(&keys), strchr(sb_str(&keys), ',')
                        ? "s" : "", strchr(sb_str(&keys), ',') ? "" : "s",
                        strchr(sb_str(&keys), ',') ? "them" : "it", sb_str(&cols));
    else if (cols.len)
        out = xstrdup(sb_str(&cols) + 2);
    sb_free(&tabs);
    sb_free(&keys);
    sb_free(&cols);
    return out;
}

static int check_schema(BillConf *m, DbConn *c, DbError *err)
{
    const char *sql = m->engine == DB_ENGINE_POSTGRES
        ? "/* billing: tables and columns */ SELECT t.name, a.attname "
          "FROM (VALUES ($1::text), ($2::text), ($3::text), ($4::text), ($5::text), "
          "($6::text)) AS t (name) "
          "JOIN pg_catalog.pg_attribute a "
          "ON a.attrelid = pg_catalog.to_regclass(pg_catalog.quote_ident(t.name)) "
          "AND a.attnum > 0 AND NOT a.attisdropped"
        : "/* billing: tables and columns */ SELECT m.name, p.name "
          "FROM sqlite_schema m JOIN pragma_table_info(m.name) p "
          "WHERE m.type IN ('table', 'view') AND lower(m.name) IN (lower($1), lower($2), "
          "lower($3), lower($4), lower($5), lower($6))";
    DbParams p = { BT_NTABLES, m->table };
    Seen sn;
    memset(&sn, 0, sizeof sn);
    sn.m = m;
    sn.sqlite = m->engine == DB_ENGINE_SQLITE;
    if (db_query(c, "billing: tables and columns", sql, &p, on_column, &sn, err) != 0)
        return -1;
    char *missing = missing_text(m, &sn);
    if (!missing)
        return 0;
    db_error_set(err, DB_ERR_USAGE, "the licenses model cannot read this database: %s",
                 missing);
    free(missing);
    return -1;
}

int bill_conf_init(BillConf *m, const Session *s, DbConn *c, DbError *err)
{
    memset(m, 0, sizeof *m);
    m->b = &s->cfg.billing;
    m->conn = c;
    m->engine = db_engine(c);
    m->grace_s = m->b->grace_period / 1000;
    for (int t = 0; t < BT_NTABLES; t++) {
        m->table[t] = billing_table(m->b, (BillTab)t);
        for (int i = 0; billing_tabdefs[t].cols[i]; i++)
            m->col[t][i] = billing_column(m->b, (BillTab)t, billing_tabdefs[t].cols[i]);
    }
    for (int i = 0; i < BS_NSETS; i++)
        m->set[i] = billing_set_words(m->b, (BillSetId)i, &m->nset[i]);
    return check_schema(m, c, err);
}

void bill_conf_free(BillConf *m)
{
    for (int t = 0; t < BT_NTABLES; t++)
        for (int i = 0; i < BILL_MAX_COLS; i++)
            free(m->col[t][i]);
    for (int i = 0; i < BS_NSETS; i++)
        strv_free(m->set[i]);
    memset(m, 0, sizeof *m);
}

bool bill_in_set(const BillConf *m, BillSetId id, const char *word)
{
    for (size_t i = 0; word && i < m->nset[id]; i++)
        if (strcmp(m->set[id][i], word) == 0)
            return true;
    return false;
}

char *bill_set_text(const BillConf *m, BillSetId id)
{
    StrBuf sb = STRBUF_INIT;
    for (size_t i = 0; i < m->nset[id]; i++)
        sb_appendf(&sb, "%s%s", i ? ", " : "", m->set[id][i]);
    return sb.len ? sb_take(&sb) : xstrdup("none");
}

char *bill_duration_text(int ms)
{
    long s = ms / 1000;
    if (s && s % 86400 == 0)
        return xasprintf("%ldd", s / 86400);
    if (s && s % 3600 == 0)
        return xasprintf("%ldh", s / 3600);
    if (s && s % 60 == 0)
        return xasprintf("%ldm", s / 60);
    return xasprintf("%lds", s);
}

/* ---- templates ---------------------------------------------------------- */

static const char *const set_names[BS_NSETS] = {
    "sub_states", "sub_live", "sub_past_due", "sub_ended", "sub_current", "lic_states",
    "lic_live", "lic_suspended", "lic_revoked", "lic_expired", "lic_dead", "job_active",
};

typedef struct Expand {
    const BillConf *m;
    StrBuf          sb;
    char          **params;
    size_t          nparams, cap;
} Expand;

static int tab_of_letter(char ch)
{
    for (int t = 0; t < BT_NTABLES; t++)
        if (billing_tabdefs[t].letter == ch || billing_tabdefs[t].letter == ch + 'a' - 'A')
            return t;
    return -1;
}

static void put_ident(Expand *x, const char *name)
{
    char *q = db_quote_ident(x->m->conn, name);
    sb_append(&x->sb, q);
    free(q);
}

/* "s2.status" or "S.status" (len bytes at ref). */
static void put_colref(Expand *x, const char *ref, size_t len)
{
    const char *dot = memchr(ref, '.', len);
    int t = dot ? tab_of_letter(*ref) : -1;
    if (t < 0) {
        sb_appendn(&x->sb, ref, len);   /* not a reference: a bug of a template */
        return;
    }
    char *col = xstrndup(dot + 1, len - (size_t)(dot - ref) - 1);
    if (*ref >= 'a' && *ref <= 'z') {
        sb_appendn(&x->sb, ref, (size_t)(dot - ref));
        sb_appendc(&x->sb, '.');
    }
    put_ident(x, bill_colname(x->m, (BillTab)t, col));
    free(col);
}

static void put_param(Expand *x, const char *value)
{
    strv_push(&x->params, &x->nparams, &x->cap, value);
    sb_appendf(&x->sb, "$%zu", x->nparams);
}

/* IN / NOTIN: "s.status sub_live". */
static void put_in(Expand *x, const char *arg, size_t len, bool not)
{
    size_t rl = strcspn(arg, " ");
    const char *set = arg + rl + 1;
    size_t sl = len - rl - 1;
    int id = -1;
    for (int i = 0; i < BS_NSETS; i++)
        if (strlen(set_names[i]) == sl && strncmp(set_names[i], set, sl) == 0)
            id = i;
    if (id < 0 || x->m->nset[id] == 0) {
        sb_append(&x->sb, not ? "1 = 1" : "1 = 0");
        return;
    }
    put_colref(x, arg, rl);
    sb_append(&x->sb, not ? " NOT IN (" : " IN (");
    for (size_t i = 0; i < x->m->nset[id]; i++) {
        if (i)
            sb_append(&x->sb, ", ");
        put_param(x, x->m->set[id][i]);
    }
    sb_appendc(&x->sb, ')');
}

static void put_due(Expand *x)
{
    bool pg = x->m->engine == DB_ENGINE_POSTGRES;
    char grace[32];
    snprintf(grace, sizeof grace, "%ld", x->m->grace_s);
    sb_append(&x->sb, pg ? "(" : "(datetime(");
    put_colref(x, "s.next_billing_date", 19);
    sb_append(&x->sb, pg ? " < now() - CAST(" : ") < datetime('now', '-' || ");
    put_param(x, grace);
    sb_append(&x->sb, pg ? " AS bigint) * interval '1 second')" : " || ' seconds'))");
}

static void put_macro(Expand *x, const char *in, size_t len)
{
    bool pg = x->m->engine == DB_ENGINE_POSTGRES;
    if (len == 1 && tab_of_letter(*in) >= 0) {
        put_ident(x, x->m->table[tab_of_letter(*in)]);
    } else if (len > 3 && strncmp(in, "IN ", 3) == 0) {
        put_in(x, in + 3, len - 3, false);
    } else if (len > 6 && strncmp(in, "NOTIN ", 6) == 0) {
        put_in(x, in + 6, len - 6, true);
    } else if (len == 3 && strncmp(in, "DUE", 3) == 0) {
        put_due(x);
    } else if (len == 4 && strncmp(in, "LEXP", 4) == 0) {
        sb_append(&x->sb, pg ? "(" : "(datetime(");
        put_colref(x, "l.expires_at", 12);
        sb_append(&x->sb, pg ? " < now())" : ") < datetime('now'))");
    } else if (len > 3 && strncmp(in, "TS ", 3) == 0) {
        sb_append(&x->sb, pg ? "to_char(CAST(" : "COALESCE(datetime(");
        put_colref(x, in + 3, len - 3);
        sb_append(&x->sb, pg ? " AS timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
                             : "), CAST(");
        if (!pg) {
            put_colref(x, in + 3, len - 3);
            sb_append(&x->sb, " AS TEXT))");
        }
    } else if (len > 4 && strncmp(in, "TXT ", 4) == 0) {
        sb_append(&x->sb, "CAST(");
        put_colref(x, in + 4, len - 4);
        sb_append(&x->sb, " AS TEXT)");
    } else {
        put_colref(x, in, len);
    }
}

void bill_sql(const BillConf *m, const char *label, const char *tmpl,
              const char *const *fixed, int nfixed, BillSql *out)
{
    Expand x;
    memset(&x, 0, sizeof x);
    x.m = m;
    for (int i = 0; i < nfixed; i++)
        strv_push(&x.params, &x.nparams, &x.cap, fixed[i]);
    sb_append(&x.sb, "/* billing: ");
    char *lab = esc_dup(label, 0);   /* a label (it may name a table) cannot end its comment */
    for (char *q = strstr(lab, "*/"); q; q = strstr(q, "*/"))
        *q = '+';
    sb_append(&x.sb, lab);
    free(lab);
    sb_append(&x.sb, " */ ");
    for (const char *p = tmpl; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (close) {
            put_macro(&x, p + 1, (size_t)(close - p - 1));
            p = close + 1;
        } else {
            sb_appendc(&x.sb, *p++);
        }
    }
    out->sql = sb_take(&x.sb);
    out->params = x.params;
    out->nparams = (int)x.nparams;
}

void bill_sql_free(BillSql *q)
{
    free(q->sql);
    strv_free(q->params);
    memset(q, 0, sizeof *q);
}

/* ---- rows --------------------------------------------------------------- */

int bill_col(const BillTable *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->names[i], name) == 0)
            return i;
    return -1;
}

void bill_table_free(BillTable *t)
{
    for (int i = 0; i < t->ncols; i++)
        free(t->names[i]);
    for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
        free(t->cells[i]);
    free(t->names);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

typedef struct Reader {
    BillTable *t;
    size_t     max, cap;
} Reader;

static int on_row(void *ctx, const DbRow *row)
{
    Reader *r = ctx;
    BillTable *t = r->t;
    if (!t->names) {
        t->ncols = row->ncols;
        t->names = xcalloc((size_t)row->ncols + 1, sizeof *t->names);
        for (int i = 0; i < row->ncols; i++)
            t->names[i] = xstrdup(row->names[i]);
    }
    if (t->nrows >= r->max) {
        t->truncated = true;
        return 1;   /* enough */
    }
    size_t need = (t->nrows + 1) * (size_t)t->ncols;
    t->cells = xgrow(t->cells, &r->cap, need, sizeof *t->cells);
    for (int i = 0; i < t->ncols; i++)
        t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = xstrdup(row->values[i]);
    t->nrows++;
    return 0;
}

int bill_read(DbConn *c, const char *label, const BillSql *q, size_t max, BillTable *out,
              DbError *err)
{
    memset(out, 0, sizeof *out);
    Reader r = { out, max, 0 };
    DbParams p = { q->nparams, (const char *const *)q->params };
    if (db_query(c, label, q->sql, &p, on_row, &r, err) != 0) {
        bill_table_free(out);
        return -1;
    }
    return 0;
}

int bill_query(const BillConf *m, DbConn *c, const char *label, const char *tmpl,
               const char *const *fixed, int nfixed, size_t max, BillTable *out,
               DbError *err)
{
    BillSql q;
    bill_sql(m, label, tmpl, fixed, nfixed, &q);
    char *lab = xasprintf("billing: %s", label);
    int rc = bill_read(c, lab, &q, max, out, err);
    free(lab);
    bill_sql_free(&q);
    return rc;
}

void bill_table_drop_first(BillTable *t)
{
    if (t->ncols == 0)
        return;
    int n = t->ncols - 1;
    free(t->names[0]);
    memmove(t->names, t->names + 1, (size_t)n * sizeof *t->names);
    for (size_t r = 0; r < t->nrows; r++) {
        char **row = t->cells + r * (size_t)t->ncols;
        free(row[0]);
        memmove(t->cells + r * (size_t)n, row + 1, (size_t)n * sizeof *row);
    }
    t->ncols = n;
}

void bill_table_filter(BillTable *t, const bool *keep)
{
    size_t w = 0, nc = (size_t)t->ncols;
    for (size_t r = 0; r < t->nrows; r++) {
        char **row = t->cells + r * nc;
        if (!keep[r]) {
            for (size_t i = 0; i < nc; i++)
                free(row[i]);
            continue;
        }
        memmove(t->cells + w * nc, row, nc * sizeof *row);
        w++;
    }
    t->nrows = w;
}
