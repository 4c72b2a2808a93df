/**
 * What the flush must know about each column's defaults, worked out once per mapper:
 * client-side `default`/`onUpdate` (a value or a function, evaluated by the flush so the
 * object holds what was written, as core's insert() would evaluate it) and the columns
 * whose value the database makes (server default, identity, sequence, autoincrement),
 * fetched back after INSERT.
 */
import { ClauseElement, ColumnDefault, type TableColumn } from '@athanor/core';

export interface InsertColumn {
  readonly key: string;
  /** The client-side `default`, evaluated per row. */
  readonly clientDefault: ColumnDefault | undefined;
  /** Not given, the database makes the value: read it back after INSERT. */
  readonly fetch: boolean;
  readonly primaryKey: boolean;
}

export interface ColumnDefaults {
  readonly insert: readonly InsertColumn[];
  /** Columns with a client-side `onUpdate`, applied to every UPDATE that does not set them. */
  readonly onUpdate: readonly { key: string; value: ColumnDefault }[];
}

export function columnDefaults(columns: readonly TableColumn<any, any>[]): ColumnDefaults {
  return {
    insert: columns.map((c) => ({
      key: c.key,
      clientDefault: c.options.default === undefined ? undefined : new ColumnDefault(c.options.default),
      // A missing primary key is fetched even without a declared generator: the database may have one.
      fetch: c.primaryKey || c.options.serverDefault !== undefined || c.identity !== undefined || c.sequence !== undefined || c.isAutoincrement,
      primaryKey: c.primaryKey,
    })),
    onUpdate: columns.filter((c) => c.options.onUpdate !== undefined).map((c) => ({ key: c.key, value: new ColumnDefault(c.options.onUpdate) })),
  };
}

/** A default that is a SQL expression is sent as such and its result fetched like a server default. */
export function isSqlExpression(value: unknown): value is ClauseElement {
  return value instanceof ClauseElement;
}
