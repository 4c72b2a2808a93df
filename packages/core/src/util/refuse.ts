/** Checks shared by the compiler and the bind step for values no statement may carry. */
import { ArgumentError } from '../errors';

/**
 * `value`, or an ArgumentError when it holds a NUL: no database keeps one in SQL text, and
 * the compiler delimits its bind markers with it.
 */
export function refuseNul(value: string, what: string): string {
  const at = value.indexOf('\u0000');
  if (at >= 0) throw new ArgumentError(`${what} contains a NUL character (\\u0000) at offset ${at}: ${JSON.stringify(value.slice(0, 60))}. Remove it; NUL is allowed only in bound values.`);
  return value;
}

/** A value's kind for error messages: 'array', 'object', 'Map object', 'number'... */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const ctor = (value as object).constructor;
    return ctor && ctor !== Object && typeof ctor.name === 'string' && ctor.name ? `${ctor.name} object` : 'object';
  }
  return typeof value;
}
