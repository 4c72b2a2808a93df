/**
 * The ORM options of `Base.mapped(name, columns, options)`, beside the Table's own
 * (`schema`, `comment`, `dialectOptions`). Unknown keys are refused, not ignored.
 */
import { ArgumentError, type TableOptions } from '@athanor/core';

export interface MapperOptions<K extends string = string> {
  /**
   * Optimistic concurrency (SQLAlchemy's `version_id_col`): the integer column every UPDATE
   * and DELETE checks (`WHERE pk = ? AND version = ?`) and every UPDATE advances; zero
   * matched rows raise StaleDataError.
   */
  versionIdCol?: K;
  /** The next version from the previous (default: previous + 1, starting at 1). */
  versionIdGenerator?: (previous: unknown) => unknown;
}

export type MappedOptions<K extends string = string> = TableOptions & MapperOptions<K>;

const TABLE_KEYS = ['schema', 'comment', 'dialectOptions'];
const MAPPER_KEYS = ['versionIdCol', 'versionIdGenerator'];

/** Splits `Base.mapped`'s options object into the Table's and the mapper's, refusing unknown keys. */
export function splitMappedOptions(tableName: string, columnKeys: readonly string[], options: Record<string, unknown>): { table: TableOptions; mapper: MapperOptions } {
  const table: Record<string, unknown> = {};
  const mapper: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (TABLE_KEYS.includes(k)) table[k] = v;
    else if (MAPPER_KEYS.includes(k)) mapper[k] = v;
    else throw new ArgumentError(`Base.mapped('${tableName}', ...): unknown option '${k}'; the options are ${[...TABLE_KEYS, ...MAPPER_KEYS].join(', ')}.`);
  }
  const version = mapper.versionIdCol;
  if (version !== undefined && (typeof version !== 'string' || !columnKeys.includes(version))) {
    throw new ArgumentError(`Base.mapped('${tableName}', ...): versionIdCol '${String(version)}' is not a column key (columns: ${columnKeys.join(', ')}).`);
  }
  if (mapper.versionIdGenerator !== undefined && typeof mapper.versionIdGenerator !== 'function') {
    throw new ArgumentError(`Base.mapped('${tableName}', ...): versionIdGenerator must be a function (previous) => next.`);
  }
  return { table, mapper };
}
