/**
 * A three-node MariaDB Galera cluster (`scripts/scale-out/galera.sh`, SQL ports 33061-33063):
 * a row written on node 1 is read on node 2 after commit (with `wsrep_sync_wait` for a causal
 * read); two nodes updating one row: the loser's certification failure is a retryable
 * DeadlockError; concurrent conflicting writers on the three nodes under
 * `engine.transaction(fn, { retries })` lose no update; a table without a primary key is
 * refused by the cluster, and the error says so.
 */
import { Column, DeadlockError, type Engine, Integer, MetaData, ProgrammingError, Table, Text, createEngine, insert, select, update } from '@athanor/core';
import { liveServer } from '@athanor/testing';

const base = Number(process.env.ATHANOR_GALERA_BASE_PORT ?? 33060);
const urls = [1, 2, 3].map((n) => `mysql://root@127.0.0.1:${base + n}/test`);
const nodes = urls.map((url, i) => liveServer(`Galera node ${i + 1}`, url, 'ATHANOR_GALERA_BASE_PORT; start it with `bash scripts/scale-out/galera.sh`'));

const metadata = new MetaData();
const name = `galera_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
const counters = new Table(name, metadata, { id: Column(Integer, { primaryKey: true, autoincrement: false }), v: Column(Integer, { nullable: false }), note: Column(Text) });

if (nodes.every((n) => n.gate('Galera cluster tests'))) {
  describe('MariaDB Galera cluster of three nodes', () => {
    let engines: Engine[];
    beforeAll(async () => {
      engines = urls.map((url) => createEngine(url, { poolSize: 4 }));
      await metadata.createAll(engines[0]);
    });
    afterAll(async () => {
      await metadata.dropAll(engines[0]);
      for (const e of engines) await e.dispose();
    });

    test('a row written on node 1 is read on node 2 after commit (causal read with wsrep_sync_wait)', async () => {
      await engines[0].begin((c) => c.execute(insert(counters).values({ id: 1, v: 0, note: 'from node 1' })));
      const note = await engines[1].connect(async (c) => {
        await c.execDriverSQL('SET SESSION wsrep_sync_wait = 1');
        return c.scalar(select(counters.c.note).where(counters.c.id.eq(1)));
      });
      expect(note).toBe('from node 1');
    });

    test('two nodes update one row: the second to commit fails certification with a retryable DeadlockError', async () => {
      await engines[0].begin((c) => c.execute(insert(counters).values({ id: 2, v: 0 })));
      const a = await engines[0].connect();
      const b = await engines[1].connect();
      try {
        await a.begin();
        await b.begin();
        await a.execute(update(counters).values({ v: 10 }).where(counters.c.id.eq(2)));
        await b.execute(update(counters).values({ v: 20 }).where(counters.c.id.eq(2)));
        await a.commit();
        const err = await b.commit().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DeadlockError);
        expect((err as DeadlockError).retryable).toBe(true);
      } finally {
        await a.close();
        await b.close();
      }
      const v = await engines[2].connect(async (c) => {
        await c.execDriverSQL('SET SESSION wsrep_sync_wait = 1');
        return c.scalar(select(counters.c.v).where(counters.c.id.eq(2)));
      });
      expect(v).toBe(10);
    });

    test('conflicting writers on the three nodes under engine.transaction(fn, { retries }) lose no update', async () => {
      await engines[0].begin((c) => c.execute(insert(counters).values({ id: 3, v: 0 })));
      const WORKERS = 6;
      const EACH = 10;
      let retried = 0;
      const worker = async (engine: Engine) => {
        for (let i = 0; i < EACH; i++) {
          await engine.transaction(
            async (c) => {
              const v = Number(await c.scalar(select(counters.c.v).where(counters.c.id.eq(3)).forUpdate()));
              await c.execute(update(counters).values({ v: v + 1 }).where(counters.c.id.eq(3)));
            },
            { retries: 50, backoff: { initialMs: 1, maxMs: 20 }, onRetry: () => void retried++ },
          );
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(engines[w % 3])));
      const v = await engines[1].connect(async (c) => {
        await c.execDriverSQL('SET SESSION wsrep_sync_wait = 1');
        return c.scalar(select(counters.c.v).where(counters.c.id.eq(3)));
      });
      expect(v).toBe(WORKERS * EACH);
      for (const e of engines) expect(e.pool.checkedOut).toBe(0);
      // The writers did conflict (and were retried): otherwise this proved nothing.
      expect(retried).toBeGreaterThan(0);
    });

    test('a table without a primary key is refused by the cluster, and the error says so', async () => {
      const m = new MetaData();
      new Table(`${name}_nopk`, m, { v: Column(Integer) });
      const err = await m.createAll(engines[0]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProgrammingError);
      expect((err as Error).message).toMatch(/without a primary key/);
      expect((err as Error).message).toMatch(/Give the table a primary key/);
    });
  });
}
