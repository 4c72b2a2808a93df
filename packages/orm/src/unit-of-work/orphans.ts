/**
 * Members removed from a loaded collection since it was loaded or flushed. A removed child
 * that has a parent again at flush time — it sits in another loaded collection of the same
 * relationship, or its many-to-one side names another parent — has moved: it keeps its row
 * and takes the new parent's key (SQLAlchemy's has-parent check). Only a child with no
 * parent is an orphan: deleted under `delete-orphan`, otherwise its foreign key is set to NULL.
 */
import type { Relationship } from '../relationship';
import { stateOf } from '../state';
import { type FlushTarget, asList } from './plan';

export function processRemovedMembers(target: FlushTarget): void {
  // Built on the first removal only: a flush that removes nothing scans nothing.
  let owners: CollectionOwners | undefined;
  for (const obj of target.identityMap.values()) {
    const st = stateOf(obj);
    for (const [name, before] of st.relSnapshot) {
      const rel = st.mapper.relationships.get(name)!;
      const now = asList(st.rels.get(name));
      let current: Set<object> | undefined;
      for (const child of before) {
        if ((current ??= new Set(now)).has(child)) continue;
        owners ??= new CollectionOwners(target);
        const newParent = owners.ownerOf(rel, child) ?? scalarParent(rel, child, obj);
        const reverse = rel.reverse;
        if (newParent) {
          // The collection wins over a many-to-one side left pointing at the old parent.
          if (reverse && !reverse.uselist) stateOf(child).rels.set(reverse.name, newParent);
          continue;
        }
        if (rel.cascade.has('delete-orphan')) target.toDelete.add(child);
        else for (const p of rel.pairs) (child as Record<string, unknown>)[p.many] = null;
        if (reverse && stateOf(child).rels.get(reverse.name) === obj) stateOf(child).rels.set(reverse.name, null);
      }
    }
  }
}

/** Which loaded collection of a relationship holds each child, over the session's objects. */
class CollectionOwners {
  private readonly byRel = new Map<Relationship, Map<object, object>>();
  constructor(private readonly target: FlushTarget) {}

  ownerOf(rel: Relationship, child: object): object | undefined {
    let owners = this.byRel.get(rel);
    if (!owners) {
      owners = new Map();
      for (const objs of [this.target.identityMap.values(), this.target.pending]) {
        for (const o of objs) {
          const st = stateOf(o);
          if (st.mapper !== rel.parent) continue;
          for (const c of asList(st.rels.get(rel.name))) owners.set(c, o);
        }
      }
      this.byRel.set(rel, owners);
    }
    return owners.get(child);
  }
}

/** A parent other than `old` named by one of the child's many-to-one relationships over the same foreign key. */
function scalarParent(rel: Relationship, child: object, old: object): object | undefined {
  const st = stateOf(child);
  for (const m of st.mapper.relationships.values()) {
    if (m.direction !== 'manyToOne' || m.target !== rel.parent || !samePairs(m, rel)) continue;
    const p = st.rels.get(m.name);
    if (p && p !== old) return p as object;
  }
  return undefined;
}

function samePairs(a: Relationship, b: Relationship): boolean {
  return a.pairs.length === b.pairs.length && a.pairs.every((p, i) => p.one === b.pairs[i].one && p.many === b.pairs[i].many);
}
