/**
 * The ORM options of `Base.mapped(name, columns, options)`, beside the Table's own
 * (`schema`, `comment`, `dialectOptions`). Unknown keys are refused, not ignored.
 */
import { ArgumentError, type Table, type TableOptions } from '@athanor/core';

/** Mapper options of `Base.mapped()`: optimistic versioning, polymorphic identity and discriminator, deferred columns. */
export interface MapperOptions<K extends string = string> {
  /**
   * Optimistic concurrency (SQLAlchemy's `version_id_col`): the integer column every UPDATE
   * and DELETE checks (`WHERE pk = ? AND version = ?`) and every UPDATE advances; zero
   * matched rows raise StaleDataError.
   */
  versionIdCol?: K;
  /** The next version from the previous (default: previous + 1, starting at 1). */
  versionIdGenerator?: (previous: unknown) => unknown;
  /**
   * Single-table inheritance: the discriminator column, whose value names each row's class
   * (`Base.subclass(Employee, { polymorphicIdentity: 'engineer' })`). New objects get their
   * class's identity in it.
   */
  polymorphicOn?: K;
  /** The discriminator value of this (base) class's own rows; subclasses give theirs to `Base.subclass()`. */
  polymorphicIdentity?: string | number;
  /**
   * Columns left out of the default SELECT (SQLAlchemy's `deferred()`): reading one raises
   * until it is loaded by `undefer()` in a query, `session.refresh(obj, ['bio'])` or
   * `await obj.awaitableAttrs.bio`. Not the primary key or the version counter.
   */
  deferred?: readonly K[];
}

/** Everything `Base.mapped()` takes after the columns: the Table's options and the mapper's. */
export type MappedOptions<K extends string = string> = TableOptions & MapperOptions<K>;

const TABLE_KEYS = ['schema', 'comment', 'dialectOptions'];
const MAPPER_KEYS = ['versionIdCol', 'versionIdGenerator', 'polymorphicOn', 'polymorphicIdentity', 'deferred'];
/** Options of other ORMs' inheritance forms, refused with the supported spelling. */
const INHERITANCE_KEYS = ['inherits', 'concrete', 'polymorphicAbstract', 'inheritsFrom', 'extends'];

/** Splits `Base.mapped`'s options object into the Table's and the mapper's, refusing unknown keys. */
export function splitMappedOptions(tableName: string, columnKeys: readonly string[], options: Record<string, unknown>): { table: TableOptions; mapper: MapperOptions } {
  const table: Record<string, unknown> = {};
  const mapper: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (TABLE_KEYS.includes(k)) table[k] = v;
    else if (MAPPER_KEYS.includes(k)) mapper[k] = v;
    else if (INHERITANCE_KEYS.includes(k)) {
      throw new ArgumentError(
        `Base.mapped('${tableName}', ...): option '${k}': a class mapped to a table of its own cannot inherit another mapped class (concrete-table inheritance is not supported). ` +
          "For single-table inheritance declare the subclass with Base.subclass(Parent, { polymorphicIdentity: '...', columns: {...} }) and give the base polymorphicOn.",
      );
    } else throw new ArgumentError(`Base.mapped('${tableName}', ...): unknown option '${k}'; the options are ${[...TABLE_KEYS, ...MAPPER_KEYS].join(', ')}.`);
  }
  const version = mapper.versionIdCol;
  if (version !== undefined && (typeof version !== 'string' || !columnKeys.includes(version))) {
    throw new ArgumentError(`Base.mapped('${tableName}', ...): versionIdCol '${String(version)}' is not a column key (columns: ${columnKeys.join(', ')}).`);
  }
  const on = mapper.polymorphicOn;
  if (on !== undefined && (typeof on !== 'string' || !columnKeys.includes(on))) {
    throw new ArgumentError(`Base.mapped('${tableName}', ...): polymorphicOn '${String(on)}' is not a column key (columns: ${columnKeys.join(', ')}).`);
  }
  const identity = mapper.polymorphicIdentity;
  if (identity !== undefined && on === undefined) throw new ArgumentError(`Base.mapped('${tableName}', ...): polymorphicIdentity needs polymorphicOn, the discriminator column that holds it.`);
  if (identity !== undefined && typeof identity !== 'string' && typeof identity !== 'number') {
    throw new ArgumentError(`Base.mapped('${tableName}', ...): polymorphicIdentity must be a string or a number; got ${typeof identity}.`);
  }
  if (mapper.versionIdGenerator !== undefined && typeof mapper.versionIdGenerator !== 'function') {
    throw new ArgumentError(`Base.mapped('${tableName}', ...): versionIdGenerator must be a function (previous) => next.`);
  }
  if (mapper.deferred !== undefined) checkDeferred(tableName, columnKeys, mapper.deferred, version as string | undefined);
  return { table, mapper };
}

function checkDeferred(tableName: string, columnKeys: readonly string[], deferred: unknown, version: string | undefined): void {
  const where = `Base.mapped('${tableName}', ...): deferred`;
  if (!Array.isArray(deferred)) throw new ArgumentError(`${where} takes a list of column keys, e.g. deferred: ['bio'].`);
  for (const k of deferred) {
    if (typeof k !== 'string' || !columnKeys.includes(k)) throw new ArgumentError(`${where}: '${String(k)}' is not a column key (columns: ${columnKeys.join(', ')}).`);
    if (k === version) throw new ArgumentError(`${where}: '${k}' is the version counter (versionIdCol); every UPDATE needs its loaded value.`);
  }
}

/** A deferred primary key column is refused once the table (and so its key) exists. */
export function checkDeferredNotKey(table: Table<any, any>, options: MapperOptions): void {
  for (const c of table.primaryKey) {
    if (options.deferred?.includes(c.key)) {
      throw new ArgumentError(`Base.mapped('${table.name}', ...): deferred: '${c.key}' is a primary key column; the key is always loaded (it is the object's identity).`);
    }
  }
}
