/**
 * One table of a mapped class's rows, as the flush writes it. A class maps to one table, and
 * its mapper is its only part; a joined-table subclass's rows span its base's tables and
 * its own, each a part with its slice of the object's value slots (base first).
 */
import type { Table, TableColumn } from '@athanor/core';
import type { ColumnDefaults } from './column-defaults';

export interface TablePart {
  readonly name: string;
  readonly table: Table<any, any>;
  readonly columns: readonly TableColumn<any, any>[];
  /** The value slot of the table's first column. */
  readonly offset: number;
  /** Column key → value slot, for this table's columns. */
  readonly columnIndex: ReadonlyMap<string, number>;
  /** Value slot → attribute key (of the whole object). */
  readonly columnKeys: readonly string[];
  readonly pkKeys: readonly string[];
  /** The primary key, then the version counter (on the base's table only). */
  readonly matchKeys: readonly string[];
  readonly versionIndex: number;
  readonly versionGenerator: (previous: unknown) => unknown;
  readonly defaults: ColumnDefaults;
  /** A subclass table's primary key slots and the base slots they copy before its INSERT. */
  readonly inheritedKey: readonly (readonly [number, number])[];
  describePk(values: readonly unknown[]): string;
}
