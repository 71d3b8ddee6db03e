/* config.c: see config.h.  INI parsing by inih. */
#include "config.h"
#include "billing_settings.h"
#include "integrity.h"
#include "rx.h"
#include "xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* inih's line buffer (200 bytes, with the newline and NUL) */
#define CONFIG_MAX_LINE 198

/* V_BILLING: a [billing] list of words, transitions or columns
 * (billing_setting_check); it may go on over indented lines, or the key
 * again, which add to it */
typedef enum { V_STRING, V_DURATION, V_ENVIRONMENT, V_BOOL, V_ENV_NAME, V_REGEX,
               V_BILLING, V_THRESHOLD, V_PERCENT } ValueKind;

typedef struct ConfigKey {
    const char *section, *name;
    ValueKind   kind;
    size_t      offset;   /* of the char *, int or bool member in Config */
    const char *deflt;    /* the default, as it would be written; NULL: none */
} ConfigKey;

#define AT(m) offsetof(Config, m)
/* Every key the file may hold, with its default. */
static const ConfigKey keys[] = {
    { "database", "url", V_STRING, AT(database.url), NULL },
    { "database", "environment", V_ENVIRONMENT, AT(database.environment), "development" },
    { "database", "statement_timeout", V_DURATION, AT(database.statement_timeout), "0" },
    { "database", "lock_wait", V_DURATION, AT(database.lock_wait), "10s" },
    { "migrations", "dir", V_STRING, AT(migrations.dir), NULL },
    { "migrations", "alembic_ini", V_STRING, AT(migrations.alembic_ini), NULL },
    { "migrations", "alembic_command", V_STRING, AT(migrations.alembic_command), "alembic" },
    { "migrations", "alembic_url_env", V_ENV_NAME, AT(migrations.alembic_url_env),
      "DATABASE_URL" },
    { "migrations", "alembic_url_from_env", V_BOOL, AT(migrations.alembic_url_from_env), "no" },
    { "backup", "dir", V_STRING, AT(backup.dir), "backups" },
    { "ui", "theme", V_STRING, AT(ui.theme), "default" },
    { "integrity", "inferred_fk", V_REGEX, AT(integrity.inferred_fk), "(.+)_id$" },
    { "integrity", "inferred_aliases", V_STRING, AT(integrity.inferred_aliases),
      "creator:users owner:users author:users assignee:users sender:users recipient:users" },
    { "integrity", "money_columns", V_REGEX, AT(integrity.money_columns),
      "(price|amount|total|balance|cost|fee|vat|tax)" },
    { "integrity", "status_columns", V_REGEX, AT(integrity.status_columns),
      "(^|_)(status|state)$" },
    { "integrity", "warn_if", V_THRESHOLD, AT(integrity.warn_if), "> 0" },
    { "integrity", "error_if", V_THRESHOLD, AT(integrity.error_if), "> 0" },
    { "integrity", "inferred_warn_if", V_THRESHOLD, AT(integrity.inferred_warn_if), "> 0" },
    { "integrity", "inferred_error_if", V_THRESHOLD, AT(integrity.inferred_error_if), "never" },
    { "integrity", "inverse_dir", V_STRING, AT(integrity.inverse_dir), NULL },
    { "billing", "users", V_STRING, AT(billing.users), "users" },
    { "billing", "subscriptions", V_STRING, AT(billing.subscriptions), "subscriptions" },
    { "billing", "licenses", V_STRING, AT(billing.licenses), "licenses" },
    { "billing", "license_events", V_STRING, AT(billing.license_events), "license_events" },
    { "billing", "jobs", V_STRING, AT(billing.jobs), "jobs" },
    { "billing", "audit_log", V_STRING, AT(billing.audit_log), "audit_log" },
    { "billing", "grace_period", V_DURATION, AT(billing.grace_period), "3d" },
    { "billing", "subscription_states", V_BILLING, AT(billing.subscription_states),
      "trial active past_due cancelled expired" },
    { "billing", "subscription_live", V_BILLING, AT(billing.subscription_live),
      "trial active past_due" },
    { "billing", "subscription_past_due", V_BILLING, AT(billing.subscription_past_due),
      "past_due" },
    { "billing", "subscription_ended", V_BILLING, AT(billing.subscription_ended),
      "cancelled expired" },
    { "billing", "license_states", V_BILLING, AT(billing.license_states),
      "trial active suspended expired revoked" },
    { "billing", "license_live", V_BILLING, AT(billing.license_live), "trial active" },
    { "billing", "license_suspended", V_BILLING, AT(billing.license_suspended), "suspended" },
    { "billing", "license_revoked", V_BILLING, AT(billing.license_revoked), "revoked" },
    { "billing", "license_expired", V_BILLING, AT(billing.license_expired), "expired" },
    { "billing", "job_active", V_BILLING, AT(billing.job_active), "queued running" },
    { "billing", "transitions", V_BILLING, AT(billing.transitions),
      "trial>active trial>expired active>suspended suspended>active active>expired "
      "expired>active *>revoked" },
    { "billing", "columns", V_BILLING, AT(billing.columns), "" },
    { "seed", "dir", V_STRING, AT(seed.dir), NULL },
    { "seed", "anomalies", V_PERCENT, AT(seed.anomalies), "1%" },
};
#define NKEYS (sizeof keys / sizeof keys[0])

