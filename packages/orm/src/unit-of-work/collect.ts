/**
 * The collect stage: save-update cascade, orphans, delete cascade, and the foreign-key
 * dependencies between the objects that stay.
 */
import { type InstanceQuery, loadRelationship } from '../loading';
import { stateOf } from '../state';
import { changedColumns } from './emit';
import { processRemovedMembers } from './orphans';
import { type Dependency, type FlushTarget, type Plan, asList, syncForeignKey } from './plan';

export async function collect(target: FlushTarget, query: InstanceQuery): Promise<Plan> {
  const { pending, toDelete, identityMap } = target;
  // save-update cascade: new objects reachable from the session's objects join it.
  const seen = new Set<object>();
  const work = [...pending, ...identityMap.values()];
  // An index, not shift(): shifting a long array copies it (quadratic over a big session).
  for (let i = 0; i < work.length; i++) {
    const obj = work[i];
    if (seen.has(obj)) continue;
    seen.add(obj);
    const st = stateOf(obj);
    for (const [name, value] of st.rels) {
      const rel = st.mapper.relationships.get(name)!;
      if (!rel.cascade.has('save-update')) continue;
      for (const r of asList(value)) {
        const rs = stateOf(r);
        if (rs.deleted) continue;
        if (rs.session === undefined) {
          rs.session = target.self;
          if (rs.key === undefined) pending.add(r);
          else identityMap.set(rs.key, r);
        }
        work.push(r);
      }
    }
  }
  processRemovedMembers(target);
  // delete cascade (children of deleted parents go too); without it, children are detached (FK set to NULL).
  const deleteWork = [...toDelete];
  while (deleteWork.length) {
    const obj = deleteWork.pop()!;
    const st = stateOf(obj);
    if (st.key === undefined) continue;
    for (const rel of st.mapper.relationships.values()) {
      if (rel.direction !== 'oneToMany') continue;
      await loadRelationship(query, [obj], rel, false);
      for (const child of asList(st.rels.get(rel.name))) {
        if (rel.cascade.has('delete')) {
          if (!toDelete.has(child)) {
            toDelete.add(child);
            deleteWork.push(child);
          }
        } else if (!toDelete.has(child)) for (const p of rel.pairs) (child as Record<string, unknown>)[p.many] = null;
      }
    }
  }
  // Dependencies between live objects, and the in-memory back-references they imply.
  const deps: Dependency[] = [];
  for (const obj of [...pending, ...identityMap.values()]) {
    if (toDelete.has(obj)) continue;
    const st = stateOf(obj);
    for (const [name, value] of st.rels) {
      const rel = st.mapper.relationships.get(name)!;
      for (const r of asList(value)) {
        if (toDelete.has(r)) continue;
        if (rel.direction === 'oneToMany') {
          deps.push({ one: obj, many: r, rel });
          const reverse = rel.reverse;
          if (reverse && !reverse.uselist) stateOf(r).rels.set(reverse.name, obj);
        } else deps.push({ one: r, many: obj, rel });
      }
    }
  }
  // Dependencies may change foreign keys: apply those whose parent has its key already.
  for (const d of deps) if (stateOf(d.one).key !== undefined) syncForeignKey(d);
  const inserts = [...pending].filter((o) => !toDelete.has(o));
  const updates = new Map<object, Record<string, unknown>>();
  for (const obj of identityMap.values()) {
    if (toDelete.has(obj)) continue;
    const changed = changedColumns(obj);
    if (Object.keys(changed).length) updates.set(obj, changed);
  }
  const deletes = [...toDelete].filter((o) => stateOf(o).key !== undefined);
  for (const o of toDelete) if (stateOf(o).key === undefined) pending.delete(o);
  return { inserts, updates, deletes, deps };
}
