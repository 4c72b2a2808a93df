/**
 * executemany: `conn.execute(stmt, [params, ...])`. INSERT rows are batched into multi-row
 * VALUES within the database's parameter limit; a keyed UPDATE into `UPDATE ... FROM (VALUES
 * ...)` batches where the dialect can (update-many.ts); other statements run once per parameter set.
 */
import { buildParams, compileCached } from '../compiler/compile';
import type { Compiled } from '../compiler/compiled';
import { type BatchFiller, batchFiller, paramBuilder } from '../compiler/param-builder';
import type { Dialect } from '../dialect/dialect';
import type { DriverResult } from '../dialect/driver';
import { ArgumentError } from '../errors';
import type { ClauseElement } from '../sql/element';
import { rowsPerStatement } from './batch-size';
import { Result } from './result';
import { updateFromValues } from './update-many';

type Params = Record<string, unknown>;

/** What executemany needs from its connection. */
export interface ExecuteManyHost {
  readonly dialect: Dialect;
  /** One execution with one parameter set (the statement's usual path). */
  executeOne(params: Params): Promise<Result<any>>;
  /** Runs compiled SQL; `prepareName` names the driver's prepared statement (undefined: the connection's default). */
  run(
    sql: string,
    params: unknown[],
    compiled: Compiled,
    prepareName: string | undefined,
  ): Promise<DriverResult>;
  /** Runs compiled SQL once per parameter set in one driver call, when the driver can (SQLite: a prepared statement in a loop). */
  runMany?(sql: string, paramSets: unknown[][]): Promise<{ rowsAffected: number }>;
}

export async function executeMany(
  host: ExecuteManyHost,
  statement: ClauseElement,
  rows: readonly Params[],
): Promise<Result<any>> {
  if (rows.length === 0) throw new ArgumentError('execute(stmt, []) got an empty list of parameter sets.');
  const s = statement as any;
  if (s.kind === 'insert' && s.valueRows.length === 0 && !s.selectStatement) return insertMany(host, s, rows);
  if (s.kind === 'update') {
    const affected = await updateFromValues(host, statement, rows);
    if (affected !== undefined) return new Result<any>([], [], affected);
  }
  if (s.kind === 'update' || s.kind === 'delete') return runEach(host, statement, rows);
  let total = 0;
  for (const p of rows) total += (await host.executeOne(p)).rowcount;
  return new Result<any>([], [], total);
}

/** UPDATE/DELETE: one compile; per parameter set only its parameters and the round trip. */
async function runEach(
  host: ExecuteManyHost,
  statement: ClauseElement,
  rows: readonly Params[],
): Promise<Result<any>> {
  const { compiled, values } = compileCached(host.dialect, statement);
  if (host.runMany !== undefined && !compiled.hasExpanding) {
    // Same SQL for every set: the driver runs its prepared statement in a loop, no await per row.
    // Without expanding lists the statement's parameter builder gives each set directly.
    const build = paramBuilder(compiled);
    const sets = new Array<unknown[]>(rows.length);
    for (let i = 0; i < rows.length; i++) sets[i] = build(values, rows[i]);
    return new Result<any>([], [], (await host.runMany(compiled.sql, sets)).rowsAffected);
  }
  let total = 0;
  for (const p of rows) {
    const { sql, params } = buildParams(host.dialect, compiled, values, p);
    total += (await host.run(sql, params, compiled, undefined)).rowsAffected;
  }
  return new Result<any>([], [], total);
}

/** Per single-row statement (which identifies table, keys and dialect): its multi-row batches by row count, and its batch filler. */
interface Batches {
  bySize: Map<number, Compiled>;
  fill: BatchFiller | undefined;
}
const batchCompiled = new WeakMap<Compiled, Batches>();

async function insertMany(
  host: ExecuteManyHost,
  statement: any,
  rows: readonly Params[],
): Promise<Result<any>> {
  const dialect = host.dialect;
  const keys = Object.keys(rows[0]);
  const single = compileCached(dialect, statement.values(rows[0])).compiled;
  const perRow = single.slots.length;
  const multiRow = dialect.capabilities.dml.multiRowInsert && !single.returnsRows && perRow > 0;
  const batchSize = multiRow ? rowsPerStatement(dialect, perRow) : 1;
  let batches = batchCompiled.get(single);
  if (batches === undefined) batchCompiled.set(single, (batches = { bySize: new Map(), fill: batchFiller(single.slots) }));
  const bySize = batches.bySize;
  let affected = 0;
  for (let start = 0; start < rows.length; start += batchSize) {
    const end = Math.min(rows.length, start + batchSize);
    const count = end - start;
    for (let r = start; r < end; r++) checkSameKeys(keys, rows[r]);
    // Same statement, same keys, same batch length: same SQL. Reusing it skips building the
    // batch statement and walking its cache key (as long as the batch).
    let compiled = count === 1 ? single : bySize.get(count);
    if (compiled === undefined) {
      compiled = compileCached(
        dialect,
        statement.values(rows.slice(start, end).map((r) => pick(r, keys))),
      ).compiled;
      bySize.set(count, compiled);
    }
    const params = batchParams(single, batches.fill, rows, start, count);
    // The full-size batch repeats, so it is worth a prepared statement however long its SQL; the
    // one shorter remainder gets the default (naming every remainder size would pile up statements).
    const prepareName = count === batchSize ? compiled.sql : undefined;
    affected += (await host.run(compiled.sql, params, compiled, prepareName)).rowsAffected;
  }
  return new Result<any>([], [], affected);
}

const NO_VALUES: readonly unknown[] = [];

/**
 * The batch's parameters in the flat array the driver takes, row by row from the single-row
 * statement's slots: each row's value by column key, else the column default (the one rule,
 * slotValue, unrolled by the generated filler; without code generation, the row's builder).
 */
function batchParams(single: Compiled, fill: BatchFiller | undefined, rows: readonly Params[], start: number, count: number): unknown[] {
  const perRow = single.slots.length;
  const params = new Array(count * perRow);
  if (fill !== undefined) {
    fill(rows, start, count, params);
    return params;
  }
  const build = paramBuilder(single);
  for (let r = 0, at = 0; r < count; r++) {
    const one = build(NO_VALUES, rows[start + r]);
    for (let i = 0; i < perRow; i++) params[at++] = one[i];
  }
  return params;
}

function checkSameKeys(keys: string[], row: Params): void {
  const rk = Object.keys(row);
  if (rk.length === keys.length && sameOrder(keys, rk)) return;
  if (rk.length !== keys.length || rk.some((k) => !keys.includes(k))) {
    throw new ArgumentError(
      `executemany: every parameter set must have the same keys as the first (${keys.join(', ')}); got (${rk.join(', ')}).`,
    );
  }
}

/** Rows built alike list their keys in the same order: one pass instead of a search per key. */
function sameOrder(a: string[], b: string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function pick(row: Params, keys: string[]): Params {
  const out: Params = {};
  for (const k of keys) out[k] = row[k];
  return out;
}
