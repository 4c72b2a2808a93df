/**
 * The MariaDB primary and its GTID replica `scripts/scale-out/mariadb-replica.sh` starts, on
 * ports of their own (the shared server on 3306 writes no binary log). Unreachable: the
 * suites skip with one loud line on a developer's machine and fail under CI / `pnpm test`.
 */
import { liveServer } from '@athanor/testing';

export const PRIMARY_URL = process.env.ATHANOR_MARIADB_PRIMARY_URL ?? 'mysql://root@127.0.0.1:33070/test';
export const REPLICA_URL = process.env.ATHANOR_MARIADB_REPLICA_URL ?? 'mysql://root@127.0.0.1:33071/test';

const hint = 'start it with `bash scripts/scale-out/mariadb-replica.sh`';
export const primary = liveServer('MariaDB replication primary', PRIMARY_URL, `ATHANOR_MARIADB_PRIMARY_URL; ${hint}`);
export const replica = liveServer('MariaDB replica', REPLICA_URL, `ATHANOR_MARIADB_REPLICA_URL; ${hint}`);
