/**
 * Keys of a relationship's foreign-key pairs, one column or several (a composite foreign
 * key): the value that groups loaded rows by owner, and the `IN` that selects them. A
 * composite key uses a row-value `(a, b) IN ((1, 2), ...)`, which SQLite (3.15+),
 * PostgreSQL and MySQL/MariaDB all accept.
 */
import { type ColumnElement, type TableColumn, tuple_ } from '@athanor/core';

/** A map key for one value: objects (dates, buffers, decimals) compare by their text. */
const one = (v: unknown) => (typeof v === 'object' && v !== null ? String(v) : v);

/**
 * The grouping key of the values at `indexes` (null when any is NULL: such a row has no
 * related object). One column: the value itself, so the common case allocates nothing.
 */
export function keyAt(values: readonly unknown[], indexes: readonly number[]): unknown {
  if (indexes.length === 1) {
    const v = values[indexes[0]];
    return v === undefined ? null : one(v);
  }
  let out = '';
  for (let i = 0; i < indexes.length; i++) {
    const v = values[indexes[i]];
    if (v === null || v === undefined) return null;
    // The type is part of the key: 1 and '1' are different keys.
    out += `${typeof v}:${String(one(v))}\u0000`;
  }
  return out;
}

/** The distinct non-NULL keys of `states`, each with its values (for the `IN`). */
export function distinctKeys(rows: readonly { values: readonly unknown[] }[], indexes: readonly number[]): unknown[][] {
  const seen = new Map<unknown, unknown[]>();
  for (const r of rows) {
    const k = keyAt(r.values, indexes);
    if (k !== null && !seen.has(k)) seen.set(k, indexes.map((i) => r.values[i]));
  }
  return [...seen.values()];
}

/** `col IN (...)` for one column, `(a, b) IN ((...), ...)` for several. */
export function keyIn(columns: readonly TableColumn<any, any>[], keys: readonly unknown[][]): ColumnElement<boolean> {
  if (columns.length === 1) return columns[0].in(keys.map((k) => k[0]));
  return tuple_(...(columns as TableColumn<any, any>[])).in(keys as unknown[][]);
}
