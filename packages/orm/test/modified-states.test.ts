/** The session's modified list: Set semantics (membership, order, changes while iterating) without hashing. */
import { ModifiedStates } from '../src/session/modified-states';
import type { InstanceState } from '../src/state/instance-state';

const state = (name: string) => ({ name, modifiedAt: -1 }) as unknown as InstanceState & { name: string };
const names = (s: Iterable<InstanceState>) => [...s].map((st) => (st as unknown as { name: string }).name);

describe('ModifiedStates', () => {
  test('adds each state once, in order; has, delete and size agree with a Set', () => {
    const [a, b, c] = ['a', 'b', 'c'].map(state);
    const s = new ModifiedStates();
    s.add(a).add(b).add(a).add(c);
    expect(s.size).toBe(3);
    expect(names(s)).toEqual(['a', 'b', 'c']);
    expect(s.delete(b)).toBe(true);
    expect(s.delete(b)).toBe(false);
    expect(s.has(b)).toBe(false);
    expect(s.has(a) && s.has(c)).toBe(true);
    expect(s.size).toBe(2);
    s.add(b);
    expect(names(s)).toEqual(['a', 'c', 'b']);
  });

  test('membership is per list: a position is checked against the list it is in', () => {
    const [a, b] = ['a', 'b'].map(state);
    const one = new ModifiedStates();
    const two = new ModifiedStates();
    one.add(a);
    two.add(b);
    expect(one.has(b)).toBe(false);
    expect(two.has(a)).toBe(false);
  });

  test('deleting and adding while iterating: deleted ones are skipped, added ones are visited', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(state);
    const s = new ModifiedStates();
    s.add(a).add(b).add(c);
    const seen: string[] = [];
    for (const st of s) {
      const n = (st as unknown as { name: string }).name;
      seen.push(n);
      if (n === 'a') {
        s.delete(a);
        s.delete(b);
        s.add(d);
      }
    }
    expect(seen).toEqual(['a', 'c', 'd']);
    expect(names(s)).toEqual(['c', 'd']);
  });

  test('clear() empties it, frees the states for re-adding, and an iteration running across it sees only what came after', () => {
    const [a, b, c] = ['a', 'b', 'c'].map(state);
    const s = new ModifiedStates();
    s.add(a).add(b);
    const seen: string[] = [];
    for (const st of s) {
      seen.push((st as unknown as { name: string }).name);
      if (seen.length === 1) {
        s.clear();
        s.add(c);
      }
    }
    expect(seen).toEqual(['a', 'c']);
    expect(s.size).toBe(1);
    expect(a.modifiedAt).toBe(-1);
    s.add(a);
    expect(names(s)).toEqual(['c', 'a']);
  });
});
