/**
 * The property accessor of a relationship attribute: loaded values live in the instance
 * state; an unloaded one raises instead of reading as empty; every change records the
 * attribute's history (what the flush turns into foreign keys and association rows) and
 * keeps the `backPopulates` side in sync in memory (collections themselves: collection.ts).
 */
import { InvalidRequestError } from '@athanor/core';
import { instrumented } from './collection';
import { addMember, attachedTo, copyList, detachedFrom, recordCollection, removeMember, writeRel } from './relationship-sync';
import type { Relationship } from './relationship';
import { defineWriteOnlyAccessor } from './write-only';
import { type InstanceState, NO_VALUE, STATE, maybeState } from './state/instance-state';
import { raisesOn } from './state/raise-marks';

type Stated = { [STATE]: InstanceState };

export function defineRelationshipAccessor(proto: object, rel: Relationship): void {
  if (rel.lazy === 'writeOnly') {
    defineWriteOnlyAccessor(proto, rel);
    return;
  }
  const name = rel.name;
  Object.defineProperty(proto, name, {
    configurable: true,
    enumerable: false,
    get(this: Stated) {
      const st = this[STATE];
      let v = st.rels?.[name]; // never undefined once loaded: a list, an object or null
      if (v === undefined) {
        if (st.key !== undefined && rel.lazy !== 'noload') throw unloadedError(rel, st.expired, raisesOn(st, name));
        // A new object: an empty collection (so push works before flush) or nothing.
        v = rel.uselist ? [] : null;
        (st.rels ??= {})[name] = v;
      }
      if (!rel.uselist || v === null) return v;
      if (rel.viewonly) return readOnly(v as object[], rel);
      // A collection handed out may be changed by index: keep what it held to compare at flush.
      if (st.key !== undefined) recordCollection(st, rel, v as object[]);
      return instrumented(v as object[], this, rel);
    },
    set(this: Stated, value: unknown) {
      if (rel.viewonly) throw viewonlyError(rel);
      if (rel.uselist) {
        if (value !== null && value !== undefined && !Array.isArray(value)) {
          throw new InvalidRequestError(`${rel.parent.name}.${name} is a collection: assign an array of ${rel.target.name} objects.`);
        }
        setCollection(this, rel, (value as object[] | null) ?? []);
      } else setScalar(this, rel, (value ?? null) as object | null);
    },
  });
}

export function unloadedError(rel: Relationship, expired = false, raised = false): InvalidRequestError {
  const cls = rel.parent.name;
  const awaitable = rel.lazy === 'raise' ? '' : ` or await obj.awaitableAttrs.${rel.name}`;
  if (raised) {
    return new InvalidRequestError(
      `${cls}.${rel.name} is not loaded and the query's raiseload option forbids loading it later. ` +
        `Load it with the query instead (.options(selectinload(${cls}, '${rel.name}'))), or query the object again without raiseload.`,
    );
  }
  return new InvalidRequestError(
    `${cls}.${rel.name} is ${expired ? 'expired' : 'not loaded'}, and Athanor never loads it implicitly (that would be a hidden query). ` +
      `Load it with the query: .options(selectinload(${cls}, '${rel.name}')) or .options(joinedload(${cls}, '${rel.name}')); ` +
      `or load it now: await session.refresh(obj, ['${rel.name}'])${awaitable}.`,
  );
}

function viewonlyError(rel: Relationship): InvalidRequestError {
  return new InvalidRequestError(
    `${rel.parent.name}.${rel.name} is viewonly: it is only read, never written by the flush, so it cannot be changed. Change the relationship it mirrors (or the foreign key columns) instead.`,
  );
}

const frozen = new WeakSet<object[]>();
/** A viewonly collection: its changing methods raise (a change would silently never be saved); then frozen. */
function readOnly(list: object[], rel: Relationship): object[] {
  if (frozen.has(list)) return list;
  for (const m of ['push', 'unshift', 'splice', 'pop', 'shift', 'sort', 'reverse', 'fill', 'copyWithin']) {
    Object.defineProperty(list, m, {
      value: () => {
        throw viewonlyError(rel);
      },
    });
  }
  Object.freeze(list);
  frozen.add(list);
  return list;
}

/** `parent.children = [...]`: stored as the owner's collection; members that left or joined are synced. */
function setCollection(owner: object, rel: Relationship, items: readonly object[]): void {
  const st = (owner as Stated)[STATE];
  const old = st.rels?.[rel.name] as object[] | undefined;
  if (st.key !== undefined) st.willChange(rel.name, old === undefined ? NO_VALUE : copyList(old));
  // A copy, as SQLAlchemy adapts the list: the caller's array may be another owner's collection.
  const list = [...items];
  (st.rels ??= {})[rel.name] = list;
  const me = { owner, rel };
  for (const item of old ?? []) if (!list.includes(item)) detachedFrom(me, item);
  for (const item of list) attachedTo(me, item);
}

/** `child.parent = p` (or a one-to-one side): the previous and the new target's mirrored side follow. */
export function setScalar(owner: object, rel: Relationship, value: object | null): void {
  const st = (owner as Stated)[STATE];
  const loaded = st.rels?.[rel.name];
  const old = loaded === undefined ? NO_VALUE : (loaded as object | null);
  if (old === value) return;
  if (st.key !== undefined) st.willChange(rel.name, old);
  (st.rels ??= {})[rel.name] = value;
  const reverse = rel.reverse;
  if (!reverse) return;
  const previous = old === NO_VALUE ? st.session?.parentByForeignKey(st, rel) : old;
  if (previous) {
    if (reverse.uselist) removeMember(previous, reverse, owner);
    else {
      const ps = maybeState(previous);
      if (ps?.rels?.[reverse.name] === owner) writeRel(ps, reverse.name, null);
    }
  }
  const target = value && maybeState(value);
  if (!target) return;
  if (!reverse.uselist) {
    const displaced = target.rels?.[reverse.name];
    if (displaced && displaced !== owner) {
      // One-to-one: the object the target held before loses its side.
      const ds = maybeState(displaced);
      if (ds?.rels?.[rel.name] === value) writeRel(ds, rel.name, null);
    }
    writeRel(target, reverse.name, owner);
    return;
  }
  if (target.rels?.[reverse.name] === undefined) {
    // A write-only collection is never a list: the child is queued as a write-only add would be.
    if (target.key === undefined && reverse.lazy !== 'writeOnly') (target.rels ??= {})[reverse.name] = [];
    else {
      // The collection is not loaded: remember the child for the save-update cascade.
      const appends = (target.pendingAppends ??= new Map());
      const list = appends.get(reverse.name);
      if (list) list.push(owner);
      else appends.set(reverse.name, [owner]);
      target.touch();
      return;
    }
  }
  addMember(value, reverse, owner);
}

