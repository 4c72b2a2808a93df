/**
 * Session state through pgbouncer in transaction mode (`scripts/scale-out/start.sh`): every
 * transaction, and every statement outside one, may run on another server connection, which
 * the next client then gets. Checked with two engines whose statements land on the same server
 * connection (`pg_backend_pid()` names it): a `SET LOCAL` never reaches the other client, a
 * session `SET` would (shown without the engine option) and is refused with it; streaming and
 * prepared statements inside transactions.
 */
import { Column, Integer, MetaData, SessionStateError, Table, Text, createEngine, func, insert, select, text, type Engine } from '@athanor/core';
import { BOUNCER_URL, PRIMARY_URL, bouncer } from './scale-out-servers';

const WORK_MEM = "current_setting('work_mem')";
/** What the server starts sessions with: nothing here may change it for another client. */
let defaultWorkMem: string;

/** Runs `SELECT pg_backend_pid(), <setting>` outside a transaction until it lands on server connection `pid` (pgbouncer hands out the last used idle one first). */
async function onServerConnection(engine: Engine, pid: number, setting: string): Promise<string | null> {
  for (let i = 0; i < 500; i++) {
    const row = (await engine.connect((c) => c.execute(text(`SELECT pg_backend_pid() AS pid, ${setting} AS value`)))).one() as { pid: number; value: string | null };
    if (row.pid === pid) return row.value;
  }
  throw new Error(`no statement of the other engine landed on server connection ${pid} in 500 tries`);
}

