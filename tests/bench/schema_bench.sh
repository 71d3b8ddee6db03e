#!/bin/bash
# schema_bench.sh: how dbwarden's schema catalog and row pager hold up on a
# large PostgreSQL database.  Not part of ctest: run it by hand.
#
#   tests/bench/schema_bench.sh
#
# It starts a throwaway PostgreSQL server (tests/pg/pgctl.sh), builds a
# database of 10,000 tables (each with a primary key, a foreign key, a check
# and two indexes) and a table of 10 million rows, then prints, measured in
# the same run:
#   1. `dbwarden schema --json` against the same catalog read by psql
#      (tables, columns, constraints, indexes from pg_catalog), and the ratio;
#   2. reaching the last page of the 10M-row table with dbwarden's row pager
#      (tests/bench/rows_last_page.c) against psql with OFFSET, and the
#      ratio; the pager's peak memory on a 1,000-row table and the 10M one.
# Aims: catalog within 1.5x of psql, last page under 100 ms, peak memory
# under 30 MB whatever the table size.
#
# Environment:
#   DBW_BENCH_PG_HOST, DBW_BENCH_PG_PORT  use this server (socket folder or
#                     host, and port; superuser DBW_BENCH_PG_USER, default
#                     postgres, without a password prompt) instead of starting one
#   DBW_BENCH_KEEP=1  keep the server and the database afterwards; a later
#                     run with the same DBW_BENCH_PG_* reuses the database
#                     when it was built with the same sizes (no rebuild)
#   DBW_BENCH_TABLES  number of tables (default 10000)
#   DBW_BENCH_ROWS    rows of the big table (default 10000000)
#   DBW_BENCH_RUNS    runs of each measurement; the best is kept (default 3)
#   DBW_BENCH_BIN     the dbwarden binary to time (default build/release/dbwarden,
#                     built with `make` when missing or out of date)
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
tables=${DBW_BENCH_TABLES:-10000}
rows=${DBW_BENCH_ROWS:-10000000}
runs=${DBW_BENCH_RUNS:-3}
keep=${DBW_BENCH_KEEP:-0}
db=dbw_bench
page=100
work=$(mktemp -d /tmp/dbwarden-bench.XXXXXX)
chmod 755 "$work"
started=0

say() { printf '%s\n' "$*"; }
die() { printf 'schema_bench: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
since() { awk -v t="$(( $(now_ms) - $1 ))" 'BEGIN { printf "%.1f s", t / 1000 }'; }
# psql as the superuser on the maintenance database, without notices
psql_admin() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -d postgres "$@"; }

if [ -n "${DBW_BENCH_PG_HOST:-}" ]; then
    host=$DBW_BENCH_PG_HOST
    port=${DBW_BENCH_PG_PORT:-5432}
else
    host=$work/pg
    port=${DBW_BENCH_PG_PORT:-54339}
fi
user=${DBW_BENCH_PG_USER:-postgres}
export PGHOST=$host PGPORT=$port PGUSER=$user
url="postgresql://$user@/$db?host=$host&port=$port"
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