static bool is_string(ValueKind k)
{
    return k == V_STRING || k == V_ENVIRONMENT || k == V_ENV_NAME || k == V_REGEX ||
           k == V_BILLING || k == V_THRESHOLD;
}

long config_parse_duration(const char *s)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !isfinite(v) || v < 0)
        return -1;
    while (*end == ' ')
        end++;
    double mult = 1000;
    if (*end == '\0' || strcmp(end, "s") == 0) mult = 1000;
    else if (strcmp(end, "ms") == 0) mult = 1;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0) mult = 60000;
    else if (strcmp(end, "h") == 0) mult = 3600000;
    else if (strcmp(end, "d") == 0) mult = 86400000;
    else return -1;
    double ms = v * mult;
    if (ms > 2147483647.0 || (v > 0 && ms < 1))
        return -1; /* too long, or a positive value that rounds to no limit */
    return (long)ms;
}

/* "1%", "0.25%", "0": per 10000 (at most 2 decimals, at most 100%); -1 when
 * malformed. */
static int parse_percent(const char *s)
{
    int v = 0, decimals = -1;
    const char *p = s;
    for (; (*p >= '0' && *p <= '9') || *p == '.'; p++) {
        if (*p == '.') {
            if (decimals >= 0 || p == s)
                return -1;
            decimals = 0;
            continue;
        }
        if (decimals >= 2 || v > 100000)
            return -1;
        v = v * 10 + (*p - '0');
        if (decimals >= 0)
            decimals++;
    }
    if (p == s || (strcmp(p, "%") != 0 && !(*p == '\0' && v == 0)))
        return -1;
    for (int d = decimals < 0 ? 0 : decimals; d < 2; d++)
        v *= 10;
    return v <= 10000 ? v : -1;
}

