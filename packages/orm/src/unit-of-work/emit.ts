/** The emit stage for UPDATE and DELETE, one statement per object (INSERT: insert.ts). */
import { type Connection, StaleDataError, and, delete_, update } from '@athanor/core';
import { isSqlExpression } from '../column-defaults';
import type { Mapper } from '../mapper';
import { stateOf } from '../state';

/** Columns whose value differs from the loaded/flushed snapshot. */
export function changedColumns(obj: object): Record<string, unknown> {
  const st = stateOf(obj);
  const out: Record<string, unknown> = {};
  if (!st.committed) return out;
  for (const k of st.mapper.columnKeys) {
    const now = (obj as Record<string, unknown>)[k];
    if (now !== undefined && !sameValue(now, st.committed[k])) out[k] = now;
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function pkCriteria(mapper: Mapper, committed: Record<string, unknown>) {
  return and(...mapper.pkKeys.map((k) => (mapper.table.c as any)[k].eq(committed[k])));
}

/** `rekeyed` receives the object when its primary key changed (finalise moves it in the identity map). */
export async function emitUpdate(conn: Connection, obj: object, changes: Record<string, unknown>, rekeyed: Set<object>): Promise<void> {
  const st = stateOf(obj);
  // Client-side onUpdate values are evaluated here, so the object holds what was written.
  for (const { key, value } of st.mapper.defaults.onUpdate) {
    if (key in changes) continue;
    const v = value.evaluate();
    changes[key] = v;
    if (!isSqlExpression(v)) (obj as Record<string, unknown>)[key] = v;
  }
  const res = await conn.execute(update(st.mapper.table).where(pkCriteria(st.mapper, st.committed!)).values(changes as any));
  if (res.rowcount !== 1) {
    throw new StaleDataError(`UPDATE of ${st.mapper.name} (${describePk(st.mapper, st.committed!)}) matched ${res.rowcount} rows, expected 1: the row was deleted or its key changed by someone else.`);
  }
  st.committed = st.mapper.snapshot(obj);
  if (st.mapper.pkKeys.some((k) => k in changes)) rekeyed.add(obj);
}

export async function emitDelete(conn: Connection, obj: object): Promise<void> {
  const st = stateOf(obj);
  const res = await conn.execute(delete_(st.mapper.table).where(pkCriteria(st.mapper, st.committed!)));
  if (res.rowcount !== 1) {
    throw new StaleDataError(`DELETE of ${st.mapper.name} (${describePk(st.mapper, st.committed!)}) matched ${res.rowcount} rows, expected 1: the row was already deleted by someone else.`);
  }
}

function describePk(mapper: Mapper, values: Record<string, unknown>): string {
  return mapper.pkKeys.map((k) => `${k}=${String(values[k])}`).join(', ');
}
