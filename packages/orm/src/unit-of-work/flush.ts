/**
 * The flush, as a pipeline of small stages (SQLAlchemy's unitofwork/persistence):
 * collect (cascades, history → key copies, orphans, association rows) → order (rows in
 * levels, mappers by foreign key) → emit (batched statements) → finalise (identity keys,
 * history cleared). Statements run in this order, so that a key exists before it is
 * referenced and a row is unreferenced before it is deleted:
 *   1. association rows removed;
 *   2. deletes of rows nothing in the flush references (an orphan replaced under a unique key);
 *   3. UPDATEs that need no new row's key;
 *   4. INSERTs, level by level, each level taking its parents' new keys;
 *   5. UPDATEs that take new keys (a child moved to a new parent, a row switch, postUpdate keys);
 *   6. association rows added;
 *   7. foreign keys cleared on rows that point at each other, then DELETEs, children first.
 * Nothing is finalised unless every statement succeeded; on failure the session rolls back.
 */
import type { Mapper } from '../mapper';
import { type InstanceState, NO_VALUE, historyRecord } from '../state/instance-state';
import { deleteAllLinks, deleteLinks, insertLinks } from './association';
import { collect } from './collect';
import { emitDeletes } from './emit-delete';
import { emitInserts } from './emit-insert';
import { emitUpdates } from './emit-update';
import { finalise } from './finalise';
import { addMappersOf, columnOf, committedValue, deleteLevels, insertLevels, mapperOrder, referencedMappers } from './order';
import type { FlushContext, KeySync, Plan } from './plan';
import { connectionForTable } from '../session/binds';

export type { FlushContext } from './plan';

export async function flush(ctx: FlushContext): Promise<void> {
  const plan = await collect(ctx);
  const { conn } = ctx;
  const involvedMappers = new Set<Mapper>();
  for (const group of [plan.inserts, plan.updates, plan.deletes, plan.rowSwitches.keys()]) addMappersOf(group, involvedMappers);
  const order = mapperOrder(involvedMappers);
  const syncsOf = groupSyncs(plan.syncs);
  // States updated, in order (one may appear twice: the finalise stage does the same to it again).
  const updated: InstanceState[] = [];

  await deleteLinks(conn, plan.unlinks);
  await deleteAllLinks(conn, plan.unlinkAll);

  const deletes = [...plan.deletes];
  const referenced = referencedMappers(involvedMappers);
  const early = deletes.filter((st) => !referenced.has(st.mapper));
  const late = deletes.filter((st) => referenced.has(st.mapper));
  await deleteInOrder(ctx, early, order);

  const before: InstanceState[] = [];
  const after: InstanceState[] = [];
  if (syncsOf.size === 0) for (const st of plan.updates) before.push(st);
  else {
    const newKeys = new Set(plan.inserts);
    const waitsForNewKey = (st: InstanceState) => syncsOf.get(st)?.some((s) => s.parent !== null && newKeys.has(s.parent) && !s.post) === true;
    for (const st of plan.updates) (waitsForNewKey(st) ? after : before).push(st);
  }
  for (const st of before) applySyncs(syncsOf.get(st), false);
  await updateWithEvents(ctx, before, updated);

  for (const level of insertLevels(plan.inserts, plan.syncs)) {
    if (syncsOf.size > 0) for (const st of level) applySyncs(syncsOf.get(st), false);
    for (const m of order) {
      // Rows of one mapper only (the common flush): the level is its batch as it is.
      const rows = order.length === 1 ? level : level.filter((s) => s.mapper === m);
      if (rows.length === 0) continue;
      fireEach(ctx, rows, 'beforeInsert');
      // A joined-table subclass's rows: the base's table first, whose key the others take.
      if (m.parts.length === 1) await emitInserts(await connectionForTable(conn, m.table), m, rows);
      else for (const part of m.parts) await emitInserts(await connectionForTable(conn, part.table), part, rows);
      for (const st of rows) st.key = m.identityKey(st.values);
      fireEach(ctx, rows, 'afterInsert');
    }
  }

  for (const [n, d] of plan.rowSwitches) {
    // The new object takes the deleted one's row: the columns it gives that differ from what
    // the row holds are written (every one it gives where the row's value was not loaded).
    n.key = d.key;
    n.committed = historyRecord();
    n.mapper.columnKeys.forEach((k, i) => {
      if (n.values[i] === undefined || n.mapper.pkIndexes.includes(i)) return;
      const was = committedValue(d, k);
      n.committed![k] = was === undefined ? NO_VALUE : was;
    });
    if (n.mapper.versionIndex >= 0) n.committed[n.mapper.columnKeys[n.mapper.versionIndex]] = d.values[n.mapper.versionIndex];
    applySyncs(syncsOf.get(n), false);
    after.push(n);
  }
  for (const st of after) applySyncs(syncsOf.get(st), false);
  await updateWithEvents(ctx, after, updated);

  const post = plan.syncs.filter((s) => s.post && !plan.deletes.has(s.child));
  if (post.length) {
    for (const s of post) applySyncs([s], true);
    await updateWithEvents(ctx, new Set(post.map((s) => s.child)), updated);
  }

  await insertLinks(conn, plan.links);
  await deleteInOrder(ctx, late, order);

  ctx.afterEmit();
  finalise(ctx, plan, updated);
}

