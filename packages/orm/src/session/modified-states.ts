/**
 * The session's modified states: a list in the order they changed, each state keeping its own
 * position in it. A flush of 10,000 changed objects adds 10,000 states, and a Set spends about
 * 0.1 µs on each first insertion (hashing a new object, growing its table); here an addition
 * is a push. Iteration is in insertion order and sees states added while it runs, as a Set's.
 */
import type { InstanceState } from '../state/instance-state';

/** What the lifecycle rules and the flush do with a set of states (a Set, or ModifiedStates). */
export interface StateSet extends Iterable<InstanceState> {
  readonly size: number;
  add(st: InstanceState): unknown;
  delete(st: InstanceState): boolean;
  has(st: InstanceState): boolean;
  clear(): void;
}

export class ModifiedStates implements StateSet {
  /** The states in order; a removed one leaves a hole (clear(), at every flush, starts a new list). */
  list: (InstanceState | undefined)[] = [];
  /** Counts clear() calls: an iteration running across one restarts on the new list, as a Set's does. */
  generation = 0;
  private live = 0;

  get size(): number {
    return this.live;
  }

  has(st: InstanceState): boolean {
    const i = st.modifiedAt;
    return i >= 0 && this.list[i] === st;
  }

  add(st: InstanceState): this {
    if (this.has(st)) return this;
    st.modifiedAt = this.list.length;
    this.list.push(st);
    this.live++;
    return this;
  }

  delete(st: InstanceState): boolean {
    if (!this.has(st)) return false;
    this.list[st.modifiedAt] = undefined;
    st.modifiedAt = -1;
    this.live--;
    return true;
  }

  clear(): void {
    for (const st of this.list) if (st !== undefined) st.modifiedAt = -1;
    this.list = [];
    this.live = 0;
    this.generation++;
  }

  [Symbol.iterator](): Iterator<InstanceState> {
    return new ListIterator(this);
  }
}

/** Walks the list by index, skipping holes. */
class ListIterator implements Iterator<InstanceState> {
  private i = 0;
  private generation: number;
  constructor(private readonly states: ModifiedStates) {
    this.generation = states.generation;
  }

  next(): IteratorResult<InstanceState> {
    if (this.generation !== this.states.generation) {
      this.generation = this.states.generation;
      this.i = 0;
    }
    const list = this.states.list;
    while (this.i < list.length) {
      const st = list[this.i++];
      if (st !== undefined) return { value: st, done: false };
    }
    return { value: undefined, done: true };
  }
}
