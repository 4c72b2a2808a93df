/**
 * `associationProxy(User, 'keywords', 'userKeywords', 'keyword', { creator })`: a view of
 * one attribute of each member of a collection (SQLAlchemy's association proxy), for the
 * association-object pattern: `user.keywords` lists `user.userKeywords[i].keyword`, and
 * `user.keywords.push(kw)` appends `creator(kw)` (a new association object) to
 * `user.userKeywords`, so the flush writes it as any other member. The view holds nothing
 * itself: each call reads the collection, so an unloaded collection raises as usual.
 */
import { ArgumentError, InvalidRequestError } from '@athanor/core';
import { declaredMapperOf } from './mapper';
import type { AnyMappedClass } from './types';

/** The collection attributes of `I` (arrays of objects). */
type CollectionKey<I> = { [K in keyof I]: I[K] extends readonly object[] ? K : never }[keyof I] & string;
type Member<I, K extends keyof I> = I[K] extends readonly (infer E)[] ? E : never;
/** The attributes of `I` declared as a proxy of values `V`. */
type ProxyKey<I, V> = { [K in keyof I]: I[K] extends AssociationList<V> ? K : never }[keyof I] & string;

/** Options of `associationProxy()`: how to make the association object for a value appended through the proxy. */
export interface AssociationProxyOptions<E, V> {
  /** Makes the association object for a value appended through the proxy: `(kw) => new UserKeyword({ ... })`. */
  creator?: (value: V) => E;
}

/** The live view `user.keywords`: reads through to the collection, appends through `creator`. */
export class AssociationList<V> implements Iterable<V> {
  /** @internal */
  constructor(
    private readonly owner: Record<string, unknown>,
    private readonly spec: ProxySpec,
  ) {}

  private get members(): Record<string, unknown>[] {
    return this.owner[this.spec.through] as Record<string, unknown>[];
  }

  get length(): number {
    return this.members.length;
  }
  at(index: number): V | undefined {
    return this.members.at(index)?.[this.spec.attr] as V | undefined;
  }
  [Symbol.iterator](): Iterator<V> {
    return this.toArray()[Symbol.iterator]();
  }
  /** The values now, as a plain array. */
  toArray(): V[] {
    return this.members.map((m) => m[this.spec.attr] as V);
  }
  includes(value: V): boolean {
    return this.members.some((m) => m[this.spec.attr] === value);
  }
  /** Appends one association object per value, made by the proxy's `creator`. */
  push(...values: V[]): number {
    const list = this.members;
    list.push(...values.map((v) => this.spec.create(v) as Record<string, unknown>));
    return list.length;
  }
  /** Removes the first association object whose attribute is `value` (delete-orphan then deletes its row); false when none. */
  remove(value: V): boolean {
    const list = this.members;
    const i = list.findIndex((m) => m[this.spec.attr] === value);
    if (i < 0) return false;
    list.splice(i, 1);
    return true;
  }
  toJSON(): V[] {
    return this.toArray();
  }
}

interface ProxySpec {
  through: string;
  attr: string;
  create: (value: unknown) => object;
}

/**
 * Declares `cls.prototype[name]` as a view of `attr` over the collection `through`. Declare
 * the attribute on the class as `declare keywords: AssociationList<Keyword>`; the names are
 * checked: `through` must be a collection, `attr` an attribute of its members, and `name`
 * declared with the matching value type.
 */
export function associationProxy<C extends AnyMappedClass, K extends CollectionKey<InstanceType<C>>, A extends keyof Member<InstanceType<C>, K> & string>(
  cls: C,
  name: ProxyKey<InstanceType<C>, Member<InstanceType<C>, K>[A]>,
  through: K,
  attr: A,
  options: AssociationProxyOptions<Member<InstanceType<C>, K>, Member<InstanceType<C>, K>[A]> = {},
): void {
  const mapper = declaredMapperOf(cls);
  const where = `associationProxy(${mapper.name}, '${name}')`;
  const rel = mapper.relationships.get(through);
  if (rel === undefined || !rel.uselist) {
    throw new ArgumentError(`${where}: '${through}' must be a collection relationship of ${mapper.name} (declare it with Base.relationships first).`);
  }
  if (mapper.columnIndex.has(name) || mapper.relationships.has(name)) throw new ArgumentError(`${where}: '${name}' is already a column or relationship of ${mapper.name}.`);
  const target = rel.target;
  if (!target.columnIndex.has(attr) && !target.relationships.has(attr)) {
    throw new ArgumentError(`${where}: ${target.name} has no attribute '${attr}' (columns: ${target.columnKeys.join(', ')}; relationships: ${[...target.relationships.keys()].join(', ') || 'none'}).`);
  }
  const creator = options.creator as ((v: unknown) => object) | undefined;
  const spec: ProxySpec = {
    through,
    attr,
    create: (value) => {
      if (creator === undefined) {
        throw new InvalidRequestError(`${mapper.name}.${name}: appending needs a creator making the ${target.name} for a value; give associationProxy(..., { creator: (v) => ... }).`);
      }
      return creator(value);
    },
  };
  Object.defineProperty(cls.prototype, name, {
    configurable: true,
    enumerable: false,
    get(this: Record<string, unknown>) {
      return new AssociationList(this, spec);
    },
    /** `user.keywords = [a, b]`: the collection becomes one new association object per value. */
    set(this: Record<string, unknown>, values: Iterable<unknown>) {
      this[through] = [...values].map((v) => spec.create(v));
    },
  });
}
