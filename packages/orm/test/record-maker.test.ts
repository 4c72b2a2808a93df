/** Record makers kept per shape: the generated literal and the plain maker make the same records. */
import { setCodeGeneration } from '@athanor/core';
import { RecordMakers } from '../src/util/record-maker';

type Make = (x: unknown, y: unknown) => Record<string, unknown>;

/** Records `{ <prefix>0: x, <prefix>1: y }`; the plain maker is tagged so a test can tell which was used. */
function pairMakers(maxShapes?: number) {
  const plainMade: string[] = [];
  const makers = new RecordMakers<Make, string, boolean>({
    params: ['x', 'y'],
    maxShapes,
    fields: (prefix, generate) => (generate ? [`${prefix}0: x`, `${prefix}1: y`] : undefined),
    plain: (prefix) => {
      plainMade.push(prefix);
      return (x, y) => {
        const r: Record<string, unknown> = {};
        r[`${prefix}0`] = x;
        r[`${prefix}1`] = y;
        return r;
      };
    },
  });
  return { makers, plainMade };
}

afterEach(() => setCodeGeneration(true));

test('with code generation on, a shape gets a generated literal, kept under its key', () => {
  const { makers, plainMade } = pairMakers();
  const make = makers.get('a', 'a', true);
  expect(String(make)).toContain('return { a0: x, a1: y }');
  expect(plainMade).toEqual([]);
  const record = make(1, 'two');
  expect(record).toEqual({ a0: 1, a1: 'two' });
  expect(Object.keys(record)).toEqual(['a0', 'a1']);
  expect(make(1, 'two')).not.toBe(record);
  expect(makers.get('a', 'a', true)).toBe(make);
});

test('a shape without fields is made the plain way even with code generation on', () => {
  const { makers, plainMade } = pairMakers();
  const make = makers.get('b', 'b', false);
  expect(plainMade).toEqual(['b']);
  expect(make(3, null)).toEqual({ b0: 3, b1: null });
  expect(makers.get('b', 'b', false)).toBe(make);
  expect(plainMade).toEqual(['b']);
});

test('with code generation off, every shape is made the plain way, kept under its key', () => {
  setCodeGeneration(false);
  const { makers, plainMade } = pairMakers();
  const make = makers.get('c', 'c', true);
  expect(String(make)).not.toContain('return {');
  expect(plainMade).toEqual(['c']);
  const record = make('p', 'q');
  expect(record).toEqual({ c0: 'p', c1: 'q' });
  expect(Object.keys(record)).toEqual(['c0', 'c1']);
  expect(makers.get('c', 'c', true)).toBe(make);
  expect(plainMade).toEqual(['c']);
});

test('past maxShapes, makers are plain and not kept', () => {
  const { makers, plainMade } = pairMakers(1);
  const first = makers.get('d', 'd', true);
  expect(String(first)).toContain('return { d0: x, d1: y }');
  const over = makers.get('e', 'e', true);
  expect(plainMade).toEqual(['e']);
  expect(over(5, 6)).toEqual({ e0: 5, e1: 6 });
  expect(makers.get('e', 'e', true)).not.toBe(over);
  expect(plainMade).toEqual(['e', 'e']);
  expect(makers.get('d', 'd', true)).toBe(first);
});
