/**
 * UPDATEs of changed columns. Rows of one mapper that change the same columns go as one
 * executemany (one statement compiled, every row bound); every row must match exactly
 * once (`WHERE pk = ? [AND version = ?]`), else StaleDataError: the row was deleted, or
 * changed by someone else since it was read (the version counter).
 */
import { type Connection, InvalidRequestError, StaleDataError, and, bindparam, update } from '@athanor/core';
import { isSqlExpression } from '../column-defaults';
import type { TablePart } from '../table-part';
import { collectChanges, hasSlot } from '../state/attributes';
import { type InstanceState, NO_VALUE } from '../state/instance-state';
import { committedValue } from './order';
import { type ParamsMaker, updateParamsMaker } from './update-params';

/** One row's changes, kept whole: rows of joined subclasses and rows whose values include SQL expressions. */
interface RowUpdate {
  st: InstanceState;
  /** The table written: the object's mapper, or one table of a joined subclass's rows. */
  m: TablePart;
  /** The changed value slots, in the order the changes were made. */
  slots: number[];
  /** Their new values, in the same order. */
  values: unknown[];
  /** The primary key (and version) the row has in the database. */
  where: unknown[];
}

/** Rows of one table changing the same columns: one statement. */
interface Group {
  rows: RowUpdate[];
}

/**
 * The usual case, rows of one single-table mapper changing the same plain columns: each
 * row's parameter record is made as the row is read, and nothing else of it is kept.
 */
interface Batch {
  m: TablePart;
  /** One bit per changed slot. */
  mask: number;
  /** The changed slots in the order of the batch's first row: the order of every record. */
  slots: number[];
  make: ParamsMaker;
  states: InstanceState[];
  params: Record<string, unknown>[];
}

/** Where each row's changes and WHERE values are collected, by index (see collectChanges). */
const changedSlots: number[] = [];
const changedValues: unknown[] = [];
const whereValues: unknown[] = [];
/** A batch row's values in the batch's slot order, when its changes came in another order. */
const ordered: unknown[] = [];

/** Writes the changed columns of `states`; returns the states that were updated. */
export async function emitUpdates(conn: Connection, states: Iterable<InstanceState>): Promise<InstanceState[]> {
  const groups = new Map<string, Group | Batch>();
  const done: InstanceState[] = [];
  // Changed objects of one flush nearly always change the same columns of one table: the
  // last batch is tried first, and a key is built only when the row's differs.
  let last: Batch | undefined;
  for (const st of states) {
    const n = prepare(st);
    if (n === 0) continue;
    done.push(st);
    const m = st.mapper;
    const mask = m.parts.length > 1 ? -1 : narrowMask(n);
    if (mask < 0) {
      const u = rowUpdate(st, n);
      const parts = m.parts.length > 1 ? splitByTable(u) : [u];
      for (const part of parts) (groupOf(groups, signature(part, done.length)) as Group).rows.push(part);
      continue;
    }
    if (last === undefined || last.mask !== mask || last.m !== m) last = batchOf(groups, m, mask, n);
    last.states.push(st);
    last.params.push(last.make(whereValues, inOrder(changedSlots, changedValues, n, last.slots)));
  }
  for (const g of groups.values()) {
    if ('params' in g) await runBatch(conn, g);
    else await (g.rows.length === 1 ? updateOne(conn, g.rows[0]) : updateMany(conn, g.rows));
  }
  return done;
}

function groupOf(groups: Map<string, Group | Batch>, sig: string): Group | Batch {
  let g = groups.get(sig);
  if (g === undefined) groups.set(sig, (g = { rows: [] }));
  return g;
}

function batchOf(groups: Map<string, Group | Batch>, m: TablePart, mask: number, n: number): Batch {
  const sig = `${m.table.fullname}|${mask}`;
  const found = groups.get(sig);
  if (found !== undefined) return found as Batch;
  const slots = changedSlots.slice(0, n);
  const batch: Batch = { m, mask, slots, make: updateParamsMaker(whereValues.length, slots), states: [], params: [] };
  groups.set(sig, batch);
  return batch;
}

/**
 * The first `n` `values` (of `from` slots) in the slot order `to` (the same slots), into the
 * scratch `ordered` when it differs; nearly always the changes came in `to`'s order.
 */
