/**
 * What each type accepts at the bind step, checked on every dialect before anything is
 * sent (the databases disagree: SQLite stores 'abc' in an INTEGER column, MariaDB rounds
 * 1.5 to 2, PostgreSQL stores an object's JSON text in a VARCHAR). One check per type,
 * made once per type object and memoised by the dialect with its bind processor; a check
 * returns the value unchanged or throws. Null and undefined never reach a check.
 */
import { ArgumentError, DataError } from '../errors';
import { describeValue } from '../util/refuse';
import type { Processor, TypeEngine } from './type-engine';

/**
 * An error from a check, not yet naming its parameter: the parameter builder, which knows
 * the slot, rethrows it with the column or parameter name (see `locateBindError`).
 */
// Symbol.for: a dialect built against another copy of this package (ESM and CJS in one process) marks errors the same way.
const UNLOCATED = Symbol.for('athanor.unlocatedBindError');

function refuse(Cls: typeof ArgumentError | typeof DataError, message: string): never {
  const e = new Cls(message);
  (e as any)[UNLOCATED] = true;
  throw e;
}

const shown = (v: unknown) => {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'object' && v !== null && !(v instanceof globalThis.Date)) return an(describeValue(v));
  return globalThis.String(v);
};

/** 'an Integer', 'a Float', 'an object'. */
const an = (word: string) => `${/^[AEIOUaeiou]/.test(word) ? 'an' : 'a'} ${word}`;

function wrongKind(v: unknown, typeName: string, accepts: string): never {
  return refuse(ArgumentError, `${shown(v)} (${typeof v === 'object' ? describeValue(v) : typeof v}) is not a value for ${an(typeName)} column: it accepts ${accepts}.`);
}

/** The error rethrown naming `where` ("column 'age'", "parameter 'id_1'"), or the error itself. */
export function locateBindError(e: unknown, where: string): unknown {
  if (typeof e !== 'object' || e === null || !(e as any)[UNLOCATED]) return e;
  const Cls = e instanceof DataError ? DataError : ArgumentError;
  return new Cls(`Cannot bind ${where}: ${(e as Error).message}`);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Lone UTF-16 surrogates: every database replaces them with U+FFFD, so the text would not round-trip. */
function checkText(v: string, typeName: string): string {
  if (!(typeof (v as any).isWellFormed === 'function' ? (v as any).isWellFormed() : !LONE_SURROGATE.test(v))) {
    refuse(ArgumentError, `${shown(v)} holds a lone UTF-16 surrogate (half of a character) for ${an(typeName)} column; the database would store U+FFFD in its place. Fix the string (String.prototype.toWellFormed()).`);
  }
  return v;
}

const INT_RANGES: Record<string, [number, number]> = {
  SmallInteger: [-32768, 32767],
  Integer: [-2147483648, 2147483647],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function integerCheck(typeName: string): Processor {
  const [min, max] = INT_RANGES[typeName];
  return (v) => {
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) wrongKind(v, typeName, 'whole numbers only (round it first, or use Float/Numeric)');
      if (v < min || v > max) refuse(DataError, `${v} is out of range for ${an(typeName)} column (${min} to ${max}); use ${typeName === 'SmallInteger' ? 'Integer' : 'BigInteger'}.`);
      return v;
    }
    if (typeof v === 'bigint' && v >= BigInt(min) && v <= BigInt(max)) return Number(v);
    if (typeof v === 'bigint') refuse(DataError, `${v}n is out of range for ${an(typeName)} column (${min} to ${max}).`);
    return wrongKind(v, typeName, `whole numbers from ${min} to ${max} (parse strings with Number() first)`);
  };
}

const checkBigInteger: Processor = (v) => {
  if (typeof v === 'bigint') {
    if (v < INT64_MIN || v > INT64_MAX) refuse(DataError, `${v}n is out of range for a BigInteger column (64-bit signed).`);
    return v;
  }
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) wrongKind(v, 'BigInteger', 'bigint values, or whole numbers up to 2^53 (pass a bigint for more)');
    return v;
  }
  return wrongKind(v, 'BigInteger', 'bigint values or whole numbers');
};

