/** The finalise stage, run only after every statement succeeded: identity keys, history cleared, states moved. */
import { arraySplice } from '../collection';
import { type InstanceState, maybeState } from '../state/instance-state';
import type { FlushContext, Plan } from './plan';

export function finalise(ctx: FlushContext, plan: Plan, updated: readonly InstanceState[]): void {
  const { objects, tx } = ctx;
  for (const [n, d] of plan.rowSwitches) {
    markDeleted(ctx, d);
    objects.pending.delete(n);
    objects.identityMap.add(n);
    tx.updated.add(n);
  }
  // Every pending object was inserted (the usual flush): the set is emptied whole.
  if (sameMembers(objects.pending, plan.inserts)) objects.pending.clear();
  else for (const st of plan.inserts) objects.pending.delete(st);
  tx.inserted.addAll(plan.inserts);
  for (const st of plan.inserts) {
    if (st.key !== undefined) objects.identityMap.add(st);
    // A row just inserted has no children beyond those the flush linked: its collections are known.
    if (st.mapper.relationships.size === 0) continue;
    for (const rel of st.mapper.relationships.values()) {
      if (rel.uselist && st.rels?.[rel.name] === undefined) (st.rels ??= {})[rel.name] = [];
    }
  }
  // Only a savepoint needs to know what it updated (to expire it if it rolls back); the
  // root transaction expires everything on rollback.
  const record = tx.nested;
  const rekeyed: InstanceState[] = [];
  for (const st of updated) {
    if (record) tx.updated.add(st);
    if (st.key === undefined) continue;
    const key = st.mapper.identityKey(st.values);
    if (key !== st.key) {
      // The primary key changed: the object answers to the new key only.
      objects.identityMap.remove(st);
      st.key = key;
      rekeyed.push(st);
    }
  }
  // A column property may be computed from what an UPDATE changed: it reads as not loaded until loaded again, never stale.
  for (const st of updated) for (const p of st.mapper.columnProperties) st.values[p.slot] = undefined;
  for (const st of rekeyed) if (st.key !== undefined && !st.deleted && !objects.identityMap.has(st)) objects.identityMap.add(st);
  for (const st of plan.deletes) markDeleted(ctx, st);
  // JSON values read before this flush may still be held by the caller and changed in place again.
  const watched: [InstanceState, number[]][] = [];
  for (const st of objects.modified) {
    if (st.deleted) {
      st.resetHistory();
      continue;
    }
    if (st.mutableSnapshots !== undefined) watched.push([st, [...st.mutableSnapshots.keys()]]);
    // Changed in memory by this flush without a statement of their own (a collection whose
    // members took its key): a savepoint rolled back must expire them too.
    if (record && st.key !== undefined && (st.committed !== undefined || st.pendingAppends !== undefined || st.pendingRemoves !== undefined)) tx.updated.add(st);
    st.resetHistory();
  }
  for (const st of plan.inserts) st.resetHistory();
  for (const st of updated) st.resetHistory();
  objects.modified.clear();
  objects.toDelete.clear();
  for (const [st, indexes] of watched) rewatch(st, indexes);
}

/**
 * Whether `set` holds exactly `list`: the plan listed the pending set in its order, so a walk
 * side by side answers without hashing (a listener that changed the set makes it false).
 */
function sameMembers(set: ReadonlySet<InstanceState>, list: readonly InstanceState[]): boolean {
  if (set.size !== list.length) return false;
  let i = 0;
  for (const st of set) if (st !== list[i++]) return false;
  return true;
}

/** New snapshots of the JSON values a state had handed out; it stays in the modified set, to compare at the next flush. */
function rewatch(st: InstanceState, indexes: readonly number[]): void {
  const snaps = new Map<number, string>();
  for (const i of indexes) {
    const v = st.values[i];
    if (v !== undefined && v !== null) snaps.set(i, JSON.stringify(v));
  }
  if (snaps.size === 0) return;
  st.mutableSnapshots = snaps;
  st.touch();
}

function markDeleted(ctx: FlushContext, st: InstanceState): void {
  ctx.objects.identityMap.remove(st);
  st.deleted = true;
  st.markedForDelete = false;
  st.resetHistory();
  ctx.objects.modified.delete(st);
  ctx.tx.deleted.add(st);
  // Loaded collections of the objects it belonged to no longer hold it.
  for (const rel of st.mapper.relationships.values()) {
    const reverse = rel.reverse;
    if (!reverse?.uselist) continue;
    const v = st.rels?.[rel.name];
    for (const o of Array.isArray(v) ? v : v ? [v] : []) {
      const list = stateRels(o as object)?.[reverse.name];
      if (Array.isArray(list)) {
        const i = list.indexOf(st.obj);
        if (i >= 0) arraySplice.call(list, i, 1);
      }
    }
  }
}

function stateRels(obj: object): Record<string, unknown> | undefined {
  return maybeState(obj)?.rels;
}