function inOrder(from: readonly number[], values: readonly unknown[], n: number, to: readonly number[]): readonly unknown[] {
  let same = true;
  for (let k = 0; k < n; k++) if (from[k] !== to[k]) same = false;
  if (same) return values;
  for (let k = 0; k < to.length; k++) ordered[k] = values[from.indexOf(to[k])];
  return ordered;
}

/** One bit per changed slot when every slot is below 30 and no value is a SQL expression; else -1. */
function narrowMask(n: number): number {
  let mask = 0;
  for (let k = 0; k < n; k++) {
    const i = changedSlots[k];
    if (i >= 30 || isSqlExpression(changedValues[k])) return -1;
    mask |= 1 << i;
  }
  return mask;
}

function rowUpdate(st: InstanceState, n: number): RowUpdate {
  return { st, m: st.mapper, slots: changedSlots.slice(0, n), values: changedValues.slice(0, n), where: whereValues.slice() };
}

/** A joined subclass's changes, one UPDATE per table that has some (the version counter is in the base's). */
function splitByTable(u: RowUpdate): RowUpdate[] {
  const out: RowUpdate[] = [];
  for (const part of u.st.mapper.parts) {
    const slots: number[] = [];
    const values: unknown[] = [];
    for (let k = 0; k < u.slots.length; k++) {
      const i = u.slots[k];
      if (i >= part.offset && i < part.offset + part.columns.length) {
        slots.push(i);
        values.push(u.values[k]);
      }
    }
    if (slots.length === 0) continue;
    const where = part.pkKeys.map((k) => committedValue(u.st, k));
    if (part.versionIndex >= 0) where.push(u.where[u.where.length - 1]);
    out.push({ st: u.st, m: part, slots, values, where });
  }
  return out;
}

/** Rows of one table changing the same columns share a statement; a SQL expression value goes alone. */
function signature(u: RowUpdate, n: number): string {
  let mask = 0;
  let wide = '';
  for (let k = 0; k < u.slots.length; k++) {
    const i = u.slots[k];
    if (isSqlExpression(u.values[k])) return `${u.m.table.fullname}|single|${n}|${u.m.offset}`;
    if (i < 30) mask |= 1 << i;
    else wide += `,${i}`;
  }
  return `${u.m.table.fullname}|${mask}${wide}`;
}

/**
 * Collects `st`'s changes into the scratch arrays (changedSlots, changedValues: how many is
 * returned) and the WHERE values its row has in the database into whereValues.
 */
function prepare(st: InstanceState): number {
  const m = st.mapper;
  const slots = changedSlots;
  const values = changedValues;
  let n = collectChanges(st, slots, values);
  if (n === 0) return 0;
  // Client-side onUpdate values are evaluated here, so the object holds what was written.
  for (const { key, value } of m.defaults.onUpdate) {
    const i = m.columnIndex.get(key)!;
    if (hasSlot(slots, n, i)) continue;
    const v = value.evaluate();
    slots[n] = i;
    values[n++] = v;
    if (!isSqlExpression(v)) st.values[i] = v;
  }
  const pkCount = m.pkKeys.length;
  const where = whereValues;
  const whereCount = pkCount + (m.versionIndex >= 0 ? 1 : 0);
  if (where.length !== whereCount) where.length = whereCount;
  for (let k = 0; k < pkCount; k++) where[k] = committedValue(st, m.pkKeys[k]);
  if (m.versionIndex >= 0) {
    const old = readVersion(st, 'UPDATE');
    where[pkCount] = old;
    if (!hasSlot(slots, n, m.versionIndex)) {
      const next = m.versionGenerator(old);
      st.values[m.versionIndex] = next;
      slots[n] = m.versionIndex;
      values[n++] = next;
    }
  }
  return n;
}

function whereClause(m: TablePart, values: readonly unknown[]) {
  const c = m.table.c as Record<string, any>;
  return and(...m.matchKeys.map((k, n) => c[k].eq(values[n])));
}

/** `WHERE pk = :athanor_w0 [AND version = :athanor_wN]`, for one statement run over many rows. */
export function matchByParams(m: TablePart) {
  const c = m.table.c as Record<string, any>;
  return and(...m.matchKeys.map((k, n) => c[k].eq(bindparam(`athanor_w${n}`))));
}

async function updateOne(conn: Connection, u: RowUpdate): Promise<void> {
  const m = u.m;
  const set: Record<string, unknown> = {};
  for (let k = 0; k < u.slots.length; k++) set[m.columnKeys[u.slots[k]]] = u.values[k];
  const res = await conn.execute(update(m.table).where(whereClause(m, u.where)).values(set as any));
  if (res.rowcount !== 1) throw staleError(m, 'UPDATE', [u], res.rowcount);
}

