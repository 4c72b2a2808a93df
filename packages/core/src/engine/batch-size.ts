/** How many rows one multi-row executemany statement carries (INSERT ... VALUES, UPDATE ... FROM (VALUES ...)). */
import type { Dialect } from '../dialect/dialect';

/** At most this many rows a statement: the full-size batch repeats, and is worth a named prepared statement. */
export const MAX_BATCH_ROWS = 1000;

/** Rows per statement for `perRow` parameters each: at most MAX_BATCH_ROWS, within the dialect's parameter limit. */
export function rowsPerStatement(dialect: Dialect, perRow: number): number {
  return Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(dialect.capabilities.dml.maxParams / Math.max(1, perRow))));
}
