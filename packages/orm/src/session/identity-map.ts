/**
 * The identity map: one object per row, keyed per mapper by the primary key value itself
 * (no string is built for a single-column key; composite keys join their parts). The
 * classes of an inheritance hierarchy share their base mapper's map: one row, one object,
 * whichever class it is queried through.
 */
import type { Mapper } from '../mapper';
import type { InstanceState } from '../state/instance-state';
import { keepShape } from '../util/shape-anchors';

/** A key that is an array index: a non-negative integer below 2^31. */
const isIndex = (key: unknown): key is number => typeof key === 'number' && (key | 0) === key && key >= 0;

/** How far past the array's end an integer key may land and still go in the array. */
const GAP = 16;

/**
 * The states of one mapper by key. Integer keys that arrive in a dense run (rows loaded in
 * key order, nearly every large load) index an array: a load of 10,000 rows then costs a slot
 * each, where a Map allocates ~100 bytes per entry as it grows (a quarter of a large load's
 * garbage). A key far past the array's end (a get() by key in a fresh session, keys loaded
 * out of order) goes to a Map instead: a sparse array would be sized to the largest key.
 */
export class StatesByKey {
  private readonly ints: (InstanceState | undefined)[] = [];
  private other: Map<unknown, InstanceState> | undefined = undefined;

  get(key: unknown): InstanceState | undefined {
    if (isIndex(key) && key < this.ints.length) {
      const st = this.ints[key];
      if (st !== undefined) return st;
    }
    return this.other?.get(key);
  }

  set(key: unknown, state: InstanceState): void {
    const ints = this.ints;
    if (isIndex(key) && key <= ints.length + GAP) {
      // A key the Map holds (it went there when it was far past the end) stays there.
      if (key >= ints.length && this.other?.has(key) === true) this.other.set(key, state);
      else ints[key] = state;
    } else (this.other ??= new Map()).set(key, state);
  }

  delete(key: unknown): void {
    if (isIndex(key) && key < this.ints.length && this.ints[key] !== undefined) this.ints[key] = undefined;
    else this.other?.delete(key);
  }

  forEach(fn: (state: InstanceState) => void): void {
    const ints = this.ints;
    for (let i = 0; i < ints.length; i++) {
      const st = ints[i];
      if (st !== undefined) fn(st);
    }
    if (this.other !== undefined) for (const st of this.other.values()) fn(st);
  }
}

export class IdentityMap {
  private readonly byMapper = new Map<Mapper, StatesByKey>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(mapper: Mapper, key: unknown): InstanceState | undefined {
    return this.byMapper.get(mapper.base)?.get(key);
  }

  /** The states of one mapper by key (made on first use; the last one asked for is kept at hand for row loading). */
  mapOf(mapper: Mapper): StatesByKey {
    if (mapper === this.lastMapper) return this.lastMap!;
    let m = this.byMapper.get(mapper.base);
    if (m === undefined) this.byMapper.set(mapper.base, (m = new StatesByKey()));
    this.lastMapper = mapper;
    this.lastMap = m;
    return m;
  }
  private lastMapper: Mapper | undefined = undefined;
  private lastMap: StatesByKey | undefined = undefined;

  /** Adds a state known to be absent from `byKey` (the mapper's map, from mapOf). */
  addNew(byKey: StatesByKey, state: InstanceState): void {
    byKey.set(state.key, state);
    this.count++;
  }

  /** Adds a state under its key; another state already there is an error for the caller to word. */
  add(state: InstanceState): InstanceState | undefined {
    let m = this.byMapper.get(state.mapper.base);
    if (m === undefined) this.byMapper.set(state.mapper.base, (m = new StatesByKey()));
    const existing = m.get(state.key);
    if (existing !== undefined) return existing === state ? undefined : existing;
    m.set(state.key, state);
    this.count++;
    return undefined;
  }

  /** Removes the state if it is the one held under `key` (default: its current key). */
  remove(state: InstanceState, key: unknown = state.key): void {
    const m = this.byMapper.get(state.mapper.base);
    if (m !== undefined && m.get(key) === state) {
      m.delete(key);
      this.count--;
    }
  }

  has(state: InstanceState): boolean {
    return state.key !== undefined && this.byMapper.get(state.mapper.base)?.get(state.key) === state;
  }

  /** Every state (a list: callers may change the map while they go through it). */
  states(): InstanceState[] {
    const out: InstanceState[] = [];
    this.forEach((st) => {
      out.push(st);
    });
    return out;
  }

  /** The states a bulk UPDATE or DELETE may match: every one (a ShardedSession's: those of the shard it runs on). */
  statesInScope(): InstanceState[] {
    return this.states();
  }

  /** Calls `fn` for every state (no generator: the close of a large session runs it over every object). */
  forEach(fn: (state: InstanceState) => void): void {
    for (const m of this.byMapper.values()) m.forEach(fn);
  }

  clear(): void {
    this.byMapper.clear();
    this.lastMapper = this.lastMap = undefined;
    this.count = 0;
  }
}

// Every session makes these; their shapes outlive the sessions (util/shape-anchors.ts).
keepShape(new IdentityMap());
keepShape(new StatesByKey());
