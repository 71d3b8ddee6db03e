/* othertools.c: see othertools.h.  The rule table that tells the tools
 * apart, the scan, and the helpers that fill an OtherTool. */
#include "othertools_internal.h"
#include "fsutil.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- telling the tools apart ---------------------------------------- */

typedef struct OtRule {
    OtherToolKind kind;
    const char   *table;            /* lower case */
    const char   *columns[9];       /* required, lower case, NULL-terminated */
    bool        (*accept)(const OtCatalog *cat, const OtTable *t);  /* or NULL */
    OtReadFn      read;
} OtRule;

static bool has_column(const OtTable *t, const char *name)
{
    return ot_column(t, name) != NULL;
}

/* schema_migrations is golang-migrate's when it has a dirty column. */
static bool is_golang(const OtCatalog *cat, const OtTable *t)
{
    (void)cat;
    return has_column(t, "dirty");
}

static bool has_rails_metadata(const OtCatalog *cat, const OtTable *t)
{
    const OtTable *meta = ot_sibling(cat, t->schema, "ar_internal_metadata");
    return meta && has_column(meta, "key") && has_column(meta, "value");
}

/* … Rails' when ar_internal_metadata sits beside it … */
static bool is_rails(const OtCatalog *cat, const OtTable *t)
{
    return !has_column(t, "dirty") && has_rails_metadata(cat, t);
}

/* … and dbmate's when version is its only column. */
static bool is_dbmate(const OtCatalog *cat, const OtTable *t)
{
    return t->ncols == 1 && !has_rails_metadata(cat, t);
}

/* sqitch's changes table comes with projects and events beside it. */
static bool is_sqitch(const OtCatalog *cat, const OtTable *t)
{
    static const char *const project_cols[] = { "project", NULL };
    static const char *const event_cols[] = { "event", "change_id", "change", "project",
                                              "committed_at", NULL };
    const OtTable *projects = ot_sibling(cat, t->schema, "projects");
    const OtTable *events = ot_sibling(cat, t->schema, "events");
    return projects && events && ot_has_columns(projects, project_cols) &&
           ot_has_columns(events, event_cols);
}

static const OtRule rules[] = {
    { OTHER_FLYWAY, "flyway_schema_history", { "installed_rank", "version", "description",
      "type", "script", "installed_on", "success", NULL }, NULL, ot_read_flyway },
    { OTHER_FLYWAY, "schema_version", { "installed_rank", "version", "description", "type",
      "script", "installed_on", "success", NULL }, NULL, ot_read_flyway },
    { OTHER_GOLANG_MIGRATE, "schema_migrations", { "version", "dirty", NULL }, is_golang,
      ot_read_golang },
    { OTHER_DBMATE, "schema_migrations", { "version", NULL }, is_dbmate, ot_read_dbmate },
    { OTHER_RAILS, "schema_migrations", { "version", NULL }, is_rails, ot_read_rails },
    { OTHER_DJANGO, "django_migrations", { "id", "app", "name", "applied", NULL }, NULL,
      ot_read_django },
    { OTHER_KNEX, "knex_migrations", { "id", "name", "batch", "migration_time", NULL }, NULL,
      ot_read_knex },
    { OTHER_PRISMA, "_prisma_migrations", { "migration_name", "started_at", "finished_at",
      "rolled_back_at", "logs", NULL }, NULL, ot_read_prisma },
    { OTHER_EFCORE, "__efmigrationshistory", { "migrationid", "productversion", NULL }, NULL,
      ot_read_efcore },
    { OTHER_GOOSE, "goose_db_version", { "id", "version_id", "is_applied", "tstamp", NULL },
      NULL, ot_read_goose },
    { OTHER_LIQUIBASE, "databasechangelog", { "id", "author", "filename", "dateexecuted",
      "orderexecuted", "exectype", "description", NULL }, NULL, ot_read_liquibase },
    { OTHER_ATLAS, "atlas_schema_revisions", { "version", "description", "type", "applied",
      "total", "executed_at", "error", NULL }, NULL, ot_read_atlas },
    { OTHER_SQITCH, "changes", { "change_id", "change", "project", "note", "committed_at",
      NULL }, is_sqitch, ot_read_sqitch },
};
#define N_RULES (sizeof rules / sizeof rules[0])

