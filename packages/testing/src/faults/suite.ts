/**
 * `runFaultSuite(server)`: the engine under faults on a live server. Sessions are killed
 * from the server side (idle, mid-transaction, during COMMIT, during a large stream),
 * statements canceled by signal and by timeout, the pool exhausted with waiters, logins
 * refused during pre-ping and recycle. After each fault: nothing stays checked out, the
 * server has no session the pool does not know of, and the next request succeeds.
 */
import { type Connection, type Engine, type EngineOptions, type MetaData, createEngine, text } from '@athanor/core';
import { afterAll, afterEach, beforeAll, describe, expect } from '../runner';
import { cancelTests } from './cancel';
import { killTests } from './kills';
import { loadTests } from './load';
import { poolFaultTests } from './pool';
import { type FaultServer, until } from './server';

export interface FaultContext {
  server: FaultServer;
  /** An engine as the test user (disposed after the test by `track`). */
  engine(options?: EngineOptions): Engine;
  /** Runs `fn` on the admin connection. */
  admin<T>(fn: (admin: Connection) => Promise<T>): Promise<T>;
  /** The session id of a connection. */
  sessionId(conn: Connection): Promise<number>;
  /**
   * The state after a fault is clean: nothing checked out, the server's sessions of the test
   * user are exactly the pool's connections, and a request succeeds.
   */
  expectClean(engine: Engine, ...others: Engine[]): Promise<void>;
  /** Creates `metadata`'s tables before the describe block's tests and drops them after. */
  tables(metadata: MetaData): void;
}

export { type FaultServer, until } from './server';

export function runFaultSuite(server: FaultServer): void {
  let adminEngine: Engine;
  const engines: Engine[] = [];
  const ctx: FaultContext = {
    server,
    engine(options = {}) {
      const e = createEngine(server.url, { ...server.engineOptions, ...options });
      engines.push(e);
      return e;
    },
    admin: (fn) => adminEngine.connect(fn),
    tables(metadata) {
      beforeAll(async () => {
        const engine = ctx.engine();
        await metadata.createAll(engine);
        await engine.dispose();
      });
      afterAll(async () => {
        const engine = ctx.engine();
        await metadata.dropAll(engine);
        await engine.dispose();
      });
    },
    async sessionId(conn) {
      return Number(await conn.scalar(text(server.sessionIdSQL)));
    },
    async expectClean(engine, ...others) {
      const all = [engine, ...others];
      for (const e of all) {
        expect(e.pool.checkedOut).toBe(0);
        expect(e.pool.waiting).toBe(0);
      }
      const id = await engine.connect((c) => ctx.sessionId(c));
      expect(id).toBeGreaterThan(0);
      expect(engine.pool.checkedOut).toBe(0);
      // Killed sessions leave the server's list asynchronously: wait for it to match the pools.
      let sessions: number[] = [];
      const open = () => all.reduce((n, e) => n + e.pool.size, 0);
      await until(async () => {
        sessions = await ctx.admin((a) => server.sessions(a));
        return sessions.length === open();
      }, `${server.name}: the server's sessions of the test user to equal the pools' ${open()} connection(s)`).catch((e) => {
        throw new Error(`${(e as Error).message} Server sessions: [${sessions.join(', ')}].`);
      });
      expect(sessions).toContain(id);
    },
  };

  describe(`${server.name} under faults`, () => {
    beforeAll(async () => {
      adminEngine = createEngine(server.adminUrl, { poolSize: 1, maxOverflow: 0 });
      await adminEngine.connect((a) => server.setup(a));
    }, 60_000);

    afterEach(async () => {
      for (const e of engines.splice(0)) await e.dispose();
    });

    afterAll(async () => {
      if (!adminEngine) return;
      try {
        await adminEngine.connect(async (a) => {
          await server.setLogin(a, true);
          for (const id of await server.sessions(a)) await server.kill(a, id).catch(() => undefined);
          await until(async () => (await server.sessions(a)).length === 0, 'the test user to have no session left');
          await server.teardown(a);
        });
      } finally {
        await adminEngine.dispose();
      }
    }, 60_000);

    describe('pool', () => poolFaultTests(ctx));
    describe('server-side kills', () => killTests(ctx));
    describe('cancellation', () => cancelTests(ctx));
    describe('load', () => loadTests(ctx));
  });
}
