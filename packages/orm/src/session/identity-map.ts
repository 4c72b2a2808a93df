/**
 * The identity map: one object per row, keyed per mapper by the primary key value itself
 * (no string is built for a single-column key; composite keys join their parts). The
 * classes of an inheritance hierarchy share their base mapper's map: one row, one object,
 * whichever class it is queried through.
 */
import type { Mapper } from '../mapper';
import type { InstanceState } from '../state/instance-state';

export class IdentityMap {
  private readonly byMapper = new Map<Mapper, Map<unknown, InstanceState>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(mapper: Mapper, key: unknown): InstanceState | undefined {
    return this.byMapper.get(mapper.base)?.get(key);
  }

  /** The states of one mapper by key (made on first use; the last one asked for is kept at hand for row loading). */
  mapOf(mapper: Mapper): Map<unknown, InstanceState> {
    if (mapper === this.lastMapper) return this.lastMap!;
    let m = this.byMapper.get(mapper.base);
    if (m === undefined) this.byMapper.set(mapper.base, (m = new Map()));
    this.lastMapper = mapper;
    this.lastMap = m;
    return m;
  }
  private lastMapper: Mapper | undefined = undefined;
  private lastMap: Map<unknown, InstanceState> | undefined = undefined;

  /** Adds a state known to be absent from `byKey` (the mapper's map, from mapOf). */
  addNew(byKey: Map<unknown, InstanceState>, state: InstanceState): void {
    byKey.set(state.key, state);
    this.count++;
  }

  /** Adds a state under its key; another state already there is an error for the caller to word. */
  add(state: InstanceState): InstanceState | undefined {
    let m = this.byMapper.get(state.mapper.base);
    if (m === undefined) this.byMapper.set(state.mapper.base, (m = new Map()));
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

  *states(): IterableIterator<InstanceState> {
    for (const m of this.byMapper.values()) yield* m.values();
  }

  /** Calls `fn` for every state (no generator: the close of a large session runs it over every object). */
  forEach(fn: (state: InstanceState) => void): void {
    for (const m of this.byMapper.values()) for (const st of m.values()) fn(st);
  }

  clear(): void {
    this.byMapper.clear();
    this.lastMapper = this.lastMap = undefined;
    this.count = 0;
  }
}
