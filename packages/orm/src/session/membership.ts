/**
 * What `add()` and `delete()` do to an object's state and the session's sets (SQLAlchemy's
 * Session.add / Session.delete): pending, persistent again, marked for deletion, or refused
 * with the reason. The Session checks its phase first; these functions only move states.
 */
import { InvalidRequestError } from '@athanor/core';
import type { InstanceState, StateOwner } from '../state/instance-state';
import { type SessionObjects, detach } from './lifecycle';
import { hasChangedColumns } from '../state/attributes';
import { relationshipChanged } from '../state/history';
import type { SessionTransaction } from './transaction';

type Owner = SessionObjects & StateOwner;

export function addState(session: Owner, st: InstanceState, tx: SessionTransaction | undefined): void {
  if (st.session !== undefined && st.session !== session) {
    throw new InvalidRequestError(`This ${st.mapper.name} object is attached to another session; expunge it there (or close that session) first, or copy it in with session.merge(obj).`);
  }
  if (st.deleted) {
    throw new InvalidRequestError(
      st.session === session
        ? `This ${st.mapper.name} object's row was deleted by this session's transaction; rollback() restores it.`
        : `This ${st.mapper.name} object's row was deleted and committed; create a new object to insert the row again.`,
    );
  }
  if (st.session === session) {
    if (st.markedForDelete) {
      st.markedForDelete = false;
      session.toDelete.delete(st);
    }
    return;
  }
  if (st.key === undefined) {
    st.session = session;
    session.pending.add(st);
    tx?.added.add(st);
    return;
  }
  const existing = session.identityMap.add(st);
  if (existing !== undefined) {
    throw new InvalidRequestError(`Another ${st.mapper.name} object with the same primary key (${st.mapper.describePk(st.values)}) is already in this session; use session.merge(obj) to copy this one's state onto it.`);
  }
  st.session = session;
  if (st.committed !== undefined || st.mutableSnapshots !== undefined || st.flagged !== undefined || st.modified) {
    st.modified = true;
    session.modified.add(st);
  }
}

export function deleteState(session: Owner, st: InstanceState, tx: SessionTransaction | undefined): void {
  if (st.key === undefined) {
    if (session.pending.has(st)) {
      detach(session, st);
      return;
    }
    throw new InvalidRequestError(`This ${st.mapper.name} object is transient (never saved); only objects loaded or flushed can be deleted.`);
  }
  if (st.session !== session) addState(session, st, tx);
  if (st.deleted) return;
  st.markedForDelete = true;
  session.toDelete.add(st);
}

/** Persistent objects with changes their next flush would write. */
export function dirtyObjects(session: SessionObjects): object[] {
  const out: object[] = [];
  for (const st of session.modified) if (st.key !== undefined && !st.markedForDelete && stateHasChanges(st)) out.push(st.obj);
  return out;
}

/** Whether the next flush would write something for this object: a column, a relationship, a queued write-only change. */
export function stateHasChanges(st: InstanceState): boolean {
  if (hasChangedColumns(st)) return true;
  for (const rel of st.mapper.relationships.values()) if (relationshipChanged(st, rel)) return true;
  return (st.pendingAppends !== undefined && st.pendingAppends.size > 0) || (st.pendingRemoves !== undefined && st.pendingRemoves.size > 0);
}
