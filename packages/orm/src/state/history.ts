/**
 * Relationship history since the last flush (SQLAlchemy's History: added, unchanged,
 * deleted), computed from the value recorded before the first change. The flush turns it
 * into foreign keys, association rows and orphans; nothing else about a relationship is
 * written, so a foreign key column the user set directly is kept when its relationship did
 * not change.
 */
import type { Relationship } from '../relationship';
import { type InstanceState, NO_VALUE } from './instance-state';

export interface RelationshipHistory {
  added: object[];
  removed: object[];
  /** The value before the change was not loaded: what it held is unknown (the flush may load it). */
  unknownBase: boolean;
}

const asList = (v: unknown): object[] => (Array.isArray(v) ? v : v ? [v as object] : []);

/** What changed in a relationship, or undefined when nothing did. */
export function relationshipHistory(st: InstanceState, rel: Relationship): RelationshipHistory | undefined {
  const appends = st.pendingAppends?.get(rel.name);
  if (st.key === undefined) {
    // A new object: everything it holds is new (a write-only collection holds its queue only).
    const now = appends ? [...asList(st.rels?.[rel.name]), ...appends] : asList(st.rels?.[rel.name]);
    return now.length ? { added: now, removed: [], unknownBase: false } : undefined;
  }
  const c = st.committed;
  if (c === undefined || !(rel.name in c)) {
    // Not loaded: what was appended (a many-to-one set towards it, or a write-only add) and removed (write-only).
    const removes = st.pendingRemoves?.get(rel.name);
    if ((appends === undefined || appends.length === 0) && (removes === undefined || removes.length === 0)) return undefined;
    return { added: appends ? [...appends] : [], removed: removes ? [...removes] : [], unknownBase: true };
  }
  const before = c[rel.name];
  const now = asList(st.rels?.[rel.name]);
  if (before === NO_VALUE) return { added: now, removed: [], unknownBase: true };
  const old = asList(before);
  if (!rel.uselist) {
    if (old[0] === now[0]) return undefined;
    return { added: now, removed: old, unknownBase: false };
  }
  const oldSet = new Set(old);
  const nowSet = new Set(now);
  const added = now.filter((o) => !oldSet.has(o));
  const removed = old.filter((o) => !nowSet.has(o));
  if (appends) for (const a of appends) if (!nowSet.has(a)) added.push(a);
  return added.length || removed.length ? { added, removed, unknownBase: false } : undefined;
}

export function relationshipChanged(st: InstanceState, rel: Relationship): boolean {
  return relationshipHistory(st, rel) !== undefined;
}

export { asList };
export { NO_VALUE };
