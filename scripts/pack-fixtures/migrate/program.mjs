// Scenario migrate+sqlite, as a user runs it: `npx athanor --help`, then a project with a
// TypeScript config and revision (no build step) upgraded, checked, shown and downgraded on a
// SQLite file, from the packed @athanor/migrate + @athanor/core + @athanor/dialect-sqlite.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, inspect } from '@athanor/core';

const db = join(tmpdir(), `athanor-pack-migrate-${process.pid}.db`);
const url = `sqlite:///${db}`;
const npx = (...args) => spawnSync('npx', ['--no-install', 'athanor', ...args], { encoding: 'utf8', env: { ...process.env, ATHANOR_DATABASE_URL: url } });
const ok = (...args) => {
  const r = npx(...args);
  assert.equal(r.status, 0, `npx athanor ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
};

try {
  assert.match(ok('--help'), /^Usage: athanor <command>/);
  writeFileSync('models.ts', `import { Column, Integer, MetaData, String, Table } from '@athanor/core';
export const metadata = new MetaData();
export const notes = new Table('notes', metadata, { id: Column(Integer, { primaryKey: true }), body: Column(String(200), { nullable: false }) });
`);
  writeFileSync('athanor.config.ts', "import { metadata } from './models';\nexport default { metadata, migrations: 'migrations' };\n");
  mkdirSync('migrations', { recursive: true });
  const path = ok('revision', '--autogenerate', '-m', 'create notes').trim();
  assert.match(path, /^migrations[/\\][0-9a-f]{12}_create_notes\.ts$/);
  const up = npx('upgrade', 'head');
  assert.equal(up.status, 0, up.stderr);
  assert.match(up.stderr, /upgrade \(base\) -> [0-9a-f]{12}, create notes \(\d+ ms\)/);
  const engine = createEngine(url);
  assert.deepEqual((await inspect(engine).getColumns('notes')).map((c) => c.name), ['id', 'body']);
  await engine.dispose();
  assert.match(ok('check'), /No differences/);
  assert.match(ok('upgrade', 'base:head', '--sql'), /CREATE TABLE notes/);
  ok('downgrade', 'base');
  assert.match(ok('current'), /\(base\)/);
  console.log('migrate+sqlite ESM: ok');
} finally {
  rmSync(db, { force: true });
}
