#!/usr/bin/env bash
# Starts the local PostgreSQL and MariaDB servers when they are installed but stopped, then
# checks that both servers the tests use (ATHANOR_PG_URL / ATHANOR_MYSQL_URL, or the local
# defaults) accept connections. Safe to run repeatedly; prints one line per server and exits
# non-zero when either is not reachable, so `pnpm test` and CI cannot pass without them.
set -u
PG_URL="${ATHANOR_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
MY_URL="${ATHANOR_MYSQL_URL:-mysql://root@127.0.0.1:3306/test}"
# host and port of a URL (WHATWG parsing: IPv6 brackets, passwords with ':' or '@').
hostport() { node -e 'const u=new URL(process.argv[1]);process.stdout.write(`${u.hostname.replace(/^\[|\]$/g,"")||"127.0.0.1"} ${u.port||process.argv[2]}`)' "$1" "$2"; }
read -r PG_HOST PG_PORT < <(hostport "$PG_URL" 5432)
read -r MY_HOST MY_PORT < <(hostport "$MY_URL" 3306)
up() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_up() { for _ in $(seq 1 60); do up "$1" "$2" && return 0; sleep 0.5; done; return 1; }
local_host() { [ "$1" = 127.0.0.1 ] || [ "$1" = localhost ] || [ "$1" = ::1 ]; }
status=0

if up "$PG_HOST" "$PG_PORT"; then echo "postgres: running on $PG_HOST:$PG_PORT"
elif local_host "$PG_HOST" && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  if wait_up "$PG_HOST" "$PG_PORT"; then echo "postgres: started"; else echo "postgres: FAILED to start (nothing listens on $PG_HOST:$PG_PORT)"; status=1; fi
else echo "postgres: NOT reachable at $PG_HOST:$PG_PORT and not installed here (install it, or set ATHANOR_PG_URL to a running server)"; status=1; fi

if up "$MY_HOST" "$MY_PORT"; then echo "mariadb: running on $MY_HOST:$MY_PORT"
elif local_host "$MY_HOST" && [ -x /usr/sbin/mariadbd ]; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  if wait_up "$MY_HOST" "$MY_PORT"; then echo "mariadb: started"; else echo "mariadb: FAILED to start (nothing listens on $MY_HOST:$MY_PORT)"; status=1; fi
else echo "mariadb: NOT reachable at $MY_HOST:$MY_PORT and not installed here (install it, or set ATHANOR_MYSQL_URL to a running server)"; status=1; fi
exit $status
