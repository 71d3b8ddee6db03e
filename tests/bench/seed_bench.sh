#!/bin/bash
# seed_bench.sh: how fast `dbwarden seed scale` loads, next to the raw ways
# of loading the same rows.  Not part of ctest: run it by hand, on a release
# build (`make release`).
#
#   tests/bench/seed_bench.sh
#
# It starts a throwaway PostgreSQL server (tests/pg/pgctl.sh), seeds the
# scale set with DBW_BENCH_USERS users (default 1,000,000: about 8 million
# rows in 12 tables with their indexes and foreign keys) into PostgreSQL
# and into a SQLite file, and prints, measured in the same run:
#   PostgreSQL  dbwarden's rows per second (COPY in one transaction, the
#               ledger on), next to psql's \copy of the same rows (exported
#               from the seeded database to files) into a fresh database with
#               the same tables and indexes, in one transaction; and
#               pgbench -i's rows per second (all its steps: the tables,
#               its client-side generation through COPY into tables without
#               indexes, vacuum, then the primary keys; the scale chosen for
#               about as many rows)
#   SQLite      dbwarden's rows per second (one prepared statement per table
#               in one transaction) next to tests/bench/seed_sqlite_loader.c
#               (the same rows from the same files, one prepared INSERT per
#               table, one transaction, plain sqlite3)
#   memory      dbwarden's peak RSS on both engines, and at a tenth of the
#               users (flat: rows are made as they are sent)
# Each load runs DBW_BENCH_RUNS times (default 3) into fresh databases,
# dbwarden and its baseline taken in turn, and the best time of each is
# kept (the machine is shared: read the ratios).
# The anomalies are off ([seed] anomalies = 0) so that every side loads the
# same rows with the foreign keys checked (orphans need them off).
# Aims: at least 80% of the raw rate with the ledger on; peak RSS under
# 50 MB whatever the scale.
#
# Environment:
#   DBW_BENCH_USERS   users of the scale set (default 1000000)
#   DBW_BENCH_RUNS    runs of each load; the best is kept (default 3)
#   DBW_BENCH_PG_HOST, DBW_BENCH_PG_PORT  use this server (a superuser
#                     DBW_BENCH_PG_USER, default postgres, without a password
#                     prompt) instead of starting one
#   DBW_BENCH_KEEP=1  keep the server, the databases and the files
#   DBW_BENCH_BIN     the dbwarden binary (default build/release/dbwarden,
#                     built with `make release`)
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
users=${DBW_BENCH_USERS:-1000000}
runs=${DBW_BENCH_RUNS:-3}
keep=${DBW_BENCH_KEEP:-0}
work=$(mktemp -d /tmp/dbwarden-seedbench.XXXXXX)
chmod 755 "$work"
started=0
tables=(users workspaces projects subscriptions licenses license_events jobs invoices
        transaction_idempotency audit_log market_booths nft_items)

