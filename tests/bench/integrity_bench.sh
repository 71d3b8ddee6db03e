#!/bin/bash
# integrity_bench.sh: how fast dbwarden counts the orphans of a foreign key,
# next to the queries a person would write by hand.  Not part of ctest: run
# it by hand, on a release build (`make release`: build/release).
#
#   tests/bench/integrity_bench.sh
#
# PostgreSQL and SQLite: a parent of 1,000,000 rows and a child of
# 10,000,000 (a 60-byte payload each) of which 0.1% (10,000 rows, 7,919
# missing keys) point at no parent, loaded past the key; measured once
# without and once with an index on the child's key, in the same run (best
# of DBW_BENCH_RUNS, every form taken in turn):
#   dbwarden    the foreign key's check (`dbwarden check --only orphans
#               --table ^child$ --json`: its "ms", the time of its own
#               statements; the whole command's time and peak memory beside)
#   NOT EXISTS  SELECT count(*) ... WHERE key IS NOT NULL AND NOT EXISTS
#               (SELECT 1 FROM parent WHERE id = key), as the planner likes it
#   LEFT JOIN   SELECT count(*) ... LEFT JOIN parent ... WHERE parent.id IS NULL
#   PostgreSQL with the index: NOT EXISTS under SET enable_seqscan = off
#   SQLite:     PRAGMA foreign_key_check(child)
# through psql (\timing) and the sqlite3 shell (.timer): query times, as
# dbwarden's "ms" is.  Aims: dbwarden no slower than the best hand-written
# form in each case (it also counts the distinct missing keys), and under
# 30 MB of memory.  The machine is shared: read the ratios.
#
# Environment:
#   DBW_BENCH_PG_HOST, DBW_BENCH_PG_PORT  use this server (socket folder or
#                     host, and port; superuser DBW_BENCH_PG_USER, default
#                     postgres, without a password prompt) instead of starting one
#   DBW_BENCH_KEEP=1  keep the server, the database and the SQLite file; a later
#                     run reuses them when they were built with the same sizes
#   DBW_BENCH_PARENTS, DBW_BENCH_CHILDREN  sizes (default 1000000, 10000000)
#   DBW_BENCH_RUNS    runs of each measurement; the best is kept (default 3)
#   DBW_BENCH_DIR     where the SQLite file and the server go (default a new
#                     folder in /tmp)
#   DBW_BENCH_BIN     the dbwarden binary to time (default build/release/dbwarden,
#                     built with `make release`)
#   DBW_BENCH_ONLY    postgres or sqlite: one engine only
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
parents=${DBW_BENCH_PARENTS:-1000000}
children=${DBW_BENCH_CHILDREN:-10000000}
runs=${DBW_BENCH_RUNS:-3}
keep=${DBW_BENCH_KEEP:-0}
only=${DBW_BENCH_ONLY:-}
db=dbw_integrity_bench
work=${DBW_BENCH_DIR:-$(mktemp -d /tmp/dbwarden-ibench.XXXXXX)}
mkdir -p "$work"
chmod 755 "$work"
started=0
summary=()

say() { printf '%s\n' "$*"; }
die() { printf 'integrity_bench: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
psql_admin() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -d postgres "$@"; }

if [ -n "${DBW_BENCH_PG_HOST:-}" ]; then
    host=$DBW_BENCH_PG_HOST
    port=${DBW_BENCH_PG_PORT:-5432}
else
    host=$work/pg
    port=${DBW_BENCH_PG_PORT:-54349}
fi
user=${DBW_BENCH_PG_USER:-postgres}
export PGHOST=$host PGPORT=$port PGUSER=$user
url="postgresql://$user@/$db?host=$host&port=$port"
sq=$work/integrity_bench.db
psql_db() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

