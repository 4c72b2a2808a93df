/**
 * The MySQL/MariaDB server the live tests use, and whether it answers. Decided
 * synchronously (a child process) because jest registers tests before anything async runs.
 */
import { spawnSync } from 'node:child_process';

export const URL = process.env.ATHANOR_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

const script = `const m=require('mysql2');const c=m.createConnection(process.argv[1]);c.connect(e=>{c.destroy();process.exit(e?1:0)});`;
export const available = spawnSync(process.execPath, ['-e', script, URL], { cwd: __dirname, timeout: 10000 }).status === 0;

/** `describe` when the server answers; otherwise one loud line and `describe.skip` — or a failure with CI=true. */
export function liveDescribe(what: string): typeof describe {
  if (available) return describe;
  if (process.env.CI === 'true') throw new Error(`MySQL at ${URL} is unreachable (CI=true): ${what} cannot be skipped.`);
  console.warn(`!!! MySQL ${what} SKIPPED: cannot reach ${URL}. Start it with \`pnpm db:start\` (or set ATHANOR_MYSQL_URL). !!!`);
  return describe.skip as unknown as typeof describe;
}
