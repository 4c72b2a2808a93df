/**
 * Exact decimal arithmetic for computing expected values in tests, independently of the
 * library and of the database: a value is a bigint of units at a scale (`'9.50'` is 950n at
 * scale 2). Nothing here goes through a float.
 */
export interface Dec {
  units: bigint;
  scale: number;
}

export function dec(text: string): Dec {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (m === null) throw new Error(`not a plain decimal: '${text}'`);
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2] || '0'}${frac}`);
  return { units: m[1] === '-' ? -units : units, scale: frac.length };
}

function rescale(a: Dec, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

export function add(a: Dec, b: Dec): Dec {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function sub(a: Dec, b: Dec): Dec {
  return add(a, { units: -b.units, scale: b.scale });
}

export function mul(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function cmp(a: Dec, b: Dec): number {
  const scale = Math.max(a.scale, b.scale);
  const d = rescale(a, scale) - rescale(b, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function sum(values: readonly Dec[]): Dec {
  return values.reduce(add, { units: 0n, scale: 0 });
}

/** `a / b` rounded half away from zero to `scale` digits. */
export function div(a: Dec, b: Dec, scale: number): Dec {
  // a/b × 10^scale = a.units × 10^(scale + b.scale) / (b.units × 10^a.scale)
  let num = a.units * 10n ** BigInt(scale + b.scale);
  let den = b.units * 10n ** BigInt(a.scale);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den;
  const r = num % den;
  const away = (r < 0n ? -r : r) * 2n >= den;
  return { units: away ? q + (num < 0n ? -1n : 1n) : q, scale };
}

/** Text with exactly `scale` digits (the value must not need rounding). */
export function format(a: Dec, scale = a.scale): string {
  if (scale < a.scale) throw new Error('format() does not round');
  const units = rescale(a, scale);
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return units < 0n ? `-${text}` : text;
}

/** Whether a database's decimal text is exactly this value, whatever its trailing zeros. */
export function sameValue(got: unknown, want: Dec): boolean {
  return typeof got === 'string' && cmp(dec(got), want) === 0;
}
