/** A relationship's declared `orderBy`, on the FROM item its target's rows come from. */
import type { ColumnElement, TableColumn } from '@athanor/core';
import type { Relationship } from './relationship';

/** The relationship's `orderBy` on `from` (the target table, or its alias in a join or an aggregate). */
export function orderByOn(rel: Relationship, from: { c: unknown }): ColumnElement<any>[] {
  const c = from.c as Record<string, TableColumn<any, any>>;
  return rel.orderBy.map((o) => (o.descending ? c[o.key].desc() : c[o.key]) as ColumnElement<any>);
}
