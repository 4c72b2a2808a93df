/**
 * Hybrid attributes (SQLAlchemy's `hybrid_property` / `hybrid_method`): one declaration that
 * answers on an instance, computed in TypeScript from its loaded attributes, and on the
 * class, as a Core expression built from its columns for `where()`, `orderBy()` and
 * `select()`. TypeScript has no operator overloading, so the two sides are two functions
 * kept side by side and type-checked against each other and against the `declare`d field.
 */
import { ArgumentError, type ColumnElement } from '@athanor/core';
import { declaredMapperOf } from './mapper';
import type { AnyMappedClass } from './types';

/** The instance attribute names a hybrid may take (not the ORM helpers every instance has). */
type HybridKey<I> = Exclude<keyof I, 'awaitableAttrs' | 'toJSON'> & string;

/** A Core expression whose SQL value may stand for the instance value `V` (SQL adds NULL). */
type ExpressionOf<V> = ColumnElement<any, any> & { readonly __value: V | null };

/** A hybrid property: `get` on instances, `expression` in SQL, optionally `set` on instances. */
export interface HybridPropertySpec<I, Cols, V> {
  get(obj: I): V;
  set?(obj: I, value: V): void;
  expression(c: Cols): ExpressionOf<V>;
}

/** A hybrid method: called with the same arguments on an instance (`method`) and on the class (`expression`). */
export interface HybridMethodSpec<I, Cols, A extends unknown[], R> {
  method(obj: I, ...args: A): R;
  expression(c: Cols, ...args: A): ExpressionOf<R>;
}

/** The spec a `declare`d field of type `V` takes: a method spec for a function type, else a property spec. */
export type HybridSpecFor<I, Cols, V> = [V] extends [(...args: infer A) => infer R] ? HybridMethodSpec<I, Cols, A, R> : HybridPropertySpec<I, Cols, V>;

/** `Base.hybrids(User, { fullName: {...} })`: each name (`K`) a `declare`d field of `User`, each spec matching its type. */
export type HybridMap<C extends AnyMappedClass & { readonly c: unknown }, K extends keyof InstanceType<C>> = {
  [P in K]: HybridSpecFor<InstanceType<C>, C['c'], InstanceType<C>[P]>;
};

/**
 * The class-level handles `Base.hybrids()` returns, typed from the fields: a property's
 * expression, and for a method a function taking its arguments and building the expression.
 */
export type HybridHandles<I, K extends keyof I> = {
  readonly [P in K]: I[P] extends (...args: infer A) => infer R ? (...args: A) => ColumnElement<R> : ColumnElement<I[P]>;
};

export type { HybridKey };

/** Defines the instance side on the class's prototype and returns the class-level handles. */
export function declareHybrids(cls: AnyMappedClass & { readonly c: unknown }, specs: Record<string, unknown>): Record<string, unknown> {
  const mapper = declaredMapperOf(cls);
  const handles: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const where = `${mapper.name}.hybrids: '${name}'`;
    if (typeof spec !== 'object' || spec === null || typeof (spec as { expression?: unknown }).expression !== 'function') {
      throw new ArgumentError(`${where} must be { get(obj), expression(c) } (a property) or { method(obj, ...args), expression(c, ...args) } (a method).`);
    }
    if (mapper.columnIndex.has(name) || mapper.relationships.has(name) || mapper.hasColumnProperty(name)) {
      throw new ArgumentError(`${where} has the name of a column, relationship or column property of ${mapper.name}; give the hybrid another name.`);
    }
    const { get, set, method, expression } = spec as { get?: unknown; set?: unknown; method?: unknown; expression: (c: unknown, ...args: unknown[]) => unknown };
    if (typeof method === 'function') {
      if (get !== undefined || set !== undefined) throw new ArgumentError(`${where} has both method and get/set; a hybrid is a method or a property, not both.`);
      Object.defineProperty(cls.prototype, name, {
        configurable: true,
        writable: true,
        value(this: object, ...args: unknown[]) {
          return method(this, ...args);
        },
      });
      handles[name] = (...args: unknown[]) => expression(cls.c, ...args);
      continue;
    }
    if (typeof get !== 'function') throw new ArgumentError(`${where} needs get(obj) (a property) or method(obj, ...args) (a method).`);
    if (set !== undefined && typeof set !== 'function') throw new ArgumentError(`${where}: set must be a function (obj, value) => void.`);
    Object.defineProperty(cls.prototype, name, {
      configurable: true,
      get(this: object) {
        return get(this);
      },
      set(this: object, value: unknown) {
        if (set === undefined) throw new ArgumentError(`${mapper.name}.${name} is a hybrid property without set(); it cannot be assigned.`);
        (set as (obj: object, v: unknown) => void)(this, value);
      },
    });
    handles[name] = expression(cls.c);
  }
  return handles;
}
