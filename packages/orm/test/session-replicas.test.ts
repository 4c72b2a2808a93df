/**
 * ORM sessions on an engine with a read replica, on two real pairs: the PostgreSQL primary
 * and its streaming hot standby (`scripts/scale-out/start.sh`; the answering server says
 * `pg_is_in_recovery()`), and the MariaDB primary and its GTID replica
 * (`scripts/scale-out/mariadb-replica.sh`; `@@server_id`). With `reads: 'auto'` a session
 * reads from the replica until it writes, then from the primary, where it reads its own
 * writes, until it is closed; a new session reads the replica again once it has replayed the
 * commit (waited for by its replay position, not by time). Forcing either side per session
 * and per statement; a replica that stops answering costs the session no failed read.
 * Replay is never paused here (other suites use the same replicas at the same time): a read
 * that only the primary could answer is one of a row flushed and not committed yet.
 * SQLite replicates nothing: there a copy of the database file stands in as the replica,
 * and which file answered shows the routing.
 */
import { ArgumentError, type ClauseElement, Column, type Engine, ForeignKey, Integer, insert, String, createEngine, func, literalColumn, MetaData, select, Table, text, update } from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload, sessionmaker } from '@athanor/orm';
import { copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LiveServer, liveServer, openEndpoint, until } from '@athanor/testing';

const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
const Base = declarativeBase();
class Note extends Base.mapped(`replica_note_${suffix}`, {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  body: Column(String(100), { nullable: false }),
}) {}
class Shelf extends Base.mapped(`replica_shelf_${suffix}`, { id: Column(Integer, { primaryKey: true, autoincrement: false }), label: Column(String(40), { nullable: false }) }) {
  declare books: Book[];
}
class Book extends Base.mapped(`replica_book_${suffix}`, {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  shelfId: Column(Integer, ForeignKey(`replica_shelf_${suffix}.id`), { name: 'shelf_id', nullable: false }),
  title: Column(String(40), { nullable: false }),
}) {}
Base.relationships(Shelf, { books: relationship(Book) });

/** A primary and its replica: how to tell which one answered, and how to await the replica's replay. */
interface Pair {
  name: string;
  primaryUrl: string;
  replicaUrl: string;
  servers: LiveServer[];
  /** A SELECT whose value says which server ran it. */
  whoAnswers: ClauseElement;
  isReplica(value: unknown): boolean;
  /** Resolves once the replica replayed all the primary has committed so far. */
  replayed(primary: Engine, replica: Engine): Promise<void>;
}

const pgPrimary = process.env.ATHANOR_SCALE_PRIMARY_URL ?? 'postgresql://postgres@127.0.0.1:55432/test';
const pgStandby = process.env.ATHANOR_SCALE_STANDBY_URL ?? 'postgresql://postgres@127.0.0.1:55433/test';
const myPrimary = process.env.ATHANOR_MARIADB_PRIMARY_URL ?? 'mysql://root@127.0.0.1:33070/test';
const myReplica = process.env.ATHANOR_MARIADB_REPLICA_URL ?? 'mysql://root@127.0.0.1:33071/test';
const raw = (e: Engine, sql: string) => e.connect((c) => c.execDriverSQL(sql));

