/**
 * The replication-lag reading of MariaDB/MySQL (`SHOW SLAVE STATUS`), on the test server,
 * which replicates from nothing: its lag is 0, so with `maxReplicaLagMs` a read given it as
 * a replica is answered there. A real replica's lag is tested in replicas.test.ts.
 */
import { createEngine, select, literal, Integer } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-mysql';
import { URL, server } from './server';

if (server.gate('MariaDB/MySQL replication lag test')) {
  test('a server that is no replica reports 0 ms of lag; reads given it as a replica with maxReplicaLagMs land there', async () => {
    const plain = createEngine(URL);
    try {
      expect(await plain.connect((c) => athanorDialect.replicationLagMs!(c.driverConnection))).toBe(0);
    } finally {
      await plain.dispose();
    }
    const engine = createEngine(URL, { replicas: [URL], maxReplicaLagMs: 0 });
    try {
      expect(await engine.connect((c) => c.scalar(select(literal(7, Integer).label('n'))))).toBe(7);
      expect(engine.replicas[0].pool.size).toBe(1);
      expect(engine.pool.checkedOut + engine.replicas[0].pool.checkedOut).toBe(0);
    } finally {
      await engine.dispose();
    }
  });
}
