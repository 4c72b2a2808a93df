#!/usr/bin/env bash
# Starts a three-node MariaDB Galera cluster on ports of its own (SQL 33061-33063), from the
# machine's MariaDB and the galera-4 provider (installed with apt-get when missing):
# node 1 bootstraps the cluster, nodes 2 and 3 join it by rsync state transfer. Idempotent,
# exits non-zero when a node does not come up or the cluster is not three nodes. Test data
# only (no fsync); `stop.sh` tears it down with the rest.
set -euo pipefail
DIR="${ATHANOR_SCALE_DIR:-/tmp/athanor-scale-out}/galera"
BASE_PORT="${ATHANOR_GALERA_BASE_PORT:-33060}"
PROVIDER="$(ls /usr/lib/galera/libgalera_smm.so /usr/lib/galera-4/libgalera_smm.so 2>/dev/null | head -n1 || true)"
if [ -z "$PROVIDER" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q galera-4 rsync >/dev/null
  PROVIDER="$(ls /usr/lib/galera/libgalera_smm.so /usr/lib/galera-4/libgalera_smm.so 2>/dev/null | head -n1 || true)"
fi
if [ -z "$PROVIDER" ]; then echo "galera: FAILED: the galera-4 provider is not installed (apt-get install galera-4)"; exit 1; fi
if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u mysql --); OWNER=mysql; else RUN_AS=(); OWNER="$(id -un)"; fi
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
sql() { mariadb -h127.0.0.1 -P"$1" -uroot -N -B -e "$2"; }
mkdir -p "$DIR"
chown "$OWNER" "$DIR" "$(dirname "$DIR")" 2>/dev/null || true
PEERS="gcomm://127.0.0.1:$((BASE_PORT + 4611)),127.0.0.1:$((BASE_PORT + 4612)),127.0.0.1:$((BASE_PORT + 4613))"

start_node() { # n, extra args
  local n=$1; shift
  local port=$((BASE_PORT + n)) gport=$((BASE_PORT + 4610 + n)) ist=$((BASE_PORT + 4620 + n)) sst=$((BASE_PORT + 4630 + n))
  local data="$DIR/node$n"
  up "$port" && { echo "galera: node $n on 127.0.0.1:$port"; return 0; }
  cat >"$DIR/node$n.cnf" <<CNF
[mariadbd]
datadir=$data
socket=$DIR/node$n.sock
pid-file=$DIR/node$n.pid
log-error=$DIR/node$n.err
port=$port
bind-address=127.0.0.1
skip-name-resolve
innodb_buffer_pool_size=32M
innodb_flush_log_at_trx_commit=0
innodb_autoinc_lock_mode=2
default_storage_engine=InnoDB
binlog_format=ROW
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=athanor_test
wsrep_cluster_address=$PEERS
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$gport
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$gport;ist.recv_addr=127.0.0.1:$ist;gcache.size=32M"
wsrep_sst_method=rsync
# Tables without a primary key are refused (Galera cannot certify their rows reliably).
wsrep_mode=REQUIRED_PRIMARY_KEY
wsrep_sst_receive_address=127.0.0.1:$sst
CNF
  if [ ! -d "$data/mysql" ]; then
    mkdir -p "$data"
    chown "$OWNER" "$data" "$DIR/node$n.cnf"
    if [ "$n" = 1 ]; then
      mariadb-install-db --defaults-file="$DIR/node$n.cnf" --user="$OWNER" --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
    fi
  fi
  "${RUN_AS[@]}" mariadbd --defaults-file="$DIR/node$n.cnf" "$@" >/dev/null 2>&1 &
  for _ in $(seq 1 300); do up "$port" && break; sleep 0.1; done
  up "$port" || { echo "galera: FAILED: node $n did not listen on $port (see $DIR/node$n.err)"; exit 1; }
  echo "galera: node $n on 127.0.0.1:$port"
}

if up $((BASE_PORT + 1)) || up $((BASE_PORT + 2)) || up $((BASE_PORT + 3)); then
  for n in 1 2 3; do start_node "$n"; done
else
  start_node 1 --wsrep-new-cluster
  sql $((BASE_PORT + 1)) "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; CREATE DATABASE IF NOT EXISTS test" 2>/dev/null \
    || mariadb -S "$DIR/node1.sock" -uroot -e "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; CREATE DATABASE IF NOT EXISTS test"
  start_node 2
  start_node 3
fi
for _ in $(seq 1 300); do
  [ "$(sql $((BASE_PORT + 3)) "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'wsrep_cluster_size'" 2>/dev/null)" = 3 ] \
    && [ "$(sql $((BASE_PORT + 3)) "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'wsrep_local_state_comment'" 2>/dev/null)" = Synced ] && break
  sleep 0.1
done
size="$(sql $((BASE_PORT + 1)) "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'wsrep_cluster_size'" 2>/dev/null || echo 0)"
[ "$size" = 3 ] || { echo "galera: FAILED: cluster size is $size, not 3 (see $DIR/node*.err)"; exit 1; }
echo "galera: cluster of 3 nodes synced"
