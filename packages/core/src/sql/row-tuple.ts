/**
 * Row types of executed statements (types only, no runtime code): the keyed row, the row as
 * a tuple in `select()` item order (`result.tuples()`: an entity is one element, typed by
 * its class even when its row key is not known to the types), and the first column.
 */
import type { RefineValueBy, SelectableEntity } from './entity';
import type { OuterEntity } from './join-nullability';
import type { FromClause } from './selectable';

/** One `select()` item's value; `Row` gives a column its type after outer joins. */
type ItemValue<E, Row> = E extends RefinedItem<infer X, infer O>
  ? RefineValueBy<ItemValue<X, Row>, O>
  : E extends OuterEntity<infer X>
  ? ItemValue<X, Row> | null
  : E extends SelectableEntity<any, any>
  ? E extends abstract new (...args: any) => infer I
    ? I
    : E extends SelectableEntity<infer T, any>
      ? T
      : never
  : E extends { readonly __key: infer K extends string }
    ? K extends keyof Row
      ? Row[K]
      : E extends { readonly __value: infer T }
        ? T
        : unknown
    : unknown;

/** A select item after `options(...O)` (types only): its value refined as the options say (`RefineRow`). */
export interface RefinedItem<E, O> {
  readonly __refinedItem: E;
  readonly __by: O;
}

/** The items after `options(...O)`: each refined by the options. */
export type RefinedItems<Items extends readonly unknown[], O> = { [I in keyof Items]: RefinedItem<Items[I], O> };

/**
 * The row of `select(...items)` as a tuple, one element per item. A whole table among the
 * items stands for all its columns, in an order the types do not have: then `unknown[]`.
 */
export type TupleOf<Items extends readonly unknown[], Row> = [Extract<Items[number], FromClause<any>>] extends [never]
  ? { -readonly [I in keyof Items]: ItemValue<Items[I], Row> }
  : unknown[];

/** The keyed row type of a statement (`Record<string, unknown>` when it returns none). */
export type RowOfStatement<S> = S extends { __row: infer R } ? ([R] extends [never] ? Record<string, unknown> : R) : Record<string, unknown>;

/** The tuple row type of a statement: typed for `select()`, `unknown[]` otherwise. */
export type TupleOfStatement<S> = S extends { __items: infer I extends readonly unknown[]; __row: infer R } ? TupleOf<I, R> : unknown[];

/** The first column's value: the first tuple element when known, else any of the row's values. */
export type FirstOf<Row, Tup extends readonly unknown[]> = Tup extends readonly [infer F, ...unknown[]] ? F : Row[keyof Row];
