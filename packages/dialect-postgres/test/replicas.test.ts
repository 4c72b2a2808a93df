/**
 * Read replicas on a real PostgreSQL primary and its streaming-replication hot standby:
 * where each statement ran is read from the answering server itself (`pg_is_in_recovery()`
 * is true only on the standby). Reads outside a transaction land on the replica; writes,
 * transactions and the reads of a connection that wrote land on the primary; forcing either
 * side per statement and per connection; a replica that stops answering (its endpoint shut)
 * costs no failed read and is used again once back; a replica too far behind is skipped.
 */
import { ArgumentError, Column, type Connection, type Engine, Integer, MetaData, Table, Text, createEngine, func, insert, select, text } from '@athanor/core';
import { freePort, openEndpoint, until } from '@athanor/testing';
import { PRIMARY_URL, STANDBY_URL, primary, standby } from './scale-out-servers';

const schema = `replicas_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
const metadata = new MetaData({ schema });
const notes = new Table('notes', metadata, { id: Column(Integer, { primaryKey: true, autoincrement: false }), body: Column(Text) });
const onStandby = select(func.pg_is_in_recovery());

const engines: Engine[] = [];
function engine(options: Parameters<typeof createEngine>[1] = {}): Engine {
  const e = createEngine(PRIMARY_URL, { replicas: [STANDBY_URL], ...options });
  engines.push(e);
  return e;
}

if (primary.gate('read replica tests') && standby.gate('read replica tests')) {
  describe('read replicas: PostgreSQL primary and hot standby', () => {
    beforeAll(async () => {
      const admin = createEngine(PRIMARY_URL);
      await admin.connect((c) => c.execute(text(`CREATE SCHEMA ${schema}`)));
      await metadata.createAll(admin);
      await admin.dispose();
      // The standby has the schema once it replayed it.
      const replica = createEngine(STANDBY_URL);
      await until(async () => (await replica.connect((c) => c.scalar(select(func.count()).selectFrom(notes)).catch(() => null))) === 0, 'the standby to have the table');
      await replica.dispose();
    });
    afterEach(async () => {
      for (const e of engines.splice(0)) await e.dispose();
    });
    afterAll(async () => {
      const admin = createEngine(PRIMARY_URL);
      await admin.connect((c) => c.execute(text(`DROP SCHEMA ${schema} CASCADE`)));
      await admin.dispose();
    });

    test('reads outside a transaction land on the replica; writes and transactions on the primary', async () => {
      const e = engine();
      expect(await e.connect((c) => c.scalar(onStandby))).toBe(true);
      await e.begin(async (c) => {
        expect(await c.scalar(onStandby)).toBe(false);
        await c.execute(insert(notes).values({ id: 1, body: 'written on the primary' }));
      });
      // The write replicates: the replica answers with it.
      await until(async () => (await e.connect((c) => c.scalar(select(notes.c.body).where(notes.c.id.eq(1))))) === 'written on the primary', 'the row to reach the standby');
      expect(await e.connect((c) => c.scalar(onStandby))).toBe(true);
      expect(e.replicas).toHaveLength(1);
      expect(e.replicas[0].pool.checkedOut).toBe(0);
    });

    test('read-your-writes: after a connection writes, its reads stay on the primary and see the write at once', async () => {
      const e = engine();
      await e.connect(async (c) => {
        expect(await c.scalar(onStandby)).toBe(true);
        await c.execute(insert(notes).values({ id: 2, body: 'mine' }));
        expect(await c.scalar(onStandby)).toBe(false);
        expect(await c.scalar(select(notes.c.body).where(notes.c.id.eq(2)))).toBe('mine');
      });
      // A new connection reads from the replica again.
      expect(await e.connect((c) => c.scalar(onStandby))).toBe(true);
    });

    test('forcing: per statement ({ use }), per connection (connect(fn, { use })); a replica inside a transaction is refused', async () => {
      const e = engine();
      await e.connect(async (c) => {
        expect(await c.scalar(onStandby, undefined, { use: 'primary' })).toBe(false);
        expect(await c.scalar(onStandby)).toBe(true);
        // Raw SQL goes to the primary unless told.
        expect((await c.execute(text('SELECT pg_is_in_recovery() AS r'))).one().r).toBe(false);
      });
      await e.connect(async (c) => expect((await c.execute(text('SELECT pg_is_in_recovery() AS r'), undefined, { use: 'replica' })).one().r).toBe(true));
      expect(await e.connect((c) => c.scalar(onStandby), { use: 'primary' })).toBe(false);
      expect(await e.connect((c: Connection) => c.scalar(text('SELECT pg_is_in_recovery()')), { use: 'replica' })).toBe(true);
      const err = await e.begin((c) => c.scalar(onStandby, undefined, { use: 'replica' })).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(ArgumentError);
      expect((err as Error).message).toMatch(/inside a transaction/);
      const plain = createEngine(PRIMARY_URL);
      engines.push(plain);
      expect(await plain.connect((c) => c.scalar(onStandby, undefined, { use: 'replica' })).catch((x: unknown) => x)).toBeInstanceOf(ArgumentError);
      expect(() => createEngine(PRIMARY_URL, { maxReplicaLagMs: 10 })).toThrow(/no replicas are given/);
    });

    test('round robin over two replicas, a policy of your own, or a preferred replica', async () => {
      const endpoint = await openEndpoint(STANDBY_URL);
      try {
        const e = engine({ replicas: [STANDBY_URL, endpoint.url] });
        for (let i = 0; i < 4; i++) expect(await e.connect((c) => c.scalar(onStandby))).toBe(true);
        expect(e.replicas.map((r) => r.pool.size)).toEqual([1, 1]);
        const seen: number[] = [];
        const second = (candidates: readonly Engine[]) => {
          seen.push(candidates.length);
          return candidates[1];
        };
        const chosen = engine({ replicas: [STANDBY_URL, endpoint.url], replicaPolicy: second });
        for (let i = 0; i < 3; i++) expect(await chosen.connect((c) => c.scalar(onStandby))).toBe(true);
        expect(seen).toEqual([2, 2, 2]);
        expect(chosen.replicas.map((r) => r.pool.size)).toEqual([0, 1]);
        // prefer: that replica first, whatever the policy would pick.
        const preferring = engine({ replicas: [STANDBY_URL, endpoint.url] });
        for (let i = 0; i < 3; i++) expect(await preferring.connect((c) => c.scalar(onStandby), { use: 'replica', prefer: preferring.replicas[1] })).toBe(true);
        expect(preferring.replicas.map((r) => r.pool.size)).toEqual([0, 1]);
        await expect(preferring.connect((c) => c.scalar(onStandby), { use: 'replica', prefer: chosen.replicas[1] })).rejects.toThrow(/not one of this engine's replicas/);
        await expect(preferring.connect((c) => c.scalar(onStandby), { prefer: preferring.replicas[1] })).rejects.toThrow(/goes with use: 'replica'/);
        // A preferred replica that cannot answer is skipped like any other.
        await endpoint.shut();
        expect(await preferring.connect((c) => c.scalar(onStandby), { use: 'replica', prefer: preferring.replicas[1] })).toBe(true);
        expect(preferring.replicas[0].pool.size).toBe(1);
      } finally {
        await endpoint.shut();
      }
    });

    test('a replica that stops answering costs no failed read; it is used again once back and its retry time has passed', async () => {
      const endpoint = await openEndpoint(STANDBY_URL);
      const e = engine({ replicas: [endpoint.url], replicaRetryMs: 0 });
      const read = () => e.connect((c) => c.scalar(onStandby));
      expect(await read()).toBe(true);
      const before = endpoint.connections;
      // Shut: its pooled connection dies and new ones are refused. Every read still answers, from the primary.
      await endpoint.shut();
      for (let i = 0; i < 5; i++) expect(await read()).toBe(false);
      // Back: the next read tries it again (replicaRetryMs: 0) and lands there.
      await endpoint.open();
      expect(await read()).toBe(true);
      expect(endpoint.connections).toBeGreaterThan(before);
      // A replica that never answers, first in the list: every read lands on the one that does.
      const dead = `postgresql://postgres@127.0.0.1:${await freePort()}/test`;
      const e2 = engine({ replicas: [dead, endpoint.url] });
      for (let i = 0; i < 4; i++) expect(await e2.connect((c) => c.scalar(onStandby))).toBe(true);
      await endpoint.shut();
      expect(e.pool.checkedOut + e2.pool.checkedOut + e2.replicas[0].pool.checkedOut + e2.replicas[1].pool.checkedOut).toBe(0);
    });

    test('maxReplicaLagMs: a replica whose replay is paused behind the primary is skipped; caught up, it is used', async () => {
      const caughtUp = engine({ maxReplicaLagMs: 0 });
      const replica = createEngine(STANDBY_URL);
      engines.push(replica);
      // The earlier tests' writes may still be replaying: with a bound of 0 ms, wait until the standby has replayed all it received.
      await until(
        async () => (await replica.connect((c) => c.scalar(text('SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()')))) === true,
        'the standby to replay the WAL it received',
      );
      expect(await caughtUp.connect((c) => c.scalar(onStandby))).toBe(true);
      await replica.connect((c) => c.execute(text('SELECT pg_wal_replay_pause()')));
      try {
        await caughtUp.begin((c) => c.execute(insert(notes).values({ id: 3, body: 'not replayed yet' })));
        // The standby received the change but does not replay it: it is behind.
        await until(
          async () => (await replica.connect((c) => c.scalar(text('SELECT pg_last_wal_receive_lsn() <> pg_last_wal_replay_lsn()')))) === true,
          'the standby to receive WAL it does not replay',
        );
        const strict = engine({ maxReplicaLagMs: 0 });
        expect(await strict.connect((c) => c.scalar(onStandby))).toBe(false);
        expect(await strict.connect((c) => c.scalar(select(notes.c.body).where(notes.c.id.eq(3))))).toBe('not replayed yet');
        const lenient = engine({ maxReplicaLagMs: 3_600_000 });
        expect(await lenient.connect((c) => c.scalar(onStandby))).toBe(true);
      } finally {
        await replica.connect((c) => c.execute(text('SELECT pg_wal_replay_resume()')));
      }
    });
  });
}
