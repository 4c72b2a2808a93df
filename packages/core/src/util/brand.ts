/**
 * `instanceof` that also recognises instances from another copy of this package in the
 * same process (an ESM and a CJS copy, or two installed versions): objects carry a brand
 * registered with `Symbol.for`, and a class matches by name along the prototype chain.
 * The native check runs first, so the common case costs nothing extra.
 */
export function brandedInstanceOf(cls: Function, value: unknown, brand: symbol): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if ((value as any)[brand] !== true) return false;
  const name = cls.name;
  for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
    if (p.constructor?.name === name) return true;
  }
  return false;
}

export const ELEMENT_BRAND = Symbol.for('athanor.element');
export const TYPE_BRAND = Symbol.for('athanor.type');
export const SCHEMA_BRAND = Symbol.for('athanor.schemaItem');
