#!/bin/sh
# Starts or stops the throwaway PostgreSQL server the tests use.
#   pgctl.sh start DIR PORT     initdb in DIR/data, listen on the socket in DIR only
#   pgctl.sh stop DIR PORT      stop it and delete DIR
# PostgreSQL refuses to run as root: as root the server runs as the postgres
# user (created by Debian's postgresql package).  No TCP: listen_addresses=''.
# Roles: postgres (superuser, trust on the socket), app (password
# 's3cret!pw', scram-sha-256), both local to this server.
set -eu
action=$1 dir=$2 port=$3

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "pgctl: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
    as_pg() { runuser -u postgres -- "$@"; }
    owner=postgres
else
    as_pg() { "$@"; }
    owner=$(id -un)
fi

stop() {
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "$action" in
start)
    stop
    mkdir -p "$dir"
    chown "$owner" "$dir"
    chmod 700 "$dir"
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    cat > "$dir/data/pg_hba.conf" <<HBA
local all postgres trust
local all all scram-sha-256
HBA
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $dir -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    # the directory must be reachable by the test user for the socket
    chmod 755 "$dir"
    psql -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE app LOGIN CREATEDB PASSWORD 's3cret!pw'" >/dev/null
    echo "pgctl: PostgreSQL running on socket $dir port $port"
    ;;
stop)
    stop
    echo "pgctl: PostgreSQL stopped"
    ;;
*)
    echo "usage: pgctl.sh start|stop DIR PORT" >&2
    exit 2
    ;;
esac
