/** The finalise stage, run only after every statement succeeded: identity keys, snapshots, states. */
import { stateOf } from '../state';
import type { FlushTarget } from './plan';

export function finalise(target: FlushTarget, inserted: Set<object>, rekeyed: Set<object>, deleted: Set<object>): void {
  rekey(target.identityMap, rekeyed);
  for (const obj of inserted) {
    const st = stateOf(obj);
    st.committed = st.mapper.snapshot(obj);
    st.key = st.mapper.identityKey(obj as Record<string, unknown>);
    if (st.key !== undefined) target.identityMap.set(st.key, obj);
    target.pending.delete(obj);
    target.inserted.add(obj);
    // A row just inserted has no children yet beyond those the flush linked: collections are known.
    for (const rel of st.mapper.relationships.values()) {
      if (rel.uselist && !st.rels.has(rel.name)) st.rels.set(rel.name, []);
    }
  }
  for (const obj of deleted) {
    const st = stateOf(obj);
    if (st.key !== undefined) target.identityMap.delete(st.key);
    st.deleted = true;
    target.toDelete.delete(obj);
  }
  target.toDelete.clear();
  for (const obj of target.identityMap.values()) {
    const st = stateOf(obj);
    for (const [name, value] of st.rels) if (Array.isArray(value)) st.relSnapshot.set(name, [...value]);
  }
}

/** Objects whose primary key an UPDATE changed answer to the new key only (two passes: keys may swap). */
function rekey(identityMap: Map<string, object>, rekeyed: Set<object>): void {
  if (rekeyed.size === 0) return;
  const moved: [object, string | undefined][] = [];
  for (const obj of rekeyed) {
    const st = stateOf(obj);
    if (st.key !== undefined && identityMap.get(st.key) === obj) identityMap.delete(st.key);
    moved.push([obj, st.mapper.identityKey(obj as Record<string, unknown>)]);
  }
  for (const [obj, key] of moved) {
    stateOf(obj).key = key;
    if (key !== undefined) identityMap.set(key, obj);
  }
}
