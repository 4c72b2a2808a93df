/** The dependency sort behind sortedTables and the ORM's flush order: stable order, and cycles named. */
import { CycleError, topologicalSort } from '@athanor/core';

const sort = (nodes: string[], edges: [string, string][]) => topologicalSort(nodes, edges.map(([from, to]) => ({ from, to })));

describe('topologicalSort', () => {
  test('orders by the edges, keeping the input order otherwise', () => {
    expect(sort(['c', 'b', 'a'], [['a', 'b']])).toEqual(['c', 'a', 'b']);
  });

  test('names the cycle, also when the first node left only waits on it', () => {
    // 'w' depends on the cycle x -> y -> x and is not part of it; it comes first in the input.
    const error = (() => {
      try {
        sort(['w', 'x', 'y'], [['x', 'w'], ['x', 'y'], ['y', 'x']]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CycleError);
    expect((error as CycleError<string>).cycle).toEqual(['x', 'y', 'x']);
  });

  test('a cycle found from one of its own nodes lists it in dependency order', () => {
    expect(() => sort(['a', 'b', 'c'], [['a', 'b'], ['b', 'c'], ['c', 'a']])).toThrow('Dependency cycle: a -> b -> c -> a');
  });
});
