// Scenario migrate-history: issue 19's history scenario on a project installed from the packed
// tarballs (@athanor/core, orm, the three dialects and migrate) with npm, driving `npx athanor`.
//
//   node --import tsx program.ts <sqlite|postgresql|mariadb>
//
// The steps are packages/migrate/test/history-scenario.ts (the jest test runs them on a linked
// project); the harness copies it and what it imports into lib/. Each database kind works in a
// directory of its own under this project (the three run at once), on databases of its own
// (ATHANOR_PACK_PREFIX + main/spare) created on the server named by ATHANOR_DB_URL and dropped after.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createEngine } from '@athanor/core';
import { projectAt } from './lib/command';
import { HISTORY_STEPS, type HistoryContext, type HistoryDialect, writeHistory } from './lib/history-scenario';

const dialect = process.argv[2] as HistoryDialect;
if (!['sqlite', 'postgresql', 'mariadb'].includes(dialect)) throw new Error(`usage: program.ts sqlite|postgresql|mariadb (got ${dialect})`);
const prefix = process.env.ATHANOR_PACK_PREFIX ?? `athpk${process.pid}_`;
const dir = resolve(`history-${dialect}`);
const tsc = resolve('node_modules', 'typescript', 'bin', 'tsc');

async function adminSQL(sql: string): Promise<void> {
  const admin = createEngine(process.env.ATHANOR_DB_URL!);
  try {
    await admin.connect((c) => c.execDriverSQL(sql));
  } finally {
    await admin.dispose();
  }
}

/** A new empty database and how to drop it. */
async function database(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const file = join(dir, `${name}.db`);
    return { url: `sqlite:///${file}`, drop: async () => rmSync(file, { force: true }) };
  }
  const db = `${prefix}${name}`;
  const url = process.env.ATHANOR_DB_URL!.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`).replace(/undefined$/, '');
  if (dialect === 'postgresql') {
    await adminSQL(`CREATE DATABASE "${db}"`);
    return { url, drop: () => adminSQL(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`) };
  }
  await adminSQL(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  return { url, drop: () => adminSQL(`DROP DATABASE IF EXISTS \`${db}\``) };
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const main = await database('main');
const spare = await database('spare');
try {
  const ctx: HistoryContext = {
    dialect,
    url: main.url,
    spareUrl: spare.url,
    project: projectAt(dir, ['npx', '--no-install', 'athanor'], main.url),
    typecheck: (cwd) => {
      const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd, encoding: 'utf8' });
      return r.stdout + r.stderr;
    },
    runTypeScript: (cwd, file, env) => spawnSync(process.execPath, ['--import', 'tsx', file], { cwd, encoding: 'utf8', env: { ...process.env, ...env } }),
  };
  writeHistory(ctx);
  for (const [name, step] of HISTORY_STEPS) {
    const started = performance.now();
    await step(ctx);
    console.log(`ok ${dialect}: ${name} (${Math.round(performance.now() - started)} ms)`);
  }
} finally {
  await main.drop();
  await spare.drop();
}
