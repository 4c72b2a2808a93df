/**
 * Execution parameters come from a function generated per compiled statement, or from the
 * generic loop past 64 slots: both must give the same parameters and the same errors.
 */
import { ArgumentError, Column, DataError, Dialect, Integer, MetaData, Table, Text, and, bindparam, buildParams, compileCached, insert, select, type ClauseElement } from '@athanor/core';

const metadata = new MetaData();
let counter = 0;
const items = new Table('items', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(Text),
  score: Column(Integer, { default: () => ++counter }),
});
const dialect = new Dialect();

function params(stmt: ClauseElement, named?: Record<string, unknown>): unknown[] {
  const { compiled, values } = compileCached(dialect, stmt);
  return buildParams(dialect, compiled, values, named).params as unknown[];
}

/** The same criteria `width` times over: 1 is the generated path, 70 the loop. */
const byIdAndName = (width: number) =>
  select(items.c.id).where(and(...Array.from({ length: width }, () => and(items.c.id.eq(bindparam('id')), items.c.name.eq(bindparam('name'))))));

describe.each([
  ['generated (2 slots)', 1],
  ['loop (140 slots)', 70],
])('parameters, %s', (_label, width) => {
  test('bindparam() values come by name; an explicit undefined or null binds NULL', () => {
    expect(params(byIdAndName(width), { id: 7, name: 'x' }).slice(0, 2)).toEqual([7, 'x']);
    expect(params(byIdAndName(width), { id: 7, name: undefined }).slice(0, 2)).toEqual([7, null]);
    expect(params(byIdAndName(width), { id: null, name: 'y' }).slice(0, 2)).toEqual([null, 'y']);
  });
  test('a bindparam() without a value names itself and the fix', () => {
    expect(() => params(byIdAndName(width), { id: 1 })).toThrow(ArgumentError);
    expect(() => params(byIdAndName(width), { id: 1 })).toThrow(/No value for bound parameter 'name'/);
    expect(() => params(byIdAndName(width))).toThrow(/'id'/);
  });
  test('a value the type does not accept is refused naming the parameter, the same on both paths', () => {
    expect(() => params(byIdAndName(width), { id: { x: 1 }, name: 'x' })).toThrow(ArgumentError);
    expect(() => params(byIdAndName(width), { id: { x: 1 }, name: 'x' })).toThrow(/^Cannot bind parameter 'id': an object is not a SQL value: objects and arrays bind only to JSON columns/);
    const rows = Array.from({ length: width === 1 ? 1 : 30 }, (_, i) => ({ id: i, name: 'a', score: 1 }));
    rows[rows.length - 1].id = 2 ** 40;
    expect(() => params(insert(items).values(rows))).toThrow(DataError);
    expect(() => params(insert(items).values(rows))).toThrow(/^Cannot bind column 'id': 1099511627776 is out of range for an Integer column/);
    rows[rows.length - 1].id = 1.5;
    expect(() => params(insert(items).values(rows))).toThrow(/^Cannot bind column 'id': 1\.5 \(number\) is not a value for an Integer column/);
  });
  test('inherited members of the parameters object are not values', () => {
    expect(() => params(byIdAndName(width), Object.create({ id: 1, name: 'inherited' }))).toThrow(/'id'/);
  });
});

describe('insert parameters', () => {
  test('a column default is evaluated when the row does not give the column, and only then', () => {
    const stmt = insert(items).values({ id: 1, name: 'a' });
    const before = counter;
    const p = params(stmt);
    expect(p).toEqual([1, 'a', before + 1]);
    // Given by key at execution (executemany passes rows this way), the default is not evaluated.
    expect(params(insert(items).values({ id: 2, name: 'b', score: 5 }), { score: 9 })).toEqual([2, 'b', 9]);
    expect(counter).toBe(before + 1);
  });
  test('a row giving a column as undefined is refused naming the column (omit the key for the default)', () => {
    expect(() => params(insert(items).values({ id: 3, name: 'c', score: 4 }), { name: undefined })).toThrow(/column 'name' is undefined\. Omit the key/);
    expect(() => insert(items).values({ id: 3, name: undefined as any })).toThrow(/column 'name' of 'items' is undefined/);
  });
  test('display (stmt.compile) follows the same rule: a value given by key wins over the column default', () => {
    const shown = insert(items).values({ id: 4, name: 'd' }).compile(dialect, { score: 9 });
    expect(shown.params).toEqual({ id_1: 4, name_1: 'd', score_1: 9 });
    expect(() => insert(items).values({ id: 4, name: 'd' }).compile(dialect, { score: 'x' })).toThrow(/^Cannot bind column 'score': "x" \(string\)/);
  });
  test('a literal value in values() and a key-named override', () => {
    expect(params(insert(items).values({ id: 3, name: 'c', score: 4 }))).toEqual([3, 'c', 4]);
    expect(params(insert(items).values({ id: 3, name: 'c', score: 4 }), { name: 'override' })).toEqual([3, 'override', 4]);
  });
});
