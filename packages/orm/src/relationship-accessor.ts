/**
 * The property accessor of a relationship attribute: loaded values live in the instance
 * state; an unloaded one raises instead of reading as empty; setting keeps the
 * `backPopulates` side in sync in memory.
 */
import { InvalidRequestError } from '@athanor/core';
import type { Relationship } from './relationship';
import { maybeState, stateOf } from './state';

export function defineRelationshipAccessor(proto: object, rel: Relationship): void {
  Object.defineProperty(proto, rel.name, {
    configurable: true,
    enumerable: false,
    get(this: object) {
      const st = stateOf(this);
      if (st.rels.has(rel.name)) return st.rels.get(rel.name);
      if (st.key === undefined) {
        // A new object: an empty collection (so push works before flush) or nothing.
        const v = rel.uselist ? [] : null;
        st.rels.set(rel.name, v);
        return v;
      }
      throw unloadedError(rel);
    },
    set(this: object, value: unknown) {
      const st = stateOf(this);
      const old = st.rels.get(rel.name);
      st.rels.set(rel.name, value);
      const reverse = rel.reverse;
      if (!reverse) return;
      if (rel.uselist) {
        for (const item of (value as object[] | null) ?? []) setScalarSide(item, reverse, this);
      } else {
        if (old && old !== value) removeFromSide(old as object, reverse, this);
        if (value) addToSide(value as object, reverse, this);
      }
    },
  });
}

export function unloadedError(rel: Relationship): InvalidRequestError {
  const cls = rel.parent.name;
  return new InvalidRequestError(
    `${cls}.${rel.name} is not loaded, and Athanor never loads it implicitly (that would be a hidden query). ` +
      `Load it with the query: .options(selectinload(${cls}, '${rel.name}')) or .options(joinedload(${cls}, '${rel.name}')); ` +
      `or load it now: await session.refresh(obj, ['${rel.name}']) or await obj.awaitableAttrs.${rel.name}.`,
  );
}

/** Sets the many-to-one side without re-entering the accessor. */
function setScalarSide(item: object, reverse: Relationship, owner: object): void {
  const st = maybeState(item);
  if (st) st.rels.set(reverse.name, owner);
}

function addToSide(target: object, reverse: Relationship, item: object): void {
  const st = maybeState(target);
  if (!st) return;
  if (!reverse.uselist) {
    st.rels.set(reverse.name, item);
    return;
  }
  // Only a loaded (or new) collection is kept in sync; an unloaded one is left unloaded.
  let list = st.rels.get(reverse.name) as object[] | undefined;
  if (list === undefined && st.key === undefined) st.rels.set(reverse.name, (list = []));
  if (list && !list.includes(item)) list.push(item);
}

function removeFromSide(target: object, reverse: Relationship, item: object): void {
  const st = maybeState(target);
  if (!st) return;
  const v = st.rels.get(reverse.name);
  if (Array.isArray(v)) {
    const i = v.indexOf(item);
    if (i >= 0) v.splice(i, 1);
  } else if (v === item) st.rels.set(reverse.name, null);
}
