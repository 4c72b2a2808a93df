/**
 * Collections of one-to-many relationships are plain arrays whose `push`, `unshift`,
 * `splice`, `pop` and `shift` keep the many-to-one side named by `backPopulates` in sync at
 * once (SQLAlchemy's instrumented lists): `parent.children.push(child)` sets `child.parent`
 * and takes the child out of its previous parent's loaded collection. Writing an index or
 * `length` directly is not seen here; the flush reconciles both sides then.
 *
 * The methods are own, non-enumerable properties added when the attribute is first read,
 * not a subclass: an array whose prototype is not Array.prototype loses V8's fast paths
 * for `for...of`, spread and `new Set(list)`, which the flush and users run constantly;
 * and collections the loaders fill but nobody reads cost nothing extra.
 */
import type { Relationship } from './relationship';
import { maybeState } from './state';

const OWNER = Symbol('athanor.collection');
interface Owner {
  readonly owner: object;
  readonly rel: Relationship;
}
type List = object[] & { [OWNER]?: Owner };

const arrayPush = Array.prototype.push;
const arrayUnshift = Array.prototype.unshift;
const arraySplice = Array.prototype.splice;
const arrayPop = Array.prototype.pop;
const arrayShift = Array.prototype.shift;

const methods = {
  push(this: List, ...items: object[]): number {
    const n = arrayPush.apply(this, items);
    for (const item of items) attached(this[OWNER]!, item);
    return n;
  },
  unshift(this: List, ...items: object[]): number {
    const n = arrayUnshift.apply(this, items);
    for (const item of items) attached(this[OWNER]!, item);
    return n;
  },
  // Rest arguments: splice(start) and splice(start, undefined) differ (to the end, nothing).
  splice(this: List, ...args: [start: number, deleteCount?: number, ...items: object[]]): object[] {
    const removed = arraySplice.apply(this, args as [number, number, ...object[]]);
    for (const item of removed) detached(this[OWNER]!, item);
    for (let i = 2; i < args.length; i++) attached(this[OWNER]!, args[i] as object);
    return removed;
  },
  pop(this: List): object | undefined {
    const item = arrayPop.call(this);
    if (item !== undefined) detached(this[OWNER]!, item);
    return item;
  },
  shift(this: List): object | undefined {
    const item = arrayShift.call(this);
    if (item !== undefined) detached(this[OWNER]!, item);
    return item;
  },
};
// One defineProperty per method: about half the cost of one defineProperties call.
const descriptors = Object.entries(methods).map(([name, value]) => [name, { value, writable: true, configurable: true }] as const);

/** `list` as the collection `rel` of `owner`, as handed to the user (instrumented once, in place). */
export function instrumented(list: object[], owner: object, rel: Relationship): object[] {
  if ((list as List)[OWNER] === undefined) {
    for (const [name, descriptor] of descriptors) Object.defineProperty(list, name, descriptor);
    Object.defineProperty(list, OWNER, { value: { owner, rel } satisfies Owner });
  }
  return list;
}

/** `item` joined the collection: its many-to-one side now names the owner, and it left its previous owner's collection. */
export function attached({ owner, rel }: Owner, item: object): void {
  const reverse = rel.reverse;
  const st = maybeState(item);
  if (!reverse || reverse.uselist || !st) return;
  const old = st.rels.get(reverse.name);
  if (old === owner) return;
  if (old) removeMember(old as object, rel, item);
  st.rels.set(reverse.name, owner);
}

/** `item` left the collection: its many-to-one side no longer names the owner. */
export function detached({ owner, rel }: Owner, item: object): void {
  const reverse = rel.reverse;
  const st = maybeState(item);
  if (reverse && !reverse.uselist && st && st.rels.get(reverse.name) === owner) st.rels.set(reverse.name, null);
}

/** Takes `item` out of `owner`'s loaded collection of `rel` without any sync (the caller does it). */
export function removeMember(owner: object, rel: Relationship, item: object): void {
  const list = maybeState(owner)?.rels.get(rel.name);
  if (!Array.isArray(list)) return;
  const i = list.indexOf(item);
  if (i >= 0) arraySplice.call(list, i, 1);
}

/** Appends `item` to `owner`'s loaded collection of `rel` without any sync, unless already there. */
export function addMember(owner: object, rel: Relationship, item: object): void {
  const list = maybeState(owner)?.rels.get(rel.name);
  if (Array.isArray(list) && !list.includes(item)) arrayPush.call(list, item);
}
