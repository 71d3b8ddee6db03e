#!/bin/sh
# A PostgreSQL backup killed with SIGKILL at random moments leaves no
# passfile (nor anything else of ours) in $TMPDIR and no pg_dump running;
# the next backup removes the temporary dumps the killed ones left.  pg_dump
# sees only the environment it needs: no DATABASE_URL, no PGPASSWORD.
#   test_cli_backup_kill.sh BIN SRC
. "$(dirname "$0")/lib.sh"

pg_createdb cli_kill
URL="postgresql://app:s3cret%21pw@/cli_kill?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
PGPASSWORD='s3cret!pw' psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U app -d cli_kill -v ON_ERROR_STOP=1 \
    -c "CREATE TABLE big AS SELECT i, md5(i::text) AS v, repeat(md5((i * 7)::text), 6) AS w
        FROM generate_series(1, 500000) AS i"
mkdir tmp
export TMPDIR="$T/tmp"
# an absolute backup folder, so that pg_dump's command line names this test
printf '[backup]\ndir = %s/backups\n' "$T" > dbwarden.ini
host=$(hostname | tr -c 'A-Za-z0-9._\n-' '_')

# ms N: a random number of milliseconds below N, as seconds for sleep
ms() { printf '0.%03d' $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1 )); }
# ours: processes whose command line names this test's folder
ours() { pgrep -f -- "$T/backups" || true; }

i=0
while [ $i -lt 8 ]; do
    i=$((i + 1))
    "$BIN" --db "$URL" backup >kill$i.out 2>kill$i.err &
    pid=$!
    if [ $((i % 2)) -eq 1 ]; then
        # while pg_dump runs: wait for it to start, then a little more
        n=0
        while [ -z "$(ours)" ] && [ $n -lt 200 ]; do sleep 0.02; n=$((n + 1)); done
        [ -n "$(ours)" ] || echo "kill $i: pg_dump never seen running" >&2
        sleep "$(ms 300)"
    else
        sleep "$(ms 900)" # any moment
    fi
    kill -9 $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    n=0
    # it dies with dbwarden (an orphan would write on for seconds)
    while [ -n "$(ours)" ] && [ $n -lt 10 ]; do sleep 0.1; n=$((n + 1)); done
    if [ -n "$(ours)" ]; then fail "kill $i: a pg_dump runs on: $(ours | tr '\n' ' ')"; ours | xargs -r kill -9
    else ok "kill $i: no pg_dump left running"; fi
    if [ -n "$(ls -A tmp)" ]; then fail "kill $i: left in \$TMPDIR: $(ls -A tmp)"; rm -rf tmp/* tmp/.[!.]*
    else ok "kill $i: nothing left in \$TMPDIR"; fi
done

# the temporary dumps the killed backups left (if any) are swept by the
# next backup, which leaves a stale file of a live process and of another
# machine alone
gone=$(sh -c 'echo $$')
touch "backups/.cli_kill-20200101T000000Z.dump.tmp-$host-$gone-AbC123"
touch "backups/.cli_kill-20200101T000000Z.dump.tmp-$host-$$-AbC123"
touch "backups/.cli_kill-20200101T000000Z.dump.tmp-another.host-$gone-AbC123"
echo "before the sweep: $(ls -A backups | grep -c '^\.') temporary file(s)"
run after 0 --db "$URL" backup
left=$(ls -A backups | grep '^\.' | sort | tr '\n' ' ')
want=$(printf '%s\n' ".cli_kill-20200101T000000Z.dump.tmp-$host-$$-AbC123" \
    ".cli_kill-20200101T000000Z.dump.tmp-another.host-$gone-AbC123" | sort | tr '\n' ' ')
[ "$left" = "$want" ] && ok "stale temporary dumps swept, the others kept" \
    || fail "temporary files after the sweep: '$left', expected '$want'"
[ -z "$(ls -A tmp)" ] && ok "nothing in \$TMPDIR after a whole backup" || fail "left in \$TMPDIR: $(ls -A tmp)"

# what pg_dump sees of our environment
real=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
mkdir tools
cat > tools/pg_dump <<EOF
#!/bin/sh
case "\$1" in --version) exec "$real/pg_dump" "\$@";; esac
env > "$T/tools/env"
ls -l /proc/self/fd/ > "$T/tools/fds"
exec "$real/pg_dump" "\$@"
EOF
chmod 755 tools/pg_dump
if env DBWARDEN_PG_PATH="$T/tools:$real" DATABASE_URL="$URL" PGPASSWORD=wrong SOME_TOKEN=t0ken \
    LC_TIME=C.UTF-8 "$BIN" backup >env.out 2>env.err; then ok "backup through DATABASE_URL"
else fail "backup through DATABASE_URL failed"; cat env.err >&2; fi
for v in PATH HOME TMPDIR PGHOST PGPORT LC_TIME; do has tools/env "$v="; done
for v in DATABASE_URL PGPASSWORD SOME_TOKEN DBWARDEN_PG_PATH ASAN_OPTIONS; do lacks tools/env "$v="; done
lacks tools/env "s3cret"
has tools/fds "memfd:dbwarden-pgpass"
# descriptors: 0-2 and the passfile on 3 (ls adds the folder it reads)
if grep -E ' ([4-9]|[1-9][0-9]+) -> ' tools/fds | grep -v ' -> /proc/' | grep -q .; then
    fail "pg_dump got descriptors of ours it does not need"; cat tools/fds >&2
else ok "pg_dump gets only the descriptors it needs"; fi

for f in *.out *.err; do
    if grep -qF 's3cret' "$f"; then fail "$f shows the password"; fi
done
finish
