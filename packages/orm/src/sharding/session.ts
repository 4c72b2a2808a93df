/**
 * Horizontal sharding (SQLAlchemy's `horizontal_shard` extension): one session over several
 * databases holding the same tables, each row on one of them. Three functions place the
 * work: `shardChooser` picks the shard of a new object at flush, `identityChooser` the shards
 * `get()` searches, `queryChooser` the shards a statement runs on (its rows merged). The
 * shard is part of an object's identity: the same primary key on two shards is two objects,
 * and each object remembers its shard (`shardOf(obj)`), where its changes are written and
 * its relationships loaded.
 *
 * It is a Session: each step (a statement on one shard, one shard's part of a flush) runs
 * with that shard current (ShardScope), and the session's connection is a router that runs
 * each statement on the current shard's engine (session binds' router). Steps run one after
 * the other, never two shards at once.
 */
import { ArgumentError, type ClauseElement, type Connection, type Engine, type ExecuteParams, type FirstOf, InvalidRequestError, type Result, type ScalarResult } from '@athanor/core';
import { mapperOf } from '../mapper';
import type { Relationship } from '../relationship';
import { normalisePk } from '../session/get';
import { type SessionExecuteOptions, type SessionOptions, checkExecuteOptions } from '../session/options';
import { type PrimaryKeyValue, Session, type SessionRow, type SessionTuple } from '../session/session';
import { type InstanceState, stateOf } from '../state/instance-state';
import type { AnyMappedClass } from '../types';
import { ShardedConnections } from './connections';
import { type ShardScope, ShardedIdentityMap, placeOnShard, stateShard } from './identity-map';
import { applyPart, partitionByShard, snapshot } from './partition';
import { checkMultiShard, mergeResults } from './results';

/** Options of `new ShardedSession(options)`: the shards, the three choosers, and the Session's own options. */
export interface ShardedSessionOptions extends Omit<SessionOptions, 'binds' | 'twoPhase'> {
  /** Shard id → the engine of its database (`{ east: createEngine(urlA), west: createEngine(urlB) }`); the order is the order shards are searched and written. */
  shards: Readonly<Record<string, Engine>> | ReadonlyMap<string, Engine>;
  /** The shard of a new object, asked at flush (again at each flush until its row exists). */
  shardChooser: (cls: AnyMappedClass, obj: object) => string;
  /** The shards `get(cls, primaryKey)` searches, in order (default: every shard). */
  identityChooser?: (cls: AnyMappedClass, primaryKey: readonly unknown[]) => readonly string[];
  /** The shards a statement runs on, its rows merged in this order (default: every shard). */
  queryChooser?: (statement: ClauseElement) => readonly string[];
}

/** `session.execute()` / `get()` options of a ShardedSession: `shardId` runs on that shard only (SQLAlchemy's `set_shard_id`). */
export interface ShardedExecuteOptions extends SessionExecuteOptions {
  shardId?: string;
}

const CHOOSERS = ['shards', 'shardChooser', 'identityChooser', 'queryChooser'];

export class ShardedSession extends Session {
  /** @internal the shard the running step works on. */
  private readonly scope: ShardScope = { shard: undefined };
  /** @internal one identity map per shard. */
  override readonly identityMap: ShardedIdentityMap = new ShardedIdentityMap(this.scope);
  private readonly engines: ReadonlyMap<string, Engine>;
  private readonly shardChooser: ShardedSessionOptions['shardChooser'];
  private readonly identityChooser: NonNullable<ShardedSessionOptions['identityChooser']> | undefined;
  private readonly queryChooser: NonNullable<ShardedSessionOptions['queryChooser']> | undefined;
  /** The shard the next queued call runs on (set around a super call that queues it). */
  private nextPin: string | undefined = undefined;

