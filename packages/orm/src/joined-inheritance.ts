/**
 * Joined-table inheritance: a subclass with a table of its own whose primary key is a
 * foreign key to its parent's. Its objects' value slots are the parent's followed by its
 * table's columns; it is loaded through `parent tables JOIN its table`, and a class with
 * joined subclasses is queried through LEFT OUTER JOINs to their tables, so that one SELECT
 * loads every row as its class with its own columns (SQLAlchemy's `with_polymorphic('*')`).
 */
import { ArgumentError, type ColumnElement, type FromClause, Join, type Table, type TableColumn, and } from '@athanor/core';
import { type ColumnDefaults, columnDefaults } from './column-defaults';
import type { Mapper } from './mapper';
import type { TablePart } from './table-part';

export interface JoinedLayout {
  readonly columns: readonly TableColumn<any, any>[];
  readonly columnKeys: readonly string[];
  readonly columnIndex: ReadonlyMap<string, number>;
  readonly part: TablePart;
  /** The parent's tables joined to this one. */
  readonly from: FromClause;
}

/** The subclass table's primary key columns paired with the parent table's columns they reference. */
export function inheritedKeyPairs(table: Table<any, any>, parentTable: Table<any, any>, where: string): [TableColumn<any, any>, TableColumn<any, any>][] {
  const links = table.foreignKeyLinksTo(parentTable);
  const pairs: [TableColumn<any, any>, TableColumn<any, any>][] = [];
  for (const pk of table.primaryKey) {
    const link = links.find((l) => l.parent === pk);
    if (link === undefined || !parentTable.primaryKey.includes(link.referred as TableColumn<any, any>)) {
      throw new ArgumentError(
        `${where}: the primary key column '${table.name}.${pk.name}' must be a foreign key to the primary key of '${parentTable.name}' ` +
          `(write ${pk.key}: Column(..., ForeignKey('${parentTable.name}.${parentTable.primaryKey[0]?.name ?? 'id'}'), { primaryKey: true })). ` +
          'A subclass table that does not reference its parent\'s would be concrete-table inheritance, which is not supported.',
      );
    }
    pairs.push([pk, link.referred as TableColumn<any, any>]);
  }
  if (pairs.length !== parentTable.primaryKey.length) throw new ArgumentError(`${where}: table '${table.name}' must have a primary key column for each of '${parentTable.name}''s.`);
  return pairs;
}

export function joinedLayout(name: string, parent: Mapper, table: Table<any, any>): JoinedLayout {
  const offset = parent.columns.length;
  const own = table.columns;
  const columns = [...parent.columns, ...own];
  const columnKeys = columns.map((c) => c.key);
  const columnIndex = new Map(parent.columnIndex);
  const localIndex = new Map<string, number>();
  own.forEach((c, i) => {
    localIndex.set(c.key, offset + i);
    // A key the parent has (the shared primary key) stays the parent's attribute.
    if (!columnIndex.has(c.key)) columnIndex.set(c.key, offset + i);
  });
  const pairs = inheritedKeyPairs(table, parent.table, `Base.subclass(${parent.name}, ...)`);
  const inheritedKey = pairs.map(([mine, theirs]) => [localIndex.get(mine.key)!, parent.columnIndex.get(theirs.key)!] as const);
  const pkKeys = table.primaryKey.map((c) => c.key);
  let defaults: ColumnDefaults | undefined;
  const part: TablePart = {
    name,
    table,
    columns: own,
    offset,
    columnIndex: localIndex,
    columnKeys,
    pkKeys,
    matchKeys: pkKeys,
    versionIndex: -1,
    versionGenerator: parent.versionGenerator,
    get defaults() {
      return (defaults ??= columnDefaults(own));
    },
    inheritedKey,
    describePk: (values) => pkKeys.map((k) => `${k}=${String(values[localIndex.get(k)!])}`).join(', '),
  };
  const on = onClause(pairs);
  return { columns, columnKeys, columnIndex, part, from: new Join(parent.innerFrom, table, on, false, false) };
}

function onClause(pairs: [TableColumn<any, any>, TableColumn<any, any>][]): ColumnElement<boolean, any> {
  const conds = pairs.map(([mine, theirs]) => mine.eq(theirs as any));
  return conds.length === 1 ? conds[0] : (and(...conds) as ColumnElement<boolean, any>);
}

/** A joined subclass's table, LEFT OUTER JOINed to a query of an ancestor (polymorphic loading). */
export interface PolymorphicTable {
  readonly table: Table<any, any>;
  /** Its first column's position in the ancestor's descriptor columns. */
  readonly start: number;
}

/** Adds `table` (a joined subclass's, referencing `parentTable`) to `mapper`'s polymorphic SELECT. */
export function addPolymorphicTable(mapper: Mapper, table: Table<any, any>, parentTable: Table<any, any>): void {
  const d = mapper.descriptor as { from: FromClause; columns: readonly ColumnElement<any, any>[] };
  mapper.polymorphicTables.push({ table, start: d.columns.length });
  d.columns = [...d.columns, ...table.columns];
  d.from = new Join(d.from, table, onClause(inheritedKeyPairs(table, parentTable, mapper.name)), true, false);
  mapper.projections.clear();
}

/** Where the value slots of `row`'s class are in a row of `mapper`'s descriptor (`row` inherits from `mapper`). */
export function projection(mapper: Mapper, row: Mapper): number[] {
  let out = mapper.projections.get(row);
  if (out !== undefined) return out;
  out = [];
  for (const part of row.parts) {
    const own = mapper.parts.find((p) => p.table === part.table);
    const start = own !== undefined ? own.offset : mapper.polymorphicTables.find((t) => t.table === part.table)!.start;
    for (let i = 0; i < part.columns.length; i++) out.push(start + i);
  }
  mapper.projections.set(row, out);
  return out;
}
