/* backup_pgrestore.c: the PostgreSQL restore.
 *
 * pg_restore --clean drops only what the archive holds: whatever was made
 * after the backup (a table of a newer migration, a foreign key from it
 * into a restored table) stays, or makes the restore fail.  So the restore
 * is one transaction, run by psql, that first drops every object of the
 * database and then creates what the archive holds:
 *
 *   pg_restore --no-owner --single-transaction --file=- FILE
 *     | psql --command "BEGIN; <empty the database>" --file=-
 *
 * pg_restore only reads the archive and prints SQL (it connects nowhere);
 * that SQL begins with BEGIN (a no-op inside ours) and ends with COMMIT,
 * which pg_restore prints only when it has read the whole archive.  So
 * when pg_restore fails half way, or psql stops at an error
 * (ON_ERROR_STOP), no COMMIT is ever run: psql ends, the server rolls the
 * transaction back, and the database is as it was.  Whether the
 * transaction committed is then asked of the server itself (txid_status),
 * never inferred from exit statuses.
 *
 * Emptying (the SQL below): event triggers; every extension but plpgsql;
 * every schema but public and the system's, whole; every object in public
 * (relations, routines, types and domains, operators, collations, text
 * search objects, statistics...) but those that belong to another object or
 * to an extension; publications, foreign servers and wrappers; large
 * objects.  public itself stays, with its owner, its privileges and comment
 * put back as a new database has them: the archive re-applies what
 * differed at backup time.  Not touched: roles, tablespaces, the
 * database's own settings and default privileges, subscriptions. */
#include "backup_internal.h"
#include "xalloc.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define XID_MARK "dbwarden-restore-xid "
#define SETTLE_MS 5000    /* how long an ended psql's transaction may take to end */

/* Drops "stmts", one by one. */
#define RUN_ALL "    FOREACH s IN ARRAY coalesce(stmts, '{}') LOOP EXECUTE s; END LOOP;\n"

/* Objects of public by catalog; the ones that belong to another object
 * (a table's row type, an array type, a range's constructor) or to an
 * extension are left to go with it. */
#define IN_PUBLIC(cat, nsp) \
    "            UNION ALL SELECT 4, 'pg_catalog." cat "'::regclass, oid, NULL" \
    " FROM pg_catalog." cat " WHERE " nsp " = pub\n"

