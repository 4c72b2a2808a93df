/**
 * Outer-join nullability in row types (types only, no runtime code). A select remembers,
 * per result key, the name of the table a column comes from (`Sources`); `outerJoin(t)`
 * then makes the keys of table `t` nullable, and `fullJoin` every table-sourced key.
 *
 * What is tracked: table columns selected directly (`users.c.name`) and whole tables
 * (`select(users)`). What is not (their types stay as they are): labels and expressions
 * over joined columns, aliases and subqueries as join targets, and ORM entities.
 */
import type { FromTable, Table } from '../schema/table';

/** Result key → table name, for the direct table columns and whole tables among `select()` items. */
export type SourcesOf<U> = ColumnSources<U> & TableSources<U>;

type ColumnSources<U> = {
  [E in Extract<U, FromTable<any>> as E extends { readonly __key: infer K extends string } ? K : never]: E extends FromTable<infer N> ? N : never;
};
type TableSources<U> = [Extract<U, Table<any, any>>] extends [never]
  ? {}
  : { [E in Extract<U, Table<any, any>> as keyof E['__defs'] & string]: E extends Table<infer N, any> ? N : never };

/** The table name of a join target, or `never` when the target is not a table (alias, subquery, entity). */
export type JoinTargetName<F> = F extends Table<infer N, any> ? (string extends N ? never : N) : never;

/** The row after `outerJoin(target)`: the keys that come from the target table become `T | null`. */
export type OuterJoined<Row, Sources, N> = [N] extends [never]
  ? Row
  : { [K in keyof Row]: K extends keyof Sources ? ([Sources[K]] extends [N] ? Row[K] | null : Row[K]) : Row[K] };

/** The row after `fullJoin(target)`: every key that comes from a table becomes `T | null`. */
export type FullJoined<Row, Sources> = { [K in keyof Row]: K extends keyof Sources ? Row[K] | null : Row[K] };

/** The row after `join(target, on, options)`: outer, full, or unchanged for an inner join. */
export type Joined<Row, Sources, F, O> = O extends { full: true } ? FullJoined<Row, Sources> : O extends { isOuter: true } ? OuterJoined<Row, Sources, JoinTargetName<F>> : Row;
