/** Runs the four data workloads over a database's adapters, checking each contender's answers first. */
import { type Item, check, idOf, idSequence, makeItems } from './data';
import { type Contender, loop, measure } from './harness';
import type { Adapter, WorkloadResult } from './types';

export interface SuiteSizes {
  rounds: number;
  warmup: number;
  selectOps: number;
  fetchReps: number;
  rows: number;
  updates: number;
  /** Only the select-by-primary-key workload (`--select-only`: more rounds in less time). */
  selectOnly?: boolean;
}

export interface SuiteHooks {
  /** Empties the insert table (untimed, before every insert sample). */
  clearInserts(): Promise<void>;
  countInserts(): Promise<number>;
  /** Sets score = -1 on the first `n` items, then counts the rows still at -1 (update check). */
  markItems(n: number): Promise<void>;
  countMarked(): Promise<number>;
}


function variants<F>(
  adapters: Adapter[],
  pick: (a: Adapter) => Record<string, F> | undefined,
): [string, F][] {
  return adapters.flatMap((a) => Object.entries(pick(a) ?? {}));
}

export function summarize(
  workload: string,
  unit: string,
  baseline: string,
  ops: number,
  rounds: number,
  stats: Awaited<ReturnType<typeof measure>>,
): WorkloadResult {
  const base = stats.find((s) => s.name === baseline)?.median;
  return {
    workload,
    unit,
    baseline,
    ops,
    rounds,
    results: stats.map((s) => ({
      name: s.name,
      median: s.median,
      min: s.min,
      max: s.max,
      ratio: base ? s.median / base : null,
    })),
  };
}

export async function runSuite(
  db: string,
  adapters: Adapter[],
  hooks: SuiteHooks,
  sizes: SuiteSizes,
  log: (s: string) => void,
): Promise<WorkloadResult[]> {
  const out: WorkloadResult[] = [];
  const opts = (ops: number) => ({ rounds: sizes.rounds, warmup: sizes.warmup, opsPerSample: ops });

  // 2. select one row by primary key
  const ids = idSequence(sizes.selectOps, sizes.rows);
  const selects = variants(adapters, (a) => a.select);
  for (const [name, op] of selects) check(idOf(await op(7)) === 7, `${db} ${name} select by id 7`);
  const selectContenders: Contender[] = selects.map(([name, op]) => ({
    name,
    run: loop(ids.length, (i) => op(ids[i])),
  }));
  log(`${db}: select by PK × ${ids.length}`);
  out.push(
    summarize(
      'select by PK',
      'µs/query',
      selects[0][0],
      ids.length,
      sizes.rounds,
      await measure(selectContenders, { ...opts(ids.length), collectBetweenSamples: false }),
    ),
  );

  if (sizes.selectOnly) return out;

  // 3. fetch all rows into objects
  const fetches = variants(adapters, (a) => a.fetch);
  for (const [name, op] of fetches) {
    const rows = (await op()) as unknown[];
    check(
      rows.length === sizes.rows && idOf(rows[rows.length - 1]) > 0,
      `${db} ${name} fetch ${sizes.rows} rows`,
    );
  }
  const fetchContenders = fetches.map(([name, op]) => ({ name, run: loop(sizes.fetchReps, () => op()) }));
  log(`${db}: fetch ${sizes.rows} rows`);
  out.push(
    summarize(
      `fetch ${sizes.rows} rows`,
      'ms/fetch',
      fetches[0][0],
      sizes.fetchReps * 1000,
      sizes.rounds,
      await measure(fetchContenders, opts(sizes.fetchReps * 1000)),
    ),
  );

  // 4. insert rows in one transaction
  const newRows: Item[] = makeItems(sizes.rows);
  const inserts = variants(adapters, (a) => a.insert);
  for (const [name, op] of inserts) {
    await hooks.clearInserts();
    await op(newRows);
    check((await hooks.countInserts()) === sizes.rows, `${db} ${name} inserted ${sizes.rows} rows`);
  }
  const insertContenders = inserts.map(([name, op]) => ({
    name,
    before: () => hooks.clearInserts(),
    run: () => op(newRows),
  }));
  log(`${db}: insert ${sizes.rows} rows`);
  out.push(
    summarize(
      `insert ${sizes.rows} rows`,
      'ms/insert',
      inserts[0][0],
      1000,
      sizes.rounds,
      await measure(insertContenders, opts(1000)),
    ),
  );

  // 5. update rows by primary key, one statement each, in one transaction
  const changed = makeItems(sizes.updates).map((r) => ({ ...r, name: `renamed ${r.id}` }));
  const updates = variants(adapters, (a) => a.update);
  for (const [name, op] of updates) {
    await hooks.markItems(sizes.updates);
    await op(changed);
    check((await hooks.countMarked()) === 0, `${db} ${name} updated ${sizes.updates} rows`);
  }
  const updateContenders = updates.map(([name, op]) => ({ name, run: () => op(changed) }));
  log(`${db}: update ${sizes.updates} rows`);
  out.push(
    summarize(
      `update ${sizes.updates} rows`,
      'ms/update',
      updates[0][0],
      1000,
      sizes.rounds,
      await measure(updateContenders, opts(1000)),
    ),
  );
  return out;
}
