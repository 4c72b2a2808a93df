/**
 * Exact decimals as text: the value type of `Numeric`, the conversions of `number` and
 * `bigint` inputs to it, and rounding to a scale on the digits (never through a float).
 */
import { ArgumentError } from '../errors';

declare const decimalBrand: unique symbol;

/**
 * A `Numeric` value: an exact decimal in a string (`'9.50'`). Any string is assignable to it
 * and it is assignable to `string`; the optional brand only lets operator typing tell a
 * Numeric expression from a text one, so `price.lt(24)` type-checks and `name.lt(24)` does not.
 */
export type Decimal = string & { readonly [decimalBrand]?: 'Decimal' };

/** Whether `T` is the Numeric value type (not a plain `string`). */
export type IsDecimal<T> = typeof decimalBrand extends keyof T ? true : false;

/** What a Numeric accepts as input: decimal text, a `number` (exactly as it prints), a `bigint`. */
export type DecimalInput = Decimal | number | bigint;

/** What a column or bind of value type `T` accepts: `T`, and for a Numeric any `DecimalInput`. */
export type ValueInput<T> = T | (IsDecimal<NonNullable<T>> extends true ? number | bigint : never);

const DECIMAL = /^([+-])?(?=\.?\d)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;
/** Past this many digits a value is out of every NUMERIC's range (PostgreSQL's own limit is 131072). */
const MAX_SHIFT = 1000;

/**
 * A decimal number's text with exactly `scale` fractional digits, rounded half away from
 * zero: what PostgreSQL and MariaDB store for NUMERIC(p, s). Worked on the digits, never
 * through a float. Takes `12.5`, `-0.5`, `.5`, `+1e3`; undefined for anything else.
 */
export function decimalToScale(text: string, scale: number): string | undefined {
  const m = DECIMAL.exec(text.trim());
  if (m === null) return undefined;
  const [, sign, int, frac = '', exp] = m;
  // value × 10^scale = digits × 10^shift
  let digits = BigInt(int + frac);
  const shift = (exp === undefined ? 0 : Number(exp)) - frac.length + scale;
  if (shift > MAX_SHIFT) return undefined;
  if (shift > 0) digits *= 10n ** BigInt(shift);
  else if (-shift > int.length + frac.length) digits = 0n; // below half a unit of the last place
  else if (shift < 0) {
    const unit = 10n ** BigInt(-shift);
    digits = (digits % unit) * 2n >= unit ? digits / unit + 1n : digits / unit;
  }
  let out = digits.toString();
  if (scale > 0) {
    out = out.padStart(scale + 1, '0');
    out = `${out.slice(0, -scale)}.${out.slice(-scale)}`;
  }
  return sign === '-' && digits !== 0n ? `-${out}` : out;
}

/** The number of fractional digits a decimal text needs (`'1.50'` → 2, `'1e-3'` → 3, `'12e2'` → 0); undefined if not a number. */
export function decimalScale(text: string): number | undefined {
  const m = DECIMAL.exec(text.trim());
  if (m === null) return undefined;
  const fraction = (m[3] ?? '').length - (m[4] === undefined ? 0 : Number(m[4]));
  return fraction > 0 ? fraction : 0;
}

/** Plain decimal text (no exponent) for a decimal text, keeping every digit it has. */
export function plainDecimal(text: string): string | undefined {
  const scale = decimalScale(text);
  return scale === undefined || scale > MAX_SHIFT ? undefined : decimalToScale(text, scale);
}

/**
 * A Numeric input as decimal text: a string as it is (trimmed), a `bigint` in full, a
 * `number` through its shortest round-trip text (`0.1` is `'0.1'`, never
 * `0.1000000000000000055…`). Infinity and NaN have no decimal value: ArgumentError.
 */
export function toDecimalText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'bigint':
      return value.toString();
    case 'number': {
      if (!Number.isFinite(value)) throw new ArgumentError(`${value} is not a decimal number; a Numeric value must be finite.`);
      const text = globalThis.String(value);
      return /e/i.test(text) ? plainDecimal(text)! : text;
    }
    default:
      throw new ArgumentError(`A Numeric value is decimal text, a number or a bigint; got ${value === null ? 'null' : typeof value}.`);
  }
}

/**
 * A double read back from a database that computes in floating point (SQLite), as decimal
 * text with at most 15 significant digits: every decimal of up to 15 digits survives a
 * double exactly, so this gives back stored values as written and drops the float noise
 * of computed ones (`0.1 + 0.2` reads `'0.3'`).
 */
export function doubleToDecimal(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return globalThis.String(value);
  const text = plainDecimal(value.toPrecision(15))!;
  if (!text.includes('.')) return text;
  const trimmed = text.replace(/\.?0+$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

/** Significant digits of canonical plain decimal text (`'-0.0120'` → 3). */
export function significantDigits(text: string): number {
  const digits = text.replace(/[-+.]/g, '').replace(/^0+/, '');
  return digits.replace(/0+$/, '').length;
}
