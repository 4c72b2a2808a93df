/**
 * A ShardedSession's flush, one shard at a time: new objects are placed by the shard chooser
 * (those joining by save-update cascade too; asked at each flush until the row exists), every link between the objects to write is
 * checked to stay on one shard (a foreign key cannot point into another database), and the
 * session's objects are split into one part per shard. Each part is then flushed by the
 * ordinary flush on its shard's connection, and what it finalised is copied back.
 */
import { InvalidRequestError } from '@athanor/core';
import type { SessionObjects } from '../session/lifecycle';
import { type InstanceState, stateOf } from '../state/instance-state';
import { placeOnShard, stateShard } from './identity-map';

/** The shard chooser, checked: `st`'s shard id. */
export type ChooseShard = (st: InstanceState) => string;

/** The objects to write, split by shard (in the order of `shardIds`); throws before any SQL when a link crosses shards. */
export function partitionByShard(objects: SessionObjects, shardIds: readonly string[], choose: ChooseShard): Map<string, SessionObjects> {
  // Asked at every flush, not remembered from an earlier one: a new object whose transaction
  // rolled back may have changed since, and its shard with it.
  for (const st of objects.pending) placeOnShard(st, choose(st));
  checkLinks([...objects.pending, ...objects.modified], choose);
  const parts = new Map<string, SessionObjects>();
  const part = (st: InstanceState): SessionObjects => {
    const shard = stateShard(st);
    if (shard === undefined) throw new InvalidRequestError(`This ${st.mapper.name} object has no shard (it was not loaded or placed by this ShardedSession); load it through the session, or merge() it.`);
    let p = parts.get(shard);
    if (p === undefined) parts.set(shard, (p = { identityMap: objects.identityMap, pending: new Set(), modified: new Set(), toDelete: new Set() }));
    return p;
  };
  for (const st of objects.pending) part(st).pending.add(st);
  for (const st of objects.modified) part(st).modified.add(st);
  for (const st of objects.toDelete) part(st).toDelete.add(st);
  const ordered = new Map<string, SessionObjects>();
  for (const id of shardIds) if (parts.has(id)) ordered.set(id, parts.get(id)!);
  return ordered;
}

/** What a part's flush did (objects written, objects joined by cascade) applied to the session's own sets. */
export function applyPart(objects: SessionObjects, before: SessionObjects, after: SessionObjects): void {
  for (const name of ['pending', 'modified', 'toDelete'] as const) {
    for (const st of before[name]) if (!after[name].has(st)) objects[name].delete(st);
    for (const st of after[name]) objects[name].add(st);
  }
}

/** A copy of a part's sets, taken before its flush changes them. */
export function snapshot(part: SessionObjects): SessionObjects {
  return { identityMap: part.identityMap, pending: new Set(part.pending), modified: new Set(part.modified), toDelete: new Set(part.toDelete) };
}

/**
 * Follows the loaded relationships of the objects to write: a related object on another
 * shard is refused; a transient one the save-update cascade will bring in is placed now by
 * the chooser (and followed in turn), so that it is checked like the others.
 */
function checkLinks(work: InstanceState[], choose: ChooseShard): void {
  const seen = new Set(work);
  for (let i = 0; i < work.length; i++) {
    const st = work[i];
    const shard = stateShard(st);
    if (shard === undefined || st.mapper.relationships.size === 0) continue;
    for (const rel of st.mapper.relationships.values()) {
      if (rel.viewonly) continue;
      const v = st.rels?.[rel.name];
      const appends = st.pendingAppends?.get(rel.name);
      const related = Array.isArray(v) ? v : v ? [v as object] : [];
      for (const r of appends ? [...related, ...appends] : related) {
        const rs = stateOf(r);
        const joins = rs.session === undefined && rs.key === undefined && rel.cascade.has('save-update');
        let other = stateShard(rs);
        if (joins) placeOnShard(rs, (other = choose(rs)));
        if (other !== undefined && other !== shard) {
          throw new InvalidRequestError(
            `${st.mapper.name}.${rel.name} links a ${st.mapper.name} on shard '${shard}' to a ${rs.mapper.name} on shard '${other}': related rows live on one shard (a foreign key cannot point into another database). Make shardChooser place related objects on the same shard (e.g. a child's shard from its parent's: shardOf(parent)).`,
          );
        }
        if (joins && !seen.has(rs)) {
          seen.add(rs);
          work.push(rs);
        }
      }
    }
  }
}
