/** `session.refresh(obj, attributes?)`: the row's current values overwrite the object's, relationships reload. */
import { type ClauseElement, type Connection, InvalidRequestError, and, select } from '@athanor/core';
import { slotElement } from '../column-plan';
import { type Queries, loadRelationship } from '../loading';
import type { InstanceState } from '../state/instance-state';
import type { SessionObjects } from './lifecycle';

/**
 * The value slots a refresh reloads: the named columns and column properties, or by default
 * what a SELECT of the entity loads plus the deferred attributes the object has loaded.
 */
export function slotsToRefresh(st: InstanceState, attributes: readonly string[] | undefined): number[] {
  const m = st.mapper;
  if (attributes) {
    const out: number[] = [];
    for (const a of attributes) {
      const slot = m.slotOf(a);
      if (slot !== undefined) out.push(slot);
    }
    return out;
  }
  if (m.defaultPlan === undefined) return [...m.defaultSlots];
  const slots = new Set(m.defaultSlots);
  for (let i = 0; i < m.width; i++) if (st.values[i] !== undefined) slots.add(i);
  return [...slots].sort((a, b) => a - b);
}

export async function refreshState(
  objects: SessionObjects,
  conn: Connection,
  st: InstanceState,
  attributes: readonly string[] | undefined,
  queries: Queries,
  slots: readonly number[] = slotsToRefresh(st, attributes),
): Promise<void> {
  const m = st.mapper;
  const rels = attributes ? attributes.filter((a) => m.relationships.has(a)) : Object.keys(st.rels ?? {});
  if (slots.length > 0) {
    const joined = m.parts.length > 1;
    const c = m.table.c as Record<string, any>;
    const criteria = m.pkKeys.map((k, n) => (joined ? m.columns[m.pkIndexes[n]] : c[k]).eq(st.values[m.pkIndexes[n]]));
    // A joined-table subclass reads its tables joined, its columns labelled by slot (two tables share key names).
    const stmt = (
      joined ? select(...slots.map((i) => slotElement(m, i).label(`athanor_r${i}`))).selectFrom(m.innerFrom) : select(...slots.map((i) => slotElement(m, i)))
    ).where(and(...criteria)) as ClauseElement;
    const res = await conn.execute(stmt);
    const row = res.first() as Record<string, unknown> | null;
    if (row === null) throw new InvalidRequestError(`refresh(): the ${m.name} row (${m.describePk(st.values)}) is gone from the database.`);
    for (const i of slots) {
      const k = m.slotName(i);
      st.values[i] = row[joined ? `athanor_r${i}` : k];
      if (st.committed) delete st.committed[k];
      st.mutableSnapshots?.delete(i);
      st.flagged?.delete(i);
    }
    if (m.defaultLoaded(st.values)) st.expired = false;
    if (!attributes) {
      st.resetHistory();
      objects.modified.delete(st);
    }
  }
  for (const name of rels) {
    if (st.committed) delete st.committed[name];
    await loadRelationship(queries, [st], m.relationships.get(name)!, true);
  }
  m.listeners.fire('refresh', st.obj, attributes);
}