static const char empty_sql[] =
    "BEGIN;\n"
    "SET LOCAL client_min_messages = warning;\n"
    "SET LOCAL lock_timeout = '30s';\n"
    "DO $dbwarden$\n"
    "DECLARE\n"
    "    pub oid := (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public');\n"
    "    stmts text[];\n"
    "    s text;\n"
    "    cur aclitem[];\n"
    "    init aclitem[];\n"
    "    r record;\n"
    "BEGIN\n"
    "    RAISE WARNING '" XID_MARK "%', pg_catalog.txid_current();\n"
    "    SELECT array_agg(format('DROP EVENT TRIGGER %I', evtname)) INTO stmts\n"
    "      FROM pg_catalog.pg_event_trigger;\n"
    RUN_ALL
    "    SELECT array_agg(format('DROP EXTENSION IF EXISTS %I CASCADE', extname)) INTO stmts\n"
    "      FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql';\n"
    RUN_ALL
    "    SELECT array_agg(format('DROP SCHEMA IF EXISTS %I CASCADE', nspname)) INTO stmts\n"
    "      FROM pg_catalog.pg_namespace\n"
    "     WHERE nspname !~ '^pg_' AND nspname NOT IN ('information_schema', 'public');\n"
    RUN_ALL
    "    SELECT array_agg(format('DROP %s IF EXISTS %s CASCADE',\n"
    "               CASE WHEN o.kind IS NOT NULL THEN o.kind\n"
    "                    WHEN i.type IN ('function', 'procedure', 'aggregate') THEN 'ROUTINE'\n"
    "                    WHEN i.type = 'statistics object' THEN 'STATISTICS'\n"
    "                    ELSE upper(i.type) END, i.identity) ORDER BY o.ord, o.objid)\n"
    "      INTO stmts\n"
    "      FROM (SELECT 1 AS ord, 'pg_catalog.pg_class'::regclass AS classid, c.oid AS objid,\n"
    "                   NULL AS kind\n"
    "              FROM pg_catalog.pg_class c\n"
    "             WHERE c.relnamespace = pub AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')\n"
    "            UNION ALL SELECT 2, 'pg_catalog.pg_proc'::regclass, oid, NULL\n"
    "              FROM pg_catalog.pg_proc WHERE pronamespace = pub\n"
    "            UNION ALL SELECT 3, 'pg_catalog.pg_type'::regclass, oid,\n"
    "                   CASE WHEN typtype = 'd' THEN 'DOMAIN' ELSE 'TYPE' END\n"
    "              FROM pg_catalog.pg_type WHERE typnamespace = pub\n"
    IN_PUBLIC("pg_operator", "oprnamespace")
    IN_PUBLIC("pg_opfamily", "opfnamespace")
    IN_PUBLIC("pg_opclass", "opcnamespace")
    IN_PUBLIC("pg_collation", "collnamespace")
    IN_PUBLIC("pg_conversion", "connamespace")
    IN_PUBLIC("pg_ts_config", "cfgnamespace")
    IN_PUBLIC("pg_ts_dict", "dictnamespace")
    IN_PUBLIC("pg_ts_parser", "prsnamespace")
    IN_PUBLIC("pg_ts_template", "tmplnamespace")
    IN_PUBLIC("pg_statistic_ext", "stxnamespace")
    "           ) o\n"
    "      CROSS JOIN LATERAL pg_catalog.pg_identify_object(o.classid, o.objid, 0) i\n"
    "     WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d\n"
    "                        WHERE d.classid = o.classid AND d.objid = o.objid\n"
    "                          AND d.objsubid = 0 AND d.deptype IN ('e', 'i'));\n"
    RUN_ALL
    "    SELECT array_agg(format('DROP PUBLICATION %I', pubname)) INTO stmts\n"
    "      FROM pg_catalog.pg_publication;\n"
    RUN_ALL
    "    SELECT array_agg(format('DROP SERVER IF EXISTS %I CASCADE', srvname)) INTO stmts\n"
    "      FROM pg_catalog.pg_foreign_server;\n"
    RUN_ALL
    "    SELECT array_agg(format('DROP FOREIGN DATA WRAPPER IF EXISTS %I CASCADE', fdwname))\n"
    "      INTO stmts FROM pg_catalog.pg_foreign_data_wrapper;\n"
    RUN_ALL
    "    PERFORM pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata;\n"
    "    SELECT n.nspacl, p.initprivs INTO cur, init\n"
    "      FROM pg_catalog.pg_namespace n\n"
    "      LEFT JOIN pg_catalog.pg_init_privs p ON p.classoid = 'pg_catalog.pg_namespace'::regclass\n"
    "           AND p.objoid = n.oid AND p.objsubid = 0\n"
    "     WHERE n.oid = pub;\n"
    "    IF init IS NOT NULL AND cur IS DISTINCT FROM init THEN\n"
    "        FOR r IN SELECT DISTINCT a.grantee FROM pg_catalog.aclexplode(cur) a LOOP\n"
    "            EXECUTE format('REVOKE ALL ON SCHEMA public FROM %s CASCADE',\n"
    "                CASE WHEN r.grantee = 0 THEN 'PUBLIC'\n"
    "                     ELSE quote_ident(pg_catalog.pg_get_userbyid(r.grantee)) END);\n"
    "        END LOOP;\n"
    "        FOR r IN SELECT a.grantee, a.privilege_type, a.is_grantable\n"
    "                   FROM pg_catalog.aclexplode(init) a LOOP\n"
    "            EXECUTE format('GRANT %s ON SCHEMA public TO %s%s', r.privilege_type,\n"
    "                CASE WHEN r.grantee = 0 THEN 'PUBLIC'\n"
    "                     ELSE quote_ident(pg_catalog.pg_get_userbyid(r.grantee)) END,\n"
    "                CASE WHEN r.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);\n"
    "        END LOOP;\n"
    "    END IF;\n"
    "    IF pub IS NOT NULL AND pg_catalog.obj_description(pub, 'pg_namespace')\n"
    "            IS DISTINCT FROM 'standard public schema' THEN\n"
    "        COMMENT ON SCHEMA public IS 'standard public schema';\n"
    "    END IF;\n"
    "END\n"
    "$dbwarden$;\n";

