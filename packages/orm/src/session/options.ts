/** The Session's options, checked: an unknown or mistyped option is refused, not ignored. */
import { ArgumentError } from '@athanor/core';
import type { NPlusOneHandler } from './load-batcher';
import type { SessionBinds } from './binds';
import { type SessionReads, checkStatementUse } from './replica-reads';

/** Options of `new Session(engine, options)` and `sessionmaker()`: autoflush, expireOnCommit, binds, twoPhase, N+1 warnings. */
export interface SessionOptions {
  /** Flush pending changes before each query, so queries see them (default true). */
  autoflush?: boolean;
  /**
   * Expire every object when the transaction commits, so that the next read goes to the
   * database (default false). Athanor never loads implicitly, so an expired attribute
   * raises until the object is refreshed or queried again: the default keeps objects
   * readable after commit, as SQLAlchemy advises for its AsyncSession.
   */
  expireOnCommit?: boolean;
  /**
   * The N+1 detector: warn when one relationship is loaded for one object at a time
   * (`await obj.awaitableAttrs.posts` in a loop) three times in a row. `true` writes the
   * warning with `console.warn`; a function receives it instead (default false).
   */
  warnOnNPlusOne?: boolean | NPlusOneHandler;
  /**
   * Mapped classes or tables kept on other engines than the session's:
   * `new Map([[User, usersEngine], [AuditLog, logEngine]])`. Each statement runs on the engine
   * of its tables, each engine in its own transaction; commit commits them one by one.
   */
  binds?: SessionBinds;
  /**
   * With `binds`, on PostgreSQL: commit in two phases (`PREPARE TRANSACTION` on every engine,
   * then `COMMIT PREPARED`), so that either all engines commit or none (default false; the
   * servers need `max_prepared_transactions` above 0).
   */
  twoPhase?: boolean;
  /**
   * On an engine with read replicas, where the session's reads run: `'primary'` (default:
   * in the session's transaction, as without replicas), `'auto'` (on a replica until the
   * session begins its transaction on the primary, then there until it ends: it reads its
   * own writes), or `'replica'` (always on a replica). See replica-reads.ts for why.
   */
  reads?: SessionReads;
}

const NO_BINDS: SessionBinds = new Map();
const DEFAULTS: Required<SessionOptions> = { autoflush: true, expireOnCommit: false, warnOnNPlusOne: false, binds: NO_BINDS, twoPhase: false, reads: 'primary' };

export function checkSessionOptions(options: unknown, where = 'new Session(engine, options)'): Required<SessionOptions> {
  if (options === undefined) return DEFAULTS;
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${where}: options must be an object.`);
  const out = { ...DEFAULTS };
  for (const [k, v] of Object.entries(options)) {
    if (!(k in DEFAULTS)) throw new ArgumentError(`${where}: unknown option '${k}'; the options are ${Object.keys(DEFAULTS).join(', ')}.`);
    if (k === 'binds') {
      if (!(v instanceof Map)) throw new ArgumentError(`${where}: option 'binds' takes a Map of mapped classes or tables to engines; got ${typeof v}.`);
      out.binds = v as SessionBinds;
      continue;
    }
    if (k === 'reads') {
      if (v !== 'primary' && v !== 'auto' && v !== 'replica') throw new ArgumentError(`${where}: option 'reads' is 'primary', 'auto' or 'replica'; got ${JSON.stringify(v)}.`);
      out.reads = v;
      continue;
    }
    if (k === 'warnOnNPlusOne' && typeof v === 'function') {
      out.warnOnNPlusOne = v as NPlusOneHandler;
      continue;
    }
    if (typeof v !== 'boolean') throw new ArgumentError(`${where}: option '${k}' takes true or false${k === 'warnOnNPlusOne' ? ' or a function' : ''}; got ${typeof v}.`);
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Options of one execution (`session.execute(stmt, params, options)`). */
export interface SessionExecuteOptions {
  /** Overwrite objects already in the identity map with the row's values, discarding unflushed changes. */
  populateExisting?: boolean;
  /**
   * For UPDATE and DELETE with a WHERE clause: how the session's loaded objects learn what
   * the statement changed. 'evaluate' runs the WHERE on them in memory (an error when it
   * cannot), 'fetch' selects the matched keys first, 'auto' (default) evaluates or else
   * fetches, false leaves them as they are.
   */
  synchronizeSession?: 'auto' | 'evaluate' | 'fetch' | false;
  /**
   * On an engine with read replicas: run this read on the primary (in the session's
   * transaction, beginning it) or on a replica (outside the transaction, even after the
   * session wrote), whatever the session's `reads` says.
   */
  use?: 'primary' | 'replica';
}

export function checkExecuteOptions(options: unknown): SessionExecuteOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new ArgumentError('session.execute(): options must be an object.');
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k === 'shardId') throw new ArgumentError("session.execute(): option 'shardId' is for a ShardedSession (new ShardedSession({ shards, ... })); this session has one database.");
    if (k !== 'populateExisting' && k !== 'synchronizeSession' && k !== 'use') throw new ArgumentError(`session.execute(): unknown option '${k}'; the options are populateExisting, synchronizeSession, use.`);
  }
  checkStatementUse(o.use);
  if (o.synchronizeSession !== undefined && !['auto', 'evaluate', 'fetch', false].includes(o.synchronizeSession as never)) {
    throw new ArgumentError(`session.execute(): synchronizeSession is 'auto', 'evaluate', 'fetch' or false; got ${String(o.synchronizeSession)}.`);
  }
  return options as SessionExecuteOptions;
}
