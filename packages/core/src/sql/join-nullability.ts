/**
 * Outer-join nullability in row types (types only, no runtime code). A select remembers,
 * per result key, the name of the table a column comes from (`Sources`); `outerJoin(t)`
 * then makes the keys of table `t` nullable, and `fullJoin` every table-sourced key.
 *
 * What is tracked: table columns selected directly (`users.c.name`), whole tables
 * (`select(users)`), and entities whose type names their table (ORM classes), in the row
 * as a tuple. What is not (their types stay as they are): labels and expressions over
 * joined columns, and aliases and subqueries as join targets.
 */
import type { FromTable, Table } from '../schema/table';
import type { HasClauseElement, SelectableEntity } from './entity';
import type { RefinedItem } from './row-tuple';

/** Result key → table name, for the direct table columns, whole tables and named entities among `select()` items. */
export type SourcesOf<U> = ColumnSources<U> & TableSources<U> & EntitySources<U>;

/** Entities with a key in the row (a named ORM alias) whose type names their table. */
type EntitySources<U> = {
  [E in Extract<U, SelectableEntity<any, any>> as E extends SelectableEntity<any, infer K> ? (string extends K ? never : [EntityTableName<E>] extends [never] ? never : K) : never]: EntityTableName<E>;
};

type ColumnSources<U> = {
  [E in Extract<U, FromTable<any>> as E extends { readonly __key: infer K extends string } ? K : never]: E extends FromTable<infer N> ? N : never;
};
type TableSources<U> = [Extract<U, Table<any, any>>] extends [never]
  ? {}
  : { [E in Extract<U, Table<any, any>> as keyof E['__defs'] & string]: E extends Table<infer N, any> ? N : never };

/**
 * The table name of a join target: a table, an object standing for one (an ORM class), or
 * one that joins to a table of that name (`__joinTable`, an ORM relationship); `never` for
 * anything else (aliases, subqueries).
 */
export type JoinTargetName<F> = F extends Table<infer N, any>
  ? LiteralName<N>
  : F extends { readonly __joinTable?: infer N extends string }
    ? LiteralName<N>
    : F extends HasClauseElement<Table<infer N, any>>
      ? LiteralName<N>
      : never;
type LiteralName<N extends string> = string extends N ? never : N;

/** The row after `outerJoin(target)`: the keys that come from the target table become `T | null`. */
export type OuterJoined<Row, Sources, N> = [N] extends [never]
  ? Row
  : { [K in keyof Row]: K extends keyof Sources ? ([Sources[K]] extends [N] ? Row[K] | null : Row[K]) : Row[K] };

/** The row after `fullJoin(target)`: every key that comes from a table becomes `T | null`. */
export type FullJoined<Row, Sources> = { [K in keyof Row]: K extends keyof Sources ? Row[K] | null : Row[K] };

/** The row after `join(target, on, options)`: outer, full, or unchanged for an inner join. */
export type Joined<Row, Sources, F, O> = O extends { full: true } ? FullJoined<Row, Sources> : O extends { isOuter: true } ? OuterJoined<Row, Sources, JoinTargetName<F>> : Row;

/** An entity on the outer side of an outer join (types only): its value in a row may be null. */
export interface OuterEntity<E> {
  readonly __outerOf: E;
}

/** The table an entity stands for, when its type says (an ORM class, an alias of one). */
type EntityTableName<E> = E extends HasClauseElement<Table<infer N, any>> ? N : E extends { readonly __joinTable?: infer N extends string } ? N : never;

/** The select items after `outerJoin(target)`: entities of the target's table become `OuterEntity`. */
export type OuterJoinedItems<Items extends readonly unknown[], N> = [N] extends [never] ? Items : { [I in keyof Items]: OuterItem<Items[I], N> };
type OuterItem<E, N> = E extends RefinedItem<infer X, infer O>
  ? RefinedItem<OuterItem<X, N>, O>
  : E extends SelectableEntity<any, any>
    ? N extends EntityTableName<E>
      ? OuterEntity<E>
      : E
    : E;

/** The select items after `fullJoin()`: every entity may be missing. */
export type FullJoinedItems<Items extends readonly unknown[]> = { [I in keyof Items]: FullItem<Items[I]> };
type FullItem<E> = E extends RefinedItem<infer X, infer O> ? RefinedItem<FullItem<X>, O> : E extends SelectableEntity<any, any> ? OuterEntity<E> : E;

/** The select items after `join(target, on, options)`. */
export type JoinedItems<Items extends readonly unknown[], F, O> = O extends { full: true }
  ? FullJoinedItems<Items>
  : O extends { isOuter: true }
    ? OuterJoinedItems<Items, JoinTargetName<F>>
    : Items;
