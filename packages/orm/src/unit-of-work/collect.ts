/**
 * The collect stage (SQLAlchemy's dependency processors, one per relationship direction):
 * the save-update cascade brings new related objects into the session; relationship
 * history becomes foreign-key copies, orphans and association rows; the delete cascade
 * and the nulling of children of deleted rows load what they need; a delete and an add of
 * the same row become a row switch. Only history is written: a relationship that did not
 * change leaves its foreign key columns as the user set them.
 */
import { type ClauseElement, InvalidRequestError, and, select } from '@athanor/core';
import type { Relationship } from '../relationship';
import { asList, relationshipHistory } from '../state/history';
import { type InstanceState, NO_VALUE, maybeState, stateOf } from '../state/instance-state';
import { distinctKeys, keyAt, keyIn } from '../relationship-keys';
import { committedValue } from './order';
import { type FlushContext, type Plan, rowKey } from './plan';

export async function collect(ctx: FlushContext): Promise<Plan> {
  const { objects } = ctx;
  cascadeSaves(ctx);
  const plan: Plan = {
    inserts: [],
    updates: [],
    deletes: new Set(),
    syncs: [],
    links: [],
    unlinks: [],
    unlinkAll: [],
    rowSwitches: new Map(),
  };
  for (const st of objects.toDelete) plan.deletes.add(st);
  // Only objects whose mapper has relationships can carry relationship history.
  const changed: InstanceState[] = [];
  for (const st of objects.pending) if (st.mapper.relationships.size > 0) changed.push(st);
  for (const st of objects.modified) if (st.mapper.relationships.size > 0) changed.push(st);
  // Children whose foreign key already took a new parent in this flush.
  const moved = new Set<InstanceState>();
  // Children whose many-to-one was set to null under the other side's delete-orphan.
  const orphans: InstanceState[] = [];
  for (const st of changed) {
    if (plan.deletes.has(st)) continue;
    for (const rel of st.mapper.relationships.values()) {
      const h = rel.viewonly ? undefined : relationshipHistory(st, rel);
      if (h === undefined) continue;
      if (rel.direction === 'manyToOne') {
        const target = st.rels?.[rel.name];
        plan.syncs.push({ child: st, pairs: rel.pairs, parent: target ? stateOf(target as object) : null, rel, post: rel.postUpdate });
        if (target) moved.add(st);
        else if (st.key !== undefined && rel.reverse?.cascade.has('delete-orphan') && hadParent(st, rel, h.removed.length > 0)) orphans.push(st);
      } else if (rel.direction === 'oneToMany') {
        const reverse = rel.reverse;
        for (const c of h.added) {
          const cs = stateOf(c);
          plan.syncs.push({ child: cs, pairs: rel.pairs, parent: st, rel, post: rel.postUpdate });
          moved.add(cs);
          // The collection wins over a many-to-one side left pointing elsewhere (an index write).
          if (reverse && !reverse.uselist && cs.rels?.[reverse.name] !== st.obj) (cs.rels ??= {})[reverse.name] = st.obj;
        }
      }
    }
  }
  for (const st of changed) {
    if (plan.deletes.has(st)) continue;
    for (const rel of st.mapper.relationships.values()) {
      const h = rel.viewonly ? undefined : relationshipHistory(st, rel);
      if (h === undefined) continue;
      if (rel.direction === 'oneToMany') {
        let removed = h.removed.map((o) => stateOf(o));
        if (h.unknownBase && st.key !== undefined && st.committed !== undefined && st.committed[rel.name] === NO_VALUE) {
          // Assigned while not loaded (a collection, or the child of a one-to-one): what it
          // held is read now, to find the members that left.
          const now = new Set(asList(st.rels?.[rel.name]));
          removed = (await childrenInDatabase(ctx, st, rel)).filter((c) => !now.has(c.obj));
        }
        for (const c of removed) removedChild(plan, st, rel, c, moved);
      } else if (rel.direction === 'manyToMany') {
        let { added, removed } = h;
        if (h.unknownBase && st.key !== undefined && st.committed !== undefined && st.committed[rel.name] === NO_VALUE) {
          // Assigned while not loaded: the rows linked now are read, so that a member already
          // linked is not linked twice and one that left is unlinked.
          const before = await linkedInDatabase(ctx, st, rel);
          const was = new Set(before);
          const now = asList(st.rels?.[rel.name]);
          const nowSet = new Set(now);
          added = now.filter((o) => !was.has(o));
          removed = before.filter((o) => !nowSet.has(o));
        }
        for (const o of added) plan.links.push({ rel, owner: st, target: stateOf(o) });
        for (const o of removed) plan.unlinks.push({ rel, owner: st, target: stateOf(o) });
      }
    }
  }
  // An orphan whether or not the parent's collection is loaded (loaded, removedChild found it too).
  for (const st of orphans) if (!moved.has(st)) plan.deletes.add(st);
  await cascadeDeletes(ctx, plan, moved);
  if (plan.deletes.size === 0) for (const st of objects.pending) plan.inserts.push(st);
  else for (const st of objects.pending) if (!plan.deletes.has(st)) plan.inserts.push(st);
  for (const st of objects.modified) if (st.key !== undefined && !plan.deletes.has(st)) plan.updates.push(st);
  if (plan.syncs.length > 0) {
    // Children whose key a relationship sets: updated once, even when also changed or moved twice.
    const listed = new Set(plan.updates);
    for (const s of plan.syncs) {
      if (s.child.key === undefined || plan.deletes.has(s.child) || listed.has(s.child)) continue;
      listed.add(s.child);
      plan.updates.push(s.child);
    }
  }
  findRowSwitches(plan);
  return plan;
}

