/**
 * Calls into better-sqlite3's prepared statements: parameters mapped to what it binds,
 * calls of known arity, and exact integers handed back as numbers where they fit.
 */
import type Database from 'better-sqlite3';

export type Statement = Database.Statement<unknown[], unknown[]>;

/** Integers are read exactly (as bigint) and handed back as numbers when they fit. */
export function normalizeRow(row: unknown[]): unknown[] {
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (typeof v === 'bigint' && v <= 9007199254740991n && v >= -9007199254740991n) row[i] = Number(v);
  }
  return row;
}

export function normalizeId(v: number | bigint): number | bigint {
  return typeof v === 'bigint' && v <= 9007199254740991n && v >= -9007199254740991n ? Number(v) : v;
}

/** better-sqlite3 binds numbers, bigints, strings, buffers and null; map the rest. */
function bindValue(v: unknown): unknown {
  switch (typeof v) {
    case 'boolean':
      return v ? 1 : 0;
    case 'undefined':
      return null;
    case 'object':
      if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
      return v;
    default:
      return v;
  }
}

export function bindParams(params: readonly unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    const t = typeof v;
    // Numbers and strings (nearly every parameter) pass without an instanceof check.
    if (t === 'boolean' || t === 'undefined' || (t === 'object' && v instanceof Date)) {
      out ??= params.slice();
      out[i] = bindValue(v);
    }
  }
  return out ?? (params as unknown[]);
}

/**
 * `stmt.all(...args)` with the common argument counts spelled out: a spread call reaches
 * better-sqlite3's native method through V8's generic call path, ~0.1 µs slower than a call
 * of known arity (as much as the rest of the engine's work for a primary-key lookup).
 */
export function allRows(stmt: Statement, a: readonly unknown[]): unknown[][] {
  switch (a.length) {
    case 0:
      return stmt.all() as unknown[][];
    case 1:
      return stmt.all(a[0]) as unknown[][];
    case 2:
      return stmt.all(a[0], a[1]) as unknown[][];
    case 3:
      return stmt.all(a[0], a[1], a[2]) as unknown[][];
    default:
      return stmt.all(...a) as unknown[][];
  }
}

/** `stmt.get(...args)`, like `allRows`. */
export function firstRow(stmt: Statement, a: readonly unknown[]): unknown[] | undefined {
  switch (a.length) {
    case 0:
      return stmt.get() as unknown[] | undefined;
    case 1:
      return stmt.get(a[0]) as unknown[] | undefined;
    case 2:
      return stmt.get(a[0], a[1]) as unknown[] | undefined;
    case 3:
      return stmt.get(a[0], a[1], a[2]) as unknown[] | undefined;
    default:
      return stmt.get(...a) as unknown[] | undefined;
  }
}

/** `stmt.run(...args)`, like `allRows`. */
export function runStatement(stmt: Statement, a: readonly unknown[]): Database.RunResult {
  switch (a.length) {
    case 0:
      return stmt.run();
    case 1:
      return stmt.run(a[0]);
    case 2:
      return stmt.run(a[0], a[1]);
    case 3:
      return stmt.run(a[0], a[1], a[2]);
    default:
      return stmt.run(...a);
  }
}

/** `stmt.iterate(...args)`, like `allRows`. */
export function iterateRows(stmt: Statement, a: readonly unknown[]): Iterator<unknown[]> {
  switch (a.length) {
    case 0:
      return stmt.iterate() as Iterator<unknown[]>;
    case 1:
      return stmt.iterate(a[0]) as Iterator<unknown[]>;
    case 2:
      return stmt.iterate(a[0], a[1]) as Iterator<unknown[]>;
    default:
      return stmt.iterate(...a) as Iterator<unknown[]>;
  }
}
