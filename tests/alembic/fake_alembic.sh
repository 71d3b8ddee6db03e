#!/bin/sh
# A stand-in for alembic in dbwarden's run tests.  Prints its arguments
# (stdout) and a line on stderr, then waits for the file named by FAKE_GO
# (the test creates it when the first line reached it, so the run only
# goes on when output is streamed as it comes), then exits FAKE_EXIT.
echo "args: $*"
echo "on stderr" >&2
i=0
while [ ! -e "${FAKE_GO:-/nonexistent}" ] && [ "$i" -lt 100 ]; do
    sleep 0.05
    i=$((i + 1))
done
if [ -e "${FAKE_GO:-/nonexistent}" ]; then echo "went on"; else echo "timed out"; fi
printf 'no newline at the end'
exit "${FAKE_EXIT:-0}"
