/**
 * The flush, as a pipeline of small stages (SQLAlchemy's unitofwork/persistence):
 * collect (cascades, orphans, dependencies) → order (topological sort of mappers by
 * foreign key) → emit (INSERT parents first, UPDATE changed columns, DELETE children
 * first) → finalise (identity keys, snapshots). Nothing is finalised unless every
 * statement succeeded; on failure the session rolls back and resets its objects.
 */
import { type Connection, StaleDataError, and, delete_, insert, topologicalSort, update } from '@athanor/core';
import { type InstanceQuery, loadRelationship } from './loading';
import type { Mapper } from './mapper';
import type { Relationship } from './relationship';
import { stateOf } from './state';

/** What the flush reads and changes in the session. */
export interface FlushTarget {
  readonly identityMap: Map<string, object>;
  readonly pending: Set<object>;
  readonly toDelete: Set<object>;
  /** Receives the objects this flush inserted. */
  readonly inserted: Set<object>;
  readonly self: object;
}

/** A foreign-key dependency: `many`'s columns take `one`'s referenced values. */
interface Dependency {
  one: object;
  many: object;
  rel: Relationship;
}

interface Plan {
  inserts: object[];
  updates: Map<object, Record<string, unknown>>;
  deletes: object[];
  deps: Dependency[];
}

/** `connect` is called only when there is something to write (a read-only session begins nothing). */
export async function flush(target: FlushTarget, connect: () => Promise<Connection>, query: InstanceQuery): Promise<void> {
  const plan = await collect(target, query);
  if (!plan.inserts.length && !plan.updates.size && !plan.deletes.length) return;
  const conn = await connect();
  const order = orderMappers([...plan.inserts, ...plan.updates.keys(), ...plan.deletes]);
  const inserted = new Set<object>();
  for (const mapper of order) {
    const deps = plan.deps.filter((d) => stateOf(d.many).mapper === mapper);
    for (const d of deps) syncForeignKey(d);
    for (const obj of plan.inserts) if (stateOf(obj).mapper === mapper) await emitInsert(conn, obj, inserted);
    for (const obj of dirtyObjects(target, mapper, plan)) await emitUpdate(conn, obj, changedColumns(obj));
  }
  const deleteSet = new Set(plan.deletes);
  for (const mapper of [...order].reverse()) {
    for (const obj of plan.deletes) if (stateOf(obj).mapper === mapper) await emitDelete(conn, obj);
  }
  finalise(target, inserted, deleteSet);
}

// -- collect ----------------------------------------------------------------------------------

