#!/usr/bin/env bash
# Starts the scale-out test servers, each on a port of its own, next to (never touching) the
# shared test databases: a PostgreSQL primary, its streaming-replication hot standby (made
# with pg_basebackup), and pgbouncer in transaction-pooling mode in front of the primary.
# Idempotent (a server already up is left as it is), fast (a fresh cluster, fsync off: test
# data only), and exits non-zero when a server does not come up. `stop.sh` tears it down.
#
#   primary  postgresql://postgres@127.0.0.1:$ATHANOR_SCALE_PRIMARY_PORT/test   (55432)
#   standby  postgresql://postgres@127.0.0.1:$ATHANOR_SCALE_STANDBY_PORT/test   (55433)
#   bouncer  postgresql://postgres@127.0.0.1:$ATHANOR_SCALE_BOUNCER_PORT/test   (56432)
set -euo pipefail
DIR="${ATHANOR_SCALE_DIR:-/tmp/athanor-scale-out}"
PRIMARY_PORT="${ATHANOR_SCALE_PRIMARY_PORT:-55432}"
STANDBY_PORT="${ATHANOR_SCALE_STANDBY_PORT:-55433}"
BOUNCER_PORT="${ATHANOR_SCALE_BOUNCER_PORT:-56432}"

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then echo "scale-out: PostgreSQL server binaries not found (set PG_BIN)"; exit 1; fi

# PostgreSQL and pgbouncer refuse to run as root: run them as the postgres user.
if [ "$(id -u)" = 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ready() { as_pg "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$1" -d postgres; }
wait_ready() { for _ in $(seq 1 100); do ready "$1" && return 0; sleep 0.1; done; echo "scale-out: FAILED: nothing ready on port $1"; return 1; }

mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres "$DIR"

conf() { # data dir, port
  cat >>"$1/postgresql.conf" <<CONF
port = $2
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = replica
max_wal_senders = 5
hot_standby = on
shared_buffers = 16MB
max_connections = 60
max_prepared_transactions = 10
CONF
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n' >"$1/pg_hba.conf"
}

# Primary.
if ! ready "$PRIMARY_PORT"; then
  if [ ! -f "$DIR/primary/PG_VERSION" ]; then
    rm -rf "$DIR/primary" "$DIR/standby"
    as_pg "$PG_BIN/initdb" -D "$DIR/primary" -U postgres -A trust --no-sync >/dev/null
    conf "$DIR/primary" "$PRIMARY_PORT"
  fi
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w -t 30 start >/dev/null
  wait_ready "$PRIMARY_PORT"
fi
if [ "$(as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atc "SELECT count(*) FROM pg_database WHERE datname = 'test'")" = 0 ]; then
  as_pg "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -c 'CREATE DATABASE test'
fi
echo "scale-out: primary on 127.0.0.1:$PRIMARY_PORT"

# Hot standby, streaming from the primary.
if ! ready "$STANDBY_PORT"; then
  if [ ! -f "$DIR/standby/standby.signal" ]; then
    rm -rf "$DIR/standby"
    as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/standby" -R -X stream -c fast --no-sync
    sed -i "/^port = /d" "$DIR/standby/postgresql.conf"
    echo "port = $STANDBY_PORT" >>"$DIR/standby/postgresql.conf"
  fi
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/standby" -l "$DIR/standby.log" -w -t 30 start >/dev/null
  wait_ready "$STANDBY_PORT"
fi
if [ "$(as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$STANDBY_PORT" -U postgres -d postgres -Atc 'SELECT pg_is_in_recovery()')" != t ]; then
  echo "scale-out: FAILED: the server on $STANDBY_PORT is not a standby"; exit 1
fi
echo "scale-out: hot standby on 127.0.0.1:$STANDBY_PORT"

# pgbouncer in transaction mode in front of the primary.
if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q pgbouncer >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q pgbouncer >/dev/null; }
  fi
fi
PGBOUNCER="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
if [ ! -x "$PGBOUNCER" ]; then echo "scale-out: FAILED: pgbouncer is not installed (apt-get install pgbouncer)"; exit 1; fi
if ! up "$BOUNCER_PORT"; then
  cat >"$DIR/pgbouncer.ini" <<INI
[databases]
test = host=127.0.0.1 port=$PRIMARY_PORT dbname=test
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options,search_path
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
INI
  echo '"postgres" ""' >"$DIR/userlist.txt"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR/pgbouncer.ini" "$DIR/userlist.txt"
  as_pg "$PGBOUNCER" -d -q "$DIR/pgbouncer.ini"
  for _ in $(seq 1 50); do up "$BOUNCER_PORT" && break; sleep 0.1; done
  up "$BOUNCER_PORT" || { echo "scale-out: FAILED: pgbouncer did not listen on $BOUNCER_PORT (see $DIR/pgbouncer.log)"; exit 1; }
fi
echo "scale-out: pgbouncer (transaction pooling) on 127.0.0.1:$BOUNCER_PORT"
