/**
 * Result types of arithmetic, at run time (the SQL type that processes the result) and in
 * TypeScript (the value type rows get), following SQLAlchemy's type coercion: Integer op
 * Numeric is Numeric, Integer op Float is Float, Integer op BigInteger is BigInteger.
 *
 * One deliberate difference: Numeric op Float is Numeric whichever side the Float is on
 * (SQLAlchemy: the left operand's). TypeScript cannot tell a Float expression from an
 * Integer one (both are `number`), so the row type of `price.mul(x)` must not depend on it.
 */
import { ArgumentError } from '../errors';
import { type Decimal, type IsDecimal, decimalScale, toDecimalText } from '../types/decimal';
import { BigInteger, Float, Integer, type IsDateString, NumericType } from '../types/generic';
import type { TypeEngine } from '../types/type-engine';

type Kind = 'integer' | 'bigint' | 'numeric' | 'float' | 'other';

function kindOf(type: TypeEngine<any> | undefined): Kind {
  // Dialect clauses standing in expressions (MySQL's VALUES(col)) carry no type.
  switch (type?.impl.typeName) {
    case 'Integer':
    case 'SmallInteger':
      return 'integer';
    case 'BigInteger':
      return 'bigint';
    case 'Numeric':
      return 'numeric';
    case 'Float':
      return 'float';
    default:
      return 'other';
  }
}

/** A Numeric's scale for arithmetic: integers have 0; undefined when unknown (`Numeric()`). */
function scaleOf(type: TypeEngine<any>, kind: Kind): number | undefined {
  if (kind === 'integer' || kind === 'bigint') return 0;
  const t = type.impl as NumericType;
  return t.scale ?? (t.precision === undefined ? undefined : 0);
}

/** Whether a type is one of the number types (Integer, BigInteger, Numeric, Float). */
export function isNumberType(type: TypeEngine<any>): boolean {
  return kindOf(type) !== 'other';
}

/** Whether a type holds integers only (true division of two of them truncates in SQL). */
export function isIntegerType(type: TypeEngine<any>): boolean {
  const k = kindOf(type);
  return k === 'integer' || k === 'bigint';
}

/** Date and DateTime: the types interval arithmetic and differences apply to. */
export function isDateArithmeticType(type: TypeEngine<any> | undefined): boolean {
  const name = type?.impl.typeName;
  return name === 'Date' || name === 'DateTime';
}

/** Whether `left op right` is date arithmetic: `date ± interval` or `date - date`. */
export function isDateArithmetic(el: { operator: string; left: { type: TypeEngine<any> }; right: { kind: string; type: TypeEngine<any> } }): boolean {
  return el.right.kind === 'interval' || (el.operator === '-' && isDateArithmeticType(el.left.type) && isDateArithmeticType(el.right.type));
}

/** Whether a type holds numbers (integer, floating-point or decimal types), as arithmetic and numeric coercion treat it. */
export function isNumericType(type: TypeEngine<any>): boolean {
  return kindOf(type) === 'numeric';
}

/**
 * The type of `left op right` for `+ - * / %`. A Numeric result carries the scale the
 * servers give it (`+`/`-`: the larger scale; `*`: the sum of the scales; `/` and `%`: none
 * fixed), so SQLite, which computes in floating point, rounds to what PostgreSQL and
 * MariaDB return. Non-number operands keep the left type (dates, text, user types).
 */
export function arithmeticType(op: string, left: TypeEngine<any>, right: TypeEngine<any>): TypeEngine<any> {
  // Date arithmetic: date ± interval keeps the date's type; date - date is days, datetime - datetime seconds.
  if (right?.impl.typeName === 'Interval') return left;
  if (isDateArithmeticType(left) && isDateArithmeticType(right)) return left.impl.typeName === 'Date' && right.impl.typeName === 'Date' ? Integer() : Float();
  const l = kindOf(left);
  const r = kindOf(right);
  if (l === 'other') return r === 'other' || left?.impl.typeName !== 'Null' ? left : right;
  if (r === 'other') return left;
  if (l === 'numeric' || r === 'numeric') {
    const ls = scaleOf(left, l);
    const rs = scaleOf(right, r);
    let scale: number | undefined;
    if (ls !== undefined && rs !== undefined) {
      if (op === '+' || op === '-') scale = Math.max(ls, rs);
      else if (op === '*') scale = ls + rs;
    }
    return new NumericType(undefined, scale);
  }
  if (l === 'float' || r === 'float') return l === 'float' ? left : Float();
  if (l === 'bigint' || r === 'bigint') return l === 'bigint' ? left : BigInteger();
  return left;
}

/**
 * The type of a plain value bound beside a Numeric expression: Numeric with the value's
 * own scale, so nothing rounds it to the column's scale (`price.gt('9.499')` compares with
 * 9.499, not 9.50) and MariaDB can cast it exactly.
 */
export function numericBindType(value: unknown): NumericType {
  const text = toDecimalText(value);
  const scale = decimalScale(text);
  if (scale === undefined) throw new ArgumentError(`'${text}' is not a decimal number (digits with an optional sign, point and exponent).`);
  return new NumericType(undefined, scale);
}

// -- TypeScript side -------------------------------------------------------------------------

/** Number-like value types: Integer/Float (`number`), BigInteger (`bigint`), Numeric (`Decimal`). */
export type IsNumberLike<T> = [T] extends [never] ? false : [T] extends [number | bigint] ? true : IsDecimal<T>;

/** Decimal when either side is (or a decimal string stands beside a number), else bigint or number. */
type NumberResult<L, R> =
  IsDecimal<L> extends true ? Decimal : IsDecimal<R> extends true ? Decimal : [R] extends [string] ? Decimal : [L | R] extends [number] ? number : [L] extends [bigint] ? bigint : [R] extends [bigint] ? bigint : number;

/** `null` in the result when either operand may be NULL. */
type NullIn<L, R> = null extends L ? null : null extends R ? null : never;

declare const intervalBrand: unique symbol;
/** The value type of `interval()`: only an operand of date arithmetic (never read back). */
export type IntervalValue = { readonly [intervalBrand]: 'Interval' };

/** `Date` (DateTime) and `DateString` (Date) values. */
export type IsDateLike<T> = [T] extends [never] ? false : [T] extends [globalThis.Date] ? true : IsDateString<T>;

/** date ± interval is a date; date - date a number (days for Date, seconds for DateTime). */
type DateResult<L, R> = [NonNullable<R>] extends [IntervalValue] ? L : number | NullIn<L, R>;

/** The row type of `left op right` (`+ - * / %`) for a left of value type `L`. */
export type ArithmeticResult<L, R> = 0 extends 1 & L ? any : IsDateLike<NonNullable<L>> extends true ? DateResult<L, R> : IsNumberLike<NonNullable<L>> extends true ? NumberResult<NonNullable<L>, NonNullable<R>> | NullIn<L, R> : L;
