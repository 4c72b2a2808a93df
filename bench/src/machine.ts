/** The machine, Node and library versions a result was measured with. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function versionOf(name: string): string {
  try {
    // Walk up from the resolved entry to the package's own package.json (exports may hide it).
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 6; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        if (pkg.name === name) return pkg.version;
      } catch {}
      dir = dirname(dir);
    }
  } catch {}
  return 'unknown';
}

export function machineInfo() {
  const libs = [
    '@athanor/core',
    '@athanor/orm',
    'better-sqlite3',
    'pg',
    'mysql2',
    'kysely',
    'knex',
    'drizzle-orm',
    '@mikro-orm/core',
    'typeorm',
  ];
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    libraries: Object.fromEntries(libs.map((l) => [l, versionOf(l)])),
  };
}