/** Whether the row had a parent through `rel` before this flush: the object it held, else its foreign key in the database. */
function hadParent(st: InstanceState, rel: Relationship, heldOne: boolean): boolean {
  if (heldOne) return true;
  return rel.pairs.every((p) => committedValue(st, p.many) !== null);
}

/** New objects reachable through save-update relationships of new and changed objects join the session. */
function cascadeSaves(ctx: FlushContext): void {
  const { objects } = ctx;
  // Only objects whose mapper has relationships can reach others (a flush of plain rows lists none).
  const work: InstanceState[] = [];
  for (const st of objects.pending) if (st.mapper.relationships.size > 0) work.push(st);
  for (const st of objects.modified) if (st.mapper.relationships.size > 0) work.push(st);
  const seen = new Set<InstanceState>();
  // An index, not shift(): shifting a long array copies it.
  for (let i = 0; i < work.length; i++) {
    const st = work[i];
    if (st.mapper.relationships.size === 0) continue;
    if (seen.has(st)) continue;
    seen.add(st);
    for (const rel of st.mapper.relationships.values()) {
      if (!rel.cascade.has('save-update')) continue;
      const v = st.rels?.[rel.name];
      const related = Array.isArray(v) ? v : v ? [v as object] : [];
      const appends = st.pendingAppends?.get(rel.name);
      for (const r of appends ? [...related, ...appends] : related) {
        const rs = stateOf(r);
        if (rs.session === ctx.session || rs.deleted) continue;
        if (rs.session !== undefined) {
          throw new InvalidRequestError(`${st.mapper.name}.${rel.name} holds a ${rs.mapper.name} object attached to another session; expunge it there or merge it into this one.`);
        }
        rs.session = ctx.session as never;
        if (rs.key === undefined) {
          objects.pending.add(rs);
          ctx.tx.added.add(rs);
        } else if (objects.identityMap.add(rs) === undefined && (rs.modified || rs.committed !== undefined)) {
          rs.modified = true;
          objects.modified.add(rs);
        }
        work.push(rs);
      }
    }
  }
}

/** A child left a collection: moved elsewhere, an orphan to delete, or its foreign key is cleared. */
function removedChild(plan: Plan, parent: InstanceState, rel: Relationship, child: InstanceState, moved: Set<InstanceState>): void {
  if (plan.deletes.has(child) || moved.has(child) || keyWrittenElsewhere(child, parent, rel)) return;
  if (rel.cascade.has('delete-orphan')) {
    if (child.key !== undefined) plan.deletes.add(child);
    return;
  }
  plan.syncs.push({ child, pairs: rel.pairs, parent: null, rel, post: false });
  const reverse = rel.reverse;
  if (reverse && !reverse.uselist && child.rels?.[reverse.name] === parent.obj) child.rels[reverse.name] = null;
}

/** A foreign key the user set directly to another parent (or NULL): a move, which wins over a collection that did not change. */
function keyWrittenElsewhere(child: InstanceState, parent: InstanceState, rel: Relationship): boolean {
  const c = child.committed;
  if (c === undefined || !rel.pairs.some((p) => p.many in c)) return false;
  return !rel.pairs.every((p) => child.values[child.mapper.columnIndex.get(p.many)!] === parent.values[parent.mapper.columnIndex.get(p.one)!]);
}

