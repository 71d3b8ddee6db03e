#!/bin/sh
# Migrations that must not half-apply, hang, or inject SQL, on both engines:
# SQL that would end dbwarden's transaction is refused before anything runs;
# a transaction:false migration that fails half way is recorded as failed
# and blocks `up` until stamped; a name with a line break never leaves its
# SQL comment; a FIFO or a link to a device in the folder is refused at once.
. "$(dirname "$0")/lib.sh"

# run_limited NAME STATUS ARGS...: as run, but a hang ends after 30 s (124)
run_limited() {
    real=$BIN; n=$1; w=$2; shift 2
    BIN=timeout
    run "$n" "$w" 30 "$real" "$@"
    BIN=$real
}

nl='
'

# fresh_db NAME: URL (and DB) name a new, empty database of ENGINE
fresh_db() {
    DB=safe_$1
    if [ "$ENGINE" = sqlite ]; then
        URL="sqlite:///$T/$DB.db"
        : > "$T/$DB.db"
    else
        pg_createdb "$DB"
        URL="postgresql://app:s3cret%21pw@/$DB?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
    fi
}

# sql_file FILE: runs FILE's SQL on the database with the engine's own
# client, as a user piping a dry run into it would (errors do not stop it)
sql_file() {
    if [ "$ENGINE" = sqlite ]; then sqlite3 "$T/$DB.db" < "$1" 2>/dev/null || true
    else psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d "$DB" -f "$1" \
             >/dev/null 2>&1 || true; fi
}
sql() { printf '%s\n' "$1" > one.sql; sql_file one.sql; }

# table_is NAME yes|no
table_is() {
    "$BIN" --db "$URL" schema --json > tables.json
    if jq -e --arg t "$1" '[.tables[].name] | index($t) != null' tables.json >/dev/null; then
        got=yes; else got=no; fi
    if [ "$got" = "$2" ]; then ok "$ENGINE: table $1 exists: $2"
    else fail "$ENGINE: table $1 exists: $got, expected $2"; fi
}

