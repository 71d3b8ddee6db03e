#!/bin/bash
# schema_bench.sh: how dbwarden's schema catalog, its console and its row
# pager hold up on large databases.  Not part of ctest: run it by hand, on a
# release build (`make release`: cmake -DCMAKE_BUILD_TYPE=Release
# -DDBWARDEN_TESTS=OFF into build/release).
#
#   tests/bench/schema_bench.sh
#
# It starts a throwaway PostgreSQL server (tests/pg/pgctl.sh), builds a
# database of 10,000 tables (each with a primary key, a foreign key, a check
# and two indexes) and a table of 10 million rows, and a SQLite file of the
# same 10,000 tables, then prints, measured in the same run (best of
# DBW_BENCH_RUNS, the two sides of a comparison taken in turn):
#   1. PostgreSQL: the whole catalog (`dbwarden schema --json`) against the
#      three plain catalog queries (columns, constraints, indexes) in one
#      psql session; one table (`dbwarden schema t_05000`) against
#      `psql -c '\d+ t_05000'`; the peak memory of both; the console
#      (driven in tmux): the time from pressing 2 to the table list on
#      screen, and from pressing 2 and ? to the help on screen (keys
#      answered while the catalog is read);
#   2. SQLite: the same against the sqlite3 shell (its three queries in one
#      session; `.schema t_05000`), with the shell's own peak memory;
#   3. reaching the last page of the 10M-row table with dbwarden's row pager
#      (tests/bench/rows_last_page.c) against psql with OFFSET, and the
#      pager's peak memory on a 1,000-row table and the 10M one.
# Aims: keys answered within 100 ms at any catalog size; one table within
# 1.5x of \d+ (of .schema); the whole catalog within 1.3x of the three
# queries; peak memory under 60 MB at 10,000 tables; the last page under
# 100 ms and the pager under 30 MB whatever the table size.
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
#   DBW_BENCH_RUNS    runs of each measurement; the best is kept (default 5)
#   DBW_BENCH_BIN     the dbwarden binary to time (default build/release/dbwarden,
#                     built with `make` when missing or out of date)
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
tables=${DBW_BENCH_TABLES:-10000}
rows=${DBW_BENCH_ROWS:-10000000}
runs=${DBW_BENCH_RUNS:-5}
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

# ---- helpers ---------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { awk -v v="$1" -v lim="$2" 'BEGIN { print (v + 0 <= lim + 0) ? "ok" : "MISSED" }'; }
# run_ms CMD...: one run of CMD (output discarded), in ms; fails when CMD fails
run_ms() {
    local t0
    t0=$(now_ms)
    "$@" >/dev/null 2>"$work/err" || return 1
    printf '%s' $(( $(now_ms) - t0 ))
}
# pair A_CMD -- B_CMD: both run $runs times in turn; prints "best_a best_b"
pair() {
    local a=() b=() ba='' bb='' t _
    while [ "$1" != -- ]; do a+=("$1"); shift; done
    shift
    b=("$@")
    for _ in $(seq "$runs"); do
        t=$(run_ms "${a[@]}") || { say "   FAILED: ${a[*]}: $(head -c 300 "$work/err")"; return 1; }
        if [ -z "$ba" ] || [ "$t" -lt "$ba" ]; then ba=$t; fi
        t=$(run_ms "${b[@]}") || { say "   FAILED: ${b[*]}: $(head -c 300 "$work/err")"; return 1; }
        if [ -z "$bb" ] || [ "$t" -lt "$bb" ]; then bb=$t; fi
    done
    printf '%s %s' "$ba" "$bb"
}
# rss_mb CMD...: the peak memory (max RSS) of CMD, in MB
rss_mb() {
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }'
}
# console DB: the console on DB in tmux, best of $runs: "first_ms keys_ms",
# the time from pressing 2 to the table list on screen, and from pressing 2
# and ? to the help on screen
console() {
    local db=$1 sock='' n=0 first='' keys='' t0 t _ i
    local term=tmux-256color
    infocmp "$term" >/dev/null 2>&1 || term=screen
    scr() { tmux -L "$sock" capture-pane -p -t b 2>/dev/null; }
    until_has() {
        for i in $(seq 6000); do scr | grep -qF -- "$1" && return 0; sleep 0.005; done
        return 1
    }
    up() {   # a server of its own each time: no race with the last one's end
        [ -z "$sock" ] || tmux -L "$sock" kill-server 2>/dev/null || true
        n=$((n + 1))
        sock="dbwbench$$-$n"
        tmux -L "$sock" -f /dev/null new-session -d -s b -x 120 -y 40 \
            "TERM=$term '$dbw' --read-only --db '$db'; sleep 60"
        until_has "Migrations" || return 1
        sleep 0.3
    }
    for _ in $(seq "$runs"); do
        up || break
        t0=$(now_ms)
        tmux -L "$sock" send-keys -t b 2
        until_has " tables · " || break
        t=$(( $(now_ms) - t0 ))
        if [ -z "$first" ] || [ "$t" -lt "$first" ]; then first=$t; fi
        up || break
        t0=$(now_ms)
        tmux -L "$sock" send-keys -t b 2 '?'
        until_has "show or hide this help" || break
        t=$(( $(now_ms) - t0 ))
        if [ -z "$keys" ] || [ "$t" -lt "$keys" ]; then keys=$t; fi
    done
    [ -z "$sock" ] || tmux -L "$sock" kill-server 2>/dev/null || true
    printf '%s %s' "${first:-n/a}" "${keys:-n/a}"
}
# report NAME A_MS B_MS B_NAME AIM: "name: a ms, b: b ms, ratio (aim <= AIM: ok)"
report() {
    local r
    r=$(ratio "$2" "$3")
    say "   $1: $2 ms   $4: $3 ms   ratio $r  (aim <= $5: $(verdict "$r" "$5"))"
}
table=$(printf 't_%05d' $((tables / 2)))
summary=()

