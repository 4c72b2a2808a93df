/**
 * A bounded load test: sixteen workers on a pool of five run read-modify-write transactions
 * (`SELECT ... FOR UPDATE`, then plain reads under SERIALIZABLE) through
 * `engine.transaction()` while a killer ends random backends of the test user. Bounded by
 * count (each worker runs a fixed number of operations; kills follow completed operations),
 * never by time. Every counter must equal the operations that committed on it (an operation
 * whose COMMIT outcome is unknown may or may not count), nothing stays checked out, and the
 * server has no session the pool does not know of.
 */
import { Column, CommitOutcomeUnknownError, type Connection, Integer, MetaData, Table, insert, select, update } from '@athanor/core';
import { expect, test } from '../runner';
import type { FaultContext } from './suite';

const WORKERS = 16;
const OPS_PER_WORKER = 20;
const COUNTERS = 4;
const KILL_EVERY = 25;

export function loadTests(ctx: FaultContext): void {
  const { server } = ctx;
  const metadata = new MetaData();
  const counters = new Table('fault_counters', metadata, { id: Column(Integer, { primaryKey: true, autoincrement: false }), n: Column(Integer, { nullable: false }) });

  ctx.tables(metadata);

  for (const mode of ['FOR UPDATE', 'SERIALIZABLE'] as const) {
    test(`${WORKERS} workers, pool of 5, read-modify-write with ${mode} and retries, backends killed at random`, async () => {
      const engine = ctx.engine({ poolSize: 5, maxOverflow: 0, poolTimeout: 60_000 });
      await engine.begin(async (c) => {
        await c.execute(counters.delete());
        await c.execute(insert(counters), Array.from({ length: COUNTERS }, (_, id) => ({ id, n: 0 })));
      });
      const committed = new Array<number>(COUNTERS).fill(0);
      const unknown = new Array<number>(COUNTERS).fill(0);
      let done = 0;
      let kills = 0;
      let retries = 0;
      let killing: Promise<void> = Promise.resolve();
      const killOne = () =>
        ctx.admin(async (a) => {
          const sessions = await server.sessions(a);
          if (sessions.length === 0) return;
          await server.kill(a, sessions[Math.floor(Math.random() * sessions.length)]);
          kills++;
        });
      const increment = async (c: Connection, id: number) => {
        const read = mode === 'FOR UPDATE' ? select(counters.c.n).where(counters.c.id.eq(id)).forUpdate() : select(counters.c.n).where(counters.c.id.eq(id));
        const n = Number(await c.scalar(read));
        await c.execute(update(counters).values({ n: n + 1 }).where(counters.c.id.eq(id)));
      };
      const started = performance.now();
      await Promise.all(
        Array.from({ length: WORKERS }, async (_, w) => {
          for (let i = 0; i < OPS_PER_WORKER; i++) {
            const id = (w + i) % COUNTERS;
            try {
              await engine.transaction((c) => increment(c, id), {
                retries: 50,
                backoff: { initialMs: 2, maxMs: 50 },
                isolationLevel: mode === 'SERIALIZABLE' ? 'SERIALIZABLE' : undefined,
                onRetry: () => void retries++,
              });
              committed[id]++;
            } catch (e) {
              if (!(e instanceof CommitOutcomeUnknownError)) throw e;
              unknown[id]++;
            }
            if (++done % KILL_EVERY === 0) killing = killing.then(killOne);
          }
        }),
      );
      await killing;
      const seconds = (performance.now() - started) / 1000;
      const final = await engine.connect(async (c) => (await c.execute(select(counters.c.id, counters.c.n).orderBy(counters.c.id))).all().map((r) => Number(r.n)));
      for (let id = 0; id < COUNTERS; id++) {
        expect(final[id]).toBeGreaterThanOrEqual(committed[id]);
        expect(final[id]).toBeLessThanOrEqual(committed[id] + unknown[id]);
      }
      expect(committed.reduce((a, b) => a + b, 0) + unknown.reduce((a, b) => a + b, 0)).toBe(WORKERS * OPS_PER_WORKER);
      expect(kills).toBeGreaterThan(0);
      console.log(
        `[athanor faults] ${server.name} ${mode}: ${WORKERS * OPS_PER_WORKER} operations in ${seconds.toFixed(2)} s (${((WORKERS * OPS_PER_WORKER) / seconds).toFixed(0)} ops/s), ${kills} backends killed, ${retries} retries, ${unknown.reduce((a, b) => a + b, 0)} commit outcomes unknown`,
      );
      await ctx.expectClean(engine);
    }, 120_000);
  }
}
