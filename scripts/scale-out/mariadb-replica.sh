#!/usr/bin/env bash
# Starts a MariaDB primary and its replica (GTID replication) on ports of their own, from the
# machine's MariaDB: the shared test server on 3306 writes no binary log, so the pair is its
# own. One datadir is made with mariadb-install-db and copied for the replica (both start
# from the same state), each server gets its server_id, and the replica follows the primary
# from its first binlog event with MASTER_USE_GTID=slave_pos. Idempotent, exits non-zero when
# a server does not come up or the replica does not replicate. Test data only (no fsync);
# `stop.sh` tears it down with the rest.
#
#   primary  mysql://root@127.0.0.1:$ATHANOR_MARIADB_PRIMARY_PORT/test  (33070, @@server_id 1)
#   replica  mysql://root@127.0.0.1:$ATHANOR_MARIADB_REPLICA_PORT/test  (33071, @@server_id 2)
set -euo pipefail
DIR="${ATHANOR_SCALE_DIR:-/tmp/athanor-scale-out}/mariadb-replica"
PRIMARY_PORT="${ATHANOR_MARIADB_PRIMARY_PORT:-33070}"
REPLICA_PORT="${ATHANOR_MARIADB_REPLICA_PORT:-33071}"
if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u mysql --); OWNER=mysql; else RUN_AS=(); OWNER="$(id -un)"; fi
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
sql() { mariadb -h127.0.0.1 -P"$1" -uroot -N -B -e "$2"; }
mkdir -p "$DIR"
chown "$OWNER" "$DIR" 2>/dev/null || true

config() { # name, port, server id, extra settings
  cat >"$DIR/$1.cnf" <<CNF
[mariadbd]
datadir=$DIR/$1
socket=$DIR/$1.sock
pid-file=$DIR/$1.pid
log-error=$DIR/$1.err
port=$2
bind-address=127.0.0.1
skip-name-resolve
server_id=$3
log_bin=$DIR/$1-bin
binlog_format=ROW
log_slave_updates=ON
innodb_buffer_pool_size=32M
innodb_flush_log_at_trx_commit=0
sync_binlog=0
${4:-}
CNF
  chown "$OWNER" "$DIR/$1.cnf"
}

start() { # name, port
  up "$2" && return 0
  "${RUN_AS[@]}" mariadbd --defaults-file="$DIR/$1.cnf" >/dev/null 2>&1 &
  for _ in $(seq 1 300); do up "$2" && return 0; sleep 0.1; done
  echo "mariadb-replica: FAILED: the $1 did not listen on $2 (see $DIR/$1.err)"
  exit 1
}

# Local (socket) statements kept out of the binary log: each server gets its own TCP root
# login and test database, and the replica replays only what the tests do on the primary.
local_setup() { # name
  mariadb -S "$DIR/$1.sock" -uroot -e "SET sql_log_bin = 0; CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; CREATE DATABASE IF NOT EXISTS test"
}

fresh=0
if ! up "$PRIMARY_PORT" && [ ! -d "$DIR/primary/mysql" ]; then
  rm -rf "$DIR/primary" "$DIR/replica" "$DIR"/*-bin.*
  config primary "$PRIMARY_PORT" 1
  # Read-only for ordinary users; replication (and root, with READ ONLY ADMIN) still writes.
  config replica "$REPLICA_PORT" 2 read_only=ON
  mkdir -p "$DIR/primary"
  chown "$OWNER" "$DIR/primary"
  mariadb-install-db --defaults-file="$DIR/primary.cnf" --user="$OWNER" --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1 \
    || { echo "mariadb-replica: FAILED: mariadb-install-db (see $DIR/primary.err)"; exit 1; }
  # Whatever the bootstrap logged is dropped: the copy is the replica's starting point, and
  # the primary's binary log begins after it.
  rm -f "$DIR"/primary-bin.*
  cp -a "$DIR/primary" "$DIR/replica"
  fresh=1
fi
start primary "$PRIMARY_PORT"
start replica "$REPLICA_PORT"
if [ "$fresh" = 1 ]; then
  local_setup primary
  local_setup replica
  mariadb -S "$DIR/replica.sock" -uroot -e "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = $PRIMARY_PORT, MASTER_USER = 'root', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1; START SLAVE"
fi

# The replica is replicating: both threads run, and a marker written on the primary arrives.
marker="$(date +%s%N)"
sql "$PRIMARY_PORT" "CREATE TABLE IF NOT EXISTS test.athanor_replica_ready (id INT PRIMARY KEY, mark BIGINT); REPLACE INTO test.athanor_replica_ready VALUES (1, $marker)"
for _ in $(seq 1 300); do
  [ "$(sql "$REPLICA_PORT" "SELECT mark FROM test.athanor_replica_ready WHERE id = 1" 2>/dev/null || true)" = "$marker" ] && break
  sleep 0.1
done
if [ "$(sql "$REPLICA_PORT" "SELECT mark FROM test.athanor_replica_ready WHERE id = 1" 2>/dev/null || true)" != "$marker" ]; then
  echo "mariadb-replica: FAILED: the replica on $REPLICA_PORT does not replicate (see SHOW SLAVE STATUS there and $DIR/replica.err)"
  exit 1
fi
echo "mariadb-replica: primary on 127.0.0.1:$PRIMARY_PORT, replica (GTID) on 127.0.0.1:$REPLICA_PORT"
