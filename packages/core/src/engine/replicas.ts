/**
 * Read replicas behind one engine: statements that only read, run outside a transaction on
 * a connection that has not written, go to a replica chosen by the policy (round robin by
 * default); everything else goes to the primary. A replica that cannot be reached (connect
 * failure, lost connection) is skipped for `replicaRetryMs` and then tried again; one
 * further behind than `maxReplicaLagMs` is skipped for that read. When no replica can
 * answer, the primary does: a down replica never fails a read.
 */
import { ArgumentError, DisconnectError, OperationalError } from '../errors';
import type { ClauseElement } from '../sql/element';
import type { Connection } from './connection';
import type { Engine } from './engine';

/** Where statements run: `'primary'`, `'replica'`, or `'auto'` (reads outside a transaction to a replica). */
export type Routing = 'auto' | 'primary' | 'replica';

/** Picks the replica for a read among those up: `'roundRobin'` (default), `'random'`, or your own choice. */
export type ReplicaPolicy = 'roundRobin' | 'random' | ((candidates: readonly Engine[]) => Engine);

/** Engine options for read replicas: their URLs, how a read picks one, and what happens when one is down or behind. */
export interface ReplicaOptions {
  /** URLs of read replicas (hot standbys, read-only copies) of the primary the engine's URL names. */
  replicas?: readonly string[];
  /** How a read picks its replica (default `'roundRobin'`). */
  replicaPolicy?: ReplicaPolicy;
  /** Milliseconds a replica found unreachable is skipped before it is tried again (default 5000). */
  replicaRetryMs?: number;
  /** A replica replaying the primary's changes more than this many milliseconds late is skipped (checked at most once a second per replica). */
  maxReplicaLagMs?: number;
}

/** Whether a statement only reads: a SELECT without FOR UPDATE/SHARE, or a UNION/INTERSECT/EXCEPT of them. */
export function onlyReads(statement: ClauseElement): boolean {
  const s = statement as { kind?: string; forUpdateOptions?: unknown };
  return (s.kind === 'select' && s.forUpdateOptions === undefined) || s.kind === 'compoundSelect';
}

const LAG_CHECK_MS = 1000;

/** A replica that is further behind than allowed: skipped for this read, not marked down. */
class TooFarBehind extends Error {}

interface ReplicaState {
  readonly engine: Engine;
  /** `Date.now()` before which the replica is skipped (it was unreachable). */
  downUntil: number;
  lagMs: number | undefined;
  lagCheckedAt: number;
}

export class ReplicaSet {
  private readonly states: ReplicaState[];
  private next = 0;
  private readonly policy: ReplicaPolicy;
  private readonly retryMs: number;
  private readonly maxLagMs: number | undefined;

  constructor(
    private readonly primary: Engine,
    urls: readonly string[],
    options: ReplicaOptions,
    makeEngine: (url: string) => Engine,
  ) {
    const { replicaPolicy = 'roundRobin', replicaRetryMs = 5000, maxReplicaLagMs } = options;
    if (typeof replicaPolicy !== 'function' && replicaPolicy !== 'roundRobin' && replicaPolicy !== 'random') {
      throw new ArgumentError(`replicaPolicy must be 'roundRobin', 'random' or a function choosing among the replicas; got ${JSON.stringify(replicaPolicy)}.`);
    }
    for (const [name, v] of [['replicaRetryMs', replicaRetryMs], ['maxReplicaLagMs', maxReplicaLagMs]] as const) {
      if (v !== undefined && !(typeof v === 'number' && v >= 0)) throw new ArgumentError(`${name} must be a number of milliseconds (0 or more); got ${String(v)}.`);
    }
    this.states = urls.map((url) => {
      if (typeof url !== 'string') throw new ArgumentError(`replicas must be a list of URLs; got ${typeof url}.`);
      const engine = makeEngine(url);
      if (engine.url.dialect !== primary.url.dialect) {
        throw new ArgumentError(`The replica ${engine.url.display} is a ${engine.url.dialect} URL, and the primary ${primary.url.display} a ${primary.url.dialect} one: replicas use the primary's dialect.`);
      }
      return { engine, downUntil: 0, lagMs: undefined, lagCheckedAt: -Infinity };
    });
    if (maxReplicaLagMs !== undefined && primary.plugin.replicationLagMs === undefined) {
      throw new ArgumentError(`maxReplicaLagMs: the '${primary.plugin.name}' dialect cannot measure replication lag; leave the option out.`);
    }
    this.policy = replicaPolicy;
    this.retryMs = replicaRetryMs;
    this.maxLagMs = maxReplicaLagMs;
  }

