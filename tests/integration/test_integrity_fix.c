/* test_integrity_fix.c: the fixes of orphans, on a real database
 * (argv[1]: sqlite|postgres), through the action rows and their guard:
 * a delete whose ON DELETE CASCADE and SET NULL reach two more tables
 * counts every row first (a trial rolled back), changes them in one
 * transaction, and its inverse file (mode 0600) puts back exactly what
 * was there; the same for setting an inferred key to NULL; a fix that
 * fails half way changes nothing and leaves no inverse file; a fix the
 * database refuses (a NO ACTION key onto an orphan) fails at the plan; a
 * count that moved after the plan is refused under the lock; set-null on a
 * NOT NULL key is refused; read-only refuses every row; an acceptance and
 * its taking back; the migration that declares an inferred key, applied
 * with dbwarden's own migrations. */
#include "action.h"
#include "fsutil.h"
#include "integrity_fix.h"
#include "test_integrity_fixture.h"

#include <dirent.h>
#include <sys/stat.h>

static const char schema_sql[] =
    "CREATE TABLE users (id integer PRIMARY KEY, name text);\n"
    "CREATE TABLE orders (id integer PRIMARY KEY, user_id integer REFERENCES users (id), "
    "note text, total numeric(10,2), data %s);\n"
    "CREATE TABLE order_items (id integer PRIMARY KEY, order_id integer REFERENCES orders (id) "
    "ON DELETE CASCADE, sku text);\n"
    "CREATE TABLE order_notes (id integer PRIMARY KEY, order_id integer "
    "REFERENCES orders (id) ON DELETE SET NULL, body text);\n"
    "CREATE TABLE posts (id integer PRIMARY KEY, author_id integer, title text);\n"
    "CREATE TABLE tickets (id integer PRIMARY KEY, user_id integer NOT NULL "
    "REFERENCES users (id));\n";

static const char data_sql[] =
    "INSERT INTO users VALUES (1, 'a'), (2, 'b');\n"
    "INSERT INTO orders VALUES (1, 1, 'ok', 1.50, NULL), "
    "(2, 10, 'orphan, with \"quotes\"\nand a line', 0.10, %s), (3, 11, 'it''s', NULL, NULL), "
    "(4, NULL, 'no key', 2.00, NULL), (5, 10, NULL, 3.33, NULL);\n"
    "INSERT INTO order_items VALUES (1, 1, 'x'), (2, 2, 'y'), (3, 2, 'z'), (4, 3, 'w');\n"
    "INSERT INTO order_notes VALUES (1, 2, 'n1'), (2, 5, 'n2'), (3, 1, 'n3');\n"
    "INSERT INTO posts VALUES (1, 1, 'a'), (2, 50, 'b'), (3, NULL, 'c'), (4, 51, 'd');\n"
    "INSERT INTO tickets VALUES (1, 1), (2, 9);\n";

typedef struct Fx {
    Session s;
    char   *url, *dir, *name;
} Fx;

static void fx_open(Fx *f, const char *name, const char *extra_ini)
{
    f->name = xasprintf("%s", name);
    f->url = itest_url(engine, name);
    f->dir = itest_fresh_dir("inv", name, engine);
    char *ini = xasprintf("[integrity]\ninverse_dir = %s\n[database]\nlock_wait = 1s\n%s", f->dir,
                          extra_ini);
    fx_session(&f->s, f->url, name, ini, false);
    free(ini);
    char *sql = xasprintf(schema_sql, engine == DB_ENGINE_POSTGRES ? "bytea" : "BLOB");
    fx_exec(f->s.conn, sql);
    free(sql);
    DbConn *load = fx_loader(f->url, name);
    sql = xasprintf(data_sql, engine == DB_ENGINE_POSTGRES ? "'\\x00ff0a'::bytea" : "X'00FF0A'");
    fx_exec(load, sql);
    free(sql);
    db_close(load);
}

static void fx_close(Fx *f)
{
    session_free(&f->s);
    free(f->url);
    free(f->dir);
    free(f->name);
}

/* The three tables a delete reaches, as text. */
static char *snapshot(DbConn *c)
{
    char *a = fx_dump(c, "orders", "id, user_id, note, total, data", "id");
    char *b = fx_dump(c, "order_items", "id, order_id, sku", "id");
    char *d = fx_dump(c, "order_notes", "id, order_id, body", "id");
    char *e = fx_dump(c, "posts", "id, author_id, title", "id");
    char *all = xasprintf("%s\n%s\n%s\n%s", a, b, d, e);
    free(a);
    free(b);
    free(d);
    free(e);
    return all;
}