say() { printf '%s\n' "$*"; }
die() { printf 'seed_bench: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
rate() { awk -v r="$1" -v ms="$2" 'BEGIN { printf "%d", (ms > 0 ? r * 1000 / ms : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }

if [ -n "${DBW_BENCH_PG_HOST:-}" ]; then
    host=$DBW_BENCH_PG_HOST
    port=${DBW_BENCH_PG_PORT:-5432}
else
    host=$work/pg
    port=${DBW_BENCH_PG_PORT:-54349}
fi
user=${DBW_BENCH_PG_USER:-postgres}
export PGHOST=$host PGPORT=$port PGUSER=$user
psql_admin() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
url_of() { printf 'postgresql://%s@/%s?host=%s&port=%s' "$user" "$1" "$host" "$port"; }

cleanup() {
    local rc=$?
    if [ "$keep" = 1 ]; then
        say "kept: $work, databases seed_bench and seed_bench_raw on $host port $port" \
            "(stop the server with tests/pg/pgctl.sh stop $host $port)"
    else
        if [ "$started" = 1 ]; then
            "$src/tests/pg/pgctl.sh" stop "$host" "$port" >/dev/null 2>&1 || true
        elif [ -n "${DBW_BENCH_PG_HOST:-}" ]; then
            psql_admin -c "DROP DATABASE IF EXISTS seed_bench WITH (FORCE)" \
                -c "DROP DATABASE IF EXISTS seed_bench_raw WITH (FORCE)" \
                -c "DROP DATABASE IF EXISTS seed_bench_pgbench WITH (FORCE)" >/dev/null 2>&1 || true
        fi
        rm -rf "$work"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a command, prints its wall time in ms and peak RSS in KB ("ms kb").
timed() {
    /usr/bin/time -o "$work/time.txt" -f '%e %M' "$@" >"$work/last.out" 2>"$work/last.err" \
        || { cat "$work/last.err" >&2; die "failed: $*"; }
    awk '{ printf "%d %d\n", $1 * 1000, $2 }' "$work/time.txt"
}

# ---- the binaries ------------------------------------------------------------
say "== building (make release)"
if [ -z "${DBW_BENCH_BIN:-}" ]; then
    make -C "$src" release >"$work/make.log" 2>&1 || { tail -20 "$work/make.log"; die "make failed"; }
fi
dbw=${DBW_BENCH_BIN:-$src/build/release/dbwarden}
[ -x "$dbw" ] || die "no $dbw"
read -r -a sqlite_libs <<<"$(pkg-config --libs sqlite3)"
cc -O2 -std=c11 "$src/tests/bench/seed_sqlite_loader.c" "${sqlite_libs[@]}" \
    -o "$work/seed_sqlite_loader" || die "cannot build tests/bench/seed_sqlite_loader.c"
printf '[seed]\nanomalies = 0\n' >"$work/dbwarden.ini"
cd "$work"

# ---- PostgreSQL ----------------------------------------------------------------
if [ -z "${DBW_BENCH_PG_HOST:-}" ]; then
    "$src/tests/pg/pgctl.sh" start "$host" "$port" >/dev/null
    started=1
fi
psql_admin -c "SELECT 1" >/dev/null || die "cannot reach PostgreSQL at $host port $port"
pgversion=$(psql -X -A -t -d postgres -c "SHOW server_version")
fresh_pg() {   # fresh_pg DB: a new database with the reference schema
    psql_admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
    "$dbw" --db "$(url_of "$1")" --migrations "$src/migrations/postgres" up >/dev/null \
        || die "cannot migrate $1"
}
best() { if [ -z "$1" ] || [ "$2" -lt "$1" ]; then echo "$2"; else echo "$1"; fi; }

# the rows as files, from a first seeded database
export_rows() {
    for t in "${tables[@]}"; do
        # the columns; times written in UTC, as the seed wrote them
        cols=$(psql -X -A -t -d seed_bench -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$t'")
        sel=$(psql -X -A -t -d seed_bench -c "SELECT string_agg(CASE WHEN data_type = 'timestamp with time zone' THEN format('to_char(%I AT TIME ZONE ''UTC'', ''YYYY-MM-DD HH24:MI:SS'')', column_name) ELSE quote_ident(column_name) END, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$t'")
        printf '%s\n' "$cols" >"$work/$t.cols"
        psql -X -q -d seed_bench -c "\\copy (SELECT $sel FROM $t ORDER BY id) TO '$work/$t.tsv'"
    done
    {
        echo "SET TimeZone = 'UTC';"
        echo "BEGIN;"
        for t in "${tables[@]}"; do
            echo "\\copy $t ($(cat "$work/$t.cols")) FROM '$work/$t.tsv'"
        done
        echo "COMMIT;"
    } >"$work/copy.sql"
}

pg_seed() {
    fresh_pg seed_bench
    read -r ms kb < <(timed "$dbw" --db "$(url_of seed_bench)" seed scale --scale "$users" --json)
    pg_rows=$(jq .inserted "$work/last.out")
    pg_ms=$(best "${pg_ms:-}" "$ms")
    pg_kb=$kb
    say "   dbwarden seed: $pg_rows rows in $ms ms"
}
pg_raw() {
    fresh_pg seed_bench_raw
    read -r ms raw_kb < <(timed psql -X -q -v ON_ERROR_STOP=1 -d seed_bench_raw -f "$work/copy.sql")
    raw_ms=$(best "${raw_ms:-}" "$ms")
    say "   psql \\copy:     $files_rows rows in $ms ms"
}

say "== PostgreSQL $pgversion: dbwarden seed scale --scale $users next to psql \\copy of the same rows (same tables and indexes, one transaction), $runs runs"
pg_seed
export_rows
files_rows=$(cat "$work"/*.tsv | wc -l)
[ "$files_rows" = "$pg_rows" ] || die "exported $files_rows rows, seeded $pg_rows"
pg_raw
for ((i = 2; i <= runs; i++)); do
    if ((i % 2 == 0)); then pg_raw; pg_seed; else pg_seed; pg_raw; fi
done

scale=$(( (pg_rows + 99999) / 100000 ))
say "== pgbench -i -s $scale (pgbench_accounts: $((scale * 100000)) rows through COPY, then vacuum and primary keys)"
psql_admin -c "DROP DATABASE IF EXISTS seed_bench_pgbench WITH (FORCE)" -c "CREATE DATABASE seed_bench_pgbench" >/dev/null
read -r pgb_ms pgb_kb < <(timed pgbench -i -q -s "$scale" seed_bench_pgbench)
pgb_rows=$((scale * 100000 + scale * 10 + scale))
say "   $pgb_rows rows in $pgb_ms ms"

# ---- SQLite ------------------------------------------------------------------------
say "== SQLite $(sqlite3 --version | cut -d' ' -f1): dbwarden seed scale --scale $users next to tests/bench/seed_sqlite_loader.c (the same rows from the files), $runs runs"
fresh_sq() { rm -f "$work/$1"; "$dbw" --db "sqlite:///$work/$1" --migrations "$src/migrations/sqlite" up >/dev/null; }
sq_seed() {
    fresh_sq dbw.db
    read -r ms kb < <(timed "$dbw" --db "$work/dbw.db" seed scale --scale "$users" --json)
    sq_rows=$(jq .inserted "$work/last.out")
    sq_ms=$(best "${sq_ms:-}" "$ms")
    sq_kb=$kb
    say "   dbwarden seed: $sq_rows rows in $ms ms"
}
sq_raw() {
    fresh_sq raw.db
    read -r ms loader_kb < <(timed "$work/seed_sqlite_loader" "$work/raw.db" "$work" "${tables[@]}")
    loader_rows=$(awk '{ print $2 }' "$work/last.out")
    loader_ms=$(best "${loader_ms:-}" "$ms")
    say "   loader:        $loader_rows rows in $ms ms"
}
for ((i = 1; i <= runs; i++)); do
    if ((i % 2 == 0)); then sq_raw; sq_seed; else sq_seed; sq_raw; fi
done

# ---- memory at a tenth of the scale ---------------------------------------------
small=$(( users / 10 > 0 ? users / 10 : 1 ))
rm -f "$work/small.db"
"$dbw" --db "sqlite:///$work/small.db" --migrations "$src/migrations/sqlite" up >/dev/null
read -r small_ms small_kb < <(timed "$dbw" --db "$work/small.db" seed scale --scale "$small" --json)

# ---- the table ------------------------------------------------------------------------
pg_rate=$(rate "$pg_rows" "$pg_ms"); raw_rate=$(rate "$files_rows" "$raw_ms")
pgb_rate=$(rate "$pgb_rows" "$pgb_ms")
sq_rate=$(rate "$sq_rows" "$sq_ms"); loader_rate=$(rate "$loader_rows" "$loader_ms")
say ""
say "| measure | dbwarden | compared with | ratio |"
say "| --- | --- | --- | --- |"
say "| PostgreSQL, $pg_rows rows ($users users) | seed: $pg_rate rows/s ($pg_ms ms) | psql \\copy of the same rows: $raw_rate rows/s ($raw_ms ms) | $(ratio "$pg_rate" "$raw_rate") (aim ≥ 0.80) |"
say "| PostgreSQL, pgbench -i | | pgbench -i -s $scale: $pgb_rate rows/s ($pgb_ms ms; 4 narrow tables, no foreign keys, keys made after the load) | $(ratio "$pg_rate" "$pgb_rate") |"
say "| SQLite, $sq_rows rows | seed: $sq_rate rows/s ($sq_ms ms) | prepared-statement loader: $loader_rate rows/s ($loader_ms ms) | $(ratio "$sq_rate" "$loader_rate") (aim ≥ 0.80) |"
say "| peak memory | PostgreSQL $(mb "$pg_kb"), SQLite $(mb "$sq_kb"); at $small users $(mb "$small_kb") | loader $(mb "$loader_kb"), psql $(mb "$raw_kb") | aim < 50 MB |"
