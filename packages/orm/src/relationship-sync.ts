/**
 * Keeping both sides of a relationship in step in memory, with history: the mirrored side
 * named by `backPopulates`, and other owners' loaded collections. Used by the attribute
 * accessors and the collection methods; it writes no SQL.
 */
import { type InstanceState, NO_VALUE, maybeState } from './state/instance-state';
import type { Relationship } from './relationship';

const arraySplice = Array.prototype.splice;
const arrayPush = Array.prototype.push;

/** Sets a relationship value with history, no further sync (the caller keeps the other side). */
export function writeRel(st: InstanceState, name: string, value: unknown): void {
  const loaded = st.rels?.[name];
  if (loaded === value) return;
  if (st.key !== undefined) st.willChange(name, loaded === undefined ? NO_VALUE : loaded);
  (st.rels ??= {})[name] = value;
}

export interface Owner {
  readonly owner: object;
  readonly rel: Relationship;
}

/** `item` joined the collection: its many-to-one side now names the owner, and it left its previous owner's collection. */
export function attachedTo({ owner, rel }: Owner, item: object): void {
  const reverse = rel.reverse;
  const st = maybeState(item);
  if (!reverse || !st) return;
  if (reverse.uselist) {
    // Many-to-many: the other side's loaded collection gets the owner too; a new object's
    // collection is known (empty until now), so it is started here.
    if (st.key === undefined && st.rels?.[reverse.name] === undefined && reverse.lazy !== 'writeOnly') (st.rels ??= {})[reverse.name] = [];
    if (Array.isArray(st.rels?.[reverse.name])) addMember(item, reverse, owner);
    return;
  }
  const old = st.rels?.[reverse.name];
  if (old === owner) return;
  if (old) removeMember(old as object, rel, item);
  writeRel(st, reverse.name, owner);
}

/** `item` left the collection: its many-to-one side no longer names the owner. */
export function detachedFrom({ owner, rel }: Owner, item: object): void {
  const reverse = rel.reverse;
  const st = maybeState(item);
  if (!reverse || !st) return;
  if (reverse.uselist) {
    if (Array.isArray(st.rels?.[reverse.name])) removeMember(item, reverse, owner);
    return;
  }
  if (st.rels?.[reverse.name] === owner) writeRel(st, reverse.name, null);
}

/** A plain array with `list`'s members: a loop, as spread and slice() take slow paths on an instrumented collection (collection.ts). */
export function copyList(list: readonly object[]): object[] {
  const out = new Array<object>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = list[i];
  return out;
}

/** Before a persistent owner's collection changes (or is handed out): what it held, once per flush. */
export function recordCollection(st: InstanceState, rel: Relationship, list: readonly object[]): void {
  if (st.key === undefined) return;
  const c = st.committed;
  if (c !== undefined && rel.name in c) {
    if (!st.modified) st.touch();
    return;
  }
  st.willChange(rel.name, copyList(list));
}

/** Takes `item` out of `owner`'s loaded collection of `rel` without any sync (the caller does it). */
export function removeMember(owner: object, rel: Relationship, item: object): void {
  const st = maybeState(owner);
  const list = st?.rels?.[rel.name];
  if (!st || !Array.isArray(list)) return;
  const i = list.indexOf(item);
  if (i < 0) return;
  recordCollection(st, rel, list);
  arraySplice.call(list, i, 1);
}

/** Appends `item` to `owner`'s loaded collection of `rel` without any sync, unless already there. */
export function addMember(owner: object, rel: Relationship, item: object): void {
  const st = maybeState(owner);
  const list = st?.rels?.[rel.name];
  if (!st || !Array.isArray(list) || list.includes(item)) return;
  recordCollection(st, rel, list);
  arrayPush.call(list, item);
}

