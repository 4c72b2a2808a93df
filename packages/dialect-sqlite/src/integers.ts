/**
 * Integer and SmallInteger on SQLite. The database's INTEGER is 64-bit whatever a column
 * declares, and other code may store a value beyond 2^53 in an `Integer` column: read as a
 * JavaScript number it would be rounded (better-sqlite3 returns a double outside its exact
 * mode). Such a value raises DataError instead, naming the fix: declare the column
 * BigInteger, whose values are bigints.
 */
import { DataError, type Processor } from '@athanor/core';

const MAX = Number.MAX_SAFE_INTEGER;

function beyond(v: unknown): never {
  throw new DataError(
    `An Integer column holds ${typeof v === 'bigint' ? v : 'a value'} beyond ±2^53 - 1, which a JavaScript number cannot hold exactly; declare the column BigInteger to read it as a bigint.`,
  );
}

/** A plain read: a number (checked: a rounded double is beyond the safe range), or a bigint from exact mode. */
export const integerResult: Processor = (v) => {
  if (typeof v === 'number') return v <= MAX && v >= -MAX ? v : beyond(v);
  return v === null || v === undefined ? v : beyond(v);
};

/** Inside JSON an integer travels as text (compiler.ts `jsonValue`). */
export const integerFromJsonText: Processor = (v) => {
  if (typeof v !== 'string') return v === null || v === undefined ? v : integerResult(v);
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : beyond(BigInt(v));
};
