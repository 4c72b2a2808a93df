/**
 * Collections of one-to-many and many-to-many relationships are plain arrays whose `push`,
 * `unshift`, `splice`, `pop` and `shift` keep the side named by `backPopulates` in sync at
 * once (SQLAlchemy's instrumented lists): `parent.children.push(child)` sets `child.parent`
 * and takes the child out of its previous parent's loaded collection. Writing an index or
 * `length` directly is not seen here; the flush compares the collection with what it held
 * when it was handed out, so such writes are saved too.
 *
 * The methods are own, non-enumerable properties added when the attribute is first read,
 * not a subclass: an array whose prototype is not Array.prototype loses V8's fast paths
 * for `for...of`, spread and `new Set(list)`, which the flush and users run constantly;
 * and collections the loaders fill but nobody reads cost nothing extra.
 */
import type { Relationship } from './relationship';
import { attachedTo, detachedFrom, recordCollection } from './relationship-sync';
import { maybeState } from './state/instance-state';

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

function before(list: List): Owner {
  const o = list[OWNER]!;
  const st = maybeState(o.owner);
  if (st) recordCollection(st, o.rel, list);
  return o;
}

const methods = {
  push(this: List, ...items: object[]): number {
    const o = before(this);
    const n = arrayPush.apply(this, items);
    for (const item of items) attachedTo(o, item);
    return n;
  },
  unshift(this: List, ...items: object[]): number {
    const o = before(this);
    const n = arrayUnshift.apply(this, items);
    for (const item of items) attachedTo(o, item);
    return n;
  },
  // Rest arguments: splice(start) and splice(start, undefined) differ (to the end, nothing).
  splice(this: List, ...args: [start: number, deleteCount?: number, ...items: object[]]): object[] {
    const o = before(this);
    const removed = arraySplice.apply(this, args as [number, number, ...object[]]);
    for (const item of removed) detachedFrom(o, item);
    for (let i = 2; i < args.length; i++) attachedTo(o, args[i] as object);
    return removed;
  },
  pop(this: List): object | undefined {
    const o = before(this);
    const item = arrayPop.call(this);
    if (item !== undefined) detachedFrom(o, item);
    return item;
  },
  shift(this: List): object | undefined {
    const o = before(this);
    const item = arrayShift.call(this);
    if (item !== undefined) detachedFrom(o, item);
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

/** Raw array operations for loaders and the flush (no history, no sync). */
export { arraySplice, arrayPush };