  constructor(options: ShardedSessionOptions) {
    const engines = checkShards(options);
    const sessionOptions: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(options)) {
      if (k === 'binds' || k === 'twoPhase') throw new ArgumentError(`new ShardedSession(options): option '${k}' is not supported on a sharded session (every table lives on every shard); leave it out.`);
      if (!CHOOSERS.includes(k)) sessionOptions[k] = v;
    }
    super(engines.values().next().value as Engine, sessionOptions as SessionOptions);
    this.engines = engines;
    this.shardChooser = options.shardChooser;
    this.identityChooser = options.identityChooser;
    this.queryChooser = options.queryChooser;
  }

  /** The shard ids, in the order given. */
  get shardIds(): string[] {
    return [...this.engines.keys()];
  }

  /** The engine of one shard. */
  shardEngine(shardId: string): Engine {
    return this.engines.get(this.checkShard(shardId, 'shardEngine()'))!;
  }

  // -- statements ---------------------------------------------------------------------

  /** Executes a statement on the shards the query chooser names (or on `shardId`), rows merged; entity rows load as identity-mapped instances of their shard. */
  override execute<S extends ClauseElement>(statement: S, params?: ExecuteParams | readonly ExecuteParams[], options?: ShardedExecuteOptions): Promise<Result<SessionRow<S>, SessionTuple<S>>> {
    let opts: SessionExecuteOptions;
    let shardId: string | undefined;
    try {
      ({ shardId, ...opts } = options ?? {});
      opts = checkExecuteOptions(opts);
      if (shardId !== undefined) this.checkShard(shardId, 'session.execute(..., { shardId })');
    } catch (e) {
      return Promise.reject(e);
    }
    const run = () => this.executeNow(statement, params, opts);
    return this.run('execute', shardId === undefined ? run : () => this.onShard(shardId, run)) as Promise<Result<SessionRow<S>, SessionTuple<S>>>;
  }

  /** The first column (or entity) of every row, from the shards the statement runs on. */
  override scalars<S extends ClauseElement>(statement: S, params?: ExecuteParams, options?: ShardedExecuteOptions): Promise<ScalarResult<FirstOf<SessionRow<S>, SessionTuple<S>>>> {
    return super.scalars(statement, params, options);
  }

  /** The first column of the first row (the first shard's, in chooser order), or null. */
  override scalar<S extends ClauseElement>(statement: S, params?: ExecuteParams, options?: ShardedExecuteOptions): Promise<FirstOf<SessionRow<S>, SessionTuple<S>> | null> {
    return super.scalar(statement, params, options);
  }

  /** The object with this primary key: from the identity map of a shard the identity chooser names (or `shardId`), else loaded from those shards in turn. */
  override async get<C extends AnyMappedClass>(cls: C, pk: PrimaryKeyValue, options?: ShardedExecuteOptions): Promise<InstanceType<C> | null> {
    const { shardId, ...rest } = options ?? {};
    const opts = checkExecuteOptions(rest);
    const mapper = mapperOf(cls);
    const values = normalisePk(mapper, pk);
    const shards = shardId !== undefined ? [this.checkShard(shardId, 'get(..., { shardId })')] : this.chosen(this.identityChooser?.(cls, values), 'identityChooser', `get(${mapper.name}, ${JSON.stringify(values)})`);
    if (!opts.populateExisting) {
      for (const shard of shards) {
        const hit = this.identityMap.on(shard).get(mapper, mapper.identityKeyOfPk(values));
        if (hit !== undefined && !hit.expired) return hit.markedForDelete || (hit.mapper !== mapper && !hit.mapper.isa(mapper)) ? null : (hit.obj as InstanceType<C>);
      }
    }
    return this.run('get', async () => {
      for (const shard of shards) {
        const obj = await this.onShard(shard, () => this.loadByKey(mapper, values, opts));
        if (obj !== null) return obj as InstanceType<C>;
      }
      return null;
    });
  }

  /** @internal a statement outside a shard-bound step: on the shards the query chooser names, rows merged. */
  protected override async executeNow(statement: ClauseElement, params: ExecuteParams | readonly ExecuteParams[] | undefined, opts: SessionExecuteOptions): Promise<Result<any>> {
    if (this.scope.shard !== undefined) return super.executeNow(statement, params, opts);
    const shards = this.chosen(this.queryChooser?.(statement), 'queryChooser', 'this statement');
    checkMultiShard(statement, shards);
    const results: Result<any>[] = [];
    for (const shard of shards) results.push(await this.onShard(shard, () => super.executeNow(statement, params, opts)));
    return mergeResults(results);
  }

  // -- objects --------------------------------------------------------------------------

  /** Reloads an object from its own shard. */
  override refresh(obj: object, attributes?: readonly string[]): Promise<void> {
    return this.pinNext(stateShard(stateOf(obj)), () => super.refresh(obj, attributes));
  }

  /** Merges onto the object of the same row on its shard (the object's own, else the one the shard chooser picks). */
  override merge<T extends object>(obj: T, options: { load?: boolean } = {}): Promise<T> {
    let shard: string;
    try {
      const st = stateOf(obj);
      shard = stateShard(st) ?? this.choose(st);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.pinNext(shard, () => super.merge(obj, options)).then((merged) => {
      const st = stateOf(merged);
      if (stateShard(st) === undefined) placeOnShard(st, shard);
      return merged;
    });
  }

  /** The connection of one shard, in the session's transaction on it. */
  override connection(options?: { shardId?: string }): Promise<Connection> {
    const shardId = options?.shardId;
    if (shardId === undefined) return Promise.reject(new InvalidRequestError(`ShardedSession.connection(): name the shard: connection({ shardId }) (shards: ${this.shardIds.join(', ')}).`));
    try {
      this.checkShard(shardId, 'connection({ shardId })');
    } catch (e) {
      return Promise.reject(e);
    }
    return this.run('connection', async () => ((await this.transactionConnection()) as unknown as ShardedConnections).shardConnection(shardId));
  }

  /** @internal a many-to-one's parent from the identity map of the child's shard. */
  override parentByForeignKey(st: InstanceState, rel: Relationship): object | undefined {
    const shard = stateShard(st);
    if (shard === undefined) return undefined;
    const before = this.scope.shard;
    this.scope.shard = shard;
    try {
      return super.parentByForeignKey(st, rel);
    } finally {
      this.scope.shard = before;
    }
  }

  /** @internal loads relationships (and deferred columns) of each object on its own shard. */
  override loadRelationships(objs: readonly object[], names: readonly string[]): Promise<void> {
    const groups = byShard(objs.map(stateOf));
    return Promise.all([...groups].map(([shard, states]) => this.pinNext(shard, () => super.loadRelationships(states.map((s) => s.obj), names)))).then(() => undefined);
  }

  // -- hooks of Session -----------------------------------------------------------------

  /** @internal */
  protected override openConnection(): Connection {
    return new ShardedConnections(this.engines, this.scope) as unknown as Connection;
  }

  /** @internal */
  protected override run<T>(op: string, fn: () => Promise<T>): Promise<T> {
    const pin = this.nextPin;
    this.nextPin = undefined;
    return super.run(op, pin === undefined ? fn : () => this.onShard(pin, fn));
  }

  /** @internal */
  protected override async loadRelated(states: readonly InstanceState[], rel: Relationship): Promise<void> {
    if (this.scope.shard !== undefined) return super.loadRelated(states, rel);
    for (const [shard, group] of byShard(states)) await this.onShard(shard, () => super.loadRelated(group, rel));
  }

  /** @internal places new objects, then flushes each shard's part of the changes on that shard. */
  protected override async flushNow(): Promise<void> {
    if (this.pending.size === 0 && this.modified.size === 0 && this.toDelete.size === 0) return;
    const parts = partitionByShard(this, this.shardIds, (st) => this.choose(st));
    for (const [shard, part] of parts) {
      const before = snapshot(part);
      this.flushScope = part;
      try {
        await this.onShard(shard, () => super.flushNow());
      } finally {
        this.flushScope = undefined;
      }
      applyPart(this, before, part);
    }
  }

  // -- internals ------------------------------------------------------------------------

  /** Runs one step with `shard` current (steps never overlap: session calls run one at a time). */
  private async onShard<T>(shard: string, fn: () => Promise<T>): Promise<T> {
    const before = this.scope.shard;
    this.scope.shard = shard;
    try {
      return await fn();
    } finally {
      this.scope.shard = before;
    }
  }

  /** Calls a Session method whose queued call then runs on `shard`. */
  private pinNext<T>(shard: string | undefined, call: () => Promise<T>): Promise<T> {
    this.nextPin = shard;
    try {
      return call();
    } finally {
      this.nextPin = undefined;
    }
  }

  private choose(st: InstanceState): string {
    const shard = this.shardChooser(st.mapper.cls as AnyMappedClass, st.obj);
    return this.checkShard(shard, `shardChooser(${st.mapper.name}, obj)`, 'returned');
  }

  private chosen(ids: readonly string[] | undefined, chooser: string, what: string): string[] {
    if (ids === undefined) return this.shardIds;
    if (!Array.isArray(ids) || ids.length === 0) {
      throw new InvalidRequestError(
        `${chooser} named no shard for ${what}: return the shards to search (every shard when it cannot narrow: session.shardIds), or pass { shardId } to run on one.`,
      );
    }
    // A shard named twice runs once: its rows are not doubled.
    return [...new Set(ids.map((id) => this.checkShard(id, chooser, 'returned')))];
  }

  private checkShard(id: unknown, where: string, verb = 'named'): string {
    if (typeof id === 'string' && this.engines.has(id)) return id;
    throw new InvalidRequestError(`${where} ${verb} the shard ${JSON.stringify(id)}, which is not one of this session's shards (${this.shardIds.join(', ')}); use one of those ids.`);
  }
}

