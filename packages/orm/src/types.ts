/** Type-level helpers of the declarative layer. */
import type { ColumnDefs, HasClauseElement, SelectableEntity, Table, TableColumns } from '@athanor/core';
import type { MappedObject } from './mapped-object';
import type { RelationshipSpec } from './relationship';
import type { WriteOnlyCollection } from './write-only';

/** The instance attributes of a table's columns, by column key. */
export type ColumnValues<D extends ColumnDefs> = { -readonly [K in keyof D]: D[K]['__value'] };

/** Types only (no runtime value): where an instance type keeps its table's name. */
export declare const mappedTableName: unique symbol;

/**
 * An instance of `Base.mapped(...)`: its column attributes plus the ORM helpers. The table
 * name rides along as a symbol-keyed phantom, so that a relationship typed by its target's
 * instance type (`Address[]`) knows the table it joins (outer-join nullability).
 */
export type MappedInstance<D extends ColumnDefs, N extends string = string> = MappedObject & ColumnValues<D> & { readonly [mappedTableName]?: N };

/** The table name of a mapped instance type. */
export type InstanceTableName<I> = I extends { readonly [mappedTableName]?: infer N extends string } ? N : string;

/** The class returned by `Base.mapped(name, columns)`, to extend; it stands for its table in `join()` and `where()`. */
export interface MappedClass<N extends string, D extends ColumnDefs> extends SelectableEntity<object>, HasClauseElement<Table<N, D>> {
  new (init?: Partial<ColumnValues<D>>): MappedInstance<D, N>;
  readonly prototype: MappedInstance<D, N>;
  readonly table: Table<N, D>;
  readonly c: TableColumns<D, N>;
}

/** Any class derived from `Base.mapped(...)`. */
export type AnyMappedClass = abstract new (...args: any) => MappedObject;

/** The element type of a relationship attribute (`Address[]` → `Address`, `User | null` → `User`). */
export type RelationshipTarget<V> = V extends readonly (infer E)[] ? E : V extends WriteOnlyCollection<infer E> ? E : NonNullable<V>;

/** `Base.relationships(User, { addresses: relationship(Address) })`: names and targets checked. */
export type RelationshipMap<I> = { [K in Exclude<keyof I, 'awaitableAttrs'>]?: RelationshipSpec<RelationshipTarget<I[K]>> };

/** `obj.awaitableAttrs.addresses`: every attribute as a promise, loading relationships on demand. */
export type AwaitableAttrs<T> = { readonly [K in Exclude<keyof T, 'awaitableAttrs'>]: Promise<T[K]> };

/** `Base.subclass(Parent, options)`: single-table inheritance (no `table`): the columns are added to the parent's table. */
export interface SubclassOptions<D extends ColumnDefs = {}> {
  /** The value of the base's `polymorphicOn` column in this class's rows. */
  polymorphicIdentity: string | number;
  /** Columns of this subclass, added to the base's table (nullable: the other classes' rows leave them NULL). */
  columns?: D;
  table?: undefined;
}

/** `Base.subclass(Parent, { table, columns })`: joined-table inheritance, the subclass's own table. */
export interface JoinedSubclassOptions<N extends string, D extends ColumnDefs> {
  polymorphicIdentity: string | number;
  /** The subclass's table: its primary key is a foreign key to the parent table's. */
  table: N;
  /** The table's columns, its primary key included. */
  columns: D;
}

/** A class `Base.subclass()` can extend: a mapped class with its table and columns. */
export type MappedParent = AnyMappedClass & { readonly table: Table<any, any>; readonly c: object };

type TableNameOf<P> = P extends { readonly table: Table<infer N, any> } ? N : string;
/** What the parent's constructor takes (its columns, a user constructor's own parameter otherwise). */
type InitOf<P> = P extends abstract new (init?: infer I) => any ? NonNullable<I> : {};

/**
 * The class `Base.subclass(Parent, { columns })` returns, to extend: the parent's instances
 * and statics, plus the subclass's columns on its instances and in `.c`.
 */
export type MappedSubclass<P extends MappedParent, D extends ColumnDefs> = Omit<P, 'prototype' | 'c'> & {
  new (init?: InitOf<P> & Partial<ColumnValues<D>>): InstanceType<P> & ColumnValues<D>;
  readonly prototype: InstanceType<P> & ColumnValues<D>;
  readonly c: P['c'] & TableColumns<D, TableNameOf<P>>;
};

/** The class `Base.subclass(Parent, { table, columns })` returns: its own table; `.c` has the parent's columns and its own. */
export type MappedJoinedSubclass<P extends MappedParent, N extends string, D extends ColumnDefs> = Omit<P, 'prototype' | 'c' | 'table'> & {
  new (init?: InitOf<P> & Partial<ColumnValues<D>>): InstanceType<P> & ColumnValues<D>;
  readonly prototype: InstanceType<P> & ColumnValues<D>;
  readonly table: Table<N, D>;
  readonly c: P['c'] & Omit<TableColumns<D, N>, keyof P['c']>;
};
