#!/usr/bin/env bash
# Starts the local PostgreSQL and MariaDB servers when they are installed but stopped.
# Safe to run repeatedly; prints one line per server.
set -u
pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
my_up() { (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null; }

if pg_up; then echo "postgres: running on 127.0.0.1:5432"
elif command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start && echo "postgres: started"
else echo "postgres: not installed here (set ATHANOR_PG_URL to a server)"; fi

if my_up; then echo "mariadb: running on 127.0.0.1:3306"
elif [ -x /usr/sbin/mariadbd ]; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 30); do my_up && break; sleep 0.5; done
  my_up && echo "mariadb: started" || echo "mariadb: failed to start"
else echo "mariadb: not installed here (set ATHANOR_MYSQL_URL to a server)"; fi
exit 0
