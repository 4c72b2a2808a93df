/**
 * What a database can do, grouped by area instead of SQLAlchemy's ~90 flat flags. The
 * compiler and engine consult these; the compliance suite gates tests on them by name.
 */
export interface DialectCapabilities {
  dml: {
    /** RETURNING per statement kind. */
    returning: { insert: boolean; update: boolean; delete: boolean };
    /** `INSERT ... VALUES (...), (...)`. */
    multiRowInsert: boolean;
    /** Extra FROM items in UPDATE: `from` (UPDATE ... FROM), `join` (MySQL multi-table), or none. */
    updateFrom: 'from' | 'join' | false;
    /**
     * An executemany of a keyed UPDATE may run as `UPDATE t SET a = v.a FROM (VALUES (...), ...) AS v
     * WHERE t.k = v.k` batches, rendered by the dialect's `SQLCompiler.updateFromValuesSQL()`, when it
     * means the same as one statement per row (see engine/update-many.ts).
     */
    updateFromValues: boolean;
    /** Extra FROM items in DELETE: `using` (PostgreSQL), `join` (MySQL), or none. */
    deleteUsing: 'using' | 'join' | false;
    /** Most bound parameters one statement may carry. */
    maxParams: number;
    /** `MERGE INTO ... USING ... WHEN [NOT] MATCHED` (PostgreSQL 15+; the compiler refuses it on older servers). */
    merge: boolean;
  };
  ddl: {
    /** DDL inside a transaction rolls back with it. */
    transactional: boolean;
    /** Column and table comments in DDL. */
    comments: boolean;
    /** `ALTER TABLE ... ADD CONSTRAINT`. */
    alterConstraint: boolean;
    /** `CREATE SEQUENCE` and next-value expressions. */
    sequences: boolean;
  };
  select: {
    fullOuterJoin: boolean;
    lateral: boolean;
    nullsOrdering: boolean;
    intersectExceptAll: boolean;
    forUpdate: boolean;
    distinctOn: boolean;
    /** `agg(x) FILTER (WHERE ...)`. */
    aggregateFilter: boolean;
    /** A native ILIKE operator (else lower() LIKE lower()). */
    ilike: boolean;
    recursiveCte: boolean;
    windowFunctions: boolean;
  };
  types: {
    nativeBoolean: boolean;
    nativeUuid: boolean;
    nativeJson: boolean;
    nativeEnum: boolean;
    /** BigInteger values arrive from the driver as exact values. */
    exactBigint: boolean;
    /**
     * Numeric values of any width are stored and computed exactly (PostgreSQL, MariaDB). False
     * where numbers are 64-bit floats (SQLite): values are held to 15 significant digits and
     * wider ones are refused at bind.
     */
    exactDecimal: boolean;
  };
  connection: {
    /** More than one connection can be open at once (false for SQLite in memory). */
    multipleConnections: boolean;
    savepoints: boolean;
    isolationLevels: readonly string[];
    /** A failed statement aborts the transaction until rollback (PostgreSQL). */
    failedStatementAbortsTransaction: boolean;
  };
}

/** Deep partial, for dialects that override a few capabilities. */
export type CapabilityOverrides = { [A in keyof DialectCapabilities]?: Partial<DialectCapabilities[A]> };

/** The capabilities a dialect has unless it says otherwise (the full SQL-standard set); dialects override the parts they lack with `withCapabilities()`. */
export const defaultCapabilities: DialectCapabilities = {
  dml: { returning: { insert: true, update: true, delete: true }, multiRowInsert: true, updateFrom: 'from', updateFromValues: false, deleteUsing: 'using', maxParams: 32767, merge: true },
  ddl: { transactional: true, comments: true, alterConstraint: true, sequences: true },
  select: {
    fullOuterJoin: true,
    lateral: true,
    nullsOrdering: true,
    intersectExceptAll: true,
    forUpdate: true,
    distinctOn: false,
    aggregateFilter: true,
    ilike: true,
    recursiveCte: true,
    windowFunctions: true,
  },
  types: { nativeBoolean: true, nativeUuid: false, nativeJson: false, nativeEnum: false, exactBigint: true, exactDecimal: true },
  connection: {
    multipleConnections: true,
    savepoints: true,
    isolationLevels: ['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'],
    failedStatementAbortsTransaction: false,
  },
};

/** A copy of `base` with the given areas partly overridden: how a dialect declares what it does differently. */
export function withCapabilities(base: DialectCapabilities, overrides: CapabilityOverrides): DialectCapabilities {
  const out: any = {};
  for (const area of Object.keys(base) as (keyof DialectCapabilities)[]) out[area] = { ...base[area], ...(overrides[area] ?? {}) };
  return out;
}