async function updateMany(conn: Connection, g: RowUpdate[]): Promise<void> {
  // Every row of the group changes the same slots (nearly always found in the same order).
  const slots = g[0].slots;
  const make = updateParamsMaker(g[0].m.matchKeys.length, slots);
  const params = new Array<Record<string, unknown>>(g.length);
  for (let r = 0; r < g.length; r++) params[r] = make(g[r].where, inOrder(g[r].slots, g[r].values, g[r].slots.length, slots));
  await updateByParams(conn, g[0].m, slots, params, () => g);
}

/** `SET col = :athanor_v<slot>` for each slot, each parameter typed as its column (a JSON value binds as JSON). */
function setByParams(m: TablePart, slots: readonly number[]): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const i of slots) set[m.columnKeys[i]] = bindparam(`athanor_v${i}`, { type: m.columns[i - m.offset].type });
  return set;
}

/** A batch's one statement over its records; on a mismatch, the rows are named by their keys. */
function runBatch(conn: Connection, b: Batch): Promise<void> {
  const m = b.m;
  return updateByParams(conn, m, b.slots, b.params, () => b.states.map((st) => ({ st, where: m.pkKeys.map((k) => committedValue(st, k)) })));
}

/** One UPDATE of `slots` matched by key, run over `params` (an executemany); every record must match one row. */
async function updateByParams(
  conn: Connection,
  m: TablePart,
  slots: readonly number[],
  params: Record<string, unknown>[],
  rows: () => readonly { st: InstanceState; where: unknown[] }[],
): Promise<void> {
  const res = await conn.execute(keyedUpdate(m, slots), params);
  if (res.rowcount !== params.length) throw staleError(m, 'UPDATE', rows(), res.rowcount);
}

/**
 * The UPDATE of `slots` matched by key, made once per table and set of columns (up to 64 sets
 * a table): statements are immutable, and one kept statement skips building it and walking
 * it for its cache key at every flush, and keeps the shapes of its parts alive
 * (util/shape-anchors.ts), so the executemany code stays optimized across full collections.
 */
function keyedUpdate(m: TablePart, slots: readonly number[]) {
  let bySlots = keyedUpdates.get(m);
  if (bySlots === undefined) keyedUpdates.set(m, (bySlots = new Map()));
  const key = slots.join(',');
  let stmt = bySlots.get(key);
  if (stmt === undefined) {
    stmt = update(m.table).where(matchByParams(m)).values(setByParams(m, slots) as any);
    if (bySlots.size < 64) bySlots.set(key, stmt);
  }
  return stmt;
}
const keyedUpdates = new WeakMap<TablePart, Map<string, ReturnType<typeof update>>>();

/** The version the row was read at, for the WHERE of its UPDATE or DELETE: without it the row cannot be checked. */
export function readVersion(st: InstanceState, what: 'UPDATE' | 'DELETE'): unknown {
  const m = st.mapper;
  const key = m.columnKeys[m.versionIndex];
  const v = committedValue(st, key);
  if (v !== undefined && v !== NO_VALUE) return v;
  throw new InvalidRequestError(
    `${what} of ${m.name} (${m.describePk(st.values)}): its version counter '${key}' is ${st.expired ? 'expired' : 'not loaded'}, so the row cannot be checked against the version it was read at. ` +
      `Refresh the object first (await session.refresh(obj)), then reapply the change.`,
  );
}

export function staleError(m: TablePart, what: string, rows: readonly { st: InstanceState; where: unknown[] }[], matched: number): StaleDataError {
  const version = m.versionIndex >= 0 ? ` and ${m.columnKeys[m.versionIndex]}` : '';
  const which = rows.length === 1 ? `(${m.pkKeys.map((k, n) => `${k}=${String(rows[0].where[n])}`).join(', ')})` : `of ${rows.length} rows`;
  return new StaleDataError(
    `${what} of ${m.name} ${which} matched ${matched} rows, expected ${rows.length}: ` +
      `the row was deleted${version ? `, or changed by someone else since it was read (its ${m.columnKeys[m.versionIndex]} moved on)` : ' or its key changed by someone else'}. ` +
      'Roll back, then load the row again and reapply the change.',
  );
}