static bool rule_matches(const OtRule *r, const OtCatalog *cat, const OtTable *t)
{
    return strcasecmp(t->name, r->table) == 0 && ot_has_columns(t, r->columns) &&
           (!r->accept || r->accept(cat, t));
}

/* ---- the scan ------------------------------------------------------- */

static void tool_free(OtherTool *t)
{
    for (size_t i = 0; i < t->ncurrent; i++)
        free(t->current[i]);
    free(t->current);
    for (size_t i = 0; i < t->count; i++) {
        OtherMigration *m = &t->history[i];
        free(m->version);
        free(m->name);
        free(m->group);
        free(m->applied_at);
    }
    free(t->history);
    for (size_t i = 0; i < t->nproblems; i++) {
        free(t->problems[i].kind);
        free(t->problems[i].version);
        free(t->problems[i].message);
    }
    free(t->problems);
    free(t->schema);
    free(t->table);
    free(t->detail);
    memset(t, 0, sizeof *t);
}

int othertools_scan(DbConn *c, OtherToolList *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    OtCatalog cat;
    if (ot_catalog_load(c, &cat, err) != 0)
        return -1;
    size_t cap = 0;
    int rc = 0;
    for (size_t r = 0; r < N_RULES && rc == 0; r++) {
        for (size_t i = 0; i < cat.count && rc == 0; i++) {
            const OtTable *t = &cat.tables[i];
            if (!rule_matches(&rules[r], &cat, t))
                continue;
            out->items = xgrow(out->items, &cap, out->count + 1, sizeof *out->items);
            OtherTool *tool = &out->items[out->count++];
            memset(tool, 0, sizeof *tool);
            tool->kind = rules[r].kind;
            tool->schema = xstrdup(t->schema);
            tool->table = xstrdup(t->name);
            rc = rules[r].read(c, &cat, t, tool, err);
            if (rc != 0) {
                db_error_prefix(err, "cannot read %s's table %s.%s (grant SELECT on it, "
                                "or open the database as a role that may read it)",
                                othertools_kind_name(tool->kind), t->schema, t->name);
                break;
            }
            for (size_t k = 0; k < tool->count; k++)
                if (tool->history[k].state == OTHER_APPLIED)
                    tool->applied++;
        }
    }
    ot_catalog_free(&cat);
    if (rc != 0) {
        othertools_list_free(out);
        return -1;
    }
    return 0;
}

void othertools_list_free(OtherToolList *l)
{
    for (size_t i = 0; i < l->count; i++)
        tool_free(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

const char *othertools_kind_name(OtherToolKind k)
{
    switch (k) {
    case OTHER_FLYWAY: return "flyway";
    case OTHER_GOLANG_MIGRATE: return "golang-migrate";
    case OTHER_DBMATE: return "dbmate";
    case OTHER_RAILS: return "rails";
    case OTHER_DJANGO: return "django";
    case OTHER_KNEX: return "knex";
    case OTHER_PRISMA: return "prisma";
    case OTHER_EFCORE: return "efcore";
    case OTHER_GOOSE: return "goose";
    case OTHER_LIQUIBASE: return "liquibase";
    case OTHER_ATLAS: return "atlas";
    case OTHER_SQITCH: return "sqitch";
    }
    return "unknown";
}

const char *othertools_state_name(OtherMigState s)
{
    switch (s) {
    case OTHER_APPLIED: return "applied";
    case OTHER_FAILED: return "failed";
    case OTHER_DIRTY: return "dirty";
    case OTHER_ROLLED_BACK: return "rolled_back";
    }
    return "unknown";
}

const OtherTool *othertools_find(const OtherToolList *l, OtherToolKind k)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].kind == k)
            return &l->items[i];
    return NULL;
}

int othertools_vercmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            while (*a == '0' && isdigit((unsigned char)a[1]))
                a++;
            while (*b == '0' && isdigit((unsigned char)b[1]))
                b++;
            const char *ea = a, *eb = b;
            while (isdigit((unsigned char)*ea))
                ea++;
            while (isdigit((unsigned char)*eb))
                eb++;
            size_t la = (size_t)(ea - a), lb = (size_t)(eb - b);
            if (la != lb)
                return la < lb ? -1 : 1;
            int c = strncmp(a, b, la);
            if (c)
                return c;
            a = ea;
            b = eb;
        } else {
            if (*a != *b)
                return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            a++;
            b++;
        }
    }
    return (*a != '\0') - (*b != '\0');
}

