import { createEngine, text } from '@athanor/core';
import { runComplianceSuite } from '@athanor/testing';
import { URL, server } from './server';

if (!server.gate('PostgreSQL compliance tests')) {
  test.skip('PostgreSQL compliance (server unreachable)', () => undefined);
} else {
  const schema = `athanor_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = (sql: string) => {
    const e = createEngine(URL);
    return e.connect((c) => c.execute(text(sql))).finally(() => e.dispose());
  };
  runComplianceSuite({
    name: 'postgresql',
    url: URL,
    schema,
    setup: async () => void (await admin(`CREATE SCHEMA ${schema}`)),
    teardown: async () => void (await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
  });
}
