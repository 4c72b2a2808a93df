/**
 * `MERGE INTO target USING source ON cond WHEN MATCHED [AND c] THEN UPDATE SET ... | DELETE
 * WHEN NOT MATCHED [AND c] THEN INSERT (...) VALUES (...)` (SQL:2003; PostgreSQL 15 and
 * later). Other databases refuse it at compile time with the upsert to use instead.
 */
import { ArgumentError } from '../errors';
import type { Table } from '../schema/table';
import type { ColumnElement } from './column-element';
import { DMLBase, type InsertValues, type UpdateValues } from './dml';
import { NONE, defineElement } from './element';
import type { FromClause } from './selectable';

type AnyExpr = ColumnElement<any, any>;

export class Merge<T extends Table<any, any> = Table<any, any>> extends DMLBase<never> {
  readonly source: FromClause | undefined = undefined;
  readonly onClause: AnyExpr | undefined = undefined;
  readonly matchedCondition: AnyExpr | undefined = undefined;
  readonly matchedSets: readonly (readonly [any, AnyExpr])[] = NONE;
  readonly matchedDelete: boolean = false;
  readonly notMatchedCondition: AnyExpr | undefined = undefined;
  readonly insertPairs: readonly (readonly [any, AnyExpr])[] = NONE;
  declare readonly __table: T;

  /** The rows to merge (a table, alias or subquery) and how they match the target's. */
  using(source: FromClause, on: ColumnElement<boolean, any>): Merge<T> {
    return this.withFields({ source, onClause: on });
  }
  /** `WHEN MATCHED [AND where] THEN UPDATE SET ...`: values may refer to the source's columns. */
  whenMatchedThenUpdate(values: UpdateValues<T>, options: { where?: ColumnElement<boolean, any> } = {}): Merge<T> {
    const sets = this.resolveValues(values as Record<string, unknown>, `merge(${this.table.name}).whenMatchedThenUpdate`);
    if (sets.length === 0) throw new ArgumentError(`merge(${this.table.name}).whenMatchedThenUpdate() needs at least one column value.`);
    return this.withFields({ matchedSets: sets, matchedDelete: false, matchedCondition: options.where });
  }
  /** `WHEN MATCHED [AND where] THEN DELETE`. */
  whenMatchedThenDelete(options: { where?: ColumnElement<boolean, any> } = {}): Merge<T> {
    return this.withFields({ matchedSets: NONE, matchedDelete: true, matchedCondition: options.where });
  }
  /** `WHEN NOT MATCHED [AND where] THEN INSERT (...) VALUES (...)`. */
  whenNotMatchedThenInsert(values: InsertValues<T>, options: { where?: ColumnElement<boolean, any> } = {}): Merge<T> {
    const pairs = this.resolveValues(values as Record<string, unknown>, `merge(${this.table.name}).whenNotMatchedThenInsert`);
    return this.withFields({ insertPairs: pairs, notMatchedCondition: options.where });
  }
}
defineElement(Merge, 'merge', [
  ['table', 'ref'],
  ['source', 'element'],
  ['onClause', 'element'],
  ['matchedCondition', 'element'],
  ['matchedSets', 'pairs'],
  ['matchedDelete', 'flag'],
  ['notMatchedCondition', 'element'],
  ['insertPairs', 'pairs'],
]);

/** `MERGE INTO target USING source ON …` with WHEN MATCHED / NOT MATCHED clauses (PostgreSQL 15+). */
export function merge<T extends Table<any, any>>(target: T): Merge<T> {
  if (!target || (target as { kind?: string }).kind !== 'table') throw new ArgumentError('merge() takes the target Table.');
  return new Merge(target);
}
