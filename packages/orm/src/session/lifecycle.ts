/**
 * What ending a transaction does to objects (SQLAlchemy's semantics):
 * - rollback: pending objects become transient; rows inserted in the transaction become
 *   transient; rows deleted in it are persistent again; every persistent object is expired
 *   (its next read says to refresh, or a query refreshes it);
 * - savepoint rollback: the same for what the savepoint's transaction did and touched;
 * - commit: deleted rows' objects are detached; with `expireOnCommit` every object is expired.
 */
import { hasChangedColumns } from '../state/attributes';
import type { InstanceState } from '../state/instance-state';
import type { IdentityMap } from './identity-map';
import type { SessionTransaction } from './transaction';

/** The session's object sets, as the lifecycle rules change them. */
export interface SessionObjects {
  readonly identityMap: IdentityMap;
  readonly pending: Set<InstanceState>;
  readonly modified: Set<InstanceState>;
  readonly toDelete: Set<InstanceState>;
}

/** Expires attributes (all but the primary key when `names` is omitted): their next read raises until refreshed. */
export function expireState(objects: SessionObjects, st: InstanceState, names?: readonly string[]): void {
  const m = st.mapper;
  if (names === undefined) {
    const values = new Array(m.columnKeys.length);
    // The key stays readable: it is the object's identity, known without a query.
    for (const i of m.pkIndexes) values[i] = st.values[i];
    st.values = values;
    st.rels = undefined;
    st.resetHistory();
    objects.modified.delete(st);
  } else {
    for (const name of names) {
      const i = m.slotOf(name);
      if (i !== undefined) {
        if (!m.pkIndexes.includes(i)) st.values[i] = undefined;
        st.mutableSnapshots?.delete(i);
        st.flagged?.delete(i);
      } else if (st.rels) delete st.rels[name];
      if (st.committed) delete st.committed[name];
    }
  }
  st.expired = true;
}

/** The object leaves the session (transient or detached). */
export function detach(objects: SessionObjects, st: InstanceState): void {
  objects.identityMap.remove(st);
  objects.pending.delete(st);
  objects.modified.delete(st);
  objects.toDelete.delete(st);
  st.markedForDelete = false;
  st.session = undefined;
}

/** A row inserted by a rolled-back transaction no longer exists: the object is transient again. */
function makeTransient(objects: SessionObjects, st: InstanceState): void {
  detach(objects, st);
  st.key = undefined;
  st.deleted = false;
  st.expired = false;
  st.resetHistory();
}

/** Root rollback: everything the session holds goes back to what the database has. */
export function applyRollback(objects: SessionObjects, tx: SessionTransaction | undefined): void {
  for (let t = tx; t !== undefined; t = t.parent) restoreDeleted(objects, t);
  for (let t = tx; t !== undefined; t = t.parent) for (const st of t.inserted) makeTransient(objects, st);
  for (const st of [...objects.pending]) makeTransient(objects, st);
  for (const st of objects.toDelete) st.markedForDelete = false;
  objects.toDelete.clear();
  for (const st of objects.identityMap.states()) expireState(objects, st);
  objects.modified.clear();
}

/** Savepoint rollback: only what the nested transaction did or touched is restored. */
export function applyNestedRollback(objects: SessionObjects, tx: SessionTransaction): void {
  restoreDeleted(objects, tx);
  for (const st of tx.inserted) makeTransient(objects, st);
  for (const st of tx.added) if (objects.pending.has(st)) makeTransient(objects, st);
  for (const st of objects.toDelete) st.markedForDelete = false;
  objects.toDelete.clear();
  // Everything changed since the savepoint began (the session flushed before it). An object
  // only watched for in-place JSON changes, with none, stays loaded and watched.
  const changed = [...objects.modified].filter(hasUnflushedChange);
  for (const st of [...tx.updated, ...tx.deleted, ...changed]) if (st.key !== undefined && st.session !== undefined) expireState(objects, st);
  for (const st of objects.modified) if (st.key === undefined || st.session === undefined) objects.modified.delete(st);
}

function hasUnflushedChange(st: InstanceState): boolean {
  return st.committed !== undefined || st.pendingAppends !== undefined || st.pendingRemoves !== undefined || hasChangedColumns(st);
}

function restoreDeleted(objects: SessionObjects, tx: SessionTransaction): void {
  for (const st of tx.deleted) {
    st.deleted = false;
    st.markedForDelete = false;
    if (st.session !== undefined) objects.identityMap.add(st);
  }
}

/** Commit: deleted rows' objects leave the session; the rest stay (expired with expireOnCommit). */
export function applyCommit(objects: SessionObjects, tx: SessionTransaction, expire: boolean): void {
  for (let t: SessionTransaction | undefined = tx; t !== undefined; t = t.parent) for (const st of t.deleted) detach(objects, st);
  if (expire) for (const st of objects.identityMap.states()) expireState(objects, st);
}

/** close(): the transaction is rolled back and every object leaves the session with the values it has. */
export function applyClose(objects: SessionObjects, tx: SessionTransaction | undefined): void {
  for (let t = tx; t !== undefined; t = t.parent) {
    for (const st of t.deleted) st.deleted = false;
    for (const st of t.inserted) makeTransient(objects, st);
  }
  for (const st of [...objects.pending]) makeTransient(objects, st);
  // Every object leaves at once: the sets are cleared whole, not one entry at a time.
  objects.identityMap.forEach(leave);
  for (const st of objects.toDelete) leave(st);
  for (const st of objects.modified) leave(st);
  objects.identityMap.clear();
  objects.toDelete.clear();
  objects.modified.clear();
}

function leave(st: InstanceState): void {
  st.markedForDelete = false;
  st.session = undefined;
}
