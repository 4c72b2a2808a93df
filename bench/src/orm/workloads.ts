/**
 * The six ORM workloads. Each checks every contender's answer first (an ORM that fails its
 * check is left out of that workload and reported), then times them in the same rounds.
 */
import { type Item, check, idSequence, makeItems } from '../data';
import { type Contender, loop, measure } from '../harness';
import { summarize } from '../suite';
import type { WorkloadResult } from '../types';
import type { OrmContext } from './suite';
import { CHILDREN_PER_PARENT } from './schema';
import type { LoadedSession, OrmAdapter } from './types';

/** Workload names, also read by the targets table. */
export const W = {
  get: 'get by PK, new session each',
  fetch: (n: number) => `fetch ${n} entities`,
  flushOne: (name: string) => `flush 1 dirty among N loaded: ${name}`,
  insert: (n: number) => `flush ${n} new`,
  update: (n: number) => `flush ${n} dirty`,
  selectin: (p: number) => `selectin ${p} parents × ${CHILDREN_PER_PARENT} children`,
  joined: (p: number) => `joined ${p} parents × ${CHILDREN_PER_PARENT} children`,
  jsonload: (p: number) => `jsonload ${p} parents × ${CHILDREN_PER_PARENT} children`,
};

const RAW = 'raw';
const idOf = (o: unknown) => Number((o as { id?: unknown } | null)?.id);

/** The ORMs whose check passes; the others are reported and left out. */
async function passing(
  c: OrmContext,
  what: string,
  orms: OrmAdapter[],
  probe: (o: OrmAdapter) => Promise<void>,
) {
  const ok: OrmAdapter[] = [];
  for (const o of orms) {
    try {
      await probe(o);
      ok.push(o);
    } catch (e) {
      c.failed(`${what}, ${o.name}`, e);
    }
  }
  return ok;
}

async function timed(
  c: OrmContext,
  workload: string,
  unit: string,
  ops: number,
  contenders: Contender[],
  collectBetweenSamples = true,
  rounds = c.sizes.rounds,
): Promise<WorkloadResult> {
  c.log(`${c.db}: ${workload}`);
  const opts = { rounds, warmup: c.sizes.warmup, opsPerSample: ops, collectBetweenSamples };
  return summarize(workload, unit, contenders[0].name, ops, rounds, await measure(contenders, opts));
}

/** A contender that loads a session of `n` objects before each sample (untimed) and closes it after. */
function withSession(
  name: string,
  o: OrmAdapter,
  n: number,
  run: (s: LoadedSession) => Promise<void>,
): Contender {
  let session: LoadedSession | undefined;
  return {
    name,
    before: async () => void (session = await o.load(n)),
    run: () => run(session!),
    after: () => session?.close(),
  };
}

/** 1. get by primary key, a new session per call. */
async function getByPk(c: OrmContext) {
  const ids = idSequence(c.sizes.gets, c.sizes.rows);
  check(idOf(await c.raw.get(7)) === 7, `${c.db} raw get 7`);
  check(idOf(await c.raw.getInTransaction(7)) === 7, `${c.db} raw get 7 in a transaction`);
  const orms = await passing(c, W.get, c.orms, async (o) =>
    check(idOf(await o.get(7)) === 7, `${o.name} get 7`),
  );
  const contenders: Contender[] = [
    { name: RAW, run: loop(ids.length, (i) => c.raw.get(ids[i])) },
    {
      name: `${RAW}, BEGIN + get + ROLLBACK (reference)`,
      run: loop(ids.length, (i) => c.raw.getInTransaction(ids[i])),
    },
    ...orms.map((o) => ({ name: o.name, run: loop(ids.length, (i) => o.get(ids[i])) })),
  ];
  return [await timed(c, W.get, 'µs/get', ids.length, contenders, false)];
}