function checkShards(options: ShardedSessionOptions): Map<string, Engine> {
  const where = 'new ShardedSession(options)';
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${where}: options must be an object with shards and shardChooser.`);
  const raw = options.shards instanceof Map ? [...options.shards] : Object.entries(options.shards ?? {});
  if (raw.length === 0) throw new ArgumentError(`${where}: 'shards' names no shard; give shard id → engine: { shards: { east: engineA, west: engineB } }.`);
  for (const [id, engine] of raw) {
    if (typeof engine?.connect !== 'function') throw new ArgumentError(`${where}: shard '${String(id)}' is not an Engine (createEngine(url)).`);
  }
  if (typeof options.shardChooser !== 'function') throw new ArgumentError(`${where}: 'shardChooser' (cls, obj) => shard id is required: it places each new object.`);
  for (const k of ['identityChooser', 'queryChooser'] as const) {
    if (options[k] !== undefined && typeof options[k] !== 'function') throw new ArgumentError(`${where}: '${k}' must be a function (or left out: every shard).`);
  }
  return new Map(raw as [string, Engine][]);
}

/** States grouped by their shard (in first-seen order); states with no shard are left out. */
function byShard(states: readonly InstanceState[]): Map<string, InstanceState[]> {
  const out = new Map<string, InstanceState[]>();
  for (const st of states) {
    const shard = stateShard(st);
    if (shard === undefined) continue;
    const list = out.get(shard);
    if (list) list.push(st);
    else out.set(shard, [st]);
  }
  return out;
}
