/* test_seed_files.c: SQL seed files on a real database: every *.sql of
 * [seed] dir in name order, each in its own transaction, recorded in the
 * ledger; a file seeded before is skipped, a changed one runs again; a file
 * whose rows cannot be told apart (keys below the existing ones) and a
 * file with an error roll back, named with their line, the files before
 * them staying; reset removes the files' rows, and refuses a demo reset
 * while a file's row references a demo row.
 *   test_seed_files sqlite|postgres */
#include "seed_fixture.h"

static char *seeds_dir(const char *name)
{
    char *d = itest_fresh_dir("seedfiles", name, engine);
    char *s = xasprintf("%s/seeds", d);
    mkdir(s, 0755);
    free(d);
    return s;
}

static void test_files_in_order(void)
{
    char *dir = seeds_dir("order");
    itest_write_file(dir, "0001_users.sql",
                     "-- two users of our own\n"
                     "INSERT INTO users (email, username) VALUES ('f1@seed.org', 'f1'),\n"
                     "  ('f2@seed.org', 'f2');\n");
    itest_write_file(dir, "0002_workspaces.sql",
                     "INSERT INTO workspaces (owner_id, name)\n"
                     "SELECT id, 'ws of ' || username FROM users WHERE username IN ('f1', 'f2');\n");
    itest_write_file(dir, "notes.txt", "not a seed file");
    char *ini = xasprintf("[seed]\ndir = %s\n", dir);
    Session s;
    seed_session(&s, "seed_files", false, ini, false);
    DbConn *c = s.conn;
    exec_ok(c, "INSERT INTO users (email, username) VALUES ('app@app.org', 'app')");
    DbError err = DB_ERROR_INIT;
    ActionPlan p;
    /* no set named: [seed] dir's files */
    CHECK(action_plan(&s, c, &action_seed, NULL, false, &p, &err) == 0);
    CHECK_CONTAINS(p.summary, "run 2 of 2 files");
    CHECK(p.nitems == 2 && strstr(p.items[0], "0001_users.sql"));
    action_plan_free(&p);
    char *out = NULL;
    CHECK(act(&s, "seed", NULL, NULL, &out, &err) == 0);
    if (err.message)
        fprintf(stderr, "files: %s\n", err.message);
    db_error_clear(&err);
    CHECK_CONTAINS(out, "2 files run, 4 new rows");
    free(out);
    CHECK(count_of(c, "SELECT count(*) FROM workspaces") == 2);
    CHECK(count_of(c, "SELECT count(*) FROM dbwarden_seed_runs WHERE set_name = 'file'") == 2);
    /* again: skipped */
    CHECK(action_plan(&s, c, &action_seed, NULL, false, &p, &err) == 0);
    CHECK(p.nothing);
    CHECK_CONTAINS(p.items[1], "seeded already");
    action_plan_free(&p);
    /* a changed file runs again */
    itest_write_file(dir, "0002_workspaces.sql",
                     "INSERT INTO workspaces (owner_id, name)\n"
                     "SELECT id, 'second ws of ' || username FROM users WHERE username = 'f1';\n");
    CHECK(act(&s, "seed", NULL, NULL, &out, &err) == 0);
    CHECK_CONTAINS(out, "1 file run, 1 new rows");
    free(out);
    /* a file that inserts below the keys there: refused, rolled back */
    itest_write_file(dir, "0003_low.sql",
                     "INSERT INTO workspaces (owner_id, name) SELECT id, 'fine' FROM users WHERE "
                     "username = 'f2';\nINSERT INTO users (id, email, username) VALUES (0, "
                     "'zero@seed.org', 'zero');\n");
    itest_write_file(dir, "0004_after.sql",
                     "INSERT INTO users (email, username) VALUES ('f4@seed.org', 'f4');\n");
    CHECK(act(&s, "seed", NULL, NULL, NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "0003_low.sql added 1 rows to users but only 0 above");
    CHECK_CONTAINS(err.message, "rolled back");
    db_error_clear(&err);
    CHECK(count_of(c, "SELECT count(*) FROM users WHERE username IN ('zero', 'f4')") == 0);
    CHECK(count_of(c, "SELECT count(*) FROM workspaces WHERE name = 'fine'") == 0);
    char *low = xasprintf("%s/0003_low.sql", dir);
    unlink(low);
    free(low);
    /* an error names the file and line; the file before it stays */
    itest_write_file(dir, "0005_bad.sql", "-- broken\n\nINSERT INTO nosuch VALUES (1);\n");
    CHECK(act(&s, "seed", NULL, NULL, NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "0005_bad.sql:3:");
    CHECK_CONTAINS(err.message, "1 file before it stayed seeded");
    db_error_clear(&err);
    CHECK(count_of(c, "SELECT count(*) FROM users WHERE username = 'f4'") == 1);

    /* reset: the files' rows go, the application's stays */
    CHECK(act(&s, "reset", "set=files", NULL, &out, &err) == 0);
    if (err.message)
        fprintf(stderr, "reset: %s\n", err.message);
    db_error_clear(&err);
    free(out);
    CHECK(count_of(c, "SELECT count(*) FROM users") == 1);
    CHECK(count_of(c, "SELECT count(*) FROM users WHERE username = 'app'") == 1);
    CHECK(count_of(c, "SELECT count(*) FROM workspaces") == 0);
    session_free(&s);
    free(ini);
    free(dir);
}

/* A file's row that references a demo row blocks a demo reset, not a
 * reset of both. */
static void test_file_row_blocks_demo_reset(void)
{
    char *dir = seeds_dir("block");
    itest_write_file(dir, "0001_ws.sql",
                     "INSERT INTO workspaces (owner_id, name) SELECT id, 'a file''s workspace' "
                     "FROM users WHERE username = 'alice';\n");
    char *ini = xasprintf("[seed]\ndir = %s\n", dir);
    Session s;
    seed_session(&s, "seed_fblock", false, ini, false);
    DbError err = DB_ERROR_INIT;
    CHECK(act(&s, "seed", "set=demo", NULL, NULL, &err) == 0);
    CHECK(act(&s, "seed", "set=files", NULL, NULL, &err) == 0);
    db_error_clear(&err);
    CHECK(act(&s, "reset", "set=demo", NULL, NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "(owner_id=2) references seeded users");
    db_error_clear(&err);
    CHECK(act(&s, "reset", NULL, NULL, NULL, &err) == 0);
    if (err.message)
        fprintf(stderr, "reset: %s\n", err.message);
    db_error_clear(&err);
    CHECK(count_of(s.conn, "SELECT count(*) FROM users") == 0);
    CHECK(count_of(s.conn, "SELECT count(*) FROM workspaces") == 0);
    session_free(&s);
    free(ini);
    free(dir);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    grant_replica();
    RUN(test_files_in_order);
    RUN(test_file_row_blocks_demo_reset);
    return test_report();
}
