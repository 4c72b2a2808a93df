/**
 * The ORM workloads over one database: what a suite gives them (baselines, ORMs, hooks,
 * sizes) and the runner, which keeps going past a failing ORM or workload and says so.
 */
import type { Item } from '../data';
import type { Adapter, WorkloadResult } from '../types';
import type { OrmAdapter } from './types';
import { WORKLOADS } from './workloads';

export interface OrmSizes {
  rounds: number;
  warmup: number;
  /** Gets per sample. */
  gets: number;
  /** Rows of the items and updates tables; objects inserted and changed per flush. */
  rows: number;
  /** The small session of the flush-one workload. */
  fewLoaded: number;
  /** Authors (ten books each). */
  parents: number;
  /** The workloads to run, by name (`get`, `fetch`, `flush-one`, `insert`, `update`, `selectin`, `joined`, `jsonload`); all when absent. */
  workloads?: readonly string[];
}

/** The raw driver's way to do each workload: the baselines. */
export interface RawBaselines {
  get: (id: number) => unknown;
  /**
   * Reference, not the baseline: the same get between BEGIN and ROLLBACK, what a session that
   * begins a transaction at first use pays at the least (three statements; on a server, three round trips).
   */
  getInTransaction: (id: number) => unknown;
  fetch: () => unknown;
  /**
   * Reference, not the baseline: the raw rows made into entities by hand — an instance of a
   * class per row, `created_at` as a `Date` — the least an ORM's fetch does beyond the driver.
   */
  fetchEntities: () => Promise<unknown[]>;
  /** The first is the baseline (multi-row INSERT in batches). */
  insert: Record<string, (rows: Item[]) => unknown>;
  /** An UPDATE by primary key per row, prepared, in one transaction. */
  update: (rows: Item[]) => unknown;
  /** Parents, then their children in one query, attached by hand; answers the number of children. */
  selectin: () => Promise<number>;
  /** Parents LEFT JOIN children in one query, folded by hand; answers the number of children. */
  joined: () => Promise<number>;
}

interface RawItemRow {
  id: number;
  name: string;
  email: string;
  score: number;
  created_at: unknown;
}

class HandMappedItem {
  constructor(
    readonly id: number,
    readonly name: string,
    readonly email: string,
    readonly score: number,
    readonly createdAt: Date,
  ) {}
}

/**
 * The baselines from the Core suites' raw adapters (one over the items table, one over the
 * updates table: its UPDATE is the one the dirty flush is held to) and a raw selectin.
 */
export function rawBaselinesFrom(
  items: Adapter,
  updates: Adapter,
  own: Pick<RawBaselines, 'selectin' | 'joined' | 'getInTransaction'> & { toDate: (v: unknown) => Date },
): RawBaselines {
  const { toDate, ...rest } = own;
  const fetch = items.fetch!.raw;
  return {
    ...rest,
    get: Object.values(items.select!)[0],
    fetch,
    fetchEntities: async () =>
      ((await fetch()) as RawItemRow[]).map(
        (r) => new HandMappedItem(r.id, r.name, r.email, r.score, toDate(r.created_at)),
      ),
    insert: {
      'raw (multi-row 1000)': items.insert!['raw (multi-row 1000)'],
      'raw (prepared loop)': items.insert!['raw (prepared loop)'],
    },
    update: updates.update!['raw (prepared loop)'],
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

export interface OrmContext {
  db: string;
  raw: RawBaselines;
  orms: OrmAdapter[];
  hooks: OrmHooks;
  sizes: OrmSizes;
  log: (s: string) => void;
  /** Records a failure: the run goes on and reports it at the end. */
  failed: (what: string, e: unknown) => void;
}

export interface OrmRun {
  results: WorkloadResult[];
  /** One line per ORM or workload that raised (the ORM is being rebuilt: expect some). */
  failures: string[];
}

export async function runOrmSuite(
  db: string,
  raw: RawBaselines,
  orms: OrmAdapter[],
  hooks: OrmHooks,
  sizes: OrmSizes,
  log: (s: string) => void,
): Promise<OrmRun> {
  const run: OrmRun = { results: [], failures: [] };
  const failed = (what: string, e: unknown) => {
    const line = `${db}: ${what}: ${(e as Error)?.message ?? e}`;
    log(`!!! FAILED ${line}\n${(e as Error)?.stack ?? ''}`);
    run.failures.push(line);
  };
  const ctx: OrmContext = { db, raw, orms, hooks, sizes, log, failed };
  for (const name of sizes.workloads ?? Object.keys(WORKLOADS)) {
    const workload = WORKLOADS[name as keyof typeof WORKLOADS];
    if (!workload)
      throw new Error(
        `--workloads: unknown workload '${name}' (one of ${Object.keys(WORKLOADS).join(', ')})`,
      );
    try {
      run.results.push(...(await workload(ctx)));
    } catch (e) {
      failed(name, e);
    }
  }
  return run;
}
