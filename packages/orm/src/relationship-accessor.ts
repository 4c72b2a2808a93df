/**
 * The property accessor of a relationship attribute: loaded values live in the instance
 * state; an unloaded one raises instead of reading as empty; setting keeps the
 * `backPopulates` side in sync in memory (collections themselves: collection.ts).
 */
import { InvalidRequestError } from '@athanor/core';
import { addMember, attached, detached, instrumented, removeMember } from './collection';
import type { Relationship } from './relationship';
import { maybeState, stateOf } from './state';

export function defineRelationshipAccessor(proto: object, rel: Relationship): void {
  Object.defineProperty(proto, rel.name, {
    configurable: true,
    enumerable: false,
    get(this: object) {
      const st = stateOf(this);
      let v = st.rels.get(rel.name); // never undefined once loaded: a list, an object or null
      if (v === undefined) {
        if (st.key !== undefined) throw unloadedError(rel);
        // A new object: an empty collection (so push works before flush) or nothing.
        v = rel.uselist ? [] : null;
        st.rels.set(rel.name, v);
      }
      return rel.uselist && v ? instrumented(v as object[], this, rel) : v;
    },
    set(this: object, value: unknown) {
      if (rel.uselist) setCollection(this, rel, (value as object[] | null) ?? []);
      else setScalar(this, rel, (value ?? null) as object | null);
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

/** `parent.children = [...]`: stored as the owner's collection; members that left or joined are synced. */
function setCollection(owner: object, rel: Relationship, items: readonly object[]): void {
  const st = stateOf(owner);
  const old = st.rels.get(rel.name) as object[] | undefined;
  // A copy, as SQLAlchemy adapts the list: the caller's array may be another owner's collection.
  const list = [...items];
  st.rels.set(rel.name, list);
  const me = { owner, rel };
  for (const item of old ?? []) if (!list.includes(item)) detached(me, item);
  for (const item of list) attached(me, item);
}

/** `child.parent = p` (or a one-to-one side): the previous and the new target's mirrored side follow. */
function setScalar(owner: object, rel: Relationship, value: object | null): void {
  const st = stateOf(owner);
  const old = st.rels.get(rel.name) as object | null | undefined;
  st.rels.set(rel.name, value);
  const reverse = rel.reverse;
  if (!reverse || old === value) return;
  if (old) {
    if (reverse.uselist) removeMember(old, reverse, owner);
    else if (maybeState(old)?.rels.get(reverse.name) === owner) stateOf(old).rels.set(reverse.name, null);
  }
  const target = value && maybeState(value);
  if (!target) return;
  if (!reverse.uselist) {
    target.rels.set(reverse.name, owner);
    return;
  }
  // Only a loaded (or new) collection is kept in sync; an unloaded one is left unloaded.
  if (!target.rels.has(reverse.name) && target.key === undefined) target.rels.set(reverse.name, []);
  addMember(value, reverse, owner);
}