const checkFloat: Processor = (v) => {
  if (typeof v !== 'number') wrongKind(v, 'Float', 'numbers');
  if (!Number.isFinite(v)) refuse(ArgumentError, `${v} is not a value for a Float column: NaN and Infinity are refused (the databases store NULL, 0 or an error). Check the computation that produced it, or declare Float({ nonFinite: true }) where the database keeps them.`);
  return v;
};

/** What a database keeps of the non-finite doubles: PostgreSQL all, SQLite ±Infinity (NaN becomes NULL), MySQL none. */
export type NonFiniteFloats = 'all' | 'infinity' | 'none';

function nonFiniteFloatCheck(kept: NonFiniteFloats, dialect: string): Processor {
  return (v) => {
    if (typeof v !== 'number') wrongKind(v, 'Float', 'numbers');
    if (Number.isFinite(v) || kept === 'all' || (kept === 'infinity' && !Number.isNaN(v))) return v;
    return refuse(ArgumentError, `${v} cannot be stored by ${dialect} even in a Float({ nonFinite: true }) column (${kept === 'none' ? 'it has no NaN or Infinity' : 'it stores NaN as NULL'}).`);
  };
}

/** Decimal text is checked by the dialect (a DataError, as the servers raise); other kinds here. */
const checkNumeric: Processor = (v) => {
  if (typeof v === 'string' || typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) refuse(ArgumentError, `${v} is not a value for a Numeric column: only finite numbers.`);
    return v;
  }
  return wrongKind(v, 'Numeric', "decimal strings such as '12.50', numbers or bigints");
};

const checkBoolean: Processor = (v) => (typeof v === 'boolean' ? v : wrongKind(v, 'Boolean', "true or false only (not 'false', 'no', 0 or 1: convert first)"));

function stringCheck(typeName: string): Processor {
  return (v) => (typeof v === 'string' ? checkText(v, typeName) : wrongKind(v, typeName, 'strings (convert numbers with String() first)'));
}

/**
 * For values stored into a `String(n)` column: over n characters is a DataError before
 * sending (MariaDB would refuse it, SQLite would keep it whole). Checked on the value as
 * sent, after the bind step. Null when the type has no length.
 */
export function storeCheck(type: TypeEngine<any>): Processor | null {
  const length: number | undefined = (type as any).length;
  if ((type.typeName !== 'String' && type.typeName !== 'Enum') || length === undefined) return null;
  return (v) => {
    // Code points, as the databases count VARCHAR(n); the UTF-16 length is an upper bound.
    if (typeof v === 'string' && v.length > length && codePoints(v) > length) {
      refuse(DataError, `a string of ${codePoints(v)} characters is longer than the column's String(${length}); shorten it or widen the column.`);
    }
    return v;
  };
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 === s.length) n++;
    else {
      n++;
      i++;
    }
  }
  return n;
}

