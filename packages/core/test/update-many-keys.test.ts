/**
 * A keyed executemany UPDATE is batched (UPDATE ... FROM (VALUES ...)) only when no two parameter
 * sets can match one row; keys the database could compare as equal count as the same key.
 */
import { distinctKeys } from '../src/engine/update-many';

const one = (...keys: unknown[]) => distinctKeys(keys.map((k) => [k]), [0]);

test('different numbers, bigints and texts are distinct keys', () => {
  expect(one(1, 2, 3n, 'a', 'b', 2.5)).toBe(true);
  expect(one('x1', 'x2', 9007199254740993n, 9007199254740994n)).toBe(true);
});

test('keys a type affinity or a collation could make equal are the same key', () => {
  expect(one(1, 1n)).toBe(false);
  expect(one(1, '1')).toBe(false);
  expect(one(1, ' +1 ')).toBe(false);
  expect(one(1.5, '1.50')).toBe(false);
  expect(one(true, 1)).toBe(false);
  expect(one('Abc', 'aBC')).toBe(false);
  expect(one('abc', 'abc   ')).toBe(false);
  expect(one(9007199254740993n, '9007199254740993')).toBe(false);
  expect(one(2 ** 60, 2n ** 60n)).toBe(false);
});

test('keys in increasing order (the usual flush) are distinct; a repeat after them is still seen', () => {
  expect(one(1, 2, 3, 10, 11.5)).toBe(true);
  expect(one(1, 2, 3, 2)).toBe(false);
  expect(one(1, 2, 3, '3')).toBe(false);
});

test('NULL, NaN and binary keys are never batched', () => {
  expect(one(1, null)).toBe(false);
  expect(one(1, Number.NaN)).toBe(false);
  expect(one(1, new Uint8Array([1]))).toBe(false);
});

test('composite keys: distinct as tuples, the same when every part could compare equal', () => {
  expect(distinctKeys([[1, 'a', 7], [1, 'b', 7], [2, 'a', 7]], [0, 1])).toBe(true);
  expect(distinctKeys([[1, 'a'], ['1', 'A']], [0, 1])).toBe(false);
  expect(distinctKeys([[1, 'a'], [1, null]], [0, 1])).toBe(false);
});
