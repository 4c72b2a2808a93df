/**
 * Through pgbouncer in transaction-pooling mode: the compliance suite's select, DML,
 * transaction and results groups. pgbouncer 1.18 (Debian 12) has no protocol-level prepared
 * statements (1.21+): the engine's `pooler: 'transaction'` option sends unnamed statements (and
 * would refuse any session SET the suite made); every statement outside a transaction may land
 * on another server connection.
 */
import { createEngine, text } from '@athanor/core';
import { runComplianceSuite } from '@athanor/testing';
import { BOUNCER_URL, bouncer } from './scale-out-servers';

if (bouncer.gate('compliance tests through pgbouncer')) {
  const url = BOUNCER_URL;
  const schema = `bouncer_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = (sql: string) => {
    const e = createEngine(url, { pooler: 'transaction' });
    return e.connect((c) => c.execute(text(sql))).finally(() => e.dispose());
  };
  runComplianceSuite({
    name: 'postgresql through pgbouncer (transaction pooling)',
    url,
    schema,
    engineOptions: { pooler: 'transaction' },
    groups: ['select', 'insert, update, delete', 'results', 'transactions'],
    setup: async () => void (await admin(`CREATE SCHEMA ${schema}`)),
    teardown: async () => void (await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
  });
}
