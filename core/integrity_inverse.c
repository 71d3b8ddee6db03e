/* integrity_inverse.c: the run of a fix: its inverse SQL file, written and
 * flushed inside the fix's transaction before the change, then the change
 * and the commit (see integrity_fix.h). */
#include "integrity_internal.h"
#include "backup.h"
#include "escape.h"
#include "strv.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the file ------------------------------------------------------------ */

/* mkdir -p dir (new folders 0700). */
static int make_dir(const char *dir, DbError *err)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char save = *s;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            db_error_set(err, DB_ERR_IO, "cannot create the folder %s for the inverse file: "
                         "%s; set inverse_dir in [integrity] to a folder you can write", p,
                         strerror(errno));
            free(p);
            return -1;
        }
        *s = save;
        if (!save)
            break;
    }
    free(p);
    return 0;
}

/* "<db>-<UTC time>-<mode>-<table>" with only safe characters. */
static char *base_name(DbConn *c, const IntegrityFix *f)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm);
    char *label = backup_label(c);
    char table[41];
    size_t n = 0;
    for (const char *p = f->ck->table; *p && n < sizeof table - 1; p++, n++)
        table[n] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ? *p : '_';
    table[n] = '\0';
    char *b = xasprintf("%s-%s-%s-%s", label, when, integrity_fix_mode_name(f->mode), table);
    free(label);
    return b;
}

/* Links tmp to a new name in dir (never over a file), removes tmp, and
 * flushes the folder.  *path: the name taken. */
static int put_in_place(const char *dir, const char *tmp, const char *base, char **path,
                        DbError *err)
{
    for (int i = 1; i < 100; i++) {
        char *p = i == 1 ? xasprintf("%s/%s.inverse.sql", dir, base)
                         : xasprintf("%s/%s-%d.inverse.sql", dir, base, i);
        if (link(tmp, p) == 0) {
            unlink(tmp);
            int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dfd >= 0) {
                fsync(dfd);
                close(dfd);
            }
            *path = p;
            return 0;
        }
        int e = errno;
        free(p);
        if (e != EEXIST) {
            db_error_set(err, DB_ERR_IO, "cannot write the inverse file in %s: %s", dir,
                         strerror(e));
            return -1;
        }
    }
    db_error_set(err, DB_ERR_IO, "cannot write the inverse file in %s: too many of that name",
                 dir);
    return -1;
}

/* ---- the rows, as SQL the database writes ------------------------------- */

typedef struct Capture {
    FILE       *out;
    const char *head;     /* "INSERT INTO t (a, b) VALUES (" or "UPDATE t SET " */
    char      **set;      /* update: the quoted columns set */
    size_t      nset;
    char      **key;      /* update: the quoted key columns */
    size_t      nkey;
    long long   rows;
} Capture;

static int on_capture(void *ctx, const DbRow *row)
{
    Capture *cp = ctx;
    fputs(cp->head, cp->out);
    if (!cp->set) {
        for (int i = 0; i < row->ncols; i++)
            fprintf(cp->out, "%s%s", i ? ", " : "", row->values[i] ? row->values[i] : "NULL");
        fputs(");\n", cp->out);
    } else {
        for (size_t i = 0; i < cp->nset; i++)
            fprintf(cp->out, "%s%s = %s", i ? ", " : "", cp->set[i],
                    row->values[cp->nkey + i] ? row->values[cp->nkey + i] : "NULL");
        fputs(" WHERE ", cp->out);
        for (size_t i = 0; i < cp->nkey; i++)
            fprintf(cp->out, "%s%s = %s", i ? " AND " : "", cp->key[i],
                    row->values[i] ? row->values[i] : "NULL");
        fputs(";\n", cp->out);
    }
    cp->rows++;
    return 0;
}

/* SQLite's rowid when the table has one that no column stands for (a
 * table without INTEGER PRIMARY KEY): its name, else NULL. */
