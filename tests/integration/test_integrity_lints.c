/* test_integrity_lints.c: every lint, once where it finds something and
 * once where it must not, on a real database (argv[1]: sqlite|postgres):
 * a foreign key without an index (and one with), a table without a
 * primary key (and one with), a duplicate index, a redundant index (and
 * indexes that are neither), money as floating point (and as numeric), a
 * status column without a CHECK (and one with); PostgreSQL also an invalid
 * index, a NOT VALID constraint, a sequence and an integer key past 75%
 * of their range (and ones below).  Each found lint has why it matters and
 * the SQL that fixes it, and the fix SQL runs. */
#include "test_integrity_fixture.h"

static const char common_sql[] =
    "CREATE TABLE users (id integer PRIMARY KEY, email text, status text);\n"
    "CREATE TABLE orders (id integer PRIMARY KEY, user_id integer REFERENCES users (id), "
    "amount numeric(12,2), price %s, state text CONSTRAINT orders_state_check "
    "CHECK (state IN ('open', 'paid')));\n"
    "CREATE TABLE items (id integer PRIMARY KEY, order_id integer REFERENCES orders (id), "
    "sku text);\n"
    "CREATE INDEX items_order_idx ON items (order_id);\n"
    "CREATE TABLE logs (line text);\n"
    "CREATE TABLE dup (id integer PRIMARY KEY, a integer, b integer, c integer, "
    "CONSTRAINT dup_a_key UNIQUE (a));\n"
    "CREATE INDEX dup_a_idx ON dup (a);\n"
    "CREATE INDEX dup_b_idx ON dup (b);\n"
    "CREATE INDEX dup_b_c_idx ON dup (b, c);\n"
    "CREATE INDEX dup_c_idx ON dup (c);\n"
    "INSERT INTO users VALUES (1, 'a@x', 'active'), (2, 'b@x', 'closed'), "
    "(3, 'c@x', 'it''s odd');\n";

static const char pg_sql[] =
    "CREATE TABLE inv (id integer PRIMARY KEY, v integer);\n"
    "CREATE UNIQUE INDEX inv_ok ON inv (id, v);\n"
    "INSERT INTO inv VALUES (1, 1), (2, 1);\n"
    "ALTER TABLE orders ADD CONSTRAINT orders_amount_check CHECK (amount > 0) NOT VALID;\n"
    "CREATE TABLE seq_hi (id serial PRIMARY KEY);\n"
    "SELECT setval('seq_hi_id_seq', 2000000000);\n"
    "CREATE TABLE seq_lo (id serial PRIMARY KEY);\n"
    "CREATE TABLE key_hi (id integer PRIMARY KEY);\n"
    "INSERT INTO key_hi VALUES (1700000000);\n";

static const IntegrityCheck *lint(const IntegrityList *l, IntegrityKind k, const char *rest,
                                  IntegrityState want)
{
    char *id = xasprintf("lint:%s:%s.%s", integrity_kind_name(k), fx_schema(), rest);
    const IntegrityCheck *ck = fx_find(l, id);
    CHECK(ck != NULL);
    if (ck && ck->state != want)
        fprintf(stderr, "%s: %s, expected %s (%s)\n", id, integrity_state_name(ck->state),
                integrity_state_name(want), ck->message);
    CHECK(ck && ck->state == want);
    if (ck && want == IS_WARNING)
        CHECK(ck->why && ck->fix_sql && ck->count >= 1);
    if (ck && want == IS_OK)
        CHECK(!ck->fix_sql);
    free(id);
    return ck;
}

static void absent(const IntegrityList *l, IntegrityKind k, const char *rest)
{
    char *id = xasprintf("lint:%s:%s.%s", integrity_kind_name(k), fx_schema(), rest);
    if (integrity_find(l, id))
        fprintf(stderr, "unexpected %s\n", id);
    CHECK(!integrity_find(l, id));
    free(id);
}

/* Runs a lint's fix SQL (a comment on SQLite when SQLite cannot). */
static void fix_runs(Session *s, const IntegrityCheck *ck)
{
    if (!ck || !ck->fix_sql || strncmp(ck->fix_sql, "--", 2) == 0)
        return;
    DbError err = DB_ERROR_INIT;
    size_t at = 0;
    int rc = db_exec_script(s->conn, "test", ck->fix_sql, &at, &err);
    if (rc != 0)
        fprintf(stderr, "fix of %s: %s\n  %s\n", ck->id, err.message, ck->fix_sql);
    CHECK(rc == 0);
    db_error_clear(&err);
}

