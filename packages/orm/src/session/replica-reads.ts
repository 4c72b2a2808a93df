/**
 * Where a session's reads run on an engine with read replicas. The session's transaction is
 * always the primary's; a read may instead run outside it, on a replica, as one statement
 * (`engine.connect(fn, { use: 'replica' })`: a replica that is down or too far behind is
 * skipped, and the primary answers when none can).
 *
 * - `reads: 'primary'` (default): every read runs in the session's transaction, as without
 *   replicas. A session is a unit of work whose reads feed its writes: read from a replica
 *   that lags, an object could be flushed with values computed from an older row, and one
 *   identity map would hold rows of two moments. Reading from a replica is a choice per
 *   session or per statement.
 * - `reads: 'auto'`: reads run on a replica until the session begins a transaction on the
 *   primary (its first flush or DML statement, `begin()`, `beginNested()`, `connection()`,
 *   `merge()`, or a read forced to the primary); from then on every read runs on the
 *   primary, so the session reads its own writes. After a commit too, until `close()`: the
 *   replicas may not have replayed the commit yet. A rollback leaves nothing written, and
 *   the reads go back to the replicas.
 * - `reads: 'replica'`: reads always run on a replica, even after the session wrote (it may
 *   then not see its own writes until they are replayed).
 *
 * Per statement, `{ use: 'primary' | 'replica' }` (Core's spelling) overrides the session's
 * choice. Statements that are not plain reads (DML, `FOR UPDATE`, raw SQL) run in the
 * transaction unless a statement says `use: 'replica'`, as Core routes them.
 */
import { ArgumentError, type ClauseElement, type Connection, type Engine, type ExecuteOptions, type ExecuteParams, onlyReads } from '@athanor/core';

/** Where a session's reads run: `'primary'` (its transaction), `'auto'` (a replica until it begins its transaction), `'replica'`. */
export type SessionReads = 'primary' | 'auto' | 'replica';

/** Where one statement runs, over the session's choice (Core's `ExecuteOptions.use`). */
export type StatementUse = 'primary' | 'replica' | undefined;

/** Runs each statement outside any transaction on a replica of `engine`, as the session's transaction connection would run it. */
class ReplicaReader {
  /**
   * The replica that answered the last read, tried first by the next: with replicas at
   * different points of replay, the session's reads never go back in time (monotonic reads)
   * while that replica is up and within `maxReplicaLagMs`.
   */
  private last: Engine | undefined;

  constructor(private readonly engine: Engine) {}

  execute(statement: ClauseElement, params?: ExecuteParams, options?: ExecuteOptions) {
    return this.read((c) => c.execute(statement, params, options));
  }
  executeWithContext(statement: ClauseElement, params: ExecuteParams | undefined, context: unknown, options?: ExecuteOptions) {
    return this.read((c) => c.executeWithContext(statement, params, context, options));
  }
  firstWithContext(statement: ClauseElement, params: ExecuteParams | undefined, context: unknown, options?: ExecuteOptions) {
    return this.read((c) => c.firstWithContext(statement, params, context, options));
  }

  private read<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    return this.engine.connect(
      (conn) => {
        // The primary answers when no replica can: nothing to stick to then.
        if (conn.engine !== this.engine) this.last = conn.engine;
        return fn(conn);
      },
      { use: 'replica', prefer: this.last },
    );
  }
}

export class ReadRouting {
  /** Typed as the Connection the ORM's loaders take: it implements the reads they call. */
  private readonly reader: Connection | undefined;
  /** `reads: 'auto'`: the session began a transaction on the primary (and did not roll it back) since it was closed. */
  private onPrimary = false;

  constructor(
    private readonly engine: Engine,
    readonly reads: SessionReads,
    private readonly hasBinds: boolean,
  ) {
    if (hasBinds) {
      if (reads !== 'primary') {
        throw new ArgumentError(`new Session(engine, { reads: '${reads}' }): reads from replicas are not supported with binds or twoPhase (each bound engine would route on its own); leave reads out.`);
      }
      return;
    }
    if (reads === 'replica' && engine.replicas.length === 0) throw noReplicas(`new Session(engine, { reads: 'replica' })`, engine);
    if (engine.replicas.length > 0) this.reader = new ReplicaReader(engine) as unknown as Connection;
  }

  /** The session began its transaction (on the primary). */
  began(): void {
    this.onPrimary = true;
  }

  /** The session rolled back or closed: with nothing of its own left to read, `'auto'` reads from replicas again. */
  reset(): void {
    this.onPrimary = false;
  }

  /** The replica reader when `statement` (undefined: a SELECT the ORM builds) reads from a replica, else undefined: it runs in the session's transaction. */
  readerFor(statement: ClauseElement | undefined, use: StatementUse): Connection | undefined {
    if (use === 'replica') {
      if (this.reader === undefined) throw noReplicas(`session.execute(..., { use: 'replica' })`, this.engine, this.hasBinds);
      return this.reader;
    }
    if (use === 'primary' || this.reader === undefined) return undefined;
    if (statement !== undefined && !onlyReads(statement)) return undefined;
    return this.reads === 'replica' || (this.reads === 'auto' && !this.onPrimary) ? this.reader : undefined;
  }
}

function noReplicas(where: string, engine: Engine, hasBinds = false): ArgumentError {
  if (hasBinds) return new ArgumentError(`${where}: reads from replicas are not supported with binds or twoPhase; leave use out.`);
  return new ArgumentError(`${where}: the engine ${engine.url.display} has no replicas; give them with createEngine(url, { replicas: [url, ...] }), or leave the option out.`);
}

/** `use` of session.execute()/get() options, checked. */
export function checkStatementUse(use: unknown): StatementUse {
  if (use === undefined || use === 'primary' || use === 'replica') return use;
  throw new ArgumentError(`session.execute(): use is 'primary' or 'replica'; got ${JSON.stringify(use)}.`);
}