static const char *own_rowid(DbConn *c, const CatTable *t)
{
    if (db_engine(c) != DB_ENGINE_SQLITE || !t->has_rowid)
        return NULL;
    const CatConstraint *pk = ib_primary_key(t);
    const CatColumn *pc = pk && pk->ncolumns == 1 ? ib_column(t, pk->columns[0]) : NULL;
    if (pc && strcasecmp(pc->type, "INTEGER") == 0)
        return NULL;
    static const char *const names[] = { "rowid", "_rowid_", "oid" };
    for (size_t i = 0; i < 3; i++)
        if (!ib_column(t, names[i]))
            return names[i];
    return NULL;
}

static void push_quoted(char ***v, size_t *n, size_t *cap, DbConn *c, const char *name)
{
    strv_push_owned(v, n, cap, db_quote_ident(c, name));
}

/* The select list of literals of cols (quoted names): quote() on SQLite,
 * quote_nullable() on PostgreSQL: the database writes each value as SQL. */
static void literal_list(StrBuf *b, DbConn *c, const char *alias, char *const *cols, size_t n)
{
    const char *fn = db_engine(c) == DB_ENGINE_POSTGRES ? "pg_catalog.quote_nullable" : "quote";
    for (size_t i = 0; i < n; i++)
        sb_appendf(b, "%s%s(%s.%s)", i ? ", " : "", fn, alias, cols[i]);
}

/* Writes node n's rows as INSERTs (deleted rows) or UPDATEs (keys set). */
static int capture_node(DbConn *c, IntegrityFix *f, IntegrityFixNode *n, FILE *out,
                        DbError *err)
{
    const CatTable *t = catalog_find(f->cat, n->schema, n->table);
    if (!t) {
        db_error_set(err, DB_ERR_USAGE, "%s.%s is not in the catalog", n->schema, n->table);
        return -1;
    }
    char *qt = integrity_qualified(c, n->schema, n->table);
    char **cols = NULL, **set = NULL;
    size_t ncols = 0, cap = 0, nset = 0, scap = 0, nkey = 0;
    bool overriding = false;
    if (!n->update) {
        const char *rid = own_rowid(c, t);
        if (rid)
            strv_push(&cols, &ncols, &cap, rid);
        for (size_t i = 0; i < t->ncolumns; i++) {
            if (t->columns[i].generated)
                continue;
            overriding |= t->columns[i].identity == 'a';
            push_quoted(&cols, &ncols, &cap, c, t->columns[i].name);
        }
    } else {
        const CatConstraint *pk = ib_primary_key(t);
        if (pk) {
            for (size_t i = 0; i < pk->ncolumns; i++)
                push_quoted(&cols, &ncols, &cap, c, pk->columns[i]);
        } else {
            strv_push(&cols, &ncols, &cap, own_rowid(c, t) ? own_rowid(c, t) : "rowid");
        }
        nkey = ncols;
        for (size_t i = 0; i < n->nset_cols; i++) {
            push_quoted(&set, &nset, &scap, c, n->set_cols[i]);
            push_quoted(&cols, &ncols, &cap, c, n->set_cols[i]);
        }
    }
    StrBuf sel = STRBUF_INIT, head = STRBUF_INIT;
    literal_list(&sel, c, n->alias, cols, ncols);
    if (!n->update) {
        sb_appendf(&head, "INSERT INTO %s (", qt);
        for (size_t i = 0; i < ncols; i++)
            sb_appendf(&head, "%s%s", i ? ", " : "", cols[i]);
        sb_appendf(&head, ")%s VALUES (", overriding ? " OVERRIDING SYSTEM VALUE" : "");
    } else {
        sb_appendf(&head, "UPDATE %s SET ", qt);
    }
    char *sql = xasprintf("/* integrity: inverse rows */ SELECT %s FROM %s %s WHERE %s",
                          sb_str(&sel), qt, n->alias, n->cond);
    Capture cp = { out, sb_str(&head), n->update ? set : NULL, nset, cols, nkey, 0 };
    int rc = db_query(c, "integrity: inverse rows", sql, NULL, on_capture, &cp, err);
    n->captured = cp.rows;
    free(sql);
    sb_free(&sel);
    sb_free(&head);
    strv_free(cols);
    strv_free(set);
    free(qt);
    return rc;
}

/* ---- PostgreSQL: the checked constraint around the rows put back -------- */

