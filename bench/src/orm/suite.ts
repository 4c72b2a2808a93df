/**
 * The ORM workloads over one database: each ORM against the raw driver in the same run,
 * every contender's answers checked before timing.
 */
import { type Item, check, idSequence, makeItems } from '../data';
import { type Contender, loop, measure } from '../harness';
import { summarize } from '../suite';
import type { Adapter, WorkloadResult } from '../types';
import type { LoadedSession, OrmAdapter } from './types';

export interface OrmSizes {
  rounds: number;
  warmup: number;
  /** Gets per sample. */
  gets: number;
  /** Rows of the items and updates tables; objects inserted and changed per flush. */
  rows: number;
  /** The small session of the flush-one workload. */
  fewLoaded: number;
  /** Authors (three books each). */
  parents: number;
}

/** The raw driver's way to do each workload: the baselines. */
export interface RawBaselines {
  get: (id: number) => unknown;
  fetch: () => unknown;
  /** The first is the baseline (multi-row INSERT in batches). */
  insert: Record<string, (rows: Item[]) => unknown>;
  /** An UPDATE by primary key per row, prepared, in one transaction. */
  update: (rows: Item[]) => unknown;
  /** Parents, then their children in one query, attached by hand; answers the number of children. */
  selectin: () => Promise<number>;
}

/**
 * The baselines from the Core suites' raw adapters (one over the items table, one over the
 * updates table: its UPDATE is the one the dirty flush is held to) and a raw selectin.
 */
export function rawBaselinesFrom(
  items: Adapter,
  updates: Adapter,
  selectin: () => Promise<number>,
): RawBaselines {
  return {
    get: Object.values(items.select!)[0],
    fetch: items.fetch!.raw,
    insert: {
      'raw (multi-row 1000)': items.insert!['raw (multi-row 1000)'],
      'raw (prepared loop)': items.insert!['raw (prepared loop)'],
    },
    update: updates.update!['raw (prepared loop)'],
    selectin,
  };
}

export interface OrmHooks {
  clearInserts(): Promise<void>;
  countInserts(): Promise<number>;
  /** Rows of the updates table whose name starts with `prefix`. */
  countNamed(prefix: string): Promise<number>;
  scoreOf(id: number): Promise<number>;
}

export const ORM_NAMES = ['athanor', 'mikro-orm', 'typeorm'] as const;

/** Opens the ORMs named in `which`, in that order (each factory opens one). */
export async function openOrms(
  which: readonly string[],
  factories: Record<(typeof ORM_NAMES)[number], () => Promise<OrmAdapter>>,
): Promise<OrmAdapter[]> {
  const out: OrmAdapter[] = [];
  for (const name of which) {
    const open = factories[name as (typeof ORM_NAMES)[number]];
    if (!open) throw new Error(`--orms: unknown ORM '${name}' (one of ${ORM_NAMES.join(', ')})`);
    out.push(await open());
  }
  return out;
}

/** Workload names, also read by the targets table. */
export const W = {
  get: 'get by PK, new session each',
  fetch: (n: number) => `fetch ${n} entities`,
  flushOne: (name: string) => `flush 1 dirty among N loaded: ${name}`,
  insert: (n: number) => `flush ${n} new`,
  update: (n: number) => `flush ${n} dirty`,
  selectin: (p: number) => `selectin ${p} parents × 3 children`,
};

const RAW = 'raw';

/** Names and scores for the k-th update sample: every sample changes every row. */
function changedRows(k: number, n: number): Item[] {
  return makeItems(n).map((r) => ({ ...r, name: `u${k} ${r.id}`, score: (r.id + k) % 1000 }));
}

