/**
 * One Athanor ORM workload in a loop, in-memory SQLite, profiled:
 *   pnpm --filter @athanor/bench profile:orm <get|fetch|flush-one|insert|update|selectin|joined> [iterations]
 * The profiler runs around the loop only (not the module loading or the seeding): the profile
 * goes to bench/profile/orm-<workload>-<time>.cpuprofile (open it in Chrome DevTools or
 * speedscope) and the functions with the most self time are printed.
 * flush-one and update keep one session of 10,000 loaded objects and flush it again and
 * again, so the profile shows the flush, not the load.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector/promises';
import { createEngine } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-sqlite';
import { idSequence, makeItems } from './data';
import { athanorOrm, seedAthanor } from './orm/athanor';
import { ormTables } from './orm/schema';
import { topSelf } from './top';

const which = process.argv[2] ?? 'flush-one';
const defaults: Record<string, number> = {
  get: 50_000,
  fetch: 50,
  'flush-one': 300,
  insert: 20,
  update: 20,
  selectin: 50,
  joined: 50,
};
if (!(which in defaults))
  throw new Error(`profile-orm: unknown workload '${which}' (one of ${Object.keys(defaults).join(', ')})`);
const n = Number(process.argv[3] ?? defaults[which]);
const rows = 10_000;

const engine = createEngine('sqlite://', { dialect: athanorDialect });
const t = ormTables('');
await seedAthanor(engine, t, { rows, parents: 1_000 });
const orm = athanorOrm(engine, t);
const inspector = new Inspector();
inspector.connect();
await inspector.post('Profiler.enable');
await inspector.post('Profiler.start');
const t0 = performance.now();
if (which === 'get') {
  const ids = idSequence(n, rows);
  for (const id of ids) await orm.get(id);
} else if (which === 'fetch') {
  for (let i = 0; i < n; i++) await orm.fetchAll();
} else if (which === 'insert') {
  const items = makeItems(rows);
  for (let i = 0; i < n; i++) await orm.insert(items.map((r) => ({ ...r, id: r.id + i * rows })));
} else if (which === 'selectin') {
  for (let i = 0; i < n; i++) await orm.selectin();
} else if (which === 'joined') {
  for (let i = 0; i < n; i++) await orm.joined!();
} else {
  const session = await orm.load(rows);
  for (let i = 0; i < n; i++) {
    const targets = which === 'flush-one' ? session.objects.slice(0, 1) : session.objects;
    for (const o of targets) o.score = (o.score + 1) % 1000;
    await session.flush();
  }
  await session.close();
}
const elapsed = performance.now() - t0;
const { profile } = await inspector.post('Profiler.stop');
inspector.disconnect();
const dir = new URL('../profile/', import.meta.url);
mkdirSync(dir, { recursive: true });
const out = new URL(`orm-${which}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`, dir);
writeFileSync(out, JSON.stringify(profile));
console.log(`${which}: ${n} iterations in ${elapsed.toFixed(0)} ms; profile in ${out.pathname}`);
for (const line of topSelf(profile as never, 20)) console.log(line);
await orm.close();
