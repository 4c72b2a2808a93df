// Scenario migrate+sqlite, CommonJS: the programmatic API (`upgrade`, `downgrade`) with a
// config object and an ES module revision file, on a SQLite file.
const assert = require('node:assert/strict');
const { mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { MetaData, createEngine, inspect } = require('@athanor/core');
const { upgrade, downgrade } = require('@athanor/migrate');

async function main() {
  const db = join(tmpdir(), `athanor-pack-migrate-cjs-${process.pid}.db`);
  const url = `sqlite:///${db}`;
  const dir = join(process.cwd(), `migrations-cjs-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a1_tags.mjs'), `import { Column, Integer, String } from '@athanor/core';
export const revision = 'a1';
export const downRevision = null;
export const message = 'tags';
export async function upgrade(op) { await op.createTable('tags', { id: Column(Integer, { primaryKey: true }), label: Column(String(30)) }); }
export async function downgrade(op) { await op.dropTable('tags'); }
`);
  try {
    const config = { metadata: new MetaData(), migrations: dir };
    const result = await upgrade(config, 'head', { url });
    assert.deepEqual(result.heads, ['a1']);
    const engine = createEngine(url);
    assert.ok((await inspect(engine).getTableNames()).includes('tags'));
    await engine.dispose();
    const down = await downgrade(config, 'base', { url });
    assert.deepEqual(down.heads, []);
    console.log('migrate+sqlite CJS: ok');
  } finally {
    rmSync(db, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