/* yes/no, true/false, on/off, 1/0: 1 or 0; -1 for anything else. */
static int parse_bool(const char *s)
{
    static const char *const yes[] = { "yes", "true", "on", "1" }, *const no[] = { "no", "false",
                                                                                "off", "0" };
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

static bool env_name_ok(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

typedef struct ParseCtx {
    Config  *cfg;
    DbError *err;    /* the first error only; ini_parse_file() gives its line */
    bool     seen[NKEYS];   /* a V_BILLING list read already: more lines add to it */
} ParseCtx;

/* inih calls this per key; returning 0 marks the line as an error. */
static int on_value(void *user, const char *section, const char *name, const char *value)
{
    ParseCtx *pc = user;
    if (pc->err->kind != DB_OK)
        return 0;
    const ConfigKey *k = NULL;
    bool section_known = false;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(keys[i].section, section) == 0) {
            section_known = true;
            if (strcmp(keys[i].name, name) == 0)
                k = &keys[i];
        }
    }
    if (!section_known) {
        db_error_set(pc->err, DB_ERR_PARSE, "unknown section [%s]", section);
        return 0;
    }
    if (!k) {
        db_error_set(pc->err, DB_ERR_PARSE, "unknown setting '%s' in [%s]", name,
                     section);
        return 0;
    }
    char *base = (char *)pc->cfg;
    switch (k->kind) {
    case V_DURATION: {
        long ms = config_parse_duration(value);
        if (ms < 0) {
            db_error_set(pc->err, DB_ERR_PARSE, "%s = '%s' is not a duration (e.g. 30s, "
                         "500ms, 2m)", name, value);
            return 0;
        }
        *(int *)(base + k->offset) = (int)ms;
        return 1;
    }
    case V_PERCENT: {
        int v = parse_percent(value);
        if (v < 0) {
            db_error_set(pc->err, DB_ERR_PARSE, "%s = '%s' is not a share (e.g. 1%%, 0.5%%, 0)",
                         name, value);
            return 0;
        }
        *(int *)(base + k->offset) = v;
        return 1;
    }
    case V_BOOL: {
        int v = parse_bool(value);
        if (v < 0) {
            db_error_set(pc->err, DB_ERR_PARSE, "%s = '%s': use yes or no", name, value);
            return 0;
        }
        *(bool *)(base + k->offset) = v == 1;
        return 1;
    }
    case V_REGEX: {
        DbError e = DB_ERROR_INIT;
        Rx *rx = rx_compile(value, RX_CASELESS, &e);
        if (!rx) {
            db_error_set(pc->err, DB_ERR_PARSE, "%s = '%s' is not a regular expression: %s",
                         name, value, e.message);
            db_error_clear(&e);
            return 0;
        }
        rx_free(rx);
        goto string;
    }
    case V_THRESHOLD: {
        IntegrityThreshold t;
        DbError e = DB_ERROR_INIT;
        if (integrity_threshold_parse(value, &t, &e) != 0) {
            db_error_set(pc->err, DB_ERR_PARSE, "%s = %s", name, e.message);
            db_error_clear(&e);
            return 0;
        }
        goto string;
    }
    case V_ENV_NAME:
        if (!env_name_ok(value)) {
            db_error_set(pc->err, DB_ERR_PARSE, "%s = '%s' is not an environment variable name "
                         "(letters, digits and _, not starting with a digit)", name, value);
            return 0;
        }
        goto string;
    case V_ENVIRONMENT:
        if (strcmp(value, "development") && strcmp(value, "staging") &&
            strcmp(value, "production")) {
            db_error_set(pc->err, DB_ERR_PARSE, "environment = '%s': use development, "
                         "staging or production", value);
            return 0;
        }
        goto string;
    case V_BILLING: {
        if (billing_setting_check(name, value, pc->err) != 0)
            return 0;
        char **slot = (char **)(base + k->offset);
        if (!pc->seen[k - keys]) {   /* the file's first line replaces the default */
            pc->seen[k - keys] = true;
            goto string;
        }
        char *joined = xasprintf("%s %s", *slot ? *slot : "", value);
        free(*slot);
        *slot = joined;
        return 1;
    }
    case V_STRING:
    string: {
        char **slot = (char **)(base + k->offset);
        free(*slot);
        *slot = xstrdup(value);
        return 1;
    }
    }
    return 1;
}

/* The line of the last "key = ..." in [section] of path, or 0. */
static int key_line(const char *path, const char *section, const char *key)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[CONFIG_MAX_LINE + 2];
    bool in = false;
    int found = 0;
    for (int n = 1; fgets(line, sizeof line, f); n++) {
        char *p = line + strspn(line, " \t");
        size_t len = strcspn(p, " \t=:\r\n");
        if (*p == '[') {
            size_t sl = strcspn(p + 1, "]");
            in = sl == strlen(section) && strncmp(p + 1, section, sl) == 0;
        } else if (in && len == strlen(key) && strncmp(p, key, len) == 0) {
            found = n;
        }
    }
    fclose(f);
    return found;
}

/* What is checked once every key is read: the settings of a section
 * together. */