export async function runOrmSuite(
  db: string,
  raw: RawBaselines,
  orms: OrmAdapter[],
  hooks: OrmHooks,
  sizes: OrmSizes,
  log: (s: string) => void,
): Promise<WorkloadResult[]> {
  const out: WorkloadResult[] = [];
  const opts = (ops: number, collect = true) => ({
    rounds: sizes.rounds,
    warmup: sizes.warmup,
    opsPerSample: ops,
    collectBetweenSamples: collect,
  });
  const idOf = (o: unknown) => Number((o as { id?: unknown } | null)?.id);

  // 1. get by primary key, a new session per call
  const ids = idSequence(sizes.gets, sizes.rows);
  check(idOf(await raw.get(7)) === 7, `${db} raw get 7`);
  for (const o of orms) check(idOf(await o.get(7)) === 7, `${db} ${o.name} get 7`);
  log(`${db}: ${W.get} × ${ids.length}`);
  const gets: Contender[] = [
    { name: RAW, run: loop(ids.length, (i) => raw.get(ids[i])) },
    ...orms.map((o) => ({ name: o.name, run: loop(ids.length, (i) => o.get(ids[i])) })),
  ];
  out.push(
    summarize(W.get, 'µs/get', RAW, ids.length, sizes.rounds, await measure(gets, opts(ids.length, false))),
  );

  // 2. fetch every row as an entity
  check(((await raw.fetch()) as unknown[]).length === sizes.rows, `${db} raw fetch`);
  for (const o of orms)
    check((await o.fetchAll()).length === sizes.rows, `${db} ${o.name} fetch ${sizes.rows}`);
  log(`${db}: ${W.fetch(sizes.rows)}`);
  const fetches: Contender[] = [
    { name: RAW, run: raw.fetch },
    ...orms.map((o) => ({ name: o.name, run: o.fetchAll })),
  ];
  out.push(
    summarize(W.fetch(sizes.rows), 'ms/fetch', RAW, 1000, sizes.rounds, await measure(fetches, opts(1000))),
  );

  // 3. flush one changed object in a session holding N clean ones: the cost should follow the changes
  for (const o of orms.filter((x) => x.tracksChanges)) {
    const probe = await o.load(sizes.fewLoaded);
    check(probe.objects.length === sizes.fewLoaded, `${db} ${o.name} loads ${sizes.fewLoaded}`);
    const target = probe.objects[0];
    const expected = target.score === -7 ? -8 : -7;
    target.score = expected;
    await probe.commit();
    await probe.close();
    check((await hooks.scoreOf(target.id)) === expected, `${db} ${o.name} flushed one change`);
    const flushOne = (n: number): Contender => {
      let session: LoadedSession | undefined;
      return {
        name: `${o.name}, ${n} loaded`,
        before: async () => void (session = await o.load(n)),
        run: () => {
          const obj = session!.objects[0];
          obj.score = obj.score === -7 ? -8 : -7;
          return session!.flush();
        },
        after: () => session!.close(),
      };
    };
    const contenders = [flushOne(sizes.fewLoaded), flushOne(sizes.rows)];
    log(`${db}: ${W.flushOne(o.name)}`);
    out.push(
      summarize(
        W.flushOne(o.name),
        'ms/flush',
        contenders[0].name,
        1000,
        sizes.rounds,
        await measure(contenders, opts(1000)),
      ),
    );
  }

  // 4. flush new objects
  const newRows = makeItems(sizes.rows);
  const inserters: [string, (rows: Item[]) => unknown][] = [
    ...Object.entries(raw.insert),
    ...orms.map((o): [string, (rows: Item[]) => unknown] => [o.name, o.insert]),
  ];
  for (const [name, op] of inserters) {
    await hooks.clearInserts();
    await op(newRows);
    check((await hooks.countInserts()) === sizes.rows, `${db} ${name} inserted ${sizes.rows}`);
  }
  log(`${db}: ${W.insert(sizes.rows)}`);
  const inserts = inserters.map(([name, op]) => ({
    name,
    before: hooks.clearInserts,
    run: () => op(newRows),
  }));
  out.push(
    summarize(
      W.insert(sizes.rows),
      'ms/flush',
      inserters[0][0],
      1000,
      sizes.rounds,
      await measure(inserts, opts(1000)),
    ),
  );

  // 5. flush changed objects: every loaded object gets a new name and score
  const variants = [changedRows(1, sizes.rows), changedRows(2, sizes.rows)];
  let k = 0;
  await raw.update(variants[0]);
  check((await hooks.countNamed('u1 ')) === sizes.rows, `${db} raw updated ${sizes.rows}`);
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
  for (const o of orms) {
    const s = await o.load(sizes.rows);
    await updateAll(s);
    await s.close();
    check((await hooks.countNamed('u2 ')) === sizes.rows, `${db} ${o.name} updated ${sizes.rows}`);
    await raw.update(variants[0]);
  }
  const updates: Contender[] = [
    { name: `${RAW} (prepared loop)`, run: () => raw.update(variants[k++ % 2]) },
    ...orms.map((o): Contender => {
      let session: LoadedSession | undefined;
      return {
        name: o.name,
        before: async () => void (session = await o.load(sizes.rows)),
        run: () => updateAll(session!),
        after: () => session!.close(),
      };
    }),
  ];
  log(`${db}: ${W.update(sizes.rows)}`);
  out.push(
    summarize(
      W.update(sizes.rows),
      'ms/flush',
      updates[0].name,
      1000,
      sizes.rounds,
      await measure(updates, opts(1000)),
    ),
  );

  // 6. selectin loading of a one-to-many
  const children = sizes.parents * 3;
  check((await raw.selectin()) === children, `${db} raw selectin`);
  for (const o of orms) check((await o.selectin()) === children, `${db} ${o.name} selectin ${children}`);
  log(`${db}: ${W.selectin(sizes.parents)}`);
  const selectins: Contender[] = [
    { name: RAW, run: raw.selectin },
    ...orms.map((o) => ({ name: o.name, run: o.selectin })),
  ];
  out.push(
    summarize(
      W.selectin(sizes.parents),
      'ms/load',
      RAW,
      1000,
      sizes.rounds,
      await measure(selectins, opts(1000)),
    ),
  );
  return out;
}
