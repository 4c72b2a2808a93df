/**
 * The parameter record of each row of a batched UPDATE (`athanor_w<n>` for the WHERE,
 * `athanor_v<slot>` for SET), made by an object literal generated once per shape: a flush of
 * 10,000 dirty objects makes 10,000 of them, and a record filled key by key under names
 * computed at run time costs a keyed store per key and a bigger object.
 */
import { codeGeneration } from '@athanor/core';

export type ParamsMaker = (where: readonly unknown[], values: readonly unknown[]) => Record<string, unknown>;

const makers = new Map<string, ParamsMaker>();
/** Shapes are few (per table, per set of changed columns); past this many, build records the plain way. */
const MAX_SHAPES = 512;

/** The maker for a WHERE of `whereCount` values and a SET of `slots` (values in that order). */
export function updateParamsMaker(whereCount: number, slots: readonly number[]): ParamsMaker {
  const key = `${whereCount}|${slots.join(',')}`;
  let make = makers.get(key);
  if (make !== undefined) return make;
  make = codeGeneration().enabled && makers.size < MAX_SHAPES ? generated(whereCount, slots) : plain(whereCount, slots);
  if (makers.size < MAX_SHAPES) makers.set(key, make);
  return make;
}

function generated(whereCount: number, slots: readonly number[]): ParamsMaker {
  const fields: string[] = [];
  for (let n = 0; n < whereCount; n++) fields.push(`athanor_w${n}: w[${n}]`);
  slots.forEach((slot, c) => {
    fields.push(`athanor_v${slot}: v[${c}]`);
  });
  return new Function('w', 'v', `return { ${fields.join(', ')} };`) as ParamsMaker;
}

function plain(whereCount: number, slots: readonly number[]): ParamsMaker {
  const whereNames = Array.from({ length: whereCount }, (_, n) => `athanor_w${n}`);
  const setNames = slots.map((slot) => `athanor_v${slot}`);
  return (w, v) => {
    const p: Record<string, unknown> = {};
    for (let n = 0; n < whereNames.length; n++) p[whereNames[n]] = w[n];
    for (let c = 0; c < setNames.length; c++) p[setNames[c]] = v[c];
    return p;
  };
}