# ---- 1. PostgreSQL --------------------------------------------------------
# The three plain catalog queries: columns, constraints, indexes.
cat >"$work/pg_plain.sql" <<'SQL'
/* columns */
SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
       a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid)
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast';
/* constraints */
SELECT k.conrelid, k.conname, k.contype, pg_catalog.pg_get_constraintdef(k.oid, true),
       k.confrelid::regclass
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema');
/* indexes */
SELECT i.indrelid, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid), i.indisunique,
       i.indisprimary
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast';
SQL

if [ -x "$dbw" ]; then
    say ""
    say "== 1. PostgreSQL, $tables tables (best of $runs)$stale"
    if out=$(pair "$dbw" --db "$url" --read-only schema --json -- \
                  psql -X -q -A -t -d "$db" -f "$work/pg_plain.sql"); then
        read -r a b <<<"$out"
        report "whole catalog: schema --json" "$a" "$b" "the three plain queries in psql" 1.3
        summary+=("PostgreSQL|whole catalog: \`schema --json\` $a ms|the three plain catalog queries in one psql session: $b ms|$(ratio "$a" "$b")x (aim <= 1.3x)")
    fi
    if out=$(pair "$dbw" --db "$url" --read-only schema "$table" -- \
                  psql -X -q -d "$db" -c "\\d+ $table"); then
        read -r a b <<<"$out"
        report "one table: schema $table" "$a" "$b" "psql -c '\\d+ $table'" 1.5
        summary+=("PostgreSQL|one table: \`schema $table\` $a ms|\`psql -c '\\d+ $table'\`: $b ms|$(ratio "$a" "$b")x (aim <= 1.5x)")
    fi
    if [ -x /usr/bin/time ]; then
        m1=$(rss_mb "$dbw" --db "$url" --read-only schema --json)
        m2=$(rss_mb "$dbw" --db "$url" --read-only schema "$table")
        m3=$(rss_mb psql -X -q -d "$db" -c "\\d+ $table")
        say "   peak memory: schema --json $m1 MB, schema $table $m2 MB (psql \\d+: $m3 MB)  (aim < 60 MB: $(verdict "$m1" 59))"
        summary+=("PostgreSQL|peak memory: \`schema --json\` $m1 MB, \`schema $table\` $m2 MB|psql \\d+: $m3 MB|aim < 60 MB")
    fi
    if command -v tmux >/dev/null; then
        read -r first keys <<<"$(console "$url")"
        say "   console: the table list on screen $first ms after 2; keys answered (2 then ?) in $keys ms  (aim <= 100 ms: $(verdict "$keys" 100))"
        summary+=("PostgreSQL|console: table list on screen $first ms after pressing 2|keys answered (2, then ?): $keys ms|aim <= 100 ms")
    fi
fi

