/**
 * Read replicas on a real MariaDB primary and its GTID replica (`scripts/scale-out/mariadb-replica.sh`):
 * where each statement ran is read from the answering server itself (`@@server_id` is 1 on
 * the primary, 2 on the replica). Reads outside a transaction land on the replica; writes,
 * transactions and the reads of a connection that wrote land on the primary; forcing either
 * side per statement and per connection; a replica that stops answering costs no failed
 * read; `maxReplicaLagMs` reads the replica's `Seconds_Behind_Master`.
 */
import { Column, type Engine, Integer, MetaData, Table, Text, createEngine, insert, select, text, update } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-mysql';
import { freePort, openEndpoint, until } from '@athanor/testing';
import { PRIMARY_URL, REPLICA_URL, primary, replica } from './replica-servers';

const metadata = new MetaData();
const notes = new Table(`replica_notes_${process.pid}_${Math.random().toString(36).slice(2, 6)}`, metadata, {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  body: Column(Text),
});
const serverId = text('SELECT @@server_id AS id');
const PRIMARY_ID = 1;
const REPLICA_ID = 2;

const engines: Engine[] = [];
function engine(options: Parameters<typeof createEngine>[1] = {}): Engine {
  const e = createEngine(PRIMARY_URL, { replicas: [REPLICA_URL], ...options });
  engines.push(e);
  return e;
}
/** Which server answered: the statement forced to a replica, or routed as the engine routes a read. */
const answeredBy = (e: Engine) => e.connect(async (c) => Number((await c.execute(serverId, undefined, { use: 'replica' })).one().id));
const bodyOf = (id: number) => select(notes.c.body).where(notes.c.id.eq(id));

