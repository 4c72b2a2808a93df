import { Result } from '@athanor/core';

describe('Result.tuples()', () => {
  test('each row as its values in result-key order, an entity as one element', () => {
    const entity = { id: 1 };
    const result = new Result<{ E: { id: number }; n: number }>(
      [
        { E: entity, n: 2 },
        { E: entity, n: 3 },
      ],
      ['E', 'n'],
      -1,
    );
    expect(result.tuples()).toEqual([
      [entity, 2],
      [entity, 3],
    ]);
    expect(result.tuples()[0][0]).toBe(entity);
  });
  test('no rows, no tuples', () => {
    expect(new Result([], ['a'], -1).tuples()).toEqual([]);
  });
});