cleanup() {
    local rc=$?
    if [ "$keep" = 1 ]; then
        say "kept: database $db on ${host} port ${port}" \
            "(rerun with DBW_BENCH_PG_HOST=$host DBW_BENCH_PG_PORT=$port to reuse it;" \
            "stop it with tests/pg/pgctl.sh stop $host $port)"
    elif [ "$started" = 1 ]; then
        "$src/tests/pg/pgctl.sh" stop "$host" "$port" >/dev/null 2>&1 || true
    elif [ -n "${DBW_BENCH_PG_HOST:-}" ]; then
        psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    if [ "$keep" != 1 ] || [ "$started" != 1 ]; then
        rm -rf "$work"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the binaries ------------------------------------------------------
say "== building (make; build/release)"
stale=''
if ! make -C "$src" release >"$work/make.log" 2>&1; then
    say "   make failed; going on with what build/release holds. First error:"
    grep -m 1 -E 'error|Error' "$work/make.log" | sed 's/^/   | /' || true
    stale=" (make failed: this binary may predate the tree)"
fi
lib=$src/build/release/libdbwcore.a
# (grep reads all of nm's output: with -q, nm could die of SIGPIPE)
has_pager() { [ -f "$lib" ] && nm "$lib" 2>/dev/null | grep ' T rows_open$' >/dev/null; }
if [ -f "$lib" ] && ! has_pager; then
    # the release tree was configured before core/rows.cmake existed
    if cmake -S "$src" -B "$src/build/release" >/dev/null; then
        cmake --build "$src/build/release" -j 2 >>"$work/make.log" 2>&1 || true
    fi
fi
has_pager || die "no row pager in $lib (see make's output)"
read -r -a libs <<<"$(pkg-config --libs libpq sqlite3 libpcre2-8 inih libcrypto)"
cc -O2 -std=c11 -D_GNU_SOURCE -I"$src/core" "$src/tests/bench/rows_last_page.c" "$lib" \
    "${libs[@]}" -lpthread \
    -o "$work/rows_last_page" || die "cannot build tests/bench/rows_last_page.c"
dbw=${DBW_BENCH_BIN:-$src/build/release/dbwarden}
[ -z "${DBW_BENCH_BIN:-}" ] || stale=''
[ -x "$dbw" ] || say "   no $dbw: the catalog part is skipped"

# ---- the server and the database ---------------------------------------
if [ -z "${DBW_BENCH_PG_HOST:-}" ]; then
    "$src/tests/pg/pgctl.sh" start "$host" "$port" >/dev/null
    started=1
fi
psql_admin -c "SELECT 1" >/dev/null || die "cannot reach PostgreSQL at $host port $port"

have=$(psql -X -q -A -t -d "$db" -c "SELECT tables || ' ' || big_rows FROM bench_meta" 2>/dev/null || true)
if [ "$have" = "$tables $rows" ]; then
    say "== reusing database $db ($tables tables, $rows rows)"
else
    psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
    psql_admin -c "CREATE DATABASE $db" >/dev/null
    say "== building $tables tables (a primary key, a foreign key, a check, two indexes each)"
    t0=$(now_ms)
    # One DO block, committing every 200 tables (one transaction would run
    # out of lock slots); table n references table n - 1.
    psql_db -c "
DO \$\$
DECLARE
    n integer;
BEGIN
    FOR n IN 0 .. $tables - 1 LOOP
        EXECUTE format(
            'CREATE TABLE %I (id bigint PRIMARY KEY, parent_id bigint REFERENCES %I (id), '
            'name text NOT NULL, amount numeric(12,2) CHECK (amount >= 0), '
            'created_at timestamptz NOT NULL DEFAULT now())',
            format('t_%s', lpad(n::text, 5, '0')),
            format('t_%s', lpad(greatest(n - 1, 0)::text, 5, '0')));
        EXECUTE format('CREATE INDEX ON %I (parent_id)', format('t_%s', lpad(n::text, 5, '0')));
        EXECUTE format('CREATE INDEX ON %I (name, created_at)', format('t_%s', lpad(n::text, 5, '0')));
        IF n % 200 = 199 THEN
            COMMIT;
        END IF;
    END LOOP;
END
\$\$;"
    say "   $(since "$t0")"
    say "== building big_rows ($rows rows) and small_rows (1,000 rows)"
    t0=$(now_ms)
    psql_db <<SQL
CREATE TABLE big_rows (id bigint NOT NULL, account_id integer NOT NULL, label text NOT NULL,
                       amount numeric(12,2), created_at timestamptz NOT NULL);
INSERT INTO big_rows
SELECT g, g % 1000, 'row ' || g, (g % 100000) / 100.0,
       timestamptz '2024-01-01' + g * interval '1 second'
FROM generate_series(1, $rows) AS g;
ALTER TABLE big_rows ADD PRIMARY KEY (id);
CREATE TABLE small_rows (LIKE big_rows INCLUDING ALL);
INSERT INTO small_rows SELECT * FROM big_rows WHERE id <= 1000;
ANALYZE;
CREATE TABLE bench_meta (tables integer, big_rows bigint);
INSERT INTO bench_meta VALUES ($tables, $rows);
SQL
    say "   $(since "$t0")"
fi

# ---- 1. the catalog ------------------------------------------------------
# The raw catalog: what the schema command reads, straight from pg_catalog.
cat >"$work/raw_catalog.sql" <<'SQL'
/* tables */
SELECT n.nspname, c.relname, c.relkind, c.reltuples::bigint,
       pg_catalog.pg_total_relation_size(c.oid)
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY 1, 2;
/* columns */
SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
       a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid)
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY 1, 2;
/* constraints */
SELECT k.conrelid, k.conname, k.contype, pg_catalog.pg_get_constraintdef(k.oid, true),
       k.confrelid::regclass
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1, 2;
/* indexes */
SELECT i.indrelid, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid), i.indisunique,
       i.indisprimary, pg_catalog.pg_relation_size(i.indexrelid)
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY 1, 2;
SQL

