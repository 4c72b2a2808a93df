/**
 * UPDATEs of changed columns. Rows of one mapper that change the same columns go as one
 * executemany (one statement compiled, every row bound); every row must match exactly
 * once (`WHERE pk = ? [AND version = ?]`), else StaleDataError: the row was deleted, or
 * changed by someone else since it was read (the version counter).
 */
import { type Connection, InvalidRequestError, StaleDataError, and, bindparam, update } from '@athanor/core';
import { isSqlExpression } from '../column-defaults';
import type { TablePart } from '../table-part';
import { changedColumns } from '../state/attributes';
import { type InstanceState, NO_VALUE } from '../state/instance-state';
import { committedValue } from './order';

interface RowUpdate {
  st: InstanceState;
  /** The table written: the object's mapper, or one table of a joined subclass's rows. */
  m: TablePart;
  /** Column index → new value. */
  changes: Map<number, unknown>;
  /** The primary key (and version) the row has in the database. */
  where: unknown[];
}

/** Writes the changed columns of `states`; returns the states that were updated. */
export async function emitUpdates(conn: Connection, states: Iterable<InstanceState>): Promise<InstanceState[]> {
  const groups = new Map<string, RowUpdate[]>();
  const done: InstanceState[] = [];
  for (const st of states) {
    const u = prepare(st);
    if (u === undefined) continue;
    done.push(st);
    if (st.mapper.parts.length === 1) addToGroup(groups, u, done.length);
    else for (const part of splitByTable(u)) addToGroup(groups, part, done.length);
  }
  for (const g of groups.values()) await (g.length === 1 ? updateOne(conn, g[0]) : updateMany(conn, g));
  return done;
}

function addToGroup(groups: Map<string, RowUpdate[]>, u: RowUpdate, n: number): void {
  const sig = signature(u, n);
  const g = groups.get(sig);
  if (g) g.push(u);
  else groups.set(sig, [u]);
}

/** A joined subclass's changes, one UPDATE per table that has some (the version counter is in the base's). */
function splitByTable(u: RowUpdate): RowUpdate[] {
  const out: RowUpdate[] = [];
  for (const part of u.st.mapper.parts) {
    let changes: Map<number, unknown> | undefined;
    for (const [i, v] of u.changes) if (i >= part.offset && i < part.offset + part.columns.length) (changes ??= new Map()).set(i, v);
    if (changes === undefined) continue;
    const where = part.pkKeys.map((k) => committedValue(u.st, k));
    if (part.versionIndex >= 0) where.push(u.where[u.where.length - 1]);
    out.push({ st: u.st, m: part, changes, where });
  }
  return out;
}

/** Rows of one table changing the same columns share a statement; a SQL expression value goes alone. */
function signature(u: RowUpdate, n: number): string {
  let mask = 0;
  let wide = '';
  for (const [i, v] of u.changes) {
    if (isSqlExpression(v)) return `${u.m.table.fullname}|single|${n}|${u.m.offset}`;
    if (i < 30) mask |= 1 << i;
    else wide += `,${i}`;
  }
  return `${u.m.table.fullname}|${mask}${wide}`;
}

function prepare(st: InstanceState): RowUpdate | undefined {
  const m = st.mapper;
  const changes = changedColumns(st);
  if (changes === undefined) return undefined;
  // Client-side onUpdate values are evaluated here, so the object holds what was written.
  for (const { key, value } of m.defaults.onUpdate) {
    const i = m.columnIndex.get(key)!;
    if (changes.has(i)) continue;
    const v = value.evaluate();
    changes.set(i, v);
    if (!isSqlExpression(v)) st.values[i] = v;
  }
  const where: unknown[] = [];
  for (let n = 0; n < m.pkKeys.length; n++) where.push(committedValue(st, m.pkKeys[n]));
  if (m.versionIndex >= 0) {
    const old = readVersion(st, 'UPDATE');
    where.push(old);
    if (!changes.has(m.versionIndex)) {
      const next = m.versionGenerator(old);
      st.values[m.versionIndex] = next;
      changes.set(m.versionIndex, next);
    }
  }
  return { st, m, changes, where };
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
  for (const [i, v] of u.changes) set[m.columnKeys[i]] = v;
  const res = await conn.execute(update(m.table).where(whereClause(m, u.where)).values(set as any));
  if (res.rowcount !== 1) throw staleError(m, 'UPDATE', [u], res.rowcount);
}

async function updateMany(conn: Connection, g: RowUpdate[]): Promise<void> {
  const m = g[0].m;
  const where = matchByParams(m);
  const set: Record<string, unknown> = {};
  const cols = [...g[0].changes.keys()];
  for (const i of cols) set[m.columnKeys[i]] = bindparam(`athanor_v${i}`);
  const whereNames = m.matchKeys.map((_, n) => `athanor_w${n}`);
  const setNames = cols.map((i) => `athanor_v${i}`);
  const params = new Array<Record<string, unknown>>(g.length);
  for (let r = 0; r < g.length; r++) {
    const u = g[r];
    const p: Record<string, unknown> = {};
    for (let n = 0; n < whereNames.length; n++) p[whereNames[n]] = u.where[n];
    for (let c = 0; c < cols.length; c++) p[setNames[c]] = u.changes.get(cols[c]);
    params[r] = p;
  }
  const res = await conn.execute(update(m.table).where(where).values(set as any), params);
  if (res.rowcount !== g.length) throw staleError(m, 'UPDATE', g, res.rowcount);
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