static void test_lints(void)
{
    Session s;
    char *url = itest_url(engine, "lints");
    fx_session(&s, url, "lints", "", false);
    char *sql = xasprintf(common_sql, engine == DB_ENGINE_POSTGRES ? "double precision" : "REAL");
    fx_exec(s.conn, sql);
    free(sql);
    if (engine == DB_ENGINE_POSTGRES) {
        fx_exec(s.conn, pg_sql);
        /* an index CREATE INDEX CONCURRENTLY leaves invalid when it fails */
        DbError err = DB_ERROR_INIT;
        CHECK(db_exec(s.conn, "t", "CREATE UNIQUE INDEX CONCURRENTLY inv_v_key ON inv (v)",
                      NULL, &err) != 0);
        db_error_clear(&err);
    }
    IntegrityOptions o = { 1u << IG_LINTS, NULL, NULL, false };
    IntegrityList l;
    fx_run(&s, &o, &l);
    char *rel = xasprintf("orders(user_id)->%s.users(id)", fx_schema());
    const IntegrityCheck *fk_ix = lint(&l, IK_FK_WITHOUT_INDEX, rel, IS_WARNING);
    CHECK(fk_ix && strstr(fk_ix->fix_sql, "CREATE INDEX") && strstr(fk_ix->fix_sql, "user_id"));
    free(rel);
    rel = xasprintf("items(order_id)->%s.orders(id)", fx_schema());
    lint(&l, IK_FK_WITHOUT_INDEX, rel, IS_OK);
    free(rel);
    lint(&l, IK_NO_PRIMARY_KEY, "logs", IS_WARNING);
    lint(&l, IK_NO_PRIMARY_KEY, "users", IS_OK);
    const IntegrityCheck *dup = lint(&l, IK_DUPLICATE_INDEX, "dup_a_idx", IS_WARNING);
    CHECK(dup && strstr(dup->fix_sql, "DROP INDEX") && strstr(dup->fix_sql, "dup_a_idx"));
    absent(&l, IK_DUPLICATE_INDEX, "dup_b_idx");
    absent(&l, IK_DUPLICATE_INDEX, "dup_c_idx");
    const IntegrityCheck *red = lint(&l, IK_REDUNDANT_INDEX, "dup_b_idx", IS_WARNING);
    CHECK(red && strstr(red->message, "dup_b_c_idx"));
    absent(&l, IK_REDUNDANT_INDEX, "dup_c_idx");
    absent(&l, IK_REDUNDANT_INDEX, "dup_b_c_idx");
    const IntegrityCheck *money = lint(&l, IK_MONEY_FLOAT, "orders(price)", IS_WARNING);
    lint(&l, IK_MONEY_FLOAT, "orders(amount)", IS_OK);
    const IntegrityCheck *st = lint(&l, IK_STATUS_WITHOUT_CHECK, "users(status)", IS_WARNING);
    CHECK(st && strstr(st->fix_sql, "'active', 'closed', 'it''s odd'"));
    lint(&l, IK_STATUS_WITHOUT_CHECK, "orders(state)", IS_OK);
    if (engine == DB_ENGINE_POSTGRES) {
        lint(&l, IK_INVALID_INDEX, "inv_v_key", IS_WARNING);
        absent(&l, IK_INVALID_INDEX, "inv_ok");
        const IntegrityCheck *nv = lint(&l, IK_NOT_VALID_CONSTRAINT,
                                        "orders.orders_amount_check", IS_WARNING);
        CHECK(nv && strstr(nv->fix_sql, "VALIDATE CONSTRAINT"));
        absent(&l, IK_NOT_VALID_CONSTRAINT, "orders.orders_state_check");
        const IntegrityCheck *sq = lint(&l, IK_SEQUENCE_CAPACITY, "seq_hi_id_seq", IS_WARNING);
        CHECK(sq && sq->count == 93 && strstr(sq->fix_sql, "bigint"));
        lint(&l, IK_SEQUENCE_CAPACITY, "seq_lo_id_seq", IS_OK);
        const IntegrityCheck *kc = lint(&l, IK_KEY_CAPACITY, "key_hi(id)", IS_WARNING);
        CHECK(kc && kc->count == 79);
        lint(&l, IK_KEY_CAPACITY, "users(id)", IS_OK);
    } else {
        /* no PostgreSQL-only lint on SQLite */
        for (size_t i = 0; i < l.count; i++)
            CHECK(l.checks[i].kind != IK_SEQUENCE_CAPACITY &&
                  l.checks[i].kind != IK_KEY_CAPACITY && l.checks[i].kind != IK_INVALID_INDEX);
    }
    /* the fixes run, and then the lints find nothing */
    fix_runs(&s, fk_ix);
    fix_runs(&s, dup);
    fix_runs(&s, red);
    fix_runs(&s, st);
    fix_runs(&s, engine == DB_ENGINE_POSTGRES ? money : NULL);
    IntegrityList after;
    fx_run(&s, &o, &after);
    rel = xasprintf("orders(user_id)->%s.users(id)", fx_schema());
    lint(&after, IK_FK_WITHOUT_INDEX, rel, IS_OK);
    free(rel);
    absent(&after, IK_DUPLICATE_INDEX, "dup_a_idx");
    absent(&after, IK_REDUNDANT_INDEX, "dup_b_idx");
    if (engine == DB_ENGINE_POSTGRES) {
        lint(&after, IK_STATUS_WITHOUT_CHECK, "users(status)", IS_OK);
        lint(&after, IK_MONEY_FLOAT, "orders(price)", IS_OK);
    }
    integrity_list_free(&after);
    integrity_list_free(&l);
    session_free(&s);
    free(url);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_lints);
    return test_report();
}