# ---- 2. SQLite ----------------------------------------------------------------
sq=$work/bench.db
say ""
say "== 2. SQLite, $tables tables"
t0=$(now_ms)
awk -v n="$tables" 'BEGIN {
    print "PRAGMA synchronous = OFF;"
    print "BEGIN;"
    for (i = 0; i < n; i++) {
        t = sprintf("t_%05d", i); p = sprintf("t_%05d", i > 0 ? i - 1 : 0)
        printf "CREATE TABLE %s (id integer PRIMARY KEY, parent_id integer REFERENCES %s (id), ", t, p
        printf "name text NOT NULL, amount numeric(12,2) CHECK (amount >= 0), "
        printf "created_at text NOT NULL DEFAULT CURRENT_TIMESTAMP);\n"
        printf "CREATE INDEX %s_parent_id_idx ON %s (parent_id);\n", t, t
        printf "CREATE INDEX %s_name_created_at_idx ON %s (name, created_at);\n", t, t
    }
    print "COMMIT;"
    print "ANALYZE;"
}' | sqlite3 "$sq" || die "cannot build $sq"
say "   built in $(since "$t0") ($(( $(stat -c %s "$sq") / 1048576 )) MB)"
# the sqlite3 shell's own three queries: columns, foreign keys, indexes
cat >"$work/sq_plain.sql" <<'SQL'
SELECT m.name, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk
  FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p WHERE m.type = 'table';
SELECT m.name, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete
  FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table';
SELECT m.name, l.name, l."unique", l.origin, l.partial, x.seqno, x.cid, x.name
  FROM sqlite_schema m JOIN pragma_index_list(m.name) l JOIN pragma_index_xinfo(l.name) x
  WHERE m.type = 'table' AND x.key = 1;
SQL
squrl="sqlite:///$sq"
if [ -x "$dbw" ]; then
    say "   (best of $runs)$stale"
    sq_plain() { sqlite3 "$sq" <"$work/sq_plain.sql"; }
    if out=$(pair "$dbw" --db "$squrl" --read-only schema --json -- sq_plain); then
        read -r a b <<<"$out"
        report "whole catalog: schema --json" "$a" "$b" "the three queries in sqlite3" 1.3
        summary+=("SQLite|whole catalog: \`schema --json\` $a ms|the three queries in one sqlite3 session: $b ms|$(ratio "$a" "$b")x (aim <= 1.3x)")
    fi
    if out=$(pair "$dbw" --db "$squrl" --read-only schema "$table" -- \
                  sqlite3 "$sq" ".schema $table"); then
        read -r a b <<<"$out"
        report "one table: schema $table" "$a" "$b" "sqlite3 .schema $table" 1.5
        summary+=("SQLite|one table: \`schema $table\` $a ms|\`sqlite3 … '.schema $table'\`: $b ms|$(ratio "$a" "$b")x (aim <= 1.5x)")
    fi
    if [ -x /usr/bin/time ]; then
        m1=$(rss_mb "$dbw" --db "$squrl" --read-only schema --json)
        m2=$(rss_mb "$dbw" --db "$squrl" --read-only schema "$table")
        m3=$(rss_mb sqlite3 "$sq" ".read $work/sq_plain.sql")
        m4=$(rss_mb sqlite3 "$sq" ".schema $table")
        say "   peak memory: schema --json $m1 MB (sqlite3's three queries: $m3 MB), schema $table $m2 MB (.schema: $m4 MB)  (aim < 60 MB: $(verdict "$m1" 59))"
        summary+=("SQLite|peak memory: \`schema --json\` $m1 MB, \`schema $table\` $m2 MB|sqlite3: $m3 MB, $m4 MB|aim < 60 MB")
    fi
    if command -v tmux >/dev/null; then
        read -r first keys <<<"$(console "$squrl")"
        say "   console: the table list on screen $first ms after 2; keys answered (2 then ?) in $keys ms  (aim <= 100 ms: $(verdict "$keys" 100))"
        summary+=("SQLite|console: table list on screen $first ms after pressing 2|keys answered (2, then ?): $keys ms|aim <= 100 ms")
    fi
fi

# ---- 3. the last page ----------------------------------------------------
say ""
say "== 3. last page of big_rows ($rows rows, $page rows a page; best of $runs)"
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
if [ "${#summary[@]}" -gt 0 ]; then
    say ""
    say "summary (the README's table):"
    for l in "${summary[@]}"; do
        IFS='|' read -r eng a b c <<<"$l"
        say "| $eng | $a | $b | $c |"
    done
fi