function enumCheck(values: readonly string[]): Processor {
  const members = new Set(values);
  return (v) => {
    if (typeof v !== 'string' || !members.has(v)) wrongKind(v, 'Enum', `only its members: ${values.map((m) => JSON.stringify(m)).join(', ')}`);
    return v;
  };
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;
const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?$/;

function validCalendar(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

function validDateText(v: string, re: RegExp): boolean {
  const m = re.exec(v);
  if (!m) return false;
  if (!validCalendar(+m[1], +m[2], +m[3])) return false;
  return m[4] === undefined || (+m[4] < 24 && +m[5] < 60 && (m[6] === undefined || +m[6] < 60));
}

const checkDate: Processor = (v) => {
  if (typeof v === 'string') {
    if (!validDateText(v, DATE_TEXT)) wrongKind(v, 'Date', "calendar dates as 'YYYY-MM-DD' (a real day: no February 30)");
    return v;
  }
  if (v instanceof globalThis.Date) return v; // invalid Dates are refused by the dialect's processor
  return wrongKind(v, 'Date', "'YYYY-MM-DD' strings or Date objects");
};

const checkDateTime: Processor = (v) => {
  if (v instanceof globalThis.Date) return v;
  if (typeof v === 'string') {
    if (!validDateText(v, DATETIME_TEXT)) wrongKind(v, 'DateTime', "Date objects or ISO 8601 text ('2024-02-29T12:00:00Z') of a real day and time");
    return v;
  }
  return wrongKind(v, 'DateTime', 'Date objects');
};

const checkTime: Processor = (v) => {
  if (typeof v !== 'string') wrongKind(v, 'Time', "'HH:MM[:SS[.ffffff]]' strings");
  const m = TIME_TEXT.exec(v);
  if (!m || +m[1] > 23 || +m[2] > 59 || (m[3] !== undefined && +m[3] > 59)) wrongKind(v, 'Time', "'HH:MM[:SS[.ffffff]]' strings of a real time of day");
  return v;
};

const checkUuid: Processor = (v) => (typeof v === 'string' ? v : wrongKind(v, 'Uuid', 'UUID strings'));

const checkBinary: Processor = (v) => (v instanceof Uint8Array ? v : wrongKind(v, 'LargeBinary', 'Uint8Array or Buffer values'));

/**
 * A JSON document's text: anything JSON.stringify takes whole (no bigint, no cycle, no
 * function). Called by the JSON type's bind step, so the check costs no second stringify.
 */
export function jsonText(v: unknown): string {
  let text: string | undefined;
  try {
    text = globalThis.JSON.stringify(v);
  } catch (e) {
    refuse(ArgumentError, `${shown(v)} cannot be stored in a JSON column: ${(e as Error).message} (bigint values and cycles have no JSON form; convert bigints to strings).`);
  }
  if (text === undefined) wrongKind(v, 'JSON', 'JSON values (objects, arrays, strings, numbers, booleans)');
  return text;
}

/**
 * Untyped binds (raw SQL parameters, values of unknown columns): scalars, Dates and bytes.
 * A plain object or array here is the Knex CVE-2016-20018 class: refused.
 */
const checkUntyped: Processor = (v) => {
  switch (typeof v) {
    case 'string':
      return checkText(v, 'untyped');
    case 'number':
    case 'bigint':
    case 'boolean':
      return v;
    case 'object':
      if (v instanceof globalThis.Date || v instanceof Uint8Array) return v;
      return refuse(ArgumentError, `${shown(v)} is not a SQL value: objects and arrays bind only to JSON columns (or as in() lists). Pass a scalar, or give the parameter a JSON type.`);
    default:
      return refuse(ArgumentError, `a ${typeof v} is not a SQL value.`);
  }
};

/** The check for a type (by its implementation's generic name), or null for none. */
export function bindCheck(type: TypeEngine<any>, dialect: { name: string; nonFiniteFloats: NonFiniteFloats } = { name: 'this database', nonFiniteFloats: 'none' }): Processor | null {
  const t = type as any;
  switch (type.typeName) {
    case 'Integer':
    case 'SmallInteger':
      return integerCheck(type.typeName);
    case 'BigInteger':
      return checkBigInteger;
    case 'Float':
      return t.nonFinite ? nonFiniteFloatCheck(dialect.nonFiniteFloats, dialect.name) : checkFloat;
    case 'Numeric':
      return checkNumeric;
    case 'Boolean':
      return checkBoolean;
    case 'String':
    case 'Text':
      return stringCheck(type.typeName);
    case 'Enum':
      return enumCheck(t.values);
    case 'Date':
      return checkDate;
    case 'DateTime':
      return checkDateTime;
    case 'Time':
      return checkTime;
    case 'Uuid':
      return checkUuid;
    case 'LargeBinary':
      return checkBinary;
    case 'JSON':
      // Checked by its own bind step (jsonText), which stringifies once.
      return null;
    case 'Null':
      return checkUntyped;
    default:
      // Dialect-specific types (arrays, ranges...) check their own values.
      return null;
  }
}

/** `check` then `next`: one function, made once per type. */
export function chainBind(check: Processor | null, next: Processor | null): Processor | null {
  if (check === null) return next;
  if (next === null) return check;
  return (v) => next(check(v));
}
