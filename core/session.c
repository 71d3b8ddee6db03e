/* session.c: see session.h. */
#include "session.h"
#include "alembic.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* No --db, no [database] url, no DATABASE_URL: an Alembic project's
 * sqlalchemy.url names the database (as Alembic itself would use it). */
static int url_from_alembic(Session *s, DbError *err)
{
    const char *env = getenv("DATABASE_URL");
    if (s->cfg.database.url || (env && *env) || !s->cfg.migrations.alembic_ini)
        return 0;
    AlembicConfig ac;
    DbError e = DB_ERROR_INIT;
    if (alembic_config_load(&ac, s->cfg.migrations.alembic_ini, &e) != 0) {
        db_error_clear(&e);   /* said when the project is loaded for real */
        return 0;
    }
    char *url = NULL;
    int rc = alembic_config_db_url(&ac, &url, err);
    alembic_config_free(&ac);
    if (rc == 0 && url) {
        free(s->cfg.database.url);
        s->cfg.database.url = url;
        s->url_from_alembic = true;
    }
    return rc;
}

int session_init(Session *s, const SessionOptions *o, DbError *err)
{
    memset(s, 0, sizeof *s);
    static const SessionOptions none;
    if (!o)
        o = &none;
    if (config_load(&s->cfg, o->config_path, err) != 0)
        return -1;
    if (o->db_url)
        config_set(&s->cfg.database.url, o->db_url);
    if (o->migrations_dir)
        config_set(&s->cfg.migrations.dir, o->migrations_dir);
    if (o->alembic_ini)
        config_set(&s->cfg.migrations.alembic_ini, o->alembic_ini);
    if (o->theme)
        config_set(&s->cfg.ui.theme, o->theme);
    s->read_only = o->read_only;
    s->no_backup = o->no_backup;
    if (url_from_alembic(s, err) != 0) {
        session_free(s);
        return -1;
    }
    return 0;
}

int session_load_migrations(Session *s, DbError *err)
{
    if (!s->cfg.migrations.dir || s->migrations_loaded)
        return 0;
    if (migrate_load_dir(&s->migrations, s->cfg.migrations.dir, err) != 0)
        return -1;
    s->migrations_loaded = true;
    return 0;
}

int session_open(const Session *s, bool create, DbConn **out, DbError *err)
{
    DbOpenOptions o = { .read_only = s->read_only, .create = create && !s->read_only };
    if (db_open(out, s->cfg.database.url, &o, err) != 0)
        return -1;
    db_set_lock_wait(*out, s->cfg.database.lock_wait);
    if (s->cfg.database.statement_timeout > 0 &&
        db_set_statement_timeout(*out, s->cfg.database.statement_timeout, err) != 0) {
        db_close(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int session_connect(Session *s, bool create, DbError *err)
{
    db_close(s->conn);
    s->conn = NULL;
    return session_open(s, create, &s->conn, err);
}

int session_reconnect(Session *s, DbError *err)
{
    if (!s->conn)
        return session_connect(s, false, err);
    return db_reconnect(s->conn, err);
}

bool session_production(const Session *s)
{
    return config_is_production(&s->cfg);
}

const char *session_backup_dir(const Session *s)
{
    return s->cfg.backup.dir && *s->cfg.backup.dir ? s->cfg.backup.dir : "backups";
}

const MigDir *session_migrations(const Session *s)
{
    return s->migrations_loaded ? &s->migrations : NULL;
}

void session_free(Session *s)
{
    db_close(s->conn);
    if (s->migrations_loaded)
        migrate_dir_free(&s->migrations);
    config_free(&s->cfg);
    memset(s, 0, sizeof *s);
}