static const CatConstraint *checked_constraint(const IntegrityFix *f, const CatTable **t)
{
    *t = catalog_find(f->cat, f->ck->schema, f->ck->table);
    if (!*t || f->ck->kind != IK_FOREIGN_KEY || !f->ck->object)
        return NULL;
    for (size_t i = 0; i < (*t)->nconstraints; i++) {
        const CatConstraint *k = &(*t)->constraints[i];
        if (k->type == CAT_CON_FOREIGN_KEY && k->name && !strcmp(k->name, f->ck->object))
            return k;
    }
    return NULL;
}

static void fk_definition(StrBuf *b, DbConn *c, const CatConstraint *k)
{
    sb_append(b, "FOREIGN KEY (");
    for (size_t i = 0; i < k->ncolumns; i++) {
        char *q = db_quote_ident(c, k->columns[i]);
        sb_appendf(b, "%s%s", i ? ", " : "", q);
        free(q);
    }
    char *ref = integrity_qualified(c, k->ref_schema, k->ref_table);
    sb_appendf(b, ") REFERENCES %s (", ref);
    free(ref);
    for (size_t i = 0; i < k->nref_columns; i++) {
        char *q = db_quote_ident(c, k->ref_columns[i]);
        sb_appendf(b, "%s%s", i ? ", " : "", q);
        free(q);
    }
    sb_appendc(b, ')');
    if (k->definition && strstr(k->definition, "MATCH FULL"))
        sb_append(b, " MATCH FULL");
    sb_appendf(b, " ON UPDATE %s ON DELETE %s", k->on_update ? k->on_update : "NO ACTION",
               k->on_delete ? k->on_delete : "NO ACTION");
    if (k->deferrable)
        sb_append(b, k->deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE");
}

/* Before the rows: what lets orphans back in; after: what undoes that. */
static void guard_lines(DbConn *c, const IntegrityFix *f, StrBuf *before, StrBuf *after)
{
    if (db_engine(c) == DB_ENGINE_SQLITE) {
        sb_append(before, "PRAGMA foreign_keys = OFF;  -- the orphans come back as they were\n"
                          "BEGIN;\n");
        sb_append(after, "COMMIT;\n");
        return;
    }
    sb_append(before, "BEGIN;\n");
    const CatTable *t = NULL;
    const CatConstraint *k = checked_constraint(f, &t);
    if (k && t->kind == CAT_KIND_PARTITIONED) {
        sb_append(before, "-- PostgreSQL adds no NOT VALID foreign key to a partitioned table: "
                          "the orphans come back with the\n-- key's checks off for this "
                          "transaction (a superuser, or GRANT SET ON PARAMETER)\n"
                          "SET LOCAL session_replication_role = replica;\n");
    } else if (k) {
        char *qt = integrity_qualified(c, t->schema, t->name), *qk = db_quote_ident(c, k->name);
        sb_appendf(before, "-- the orphans cannot come back under the constraint: it is "
                   "dropped, and added again NOT VALID\nALTER TABLE %s DROP CONSTRAINT %s;\n",
                   qt, qk);
        sb_appendf(after, "ALTER TABLE %s ADD CONSTRAINT %s ", qt, qk);
        fk_definition(after, c, k);
        sb_append(after, " NOT VALID;\n");
        free(qt);
        free(qk);
    }
    sb_append(after, "COMMIT;\n");
}

static void header(FILE *out, DbConn *c, const IntegrityFix *f)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    char *id = esc_dup(f->ck->id, 0), *url = esc_dup(db_display_url(c), 0);
    char *who = integrity_actor(), *ewho = esc_dup(who, 0);
    fprintf(out, "-- dbwarden: the inverse of a fix; run it on the same database to put back "
                 "what the fix changed\n-- check:    %s\n-- fix:      %s, %lld orphan rows, "
                 "at %s by %s\n-- database: %s\n", id, integrity_fix_mode_name(f->mode),
            f->orphans, when, ewho, url);
    free(id);
    free(url);
    free(who);
    free(ewho);
}