function groupSyncs(syncs: readonly KeySync[]): Map<InstanceState, KeySync[]> {
  const out = new Map<InstanceState, KeySync[]>();
  for (const s of syncs) {
    const list = out.get(s.child);
    if (list) list.push(s);
    else out.set(s.child, [s]);
  }
  return out;
}

/** Copies the parents' keys into the child's foreign key columns (with history on a row that exists). */
function applySyncs(syncs: readonly KeySync[] | undefined, post: boolean): void {
  if (!syncs) return;
  for (const s of syncs) {
    if (s.post !== post) continue;
    const child = s.child;
    for (const p of s.pairs) {
      const i = child.mapper.columnIndex.get(p.many)!;
      const v = s.parent === null ? null : s.parent.values[s.parent.mapper.columnIndex.get(p.one)!];
      if (child.key !== undefined) {
        const c = (child.committed ??= historyRecord());
        if (!(p.many in c)) c[p.many] = child.values[i] === undefined ? NO_VALUE : child.values[i];
      }
      // A postUpdate key is NULL in the INSERT and written by the UPDATE after it.
      child.values[i] = s.post && !post ? child.values[i] : v;
    }
  }
}

async function updateWithEvents(ctx: FlushContext, states: readonly InstanceState[] | ReadonlySet<InstanceState>, updated: InstanceState[]): Promise<void> {
  const list = Array.isArray(states) ? (states as InstanceState[]) : [...states];
  if (list.length === 0) return;
  fireEach(ctx, list, 'beforeUpdate');
  const done = await emitUpdates(ctx.conn, list);
  for (const st of done) updated.push(st);
  fireEach(ctx, done, 'afterUpdate');
}

async function deleteInOrder(ctx: FlushContext, deletes: InstanceState[], order: readonly Mapper[]): Promise<void> {
  if (deletes.length === 0) return;
  const preNull: { st: InstanceState; columns: string[] }[] = [];
  const levels = deleteLevels(deletes, (child, columns) => {
    if (!columns.every((k) => columnOf(child.mapper, k)?.nullable !== false)) return false;
    preNull.push({ st: child, columns });
    return true;
  });
  if (preNull.length) {
    // Rows that point at each other: their keys are cleared first, then both can go.
    for (const { st, columns } of preNull) {
      const c = (st.committed ??= historyRecord());
      for (const k of columns) {
        const i = st.mapper.columnIndex.get(k)!;
        if (!(k in c)) c[k] = st.values[i];
        st.values[i] = null;
      }
    }
    await emitUpdates(ctx.conn, new Set(preNull.map((p) => p.st)));
  }
  const reversed = [...order].reverse();
  for (const level of levels) {
    for (const m of reversed) {
      const rows = level.filter((s) => s.mapper === m);
      if (rows.length === 0) continue;
      fireEach(ctx, rows, 'beforeDelete');
      await emitDeletes(ctx.conn, rows);
      fireEach(ctx, rows, 'afterDelete');
    }
  }
}

function fireEach(ctx: FlushContext, states: readonly InstanceState[], event: string): void {
  const listeners = states[0]?.mapper.listeners;
  if (!listeners?.get(event)) return;
  ctx.fire(() => {
    for (const st of states) st.mapper.listeners.fire(event, st.obj, ctx.conn);
  });
}

export type { Plan };
