/**
 * The identity map of a ShardedSession: the shard is part of an object's identity (as
 * SQLAlchemy's identity token), so each shard has an identity map of its own and the same
 * primary key on two shards is two objects. Each object remembers the shard it was loaded
 * from or written to. Lookups by key (`get`, `mapOf`) answer for the shard the session's
 * current call runs on (`ShardScope`); adding and removing an object use its own shard.
 */
import { InvalidRequestError } from '@athanor/core';
import type { Mapper } from '../mapper';
import { IdentityMap, type StatesByKey } from '../session/identity-map';
import { type InstanceState, maybeState } from '../state/instance-state';

/** The shard the session's running call works on (undefined between shard-bound steps). */
export interface ShardScope {
  shard: string | undefined;
}

/** Each object's shard: kept after the object leaves the session, as its identity key is. */
const shards = new WeakMap<InstanceState, string>();

/** The shard an object was loaded from or flushed to; undefined for an object no ShardedSession placed. */
export function shardOf(obj: object): string | undefined {
  const st = maybeState(obj);
  return st === undefined ? undefined : shards.get(st);
}

/** @internal */
export function stateShard(st: InstanceState): string | undefined {
  return shards.get(st);
}

/** @internal places a new object on a shard (the shard chooser's answer). */
export function placeOnShard(st: InstanceState, shard: string): void {
  shards.set(st, shard);
}

export class ShardedIdentityMap extends IdentityMap {
  private readonly byShard = new Map<string, IdentityMap>();

  constructor(private readonly scope: ShardScope) {
    super();
  }

  /** The identity map of one shard (made on first use). */
  on(shard: string): IdentityMap {
    let m = this.byShard.get(shard);
    if (m === undefined) this.byShard.set(shard, (m = new IdentityMap()));
    return m;
  }

  override get size(): number {
    let n = 0;
    for (const m of this.byShard.values()) n += m.size;
    return n;
  }

  /** Outside a shard-bound step no shard is asked: nothing is found (the caller then queries). */
  override get(mapper: Mapper, key: unknown): InstanceState | undefined {
    const shard = this.scope.shard;
    return shard === undefined ? undefined : this.byShard.get(shard)?.get(mapper, key);
  }

  override mapOf(mapper: Mapper): StatesByKey {
    return this.on(this.current('load a row')).mapOf(mapper);
  }

  override addNew(byKey: StatesByKey, state: InstanceState): void {
    const shard = this.current('load a row');
    shards.set(state, shard);
    this.on(shard).addNew(byKey, state);
  }

  override add(state: InstanceState): InstanceState | undefined {
    const shard = shards.get(state) ?? this.scope.shard;
    if (shard === undefined) {
      throw new InvalidRequestError(
        `This ${state.mapper.name} object (${state.mapper.describePk(state.values)}) was not loaded through a ShardedSession, so its shard is unknown; use session.merge(obj) (it places the object with the shard chooser) or load it through the sharded session.`,
      );
    }
    shards.set(state, shard);
    return this.on(shard).add(state);
  }

  override remove(state: InstanceState, key: unknown = state.key): void {
    const shard = shards.get(state);
    if (shard !== undefined) this.byShard.get(shard)?.remove(state, key);
  }

  override has(state: InstanceState): boolean {
    const shard = shards.get(state);
    return shard !== undefined && this.byShard.get(shard)?.has(state) === true;
  }

  override states(): InstanceState[] {
    const out: InstanceState[] = [];
    for (const m of this.byShard.values()) for (const st of m.states()) out.push(st);
    return out;
  }

  /** A bulk UPDATE or DELETE runs on one shard at a time: only that shard's objects can match it. */
  override statesInScope(): InstanceState[] {
    const shard = this.scope.shard;
    if (shard === undefined) return this.states();
    return this.byShard.get(shard)?.states() ?? [];
  }

  override forEach(fn: (state: InstanceState) => void): void {
    for (const m of this.byShard.values()) m.forEach(fn);
  }

  override clear(): void {
    for (const m of this.byShard.values()) m.clear();
  }

  private current(what: string): string {
    const shard = this.scope.shard;
    // Every statement of a ShardedSession runs on a named shard: reaching here without one is a bug of the session.
    if (shard === undefined) throw new InvalidRequestError(`ShardedSession: cannot ${what} outside a shard (no shard is current); this is a bug of the sharded session, please report it.`);
    return shard;
  }
}
