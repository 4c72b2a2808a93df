/**
 * The parameter record of each row of a batched UPDATE (`athanor_w<n>` for the WHERE,
 * `athanor_v<slot>` for SET), made by an object literal generated once per shape: a flush of
 * 10,000 dirty objects makes 10,000 of them.
 */
import { RecordMakers } from '../util/record-maker';

export type ParamsMaker = (where: readonly unknown[], values: readonly unknown[]) => Record<string, unknown>;

const makers = new RecordMakers<ParamsMaker, number, readonly number[]>({
  params: ['w', 'v'],
  // Shapes are few (per table, per set of changed columns); past this many, build records the plain way.
  maxShapes: 512,
  fields: (whereCount, slots) => {
    const fields: string[] = [];
    for (let n = 0; n < whereCount; n++) fields.push(`athanor_w${n}: w[${n}]`);
    slots.forEach((slot, c) => {
      fields.push(`athanor_v${slot}: v[${c}]`);
    });
    return fields;
  },
  plain: (whereCount, slots) => {
    const whereNames = Array.from({ length: whereCount }, (_, n) => `athanor_w${n}`);
    const setNames = slots.map((slot) => `athanor_v${slot}`);
    return (w, v) => {
      const p: Record<string, unknown> = {};
      for (let n = 0; n < whereNames.length; n++) p[whereNames[n]] = w[n];
      for (let c = 0; c < setNames.length; c++) p[setNames[c]] = v[c];
      return p;
    };
  },
});

/** The maker for a WHERE of `whereCount` values and a SET of `slots` (values in that order). */
export function updateParamsMaker(whereCount: number, slots: readonly number[]): ParamsMaker {
  return makers.get(`${whereCount}|${slots.join(',')}`, whereCount, slots);
}