/** 2. fetch every row as an entity. */
async function fetchAll(c: OrmContext) {
  const n = c.sizes.rows;
  check(((await c.raw.fetch()) as unknown[]).length === n, `${c.db} raw fetch`);
  const orms = await passing(c, W.fetch(n), c.orms, async (o) =>
    check((await o.fetchAll()).length === n, `${o.name} fetch ${n}`),
  );
  check((await c.raw.fetchEntities()).length === n, `${c.db} raw fetch as entities`);
  const contenders: Contender[] = [
    { name: RAW, run: c.raw.fetch },
    { name: `${RAW} + a class instance per row, Date (reference)`, run: c.raw.fetchEntities },
    ...orms.map((o) => ({ name: o.name, run: o.fetchAll })),
  ];
  return [await timed(c, W.fetch(n), 'ms/fetch', 1000, contenders)];
}

/** Toggles between two values no seed row has, so that every flush has one change to write. */
const toggled = (score: number) => (score === -7 ? -8 : -7);

/** 3. flush one changed object in a session holding N clean ones: the cost should follow the changes. */
async function flushOne(c: OrmContext) {
  const few = c.sizes.fewLoaded;
  const out: WorkloadResult[] = [];
  const tracking = c.orms.filter((o) => o.tracksChanges);
  const orms = await passing(c, 'flush 1 dirty', tracking, async (o) => {
    const probe = await o.load(few);
    let target: { id: number; score: number };
    try {
      check(probe.objects.length === few, `${o.name} loads ${few}`);
      target = probe.objects[0];
      target.score = toggled(target.score);
      await probe.commit();
    } finally {
      await probe.close();
    }
    check((await c.hooks.scoreOf(target.id)) === target.score, `${o.name} flushed one change`);
  });
  // Many flushes per sample, each after one change, and at least seven rounds: a flush of one
  // change takes ~0.1 ms, so a sample of a few flushes was swamped by a single stall of the
  // loaded machine (samples of 10 flushes spread from 0.1 to 5 ms per flush).
  const flushes = 50;
  const rounds = Math.max(c.sizes.rounds, 7);
  for (const o of orms) {
    const contender = (n: number) =>
      withSession(`${o.name}, ${n} loaded`, o, n, async (s) => {
        for (let i = 0; i < flushes; i++) {
          const obj = s.objects[i % s.objects.length];
          obj.score = toggled(obj.score);
          await s.flush();
        }
      });
    const contenders = [contender(few), contender(c.sizes.rows)];
    out.push(await timed(c, W.flushOne(o.name), 'ms/flush', flushes * 1000, contenders, true, rounds));
  }
  return out;
}

/** 4. flush new objects. */
async function flushNew(c: OrmContext) {
  const n = c.sizes.rows;
  const newRows = makeItems(n);
  const inserted = async (name: string, op: (rows: Item[]) => unknown) => {
    await c.hooks.clearInserts();
    await op(newRows);
    check((await c.hooks.countInserts()) === n, `${c.db} ${name} inserted ${n}`);
  };
  for (const [name, op] of Object.entries(c.raw.insert)) await inserted(name, op);
  const orms = await passing(c, W.insert(n), c.orms, (o) => inserted(o.name, o.insert));
  const contenders: Contender[] = [
    ...Object.entries(c.raw.insert).map(([name, op]) => ({ name, run: () => op(newRows) })),
    ...orms.map((o) => ({ name: o.name, run: () => o.insert(newRows) })),
  ].map((x) => ({ ...x, before: c.hooks.clearInserts }));
  return [await timed(c, W.insert(n), 'ms/flush', 1000, contenders)];
}

/** Names and scores for the k-th variant of the update: every variant changes every row. */
function changedRows(k: number, n: number): Item[] {
  return makeItems(n).map((r) => ({ ...r, name: `u${k} ${r.id}`, score: (r.id + k) % 1000 }));
}