  /** The replicas' engines, in the order given. */
  get engines(): readonly Engine[] {
    return this.states.map((s) => s.engine);
  }

  /**
   * Runs `fn` on a connection of a replica that is up (and not too far behind), trying the
   * others when one cannot be reached, and on the primary when none can answer. `prefer`
   * (one of the replicas' engines) is tried first, before the policy chooses.
   */
  async run<T>(fn: (conn: Connection) => Promise<T>, prefer?: Engine): Promise<T> {
    const tried = new Set<ReplicaState>();
    const preferred = prefer === undefined ? undefined : this.states.find((s) => s.engine === prefer);
    if (prefer !== undefined && preferred === undefined) throw new ArgumentError("connect(fn, { use: 'replica', prefer }): prefer is not one of this engine's replicas; pass one of engine.replicas.");
    for (;;) {
      const state = preferred !== undefined && !tried.has(preferred) && preferred.downUntil <= Date.now() ? preferred : this.choose(tried);
      if (state === undefined) return this.primary.connect(fn, { use: 'primary' });
      tried.add(state);
      let connected = false;
      try {
        return await state.engine.connect(async (conn) => {
          connected = true;
          if (this.maxLagMs !== undefined) await this.checkLag(state, conn);
          return fn(conn);
        });
      } catch (e) {
        if (e instanceof TooFarBehind) continue;
        // Unreachable (its connection could not be opened) or lost during the read: skip it
        // for a while; a read outside a transaction can run again elsewhere.
        if ((!connected && e instanceof OperationalError) || e instanceof DisconnectError) {
          state.downUntil = Date.now() + this.retryMs;
          continue;
        }
        throw e;
      }
    }
  }

  async dispose(): Promise<void> {
    await Promise.all(this.states.map((s) => s.engine.dispose()));
  }

  /** A replica to try next among those up and not tried yet, by the policy; undefined when none is left. */
  private choose(tried: ReadonlySet<ReplicaState>): ReplicaState | undefined {
    const now = Date.now();
    const up = this.states.filter((s) => !tried.has(s) && s.downUntil <= now);
    if (up.length === 0) return undefined;
    const policy = this.policy;
    if (policy === 'random') return up[Math.floor(Math.random() * up.length)];
    if (policy === 'roundRobin') {
      for (let i = 0; i < this.states.length; i++) {
        const s = this.states[(this.next + i) % this.states.length];
        if (up.includes(s)) {
          this.next = (this.states.indexOf(s) + 1) % this.states.length;
          return s;
        }
      }
      return undefined;
    }
    const chosen = policy(up.map((s) => s.engine));
    const state = up.find((s) => s.engine === chosen);
    if (state === undefined) throw new ArgumentError('replicaPolicy returned an engine that is not among the candidates it was given; return one of them.');
    return state;
  }

  private async checkLag(state: ReplicaState, conn: Connection): Promise<void> {
    const now = Date.now();
    if (now - state.lagCheckedAt >= LAG_CHECK_MS) {
      state.lagMs = await this.primary.plugin.replicationLagMs!(conn.driverConnection);
      state.lagCheckedAt = now;
    }
    // Unknown lag (replication stopped) counts as too far behind.
    if (state.lagMs === undefined || state.lagMs > this.maxLagMs!) throw new TooFarBehind();
  }
}
