/**
 * `pooler: 'transaction'` on MySQL/MariaDB (ProxySQL-style multiplexing): SET LOCAL is a
 * session SET there, so it is refused like any session SET; statements and transactions run.
 */
import { SessionStateError, createEngine, text } from '@athanor/core';
import { URL, server } from './server';

if (server.gate('MariaDB pooler-option tests')) {
  test('session SETs, SET LOCAL included, are refused inside and outside a transaction; the rest runs', async () => {
    const engine = createEngine(URL, { pooler: 'transaction' });
    try {
      await engine.connect(async (c) => {
        await expect(c.execute(text('SET @tenant = 7'))).rejects.toThrow(SessionStateError);
        await expect(c.execDriverSQL('SET SESSION sql_mode = ""')).rejects.toThrow(/SET sets session state/);
      });
      const inTx = await engine.begin(async (c) => {
        await expect(c.execute(text('SET LOCAL max_join_size = 1000'))).rejects.toThrow(/SET LOCAL on MySQL\/MariaDB is SET SESSION/);
        return c.scalar(text('SELECT @@session.max_join_size = @@global.max_join_size AS untouched'));
      });
      expect(Number(inTx)).toBe(1);
      expect(Number(await engine.connect((c) => c.scalar(text('SELECT @tenant IS NULL'))))).toBe(1);
    } finally {
      await engine.dispose();
    }
  });
}
