/**
 * Collections of one-to-many relationships are `InstrumentedList`s (SQLAlchemy's name):
 * `push`, `unshift`, `splice`, `pop` and `shift` keep the many-to-one side named by
 * `backPopulates` in sync at once — `parent.children.push(child)` sets `child.parent` and
 * takes the child out of its previous parent's loaded collection. Writing an index or
 * `length` directly is not seen here; the flush reconciles both sides then.
 */
import type { Relationship } from './relationship';
import { maybeState } from './state';

const arrayPush = Array.prototype.push;
const arraySplice = Array.prototype.splice;

export class InstrumentedList<T extends object = object> extends Array<T> {
  // map/filter/slice/splice results are plain arrays, not collections of the owner.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  readonly #owner: object;
  readonly #rel: Relationship;

  constructor(owner: object, rel: Relationship) {
    super();
    this.#owner = owner;
    this.#rel = rel;
  }

  override push(...items: T[]): number {
    const n = super.push(...items);
    for (const item of items) attached(this.#owner, this.#rel, item);
    return n;
  }

  override unshift(...items: T[]): number {
    const n = super.unshift(...items);
    for (const item of items) attached(this.#owner, this.#rel, item);
    return n;
  }

  // Rest arguments: splice(start) and splice(start, undefined) differ (to the end, nothing).
  override splice(...args: [start: number, deleteCount?: number, ...items: T[]]): T[] {
    const removed = super.splice(...(args as [number, number, ...T[]]));
    for (const item of removed) detached(this.#owner, this.#rel, item);
    for (let i = 2; i < args.length; i++) attached(this.#owner, this.#rel, args[i] as T);
    return removed;
  }

  override pop(): T | undefined {
    const item = super.pop();
    if (item !== undefined) detached(this.#owner, this.#rel, item);
    return item;
  }

  override shift(): T | undefined {
    const item = super.shift();
    if (item !== undefined) detached(this.#owner, this.#rel, item);
    return item;
  }
}

/** A collection of `rel` owned by `owner`, holding `items` (no sync: they are already linked). */
export function collection(owner: object, rel: Relationship, items?: readonly object[]): object[] {
  const list = new InstrumentedList(owner, rel);
  if (items) for (const item of items) arrayPush.call(list, item);
  return list;
}

/** `item` joined `owner`'s collection of `rel`: its many-to-one side now names `owner`. */
export function attached(owner: object, rel: Relationship, item: object): void {
  const reverse = rel.reverse;
  const st = maybeState(item);
  if (!reverse || reverse.uselist || !st) return;
  const old = st.rels.get(reverse.name);
  if (old === owner) return;
  if (old) removeMember(old as object, rel, item);
  st.rels.set(reverse.name, owner);
}

/** `item` left `owner`'s collection of `rel`: its many-to-one side no longer names `owner`. */
export function detached(owner: object, rel: Relationship, item: object): void {
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
