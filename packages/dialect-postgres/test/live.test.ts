import {
  BigInteger,
  Boolean as BooleanT,
  Column,
  Date as DateT,
  DateTime,
  Enum,
  Float,
  ForeignKey,
  IntegrityError,
  Integer,
  JSON as JSONT,
  LargeBinary,
  MetaData,
  NoResultFound,
  Numeric,
  PendingRollbackError,
  String,
  Table,
  Text,
  UniqueViolation,
  Uuid,
  and,
  createEngine,
  desc,
  func,
  insert,
  select,
  text,
  type Engine,
} from '@athanor/core';
import { excluded, onConflictDoUpdate } from '../src';
import { URL, liveDescribe } from './server';

const d = liveDescribe('live tests');

const schema = `athanor_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

d('PostgreSQL live', () => {
  let engine: Engine;
  let nyEngine: Engine;
  const metadata = new MetaData({ schema });
  const users = new Table('users', metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(50), { nullable: false }),
    age: Column(Integer),
  });
  const addresses = new Table('addresses', metadata, {
    id: Column(Integer, { primaryKey: true }),
    userId: Column(Integer, ForeignKey('users.id', { onDelete: 'CASCADE' }), { name: 'user_id', nullable: false }),
    email: Column(String(100), { nullable: false, unique: true }),
  });
  const values = new Table('vals', metadata, {
    id: Column(Integer, { primaryKey: true }),
    i: Column(Integer),
    big: Column(BigInteger),
    f: Column(Float),
    num: Column(Numeric(20, 4)),
    s: Column(String(50)),
    t: Column(Text),
    b: Column(BooleanT),
    day: Column(DateT),
    at: Column(DateTime),
    atz: Column(DateTime({ timezone: true })),
    j: Column(JSONT()),
    u: Column(Uuid),
    bin: Column(LargeBinary),
    e: Column(Enum(['red', 'green'])),
  });
  const kv = new Table('kv', metadata, { k: Column(String(20), { primaryKey: true }), v: Column(Integer) });

  beforeAll(async () => {
    engine = createEngine(URL);
    nyEngine = createEngine(URL, { driverOptions: { options: '-c TimeZone=America/New_York' } });
    await engine.connect(async (conn) => {
      await conn.execute(text(`CREATE SCHEMA ${schema}`));
    });
    await metadata.createAll(engine);
  });

  afterAll(async () => {
    try {
      await engine.connect(async (conn) => {
        await conn.execute(text(`DROP SCHEMA ${schema} CASCADE`));
      });
    } finally {
      await engine.dispose();
      await nyEngine.dispose();
    }
  });

  test('Core contract example', async () => {
    await engine.begin(async (conn) => {
      await conn.execute(insert(users), [
        { name: 'spongebob', age: 30 },
        { name: 'sandy', age: 25 },
      ]);
      await conn.execute(insert(addresses), [
        { userId: 1, email: 'spongebob@example.com' },
        { userId: 2, email: 'sandy@example.com' },
        { userId: 2, email: 'sandy@example.org' },
      ]);
    });
    const stmt = select(users.c.name, func.count(addresses.c.id).label('n'))
      .join(addresses, users.c.id.eq(addresses.c.userId))
      .where(and(users.c.age.gt(20), users.c.name.like('s%')))
      .groupBy(users.c.name)
      .orderBy(desc('n'));
    const rows = await engine.connect(async (conn) => (await conn.execute(stmt)).all());
    expect(rows).toEqual([
      { name: 'sandy', n: 2 },
      { name: 'spongebob', n: 1 },
    ]);
  });

  const bytes = new Uint8Array(256).map((_, i) => i);
  const row = {
    id: 1,
    i: -2147483648,
    big: 2n ** 60n + 1n,
    f: 1.5e300,
    num: '12345678901234.5678',
    s: 'emoji 🎉😀',
    t: 'multi\nline 𝄞',
    b: true,
    day: '2024-02-29',
    at: new Date('2024-02-29T23:59:58.123Z'),
    atz: new Date('2024-03-10T07:30:00.456Z'),
    j: { a: [1, 2, { b: null }], s: 'x' },
    u: '123e4567-e89b-12d3-a456-426614174000',
    bin: bytes,
    e: 'green' as const,
  };

  test.each([
    ['UTC session', () => engine, 1],
    ['America/New_York session', () => nyEngine, 2],
  ])('every value type round-trips (%s)', async (_label, eng, id) => {
    await eng().begin(async (conn) => {
      await conn.execute(insert(values).values({ ...row, id }));
      await conn.execute(insert(values).values({ ...row, id: id + 10, b: false, j: [1, 'two', 3], day: '1999-12-31' }));
    });
    const got = await eng().connect(async (conn) => (await conn.execute(select(values).where(values.c.id.in([id, id + 10])).orderBy(values.c.id))).all());
    expect(got[0]).toEqual({ ...row, id });
    expect(got[0].bin).toBeInstanceOf(Uint8Array);
    expect(typeof got[0].big).toBe('bigint');
    expect(got[0].at!.getTime()).toBe(row.at.getTime());
    expect(got[0].atz!.getTime()).toBe(row.atz.getTime());
    expect(got[1].b).toBe(false);
    expect(got[1].j).toEqual([1, 'two', 3]);
    expect(got[1].day).toBe('1999-12-31');
  });

  test('the New York session really has a different time zone', async () => {
    const tz = await nyEngine.connect(async (conn) => (await conn.execute(select(func.current_setting('TimeZone').label('tz')))).scalar());
    expect(tz).toBe('America/New_York');
  });

  test('begin callback error rolls back and rethrows the original', async () => {
    const boom = new Error('boom');
    await expect(
      engine.begin(async (conn) => {
        await conn.execute(insert(kv).values({ k: 'rolled', v: 1 }));
        throw boom;
      }),
    ).rejects.toBe(boom);
    const n = await engine.connect(async (conn) => (await conn.execute(select(func.count(kv.c.k)).where(kv.c.k.eq('rolled')))).scalar());
    expect(n).toBe(0);
  });

  test('savepoint rollback keeps outer work', async () => {
    await engine.begin(async (conn) => {
      await conn.execute(insert(kv).values({ k: 'outer', v: 1 }));
      await expect(
        conn.beginNested(async (c) => {
          await c.execute(insert(kv).values({ k: 'inner', v: 2 }));
          await c.execute(insert(kv).values({ k: 'inner', v: 3 }));
        }),
      ).rejects.toBeInstanceOf(UniqueViolation);
    });
    const keys = await engine.connect(async (conn) => (await conn.execute(select(kv.c.k).where(kv.c.k.in(['outer', 'inner'])))).scalars().all());
    expect(keys).toEqual(['outer']);
  });

  test('a swallowed failed statement then commit raises PendingRollbackError and persists nothing', async () => {
    await expect(
      engine.begin(async (conn) => {
        await conn.execute(insert(kv).values({ k: 'swallow', v: 1 }));
        await conn.execute(insert(kv).values({ k: 'swallow', v: 2 })).catch(() => undefined);
      }),
    ).rejects.toBeInstanceOf(PendingRollbackError);
    const n = await engine.connect(async (conn) => (await conn.execute(select(func.count(kv.c.k)).where(kv.c.k.eq('swallow')))).scalar());
    expect(n).toBe(0);
  });

  test('COMMIT answered by ROLLBACK is never reported as success', async () => {
    const conn = await engine.connect();
    try {
      await conn.execute(text('BEGIN'));
      await conn.execute(insert(kv).values({ k: 'raw', v: 1 }));
      await conn.execute(text('SELECT 1/0')).catch(() => undefined);
      await expect(conn.execute(text('COMMIT'))).rejects.toBeInstanceOf(PendingRollbackError);
    } finally {
      await conn.close();
    }
    const n = await engine.connect(async (c) => (await c.execute(select(func.count(kv.c.k)).where(kv.c.k.eq('raw')))).scalar());
    expect(n).toBe(0);
  });

  test('unique violation is a typed IntegrityError with sql', async () => {
    let caught: any;
    try {
      await engine.connect((conn) => conn.execute(insert(addresses).values({ userId: 1, email: 'spongebob@example.com' })));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UniqueViolation);
    expect(caught).toBeInstanceOf(IntegrityError);
    expect(caught.sql).toMatch(/^INSERT INTO/);
    expect(caught.code).toBe('23505');
    expect(caught.cause).toBeDefined();
  });

  test('one() on zero rows raises NoResultFound', async () => {
    await expect(engine.connect(async (conn) => (await conn.execute(select(users.c.id).where(users.c.name.eq('nobody')))).one())).rejects.toBeInstanceOf(NoResultFound);
  });

  test('upsert with ON CONFLICT DO UPDATE', async () => {
    await engine.begin(async (conn) => {
      await conn.execute(insert(kv).values({ k: 'up', v: 1 }));
      await conn.execute(onConflictDoUpdate(insert(kv).values({ k: 'up', v: 5 }), { target: [kv.c.k], set: { v: excluded(kv.c.v) } }));
    });
    const v = await engine.connect(async (conn) => (await conn.execute(select(kv.c.v).where(kv.c.k.eq('up')))).scalar());
    expect(v).toBe(5);
  });

  test('streaming returns all rows in chunks', async () => {
    const got: unknown[] = [];
    await engine.connect(async (conn) => {
      for await (const r of conn.stream(select(users.c.name).orderBy(users.c.id), undefined, { chunkSize: 1 })) got.push(r);
    });
    expect(got).toEqual([{ name: 'spongebob' }, { name: 'sandy' }]);
  });

  test('insert returning gives the generated id', async () => {
    const r = await engine.begin(async (conn) => (await conn.execute(insert(users).values({ name: 'patrick', age: 40 }).returning(users.c.id))).one());
    expect(r).toEqual({ id: 3 });
  });
});
