#!/bin/sh
# Nothing from outside reaches the terminal raw: table and column names,
# version-table values and file names with terminal escapes, a bell, line
# breaks, C1 controls and bidi overrides are printed escaped by status,
# history, schema and schema TABLE, on both engines; --json keeps them
# exact.  test_cli_escape.sh BIN SRC
. "$(dirname "$0")/lib.sh"

OSC=$(printf 'osc\033]0;pwned\007t')
CLR=$(printf 'esc\033[2Jclear')
NL=$(printf 'two\nlines')
C1=$(printf 'csi\302\2331m')
BIDI=$(printf 'rtl\342\200\256txt')

# raw NAME: the output holds no terminal control byte (ESC, BEL, CSI,
# bidi override) and no line that starts with injected text
raw_free() {
    for f in "$1.out" "$1.err"; do
        if LC_ALL=C grep -q "$(printf '[\033\007]')" "$f" || grep -q "$(printf '\302\233')" "$f" \
           || grep -q "$(printf '\342\200\256')" "$f"; then
            fail "$1: $f holds a raw control character"; cat -v "$f" | head -20 >&2
        else
            ok "$1: no raw control character in $f"
        fi
        # (a DDL keeps a quoted name's line break: that is the SQL as stored)
        if sed '/^DDL$/,$d' "$f" | grep -q '^lines'; then fail "$1: a name's line break reached $f"
        else ok "$1: names stay on their line in $f"; fi
    done
}

pg_createdb esc_pg
PGURL="postgresql://app:s3cret%21pw@/esc_pg?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
for engine in sqlite postgres; do
    if [ $engine = sqlite ]; then URL="sqlite:///$T/esc.db"; else URL=$PGURL; fi
    M="$SRC/migrations/$engine"
    run "$engine-up" 0 --db "$URL" --migrations "$M" up 0002
    sql="CREATE TABLE \"$OSC\" (\"$CLR\" integer PRIMARY KEY, \"$NL\" text);
CREATE TABLE \"$C1\" (\"$BIDI\" integer);
INSERT INTO dbwarden_migrations (version, name, checksum, duration_ms, applied_by)
  VALUES ('9001', '$OSC', 'x', 1, '$CLR');
INSERT INTO dbwarden_migrations (version, name, checksum, duration_ms, applied_by)
  VALUES ('9002', '$NL', 'x', 1, '$BIDI');"
    if [ $engine = sqlite ]; then
        printf '%s\n' "$sql" | sqlite3 "$T/esc.db"
    else
        printf '%s\n' "$sql" | PGPASSWORD='s3cret!pw' psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U app -d esc_pg -v ON_ERROR_STOP=1 >/dev/null
    fi
    run "$engine-status" 1 --db "$URL" --migrations "$M" status
    raw_free "$engine-status"
    has "$engine-status.out" 'osc\x1b]0;pwned\x07t'
    run "$engine-history" 0 --db "$URL" --migrations "$M" history
    raw_free "$engine-history"
    has "$engine-history.out" 'two\nlines'
    has "$engine-history.out" 'esc\x1b[2Jclear'
    run "$engine-schema" 0 --db "$URL" schema
    raw_free "$engine-schema"
    has "$engine-schema.out" 'osc\x1b]0;pwned\x07t'
    has "$engine-schema.out" 'csi\u009b1m'
    run "$engine-table" 0 --db "$URL" schema "$OSC"
    raw_free "$engine-table"
    has "$engine-table.out" 'esc\x1b[2Jclear'
    has "$engine-table.out" 'two\nlines'
    run "$engine-table2" 0 --db "$URL" schema "$C1"
    raw_free "$engine-table2"
    has "$engine-table2.out" 'rtl\u202etxt'
    run "$engine-notable" 1 --db "$URL" schema "$CLR"
    raw_free "$engine-notable"
    # JSON carries the exact names (JSON escapes them itself)
    run "$engine-json" 0 --db "$URL" schema "$OSC" --json
    jq_ok "$engine-json" ".tables[0].name == \"osc\\u001b]0;pwned\\u0007t\""
    run "$engine-hjson" 0 --db "$URL" --migrations "$M" history --json
    jq_ok "$engine-hjson" '[.migrations[].name] | index("two\nlines") != null'
done
finish
