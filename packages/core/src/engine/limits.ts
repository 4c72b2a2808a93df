/**
 * Cancellation and timeouts of statements: an `AbortSignal` and a `timeout` per execute, per
 * transaction (a deadline for all of its statements) and as an engine default. When one
 * fires while a statement runs, the driver asks the server to cancel it (PostgreSQL's
 * pg_cancel_backend, MariaDB/MySQL's KILL QUERY) and the caller gets `QueryCanceledError`
 * saying why; the connection stays usable (inside a transaction, the transaction must be
 * rolled back). A driver that cannot cancel (SQLite runs each statement synchronously) is
 * checked before the statement is sent. Nothing here runs when no limit is set.
 */
import type { DriverConnection } from '../dialect/driver';
import { QueryCanceledError } from '../errors';
import type { SqlCommentTags } from './sql-comment';

/** Per-call options: `execute(stmt, params, { signal, timeout, comment })`. */
export interface ExecuteOptions {
  /** Cancels the statement (on the server) when aborted. */
  signal?: AbortSignal;
  /** Cancels the statement after this many milliseconds. */
  timeout?: number;
  /** Tags appended to the SQL as a comment (sqlcommenter format), over the engine's `sqlComment` tags. */
  comment?: SqlCommentTags;
  /** On an engine with `replicas`: run this statement on the primary, or on a replica (outside a transaction), whatever it is. */
  use?: 'primary' | 'replica';
}

/** The limits in force for one statement: its own, its transaction's and the engine's. */
export interface Limits {
  signal?: AbortSignal;
  timeout?: number;
  /** `performance.now()` by which the transaction must be done (its `timeout`). */
  deadline?: number;
}

/** A statement's own options over the connection's limits (both signals count; the sooner time wins). */
export function mergeLimits(own: ExecuteOptions, outer: Limits | undefined): Limits | undefined {
  if (own.signal === undefined && own.timeout === undefined) return outer;
  if (outer === undefined) return own;
  const signal = own.signal && outer.signal ? AbortSignal.any([own.signal, outer.signal]) : (own.signal ?? outer.signal);
  return { signal, timeout: own.timeout ?? outer.timeout, deadline: outer.deadline };
}

/** Milliseconds left for a statement under `limits` (undefined: no time limit). */
function timeLeft(limits: Limits): number | undefined {
  const fromDeadline = limits.deadline === undefined ? undefined : Math.max(0, limits.deadline - performance.now());
  if (limits.timeout === undefined) return fromDeadline;
  return fromDeadline === undefined ? limits.timeout : Math.min(limits.timeout, fromDeadline);
}

function describeReason(reason: 'signal' | 'timeout', limits: Limits): string {
  if (reason === 'signal') return 'its AbortSignal was aborted';
  const ms = limits.timeout !== undefined && (limits.deadline === undefined || limits.timeout <= (limits.deadline ?? 0)) ? limits.timeout : undefined;
  return ms !== undefined ? `its timeout of ${ms} ms passed` : "its transaction's timeout passed";
}

/** The error for a statement stopped by Athanor (`cause`: what the driver raised, if it ran). */
export function canceledError(reason: 'signal' | 'timeout', limits: Limits, context: { sql?: string; params?: unknown; cause?: unknown; sent: boolean; inTransaction: boolean }): QueryCanceledError {
  const what = context.sent ? 'was canceled on the server' : 'was not sent';
  const after = context.inTransaction ? ' The transaction must be rolled back.' : '';
  return new QueryCanceledError(`The statement ${what}: ${describeReason(reason, limits)}.${after}`, {
    reason,
    cause: context.cause ?? (reason === 'signal' ? limits.signal?.reason : undefined),
    sql: context.sql,
    params: context.params,
    code: (context.cause as { code?: string } | undefined)?.code,
  });
}

/** Whether `limits` already forbid sending a statement: 'signal' or 'timeout', else undefined. */
export function expired(limits: Limits): 'signal' | 'timeout' | undefined {
  if (limits.signal?.aborted) return 'signal';
  if (limits.deadline !== undefined && performance.now() >= limits.deadline) return 'timeout';
  return undefined;
}

/**
 * Runs `call` (one driver round trip) under `limits`: when the signal aborts or the time
 * passes, asks the driver to cancel on the server; if it cannot, `onUncancelable` closes
 * the connection so the call fails instead of running on. The outcome says whether a
 * cancel fired; a cancel request is complete before this returns, so it cannot hit the
 * connection's next statement.
 */
export async function underLimits<T>(
  conn: DriverConnection,
  limits: Limits,
  call: () => Promise<T>,
  onUncancelable: () => void,
): Promise<{ value: T; fired: undefined } | { error: unknown; fired: 'signal' | 'timeout' | undefined }> {
  let fired: 'signal' | 'timeout' | undefined;
  let request: Promise<void> | undefined;
  const fire = (why: 'signal' | 'timeout') => {
    if (fired !== undefined) return;
    fired = why;
    request = conn.cancel
      ? conn.cancel().catch(() => onUncancelable())
      : Promise.resolve(onUncancelable());
  };
  const onAbort = () => fire('signal');
  const left = timeLeft(limits);
  const timer = left === undefined ? undefined : setTimeout(() => fire('timeout'), left);
  limits.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return { value: await call(), fired: undefined };
  } catch (error) {
    return { error, fired };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    limits.signal?.removeEventListener('abort', onAbort);
    if (request !== undefined) await request;
  }
}
