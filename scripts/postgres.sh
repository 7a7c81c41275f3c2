#!/usr/bin/env bash
# A throwaway PostgreSQL server for the database example's tests (tests/database.rs): a fresh
# cluster in a temporary directory, listening on 127.0.0.1 only, with a non-superuser role and a
# database that role owns.
#
#   eval "$(scripts/postgres.sh start)"   # the last line printed is `export MCP_TEST_POSTGRES_URL=...`
#   cargo test --test database
#   scripts/postgres.sh stop              # stops the server and removes its directory
#
# Uses the newest /usr/lib/postgresql/*/bin; when there is none, installs Debian's `postgresql`
# package (root only, as in CI). The cluster belongs to the `postgres` user when run as root,
# since initdb refuses to run as root; otherwise to the calling user.
#
# Environment:
#   MCP_TEST_POSTGRES_PORT   the first port to try (default 55432; the next free one is used)
#   MCP_TEST_POSTGRES_STATE  where the cluster's directory is remembered between start and stop
#                            (default ${TMPDIR:-/tmp}/mcp-test-postgres.state)
# Everything but the final export line goes to stderr, so that `eval` sees only that line.
set -euo pipefail

state_file=${MCP_TEST_POSTGRES_STATE:-${TMPDIR:-/tmp}/mcp-test-postgres.state}
role=mcp_test
password=mcp_test_password
database=mcp_test

log() { echo "postgres.sh: $*" >&2; }
die() {
    log "$*"
    exit 1
}

# The newest installed PostgreSQL's bin directory, or nothing.
find_bin() {
    local dir
    dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [[ -n $dir && -x $dir/initdb ]]; then
        echo "$dir"
    fi
}

install_postgres() {
    [[ $EUID -eq 0 ]] || die "no PostgreSQL under /usr/lib/postgresql and not root: install the postgresql package"
    command -v apt-get > /dev/null || die "no PostgreSQL under /usr/lib/postgresql and no apt-get to install it"
    log "installing PostgreSQL (Debian package postgresql)"
    # Only our throwaway cluster is wanted, not the package's default one on port 5432.
    mkdir -p /etc/postgresql-common
    if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
        echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
}

# Runs a command as the cluster's owner.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_is_free() {
    ! (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null
}

url_of() {
    echo "postgres://$role:$password@127.0.0.1:$1/$database"
}

start() {
    if [[ -f $state_file ]]; then
        local dir port
        read -r dir port < "$state_file"
        if [[ -d $dir/data ]] && as_owner "$(find_bin)/pg_ctl" -D "$dir/data" status > /dev/null 2>&1; then
            log "already running on port $port ($dir)"
            echo "export MCP_TEST_POSTGRES_URL=$(url_of "$port")"
            return
        fi
        rm -f "$state_file"
    fi
    local bin
    bin=$(find_bin)
    if [[ -z $bin ]]; then
        install_postgres
        bin=$(find_bin)
        [[ -n $bin ]] || die "PostgreSQL was installed but no initdb is under /usr/lib/postgresql/*/bin"
    fi
    local port=${MCP_TEST_POSTGRES_PORT:-55432}
    while ! port_is_free "$port"; do
        port=$((port + 1))
    done
    local dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/mcp-test-postgres.XXXXXX")
    if [[ $EUID -eq 0 ]]; then
        id postgres > /dev/null 2>&1 || die "running as root, but there is no postgres user to own the cluster"
        chown postgres: "$dir"
    fi
    chmod 700 "$dir"
    log "creating a cluster in $dir with $bin"
    as_owner "$bin/initdb" -D "$dir/data" --username=postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off" start > /dev/null \
        || { cat "$dir/server.log" >&2; die "the server did not start"; }
    echo "$dir $port" > "$state_file"
    as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres >&2 << SQL
CREATE ROLE $role LOGIN PASSWORD '$password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE $database OWNER $role;
SQL
    log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listens on 127.0.0.1:$port (role $role, database $database)"
    echo "export MCP_TEST_POSTGRES_URL=$(url_of "$port")"
}

stop() {
    if [[ ! -f $state_file ]]; then
        log "nothing to stop ($state_file does not exist)"
        return
    fi
    local dir port bin
    read -r dir port < "$state_file"
    bin=$(find_bin)
    if [[ -n $bin && -d $dir/data ]]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null 2>&1 || log "the server in $dir was not running"
    fi
    rm -rf "$dir"
    rm -f "$state_file"
    log "stopped the server on port $port and removed $dir"
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: $0 start|stop" >&2
        exit 2
        ;;
esac