/** Children of deleted rows: deleted too under the delete cascade, else their foreign key is cleared. */
async function cascadeDeletes(ctx: FlushContext, plan: Plan, moved: Set<InstanceState>): Promise<void> {
  const work = [...plan.deletes];
  // Children not loaded are read per wave of deleted rows with one IN query per
  // relationship (a tree is read level by level, not row by row).
  const prefetched = new Map<InstanceState, Map<Relationship, InstanceState[]>>();
  let waveEnd = 0;
  for (let i = 0; i < work.length; i++) {
    if (i === waveEnd) {
      waveEnd = work.length;
      await prefetchChildren(ctx, work.slice(i, waveEnd), prefetched);
    }
    const st = work[i];
    if (st.key === undefined) continue;
    for (const rel of st.mapper.relationships.values()) {
      // viewonly: never written; passiveDeletes 'all': the database does all of it.
      if (rel.viewonly || rel.passiveDeletes === 'all') continue;
      if (rel.direction === 'manyToMany') {
        plan.unlinkAll.push({ rel, owner: st });
        if (rel.cascade.has('delete')) {
          // The objects it is linked to go too (their own association rows with them).
          const loaded = st.rels?.[rel.name];
          for (const t of loaded !== undefined ? asList(loaded) : await linkedInDatabase(ctx, st, rel)) {
            const ts = stateOf(t);
            if (ts.key === undefined || plan.deletes.has(ts)) continue;
            plan.deletes.add(ts);
            work.push(ts);
          }
        }
        continue;
      }
      if (rel.direction === 'manyToOne') {
        const target = st.rels?.[rel.name];
        if (rel.cascade.has('delete') && target) {
          const ts = stateOf(target as object);
          if (ts.key !== undefined && !plan.deletes.has(ts)) {
            plan.deletes.add(ts);
            work.push(ts);
          }
        }
        continue;
      }
      // passiveDeletes: the database's ON DELETE deals with the children not loaded.
      const children = rel.passiveDeletes ? loadedChildren(st, rel) : await childrenOf(ctx, st, rel, prefetched.get(st)?.get(rel));
      for (const child of children) {
        if (plan.deletes.has(child) || moved.has(child) || keyWrittenElsewhere(child, st, rel)) continue;
        if (rel.cascade.has('delete')) {
          if (child.key === undefined) continue;
          plan.deletes.add(child);
          work.push(child);
        } else {
          plan.syncs.push({ child, pairs: rel.pairs, parent: null, rel, post: false });
          const reverse = rel.reverse;
          if (reverse && !reverse.uselist && child.rels?.[reverse.name] === st.obj) child.rels[reverse.name] = null;
        }
      }
    }
  }
}

/** The children of `st` loaded in memory (and those that left the collection since), none when it is not loaded. */
function loadedChildren(st: InstanceState, rel: Relationship): InstanceState[] {
  const loaded = st.rels?.[rel.name];
  if (loaded === undefined) return [];
  const h = relationshipHistory(st, rel);
  return [...asList(loaded).map((o) => stateOf(o)), ...(h ? h.removed.map((o) => stateOf(o)) : [])];
}

/** The children a deleted row has now: its loaded collection, else its rows in the database still pointing at it. */
async function childrenOf(ctx: FlushContext, st: InstanceState, rel: Relationship, prefetched: InstanceState[] | undefined): Promise<InstanceState[]> {
  if (st.rels?.[rel.name] !== undefined && rel.lazy !== 'noload') return loadedChildren(st, rel);
  if (prefetched !== undefined) return prefetched.filter((child) => stillChildOf(child, st, rel));
  return childrenInDatabase(ctx, st, rel);
}

