#!/usr/bin/env bash
# Stops what start.sh, galera.sh and mariadb-replica.sh started and removes its data (safe to run when nothing runs).
set -u
DIR="${ATHANOR_SCALE_DIR:-/tmp/athanor-scale-out}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"
if [ "$(id -u)" = 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
if [ -f "$DIR/pgbouncer.pid" ]; then kill "$(cat "$DIR/pgbouncer.pid")" 2>/dev/null; fi
for pidfile in "$DIR"/mariadb-replica/replica.pid "$DIR"/mariadb-replica/primary.pid "$DIR"/galera/node3.pid "$DIR"/galera/node2.pid "$DIR"/galera/node1.pid; do
  if [ -f "$pidfile" ]; then
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  fi
done
for node in standby primary; do
  [ -f "$DIR/$node/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$DIR/$node" -m immediate -w stop >/dev/null 2>&1
done
rm -rf "$DIR"
echo "scale-out: stopped"
