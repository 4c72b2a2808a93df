/**
 * Re-running a whole transaction after a retryable failure (`error.retryable`: serialization
 * failures, deadlocks, lock timeouts, lost connections). The callback runs again from the
 * start in a new transaction on a fresh checkout: never half of it. Waits between attempts
 * grow exponentially with full jitter, so contending workers spread out.
 */
import { AthanorError } from '../errors';

/** Exponential backoff with jitter between retries of `engine.retry()`: first and largest wait, growth factor. */
export interface Backoff {
  /** First wait's upper bound in milliseconds (default 10). */
  initialMs?: number;
  /** Largest wait in milliseconds (default 1000). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
}

/** Options of `engine.retry()`: how many retries, the backoff between them, and a callback told of each retry before it waits. */
export interface RetryOptions {
  /** How many times to run the callback again after a retryable failure (default 3). */
  retries?: number;
  /** Waits between attempts: the exponential settings, or a function of the attempt number (1 for the first retry). */
  backoff?: Backoff | ((attempt: number) => number);
  /** Called before each retry with the error that caused it and the attempt number. */
  onRetry?(error: AthanorError, attempt: number): void;
}

/** Whether `error` may succeed if the whole transaction runs again. */
export function isRetryable(error: unknown): error is AthanorError {
  return error instanceof AthanorError && error.retryable;
}

/** Milliseconds to wait before retry number `attempt` (1-based). */
export function backoffDelay(backoff: RetryOptions['backoff'], attempt: number): number {
  if (typeof backoff === 'function') return Math.max(0, backoff(attempt));
  const initial = backoff?.initialMs ?? 10;
  const max = backoff?.maxMs ?? 1000;
  const factor = backoff?.factor ?? 2;
  return Math.random() * Math.min(max, initial * factor ** (attempt - 1));
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or runs out of retries (or `signal` aborts). */
export async function withRetries<T>(run: () => Promise<T>, options: RetryOptions, signal: AbortSignal | undefined): Promise<T> {
  const retries = options.retries ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt > retries || !isRetryable(e) || signal?.aborted) throw e;
      options.onRetry?.(e, attempt);
      const ms = backoffDelay(options.backoff, attempt);
      if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    }
  }
}
