/**
 * DELETEs: rows of one mapper with a one-column key and no version counter go as
 * `DELETE … WHERE pk IN (…)` within the parameter limit; others as one executemany of
 * `WHERE pk = ? [AND version = ?]`. Every row must match exactly once, else StaleDataError.
 * A joined-table subclass's rows are deleted from each of its tables, its own first.
 */
import { type Connection, delete_ } from '@athanor/core';
import type { InstanceState } from '../state/instance-state';
import type { TablePart } from '../table-part';
import { matchByParams, readVersion, staleError } from './emit-update';
import { committedValue } from './order';

export async function emitDeletes(conn: Connection, states: readonly InstanceState[]): Promise<void> {
  if (states.length === 0) return;
  const parts = states[0].mapper.parts;
  // A joined subclass's rows: its own table's first, the base's last (the key references it).
  for (let p = parts.length - 1; p >= 0; p--) await deleteRows(conn, parts[p], states);
}

async function deleteRows(conn: Connection, m: TablePart, states: readonly InstanceState[]): Promise<void> {
  const c = m.table.c as Record<string, any>;
  const rows = states.map((st) => {
    const where = m.pkKeys.map((k) => committedValue(st, k));
    if (m.versionIndex >= 0) where.push(readVersion(st, 'DELETE'));
    return { st, where };
  });
  if (m.pkKeys.length === 1 && m.versionIndex < 0) {
    const size = Math.max(1, Math.min(1000, conn.dialect.capabilities.dml.maxParams - 10));
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size);
      const col = c[m.pkKeys[0]];
      const res = await conn.execute(delete_(m.table).where(chunk.length === 1 ? col.eq(chunk[0].where[0]) : col.in(chunk.map((r) => r.where[0]))));
      if (res.rowcount !== chunk.length) throw staleError(m, 'DELETE', chunk, res.rowcount);
    }
    return;
  }
  const stmt = delete_(m.table).where(matchByParams(m));
  const params = rows.map((r) => Object.fromEntries(r.where.map((v, n) => [`athanor_w${n}`, v])));
  const res = await conn.execute(stmt, rows.length === 1 ? params[0] : params);
  if (res.rowcount !== rows.length) throw staleError(m, 'DELETE', rows, res.rowcount);
}
