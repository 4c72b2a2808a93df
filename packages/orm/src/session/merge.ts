/**
 * `session.merge(obj)` (SQLAlchemy's): the session's object for the same row receives the
 * given object's loaded attributes and is returned; the given object is left as it was.
 */
import { InvalidRequestError, StaleDataError } from '@athanor/core';
import { writeRel } from '../relationship-sync';
import { type InstanceState, stateOf } from '../state/instance-state';
import type { Session } from './session';
import { getByPrimaryKey } from './get';

export async function mergeInto(session: Session, obj: object, load: boolean, memo: Map<object, object>): Promise<object> {
  const done = memo.get(obj);
  if (done) return done;
  const src = stateOf(obj);
  if (src.session === session) return obj;
  const m = src.mapper;
  const pk = m.pkIndexes.map((i) => src.values[i]);
  const key = m.identityKeyOfPk(pk);
  let target: InstanceState | undefined = key === undefined ? undefined : session.identityMap.get(m, key);
  if (target === undefined && key !== undefined) {
    if (load) {
      const conn = await session.connectionNow();
      const found = await getByPrimaryKey(conn, m, pk, session);
      if (found) target = stateOf(found);
    } else {
      if (src.modified || src.committed !== undefined) {
        throw new InvalidRequestError(`merge(obj, { load: false }): this ${m.name} object has unflushed changes; merge with load: true, or flush them in its own session first.`);
      }
      // Taken as the row's state without a query (a cache put back into a session).
      target = m.instanceFromRow([...src.values]);
      target.session = session;
      session.identityMap.add(target);
    }
  }
  if (target === undefined) {
    // No row: a new pending object with the given values.
    const fresh = m.instanceFromRow(new Array(m.columnKeys.length));
    fresh.key = undefined;
    session.add(fresh.obj);
    target = fresh;
  }
  checkVersion(src, target);
  memo.set(obj, target.obj);
  const t = target.obj as Record<string, unknown>;
  m.columnKeys.forEach((k, i) => {
    const v = src.values[i];
    if (v !== undefined && (target!.values[i] === undefined || !Object.is(target!.values[i], v))) t[k] = v;
  });
  for (const rel of m.relationships.values()) {
    if (!rel.cascade.has('merge')) continue;
    const v = src.rels?.[rel.name];
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      const merged: object[] = [];
      for (const o of v) merged.push(await mergeInto(session, o as object, load, memo));
      writeRel(target, rel.name, merged);
    } else writeRel(target, rel.name, v === null ? null : await mergeInto(session, v as object, load, memo));
  }
  return target.obj;
}

/** A versioned object merged onto a row whose version moved on would overwrite someone else's change (SQLAlchemy raises too). */
function checkVersion(src: InstanceState, target: InstanceState): void {
  const m = src.mapper;
  if (m.versionIndex < 0 || target === src) return;
  const given = src.values[m.versionIndex];
  const current = target.values[m.versionIndex];
  if (given === undefined || current === undefined || Object.is(given, current)) return;
  const key = m.columnKeys[m.versionIndex];
  throw new StaleDataError(
    `merge(): the given ${m.name} (${m.describePk(src.values)}) has ${key} ${String(given)}, but the row has ${String(current)}: it changed since the object was read. ` +
      'Load the row again and reapply the change.',
  );
}