/** Reads the unloaded one-to-many children of a wave of deleted rows: one IN query per relationship and 500 keys. */
async function prefetchChildren(ctx: FlushContext, wave: readonly InstanceState[], out: Map<InstanceState, Map<Relationship, InstanceState[]>>): Promise<void> {
  const byRel = new Map<Relationship, InstanceState[]>();
  for (const st of wave) {
    if (st.key === undefined) continue;
    for (const rel of st.mapper.relationships.values()) {
      if (rel.direction !== 'oneToMany' || rel.viewonly || rel.passiveDeletes || (st.rels?.[rel.name] !== undefined && rel.lazy !== 'noload')) continue;
      const list = byRel.get(rel);
      if (list) list.push(st);
      else byRel.set(rel, [st]);
    }
  }
  for (const [rel, parents] of byRel) {
    if (parents.length < 2) continue;
    const oneIndexes = rel.pairs.map((p) => rel.parent.columnIndex.get(p.one)!);
    const manyIndexes = rel.pairs.map((p) => rel.target.columnIndex.get(p.many)!);
    const byKey = new Map<unknown, InstanceState[]>();
    for (const p of parents) {
      const k = keyAt(p.values, oneIndexes);
      const list = byKey.get(k);
      if (list) list.push(p);
      else byKey.set(k, [p]);
      (out.get(p) ?? out.set(p, new Map()).get(p)!).set(rel, []);
    }
    const keys = distinctKeys(parents, oneIndexes);
    const c = rel.target.table.c as Record<string, any>;
    const cols = rel.pairs.map((p) => c[p.many]);
    for (let i = 0; i < keys.length; i += 500) {
      const found = await ctx.queries.instances(select(rel.target.cls as any).where(keyIn(cols, keys.slice(i, i + 500)), rel.criteria) as ClauseElement);
      for (const o of found) {
        const child = stateOf(o);
        for (const p of byKey.get(keyAt(child.values, manyIndexes)) ?? []) out.get(p)!.get(rel)!.push(child);
      }
    }
  }
}

/** Rows of `rel`'s target whose foreign key names `st` in the database and still in memory (not moved). */
async function childrenInDatabase(ctx: FlushContext, st: InstanceState, rel: Relationship): Promise<InstanceState[]> {
  const c = rel.target.table.c as Record<string, any>;
  const criteria = rel.pairs.map((p) => c[p.many].eq(st.values[st.mapper.columnIndex.get(p.one)!]));
  const stmt = select(rel.target.cls as any).where(and(...criteria, rel.criteria));
  const found = await ctx.queries.instances(stmt as ClauseElement);
  return found.map((o) => stateOf(o)).filter((child) => stillChildOf(child, st, rel));
}

/** A child read from the database still belongs to `st` in memory (its key and its many-to-one were not moved). */
function stillChildOf(child: InstanceState, st: InstanceState, rel: Relationship): boolean {
  if (!rel.pairs.every((p) => child.values[child.mapper.columnIndex.get(p.many)!] === st.values[st.mapper.columnIndex.get(p.one)!])) return false;
  // A child whose many-to-one now names another object has moved away.
  const reverse = rel.reverse;
  const now = reverse && !reverse.uselist ? child.rels?.[reverse.name] : undefined;
  return now === undefined || now === null || now === st.obj || maybeState(now) === undefined;
}

/** The objects a many-to-many links `st` to in the database (through its association rows). */
async function linkedInDatabase(ctx: FlushContext, st: InstanceState, rel: Relationship): Promise<object[]> {
  const sec = rel.secondary!.c as Record<string, any>;
  const target = rel.target.table.c as Record<string, any>;
  const on = and(...rel.targetPairs.map((p) => target[p.one].eq(sec[p.many])), rel.secondaryCriteria);
  const owner = and(...rel.pairs.map((p) => sec[p.many].eq(st.values[st.mapper.columnIndex.get(p.one)!])));
  return ctx.queries.instances(select(rel.target.cls as any).join(rel.secondary!, on).where(owner) as ClauseElement);
}

/** A new object with the key of a row deleted in the same flush takes that row over with an UPDATE. */
function findRowSwitches(plan: Plan): void {
  if (plan.deletes.size === 0 || plan.inserts.length === 0) return;
  const deleted = new Map<unknown, InstanceState>();
  for (const d of plan.deletes) if (d.key !== undefined) deleted.set(rowKey(d.mapper.table, d.key), d);
  for (let i = plan.inserts.length - 1; i >= 0; i--) {
    const n = plan.inserts[i];
    const key = n.mapper.identityKey(n.values);
    if (key === undefined) continue;
    const d = deleted.get(rowKey(n.mapper.table, key));
    if (d === undefined || d.mapper !== n.mapper) continue;
    plan.rowSwitches.set(n, d);
    plan.deletes.delete(d);
    plan.inserts.splice(i, 1);
  }
}
