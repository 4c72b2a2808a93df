import type { Connection, Engine } from '@athanor/core';

/** What `transactionFailingFirst` saw: the attempts made, the errors retried on, and the error it ended with (none when it committed). */
export interface RetryProbe {
  attempts: number;
  retriedOn: unknown[];
  error: unknown;
}

/**
 * Runs `engine.transaction()` with a callback that does `work(conn, attempt)` and then, on
 * its first `failures` attempts, `fail(conn)` (a statement the server answers with the error
 * under test). Whether the retry helper ran it again, and how often, is the answer: for
 * checking a dialect's retryable classification against errors raised by a live server.
 */
export async function transactionFailingFirst(
  engine: Engine,
  options: { failures: number; retries: number; work?: (conn: Connection, attempt: number) => Promise<unknown>; fail: (conn: Connection) => Promise<unknown> },
): Promise<RetryProbe> {
  const probe: RetryProbe = { attempts: 0, retriedOn: [], error: undefined };
  try {
    await engine.transaction(
      async (conn) => {
        const attempt = ++probe.attempts;
        await options.work?.(conn, attempt);
        if (attempt <= options.failures) await options.fail(conn);
      },
      { retries: options.retries, backoff: () => 0, onRetry: (e) => void probe.retriedOn.push(e) },
    );
  } catch (e) {
    probe.error = e;
  }
  return probe;
}
