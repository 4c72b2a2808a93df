import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BigInteger,
  Boolean,
  Column,
  Date as DateType,
  DateTime,
  type Engine,
  Enum,
  ForeignKey,
  ForeignKeyViolation,
  Integer,
  IntegrityError,
  JSON,
  LargeBinary,
  MetaData,
  NoResultFound,
  NotNullViolation,
  Numeric,
  PendingRollbackError,
  type QueryOptions,
  ProgrammingError,
  String,
  Table,
  Text,
  UniqueViolation,
  Uuid,
  and,
  bindparam,
  compileCached,
  delete_,
  createEngine,
  desc,
  func,
  insert,
  literal,
  select,
  text,
  update,
} from '@athanor/core';
import { SQLiteDialect, excluded, onConflictDoNothing, onConflictDoUpdate } from '../src';

function contractTables() {
  const metadata = new MetaData();
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
  return { metadata, users, addresses };
}

async function runContract(engine: Engine) {
  const { metadata, users, addresses } = contractTables();
  await metadata.createAll(engine);
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
  return { rows: await engine.connect(async (conn) => (await conn.execute(stmt)).all()), users, addresses, metadata };
}

describe('memory database', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createEngine('sqlite://');
  });
  afterAll(async () => {
    await engine.dispose();
  });

  test('dialect is SQLiteDialect with the library version', async () => {
    const { rows } = await runContract(engine);
    expect(engine.dialect).toBeInstanceOf(SQLiteDialect);
    expect(engine.dialect.serverVersion[0]).toBe(3);
    expect(rows).toEqual([
      { name: 'sandy', n: 2 },
      { name: 'spongebob', n: 1 },
    ]);
  });

  test('foreign keys are enforced and cascade', async () => {
    const { users, addresses } = contractTables();
    await engine.connect(async (conn) => {
      await expect(conn.execute(insert(addresses).values({ userId: 999, email: 'x@y' }))).rejects.toBeInstanceOf(ForeignKeyViolation);
      await expect(conn.execute(insert(users).values({ name: null as any }))).rejects.toBeInstanceOf(NotNullViolation);
      await conn.execute(delete_(users).where(users.c.name.eq('sandy')));
      expect(await conn.scalar(select(func.count().label('c')).selectFrom(addresses))).toBe(1);
    });
  });

  const values = new Table('vals', new MetaData(), {
    id: Column(Integer, { primaryKey: true }),
    big: Column(BigInteger),
    num: Column(Numeric(18, 4)),
    txt: Column(Text),
    flag: Column(Boolean),
    day: Column(DateType),
    at: Column(DateTime),
    atTz: Column(DateTime({ timezone: true })),
    doc: Column(JSON),
    uid: Column(Uuid),
    bin: Column(LargeBinary),
    mood: Column(Enum(['happy', 'sad'])),
  });

  test('every value type round-trips', async () => {
    await values.metadata.createAll(engine);
    const bytes = new Uint8Array(256);
    for (let i = 0; i < 256; i++) bytes[i] = i;
    const at = new Date('2024-02-29T23:59:58.123Z');
    const rowsIn = [
      {
        big: 2n ** 60n + 1n,
        num: '12345678901.2345',
        txt: 'emoji 🦀🎉 and ünïcode',
        flag: true,
        day: '2024-02-29',
        at,
        atTz: new Date('1999-12-31T00:00:00.001Z'),
        doc: { a: [1, 2, { b: null }], s: 'x' },
        uid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
        bin: bytes,
        mood: 'sad' as const,
      },
      { big: -5n, num: '-0.0001', txt: '', flag: false, day: '1970-01-01', at: new Date(0), atTz: new Date(0), doc: [1, 'two', true], uid: 'abc', bin: new Uint8Array(0), mood: 'happy' as const },
    ];
    await engine.begin(async (conn) => {
      for (const r of rowsIn) await conn.execute(insert(values).values(r));
    });
    const out = await engine.connect(async (conn) => (await conn.execute(select(values).orderBy(values.c.id))).all());
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({ id: 1, ...rowsIn[0] });
    expect(out[1]).toEqual({ id: 2, ...rowsIn[1] });
    expect(typeof out[0].big).toBe('bigint');
    expect(out[0].bin).toBeInstanceOf(Uint8Array);
    expect(Array.from(out[0].bin as Uint8Array)).toEqual(Array.from(bytes));
    expect((out[0].at as Date).getTime()).toBe(at.getTime());
    // Storage as the database sees it: a number for Numeric (15 digits are exact in a double), UTC timestamp text, 1/0 booleans.
    const raw = await engine.connect((conn) => conn.execDriverSQL('SELECT num, at, flag, typeof(num), typeof(big) FROM vals WHERE id = 1'));
    expect(raw.rows[0]).toEqual([12345678901.2345, '2024-02-29 23:59:58.123', 1, 'real', 'integer']);
    // Filtering by typed values works too.
    const found = await engine.connect(async (conn) => (await conn.execute(select(values.c.id).where(and(values.c.flag.eq(true), values.c.at.eq(at), values.c.big.eq(2n ** 60n + 1n))))).all());
    expect(found).toEqual([{ id: 1 }]);
  });

  test('integers: exact where the result type can exceed 2^53, plain numbers elsewhere', async () => {
    const md = new MetaData();
    const wide = new Table('wide_ints', md, {
      id: Column(Integer, { primaryKey: true }),
      small: Column(Integer),
      big: Column(BigInteger),
    });
    await md.createAll(engine);
    await engine.connect(async (conn) => {
      await conn.execute(insert(wide).values({ id: 1, small: 42, big: 2n ** 62n + 7n }));
      // A BigInteger column in the result: every integer is read exactly (bigint where it must be).
      expect((await conn.execute(select(wide.c.small, wide.c.big))).one()).toEqual({ small: 42, big: 2n ** 62n + 7n });
      // Integer columns only: numbers straight from the driver, same values.
      expect((await conn.execute(select(wide.c.id, wide.c.small))).one()).toEqual({ id: 1, small: 42 });
      // The same SQL text can run in both modes (the driver switches its cached statement).
      expect((await conn.execute(text('SELECT big FROM wide_ints'))).one()).toEqual({ big: 2n ** 62n + 7n });
      expect((await conn.execute(text('SELECT big FROM wide_ints').columns({ big: BigInteger }))).scalar()).toBe(2n ** 62n + 7n);
      expect((await conn.execute(select(func.count(wide.c.id).label('n')))).scalar()).toBe(1);
    });
    await md.dropAll(engine);
  });

  test('executemany UPDATE runs every set in one driver call; a failing set raises typed and rolls back', async () => {
    const md = new MetaData();
    const people = new Table('em_people', md, {
      id: Column(Integer, { primaryKey: true }),
      name: Column(String(20), { nullable: false, unique: true }),
    });
    await md.createAll(engine);
    await engine.connect(async (conn) => {
      await conn.execute(insert(people), [1, 2, 3].map((id) => ({ id, name: `p${id}` })));
      const rename = update(people).values({ name: bindparam('name') }).where(people.c.id.eq(bindparam('id')));
      const r = await conn.execute(rename, [
        { id: 1, name: 'ann' },
        { id: 2, name: 'bob' },
        { id: 9, name: 'nobody' },
      ]);
      expect(r.rowcount).toBe(2);
      expect((await conn.execute(select(people.c.name).orderBy(people.c.id))).scalars().all()).toEqual(['ann', 'bob', 'p3']);
      await expect(
        conn.begin(async () => {
          await conn.execute(rename, [
            { id: 1, name: 'zed' },
            { id: 3, name: 'bob' },
          ]);
        }),
      ).rejects.toBeInstanceOf(UniqueViolation);
      expect((await conn.execute(select(people.c.name).orderBy(people.c.id))).scalars().all()).toEqual(['ann', 'bob', 'p3']);
    });
    await md.dropAll(engine);
  });

  test('rows keyed by any label: quotes, a __proto__ label, processed and plain columns', async () => {
    await engine.connect(async (conn) => {
      const row = (await conn.execute(select(literal(1).label('a"b'), literal('x').label("it's"), literal(2).label('__proto__')))).one();
      expect(Object.keys(row)).toEqual(['a"b', "it's", '__proto__']);
      expect(row).toEqual(Object.fromEntries([['a"b', 1], ["it's", 'x'], ['__proto__', 2]]));
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    });
  });

  test('statements with 0 to 5 parameters: selects, single inserts and executemany', async () => {
    const md = new MetaData();
    const t = new Table('arity', md, {
      id: Column(Integer, { primaryKey: true }),
      a: Column(Integer),
      b: Column(Integer),
      c: Column(Integer),
      d: Column(Integer),
    });
    await md.createAll(engine);
    const cols = [t.c.id, t.c.a, t.c.b, t.c.c, t.c.d];
    const keys = ['id', 'a', 'b', 'c', 'd'] as const;
    await engine.connect(async (conn) => {
      for (let n = 1; n <= 5; n++) {
        const row = Object.fromEntries(keys.slice(0, n).map((k, i) => [k, n * 10 + i]));
        await conn.execute(insert(t).values(row));
        await conn.execute(insert(t), [{ ...row, id: n * 10 + 100 }]);
        await conn.execute(insert(t), [
          { ...row, id: n * 10 + 200 },
          { ...row, id: n * 10 + 300 },
        ]);
      }
      expect((await conn.execute(select(func.count()).selectFrom(t))).scalar()).toBe(20);
      for (let n = 0; n <= 5; n++) {
        const where = cols.slice(0, n).map((c, i) => c.eq(bindparam(`p${i}`, { type: Integer })));
        const params = Object.fromEntries(where.map((_, i) => [`p${i}`, 50 + i]));
        const q = select(t.c.id).where(...where);
        expect((await conn.execute(q, params)).scalars().all()).toEqual(n === 0 ? [10, 20, 30, 40, 50, 110, 120, 130, 140, 150, 210, 220, 230, 240, 250, 310, 320, 330, 340, 350] : [50]);
      }
    });
    await md.dropAll(engine);
  });

  test('driver options: one frozen object per compiled statement; a full executemany batch names its own statement', async () => {
    const md = new MetaData();
    const t = new Table('opts', md, { id: Column(Integer, { primaryKey: true }), name: Column(String(20)), note: Column(String(20)) });
    await md.createAll(engine);
    await engine.connect(async (conn) => {
      const driver = conn.driverConnection;
      const seen: { sql: string; options: QueryOptions }[] = [];
      // query() (executemany's path) runs through querySync too.
      const querySync = driver.querySync!.bind(driver);
      driver.querySync = (sql, params, options) => {
        seen.push({ sql, options });
        return querySync(sql, params, options);
      };
      try {
        const byId = select(t).where(t.c.id.eq(bindparam('id', { type: Integer })));
        await conn.execute(byId, { id: 1 });
        await conn.execute(byId, { id: 2 });
        expect(seen[0].options).toBe(seen[1].options);
        expect(Object.isFrozen(seen[0].options)).toBe(true);
        // A lookup by the whole primary key returns at most one row: its Result is read with get().
        expect(seen[0].options).toEqual({ returnsRows: true, rowMode: 'array', prepareName: seen[0].sql, wantsInsertId: false, exactIntegers: false, firstRowOnly: true });
        expect(seen[0].options).toBe(compileCached(engine.dialect, byId).compiled.firstRowOptions);
        const byName = select(t).where(t.c.name.eq(bindparam('name', { type: String(20) })));
        await conn.execute(byName, { name: 'a' });
        expect(seen[2].options).toEqual({ ...compileCached(engine.dialect, byName).compiled.queryOptions, fewRows: true });
        seen.length = 0;
        // first() and scalar() on a SELECT ask for one row; the driver answers with get().
        await conn.execute(insert(t), [{ id: 1, name: 'a', note: null }, { id: 2, name: 'b', note: null }]);
        seen.length = 0;
        expect(await conn.first(select(t.c.name).orderBy(t.c.id))).toEqual({ name: 'a' });
        expect(await conn.scalar(select(t.c.name).orderBy(t.c.id.desc()))).toBe('b');
        expect(seen.map((s) => s.options.firstRowOnly)).toEqual([true, true]);
        expect(seen[0].options).toBe(compileCached(engine.dialect, select(t.c.name).orderBy(t.c.id)).compiled.firstRowOptions);
        expect(querySync(seen[0].sql, [], seen[0].options).rows).toEqual([['a']]);
        await conn.execute(delete_(t));
        seen.length = 0;
        await conn.execute(select(t).where(t.c.id.in([1, 2, 3])));
        expect(seen[0].options.prepareName).toBeUndefined();
        seen.length = 0;
        // 1001 rows: one full batch (over 8192 characters of SQL, named anyway) and a remainder of one.
        await conn.execute(insert(t), Array.from({ length: 1001 }, (_, i) => ({ id: i + 1, name: `n${i}`, note: null })));
        expect(seen.map((s) => s.options.prepareName === s.sql)).toEqual([true, true]);
        expect(seen[0].sql.length).toBeGreaterThan(8192);
        expect(seen[1].options.wantsInsertId).toBe(true);
      } finally {
        driver.querySync = querySync;
      }
    });
    await md.dropAll(engine);
  });

  test('insertedPrimaryKey / rowcount', async () => {
    const { users } = contractTables();
    await engine.connect(async (conn) => {
      const r = await conn.execute(insert(users).values({ name: 'patrick', age: 40 }));
      expect(r.rowcount).toBe(1);
      const u = await conn.execute(update(users).values({ age: 41 }).where(users.c.age.ge(0)));
      expect(u.rowcount).toBeGreaterThanOrEqual(2);
      const ret = await conn.execute(insert(users).values({ name: 'gary' }).returning(users.c.id, users.c.name));
      expect(ret.one()).toEqual({ id: expect.any(Number), name: 'gary' });
    });
  });

  test('transaction: callback error rolls back and rethrows the original', async () => {
    const { users } = contractTables();
    const boom = new Error('boom');
    await expect(
      engine.begin(async (conn) => {
        await conn.execute(insert(users).values({ name: 'rollback-me' }));
        throw boom;
      }),
    ).rejects.toBe(boom);
    const n = await engine.connect((conn) => conn.scalar(select(func.count().label('c')).selectFrom(users).where(users.c.name.eq('rollback-me'))));
    expect(n).toBe(0);
  });

  test('savepoint rollback keeps outer work', async () => {
    const { users } = contractTables();
    await engine.begin(async (conn) => {
      await conn.execute(insert(users).values({ name: 'outer' }));
      await expect(
        conn.beginNested(async (c) => {
          await c.execute(insert(users).values({ name: 'inner' }));
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    const names = await engine.connect(async (conn) => (await conn.execute(select(users.c.name).where(users.c.name.in(['outer', 'inner'])))).all());
    expect(names).toEqual([{ name: 'outer' }]);
  });

  test('swallowed failed statement then commit raises PendingRollbackError and persists nothing', async () => {
    const { users } = contractTables();
    const conn = await engine.connect();
    try {
      await conn.begin();
      await conn.execute(insert(users).values({ name: 'pending' }));
      await conn.execute(insert(users).values({ id: 1, name: 'dup' })).catch(() => undefined);
      await expect(conn.commit()).rejects.toBeInstanceOf(PendingRollbackError);
    } finally {
      await conn.close();
    }
    const n = await engine.connect((c) => c.scalar(select(func.count().label('c')).selectFrom(users).where(users.c.name.eq('pending'))));
    expect(n).toBe(0);
  });

  test('unique violation is typed and carries sql, params, code and cause', async () => {
    const { addresses } = contractTables();
    const err = await engine.connect((conn) => conn.execute(insert(addresses).values({ userId: 1, email: 'spongebob@example.com' }))).catch((e) => e);
    expect(err).toBeInstanceOf(UniqueViolation);
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err.sql).toBe('INSERT INTO addresses (user_id, email) VALUES (?, ?)');
    expect(err.params).toEqual([1, 'spongebob@example.com']);
    expect(err.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    // The driver's own error (checked by name: better-sqlite3's error class may come from
    // another jest realm, where instanceof Error is false).
    expect(err.cause?.constructor?.name).toBe('SqliteError');
    expect(err.cause.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
  });

  test('syntax error is ProgrammingError; one() on zero rows raises NoResultFound', async () => {
    const { users } = contractTables();
    await engine.connect(async (conn) => {
      await expect(conn.execute(text('SELEC 1'))).rejects.toBeInstanceOf(ProgrammingError);
      const r = await conn.execute(select(users.c.id).where(users.c.name.eq('nobody')));
      expect(() => r.one()).toThrow(NoResultFound);
    });
  });

  test('upsert: onConflictDoUpdate and onConflictDoNothing', async () => {
    const kv = new Table('kv', new MetaData(), {
      k: Column(String(20), { primaryKey: true }),
      v: Column(Integer, { nullable: false }),
    });
    await kv.metadata.createAll(engine);
    await engine.begin(async (conn) => {
      await conn.execute(insert(kv).values({ k: 'a', v: 1 }));
      await conn.execute(onConflictDoUpdate(insert(kv).values({ k: 'a', v: 5 }), { target: ['k'], set: { v: excluded('v') } }));
      await conn.execute(onConflictDoUpdate(insert(kv).values({ k: 'b', v: 7 }), { target: ['k'], set: { v: excluded('v') } }));
      await conn.execute(onConflictDoNothing(insert(kv).values({ k: 'b', v: 100 }), { target: ['k'] }));
      await conn.execute(onConflictDoUpdate(insert(kv).values({ k: 'b', v: 200 }), { target: ['k'], set: { v: 300 }, where: kv.c.v.gt(1000) }));
    });
    const rows = await engine.connect(async (conn) => (await conn.execute(select(kv).orderBy(kv.c.k))).all());
    expect(rows).toEqual([
      { k: 'a', v: 5 },
      { k: 'b', v: 7 },
    ]);
  });

  test('streaming', async () => {
    const t = new Table('nums', new MetaData(), { n: Column(Integer, { primaryKey: true }) });
    await t.metadata.createAll(engine);
    await engine.connect((conn) => conn.execute(insert(t), Array.from({ length: 2500 }, (_, i) => ({ n: i + 1 }))));
    let count = 0;
    let sum = 0;
    await engine.connect(async (conn) => {
      for await (const row of conn.stream(select(t.c.n), undefined, { chunkSize: 100 })) {
        count++;
        sum += row.n as number;
      }
    });
    expect(count).toBe(2500);
    expect(sum).toBe((2500 * 2501) / 2);
  });

  test('hasTable through createAll checkFirst and dropAll', async () => {
    const { metadata } = contractTables();
    await metadata.createAll(engine); // tables exist: checkFirst skips them
    expect(await engine.connect((conn) => engine.plugin.hasTable(conn.driverConnection, engine.dialect, 'users'))).toBe(true);
    expect(await engine.connect((conn) => engine.plugin.hasTable(conn.driverConnection, engine.dialect, 'nope'))).toBe(false);
  });
});

describe('file database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'athanor-sqlite-'));
  const file = join(dir, 'x.db');
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('contract example on a file, visible to a second engine', async () => {
    const engine = createEngine(`sqlite:///${file}`);
    try {
      const { rows } = await runContract(engine);
      expect(rows).toEqual([
        { name: 'sandy', n: 2 },
        { name: 'spongebob', n: 1 },
      ]);
    } finally {
      await engine.dispose();
    }
    const again = createEngine(`sqlite:///${file}`);
    try {
      const n = await again.connect((conn) => conn.execDriverSQL('SELECT count(*) FROM addresses'));
      expect(n.rows).toEqual([[3]]);
    } finally {
      await again.dispose();
    }
  });
});