if (bouncer.gate('pgbouncer session-state tests')) {
  const url = BOUNCER_URL;
  const engines: Engine[] = [];
  const engine = (options: Parameters<typeof createEngine>[1] = { pooler: 'transaction' }, at = url) => {
    const e = createEngine(at, options);
    engines.push(e);
    return e;
  };
  afterAll(() => Promise.all(engines.map((e) => e.dispose())));
  beforeAll(async () => {
    defaultWorkMem = String(await engine().connect((c) => c.scalar(text(`SELECT ${WORK_MEM}`))));
  });

  describe('SET LOCAL inside a transaction never leaks to another client', () => {
    test('interleaved transactions of two engines: each sees only its own setting, the other the default', async () => {
      const a = engine();
      const b = engine();
      let pidA = 0;
      // A's transaction holds its server connection while B's run beside it.
      const inA = await a.begin(async (ca) => {
        await ca.execute(text("SET LOCAL work_mem = '7777kB'"));
        pidA = Number(await ca.scalar(select(func.pg_backend_pid())));
        const fromB = await b.begin(async (cb) => {
          await cb.execute(text("SET LOCAL work_mem = '5555kB'"));
          const seen = await cb.scalar(text(`SELECT ${WORK_MEM}`));
          const pid = Number(await cb.scalar(select(func.pg_backend_pid())));
          return { seen, pid };
        });
        const outsideB = await b.connect((cb) => cb.scalar(text(`SELECT ${WORK_MEM}`)));
        return { own: await ca.scalar(text(`SELECT ${WORK_MEM}`)), fromB, outsideB };
      });
      expect(inA.own).toBe('7777kB');
      expect(inA.fromB.seen).toBe('5555kB');
      expect(inA.fromB.pid).not.toBe(pidA);
      expect(inA.outsideB).toBe(defaultWorkMem);
      // After A committed, B gets A's server connection, and the default with it.
      expect(await onServerConnection(b, pidA, WORK_MEM)).toBe(defaultWorkMem);
    });

    test('many rounds: B never sees a value A set, on whichever server connection it lands', async () => {
      const a = engine();
      const b = engine();
      const seenByB = new Set<string>();
      const pidsOfA = new Set<number>();
      for (let round = 0; round < 30; round++) {
        await a.begin(async (ca) => {
          await ca.execute(text(`SET LOCAL work_mem = '${1000 + round}kB'`));
          pidsOfA.add(Number(await ca.scalar(select(func.pg_backend_pid()))));
        });
        const row = (await b.connect((cb) => cb.execute(text(`SELECT pg_backend_pid() AS pid, ${WORK_MEM} AS value`)))).one() as { pid: number; value: string };
        seenByB.add(row.value);
        if (pidsOfA.has(row.pid)) seenByB.add(`shared:${row.value}`);
      }
      expect([...seenByB].filter((v) => !v.startsWith('shared:'))).toEqual([defaultWorkMem]);
      // B did run on server connections A had set values on (so the check means something).
      expect(seenByB.has(`shared:${defaultWorkMem}`)).toBe(true);
    });

    test('a session SET does leak through pgbouncer (without the pooler option), which is why it is refused', async () => {
      // Unnamed statements (pgbouncer 1.18 cannot carry named ones), and no guard.
      const plain = `${url}${url.includes('?') ? '&' : '?'}prepared_statement_cache_size=0`;
      const unguarded = engine({}, plain);
      const other = engine({}, plain);
      const pid = Number(
        await unguarded.connect(async (c) => {
          await c.execDriverSQL("SET work_mem = '6666kB'");
          return c.scalar(select(func.pg_backend_pid()));
        }),
      );
      try {
        expect(await onServerConnection(other, pid, WORK_MEM)).toBe('6666kB');
      } finally {
        // Put that server connection back as it was for the other clients of this pgbouncer: one
        // statement (one server connection) that says where it ran and sets the default there.
        const restore = text(`SELECT pg_backend_pid() AS pid, set_config('work_mem', '${defaultWorkMem}', false) AS value`);
        for (let i = 0; i < 500; i++) {
          const row = (await other.connect((c) => c.execute(restore))).one() as { pid: number };
          if (row.pid === pid) break;
        }
      }
      expect(await onServerConnection(other, pid, WORK_MEM)).toBe(defaultWorkMem);
    });
  });

  describe("pooler: 'transaction' refuses what would set session state", () => {
    test.each([
      ["SET work_mem = '9999kB'", /SET sets session state.*Use SET LOCAL inside begin\(\)/],
      ['set session statement_timeout = 10', /SET sets session state/],
      ['/* tag */ RESET work_mem', /RESET sets session state/],
      ['LISTEN athanor_channel', /LISTEN keeps state on the server connection/],
      ['PREPARE p AS SELECT 1', /PREPARE keeps state.*prepared_statement_cache_size/],
      ['SELECT pg_advisory_lock(42)', /pg_advisory_xact_lock\(\)/],
      ["SET LOCAL work_mem = '9999kB'", /SET LOCAL outside a transaction changes nothing/],
    ])('%s (text(), executemany, stream() and execDriverSQL), outside a transaction', async (sql, message) => {
      const e = engine();
      await e.connect(async (c) => {
        await expect(c.execute(text(sql))).rejects.toThrow(SessionStateError);
        await expect(c.execute(text(sql))).rejects.toThrow(message);
        await expect(c.execDriverSQL(sql)).rejects.toThrow(message);
        // A list of parameter sets (executemany) is checked the same.
        await expect(c.execute(text(sql), [{}, {}])).rejects.toThrow(SessionStateError);
        const streamed = async () => {
          for await (const _ of c.stream(text(sql))) void _;
        };
        await expect(streamed()).rejects.toThrow(message);
      });
      // Nothing was sent: the setting is the default everywhere this engine lands.
      expect(await e.connect((c) => c.scalar(text(`SELECT ${WORK_MEM}`)))).toBe(defaultWorkMem);
    });

    test('inside a transaction: a session SET is refused, SET LOCAL and SET TRANSACTION run', async () => {
      const e = engine();
      const seen = await e.begin(async (c) => {
        await expect(c.execute(text("SET work_mem = '9999kB'"))).rejects.toThrow(SessionStateError);
        await c.execute(text('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ'));
        await c.execute(text("SET LOCAL work_mem = '3333kB'"));
        return c.execute(text(`SELECT ${WORK_MEM} AS mem, current_setting('transaction_isolation') AS iso`));
      });
      expect(seen.one()).toEqual({ mem: '3333kB', iso: 'repeatable read' });
    });

    test('an option other than transaction is refused', () => {
      expect(() => createEngine(url, { pooler: 'session' as any })).toThrow(/pooler must be 'transaction'/);
      expect(() => createEngine('sqlite://', { pooler: 'transaction' })).toThrow(/SQLite has no server/);
    });
  });

  describe('streaming and prepared statements through pgbouncer', () => {
    const metadata = new MetaData();
    const table = new Table(`bouncer_stream_${process.pid}_${Math.random().toString(36).slice(2, 6)}`, metadata, {
      id: Column(Integer, { primaryKey: true, autoincrement: false }),
      body: Column(Text, { nullable: false }),
    });
    const ROWS = 20_000;
    beforeAll(async () => {
      const e = engine();
      await metadata.createAll(e);
      await e.connect((c) => c.execute(text(`INSERT INTO ${table.name} (id, body) SELECT g, 'row ' || g FROM generate_series(1, ${ROWS}) g`)));
    });
    afterAll(() => metadata.dropAll(engine()));

    test('conn.stream() inside a transaction reads every row, in order, while another client works beside it', async () => {
      const e = engine();
      const other = engine();
      let count = 0;
      let idSum = 0;
      let inOrder = true;
      let otherStatements = 0;
      await e.begin(async (c) => {
        for await (const row of c.stream(select(table.c.id, table.c.body).orderBy(table.c.id), undefined, { chunkSize: 500 })) {
          count++;
          idSum += row.id;
          if (row.id !== count || row.body !== `row ${count}`) inOrder = false;
          // Between chunks another client's statements run on the other server connections.
          if (count % 2000 === 0) otherStatements += Number(await other.connect((o) => o.scalar(select(func.count()).selectFrom(table).where(table.c.id.le(count)))));
        }
      });
      expect(count).toBe(ROWS);
      expect(idSum).toBe((ROWS * (ROWS + 1)) / 2);
      expect(inOrder).toBe(true);
      // 2000 + 4000 + ... + 20000: the other client saw the committed table at each step.
      expect(otherStatements).toBe(2000 * ((10 * 11) / 2));
    });

    test('statements go unnamed with the pooler option (no prepared statement left on the server connection); named with an explicit cache size', async () => {
      // Prepared in this transaction (on its server connection): named statements only.
      const preparedHere = "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'ath\\_%' AND prepare_time >= now()";
      const unnamed = engine();
      // pgbouncer 1.18 cannot carry named statements between server connections (another
      // client's 'ath_1' may already be there): the explicit setting is shown on the primary itself.
      const named = engine({ pooler: 'transaction' }, `${PRIMARY_URL}${PRIMARY_URL.includes('?') ? '&' : '?'}prepared_statement_cache_size=50`);
      const run = (e: Engine) =>
        e.begin(async (c) => {
          const sums: number[] = [];
          for (let i = 1; i <= 5; i++) sums.push(Number(await c.scalar(select(func.sum(table.c.id)).where(table.c.id.le(i * 10)))));
          return { sums, prepared: Number(await c.scalar(text(preparedHere))) };
        });
      const a = await run(unnamed);
      expect(a).toEqual({ sums: [55, 210, 465, 820, 1275], prepared: 0 });
      // With the URL's setting the engine names its statements: they show up on the server.
      const b = await run(named);
      expect(b.sums).toEqual([55, 210, 465, 820, 1275]);
      expect(b.prepared).toBeGreaterThan(0);
    });

    test('many interleaved transactions of two engines with the pooler option: every answer right', async () => {
      const engines2 = [engine(), engine()];
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          engines2[i % 2].begin(async (c) => {
            await c.execute(insert(table).values({ id: ROWS + 1 + i, body: `extra ${i}` }));
            return c.scalar(select(table.c.body).where(table.c.id.eq(ROWS + 1 + i)));
          }),
        ),
      );
      expect(results).toEqual(Array.from({ length: 40 }, (_, i) => `extra ${i}`));
    });
  });
}