static int plan(Fx *f, const char *name, const char *arg, ActionPlan *p, DbError *err)
{
    return action_plan(&f->s, f->s.conn, action_find(name), arg, false, p, err);
}

static int execute(Fx *f, ActionPlan *p, DbError *err)
{
    char *outcome = NULL;
    int rc = action_execute(&f->s, f->s.conn, p, false, NULL, &outcome, NULL, err);
    free(outcome);
    return rc;
}

/* Runs an inverse file on the database. */
static void run_inverse(Fx *f, const char *path)
{
    struct stat st;
    CHECK(path && stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    DbError err = DB_ERROR_INIT;
    char *text = fs_read_file(path, NULL, &err);
    CHECK(text != NULL);
    if (text) {
        size_t at = 0;
        int rc = db_exec_script(f->s.conn, "inverse", text, &at, &err);
        if (rc != 0)
            fprintf(stderr, "inverse: %s\n  at: %.200s\n", err.message, text + at);
        CHECK(rc == 0);
    }
    db_error_clear(&err);
    free(text);
}

/* Files in the inverse folder (hidden temporary ones too). */
static size_t files_in(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

static long long orphans(Fx *f, const char *id)
{
    Catalog *cat = NULL;
    IntegrityList l;
    DbError err = DB_ERROR_INIT;
    long long rows = -1, distinct = -1;
    if (integrity_lookup(f->s.conn, &f->s, id, &cat, &l, &err) == 0) {
        CHECK(integrity_count_orphans(f->s.conn, &l.checks[0], &rows, &distinct, &err) == 0);
        integrity_list_free(&l);
    }
    db_error_clear(&err);
    catalog_free(cat);
    return rows;
}

static void test_delete_round_trip(void)
{
    Fx f;
    fx_open(&f, "fix_delete", "");
    char *before = snapshot(f.s.conn);
    char *id = fx_rel_id("fk", "orders", "user_id", "users", "id");
    char *arg = xasprintf("delete:%s", id);
    ActionPlan p;
    DbError err = DB_ERROR_INIT;
    CHECK(plan(&f, "fix", arg, &p, &err) == 0);
    /* 3 orders, their 3 items (CASCADE), 2 notes (SET NULL) */
    CHECK(p.count == 8 && !p.nothing);
    CHECK(p.nitems == 3);
    CHECK_CONTAINS(p.summary, "delete 3 orphan rows");
    CHECK_CONTAINS(p.what, "DELETE FROM");
    char *mid = snapshot(f.s.conn);
    CHECK_STR(mid, before);   /* the trial was rolled back */
    free(mid);
    CHECK(execute(&f, &p, &err) == 0);
    if (err.message)
        fprintf(stderr, "fix: %s\n", err.message);
    const IntegrityFix *fx = action_fix_data(&p);
    CHECK(fx && fx->total == 8 && fx->inverse_path);
    CHECK(orphans(&f, id) == 0);
    char *v = fx_value(f.s.conn, "SELECT count(*) FROM order_items");
    CHECK_STR(v, "1");
    free(v);
    v = fx_value(f.s.conn, "SELECT count(*) FROM order_notes WHERE order_id IS NULL");
    CHECK_STR(v, "2");
    free(v);
    run_inverse(&f, fx ? fx->inverse_path : NULL);
    char *after = snapshot(f.s.conn);
    CHECK_STR(after, before);
    CHECK(orphans(&f, id) == 3);
    free(after);
    action_plan_free(&p);
    free(arg);
    free(id);
    free(before);
    fx_close(&f);
}

static void test_set_null_round_trip(void)
{
    Fx f;
    fx_open(&f, "fix_setnull", "");
    char *before = snapshot(f.s.conn);
    char *id = fx_rel_id("inferred", "posts", "author_id", "users", "id");
    char *arg = xasprintf("set-null:%s", id);
    ActionPlan p;
    DbError err = DB_ERROR_INIT;
    CHECK(plan(&f, "fix", arg, &p, &err) == 0 && p.count == 2);
    CHECK(execute(&f, &p, &err) == 0);
    CHECK(orphans(&f, id) == 0);
    char *v = fx_value(f.s.conn, "SELECT count(*) FROM posts WHERE author_id IS NULL");
    CHECK_STR(v, "3");
    free(v);
    const IntegrityFix *fx = action_fix_data(&p);
    run_inverse(&f, fx ? fx->inverse_path : NULL);
    char *after = snapshot(f.s.conn);
    CHECK_STR(after, before);
    free(after);
    action_plan_free(&p);
    /* a NOT NULL key: only delete */
    free(arg);
    free(id);
    id = fx_rel_id("fk", "tickets", "user_id", "users", "id");
    arg = xasprintf("set-null:%s", id);
    CHECK(plan(&f, "fix", arg, &p, &err) != 0 && err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "NOT NULL");
    db_error_clear(&err);
    free(arg);
    free(id);
    free(before);
    fx_close(&f);
}

/* A fix that fails half way (a trigger refuses the last orphan's delete):
 * nothing changed, no inverse file left. */
static void test_fails_half_way(void)
{
    Fx f;
    fx_open(&f, "fix_half", "");
    char *before = snapshot(f.s.conn);
    char *id = fx_rel_id("fk", "orders", "user_id", "users", "id");
    char *arg = xasprintf("delete:%s", id);
    ActionPlan p;
    DbError err = DB_ERROR_INIT;
    CHECK(plan(&f, "fix", arg, &p, &err) == 0);
    fx_exec(f.s.conn, engine == DB_ENGINE_POSTGRES
        ? "CREATE FUNCTION keep5() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
          "IF OLD.id = 5 THEN RAISE EXCEPTION 'order 5 is kept'; END IF; RETURN OLD; END $$;\n"
          "CREATE TRIGGER keep5 BEFORE DELETE ON orders FOR EACH ROW EXECUTE FUNCTION keep5()"
        : "CREATE TRIGGER keep5 BEFORE DELETE ON orders WHEN old.id = 5 BEGIN "
          "SELECT RAISE(ABORT, 'order 5 is kept'); END");
    CHECK(execute(&f, &p, &err) != 0);
    CHECK_CONTAINS(err.message, "order 5 is kept");
    db_error_clear(&err);
    char *after = snapshot(f.s.conn);
    CHECK_STR(after, before);
    CHECK(files_in(f.dir) == 0);
    free(after);
    action_plan_free(&p);
    free(arg);
    free(id);
    free(before);
    fx_close(&f);
}

/* A NO ACTION key onto an orphan: the trial fails, nothing is changed;
 * a count that moved after the plan is refused under the lock. */
static void test_refusals(void)
{
    Fx f;
    fx_open(&f, "fix_refuse", "");
    fx_exec(f.s.conn, "CREATE TABLE guarded (id integer PRIMARY KEY, order_id integer "
                      "REFERENCES orders (id))");
    DbConn *load = fx_loader(f.url, f.name);
    fx_exec(load, "INSERT INTO guarded VALUES (1, 2)");
    char *before = snapshot(f.s.conn);
    char *id = fx_rel_id("fk", "orders", "user_id", "users", "id");
    char *arg = xasprintf("delete:%s", id);
    ActionPlan p;
    DbError err = DB_ERROR_INIT;
    CHECK(plan(&f, "fix", arg, &p, &err) != 0);
    CHECK(err.message && (strstr(err.message, "foreign key") ||
                          strstr(err.message, "FOREIGN KEY")));
    db_error_clear(&err);
    char *after = snapshot(f.s.conn);
    CHECK_STR(after, before);
    free(after);
    fx_exec(load, "DELETE FROM guarded");
    CHECK(plan(&f, "fix", arg, &p, &err) == 0);
    fx_exec(load, "INSERT INTO orders VALUES (6, 12, 'new orphan', NULL, NULL)");
    CHECK(execute(&f, &p, &err) != 0 && err.kind == DB_ERR_BUSY);
    CHECK_CONTAINS(err.message, "went from 3 to 4");
    db_error_clear(&err);
    CHECK(orphans(&f, id) == 4);
    CHECK(files_in(f.dir) == 0);
    action_plan_free(&p);
    db_close(load);
    free(arg);
    free(id);
    free(before);
    fx_close(&f);
}

/* Read-only refuses every row of the integrity actions, before planning. */
static void test_read_only(void)
{
    Fx f;
    fx_open(&f, "fix_ro", "");
    Session ro;
    fx_session(&ro, f.url, "fix_ro_r", "", true);
    char *id = fx_rel_id("fk", "orders", "user_id", "users", "id");
    char *del = xasprintf("delete:%s", id), *acc = integrity_accept_arg(id, "why", "me");
    const char *const rows[][2] = { { "fix", del }, { "accept", acc }, { "unaccept", id },
                                    { "fk-migration", id } };
    for (size_t i = 0; i < 4; i++) {
        ActionPlan p;
        DbError err = DB_ERROR_INIT;
        CHECK(action_plan(&ro, ro.conn, action_find(rows[i][0]), rows[i][1], false, &p,
                          &err) != 0);
        CHECK(err.kind == DB_ERR_USAGE);
        CHECK_CONTAINS(err.message, "read-only");
        db_error_clear(&err);
    }
    CHECK(orphans(&f, id) == 3);
    free(del);
    free(acc);
    free(id);
    session_free(&ro);
    fx_close(&f);
}

/* accept, then unaccept, as actions. */
static void test_accept_actions(void)
{
    Fx f;
    fx_open(&f, "fix_accept", "");
    char *id = fx_rel_id("fk", "orders", "user_id", "users", "id");
    char *arg = integrity_accept_arg(id, "known legacy rows", "ops");
    ActionPlan p;
    DbError err = DB_ERROR_INIT;
    CHECK(plan(&f, "accept", arg, &p, &err) == 0 && action_accept_count(&p) == 3);
    CHECK(execute(&f, &p, &err) == 0);
    action_plan_free(&p);
    IntegrityList l;
    fx_run(&f.s, NULL, &l);
    const IntegrityCheck *ck = fx_find(&l, id);
    CHECK(ck && ck->state == IS_ACCEPTED && !strcmp(ck->accepted_by, "ops"));
    integrity_list_free(&l);
    /* an ok check has nothing to accept */
    char *ok = fx_rel_id("fk", "order_items", "order_id", "orders", "id");
    char *okarg = integrity_accept_arg(ok, "x", NULL);
    CHECK(plan(&f, "accept", okarg, &p, &err) != 0 && err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    CHECK(plan(&f, "unaccept", id, &p, &err) == 0 && !p.nothing);
    CHECK(execute(&f, &p, &err) == 0);
    action_plan_free(&p);
    CHECK(plan(&f, "unaccept", id, &p, &err) == 0 && p.nothing);
    action_plan_free(&p);
    free(ok);
    free(okarg);
    free(arg);
    free(id);
    fx_close(&f);
}

/* The migration of an inferred key, written and applied. */
static void test_fk_migration(void)
{
    Fx f;
    char *mig = itest_fresh_dir("mig", "fix_fkmig", engine);
    char *ini = xasprintf("[migrations]\ndir = %s\n", mig);
    fx_open(&f, "fix_fkmig", ini);
    char *id = fx_rel_id("inferred", "posts", "author_id", "users", "id");
    ActionPlan p;
    DbError err = DB_ERROR_INIT;
    CHECK(plan(&f, "fk-migration", id, &p, &err) == 0);
    const IntegrityFkMigration *m = action_fk_migration_data(&p);
    CHECK(m && m->names[0] && (engine == DB_ENGINE_POSTGRES) == (m->names[1] != NULL));
    CHECK(execute(&f, &p, &err) == 0);
    action_plan_free(&p);
    char *before = fx_dump(f.s.conn, "posts", "id, author_id, title", "id");
    /* applied with dbwarden's own migrations: the up that adds the key */
    Session s2;
    fx_session(&s2, f.url, "fix_fkmig2", ini, false);
    CHECK(session_load_migrations(&s2, &err) == 0 && s2.migrations.count >= 1);
    ActionPlan up;
    CHECK(action_plan(&s2, s2.conn, &action_up, NULL, false, &up, &err) == 0);
    int rc = action_execute(&s2, s2.conn, &up, false, NULL, NULL, NULL, &err);
    if (engine == DB_ENGINE_POSTGRES) {
        /* added NOT VALID; its validation fails while the orphans remain */
        CHECK(rc != 0);
        CHECK(err.message && strstr(err.message, "violates foreign key"));
    } else {
        CHECK(rc == 0);
    }
    db_error_clear(&err);
    action_plan_free(&up);
    char *after = fx_dump(f.s.conn, "posts", "id, author_id, title", "id");
    CHECK_STR(after, before);
    /* the key is declared now: the relationship is no longer inferred */
    IntegrityList l;
    fx_run(&f.s, NULL, &l);
    CHECK(!integrity_find(&l, id));
    char *fk = fx_rel_id("fk", "posts", "author_id", "users", "id");
    const IntegrityCheck *ck = fx_find(&l, fk);
    CHECK(ck && ck->count == 2);
    integrity_list_free(&l);
    free(fk);
    free(before);
    free(after);
    session_free(&s2);
    free(id);
    free(ini);
    free(mig);
    fx_close(&f);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_delete_round_trip);
    RUN(test_set_null_round_trip);
    RUN(test_fails_half_way);
    RUN(test_refusals);
    RUN(test_read_only);
    RUN(test_accept_actions);
    RUN(test_fk_migration);
    return test_report();
}
