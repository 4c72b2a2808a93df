/**
 * Collections of one-to-many and many-to-many relationships are plain arrays whose `push`,
 * `unshift`, `splice`, `pop` and `shift` keep the side named by `backPopulates` in sync at
 * once (SQLAlchemy's instrumented lists): `parent.children.push(child)` sets `child.parent`
 * and takes the child out of its previous parent's loaded collection. Writing an index or
 * `length` directly is not seen here; the flush compares the collection with what it held
 * when it was handed out, so such writes are saved too.
 *
 * The methods live on one prototype between the array and Array.prototype, set when the
 * attribute is first read, and the owner is kept in a private field stamped on the array: two
 * cheap steps instead of six property definitions per collection (loading 1,000 parents read
 * 1,000 collections). The array stays an Array (`Array.isArray`, `constructor`, `map()` and
 * `slice()` give plain arrays); spreading it takes V8's generic iteration path instead of its
 * copy of plain arrays, which costs little on collections of the usual size. Collections the
 * loaders fill but nobody reads cost nothing extra.
 */
import type { Relationship } from './relationship';
import { attachedTo, detachedFrom, recordCollection } from './relationship-sync';
import { maybeState } from './state/instance-state';
import { keepShape } from './util/shape-anchors';

interface Owner {
  readonly owner: object;
  readonly rel: Relationship;
}
type List = object[];

/** Returns the object it is given, so that a subclass can stamp private fields on any object (an array here). */
class Stamped {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the object given is the one stamped
    return target;
  }
}

/** The owner of an instrumented collection, in a private field: invisible to keys, spread, JSON and equality checks. */
class OwnedList extends Stamped {
  readonly #owner: Owner;
  constructor(list: object[], owner: Owner) {
    super(list);
    this.#owner = owner;
  }
  static ownerOf(list: object): Owner | undefined {
    return #owner in list ? (list as unknown as OwnedList).#owner : undefined;
  }
}

const arrayPush = Array.prototype.push;
const arrayUnshift = Array.prototype.unshift;
const arraySplice = Array.prototype.splice;
const arrayPop = Array.prototype.pop;
const arrayShift = Array.prototype.shift;

function before(list: List): Owner {
  const o = OwnedList.ownerOf(list)!;
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
const collectionPrototype: object = Object.create(
  Array.prototype,
  Object.fromEntries(Object.entries(methods).map(([name, value]) => [name, { value, writable: true, configurable: true }])),
);

/** `list` as the collection `rel` of `owner`, as handed to the user (instrumented once, in place). */
export function instrumented(list: object[], owner: object, rel: Relationship): object[] {
  if (Object.getPrototypeOf(list) !== collectionPrototype) {
    Object.setPrototypeOf(list, collectionPrototype);
    new OwnedList(list, { owner, rel });
  }
  return list;
}

// Loaded collections, one per kind of array the loaders make (util/shape-anchors.ts): a literal,
// empty and holding objects, and what `map()` or `new Array(n)` gives (V8's "holey" arrays).
const anchorOwner = { owner: {}, rel: undefined as unknown as Relationship };
const holey = (n: number) => {
  const list = new Array<object>(n);
  for (let i = 0; i < n; i++) list[i] = {};
  return list;
};
for (const list of [[], [{}], holey(0), holey(1)]) keepShape(instrumented(list, anchorOwner.owner, anchorOwner.rel));

/** Raw array operations for loaders and the flush (no history, no sync). */
export { arraySplice, arrayPush };