# best_ms CMD...: the fastest of $runs runs of CMD (output discarded), in ms;
# fails when CMD fails.
best_ms() {
    local best='' t0 t _
    for _ in $(seq "$runs"); do
        t0=$(now_ms)
        "$@" >/dev/null 2>"$work/err" || return 1
        t=$(( $(now_ms) - t0 ))
        [ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
    done
    printf '%s' "$best"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { awk -v v="$1" -v lim="$2" 'BEGIN { print (v + 0 <= lim + 0) ? "ok" : "MISSED" }'; }

say ""
say "== 1. catalog: dbwarden schema --json vs the raw catalog queries in psql (best of $runs)"
psql_ms=$(best_ms psql -X -q -A -t -d "$db" -f "$work/raw_catalog.sql") || die "psql: $(cat "$work/err")"
say "   psql raw catalog queries:      $psql_ms ms"
if [ -x "$dbw" ]; then
    if dbw_ms=$(best_ms "$dbw" --db "$url" --read-only schema --json); then
        "$dbw" --db "$url" --read-only schema --json >"$work/schema.json" 2>/dev/null || true
        say "   dbwarden schema --json:        $dbw_ms ms ($(wc -c <"$work/schema.json") bytes of JSON)$stale"
        r=$(ratio "$dbw_ms" "$psql_ms")
        say "   ratio dbwarden / psql:         $r  (aim <= 1.5: $(verdict "$r" 1.5))"
    else
        say "   dbwarden schema --json FAILED: $(head -c 300 "$work/err")"
    fi
fi

# ---- 2. the last page ----------------------------------------------------
say ""
say "== 2. last page of big_rows ($rows rows, $page rows a page; best of $runs)"
# pager TABLE [KEY]: the best last_page_ms, the largest maxrss_kb, the
# last back_ms (10 pages back from the last page)
pager() {
    local table=$1 key=${2:-} best='' rss=0 out ms kb back _
    for _ in $(seq "$runs"); do
        out=$("$work/rows_last_page" "$url" "$table" "$page" 10 ${key:+"$key"}) || die "rows_last_page failed"
        ms=$(printf '%s\n' "$out" | sed -n 's/.*last_page_ms=\([0-9.]*\).*/\1/p')
        kb=$(printf '%s\n' "$out" | sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p')
        back=$(printf '%s\n' "$out" | sed -n 's/.*back_ms=\([0-9.]*\).*/\1/p')
        if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$ms; fi
        [ "$kb" -gt "$rss" ] && rss=$kb
    done
    printf '%s %s %s' "$best" "$rss" "$back"
}
out=$(pager big_rows) || exit 1
read -r big_ms big_kb big_back <<<"$out"
out=$(pager big_rows ctid) || exit 1
read -r ctid_ms ctid_kb ctid_back <<<"$out"
out=$(pager small_rows) || exit 1
read -r small_ms small_kb _ <<<"$out"

offset=$((rows - page))
offset_ms=''
for _ in $(seq "$runs"); do
    t=$(psql -X -q -d "$db" -o /dev/null -c '\timing on' \
          -c "SELECT * FROM big_rows ORDER BY id OFFSET $offset LIMIT $page" |
        sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
    if [ -z "$offset_ms" ] || awk -v a="$t" -v b="$offset_ms" 'BEGIN { exit !(a < b) }'; then offset_ms=$t; fi
done
psql_kb=''
if [ -x /usr/bin/time ]; then
    psql_kb=$(/usr/bin/time -f '%M' psql -X -q -d "$db" -o /dev/null \
              -c "SELECT * FROM big_rows ORDER BY id OFFSET $offset LIMIT $page" 2>&1 >/dev/null | tail -n 1)
fi

say "   dbwarden pager, by primary key: $big_ms ms  (then 10 pages back: $big_back ms)"
say "   dbwarden pager, by ctid:        $ctid_ms ms  (then 10 pages back: $ctid_back ms)"
say "   dbwarden pager, 1,000-row table: $small_ms ms"
say "   psql ORDER BY id OFFSET $offset LIMIT $page: $offset_ms ms"
r=$(ratio "$offset_ms" "$big_ms")
say "   ratio psql OFFSET / pager:      ${r}x faster  (pager aim < 100 ms: $(verdict "$big_ms" 100))"
say "   pager peak memory (max RSS):    $((small_kb / 1024)) MB on 1,000 rows, $((big_kb / 1024)) MB on $rows rows" \
    "($((big_kb - small_kb)) KB apart; by ctid $((ctid_kb / 1024)) MB)"
say "   aim < 30 MB whatever the size:  $(verdict "$big_kb" $((30 * 1024)))"
[ -z "$psql_kb" ] || say "   (psql's own peak memory for the OFFSET query: $((psql_kb / 1024)) MB)"
say ""
say "server: PostgreSQL $(psql -X -A -t -d postgres -c 'SHOW server_version'), $(nproc) cores"