/** 5. flush changed objects: every loaded object gets a new name and score. */
async function flushDirty(c: OrmContext) {
  const n = c.sizes.rows;
  const variants = [changedRows(1, n), changedRows(2, n)];
  // The variant that differs from what the session loaded, so that every object really changes.
  const updateAll = (s: LoadedSession) => {
    const first = s.objects[0];
    const rows = variants[0][first.id - 1].name === first.name ? variants[1] : variants[0];
    for (const obj of s.objects) {
      const r = rows[obj.id - 1];
      obj.name = r.name;
      obj.score = r.score;
    }
    return s.commit();
  };
  await c.raw.update(variants[0]);
  check((await c.hooks.countNamed('u1 ')) === n, `${c.db} raw updated ${n}`);
  const orms = await passing(c, W.update(n), c.orms, async (o) => {
    const s = await o.load(n);
    try {
      await updateAll(s);
    } finally {
      await s.close();
    }
    check((await c.hooks.countNamed('u2 ')) === n, `${o.name} updated ${n}`);
    await c.raw.update(variants[0]);
  });
  let k = 0;
  const contenders: Contender[] = [
    { name: `${RAW} (prepared loop)`, run: () => c.raw.update(variants[k++ % 2]) },
    ...orms.map((o) => withSession(o.name, o, n, updateAll)),
  ];
  return [await timed(c, W.update(n), 'ms/flush', 1000, contenders)];
}

/** 6. selectin loading of a one-to-many. */
async function selectin(c: OrmContext) {
  const children = c.sizes.parents * CHILDREN_PER_PARENT;
  check((await c.raw.selectin()) === children, `${c.db} raw selectin`);
  const orms = await passing(c, W.selectin(c.sizes.parents), c.orms, async (o) =>
    check((await o.selectin()) === children, `${o.name} selectin ${children}`),
  );
  const contenders: Contender[] = [
    { name: RAW, run: c.raw.selectin },
    ...orms.map((o) => ({ name: o.name, run: o.selectin })),
  ];
  return [await timed(c, W.selectin(c.sizes.parents), 'ms/load', 1000, contenders)];
}

/** 7. joined loading of the same one-to-many: one statement, rows folded (ORMs that offer it). */
async function joined(c: OrmContext) {
  const children = c.sizes.parents * CHILDREN_PER_PARENT;
  check((await c.raw.joined()) === children, `${c.db} raw joined`);
  const offering = c.orms.filter((o) => o.joined !== undefined);
  const orms = await passing(c, W.joined(c.sizes.parents), offering, async (o) =>
    check((await o.joined!()) === children, `${o.name} joined ${children}`),
  );
  const contenders: Contender[] = [
    { name: RAW, run: c.raw.joined },
    ...orms.map((o) => ({ name: o.name, run: () => o.joined!() })),
  ];
  return [await timed(c, W.joined(c.sizes.parents), 'ms/load', 1000, contenders)];
}

/**
 * 8. The same one-to-many in one statement, the children aggregated as JSON by the database
 * (ORMs that offer it), against the raw driver's two queries (the selectin baseline).
 */
async function jsonAggregated(c: OrmContext) {
  const children = c.sizes.parents * CHILDREN_PER_PARENT;
  check((await c.raw.selectin()) === children, `${c.db} raw selectin`);
  const offering = c.orms.filter((o) => o.jsonload !== undefined);
  const orms = await passing(c, W.jsonload(c.sizes.parents), offering, async (o) =>
    check((await o.jsonload!()) === children, `${o.name} jsonload ${children}`),
  );
  const contenders: Contender[] = [
    { name: `${RAW}, two queries`, run: c.raw.selectin },
    ...orms.map((o) => ({ name: o.name, run: () => o.jsonload!() })),
  ];
  return [await timed(c, W.jsonload(c.sizes.parents), 'ms/load', 1000, contenders)];
}

/** By the names `--workloads` and the profiler take. */
export const WORKLOADS = {
  get: getByPk,
  fetch: fetchAll,
  'flush-one': flushOne,
  insert: flushNew,
  update: flushDirty,
  selectin,
  joined,
  jsonload: jsonAggregated,
};
