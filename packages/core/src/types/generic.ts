import { ArgumentError } from '../errors';
import { jsonText } from './bind-checks';
import { type Decimal, toDecimalText } from './decimal';
import { type Processor, TypeEngine } from './type-engine';

/** The value of the type seen from TypeScript: see PRODUCT.md's value table. */

class IntegerType extends TypeEngine<number> {
  readonly typeName: 'Integer' | 'SmallInteger' = 'Integer';
  override readonly affinity = 'number' as const;
}
class SmallIntegerType extends IntegerType {
  override readonly typeName = 'SmallInteger' as const;
}
/** 64-bit integers are `bigint`, so values beyond 2^53 keep every digit. */
export class BigIntegerType extends TypeEngine<bigint> {
  readonly typeName = 'BigInteger';
  override readonly affinity = 'number' as const;
  override resultProcessor(): Processor {
    return (v) => (v === null || typeof v === 'bigint' ? v : BigInt(v));
  }
}
export class FloatType extends TypeEngine<number> {
  readonly typeName = 'Float';
  override readonly affinity = 'number' as const;
  /** `Float({ nonFinite: true })`: NaN and ±Infinity are values (where the database keeps them); refused otherwise. */
  constructor(readonly nonFinite = false) {
    super();
  }
  override get cacheKey(): string {
    return this.nonFinite ? 'Float(nonFinite)' : 'Float';
  }
  override resultProcessor(): Processor {
    return (v) => (v === null || typeof v === 'number' ? v : Number(v));
  }
}
/**
 * Exact decimals travel as strings (`Decimal`): no float rounding anywhere. Inputs may also be
 * numbers (their shortest round-trip text) and bigints.
 */
export class NumericType extends TypeEngine<Decimal> {
  readonly typeName = 'Numeric';
  override readonly affinity = 'number' as const;
  constructor(
    readonly precision?: number,
    readonly scale?: number,
  ) {
    super();
  }
  override get cacheKey(): string {
    return `Numeric(${this.precision},${this.scale})`;
  }
  override bindProcessor(): Processor {
    return (v) => (v === null || v === undefined || typeof v === 'string' ? v : toDecimalText(v));
  }
}
export class StringType<T extends string = string> extends TypeEngine<T> {
  readonly typeName: 'String' | 'Text' = 'String';
  override readonly affinity = 'string' as const;
  constructor(readonly length?: number) {
    super();
  }
  override get cacheKey(): string {
    return `${this.typeName}(${this.length})`;
  }
}
export class TextType extends StringType {
  override readonly typeName = 'Text' as const;
}
export class BooleanType extends TypeEngine<boolean> {
  readonly typeName = 'Boolean';
  override readonly affinity = 'boolean' as const;
  override resultProcessor(): Processor {
    return (v) => (v === null || typeof v === 'boolean' ? v : Number(v) !== 0);
  }
}
declare const dateBrand: unique symbol;
/**
 * A `Date` column's value: a `YYYY-MM-DD` string. Any string is assignable to it and it is
 * assignable to `string`; the optional brand lets operator typing tell a date from text
 * (`day.sub(otherDay)` is a number of days).
 */
export type DateString = string & { readonly [dateBrand]?: 'Date' };
/** Whether `T` is the Date value type (not a plain `string`). */
export type IsDateString<T> = typeof dateBrand extends keyof T ? true : false;

