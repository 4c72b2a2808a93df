/**
 * A fresh `rels` record holding one relationship value, made by an object literal generated
 * per name: a literal's object is sized to its one property (~45 bytes), where `{}` then a
 * keyed store makes one with room for four and a transition (~80 bytes). Loaders make one per
 * child for the mirrored many-to-one of every loaded collection: thousands per load.
 */
import { codeGeneration } from '@athanor/core';

type Maker = (value: unknown) => Record<string, unknown>;
const makers = new Map<string, Maker>();

/** The maker of `{ [name]: value }` records. */
export function relsRecordMaker(name: string): Maker {
  let make = makers.get(name);
  if (make === undefined) makers.set(name, (make = literalMaker(name)));
  return make;
}

function literalMaker(name: string): Maker {
  // Without code generation (a strict CSP, or turned off), the plain way.
  if (name === '__proto__' || !codeGeneration().enabled) {
    return (value) => {
      const record: Record<string, unknown> = {};
      Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
      return record;
    };
  }
  return new Function('v', `return { ${JSON.stringify(name)}: v };`) as Maker;
}
