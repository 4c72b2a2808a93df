/**
 * `columnProperty(expr)` (SQLAlchemy's `column_property`): a read-only attribute whose value a
 * SQL expression computes (a concatenation, a correlated scalar subquery), selected with the
 * object's columns by every query of the entity. Declared after the class, like
 * relationships, since the expression names the class's own columns.
 */
import { ArgumentError, ColumnElement, InvalidRequestError } from '@athanor/core';
import type { Mapper } from './mapper';
import { type InstanceState, STATE } from './state/instance-state';
import { notLoadedError } from './state/attributes';

/** Options of `columnProperty()`: whether the SQL expression is deferred (loaded only when asked for). */
export interface ColumnPropertyOptions {
  /** Not selected by default: loaded by `undefer()` in a query, a refresh naming it, or `awaitableAttrs`. */
  deferred?: boolean;
}

/** The declaration; `T` is the expression's value type, checked against the `declare`d field. */
export class ColumnPropertySpec<T = unknown> {
  declare readonly __value: T;
  constructor(
    readonly expression: ColumnElement<any, any>,
    readonly options: ColumnPropertyOptions,
  ) {}
}

/** An attribute loaded from a SQL expression, declared with `Base.columnProperties(Cls, { name: columnProperty(expr) })`. */
export function columnProperty<E extends ColumnElement<any, any>>(expression: E, options: ColumnPropertyOptions = {}): ColumnPropertySpec<E['__value']> {
  if (!(expression instanceof ColumnElement)) throw new ArgumentError('columnProperty() takes a Core column expression, e.g. User.c.first.concat(User.c.last).');
  for (const k of Object.keys(options)) if (k !== 'deferred') throw new ArgumentError(`columnProperty(): unknown option '${k}'; the options are deferred.`);
  return new ColumnPropertySpec(expression, options);
}

/** A column property of a mapper: its value lives in the state's slot `slot`, after the columns'. */
export interface ColumnProperty {
  readonly name: string;
  /** As declared, its subqueries correlated to the class's table only (see addColumnProperty). */
  readonly expression: ColumnElement<any, any>;
  readonly slot: number;
  readonly deferred: boolean;
}

/** The class-level handles `Base.columnProperties()` returns: the expressions, for `where()` and `orderBy()`. */
export type ColumnPropertyHandles<I, K extends keyof I> = { readonly [P in K]: ColumnElement<I[P]> };

/** Column property handles → their mapper and name, for `defer()` / `undefer()`. */
const handleOwners = new WeakMap<object, { mapper: Mapper; name: string }>();

export function columnPropertyOfHandle(handle: unknown): { mapper: Mapper; name: string } | undefined {
  return typeof handle === 'object' && handle !== null ? handleOwners.get(handle) : undefined;
}

/** Adds the properties to the mapper and their read-only accessors to the class; returns the handles. */
export function declareColumnProperties(mapper: Mapper, proto: object, specs: Record<string, unknown>): Record<string, unknown> {
  const handles: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (!(spec instanceof ColumnPropertySpec)) throw new ArgumentError(`${mapper.name}.columnProperties: '${name}' must be columnProperty(expression).`);
    if (mapper.columnIndex.has(name) || mapper.relationships.has(name) || mapper.hasColumnProperty(name)) {
      throw new ArgumentError(`${mapper.name}.columnProperties: '${name}' is already a column, relationship or column property of ${mapper.name}.`);
    }
    const prop = mapper.addColumnProperty(name, spec.expression, spec.options.deferred === true);
    defineColumnPropertyAccessor(proto, mapper, prop);
    handleOwners.set(spec.expression, { mapper, name });
    handleOwners.set(prop.expression, { mapper, name });
    handles[name] = prop.expression;
  }
  return handles;
}

function defineColumnPropertyAccessor(proto: object, mapper: Mapper, prop: ColumnProperty): void {
  const i = prop.slot;
  Object.defineProperty(proto, prop.name, {
    configurable: true,
    enumerable: false,
    get(this: { [STATE]: InstanceState }) {
      const st = this[STATE];
      const v = st.values[i];
      // A new object has no row yet: the value is computed once it is flushed and loaded.
      if (v === undefined && st.key !== undefined) throw notLoadedError(mapper.name, prop.name, st.expired, prop.deferred);
      return v;
    },
    set() {
      throw new InvalidRequestError(`${mapper.name}.${prop.name} is a column property (computed by SQL); it is read-only. Change the columns it is computed from.`);
    },
  });
}