const pairs: Pair[] = [
  {
    name: 'PostgreSQL primary and hot standby',
    primaryUrl: pgPrimary,
    replicaUrl: pgStandby,
    servers: [
      liveServer('PostgreSQL scale-out primary', pgPrimary, 'ATHANOR_SCALE_PRIMARY_URL; start it with `bash scripts/scale-out/start.sh`'),
      liveServer('PostgreSQL scale-out hot standby', pgStandby, 'ATHANOR_SCALE_STANDBY_URL; start it with `bash scripts/scale-out/start.sh`'),
    ],
    whoAnswers: select(func.pg_is_in_recovery()),
    isReplica: (v) => v === true,
    async replayed(p, r) {
      // The insert position: with synchronous_commit off the last commit record may not be written yet.
      const lsn = (await raw(p, 'SELECT pg_current_wal_insert_lsn()::text')).rows[0][0] as string;
      // The standby reports its replay position; poll it until it reaches the primary's.
      await until(async () => (await raw(r, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn`)).rows[0][0] === true, `the standby to replay up to ${lsn}`);
    },
  },
  {
    name: 'MariaDB primary and GTID replica',
    primaryUrl: myPrimary,
    replicaUrl: myReplica,
    servers: [
      liveServer('MariaDB replication primary', myPrimary, 'ATHANOR_MARIADB_PRIMARY_URL; start it with `bash scripts/scale-out/mariadb-replica.sh`'),
      liveServer('MariaDB replica', myReplica, 'ATHANOR_MARIADB_REPLICA_URL; start it with `bash scripts/scale-out/mariadb-replica.sh`'),
    ],
    whoAnswers: select(literalColumn('@@server_id', Integer)),
    isReplica: (v) => Number(v) === 2,
    async replayed(p, r) {
      const gtid = (await raw(p, 'SELECT @@gtid_binlog_pos')).rows[0][0] as string;
      // MASTER_GTID_WAIT returns when the replica has applied that position (0), or -1 after the timeout.
      expect((await raw(r, `SELECT MASTER_GTID_WAIT('${gtid}', 30)`)).rows[0][0]).toBe(0);
    },
  },
];

for (const pair of pairs) {
  const up = pair.servers.every((s) => s.gate(`ORM session replica tests (${pair.name})`));
  (up ? describe : describe.skip)(`sessions on read replicas: ${pair.name}`, () => {
    let engine: Engine;
    let replica: Engine;
    const extra: Engine[] = [];
    const answeredByReplica = async (s: Session, options?: { use: 'primary' | 'replica' }) => pair.isReplica(await s.scalar(pair.whoAnswers, undefined, options));
    const bodyOf = (id: number) => select(Note.c.body).where(Note.c.id.eq(id));

    beforeAll(async () => {
      engine = createEngine(pair.primaryUrl, { replicas: [pair.replicaUrl] });
      replica = createEngine(pair.replicaUrl);
      await Base.metadata.createAll(engine);
      await pair.replayed(engine, replica);
    });
    afterEach(async () => {
      for (const e of extra.splice(0)) await e.dispose();
    });
    afterAll(async () => {
      await Base.metadata.dropAll(engine);
      await engine.dispose();
      await replica.dispose();
    });

    test("reads: 'auto': reads land on the replica; the session holds no transaction on the primary", async () => {
      await using s = new Session(engine, { reads: 'auto' });
      expect(s.readsFrom).toBe('replica');
      expect(await answeredByReplica(s)).toBe(true);
      expect(await s.scalars(select(Note).where(Note.c.id.eq(-1)))).toHaveLength(0);
      expect(await s.get(Note, -1)).toBeNull();
      expect(s.phase).toBe('idle');
      expect(engine.pool.checkedOut).toBe(0);
    });

    test('after a flush the session reads its own write from the primary, after commit too; a new session reads the replica once it replayed the commit', async () => {
      await using s = new Session(engine, { reads: 'auto' });
      expect(await answeredByReplica(s)).toBe(true);
      s.add(new Note({ id: 1, body: 'mine' }));
      await s.flush();
      expect(s.readsFrom).toBe('primary');
      expect(await answeredByReplica(s)).toBe(false);
      // Flushed, not committed: no replica can have the row; the session reads it in its transaction.
      expect(await s.scalar(bodyOf(1))).toBe('mine');
      await using other = new Session(engine, { reads: 'auto' });
      expect(await other.scalar(bodyOf(1))).toBeNull();
      expect(await answeredByReplica(other)).toBe(true);
      await s.commit();
      // Committed, perhaps not replayed yet: the session keeps reading the primary.
      expect(s.readsFrom).toBe('primary');
      expect(await answeredByReplica(s)).toBe(false);
      expect(await s.scalar(bodyOf(1))).toBe('mine');
      // Forced per statement, the other session reads the row from the primary at once.
      expect((await other.get(Note, 1, { use: 'primary' }))?.body).toBe('mine');
      await pair.replayed(engine, replica);
      await using later = new Session(engine, { reads: 'auto' });
      expect(await later.scalar(bodyOf(1))).toBe('mine');
      expect((await later.get(Note, 1))?.body).toBe('mine');
      expect(await answeredByReplica(later)).toBe(true);
      // Closed, the first session reads from the replica again.
      await s.close();
      expect(s.readsFrom).toBe('replica');
      expect(await answeredByReplica(s)).toBe(true);
    });

    test('relationship loads follow the reads: on the replica before the session writes, in its transaction after', async () => {
      await engine.begin(async (c) => {
        await c.execute(insert(Shelf.table).values({ id: 1, label: 'top' }));
        await c.execute(insert(Book.table), [1, 2, 3].map((id) => ({ id, shelfId: 1, title: `book ${id}` })));
      });
      await pair.replayed(engine, replica);
      const ran = { primary: [] as string[], replica: [] as string[] };
      const off = [engine.on('beforeExecute', (e) => ran.primary.push(e.sql)), engine.replicas[0].on('beforeExecute', (e) => ran.replica.push(e.sql))];
      try {
        await using s = new Session(engine, { reads: 'auto' });
        const [shelf] = (await s.scalars(select(Shelf).options(selectinload(Shelf, 'books')))).all();
        expect(shelf.books.map((b) => b.title).sort()).toEqual(['book 1', 'book 2', 'book 3']);
        // The shelf's SELECT and the books' IN query, both on the replica.
        expect(ran.replica.filter((q) => q.includes(Book.table.name))).toHaveLength(1);
        expect(ran.replica.filter((q) => q.includes(Shelf.table.name))).toHaveLength(1);
        expect(ran.primary).toEqual([]);
        s.add(new Book({ id: 4, shelfId: 1, title: 'book 4' }));
        await s.flush();
        const before = ran.replica.length;
        await s.refresh(shelf, ['books']);
        expect(shelf.books).toHaveLength(4);
        expect(ran.replica.length).toBe(before);
        expect(ran.primary.filter((q) => q.startsWith('SELECT') && q.includes(Book.table.name)).length).toBeGreaterThan(0);
        await s.rollback();
      } finally {
        for (const f of off) f();
      }
    });

    test('an autoflush counts as a write; a rollback leaves nothing written: the session reads from the replica again', async () => {
      await using s = new Session(engine, { reads: 'auto' });
      s.add(new Note({ id: 2, body: 'rolled back' }));
      // The query autoflushes first: the flush begins the transaction, and the query runs in it.
      expect(await s.scalar(bodyOf(2))).toBe('rolled back');
      expect(await answeredByReplica(s)).toBe(false);
      await s.rollback();
      expect(await answeredByReplica(s)).toBe(true);
      expect(await s.scalar(bodyOf(2))).toBeNull();
    });

    test('an explicit begin() and DML statements run on the primary, and the reads follow', async () => {
      await using s = new Session(engine, { reads: 'auto' });
      await s.begin(async () => {
        expect(await answeredByReplica(s)).toBe(false);
      });
      await using t = new Session(engine, { reads: 'auto' });
      await t.execute(text(`UPDATE ${Note.table.name} SET body = body WHERE id = -1`));
      expect(await answeredByReplica(t)).toBe(false);
    });

    test("forcing: the default reads: 'primary', reads: 'replica', and { use } per statement", async () => {
      // The default: the session reads in its transaction on the primary, as without replicas.
      await using s = new Session(engine);
      expect(s.readsFrom).toBe('primary');
      expect(await answeredByReplica(s)).toBe(false);
      expect(await answeredByReplica(s, { use: 'replica' })).toBe(true);
      // reads: 'replica' keeps reading the replica after writing: it does not see its flushed, uncommitted row.
      await using r = new Session(engine, { reads: 'replica' });
      r.add(new Note({ id: 3, body: 'written' }));
      await r.flush();
      expect(await answeredByReplica(r)).toBe(true);
      expect(await r.scalar(bodyOf(3))).toBeNull();
      expect(await r.scalar(bodyOf(3), undefined, { use: 'primary' })).toBe('written');
      await r.rollback();
      // A read forced to the primary begins the transaction there: the session stays.
      await using a = new Session(engine, { reads: 'auto' });
      expect(await answeredByReplica(a, { use: 'primary' })).toBe(false);
      expect(await answeredByReplica(a)).toBe(false);
      // A factory passes the option to its sessions.
      const factory = sessionmaker(engine, { reads: 'auto' });
      await using f = factory();
      expect(await answeredByReplica(f)).toBe(true);
    });

    test('with two replicas, a session keeps reading the one that answered first (its reads never go back in time); it moves when that one stops answering', async () => {
      const endpoint = await openEndpoint(pair.replicaUrl);
      const e = createEngine(pair.primaryUrl, { replicas: [endpoint.url, pair.replicaUrl] });
      extra.push(e);
      const reads = [0, 0];
      for (const [i, r] of e.replicas.entries()) r.on('beforeExecute', () => reads[i]++);
      try {
        // Without a session, reads take turns (round robin).
        for (let i = 0; i < 2; i++) await e.connect((c) => c.scalar(pair.whoAnswers));
        expect(reads).toEqual([1, 1]);
        await using s = new Session(e, { reads: 'auto' });
        for (let i = 0; i < 4; i++) expect(await answeredByReplica(s)).toBe(true);
        // All four on the replica the policy chose first (the endpoint's, next in turn).
        expect(reads).toEqual([5, 1]);
        await endpoint.shut();
        for (let i = 0; i < 3; i++) expect(await answeredByReplica(s)).toBe(true);
        // Its replica gone, the session reads the other one, and stays there.
        expect(reads[1]).toBe(4);
      } finally {
        await endpoint.shut();
      }
    });

    test('what cannot be routed is refused, saying why', async () => {
      const plain = createEngine(pair.primaryUrl);
      extra.push(plain);
      expect(() => new Session(plain, { reads: 'replica' })).toThrow(/has no replicas/);
      await using p = new Session(plain, { reads: 'auto' });
      expect(await answeredByReplica(p)).toBe(false);
      await expect(p.scalar(pair.whoAnswers, undefined, { use: 'replica' })).rejects.toThrow(ArgumentError);
      expect(() => new Session(engine, { reads: 'sometimes' as 'auto' })).toThrow(/'primary', 'auto' or 'replica'/);
      expect(() => new Session(engine, { reads: 'auto', binds: new Map([[Note, plain]]) })).toThrow(/not supported with binds/);
      await using s = new Session(engine, { reads: 'auto' });
      await expect(s.execute(text('SELECT 1'), undefined, { use: 'elsewhere' as 'primary' })).rejects.toThrow(/'primary' or 'replica'/);
      await expect(s.execute(update(Note.table).values({ body: 'x' }).where(Note.c.id.eq(-1)), undefined, { use: 'replica' })).rejects.toThrow(/run on the primary/);
    });

    test('a replica that stops answering costs the session no failed read; it is read again once back', async () => {
      const endpoint = await openEndpoint(pair.replicaUrl);
      const e = createEngine(pair.primaryUrl, { replicas: [endpoint.url], replicaRetryMs: 0 });
      extra.push(e);
      try {
        await using s = new Session(e, { reads: 'auto' });
        expect(await answeredByReplica(s)).toBe(true);
        await endpoint.shut();
        for (let i = 0; i < 3; i++) expect(await answeredByReplica(s)).toBe(false);
        expect(await s.scalar(bodyOf(1))).toBe('mine');
        expect(s.phase).toBe('idle');
        await endpoint.open();
        expect(await answeredByReplica(s)).toBe(true);
      } finally {
        await endpoint.shut();
      }
      expect(e.pool.checkedOut + e.replicas[0].pool.checkedOut).toBe(0);
    });
  });
}

describe('sessions on read replicas: SQLite, a copy of the file as the replica', () => {
  const file = (role: string) => join(tmpdir(), `replica_${role}_${suffix}.db`);
  let engine: Engine;
  beforeAll(async () => {
    const setup = createEngine(`sqlite:///${file('primary')}`);
    await Base.metadata.createAll(setup);
    await whoami.metadata.createAll(setup);
    await setup.connect((c) => c.execDriverSQL("INSERT INTO whoami VALUES ('primary')"));
    await setup.dispose();
    copyFileSync(file('primary'), file('replica'));
    const copy = createEngine(`sqlite:///${file('replica')}`);
    await copy.connect((c) => c.execDriverSQL("UPDATE whoami SET role = 'replica'"));
    await copy.dispose();
    engine = createEngine(`sqlite:///${file('primary')}`, { replicas: [`sqlite:///${file('replica')}`] });
  });
  afterAll(async () => {
    await engine.dispose();
    for (const role of ['primary', 'replica']) rmSync(file(role), { force: true });
  });
  const whoami = new Table('whoami', new MetaData(), { role: Column(String(10)) });
  const who = (s: Session, options?: { use: 'primary' | 'replica' }) => s.scalar(select(whoami.c.role), undefined, options);

  test("reads: 'auto' reads the replica until the session writes, then the primary, which has its write", async () => {
    await using s = new Session(engine, { reads: 'auto' });
    expect(await who(s)).toBe('replica');
    s.add(new Note({ id: 1, body: 'on the primary only' }));
    await s.flush();
    expect(await who(s)).toBe('primary');
    expect(await s.scalar(select(Note.c.body).where(Note.c.id.eq(1)))).toBe('on the primary only');
    await s.commit();
    await using other = new Session(engine, { reads: 'auto' });
    // The copy never receives the row: a new session reads the replica, which lacks it.
    expect(await other.scalar(select(Note.c.body).where(Note.c.id.eq(1)))).toBeNull();
    expect(await who(other, { use: 'primary' })).toBe('primary');
    await using plain = new Session(engine);
    expect(await who(plain)).toBe('primary');
    expect(await who(plain, { use: 'replica' })).toBe('replica');
  });
});