/** Calendar dates are `YYYY-MM-DD` strings: a date has no time zone to shift. */
export class DateType extends TypeEngine<DateString> {
  readonly typeName = 'Date';
  override readonly affinity = 'date' as const;
}
export class DateTimeType extends TypeEngine<globalThis.Date> {
  readonly typeName = 'DateTime';
  override readonly affinity = 'date' as const;
  constructor(readonly timezone = false) {
    super();
  }
  override get cacheKey(): string {
    return this.timezone ? 'DateTime(tz)' : 'DateTime';
  }
}
/** Times of day are `HH:MM:SS[.ffffff]` strings. */
export class TimeType extends TypeEngine<string> {
  readonly typeName = 'Time';
  override readonly affinity = 'date' as const;
}
export class JSONType<T = unknown> extends TypeEngine<T> {
  readonly typeName = 'JSON';
  override readonly affinity = 'json' as const;
  override bindProcessor(): Processor {
    // One JSON.stringify that is also the check: bigint, cycles and functions are refused (bind-checks.ts).
    return (v) => (v === undefined ? null : jsonText(v));
  }
  override resultProcessor(): Processor {
    return (v) => (typeof v === 'string' ? globalThis.JSON.parse(v) : v);
  }
}
export class UuidType extends TypeEngine<string> {
  readonly typeName = 'Uuid';
  override readonly affinity = 'string' as const;
}
export class LargeBinaryType extends TypeEngine<Uint8Array> {
  readonly typeName = 'LargeBinary';
  override readonly affinity = 'binary' as const;
  constructor(readonly length?: number) {
    super();
  }
  override resultProcessor(): Processor {
    // Drivers hand back Buffers (a Uint8Array subclass); give users a plain Uint8Array view.
    return (v) => (v === null ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
}
export class EnumType<T extends string> extends TypeEngine<T> {
  readonly typeName = 'Enum';
  override readonly affinity = 'string' as const;
  constructor(
    readonly values: readonly T[],
    readonly name?: string,
  ) {
    super();
    if (values.length === 0) throw new ArgumentError('Enum() needs at least one value: Enum(["a", "b"]).');
  }
  override get cacheKey(): string {
    return `Enum(${this.name ?? ''}:${this.values.join('|')})`;
  }
}
/** A type the library does not know (from reflection): values pass through untouched. */
export class NullType extends TypeEngine<unknown> {
  readonly typeName = 'Null';
  constructor(readonly rawName?: string) {
    super();
  }
  override get cacheKey(): string {
    return `Null(${this.rawName ?? ''})`;
  }
}

const integer = new IntegerType();
const smallInteger = new SmallIntegerType();
const bigInteger = new BigIntegerType();
const float = new FloatType();
const floatNonFinite = new FloatType(true);
const boolean = new BooleanType();
const date = new DateType();
const time = new TimeType();
const uuid = new UuidType();
const text = new TextType();
const nullType = new NullType();
const stringNoLength = new StringType();
const dateTime = new DateTimeType(false);
const dateTimeTz = new DateTimeType(true);
const json = new JSONType<any>();

/** The `INTEGER` type: values are `number`. */
export function Integer(): TypeEngine<number> {
  return integer;
}
/** The `SMALLINT` type: values are `number`. */
export function SmallInteger(): TypeEngine<number> {
  return smallInteger;
}
/** The `BIGINT` type: values are `bigint`, so 64-bit keys and counters keep every digit. */
export function BigInteger(): TypeEngine<bigint> {
  return bigInteger;
}
/** A double. `Float({ nonFinite: true })` also binds NaN and ±Infinity where the database keeps them (PostgreSQL; SQLite: ±Infinity). */
export function Float(options: { nonFinite?: boolean } = {}): TypeEngine<number> {
  return options.nonFinite ? floatNonFinite : float;
}
/** The `NUMERIC(precision, scale)` type: exact decimals, read as `Decimal` strings (never a rounded `number`). */
export function Numeric(precision?: number, scale?: number): NumericType {
  return new NumericType(precision, scale);
}
/** VARCHAR. It shadows the global `String` in a module that imports it. */
export function String(length?: number): StringType {
  return length === undefined ? stringNoLength : new StringType(length);
}
/** The unbounded text type (`TEXT`, `LONGTEXT` on MySQL): values are `string`. */
export function Text(): TextType {
  return text;
}
/** The `BOOLEAN` type: values are `boolean` (stored as 0/1 where the database has no boolean). */
export function Boolean(): TypeEngine<boolean> {
  return boolean;
}
/** The `DATE` type: values are `'YYYY-MM-DD'` strings, free of any time zone. */
export function Date(): TypeEngine<DateString> {
  return date;
}
/** The `TIMESTAMP`/`DATETIME` type: values are `Date`; `{ timezone: true }` for a zone-aware column. */
export function DateTime(options: { timezone?: boolean } = {}): TypeEngine<globalThis.Date> {
  return options.timezone ? dateTimeTz : dateTime;
}
/** The `TIME` type (time of day, no date): values are `'HH:MM:SS[.ffffff]'` strings. */
export function Time(): TypeEngine<string> {
  return time;
}
/** The JSON type (`JSONB` on PostgreSQL): values are `T`, round-tripped through `JSON.stringify`. */
export function JSON<T = unknown>(): TypeEngine<T> {
  return json as JSONType<T>;
}
/** The UUID type (native `UUID` on PostgreSQL, a `CHAR` column elsewhere): values are strings. */
export function Uuid(): TypeEngine<string> {
  return uuid;
}
/** The binary type (`BYTEA`, `BLOB`, `VARBINARY(n)` with a length): values are `Uint8Array`. */
export function LargeBinary(length?: number): TypeEngine<Uint8Array> {
  return new LargeBinaryType(length);
}
/** A string enumeration: values are the union of `values`; the values are checked before they are sent. */
export function Enum<const T extends string>(values: readonly T[], options: { name?: string } = {}): EnumType<T> {
  return new EnumType(values, options.name);
}
/** The type of a value whose type is unknown (a `NULL` literal, a reflected type the library does not know): values pass through untouched. */
export function NullTypeOf(rawName?: string): TypeEngine<unknown> {
  return rawName === undefined ? nullType : new NullType(rawName);
}

export { IntegerType, SmallIntegerType };
/** SQL-standard spelling of `Integer`: the `INTEGER` type, values are `number`. */
export const INTEGER = Integer;
/** SQL-standard spelling of `SmallInteger`: the `SMALLINT` type, values are `number`. */
export const SMALLINT = SmallInteger;
/** SQL-standard spelling of `BigInteger`: the `BIGINT` type, values are `bigint`. */
export const BIGINT = BigInteger;
/** SQL-standard spelling of `Float`: a double-precision floating-point type, values are `number`. */
export const FLOAT = Float;
/** SQL-standard spelling of `Numeric`: an exact decimal, `NUMERIC(precision, scale)`, values are decimal strings. */
export const NUMERIC = Numeric;
/** SQL-standard spelling of `String`: `VARCHAR(n)`, values are `string`. */
export const VARCHAR = String;
/** SQL-standard spelling of `Text`: the unbounded text type, values are `string`. */
export const TEXT = Text;
/** SQL-standard spelling of `Boolean`: values are `boolean` (0/1 where the database has no boolean). */
export const BOOLEAN = Boolean;
/** SQL-standard spelling of `Date`: the `DATE` type, values are `'YYYY-MM-DD'` strings. */
export const DATE = Date;
/** SQL-standard spelling of `DateTime`: `TIMESTAMP`/`DATETIME`, values are JavaScript `Date`s. */
export const TIMESTAMP = DateTime;
/** SQL-standard spelling of `Time`: the time-of-day type, values are strings. */
export const TIME = Time;
/** SQL-standard spelling of `Uuid`: the UUID type, values are strings. */
export const UUID = Uuid;
/** SQL-standard spelling of `LargeBinary`: the binary type, values are `Uint8Array`. */
export const BLOB = LargeBinary;
