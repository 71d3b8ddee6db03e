/* test_seed_canon.c: the same N and seed give the same rows on both
 * engines.  Seeds scale (N users, seed S, anomalies and orphans included)
 * and demo into a fresh SQLite file and a fresh PostgreSQL database, then
 * exports every table canonically (ORDER BY key; times in UTC as
 * "YYYY-MM-DD HH:MM:SS"; money and float prices with two decimals; NULL
 * as \N) and compares the two exports line by line; another seed gives
 * other rows.  The exports are left as canon_sqlite.txt and
 * canon_postgres.txt.  Needs the test server (no argument). */
#include "seed_fixture.h"
#include "seed_internal.h"

/* How column col of a table is written canonically on engine e. */
static char *canon_expr(DbEngine e, const char *col)
{
    size_t n = strlen(col);
    bool time = n > 3 && strcmp(col + n - 3, "_at") == 0;
    bool money = !strcmp(col, "amount") || !strcmp(col, "vat_rate") || !strcmp(col, "total") ||
                 !strcmp(col, "price");
    if (e == DB_ENGINE_POSTGRES) {
        if (time)
            return xasprintf("to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')", col);
        if (money)
            return xasprintf("round(CAST(%s AS numeric), 2)::text", col);
        return xasprintf("CAST(%s AS text)", col);
    }
    if (money)
        return xasprintf("CASE WHEN %s IS NULL THEN NULL ELSE printf('%%.2f', %s) END", col, col);
    return xasprintf("CAST(%s AS TEXT)", col);
}

static int add_line(void *ctx, const DbRow *row)
{
    StrBuf *b = ctx;
    for (int i = 0; i < row->ncols; i++) {
        if (i)
            sb_appendc(b, '\t');
        sb_append(b, row->values[i] ? row->values[i] : "\\N");
    }
    sb_appendc(b, '\n');
    return 0;
}

/* Every reference table and the ledger's keys, canonically. */
static char *export(DbConn *c)
{
    StrBuf out = STRBUF_INIT;
    DbError err = DB_ERROR_INIT;
    for (int t = 0; t < SEED_NTABLES; t++) {
        const SeedTableDef *d = &seed_tables[t];
        StrBuf sql = STRBUF_INIT;
        sb_appendf(&out, "== %s\n", d->name);
        sb_append(&sql, "SELECT ");
        for (int i = 0; i < d->ncols; i++) {
            char *e = canon_expr(db_engine(c), d->columns[i]);
            sb_appendf(&sql, "%s%s", i ? ", " : "", e);
            free(e);
        }
        sb_appendf(&sql, " FROM %s x ORDER BY x.id", d->name);
        if (db_query(c, "test", sb_str(&sql), NULL, add_line, &out, &err) != 0) {
            fprintf(stderr, "export %s: %s\n", d->name, err.message);
            test_failures++;
            db_error_clear(&err);
        }
        sb_free(&sql);
    }
    sb_append(&out, "== ledger\n");
    db_query(c, "test", "SELECT table_name, first_key, last_key, block_first, block_last FROM "
             "dbwarden_seed_keys ORDER BY run_id, table_name, first_key", NULL, add_line, &out,
             &err);
    db_error_clear(&err);
    return sb_take(&out);
}

static void save(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The first line where a and b differ, on stderr. */
static bool same(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    int line = 1;
    const char *la = a, *lb = b;
    while (*a && *a == *b) {
        if (*a == '\n') {
            line++;
            la = a + 1;
            lb = b + 1;
        }
        a++;
        b++;
    }
    fprintf(stderr, "exports differ at line %d:\n  sqlite:   %.*s\n  postgres: %.*s\n", line,
            (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
    return false;
}

static char *seeded(DbEngine e, const char *name, const char *arg)
{
    engine = e;
    Session s;
    seed_session(&s, name, false, "[seed]\nanomalies = 2%\n", false);
    DbError err = DB_ERROR_INIT;
    if (act(&s, "seed", arg, NULL, NULL, &err) != 0 ||
        act(&s, "seed", "set=demo", NULL, NULL, &err) != 0) {
        fprintf(stderr, "%s: %s\n", name, err.message);
        test_failures++;
        db_error_clear(&err);
    }
    char *text = export(s.conn);
    session_free(&s);
    return text;
}

static void test_same_rows_on_both_engines(void)
{
    const char *arg = "set=scale\nscale=700\nseed=42";
    char *sq = seeded(DB_ENGINE_SQLITE, "seed_canon", arg);
    char *pgx = seeded(DB_ENGINE_POSTGRES, "seed_canon", arg);
    save("canon_sqlite.txt", sq);
    save("canon_postgres.txt", pgx);
    CHECK(strlen(sq) > 100000);
    CHECK(strstr(sq, "\\N") != NULL);
    CHECK(same(sq, pgx));
    /* another seed, other rows; the same seed again, the same rows */
    char *other = seeded(DB_ENGINE_SQLITE, "seed_canon2", "set=scale\nscale=700\nseed=43");
    CHECK(strcmp(other, sq) != 0);
    char *again = seeded(DB_ENGINE_SQLITE, "seed_canon3", arg);
    CHECK(strcmp(again, sq) == 0);
    free(sq);
    free(pgx);
    free(other);
    free(again);
}

int main(void)
{
    engine = DB_ENGINE_POSTGRES;
    grant_replica();
    RUN(test_same_rows_on_both_engines);
    return test_report();
}