for ENGINE in sqlite postgres; do
    E=$ENGINE
    mkdir "$E"

    # ---- SQL that hides a COMMIT from the other engine's rules
    fresh_db hostile
    mkdir "$E/hostile"
    printf -- '-- migrate:up\nCREATE TABLE first_t (id integer);\n-- migrate:down\nDROP TABLE first_t;\n' \
        > "$E/hostile/0001_first.sql"
    if [ "$ENGINE" = sqlite ]; then
        printf -- '-- migrate:up\nCREATE TABLE h1 (x integer);\n/* logs/*.gz */ COMMIT;\nCREATE TABLE h2 (x integer);\n' \
            > "$E/hostile/0002_hostile.sql"
    else
        printf -- '-- migrate:up\nCREATE TABLE h1 (trigger integer, begin integer);\nCOMMIT;\nCREATE TABLE h2 (x integer);\n' \
            > "$E/hostile/0002_hostile.sql"
    fi
    run "$E-hostile-up" 1 --db "$URL" --migrations "$E/hostile" up
    has "$E-hostile-up.err" "$E/hostile/0002_hostile.sql:3: COMMIT in the up section"
    table_is first_t no
    table_is h1 no
    table_is h2 no
    run "$E-hostile-status" 1 --db "$URL" --migrations "$E/hostile" status
    has "$E-hostile-status.out" "$E/hostile/0002_hostile.sql:3: COMMIT"

    # ---- a transaction:false migration that fails half way
    fresh_db half
    mkdir "$E/half"
    printf -- '-- migrate:up\nCREATE TABLE a_t (id integer);\n-- migrate:down\nDROP TABLE a_t;\n' > "$E/half/0001_a.sql"
    printf -- '-- migrate:up transaction:false\nCREATE TABLE n1 (x integer);\nCREATE TABLE n2 (x integer);\nCREATE TABLEE n3 (x integer);\nCREATE TABLE n4 (x integer);\n-- migrate:down\nDROP TABLE n2;\nDROP TABLE n1;\n' \
        > "$E/half/0002_notx.sql"
    printf -- '-- migrate:up\nCREATE TABLE c_t (id integer);\n-- migrate:down\nDROP TABLE c_t;\n' > "$E/half/0003_c.sql"
    run "$E-half-up" 1 --db "$URL" --migrations "$E/half" up
    has "$E-half-up.err" "$E/half/0002_notx.sql:4:"
    has "$E-half-up.err" "recorded as failed half way"
    table_is n2 yes
    table_is n4 no
    run "$E-half-status" 1 --db "$URL" --migrations "$E/half" status
    has "$E-half-status.out" "problem     0002 notx: failed half way at line 4 of $E/half/0002_notx.sql"
    has "$E-half-status.out" 'fix by hand, then `dbwarden stamp 0002`'
    run "$E-half-json" 1 --db "$URL" --migrations "$E/half" status --json
    jq_ok "$E-half-json" ".problems | length == 1 and .[0].kind == \"failed\" and .[0].version == \"0002\" and .[0].files == [\"$E/half/0002_notx.sql\"]"
    run "$E-half-history" 0 --db "$URL" --migrations "$E/half" history --json
    jq_ok "$E-half-history" '.migrations | map(select(.version == "0002"))[0] | .state == "failed" and .failed_line == 4 and (.error | contains("TABLEE")) and (.failed_by | contains("@"))'
    run "$E-half-historytext" 0 --db "$URL" --migrations "$E/half" history
    if grep -Eq '^0002 +notx +failed ' "$E-half-historytext.out"; then ok "$E: history says failed"
    else fail "$E: history does not say failed"; sed 's/^/    /' "$E-half-historytext.out" >&2; fi
    run "$E-half-again" 1 --db "$URL" --migrations "$E/half" up
    has "$E-half-again.err" "$E/half/0002_notx.sql:4: migration 0002 failed half way"
    has "$E-half-again.err" "dbwarden stamp 0002"
    table_is c_t no
    run "$E-half-dry" 1 --db "$URL" --migrations "$E/half" up --dry-run
    has "$E-half-dry.err" "failed half way"
    # fixed by hand, then stamped: applied, and up goes on
    sql "CREATE TABLE n4 (x integer);"
    run "$E-half-stamp" 0 --db "$URL" --migrations "$E/half" --yes --no-backup stamp 0002
    run "$E-half-fixed" 0 --db "$URL" --migrations "$E/half" status --json
    jq_ok "$E-half-fixed" '.problems == [] and .current == ["0002"] and .pending == 1'
    run "$E-half-rest" 0 --db "$URL" --migrations "$E/half" up
    has "$E-half-rest.out" "1 migration applied; the database is at 0003"

    # ---- a file name with a line break and SQL in it
    fresh_db names
    mkdir "$E/names"
    printf -- '-- migrate:up\nCREATE TABLE users (id integer);\n-- migrate:down\nDROP TABLE users;\n' > "$E/names/0001_users.sql"
    run "$E-names-up1" 0 --db "$URL" --migrations "$E/names" up
    printf -- '-- migrate:up\nSELECT 1;\n' > "$E/names/0002_x${nl}DROP TABLE users;--.sql"
    run "$E-names-status" 1 --db "$URL" --migrations "$E/names" status
    has "$E-names-status.out" '0002_x\nDROP TABLE users;--.sql: the file name holds a control character'
    run "$E-names-dry" 1 --db "$URL" --migrations "$E/names" up --dry-run
    sql_file "$E-names-dry.out"
    run "$E-names-up" 1 --db "$URL" --migrations "$E/names" up
    has "$E-names-up.err" "control character"
    for f in "$E-names-status" "$E-names-dry" "$E-names-up"; do
        if grep -q '^DROP TABLE' "$f.out" "$f.err"; then fail "$f: a line starts with DROP TABLE"; fi
    done
    table_is users yes
    rm "$E/names/0002_x${nl}DROP TABLE users;--.sql"
    # the same from the version table: a stamp's dry run keeps it in its comment
    if [ "$ENGINE" = sqlite ]; then
        sql "INSERT INTO dbwarden_migrations (version, name, checksum, duration_ms, applied_by) VALUES ('0009', 'x' || char(10) || 'DROP TABLE users;--', 'x', 0, 'me');"
    else
        sql "INSERT INTO dbwarden_migrations (version, name, checksum, duration_ms, applied_by) VALUES ('0009', E'x\\nDROP TABLE users;--', 'x', 0, 'me');"
    fi
    run "$E-names-stampdry" 0 --db "$URL" --migrations "$E/names" stamp 0001 --dry-run
    has "$E-names-stampdry.out" '-- stamp: forget 0009_x\nDROP TABLE users;--'
    if grep -q '^DROP TABLE' "$E-names-stampdry.out"; then fail "$E: the dry run has a DROP TABLE line"
    else ok "$E: the dry run keeps the name in its comment"; fi
    sql_file "$E-names-stampdry.out"
    table_is users yes
done

# ---- what is not a regular file, in the migrations folder
ENGINE=sqlite
fresh_db files
mkdir files other
printf -- '-- migrate:up\nCREATE TABLE f1 (x integer);\n' > files/0001_f.sql
mkfifo files/0002_x.sql
run_limited fifo 1 --db "$URL" --migrations files up
has fifo.err "files/0002_x.sql: it is a named pipe (FIFO), not a regular file"
run_limited fifostatus 1 --db "$URL" --migrations files status
has fifostatus.out "files/0002_x.sql: it is a named pipe (FIFO)"
rm files/0002_x.sql
ln -s /dev/zero files/0002_zero.sql
run_limited zero 1 --db "$URL" --migrations files status
has zero.out "files/0002_zero.sql: it is a symbolic link to a character device, not a regular file"
lacks zero.err "out of memory"
rm files/0002_zero.sql
printf -- '-- migrate:up\nCREATE TABLE f2 (x integer);\n' > other/0002_real.sql
ln -s ../other/0002_real.sql files/0002_real.sql
run_limited linked 0 --db "$URL" --migrations files status --json
jq_ok linked '.pending == 2'
truncate -s 65M files/0003_big.sql
run_limited big 1 --db "$URL" --migrations files status
has big.out "files/0003_big.sql: it is 65.0 MiB, and files of more than 64 MiB are refused"
finish
