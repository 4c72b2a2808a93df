/**
 * The flush, as a pipeline of small stages (SQLAlchemy's unitofwork/persistence):
 * collect (cascades, orphans, dependencies) → order (topological sort of mappers by
 * foreign key) → emit (INSERT parents first, UPDATE changed columns, DELETE children
 * first) → finalise (identity keys, snapshots). Nothing is finalised unless every
 * statement succeeded; on failure the session rolls back and resets its objects.
 */
import { type Connection, topologicalSort } from '@athanor/core';
import type { InstanceQuery } from '../loading';
import type { Mapper } from '../mapper';
import { stateOf } from '../state';
import { collect } from './collect';
import { changedColumns, emitDelete, emitUpdate } from './emit';
import { finalise } from './finalise';
import { emitInsert } from './insert';
import { type FlushTarget, type Plan, syncForeignKey } from './plan';

export type { FlushTarget } from './plan';

/** `connect` is called only when there is something to write (a read-only session begins nothing). */
export async function flush(target: FlushTarget, connect: () => Promise<Connection>, query: InstanceQuery): Promise<void> {
  const plan = await collect(target, query);
  if (!plan.inserts.length && !plan.updates.size && !plan.deletes.length) return;
  const conn = await connect();
  // A child whose new parent is inserted by this flush changes only once the parent has its key.
  const waiting = plan.deps.filter((d) => stateOf(d.one).key === undefined).map((d) => d.many);
  const order = orderMappers([...plan.inserts, ...plan.updates.keys(), ...plan.deletes, ...waiting]);
  const inserted = new Set<object>();
  const rekeyed = new Set<object>();
  for (const mapper of order) {
    const deps = plan.deps.filter((d) => stateOf(d.many).mapper === mapper);
    for (const d of deps) syncForeignKey(d);
    for (const obj of plan.inserts) if (stateOf(obj).mapper === mapper) await emitInsert(conn, obj, inserted);
    for (const obj of dirtyObjects(target, mapper, plan)) await emitUpdate(conn, obj, changedColumns(obj), rekeyed);
  }
  const deleteSet = new Set(plan.deletes);
  for (const mapper of [...order].reverse()) {
    for (const obj of plan.deletes) if (stateOf(obj).mapper === mapper) await emitDelete(conn, obj);
  }
  finalise(target, inserted, rekeyed, deleteSet);
}

/** Mappers in dependency order: a table referenced by a foreign key comes before the referencing one. */
function orderMappers(objs: object[]): Mapper[] {
  const mappers = [...new Set(objs.map((o) => stateOf(o).mapper))];
  const edges = [];
  for (const a of mappers) for (const b of mappers) if (a !== b && b.table.foreignKeyLinksTo(a.table).length) edges.push({ from: a, to: b });
  return topologicalSort(mappers, edges, (m) => m.name);
}

function dirtyObjects(target: FlushTarget, mapper: Mapper, plan: Plan): object[] {
  const out: object[] = [];
  for (const obj of target.identityMap.values()) {
    if (stateOf(obj).mapper !== mapper || plan.deletes.includes(obj)) continue;
    if (Object.keys(changedColumns(obj)).length) out.push(obj);
  }
  return out;
}
