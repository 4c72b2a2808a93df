/**
 * The engine under faults on PostgreSQL: the shared fault suite, with the test user as a
 * role of its own (so its sessions can be listed and its logins refused) in its own schema.
 */
import { text } from '@athanor/core';
import { runFaultSuite } from '@athanor/testing';
import { URL, server } from './server';

const role = `athanor_f_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
const u = new globalThis.URL(URL);
u.username = role;
u.password = '';

if (server.gate('PostgreSQL fault tests')) {
  runFaultSuite({
    name: 'postgresql',
    adminUrl: URL,
    url: u.toString(),
    engineOptions: { driverOptions: { options: `-c search_path=${role}` } },
    async setup(admin) {
      await admin.execDriverSQL(`CREATE ROLE ${role} LOGIN`);
      await admin.execDriverSQL(`CREATE SCHEMA ${role} AUTHORIZATION ${role}`);
    },
    async teardown(admin) {
      await admin.execDriverSQL(`DROP SCHEMA ${role} CASCADE`);
      await admin.execDriverSQL(`DROP ROLE ${role}`);
    },
    sessionIdSQL: 'SELECT pg_backend_pid()',
    async sessions(admin) {
      const { rows } = await admin.execDriverSQL('SELECT pid FROM pg_stat_activity WHERE usename = $1 ORDER BY pid', [role]);
      return rows.map((r) => Number(r[0]));
    },
    async running(admin, id) {
      const { rows } = await admin.execDriverSQL("SELECT query FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", [id]);
      return rows.length ? String(rows[0][0]) : null;
    },
    async kill(admin, id) {
      await admin.execDriverSQL('SELECT pg_terminate_backend($1)', [id]);
    },
    sleepSQL: (seconds) => `SELECT pg_sleep(${seconds})`,
    async setLogin(admin, allowed) {
      await admin.execDriverSQL(`ALTER ROLE ${role} ${allowed ? 'LOGIN' : 'NOLOGIN'}`);
    },
    // A deferred constraint trigger runs at COMMIT: it sleeps, so COMMIT stays in flight.
    stallCommit: {
      async prepare(conn, table) {
        await conn.execute(text(`CREATE OR REPLACE FUNCTION fault_sleep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(60); RETURN NULL; END $$`));
        await conn.execute(
          text(`CREATE CONSTRAINT TRIGGER fault_slow_commit AFTER INSERT ON ${table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fault_sleep()`),
        );
        return async (c) => {
          await c.execDriverSQL(`DROP TRIGGER IF EXISTS fault_slow_commit ON ${table}`);
        };
      },
    },
  });
}