if (primary.gate('MariaDB read replica tests') && replica.gate('MariaDB read replica tests')) {
  describe('read replicas: MariaDB primary and GTID replica', () => {
    let onReplica: Engine;
    beforeAll(async () => {
      onReplica = createEngine(REPLICA_URL);
      const admin = createEngine(PRIMARY_URL);
      await metadata.createAll(admin);
      await admin.dispose();
      // The replica has the table once it applied the CREATE TABLE.
      await until(async () => (await onReplica.connect((c) => c.execute(select(notes.c.id)).then(() => true, () => false))) === true, 'the replica to have the table');
    });
    afterEach(async () => {
      for (const e of engines.splice(0)) await e.dispose();
    });
    afterAll(async () => {
      const admin = createEngine(PRIMARY_URL);
      await metadata.dropAll(admin);
      await admin.dispose();
      await onReplica.dispose();
    });

    test('the servers are the pair: the replica replicates from the primary with GTID', async () => {
      expect(await onReplica.connect(async (c) => Number((await c.execute(serverId)).one().id))).toBe(REPLICA_ID);
      const status = await onReplica.connect((c) => c.execDriverSQL('SHOW SLAVE STATUS'));
      expect(status.rows).toHaveLength(1);
      expect(await onReplica.connect((c) => athanorDialect.replicationLagMs!(c.driverConnection))).not.toBeUndefined();
    });

    test('reads outside a transaction land on the replica; writes and transactions on the primary', async () => {
      const e = engine();
      expect(await e.connect((c) => c.scalar(select(notes.c.id).where(notes.c.id.eq(-1))))).toBeNull();
      // The replica's connection pool served that read.
      expect(e.replicas[0].pool.size).toBe(1);
      await e.begin(async (c) => {
        expect(Number((await c.execute(serverId)).one().id)).toBe(PRIMARY_ID);
        await c.execute(insert(notes).values({ id: 1, body: 'written on the primary' }));
      });
      // The write replicates: a routed read answers with it, from the replica.
      await until(async () => (await e.connect((c) => c.scalar(bodyOf(1)))) === 'written on the primary', 'the row to reach the replica');
      expect(await answeredBy(e)).toBe(REPLICA_ID);
      expect(e.pool.checkedOut + e.replicas[0].pool.checkedOut).toBe(0);
    });

    test('read-your-writes: after a connection writes, its reads stay on the primary and see the write at once', async () => {
      const e = engine();
      // Replication stopped: only the primary can have the row this connection writes.
      await onReplica.connect((c) => c.execDriverSQL('STOP SLAVE SQL_THREAD'));
      try {
        await e.connect(async (c) => {
          expect(await c.scalar(bodyOf(2))).toBeNull();
          await c.execute(insert(notes).values({ id: 2, body: 'mine' }));
          expect(await c.scalar(bodyOf(2))).toBe('mine');
          expect(Number((await c.execute(serverId)).one().id)).toBe(PRIMARY_ID);
        });
        // A new connection reads from the replica again, which has not applied the row.
        expect(await e.connect((c) => c.scalar(bodyOf(2)))).toBeNull();
      } finally {
        await onReplica.connect((c) => c.execDriverSQL('START SLAVE SQL_THREAD'));
      }
      await until(async () => (await e.connect((c) => c.scalar(bodyOf(2)))) === 'mine', 'the replica to apply the row');
    });

    test('forcing: per statement ({ use }) and per connection (connect(fn, { use }))', async () => {
      const e = engine();
      await e.connect(async (c) => {
        // Raw SQL goes to the primary unless told.
        expect(Number((await c.execute(serverId)).one().id)).toBe(PRIMARY_ID);
        expect(Number((await c.execute(serverId, undefined, { use: 'replica' })).one().id)).toBe(REPLICA_ID);
      });
      expect(await e.connect(async (c) => Number((await c.execute(serverId)).one().id), { use: 'replica' })).toBe(REPLICA_ID);
      expect(await e.connect(async (c) => Number((await c.execute(serverId, undefined, { use: 'primary' })).one().id))).toBe(PRIMARY_ID);
      const pinned = engine();
      expect(await pinned.connect((c) => c.scalar(bodyOf(1)), { use: 'primary' })).toBe('written on the primary');
      expect([pinned.pool.size, pinned.replicas[0].pool.size]).toEqual([1, 0]);
    });

    test('a replica that stops answering costs no failed read; it is used again once back', async () => {
      const endpoint = await openEndpoint(REPLICA_URL);
      const e = engine({ replicas: [endpoint.url], replicaRetryMs: 0 });
      expect(await answeredBy(e)).toBe(REPLICA_ID);
      await endpoint.shut();
      for (let i = 0; i < 5; i++) expect(await answeredBy(e)).toBe(PRIMARY_ID);
      await endpoint.open();
      expect(await answeredBy(e)).toBe(REPLICA_ID);
      // A replica that never answers, first in the list: every read lands on the one that does.
      const e2 = engine({ replicas: [`mysql://root@127.0.0.1:${await freePort()}/test`, endpoint.url] });
      for (let i = 0; i < 4; i++) expect(await answeredBy(e2)).toBe(REPLICA_ID);
      await endpoint.shut();
      expect(e.pool.checkedOut + e2.pool.checkedOut + e2.replicas[1].pool.checkedOut).toBe(0);
    });

    test('maxReplicaLagMs: a replica whose Seconds_Behind_Master passes the bound is skipped; caught up, it is used', async () => {
      const writer = createEngine(PRIMARY_URL);
      engines.push(writer);
      await writer.connect((c) => c.execute(insert(notes).values({ id: 4, body: 'before' })));
      await until(async () => (await onReplica.connect((c) => c.scalar(bodyOf(4)))) === 'before', 'the replica to apply row 4');
      // The replica holds a lock on row 4, so its SQL thread waits applying an UPDATE the
      // primary logged with a timestamp an hour old: Seconds_Behind_Master is about 3600.
      await onReplica.begin(async (lock) => {
        await lock.execute(bodyOf(4).forUpdate());
        await writer.connect(async (c) => {
          await c.execDriverSQL('SET TIMESTAMP = UNIX_TIMESTAMP() - 3600');
          await c.execute(update(notes).values({ body: 'an hour late' }).where(notes.c.id.eq(4)));
        });
        const lag = () => onReplica.connect((c) => athanorDialect.replicationLagMs!(c.driverConnection));
        await until(async () => ((await lag()) ?? 0) > 60_000, 'the replica to report an hour of lag');
        expect(await answeredBy(engine({ maxReplicaLagMs: 60_000 }))).toBe(PRIMARY_ID);
        // Routed there by the bound, the read sees the primary's row.
        expect(await engine({ maxReplicaLagMs: 60_000 }).connect((c) => c.scalar(bodyOf(4)))).toBe('an hour late');
        expect(await answeredBy(engine({ maxReplicaLagMs: 7_200_000 }))).toBe(REPLICA_ID);
      });
      // Lock released: the replica applies the UPDATE and is caught up.
      await until(async () => (await onReplica.connect((c) => c.scalar(bodyOf(4)))) === 'an hour late', 'the replica to apply the update');
      await until(async () => (await onReplica.connect((c) => athanorDialect.replicationLagMs!(c.driverConnection))) === 0, 'the replica to report no lag');
      expect(await answeredBy(engine({ maxReplicaLagMs: 60_000 }))).toBe(REPLICA_ID);
      // Replication stopped: the lag is unknown (NULL), and the replica is skipped whatever the bound.
      await onReplica.connect((c) => c.execDriverSQL('STOP SLAVE SQL_THREAD'));
      try {
        expect(await answeredBy(engine({ maxReplicaLagMs: 7_200_000 }))).toBe(PRIMARY_ID);
      } finally {
        await onReplica.connect((c) => c.execDriverSQL('START SLAVE SQL_THREAD'));
      }
    });
  });
}
