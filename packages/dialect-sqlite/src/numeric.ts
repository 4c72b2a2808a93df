/**
 * Numeric on SQLite. SQLite has no decimal type: a column declared `NUMERIC(p, s)` has NUMERIC
 * affinity and stores each value as an INTEGER (64-bit) or a REAL (a double), so it
 * compares, sorts and aggregates as a number. The bound: a value is stored exactly when it
 * is a whole number within 64 bits or has at most 15 significant digits (every such
 * decimal survives a double); a wider value raises DataError at bind, never rounds.
 * Arithmetic and aggregates on REALs run in floating point: results are read back with 15
 * significant digits, then rounded to the expression's scale when it has one.
 */
import { DataError, type Processor, type TypeEngine, decimalToScale, doubleToDecimal, plainDecimal, significantDigits, toDecimalText } from '@athanor/core';

/** Significant decimal digits a double holds exactly. */
export const SQLITE_DECIMAL_DIGITS = 15;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The scale a Numeric type rounds to: its declared scale; 0 for `Numeric(p)`; none for `Numeric()`. */
export function declaredScale(type: TypeEngine<any>): number | undefined {
  const t = type.impl as { precision?: number; scale?: number };
  if (t.scale !== undefined) return t.scale;
  return t.precision === undefined ? undefined : 0;
}

/** Canonical plain decimal text → the number SQLite stores exactly, or DataError past the bound. */
function storable(text: string, given: string): number | bigint {
  const point = text.indexOf('.');
  if (point < 0 || /^-?\d*\.0*$/.test(text)) {
    const whole = BigInt(point < 0 ? text : text.slice(0, point) || '0');
    if (whole >= INT64_MIN && whole <= INT64_MAX) return whole >= -9007199254740991n && whole <= 9007199254740991n ? Number(whole) : whole;
  }
  if (significantDigits(text) > SQLITE_DECIMAL_DIGITS) {
    throw new DataError(
      `'${given}' has more significant digits than SQLite can hold exactly for a Numeric (${SQLITE_DECIMAL_DIGITS}, or a whole number within 64 bits). ` +
        'Round it, or use PostgreSQL or MariaDB for wider decimals.',
    );
  }
  return Number(text);
}

/** Binds a Numeric input (text, number, bigint) as the INTEGER/REAL SQLite stores, rounded to `scale` first. */
export function numericBind(scale: number | undefined): Processor {
  // Fast path: text already at the scale with at most 15 digits ('9.50'), or a safe whole number.
  const canonical = new RegExp(`^-?\\d{1,${SQLITE_DECIMAL_DIGITS - (scale ?? 0)}}${scale ? `\\.\\d{${scale}}` : ''}$`);
  return (v) => {
    if (v === null || v === undefined) return v;
    if (typeof v === 'number' ? Number.isSafeInteger(v) : typeof v === 'string' && canonical.test(v)) return Number(v);
    const given = toDecimalText(v);
    const text = scale === undefined ? plainDecimal(given) : decimalToScale(given, scale);
    if (text === undefined) {
      throw new DataError(`'${given}' is not a decimal number for a Numeric${scale === undefined ? '' : ` with scale ${scale}`} (digits with an optional sign, point and exponent).`);
    }
    return storable(text, given);
  };
}

/**
 * Reads a Numeric: an INTEGER in full, a REAL with 15 significant digits, text (rows written
 * by the older TEXT storage, or raw SQL) as it is; then exactly `scale` fractional digits.
 */
export function numericResult(scale: number | undefined): Processor {
  return (v) => {
    if (v === null) return v;
    const text = typeof v === 'number' ? doubleToDecimal(v) : typeof v === 'string' ? v : String(v);
    return scale === undefined ? text : (decimalToScale(text, scale) ?? text);
  };
}