/* ---- filling an OtherTool ------------------------------------------- */

/* Room for one more element in an array of count elements that grows by
 * doubling from 4; the new slot is zeroed. */
static void *grow_one(void *arr, size_t count, size_t elem)
{
    if (count == 0)
        arr = xrealloc(arr, 4 * elem);
    else if (count >= 4 && (count & (count - 1)) == 0)
        arr = xrealloc(arr, 2 * count * elem);
    memset((char *)arr + count * elem, 0, elem);
    return arr;
}

OtherMigration *ot_add(OtherTool *tool)
{
    tool->history = grow_one(tool->history, tool->count, sizeof *tool->history);
    return &tool->history[tool->count++];
}

void ot_problem(OtherTool *tool, const char *kind, const char *version, const char *fmt, ...)
{
    tool->problems = grow_one(tool->problems, tool->nproblems, sizeof *tool->problems);
    OtherProblem *p = &tool->problems[tool->nproblems++];
    va_list ap;
    va_start(ap, fmt);
    p->message = xvasprintf(fmt, ap);
    va_end(ap);
    p->kind = xstrdup(kind);
    p->version = xstrdup(version);
}

void ot_current_add(OtherTool *tool, const char *v)
{
    tool->current = grow_one(tool->current, tool->ncurrent, sizeof *tool->current);
    tool->current[tool->ncurrent++] = xstrdup(v);
}

static int cmp_current(const void *a, const void *b)
{
    return othertools_vercmp(*(char *const *)a, *(char *const *)b);
}

void ot_current_sort(OtherTool *tool)
{
    if (tool->ncurrent > 1)
        qsort(tool->current, tool->ncurrent, sizeof *tool->current, cmp_current);
}

static int cmp_history(const void *a, const void *b)
{
    return othertools_vercmp(((const OtherMigration *)a)->version,
                             ((const OtherMigration *)b)->version);
}

void ot_history_sort_by_version(OtherTool *tool)
{
    if (tool->count > 1)
        qsort(tool->history, tool->count, sizeof *tool->history, cmp_history);
}

/* "YYYY-MM-DD?HH:MM:SS" at the start of s? */
static bool iso_prefix(const char *s)
{
    static const char shape[] = "dddd-dd-dd?dd:dd:dd";
    for (size_t i = 0; shape[i]; i++) {
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i])
            : shape[i] == '?' ? (s[i] != ' ' && s[i] != 'T') : s[i] != shape[i])
            return false;
    }
    return true;
}

/* Is what follows the seconds a fraction and a UTC mark (or nothing)? */
static bool utc_tail(const char *s)
{
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++)
            ;
    return *s == '\0' || strcmp(s, "Z") == 0 || strcmp(s, "+00") == 0 ||
           strcmp(s, "+00:00") == 0 || strcmp(s, " +00:00") == 0;
}

char *ot_time(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (str_all_digits(s) && n >= 9 && n <= 13) {
        long long v = atoll(s);
        time_t secs = (time_t)(n >= 12 ? v / 1000 : v);
        struct tm tm;
        char buf[32];
        if (gmtime_r(&secs, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm))
            return xstrdup(buf);
    }
    if (n >= 19 && iso_prefix(s) && utc_tail(s + 19)) {
        char *t = xstrndup(s, 19);
        t[10] = ' ';
        return t;
    }
    return xstrdup(s);
}

bool ot_truthy(const char *s)
{
    if (!s)
        return false;
    return strcasecmp(s, "t") == 0 || strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0 ||
           strcasecmp(s, "y") == 0 || strcasecmp(s, "yes") == 0 || strcasecmp(s, "on") == 0;
}

void ot_split_id(const char *id, char **version, char **name)
{
    size_t n = 0;
    while (isdigit((unsigned char)id[n]))
        n++;
    if (n > 0 && id[n] == '_' && id[n + 1]) {
        *version = xstrndup(id, n);
        *name = xstrdup(id + n + 1);
    } else {
        *version = xstrdup(id);
        *name = NULL;
    }
}

char *ot_first_line(const char *s, size_t max)
{
    if (!s)
        return NULL;
    while (*s == '\n' || *s == '\r' || *s == ' ')
        s++;
    size_t n = strcspn(s, "\r\n");
    if (n > max)
        n = max;
    return xstrndup(s, n);
}
