/**
 * The engine under faults on MariaDB/MySQL: the shared fault suite, with the test user as an
 * account of its own (so its sessions can be listed and its logins refused) in its own database.
 */
import { createEngine } from '@athanor/core';
import { runFaultSuite } from '@athanor/testing';
import { URL, server } from './server';

const name = `athanor_f_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
const u = new globalThis.URL(URL);
u.username = name;
u.password = '';
u.pathname = `/${name}`;

if (server.gate('MariaDB/MySQL fault tests')) {
  runFaultSuite({
    name: 'mysql',
    adminUrl: URL,
    url: u.toString(),
    async setup(admin) {
      await admin.execDriverSQL(`CREATE DATABASE \`${name}\``);
      await admin.execDriverSQL(`CREATE USER '${name}'@'%'`);
      await admin.execDriverSQL(`GRANT ALL ON \`${name}\`.* TO '${name}'@'%'`);
    },
    async teardown(admin) {
      await admin.execDriverSQL(`DROP USER '${name}'@'%'`);
      await admin.execDriverSQL(`DROP DATABASE \`${name}\``);
    },
    sessionIdSQL: 'SELECT CONNECTION_ID()',
    async sessions(admin) {
      const { rows } = await admin.execDriverSQL('SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? ORDER BY ID', [name]);
      return rows.map((r) => Number(r[0]));
    },
    async running(admin, id) {
      const { rows } = await admin.execDriverSQL("SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ? AND COMMAND IN ('Query', 'Execute')", [id]);
      return rows.length && rows[0][0] !== null ? String(rows[0][0]) : null;
    },
    async kill(admin, id) {
      await admin.execDriverSQL(`KILL ${Number(id)}`).catch((e: { errno?: number }) => {
        // 1094: no such thread (it ended already).
        if (e?.errno !== 1094 && (e as { cause?: { errno?: number } })?.cause?.errno !== 1094) throw e;
      });
    },
    sleepSQL: (seconds) => `SELECT SLEEP(${seconds})`,
    async setLogin(admin, allowed) {
      await admin.execDriverSQL(`ALTER USER '${name}'@'%' ACCOUNT ${allowed ? 'UNLOCK' : 'LOCK'}`);
    },
    // No deferred triggers here: a global read lock taken by another session once the row is
    // written makes COMMIT wait ("Waiting for backup lock") until the lock is released.
    stallCommit: {
      async afterWrite() {
        const locker = createEngine(URL, { poolSize: 1, maxOverflow: 0 });
        let release!: () => void;
        const released = new Promise<void>((r) => {
          release = r;
        });
        let locked!: () => void;
        const isLocked = new Promise<void>((r) => {
          locked = r;
        });
        const holding = locker.connect(async (c) => {
          await c.execDriverSQL('FLUSH TABLES WITH READ LOCK');
          locked();
          await released;
          await c.execDriverSQL('UNLOCK TABLES');
        });
        await Promise.race([isLocked, holding]);
        return async () => {
          release();
          await holding;
          await locker.dispose();
        };
      },
    },
  });
}
