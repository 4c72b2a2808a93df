/** `session.refresh(obj, attributes?)`: the row's current values overwrite the object's, relationships reload. */
import { type ClauseElement, type Connection, InvalidRequestError, and, select } from '@athanor/core';
import { type Queries, loadRelationship } from '../loading';
import type { InstanceState } from '../state/instance-state';
import type { SessionObjects } from './lifecycle';

export async function refreshState(objects: SessionObjects, conn: Connection, st: InstanceState, attributes: readonly string[] | undefined, queries: Queries): Promise<void> {
  const m = st.mapper;
  const cols = attributes ? attributes.filter((a) => m.columnIndex.has(a)) : m.columnKeys;
  const rels = attributes ? attributes.filter((a) => m.relationships.has(a)) : Object.keys(st.rels ?? {});
  if (cols.length > 0) {
    const c = m.table.c as Record<string, any>;
    const criteria = m.pkKeys.map((k, n) => c[k].eq(st.values[m.pkIndexes[n]]));
    const stmt = select(...m.columnKeys.map((k) => c[k])).where(and(...criteria)) as ClauseElement;
    const res = await conn.execute(stmt);
    const row = res.first() as Record<string, unknown> | null;
    if (row === null) throw new InvalidRequestError(`refresh(): the ${m.name} row (${m.describePk(st.values)}) is gone from the database.`);
    for (const k of cols) {
      const i = m.columnIndex.get(k)!;
      st.values[i] = row[k];
      if (st.committed) delete st.committed[k];
      st.mutableSnapshots?.delete(i);
      st.flagged?.delete(i);
    }
    // A loop, not every(): an expired state's value slots are holes, which every() skips.
    if (allLoaded(st.values)) st.expired = false;
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

function allLoaded(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] === undefined) return false;
  return true;
}
