import type { QueryOptions } from '../dialect/driver';
import type { ColumnDefault } from '../sql/dml';
import type { EntitySlot } from '../sql/select';
import type { Processor, TypeEngine } from '../types/type-engine';

/** One placeholder of a compiled statement. */
export interface BindSlot {
  /** Index into the values extracted by the cache-key walk. */
  walkIndex: number;
  /** The parameter name (`:name` style; also the key for values given by name at execution). */
  name: string;
  /** Set by the user with `bindparam(name)`: execution parameters may override it by name. */
  isNamed: boolean;
  /** A list that becomes one placeholder per item. */
  expanding: boolean;
  /** The dialect's bind step for the value's type, or null for none. */
  processor: Processor | null;
  /** For an expanding list of tuples (`tuple_(a, b).in([...])`): each element's bind step. */
  itemProcessors?: (Processor | null)[];
  /** For INSERT/UPDATE values: the column key, so executemany can take each row's value by key. */
  columnKey?: string;
  /** A client-side column default, evaluated per row when no value is given. */
  columnDefault?: ColumnDefault;
}

/** A result column of a compiled statement. */
export interface CompiledColumn {
  key: string;
  /** The dialect's result step for the column's type, or null for none. */
  processor: Processor | null;
}

/** The statement kinds the engine treats differently. */
export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'ddl' | 'text';

/**
 * A statement compiled for one dialect: reusable for any values of the same shape (the
 * compiled cache holds these). `parts` and `slots` interleave: parts[0] slot[0] parts[1] ...
 */
export class Compiled {
  /** The SQL with one placeholder per slot (expanding slots render one placeholder until expanded). */
  readonly sql: string;
  readonly parts: readonly string[];
  readonly slots: readonly BindSlot[];
  readonly hasExpanding: boolean;
  readonly columns: readonly CompiledColumn[];
  /** Whether any result column needs processing: when false, rows pass through untouched. */
  readonly hasResultProcessors: boolean;
  readonly entitySlots: readonly EntitySlot[];
  readonly kind: StatementKind;
  readonly returnsRows: boolean;
  /** For INSERT without RETURNING: the key of the autoincrement primary key column, for `insertedPrimaryKey`. */
  readonly autoincrementKey: string | undefined;
  /** Statement options (ORM loader options) carried to the executor. */
  readonly options: readonly unknown[];
  /**
   * Whether integers in the result may exceed 2^53 and must be read exactly (a BigInteger,
   * Numeric or untyped column, or rows of unknown shape). False lets a driver that pays for
   * exactness per value (better-sqlite3's safeIntegers) skip it.
   */
  readonly exactIntegers: boolean;
  /**
   * A SELECT that returns at most one row whatever the values: one table, its whole primary
   * key (or a unique constraint) compared with `=` to parameters (see `at-most-one-row.ts`).
   * Its Result is read with the driver's first-row call, which is then every row.
   */
  readonly atMostOneRow: boolean;
  /**
   * The driver options of every execution of this statement (they depend on nothing else),
   * shared and frozen: no options object per execution.
   */
  readonly queryOptions: Readonly<QueryOptions>;
  /**
   * `queryOptions` plus `firstRowOnly`, for `conn.first()`/`conn.scalar()` on a SELECT
   * (other statements run in full). Undefined otherwise; made once, on first use.
   */
  firstRowOptions: Readonly<QueryOptions> | undefined;
  /** `queryOptions` plus `fewRows`, for a SELECT's Result; made on first use. */
  fewRowsOptions: Readonly<QueryOptions> | undefined;
  /**
   * @internal How the last Result of this statement was read: every row (`all()`, iteration,
   * or a result of two rows or fewer), or the first one or two of a larger one (`one()`,
   * `first()`, `scalar()`). The next execution asks the driver for every row at once, or for
   * rows one at a time, accordingly.
   */
  readsEveryRow: boolean;
  /**
   * @internal Filled by the engine on first execution: the row maker (null: none) and the
   * result keys. Declared here, not added later, so every Compiled keeps one hidden class
   * (properties added after construction made the engine's hot paths polymorphic).
   */
  rowMaker: ((raw: readonly unknown[]) => Record<string, unknown>) | null | undefined;
  /** @internal See `rowMaker`. */
  resultKeys: readonly string[] | undefined;
  /** @internal Filled on first execution: the parameter builder (compiler/param-builder.ts). */
  paramBuilder: ((values: readonly unknown[], named: Record<string, unknown> | undefined) => unknown[]) | undefined;

  constructor(init: Omit<
      Compiled,
      'hasResultProcessors' | 'hasExpanding' | 'queryOptions' | 'firstRowOptions' | 'fewRowsOptions' | 'readsEveryRow' | 'rowMaker' | 'resultKeys' | 'paramBuilder'
    >) {
    this.sql = init.sql;
    this.parts = init.parts;
    this.slots = init.slots;
    this.columns = init.columns;
    this.entitySlots = init.entitySlots;
    this.kind = init.kind;
    this.returnsRows = init.returnsRows;
    this.autoincrementKey = init.autoincrementKey;
    this.options = init.options;
    this.exactIntegers = init.exactIntegers;
    this.atMostOneRow = init.atMostOneRow;
    this.hasExpanding = init.slots.some((s) => s.expanding);
    this.hasResultProcessors = init.columns.some((c) => c.processor !== null);
    this.queryOptions = Object.freeze({
      returnsRows: this.returnsRows,
      rowMode: 'array',
      prepareName: preparedStatementName(this),
      wantsInsertId: this.kind === 'insert',
      exactIntegers: this.exactIntegers,
    });
    this.firstRowOptions = undefined;
    this.fewRowsOptions = undefined;
    this.readsEveryRow = false;
    this.rowMaker = undefined;
    this.resultKeys = undefined;
    this.paramBuilder = undefined;
  }
}

/**
 * The driver's prepared-statement name: the compiled SQL itself, so a connection holds at
 * most one prepared statement per compiled statement. SQL rendered afresh for an expanding
 * IN list (one placeholder per item) is not prepared: every list length would leave another
 * statement on the server for the life of the connection.
 */
function preparedStatementName(compiled: Compiled): string | undefined {
  return !compiled.hasExpanding && compiled.sql.length < 8192 ? compiled.sql : undefined;
}

/** Result types whose values are never integers beyond 2^53 (the rest are read exactly). */
const NARROW_RESULT_TYPES: ReadonlySet<string> = new Set([
  'Integer',
  'SmallInteger',
  'Float',
  'String',
  'Text',
  'Boolean',
  'Date',
  'DateTime',
  'Time',
  'JSON',
  'Uuid',
  'LargeBinary',
  'Enum',
]);

/** For `Compiled.exactIntegers`: by each result column's (implementation) type name. */
export function needsExactIntegers(types: readonly TypeEngine<any>[]): boolean {
  if (types.length === 0) return true;
  for (const t of types) if (!NARROW_RESULT_TYPES.has(t.impl.typeName)) return true;
  return false;
}
