#!/bin/sh
# Bad input on the command line: clear messages, the right exit status,
# and never a password.
. "$(dirname "$0")/lib.sh"
M="$SRC/migrations/sqlite"

run wrongpw 3 --db "postgresql://app:NotTheRightOne@/postgres?host=$DBW_PG_HOST&port=$DBW_PG_PORT" status
has wrongpw.err "password authentication failed"
has wrongpw.err "app:***@"
lacks wrongpw.err "NotTheRightOne"

run refused 3 --db "postgresql://app:Refused99@127.0.0.1:1/x" status
has refused.err "cannot connect to postgresql://app:***@127.0.0.1:1/x"
lacks refused.err "Refused99"

run kwpw 3 --db "host=$DBW_PG_HOST port=$DBW_PG_PORT dbname=postgres user=app password=KwWrong77" status
lacks kwpw.err "KwWrong77"

run missing 3 --db "sqlite:///no/such/file.db" status
has missing.err "cannot open SQLite database sqlite:///no/such/file.db"

run scheme 2 --db "mysql://root:MyPw123@localhost/x" status
has scheme.err "unsupported database 'mysql'"
lacks scheme.err "MyPw123"

run emptydb 2 --db "" status
has emptydb.err "--db is empty"
run nodb 2 status
has nodb.err "DATABASE_URL"

run unknowncmd 2 --db x.db frobnicate
has unknowncmd.err "unknown command 'frobnicate'"
run unknownopt 2 --frob status
has unknownopt.err "unknown option --frob"
run help 0 --help
has help.out "status"
has help.out "exit status"

printf '[database]\nurl = sqlite:///x.db\nenviroment = production\n' > bad.ini
run badconfig 2 --config bad.ini status
has badconfig.err "bad.ini:3: unknown setting 'enviroment' in [database]"

run nodir 2 --db "sqlite:///$T/n.db" --migrations "$T/nope" up
has nodir.err "cannot read the migrations folder $T/nope"
mkdir badnames && printf -- '-- migrate:up\nSELECT 1;\n' > badnames/create_users.sql
run badname 1 --db "sqlite:///$T/n.db" --migrations badnames up
has badname.err "badnames/create_users.sql: a migration file is named"
mkdir dup && printf -- '-- migrate:up\nSELECT 1;\n' > dup/0001_a.sql && cp dup/0001_a.sql dup/0001_b.sql
run dupversion 1 --db "sqlite:///$T/n.db" --migrations dup up
has dupversion.err "two migrations have version 0001"
[ ! -e "$T/n.db" ] || fail "a failed up left $T/n.db behind"
# one bad file does not hide the state: status shows it all, each bad file
# a problem with its file (and line); up refuses while one is there
mkdir mixed && cp "$M"/*.sql mixed/
printf 'SELECT 1;\n' > mixed/0011_nomarkers.sql
printf -- '-- migrate:up\nSELECT 1;\n' > mixed/bad-name.sql
printf -- '-- migrate:up\nCREATE TABLE c (x int);\nCOMMIT;\n-- migrate:down\nSELECT 1;\n' > mixed/0012_commit.sql
run mixedup0 0 --db "sqlite:///$T/mixed.db" --migrations "$M" up 0003
run mixedstatus 1 --db "sqlite:///$T/mixed.db" --migrations mixed status
has mixedstatus.out "applied     3"
has mixedstatus.out "problem     mixed/0011_nomarkers.sql: no '-- migrate:up' line"
has mixedstatus.out "problem     mixed/bad-name.sql: a migration file is named"
has mixedstatus.out "problem     mixed/0012_commit.sql:3: COMMIT"
run mixedjson 1 --db "sqlite:///$T/mixed.db" --migrations mixed status --json
jq_ok mixedjson '.applied == 3 and ([.problems[] | select(.kind == "bad_file")] | length) == 3'
jq_ok mixedjson '[.problems[].files[]] | index("mixed/bad-name.sql") != null'
run mixedhist 0 --db "sqlite:///$T/mixed.db" --migrations mixed history --json
jq_ok mixedhist '[.migrations[] | select(.state == "applied")] | length == 3'
run mixedup 1 --db "sqlite:///$T/mixed.db" --migrations mixed up
has mixedup.err "nothing was planned"
run mixedstatus2 1 --db "sqlite:///$T/mixed.db" --migrations mixed status --json
jq_ok mixedstatus2 '.applied == 3'
run dupstatus 1 --db "sqlite:///$T/mixed.db" --migrations dup status --json
jq_ok dupstatus '[.problems[] | select(.kind == "bad_file")][0].files == ["dup/0001_a.sql", "dup/0001_b.sql"]'

run notty 2 --db "sqlite:///$T/x.db" tui
has notty.err "the console needs a terminal"
# a theme that cannot be loaded is a bad option: exit 2 before anything starts
run badtheme 2 --theme nosuch --db x.db
has badtheme.err "theme 'nosuch' not found"
printf '[ui]\ntheme = nosuch2\n' > theme.ini
run badtheme_cfg 2 --config theme.ini --db x.db tui
has badtheme_cfg.err "theme 'nosuch2' not found"
run badtheme_demo 2 --theme nosuch --db demo-theme.db demo
[ ! -e demo-theme.db ] && ok "a bad theme builds no demo database" || fail "a bad theme still built the demo"

# --json answers in JSON, failures included: one object on stdout
jerr() { # jerr NAME STATUS KIND ARGS...: one JSON error object of that kind
    name=$1 st=$2 kind=$3
    shift 3
    run "$name" "$st" "$@"
    jq_ok "$name" ".error.kind == \"$kind\" and .error.exit_status == $st and (.error.message | length > 0)"
    [ "$(jq -s length "$name.out" 2>/dev/null)" = 1 ] && ok "$name: one JSON object" \
        || fail "$name: stdout is not one JSON object"
}
jerr jwrongpw 3 connect --db "postgresql://app:NotTheRightOne@/postgres?host=$DBW_PG_HOST&port=$DBW_PG_PORT" status --json
lacks jwrongpw.out "NotTheRightOne"
jerr jrefused 3 connect --db "postgresql://app:Refused99@127.0.0.1:1/x" status --json
lacks jrefused.out "Refused99"
jerr jmissing 3 connect --db "sqlite:///no/such/file.db" history --json
jerr jscheme 2 usage --db "mysql://root:MyPw123@localhost/x" schema --json
jerr jopt 2 usage --json --frob status
jerr jcmd 2 usage --json --db x.db frobnicate
jerr jconfig 2 parse --config bad.ini status --json
# a permission error: a role that may not read the version table
psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS errs_perm WITH (FORCE)" -c "CREATE DATABASE errs_perm" >/dev/null 2>&1
run permsetup 0 --db "postgresql://postgres@/errs_perm?host=$DBW_PG_HOST&port=$DBW_PG_PORT" --migrations "$SRC/migrations/postgres" up 0001
psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d errs_perm -v ON_ERROR_STOP=1 \
    -c "REVOKE ALL ON dbwarden_migrations FROM PUBLIC" >/dev/null
jerr jperm 1 sql --db "postgresql://app:s3cret%21pw@/errs_perm?host=$DBW_PG_HOST&port=$DBW_PG_PORT" --migrations "$SRC/migrations/postgres" status --json
has jperm.out "permission denied"

finish
