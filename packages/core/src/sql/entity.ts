/**
 * The protocol by which any object can stand in `select()`, `where()`, `join()` and
 * `options()` (SQLAlchemy's `__clause_element__` and its ORM entities). Core calls these
 * symbols; a layer above (the ORM) implements them on its own classes.
 */
import type { ClauseElement } from './element';
import type { ColumnElement } from './column-element';
import type { FromClause } from './selectable';

/** An object that stands for a clause element (a column, a FROM item, a predicate). */
export const clauseElement: unique symbol = Symbol.for('athanor.clauseElement') as any;
/** An object that can be selected as a whole entity, its rows shaped into objects. */
export const selectEntity: unique symbol = Symbol.for('athanor.selectEntity') as any;
/** An object that says how to join to it: the FROM items, each with its ON clause (an ORM relationship). */
export const joinTarget: unique symbol = Symbol.for('athanor.joinTarget');

/**
 * An object standing for a table that a DML statement must not name alone (an ORM
 * single-table subclass shares its table with other classes): returns why, and the fix,
 * for `insert()`/`update()`/`delete_()` to raise instead of acting on every row of the table.
 */
export const dmlRefusal: unique symbol = Symbol.for('athanor.dmlRefusal');

/** An object that stands for a SQL expression (an ORM attribute): Core asks it for the element through the `[clauseElement]()` method. */
export interface HasClauseElement<E extends ClauseElement = ClauseElement> {
  [clauseElement](): E;
}

/** How an entity appears in a SELECT and how its slice of each row becomes a value. */
export interface EntityDescriptor<T = unknown> {
  /** The result key of the entity in a row (`select(User)` rows are `{ User: ... }`). */
  readonly name: string;
  /** The FROM item the entity's columns come from. */
  readonly from: FromClause;
  /** The columns to select, in order. */
  readonly columns: readonly ColumnElement<any, any>[];
  /**
   * Turns the processed values of `columns` (same order) into the entity's value.
   * `context` is whatever the executor passed to the result (the ORM passes its session).
   */
  load(values: readonly unknown[], context: unknown): T;
  /**
   * Criteria every SELECT of the entity applies (the ORM's discriminator filter of a
   * single-table subclass). ANDed with the statement's WHERE at compile time, its values
   * rendered inline: they are constants of the entity, not parameters of the statement.
   */
  readonly where?: ColumnElement<boolean, any>;
}

/** An object selectable as an entity: `select(User)`. `T` is the value each row holds for it. */
export interface SelectableEntity<T = unknown, N extends string = string> {
  readonly __entityValue?: T;
  readonly __entityName?: N;
  [selectEntity](): EntityDescriptor<T>;
}

/** One step of a join path: `JOIN target ON on`. */
export interface JoinStep {
  readonly target: FromClause;
  readonly on: ColumnElement<any, any>;
  /** Where the join starts when the statement has no FROM list yet (a relationship's parent side). */
  readonly from?: FromClause;
}

/**
 * `select(User).join(x)` where `x` knows its own ON clause: `join()` adds each step in order
 * (two for a many-to-many relationship: the association table, then the target).
 */
export interface HasJoinTarget {
  [joinTarget](): readonly JoinStep[];
}

/** Whether `x` can be the target of `join()` through `[joinTarget]()` (an ORM relationship attribute). */
export function hasJoinTarget(x: unknown): x is HasJoinTarget {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as any)[joinTarget] === 'function';
}

/** Whether `x` can stand in `select()` and shape its rows through `[selectEntity]()` (an ORM mapped class). */
export function isSelectableEntity(x: unknown): x is SelectableEntity {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as any)[selectEntity] === 'function';
}

/** Whether `x` stands for a SQL expression through `[clauseElement]()` (an ORM attribute), so `where()` and `join()` take it. */
export function hasClauseElement(x: unknown): x is HasClauseElement {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as any)[clauseElement] === 'function';
}

/**
 * An option passed to `select().options(...)`: core keeps it on the statement (and in its
 * cache key) for the layer that executes it; core itself does not interpret it.
 */
export interface StatementOption {
  /** Structural key of the option, part of the statement's cache key. */
  readonly optionCacheKey: string;
  /**
   * Types only, never set: an option may narrow the row values of type `value` to
   * `value & with` (the ORM marks the objects whose relationships its loader options load).
   * Core applies it without knowing what it means.
   */
  readonly __refines?: { readonly value: unknown; readonly with: unknown };
}

type UnionToIntersection<U> = (U extends any ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type RefinementsOf<O> = O extends { readonly __refines?: infer R } ? (R extends { readonly value: infer V; readonly with: infer W } ? [V, W] : never) : never;
type RefineValue<V, P> = V extends unknown ? V & UnionToIntersection<P extends [infer T, infer W] ? (V extends T ? W : never) : never> : never;

/** A value after `options(...O)`: unchanged unless an option declares a refinement for it. */
export type RefineValueBy<V, O> = [RefinementsOf<O>] extends [never] ? V : RefineValue<V, RefinementsOf<O>>;

/** The row type after `options(...O)`: unchanged unless an option declares a refinement. */
export type RefineRow<Row, O> = [RefinementsOf<O>] extends [never] ? Row : { [K in keyof Row]: RefineValue<Row[K], RefinementsOf<O>> };
