/**
 * UPDATEs of changed columns. Rows of one mapper that change the same columns go as one
 * executemany (one statement compiled, every row bound); every row must match exactly
 * once (`WHERE pk = ? [AND version = ?]`), else StaleDataError: the row was deleted, or
 * changed by someone else since it was read (the version counter).
 */
import { type Connection, InvalidRequestError, StaleDataError, and, bindparam, update } from '@athanor/core';
import { isSqlExpression } from '../column-defaults';
import type { TablePart } from '../table-part';
import { addChange, collectChanges } from '../state/attributes';
import { type InstanceState, NO_VALUE } from '../state/instance-state';
import { committedValue } from './order';
import { updateParamsMaker } from './update-params';

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

/** Writes the changed columns of `states`; returns the states that were updated. */
export async function emitUpdates(conn: Connection, states: Iterable<InstanceState>): Promise<InstanceState[]> {
  const groups = new Map<string, Group>();
  const done: InstanceState[] = [];
  // Changed objects of one flush nearly always change the same columns of one table: the
  // last group is tried first, and its key is built only when the row's differs.
  let last: { m: TablePart; mask: number; group: Group } | undefined;
  for (const st of states) {
    const u = prepare(st);
    if (u === undefined) continue;
    done.push(st);
    if (st.mapper.parts.length > 1) {
      for (const part of splitByTable(u)) groupOf(groups, part, done.length).rows.push(part);
      continue;
    }
    const mask = narrowMask(u);
    if (last !== undefined && mask >= 0 && last.mask === mask && last.m === u.m) {
      last.group.rows.push(u);
      continue;
    }
    const group = groupOf(groups, u, done.length);
    group.rows.push(u);
    last = mask >= 0 ? { m: u.m, mask, group } : undefined;
  }
  for (const { rows } of groups.values()) await (rows.length === 1 ? updateOne(conn, rows[0]) : updateMany(conn, rows));
  return done;
}

function groupOf(groups: Map<string, Group>, u: RowUpdate, n: number): Group {
  const sig = signature(u, n);
  let g = groups.get(sig);
  if (g === undefined) groups.set(sig, (g = { rows: [] }));
  return g;
}

/** One bit per changed slot when every slot is below 30 and no value is a SQL expression; else -1. */
function narrowMask(u: RowUpdate): number {
  let mask = 0;
  for (let k = 0; k < u.slots.length; k++) {
    const i = u.slots[k];
    if (i >= 30 || isSqlExpression(u.values[k])) return -1;
    mask |= 1 << i;
  }
  return mask;
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

/** Where a row's changes are collected: the RowUpdate keeps exact-size copies (it lives until its statement ran). */
const changedSlots: number[] = [];
const changedValues: unknown[] = [];

function prepare(st: InstanceState): RowUpdate | undefined {
  const m = st.mapper;
  const slots = changedSlots;
  const values = changedValues;
  slots.length = 0;
  values.length = 0;
  if (!collectChanges(st, slots, values)) return undefined;
  // Client-side onUpdate values are evaluated here, so the object holds what was written.
  for (const { key, value } of m.defaults.onUpdate) {
    const i = m.columnIndex.get(key)!;
    if (slots.includes(i)) continue;
    const v = value.evaluate();
    addChange(slots, values, i, v);
    if (!isSqlExpression(v)) st.values[i] = v;
  }
  const pkCount = m.pkKeys.length;
  const where = new Array<unknown>(pkCount + (m.versionIndex >= 0 ? 1 : 0));
  for (let n = 0; n < pkCount; n++) where[n] = committedValue(st, m.pkKeys[n]);
  if (m.versionIndex >= 0) {
    const old = readVersion(st, 'UPDATE');
    where[pkCount] = old;
    if (!slots.includes(m.versionIndex)) {
      const next = m.versionGenerator(old);
      st.values[m.versionIndex] = next;
      addChange(slots, values, m.versionIndex, next);
    }
  }
  return { st, m, slots: slots.slice(), values: values.slice(), where };
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
  const m = g[0].m;
  const where = matchByParams(m);
  const set: Record<string, unknown> = {};
  // Every row of the group changes the same slots (nearly always found in the same order).
  const slots = g[0].slots;
  for (const i of slots) set[m.columnKeys[i]] = bindparam(`athanor_v${i}`);
  const make = updateParamsMaker(m.matchKeys.length, slots);
  const params = new Array<Record<string, unknown>>(g.length);
  for (let r = 0; r < g.length; r++) {
    const u = g[r];
    params[r] = make(u.where, sameOrder(u.slots, slots) ? u.values : slots.map((s) => u.values[u.slots.indexOf(s)]));
  }
  const res = await conn.execute(update(m.table).where(where).values(set as any), params);
  if (res.rowcount !== g.length) throw staleError(m, 'UPDATE', g, res.rowcount);
}

/** Whether a row's changed slots come in the group's order (nearly always: changes made in the same order). */
function sameOrder(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

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