cleanup() {
    local rc=$?
    if [ "$keep" = 1 ]; then
        say "kept: $work (SQLite file), database $db on $host port $port" \
            "(rerun with DBW_BENCH_DIR=$work DBW_BENCH_PG_HOST=$host DBW_BENCH_PG_PORT=$port;" \
            "stop it with tests/pg/pgctl.sh stop $host $port)"
    else
        if [ "$started" = 1 ]; then
            "$src/tests/pg/pgctl.sh" stop "$host" "$port" >/dev/null 2>&1 || true
        elif [ -n "${DBW_BENCH_PG_HOST:-}" ]; then
            psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
        fi
        [ -n "${DBW_BENCH_DIR:-}" ] || rm -rf "$work"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- measuring -----------------------------------------------------------

# best LIST: the smallest number of a space-separated list
best() { printf '%s\n' $1 | sort -n | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
verdict() { awk -v r="$1" -v aim="$2" 'BEGIN { print (r <= aim) ? "met" : "NOT met" }'; }

# pg_ms SETTINGS QUERY: the query's time (psql \timing), in ms
pg_ms() {
    psql_db -c '\timing on' ${1:+-c "$1"} -c "$2" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' \
        | tail -n 1
}
# sq_ms QUERY: the statement's real time (sqlite3 .timer), in ms
sq_ms() {
    printf '.timer on\n%s;\n' "$1" | sqlite3 "$sq" 2>&1 | sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p' \
        | tail -n 1 | awk '{ printf "%.1f", $1 * 1000 }'
}
# dbw_run URL: "check_ms wall_ms count distinct" of the child's foreign key
dbw_run() {
    local t0 out
    t0=$(now_ms)
    out=$("$dbw" --db "$1" --read-only check --only orphans --table '^child$' --json \
          2>"$work/err" || true)
    local wall=$(( $(now_ms) - t0 ))
    printf '%s' "$out" | jq -r --arg w "$wall" '.checks[] | select(.kind == "foreign_key") |
        "\(.ms) \($w) \(.count) \(.distinct_keys)"'
}
# rss_mb CMD...: the peak memory (max RSS) of CMD, in MB (check exits 1
# when it finds orphans: its status is not a failure here)
rss_mb() {
    { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -n 1 \
        | awk '{ printf "%.0f", $1 / 1024 }'
}

# measure ENGINE CASE: every form $runs times in turn; prints the table
measure() {
    local engine=$1 case=$2 names=() queries=() sets=() i r t
    local q_ne="SELECT count(*) FROM child c WHERE c.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM parent p WHERE p.id = c.parent_id)"
    local q_lj="SELECT count(*) FROM child c LEFT JOIN parent p ON p.id = c.parent_id WHERE c.parent_id IS NOT NULL AND p.id IS NULL"
    names+=("NOT EXISTS"); queries+=("$q_ne"); sets+=("")
    names+=("LEFT JOIN ... IS NULL"); queries+=("$q_lj"); sets+=("")
    if [ "$engine" = postgres ] && [ "$case" = "with index" ]; then
        names+=("NOT EXISTS, enable_seqscan = off"); queries+=("$q_ne"); sets+=("SET enable_seqscan = off")
    fi
    if [ "$engine" = sqlite ]; then
        names+=("PRAGMA foreign_key_check(child)"); queries+=("PRAGMA foreign_key_check(child)"); sets+=("")
    fi
    local n=${#names[@]} dbw_ms='' wall='' count='' distinct=''
    local -a times
    for i in $(seq 0 $((n - 1))); do times[$i]=''; done
    for r in $(seq "$runs"); do
        local line
        if [ "$engine" = postgres ]; then line=$(dbw_run "$url"); else line=$(dbw_run "sqlite:///$sq"); fi
        [ -n "$line" ] || die "dbwarden check failed: $(head -c 300 "$work/err")"
        read -r t w count distinct <<<"$line"
        dbw_ms="$dbw_ms $t"
        wall="$wall $w"
        for i in $(seq 0 $((n - 1))); do
            if [ "$engine" = postgres ]; then t=$(pg_ms "${sets[$i]}" "${queries[$i]}")
            else t=$(sq_ms "${queries[$i]}"); fi
            [ -n "$t" ] || die "${names[$i]} failed"
            times[$i]="${times[$i]} $t"
        done
    done
    local d b bestname='' bestms='' m
    d=$(best "$dbw_ms")
    say "   dbwarden: $d ms (the whole command: $(best "$wall") ms; $count rows, $distinct missing keys)"
    for i in $(seq 0 $((n - 1))); do
        b=$(best "${times[$i]}")
        say "   $(printf '%-34s' "${names[$i]}:") $b ms   dbwarden/this $(ratio "$d" "$b")"
        if [ -z "$bestms" ] || awk -v a="$b" -v c="$bestms" 'BEGIN { exit !(a < c) }'; then
            bestms=$b; bestname=${names[$i]}
        fi
    done
    local rr
    rr=$(ratio "$d" "$bestms")
    say "   best hand-written: $bestname, $bestms ms; dbwarden/best $rr (aim <= 1: $(verdict "$rr" 1.0))"
    if [ "$engine" = postgres ]; then
        m=$(rss_mb "$dbw" --db "$url" --read-only check --only orphans --table '^child$' --json)
    else
        m=$(rss_mb "$dbw" --db "sqlite:///$sq" --read-only check --only orphans --table '^child$' --json)
    fi
    say "   dbwarden's peak memory: $m MB (aim < 30 MB: $(verdict "$m" 29))"
    local label=PostgreSQL
    [ "$engine" = sqlite ] && label=SQLite
    summary+=("$label, $case|$d ms|$bestname: $bestms ms|$rr|$m MB")
}

# ---- the binary ------------------------------------------------------------
dbw=${DBW_BENCH_BIN:-$src/build/release/dbwarden}
if [ -z "${DBW_BENCH_BIN:-}" ]; then
    say "== building (make release; build/release)"
    make -C "$src" release >"$work/make.log" 2>&1 || { tail -n 20 "$work/make.log"; die "make failed"; }
fi
[ -x "$dbw" ] || die "no $dbw"
command -v jq >/dev/null || die "jq is needed"

payload="repeat('x', 60)"
orphan_key="CASE WHEN i % 1000 = 0 THEN $parents + (i % 7919) + 1 ELSE 1 + (i * 7919) % $parents END"

# ---- PostgreSQL --------------------------------------------------------------
if [ "$only" != sqlite ]; then
    if [ -z "${DBW_BENCH_PG_HOST:-}" ] && ! psql_admin -c "SELECT 1" >/dev/null 2>&1; then
        "$src/tests/pg/pgctl.sh" start "$host" "$port" >/dev/null
        started=1
    fi
    psql_admin -c "SELECT 1" >/dev/null || die "cannot reach PostgreSQL at $host port $port"
    say "== PostgreSQL $(psql_admin -A -t -c 'SHOW server_version')"
    have=$(psql -X -q -A -t -d "$db" -c "SELECT sizes FROM bench_meta" 2>/dev/null || true)
    if [ "$have" = "$parents $children" ]; then
        say "   reusing database $db"
    else
        psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
        psql_admin -c "CREATE DATABASE $db" >/dev/null
        t0=$(now_ms)
        psql_db -c "CREATE TABLE parent (id bigint PRIMARY KEY, name text)" \
            -c "CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id), payload text)" \
            -c "SET session_replication_role = replica" \
            -c "INSERT INTO parent SELECT i, 'parent ' || i FROM generate_series(1, $parents) i" \
            -c "INSERT INTO child SELECT i, $orphan_key, $payload FROM generate_series(1, $children::bigint) i" \
            -c "VACUUM ANALYZE parent" -c "VACUUM ANALYZE child" \
            -c "CREATE TABLE bench_meta (sizes text PRIMARY KEY)" \
            -c "INSERT INTO bench_meta VALUES ('$parents $children')"
        say "   built in $(( ($(now_ms) - t0) / 1000 )) s"
    fi
    psql_db -c "DROP INDEX IF EXISTS child_parent_idx" -c "VACUUM ANALYZE child"
    say "== PostgreSQL, without an index on child.parent_id (best of $runs)"
    measure postgres "without index"
    psql_db -c "CREATE INDEX child_parent_idx ON child (parent_id)" -c "VACUUM ANALYZE child"
    say "== PostgreSQL, with an index on child.parent_id (best of $runs)"
    measure postgres "with index"
fi

# ---- SQLite ---------------------------------------------------------------------
if [ "$only" != postgres ]; then
    say "== SQLite $(sqlite3 --version | cut -d' ' -f1)"
    have=$(sqlite3 "$sq" "SELECT sizes FROM bench_meta" 2>/dev/null || true)
    if [ "$have" = "$parents $children" ]; then
        say "   reusing $sq"
    else
        rm -f "$sq"
        t0=$(now_ms)
        sqlite3 "$sq" "PRAGMA journal_mode = off; PRAGMA synchronous = off;
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), payload TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $parents)
INSERT INTO parent SELECT i, 'parent ' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $children)
INSERT INTO child SELECT i, $orphan_key, printf('%.60c', 'x') FROM n;
CREATE TABLE bench_meta (sizes TEXT PRIMARY KEY);
INSERT INTO bench_meta VALUES ('$parents $children');
ANALYZE;" >/dev/null
        say "   built in $(( ($(now_ms) - t0) / 1000 )) s"
    fi
    sqlite3 "$sq" "DROP INDEX IF EXISTS child_parent_idx; ANALYZE;"
    say "== SQLite, without an index on child.parent_id (best of $runs)"
    measure sqlite "without index"
    sqlite3 "$sq" "CREATE INDEX child_parent_idx ON child (parent_id); ANALYZE;"
    say "== SQLite, with an index on child.parent_id (best of $runs)"
    measure sqlite "with index"
fi

say ""
say "| case | dbwarden | best hand-written form | ratio | peak memory |"
say "| --- | --- | --- | --- | --- |"
for row in "${summary[@]}"; do
    IFS='|' read -r a b c d e <<<"$row"
    say "| $a | $b | $c | $d | $e |"
done