static int check_together(const Config *cfg, const char *path, DbError *err)
{
    const char *key = NULL, *other = NULL;
    if (billing_config_check(cfg, &key, &other, err) == 0)
        return 0;
    int line = key ? key_line(path, "billing", key) : 0;
    if (!line && other)
        line = key_line(path, "billing", other);
    if (line)
        db_error_prefix(err, "%s:%d", path, line);
    else
        db_error_prefix(err, "%s", path);
    return -1;
}

static int read_file(Config *cfg, const char *path, bool must_exist, DbError *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!must_exist && errno == ENOENT)
            return 0;
        db_error_set(err, DB_ERR_IO, "cannot read configuration %s: %s", path, strerror(errno));
        return -1;
    }
    free(cfg->path);
    cfg->path = xstrdup(path);
    /* inih cuts lines at its buffer size and reads the rest as a new line,
     * which would misplace errors and could show part of a long value. */
    char line[CONFIG_MAX_LINE + 2];
    for (int n = 1; fgets(line, sizeof line, f); n++) {
        if (strlen(line) > CONFIG_MAX_LINE && line[strlen(line) - 1] != '\n') {
            fclose(f);
            db_error_set(err, DB_ERR_PARSE, "%s:%d: line longer than %d characters (not "
                         "shown, as it may hold a password)", path, n, CONFIG_MAX_LINE);
            return -1;
        }
        /* inih goes on after a broken section header, in a section named
         * "", and would blame the next line for it */
        const char *p = line + strspn(line, " \t");
        if (*p == '[' && !strchr(p, ']')) {
            fclose(f);
            db_error_set(err, DB_ERR_PARSE, "%s:%d: section header '%.*s' has no closing ']'",
                         path, n, (int)strcspn(p, "\r\n"), p);
            return -1;
        }
    }
    rewind(f);
    ParseCtx pc = { cfg, err, { false } };
    int rc = ini_parse_file(f, on_value, &pc);
    fclose(f);
    if (rc == 0)
        return check_together(cfg, path, err);
    if (err->kind == DB_OK)
        db_error_set(err, DB_ERR_PARSE, "not a valid INI line (expected [section] or "
                     "key = value)");
    db_error_prefix(err, "%s:%d", path, rc);
    return -1;
}

void config_set(char **slot, const char *value)
{
    free(*slot);
    *slot = value ? xstrdup(value) : NULL;
}

void config_defaults(Config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    char *base = (char *)cfg;
    for (size_t i = 0; i < NKEYS; i++) {
        const ConfigKey *k = &keys[i];
        if (is_string(k->kind))
            *(char **)(base + k->offset) = k->deflt ? xstrdup(k->deflt) : NULL;
        else if (k->kind == V_DURATION)
            *(int *)(base + k->offset) = (int)config_parse_duration(k->deflt);
        else if (k->kind == V_BOOL)
            *(bool *)(base + k->offset) = parse_bool(k->deflt) == 1;
        else if (k->kind == V_PERCENT)
            *(int *)(base + k->offset) = parse_percent(k->deflt);
    }
}

bool config_is_production(const Config *cfg)
{
    return cfg->database.environment && strcmp(cfg->database.environment, "production") == 0;
}

int config_load(Config *cfg, const char *explicit_path, DbError *err)
{
    config_defaults(cfg);
    int rc;
    if (explicit_path) {
        rc = read_file(cfg, explicit_path, true, err);
    } else if (access("dbwarden.ini", F_OK) == 0) {
        rc = read_file(cfg, "dbwarden.ini", true, err);
    } else {
        const char *xdg = getenv("XDG_CONFIG_HOME");
        const char *home = getenv("HOME");
        char *p = xdg && *xdg ? xasprintf("%s/dbwarden/config.ini", xdg)
                : home ? xasprintf("%s/.config/dbwarden/config.ini", home) : NULL;
        rc = p ? read_file(cfg, p, false, err) : 0;
        free(p);
    }
    if (rc != 0)
        config_free(cfg);
    return rc;
}

void config_free(Config *cfg)
{
    char *base = (char *)cfg;
    for (size_t i = 0; i < NKEYS; i++)
        if (is_string(keys[i].kind))
            free(*(char **)(base + keys[i].offset));
    free(cfg->path);
    memset(cfg, 0, sizeof *cfg);
}
