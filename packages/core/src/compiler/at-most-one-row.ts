/**
 * Whether a SELECT returns at most one row whatever its parameter values, from its shape
 * alone: it reads one table, and its WHERE clause, a conjunction, compares every column of
 * the table's primary key (or of one of its unique constraints) with `=` to a parameter.
 * The engine then reads it with the driver's first-row call (better-sqlite3's `get()`),
 * which is every row there is. It trusts the table's declared keys, as the ORM's identity
 * map does: a key the database does not enforce is a wrong schema, not a query to guard.
 */
import type { UniqueConstraint } from '../schema/constraints';
import type { Table, TableColumn } from '../schema/table';
import type { BinaryExpression, BooleanClauseList, ColumnElement, Grouping } from '../sql/column-element';
import type { Select } from '../sql/select';
import type { FromClause } from '../sql/selectable';

export function selectsAtMostOneRow(el: Select<any>, froms: readonly FromClause[]): boolean {
  if (froms.length !== 1 || froms[0].kind !== 'table' || el.whereClause === undefined) return false;
  const table = froms[0] as Table<any, any>;
  const fixed = new Set<TableColumn<any, any>>();
  collectFixedColumns(el.whereClause, table, fixed);
  if (fixed.size === 0) return false;
  const pk = table.primaryKey;
  if (pk.length > 0 && pk.every((c) => fixed.has(c))) return true;
  for (const c of table.constraints) {
    if (c.constraintKind === 'unique' && (c as UniqueConstraint).columns.every((col) => fixed.has(col))) return true;
  }
  return false;
}

/** Columns of `table` that the AND-ed terms of `where` pin with `column = parameter`. */
function collectFixedColumns(where: ColumnElement<any, any>, table: Table<any, any>, into: Set<TableColumn<any, any>>): void {
  switch (where.kind) {
    case 'grouping':
      collectFixedColumns((where as Grouping).element, table, into);
      return;
    case 'booleanList': {
      const list = where as BooleanClauseList;
      if (list.operator === 'AND') for (const c of list.clauses) collectFixedColumns(c, table, into);
      return;
    }
    case 'binary': {
      const b = where as BinaryExpression;
      if (b.operator !== '=') return;
      const col = pinnedColumn(b.left, b.right, table) ?? pinnedColumn(b.right, b.left, table);
      if (col !== undefined) into.add(col);
      return;
    }
  }
}

/** `column` when it is a column of `table` and `value` one parameter (a list would be IN). */
function pinnedColumn(column: ColumnElement<any, any>, value: ColumnElement<any, any>, table: Table<any, any>): TableColumn<any, any> | undefined {
  if (column.kind !== 'column' || (column as TableColumn<any, any>).table !== table) return undefined;
  if (value.kind !== 'bindParam' || (value as { expanding?: boolean }).expanding === true) return undefined;
  return column as TableColumn<any, any>;
}
