/**
 * Timing: every contender of a workload runs once to warm up, then in several rounds with
 * the contenders interleaved (the starting contender rotates each round), so slow drift of
 * the machine (thermal, GC, other processes) hits everyone alike and ratios stay fair.
 */
import { performance } from 'node:perf_hooks';

export type Op = () => unknown;

export interface Contender {
  name: string;
  /** Untimed work before every sample (emptying a table for inserts). */
  before?: () => unknown;
  /** One sample: runs the workload once (it may loop `opsPerSample` times inside). */
  run: Op;
  /** Untimed work after every sample (closing the session a sample left open). */
  after?: () => unknown;
}

export interface Stat {
  name: string;
  /** Per operation, in microseconds. */
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export interface MeasureOptions {
  rounds: number;
  warmup: number;
  /** Operations one `run()` performs; times are divided by it. */
  opsPerSample: number;
  /**
   * `wall` (default) for work that waits on a database; `cpu` (this process's user + system
   * time) for pure computation such as compiling, so that other processes on the machine
   * do not inflate a sample.
   */
  clock?: 'wall' | 'cpu';
  /**
   * Collect garbage before every sample (default), so no contender pays for another's
   * garbage. Pure computation opts out: a forced full collection also shrinks the young
   * generation, and the allocation-heavy contender then pays for regrowing it in its sample.
   */
  collectBetweenSamples?: boolean;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const gc = (globalThis as { gc?: () => void }).gc;

/** Promises and thenables (Knex builders run only when awaited). */
const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof (v as { then?: unknown } | null)?.then === 'function';

async function settle(v: unknown): Promise<void> {
  // Synchronous drivers return plain values: awaiting only what is a promise keeps them sync.
  if (isThenable(v)) await v;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function measure(contenders: readonly Contender[], opts: MeasureOptions): Promise<Stat[]> {
  const samples = contenders.map(() => [] as number[]);
  // Once per workload: none pays for the garbage an earlier workload or suite left behind.
  gc?.();
  for (let w = 0; w < opts.warmup; w++) {
    for (const c of contenders) {
      await settle(c.before?.());
      try {
        await settle(c.run());
      } finally {
        await settle(c.after?.());
      }
    }
  }
  for (let r = 0; r < opts.rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length;
      const c = contenders[i];
      await settle(c.before?.());
      if (opts.collectBetweenSamples !== false) gc?.();
      const now = opts.clock === 'cpu' ? cpuNow : () => performance.now();
      const t0 = now();
      try {
        await settle(c.run());
        samples[i].push(((now() - t0) * 1000) / opts.opsPerSample);
      } finally {
        // A failed sample still closes what `before` opened (a session holding the only connection).
        await settle(c.after?.());
      }
    }
  }
  return contenders.map((c, i) => ({
    name: c.name,
    median: median(samples[i]),
    min: Math.min(...samples[i]),
    max: Math.max(...samples[i]),
    samples: samples[i],
  }));
}

/** Runs `op` n times with arguments from `arg(i)`, awaiting only when a promise comes back. */
export function loop(n: number, op: (i: number) => unknown): Op {
  return () => {
    for (let i = 0; i < n; i++) {
      const v = op(i);
      if (isThenable(v)) return finishAsync(v, i + 1, n, op);
    }
    return undefined;
  };
}

async function finishAsync(
  first: PromiseLike<unknown>,
  from: number,
  n: number,
  op: (i: number) => unknown,
): Promise<void> {
  await first;
  for (let i = from; i < n; i++) {
    const v = op(i);
    if (isThenable(v)) await v;
  }
}
