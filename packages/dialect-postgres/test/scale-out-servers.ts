/**
 * The scale-out servers `scripts/scale-out/start.sh` starts (a primary, its hot standby and
 * pgbouncer in transaction mode), on ports of their own. Unreachable: the suites skip with one
 * loud line on a developer's machine and fail under CI / `pnpm test`, like every live suite.
 */
import { liveServer } from '@athanor/testing';

export const PRIMARY_URL = process.env.ATHANOR_SCALE_PRIMARY_URL ?? 'postgresql://postgres@127.0.0.1:55432/test';
export const STANDBY_URL = process.env.ATHANOR_SCALE_STANDBY_URL ?? 'postgresql://postgres@127.0.0.1:55433/test';
export const BOUNCER_URL = process.env.ATHANOR_SCALE_BOUNCER_URL ?? 'postgresql://postgres@127.0.0.1:56432/test';

const hint = 'start it with `bash scripts/scale-out/start.sh`';
export const primary = liveServer('PostgreSQL scale-out primary', PRIMARY_URL, `ATHANOR_SCALE_PRIMARY_URL; ${hint}`);
export const standby = liveServer('PostgreSQL scale-out hot standby', STANDBY_URL, `ATHANOR_SCALE_STANDBY_URL; ${hint}`);
export const bouncer = liveServer('pgbouncer (transaction pooling)', BOUNCER_URL, `ATHANOR_SCALE_BOUNCER_URL; ${hint}`);
