/**
 * Many-to-many association rows: inserted after both sides exist, deleted before either
 * side is. Both sides of a `backPopulates` pair record the same change; each row is
 * written once.
 */
import { type Connection, and, delete_, insert } from '@athanor/core';
import type { Relationship } from '../relationship';
import type { InstanceState } from '../state/instance-state';
import type { AssociationRow } from './plan';

/** The association row's column values: the owner's key through `pairs`, the target's through `targetPairs`. */
function rowValues(r: AssociationRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of r.rel.pairs) out[p.many] = r.owner.values[r.owner.mapper.columnIndex.get(p.one)!];
  for (const p of r.rel.targetPairs) out[p.many] = r.target.values[r.target.mapper.columnIndex.get(p.one)!];
  return out;
}

function distinct(rows: readonly AssociationRow[]): { rel: Relationship; values: Record<string, unknown> }[] {
  const seen = new Set<string>();
  const out: { rel: Relationship; values: Record<string, unknown> }[] = [];
  for (const r of rows) {
    const values = rowValues(r);
    const key = `${r.rel.secondary!.fullname}|${Object.keys(values)
      .sort()
      .map((k) => `${k}=${String(values[k])}`)
      .join('|')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ rel: r.rel, values });
  }
  return out;
}

export async function insertLinks(conn: Connection, rows: readonly AssociationRow[]): Promise<void> {
  const bySecondary = new Map<unknown, Record<string, unknown>[]>();
  const tables = new Map<unknown, Relationship>();
  for (const { rel, values } of distinct(rows)) {
    const list = bySecondary.get(rel.secondary);
    if (list) list.push(values);
    else bySecondary.set(rel.secondary, [values]);
    tables.set(rel.secondary, rel);
  }
  for (const [secondary, list] of bySecondary) await conn.execute(insert(tables.get(secondary)!.secondary!), list);
}

export async function deleteLinks(conn: Connection, rows: readonly AssociationRow[]): Promise<void> {
  for (const { rel, values } of distinct(rows)) {
    const c = rel.secondary!.c as Record<string, any>;
    await conn.execute(delete_(rel.secondary!).where(and(...Object.entries(values).map(([k, v]) => c[k].eq(v)))));
  }
}

/** Every association row of a deleted object (its collection need not be loaded). */
export async function deleteAllLinks(conn: Connection, items: readonly { rel: Relationship; owner: InstanceState }[]): Promise<void> {
  const seen = new Set<string>();
  for (const { rel, owner } of items) {
    const c = rel.secondary!.c as Record<string, any>;
    const values = rel.pairs.map((p) => owner.values[owner.mapper.columnIndex.get(p.one)!]);
    const key = `${rel.secondary!.fullname}|${rel.pairs.map((p) => p.many).join(',')}|${values.map(String).join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await conn.execute(delete_(rel.secondary!).where(and(...rel.pairs.map((p, n) => c[p.many].eq(values[n])))));
  }
}