async function collect(target: FlushTarget, query: InstanceQuery): Promise<Plan> {
  const { pending, toDelete, identityMap } = target;
  // save-update cascade: new objects reachable from the session's objects join it.
  const seen = new Set<object>();
  const work = [...pending, ...identityMap.values()];
  while (work.length) {
    const obj = work.shift()!;
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
  // Orphans: members removed from a loaded collection since it was loaded or flushed.
  for (const obj of identityMap.values()) {
    const st = stateOf(obj);
    for (const [name, before] of st.relSnapshot) {
      const rel = st.mapper.relationships.get(name)!;
      const now = new Set(asList(st.rels.get(name)));
      for (const child of before) {
        if (now.has(child)) continue;
        if (rel.cascade.has('delete-orphan')) toDelete.add(child);
        else for (const p of rel.pairs) (child as Record<string, unknown>)[p.many] = null;
        const reverse = rel.reverse;
        if (reverse && stateOf(child).rels.get(reverse.name) === obj) stateOf(child).rels.set(reverse.name, null);
      }
    }
  }
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

function asList(value: unknown): object[] {
  if (Array.isArray(value)) return value;
  return value ? [value as object] : [];
}

function syncForeignKey(d: Dependency): void {
  for (const p of d.rel.pairs) (d.many as Record<string, unknown>)[p.many] = (d.one as Record<string, unknown>)[p.one];
}

// -- order ------------------------------------------------------------------------------------

/** Mappers in dependency order: a table referenced by a foreign key comes before the referencing one. */
function orderMappers(objs: object[]): Mapper[] {
  const mappers = [...new Set(objs.map((o) => stateOf(o).mapper))];
  const edges = [];
  for (const a of mappers) for (const b of mappers) if (a !== b && b.table.foreignKeyLinksTo(a.table).length) edges.push({ from: a, to: b });
  return topologicalSort(mappers, edges, (m) => m.name);
}

// -- emit -------------------------------------------------------------------------------------

async function emitInsert(conn: Connection, obj: object, inserted: Set<object>): Promise<void> {
  const { mapper } = stateOf(obj);
  const row = obj as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const k of mapper.columnKeys) if (row[k] !== undefined) values[k] = row[k];
  const generated = mapper.pkKeys.filter((k) => row[k] === undefined || row[k] === null);
  let stmt: any = insert(mapper.table).values(values as any);
  const useReturning = generated.length > 0 && conn.dialect.capabilities.dml.returning.insert;
  if (useReturning) stmt = stmt.returning(...generated.map((k) => (mapper.table.c as any)[k]));
  const res = await conn.execute(stmt);
  if (useReturning) {
    const back = res.one() as Record<string, unknown>;
    for (const k of generated) row[k] = back[k];
  } else if (generated.length === 1 && res.insertedPrimaryKey !== undefined) {
    const id = res.insertedPrimaryKey;
    row[generated[0]] = typeof id === 'bigint' && Number.isSafeInteger(Number(id)) ? Number(id) : id;
  }
  inserted.add(obj);
}

function dirtyObjects(target: FlushTarget, mapper: Mapper, plan: Plan): object[] {
  const out: object[] = [];
  for (const obj of target.identityMap.values()) {
    if (stateOf(obj).mapper !== mapper || plan.deletes.includes(obj)) continue;
    if (Object.keys(changedColumns(obj)).length) out.push(obj);
  }
  return out;
}

/** Columns whose value differs from the loaded/flushed snapshot. */
function changedColumns(obj: object): Record<string, unknown> {
  const st = stateOf(obj);
  const out: Record<string, unknown> = {};
  if (!st.committed) return out;
  for (const k of st.mapper.columnKeys) {
    const now = (obj as Record<string, unknown>)[k];
    if (now !== undefined && !sameValue(now, st.committed[k])) out[k] = now;
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function pkCriteria(mapper: Mapper, committed: Record<string, unknown>) {
  return and(...mapper.pkKeys.map((k) => (mapper.table.c as any)[k].eq(committed[k])));
}

async function emitUpdate(conn: Connection, obj: object, changes: Record<string, unknown>): Promise<void> {
  const st = stateOf(obj);
  const res = await conn.execute(update(st.mapper.table).where(pkCriteria(st.mapper, st.committed!)).values(changes as any));
  if (res.rowcount !== 1) {
    throw new StaleDataError(`UPDATE of ${st.mapper.name} (${describePk(st.mapper, st.committed!)}) matched ${res.rowcount} rows, expected 1: the row was deleted or its key changed by someone else.`);
  }
  st.committed = st.mapper.snapshot(obj);
}

async function emitDelete(conn: Connection, obj: object): Promise<void> {
  const st = stateOf(obj);
  const res = await conn.execute(delete_(st.mapper.table).where(pkCriteria(st.mapper, st.committed!)));
  if (res.rowcount !== 1) {
    throw new StaleDataError(`DELETE of ${st.mapper.name} (${describePk(st.mapper, st.committed!)}) matched ${res.rowcount} rows, expected 1: the row was already deleted by someone else.`);
  }
}

function describePk(mapper: Mapper, values: Record<string, unknown>): string {
  return mapper.pkKeys.map((k) => `${k}=${String(values[k])}`).join(', ');
}

// -- finalise ---------------------------------------------------------------------------------

function finalise(target: FlushTarget, inserted: Set<object>, deleted: Set<object>): void {
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
