/** Engine and pool events, echo levels and the slow-statement log, and the retry helper. */
import {
  type EchoRecord,
  type EngineEvents,
  SerializationError,
  UniqueViolation,
  createEngine,
  delete_,
  text,
  insert,
  select,
  update,
} from '@athanor/core';
import { expect } from '../runner';
import { caught } from '../caught';
import type { SuiteContext } from '../context';
import { USERS } from '../fixtures';

export function eventTests(ctx: SuiteContext): void {
  const { users, kv } = ctx.t;

  ctx.test('statement events: beforeExecute, afterExecute with duration and row count, handleError with the typed error', async () => {
    await ctx.reload();
    const engine = ctx.engine;
    const offs: (() => void)[] = [];
    try {
      const seen: string[] = [];
      const after: EngineEvents['afterExecute'][] = [];
      const errors: EngineEvents['handleError'][] = [];
      offs.push(engine.on('beforeExecute', (e) => seen.push(`before ${e.sql.slice(0, 6)}`)));
      offs.push(
        engine.on('afterExecute', (e) => {
          seen.push(`after ${e.sql.slice(0, 6)}`);
          after.push(e);
        }),
      );
      const off = engine.on('handleError', (e) => errors.push(e));
      const rows = await engine.connect((c) => c.execute(select(users.c.id).orderBy(users.c.id)));
      expect(rows.all().length).toBe(USERS.length);
      await engine.begin((c) => c.execute(update(users).values({ age: 1 }).where(users.c.id.le(2))));
      const failure = await caught(engine.begin((c) => c.execute(insert(users).values({ id: 1, name: 'dup', age: 1 }))));
      expect(failure).toBeInstanceOf(UniqueViolation);
      const select_ = after.find((e) => /^SELECT/i.test(e.sql))!;
      expect(select_.rowCount).toBe(USERS.length);
      expect(select_.durationMs).toBeGreaterThanOrEqual(0);
      expect(select_.connectionId).toBeGreaterThan(0);
      expect(after.find((e) => /^UPDATE/i.test(e.sql))!.rowCount).toBe(2);
      expect(seen.slice(0, 2)).toEqual(['before SELECT', 'after SELECT']);
      expect(errors.length).toBe(1);
      expect(errors[0].error).toBe(failure);
      expect(errors[0].sql).toMatch(/^INSERT/i);
      off();
      await caught(engine.begin((c) => c.execute(insert(users).values({ id: 1, name: 'dup', age: 1 }))));
      expect(errors.length).toBe(1);
    } finally {
      for (const off of offs) off();
      await ctx.reload();
    }
  });

  ctx.test('pool events: connect, checkout and checkin in order, each naming its connection', async () => {
    const engine = createEngine(ctx.url, { ...ctx.engineOptions, poolSize: 1, maxOverflow: 0 });
    try {
      const log: string[] = [];
      for (const name of ['connect', 'checkout', 'checkin', 'invalidate'] as const) engine.on(name, (e) => log.push(`${name} #${e.connectionId}`));
      await engine.connect((c) => c.scalar(text('SELECT 1 AS one')));
      await engine.connect((c) => c.scalar(text('SELECT 1 AS one')));
      expect(log).toEqual(['connect #1', 'checkout #1', 'checkin #1', 'checkout #1', 'checkin #1']);
    } finally {
      await engine.dispose();
    }
  });

  ctx.test("echo: records carry the SQL, parameters, row count and connection; 'debug' adds pool lines; slowStatementMs logs slow statements", async () => {
    const records: EchoRecord[] = [];
    const engine = createEngine(ctx.url, { ...ctx.engineOptions, poolSize: 1, maxOverflow: 0, echo: { level: 'debug', log: (_line, r) => records.push(r) }, slowStatementMs: 0 });
    try {
      await engine.connect((c) => c.execute(text('SELECT :n AS n').bindparams({ n: 2 })));
      const statement = records.find((r) => r.level === 'info')!;
      expect(statement.sql).toMatch(/^SELECT/i);
      expect(statement.params).toEqual([2]);
      expect(statement.rowCount).toBe(1);
      expect(statement.message).toMatch(/ -- \[2\] \[\d+\.\d\d ms\]$/);
      expect(records.filter((r) => r.level === 'debug').map((r) => r.message)).toEqual(['connect', 'checkout', 'checkin']);
      // Every statement takes at least 0 ms: each is reported as slow.
      expect(records.filter((r) => r.level === 'warn').length).toBe(1);
    } finally {
      await engine.dispose();
    }
    const quiet: EchoRecord[] = [];
    const fast = createEngine(ctx.url, { ...ctx.engineOptions, echo: (_l, r) => quiet.push(r), slowStatementMs: 1e9 });
    try {
      await fast.connect((c) => c.execute(text('SELECT 1 AS one')));
      expect(quiet.map((r) => r.level)).toEqual(['info']);
    } finally {
      await fast.dispose();
    }
  });

  ctx.test('sqlComment: tags ride on each statement as a sqlcommenter comment; a call adds its own', async () => {
    const lines: string[] = [];
    const engine = createEngine(ctx.url, { ...ctx.engineOptions, echo: (line) => lines.push(line), sqlComment: () => ({ app: 'athanor tests' }) });
    try {
      expect(Number(await engine.connect((c) => c.scalar(text('SELECT :n AS n').bindparams({ n: 7 }), undefined, { comment: { route: '/x' } })))).toBe(7);
      expect(Number(await engine.connect((c) => c.scalar(text('SELECT :n AS n').bindparams({ n: 8 }))))).toBe(8);
      expect(lines[0]).toMatch(/ \/\*app='athanor%20tests',route='%2Fx'\*\/ -- \[7\]/);
      expect(lines[1]).toMatch(/ \/\*app='athanor%20tests'\*\/ -- \[8\]/);
    } finally {
      await engine.dispose();
    }
  });

  ctx.test('transaction() runs the whole callback again after a retryable failure, and not after another', async () => {
    await ctx.engine.connect((c) => c.execute(delete_(kv)));
    let attempts = 0;
    const retried: number[] = [];
    const result = await ctx.engine.transaction(
      async (c) => {
        attempts++;
        await c.execute(insert(kv).values({ k: 'retry', v: attempts }));
        // The first attempt fails the way a serialization conflict does, after its insert.
        if (attempts === 1) throw new SerializationError('could not serialize access (first attempt)');
        return attempts;
      },
      { retries: 2, backoff: () => 0, onRetry: (_e, n) => retried.push(n) },
    );
    expect(result).toBe(2);
    expect(retried).toEqual([1]);
    // The first attempt's insert was rolled back with it: one row, from the second attempt.
    expect(await ctx.engine.connect((c) => c.execute(select(kv.c.v).where(kv.c.k.eq('retry'))).then((r) => r.scalars().all()))).toEqual([2]);
    let runs = 0;
    const unique = await caught(
      ctx.engine.transaction(async (c) => {
        runs++;
        await c.execute(insert(kv).values({ k: 'retry', v: 9 }));
      }),
    );
    expect(unique).toBeInstanceOf(UniqueViolation);
    expect(unique.retryable).toBe(false);
    expect(runs).toBe(1);
    let always = 0;
    const exhausted = await caught(
      ctx.engine.transaction(
        async () => {
          always++;
          throw new SerializationError('conflict every time');
        },
        { retries: 3, backoff: { initialMs: 1, maxMs: 2 } },
      ),
    );
    expect(exhausted).toBeInstanceOf(SerializationError);
    expect(always).toBe(4);
    expect(ctx.engine.pool.checkedOut).toBe(0);
  });
}