int integrity_inverse_write(DbConn *c, IntegrityFix *f, DbError *err)
{
    if (make_dir(f->inverse_dir, err) != 0)
        return -1;
    char *base = base_name(c, f);
    char *tmp = xasprintf("%s/.%s.tmp-XXXXXX", f->inverse_dir, base);
    int fd = mkstemp(tmp);
    FILE *out = NULL;
    int rc = -1;
    if (fd < 0 || fchmod(fd, 0600) != 0 || !(out = fdopen(fd, "w"))) {
        db_error_set(err, DB_ERR_IO, "cannot write the inverse file in %s: %s",
                     f->inverse_dir, strerror(errno));
        if (fd >= 0)
            close(fd);
        goto done;
    }
    header(out, c, f);
    StrBuf before = STRBUF_INIT, after = STRBUF_INIT;
    guard_lines(c, f, &before, &after);
    fputs(sb_str(&before), out);
    rc = 0;
    for (size_t i = 0; i < f->nnodes && rc == 0; i++)
        rc = capture_node(c, f, &f->nodes[i], out, err);
    fputs(sb_str(&after), out);
    sb_free(&before);
    sb_free(&after);
    if (rc == 0 && (fflush(out) != 0 || ferror(out) || fsync(fileno(out)) != 0)) {
        db_error_set(err, DB_ERR_IO, "cannot write the inverse file in %s: %s",
                     f->inverse_dir, strerror(errno));
        rc = -1;
    }
    if (fclose(out) != 0 && rc == 0) {
        db_error_set(err, DB_ERR_IO, "cannot write the inverse file in %s: %s",
                     f->inverse_dir, strerror(errno));
        rc = -1;
    }
    if (rc == 0)
        rc = put_in_place(f->inverse_dir, tmp, base, &f->inverse_path, err);
done:
    if (fd >= 0 && rc != 0)
        unlink(tmp);
    free(tmp);
    free(base);
    return rc;
}

/* ---- the run ------------------------------------------------------------------ */

static bool stop(bool (*cancelled)(void *), void *ctx, DbError *err)
{
    if (!cancelled || !cancelled(ctx))
        return false;
    db_error_set(err, DB_ERR_CANCELLED, "cancelled");
    return true;
}

/* The change, after the inverse: its counts must be what was read. */
static int change(DbConn *c, IntegrityFix *f, DbError *err)
{
    long long direct = 0, all = 0, sum = 0;
    if (integrity_fix_count_nodes(c, f, err) != 0 ||
        integrity_fix_apply(c, f, &direct, &all, err) != 0)
        return -1;
    for (size_t i = 0; i < f->nnodes; i++)
        sum += f->nodes[i].captured;
    if (direct == f->nodes[0].captured && all == sum) {
        f->total = all;
        return 0;
    }
    db_error_set(err, DB_ERR_SQL, "the fix changed %lld rows, but the inverse file holds %lld: "
                 "rolled back", all, sum);
    return -1;
}

int integrity_fix_run(DbConn *c, IntegrityFix *f, bool (*cancelled)(void *), void *ctx,
                      DbError *err)
{
    bool was = true, open = false;
    int rc = -1;
    if (integrity_fix_fk_on(c, &was, err) != 0)
        return -1;
    const char *begin = db_engine(c) == DB_ENGINE_POSTGRES
                            ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN IMMEDIATE";
    if (db_exec(c, "transaction: begin", begin, NULL, err) != 0)
        goto done;
    open = true;
    if (stop(cancelled, ctx, err) || integrity_inverse_write(c, f, err) != 0 ||
        stop(cancelled, ctx, err) || change(c, f, err) != 0)
        goto done;
    open = false;
    if (db_commit(c, err) != 0) {
        if (db_alive(c)) {
            db_error_prefix(err, "the fix was rolled back (nothing changed)");
        } else {
            db_error_prefix(err, "the connection was lost during COMMIT: whether the fix was "
                            "committed is not known; its inverse is %s", f->inverse_path);
            free(f->inverse_path);   /* kept on disk: it may be needed */
            f->inverse_path = NULL;
        }
        goto done;
    }
    rc = 0;
done:
    if (open)
        db_rollback(c);
    if (rc != 0 && f->inverse_path) {
        unlink(f->inverse_path);   /* nothing changed: no inverse to keep */
        free(f->inverse_path);
        f->inverse_path = NULL;
    }
    integrity_fix_fk_restore(c, was);
    return rc;
}