/* The output without our own lines (the transaction's id, and the warning
 * that pg_restore's BEGIN is inside ours); *xid is the id, or -1. */
static char *own_lines_out(const char *out, long long *xid)
{
    StrBuf b = STRBUF_INIT;
    *xid = -1;
    for (const char *line = out; *line;) {
        size_t n = strcspn(line, "\n");
        const char *mark = memmem(line, n, XID_MARK, strlen(XID_MARK));
        if (mark)
            *xid = atoll(mark + strlen(XID_MARK));
        else if (!memmem(line, n, "there is already a transaction in progress", 42))
            sb_appendn(&b, line, n + (line[n] == '\n'));
        line += n + (line[n] == '\n');
    }
    return sb_take(&b);
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* What became of transaction xid: "committed", "aborted", or NULL when the
 * server cannot tell (caller frees).  psql has ended; the server may take a
 * moment to notice and roll its transaction back. */
static char *xact_status(DbConn *c, long long xid, DbError *err)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", xid);
    const char *vals[1] = { id };
    DbParams p = { 1, vals };
    for (int waited = 0;; waited += 100) {
        char *v = NULL;
        if (db_query_value(c, "restore: did it commit",
                           "/* restore: did it commit */ SELECT pg_catalog.txid_status($1)",
                           &p, &v, err) != 0)
            return NULL;
        if (!v || strcmp(v, "in progress") != 0 || waited >= SETTLE_MS)
            return v;
        free(v);
        sleep_ms(100);
    }
}

int backup_pg_restore(DbConn *c, const char *tool, const char *psql, const char *file,
                      DbError *err)
{
    ToolConn t;
    if (backup_pg_conn_open(c, "dbwarden-restore", &t, err) != 0)
        return -1;
    const char *reader[] = { tool, "--no-owner", "--single-transaction", "--file=-", file,
                             NULL };
    const char *writer[] = { psql, "--no-psqlrc", "--quiet", "--no-password",
                             "--set=ON_ERROR_STOP=1", "--output=/dev/null", "--dbname",
                             t.conninfo, "--command", empty_sql, "--file=-", NULL };
    ToolCmd cmds[2] = { { reader, t.envp, { -1, -1 } },
                        { writer, t.envp, { t.fds[0], t.fds[1] } } };
    char *out = NULL, *rest = NULL, *state = NULL, *m = NULL;
    int status[2] = { -1, -1 }, rc = -1;
    long long xid = -1;
    if (backup_tool_pipeline(cmds, 2, &out, status, err) != 0)
        goto done;
    rest = own_lines_out(out, &xid);
    m = backup_pg_message(c, &t, rest);
    if (xid >= 0 && !(state = xact_status(c, xid, err)))
        goto done;
    if (state && strcmp(state, "committed") == 0) {
        rc = 0;
    } else if (state && strcmp(state, "aborted") != 0) {
        db_error_set(err, DB_ERR_IO, "the restore of %s into %s ended (pg_restore exit status "
                     "%d, psql exit status %d), but its transaction is %s on the server: look "
                     "at pg_stat_activity before going on: %s", file, db_display_url(c),
                     status[0], status[1], state, m);
    } else {
        db_error_set(err, DB_ERR_IO, "%s could not restore %s into %s (%s exit status %d); the "
                     "database was left as it was: %s", status[1] != 0 ? "psql" : "pg_restore",
                     file, db_display_url(c), status[1] != 0 ? psql : tool,
                     status[1] != 0 ? status[1] : status[0], m);
    }
done:
    free(state);
    free(m);
    free(rest);
    free(out);
    backup_pg_conn_close(&t);
    return rc;
}
