/**
 * Athanor's hot paths alone, for `node --cpu-prof --import tsx src/profile.ts <path>`:
 * select (prebuilt, built: first(); prebuilt-one, built-one: execute().one()), fetch,
 * insert (executemany), compile (cached).
 */
import { compileCached, createEngine, insert } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-sqlite';
import { athanorAdapter, athanorTables } from './contenders/athanor';
import { makeItems } from './data';

const which = process.argv[2] ?? 'prebuilt';
// In memory: the profile shows Athanor's own work, not file locking.
const engine = createEngine('sqlite://', { dialect: athanorDialect });
const names = { items: 'items', inserts: 'items_ins' };
const { items, inserts } = athanorTables(names);
await items.metadata.createAll(engine);
await engine.begin(async (c) => void (await c.execute(insert(items), makeItems(10_000) as any)));
const a = await athanorAdapter(engine, names);
const t0 = performance.now();
const selects: Record<string, string> = {
  prebuilt: 'athanor (prebuilt, bindparam)',
  built: 'athanor (built per call)',
  'prebuilt-one': 'athanor (prebuilt, execute + one())',
  'built-one': 'athanor (built per call, execute + one())',
};
if (which in selects) {
  const op = a.select![selects[which]];
  for (let i = 0; i < 300_000; i++) await op((i % 10_000) + 1);
} else if (which === 'fetch') {
  for (let i = 0; i < 200; i++) await a.fetch!.athanor();
} else if (which === 'insert') {
  const rows = makeItems(10_000);
  for (let i = 0; i < 30; i++) {
    await a.update!['athanor (executemany, prebuilt)'](rows.slice(0, 1)); // keeps the connection warm
    await a.insert!['athanor (executemany)'](rows.map((r) => ({ ...r, id: r.id + i * 10_000 })));
  }
} else if (which === 'cached') {
  const { select } = await import('@athanor/core');
  for (let i = 0; i < 200_000; i++) compileCached(engine.dialect, select(inserts).where(inserts.c.id.eq(i)));
}
console.log(which, (performance.now() - t0).toFixed(0), 'ms');
await a.close();
