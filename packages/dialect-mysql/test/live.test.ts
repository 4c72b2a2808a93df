import {
  BigInteger,
  Boolean,
  Column,
  Date as DateType,
  DateTime,
  type Engine,
  Enum,
  ForeignKey,
  IntegrityError,
  Integer,
  JSON as JSONType,
  LargeBinary,
  MetaData,
  NoResultFound,
  Numeric,
  PendingRollbackError,
  String,
  Table,
  Text,
  UniqueViolation,
  UnsupportedCompilationError,
  ForeignKeyViolation,
  NotNullViolation,
  DataError,
  ProgrammingError,
  Uuid,
  and,
  createEngine,
  delete_,
  update,
  desc,
  func,
  insert,
  select,
} from '@athanor/core';
import { liveServer } from '@athanor/testing';
import { createConnection } from 'mysql2/promise';
import { type MySQLDialect, inserted, insertedValue, onDuplicateKeyUpdate } from '../src';

const BASE_URL = process.env.ATHANOR_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

function parse(url: string) {
  const u = new URL(url.replace(/^(mysql|mariadb)(\+\w+)?:/, 'http:'));
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username) || undefined, password: u.password ? decodeURIComponent(u.password) : undefined };
}
const server = parse(BASE_URL);

const available = liveServer('MariaDB/MySQL', BASE_URL, 'ATHANOR_MYSQL_URL').gate('dialect-mysql live tests');
const d = available ? describe : describe.skip;

const dbName = `athanor_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const url = `${BASE_URL.replace(/\/[^/?]*(\?.*)?$/, '')}/${dbName}`;

d('mysql live', () => {
  let engine: Engine;

  beforeAll(async () => {
    const admin = await createConnection(server);
    await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    engine = createEngine(url);
  });

  afterAll(async () => {
    await engine?.dispose();
    const admin = await createConnection(server);
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
  });

  test('core contract example', async () => {
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
    const rows = await engine.connect(async (conn) => (await conn.execute(stmt)).all());
    expect(rows).toEqual([
      { name: 'sandy', n: 2 },
      { name: 'spongebob', n: 1 },
    ]);
    await metadata.dropAll(engine);
  });

  describe('values round-trip', () => {
    const metadata = new MetaData();
    const values = new Table('vals', metadata, {
      id: Column(Integer, { primaryKey: true }),
      big: Column(BigInteger),
      num: Column(Numeric(18, 4)),
      txt: Column(Text),
      str: Column(String(20)),
      flag: Column(Boolean),
      day: Column(DateType),
      at: Column(DateTime),
      atTz: Column(DateTime({ timezone: true })),
      doc: Column(JSONType),
      uid: Column(Uuid),
      bin: Column(LargeBinary()),
      mood: Column(Enum(['happy', 'sad'])),
    });
    const bytes = new Uint8Array(256).map((_, i) => i);
    const at = new Date('2024-02-29T23:59:58.123Z');

    beforeAll(async () => {
      await metadata.createAll(engine);
    });

    test('every type of the value table', async () => {
      const row = {
        big: 2n ** 60n + 1n,
        num: '12345678901234.5678',
        txt: 'sponge 🧽 bob — ünïcode',
        str: '🦀 crab',
        flag: true,
        day: '2024-02-29',
        at,
        atTz: at,
        doc: { a: [1, 2, { b: null }], s: 'é' },
        uid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
        bin: bytes,
        mood: 'happy' as const,
      };
      const res = await engine.begin((conn) => conn.execute(insert(values).values(row)));
      const id = res.insertedPrimaryKey as any;
      expect(id).toBeDefined();
      await engine.begin((conn) => conn.execute(insert(values).values({ flag: false, doc: [1, 'two', [3]] })));
      const got = await engine.connect(async (conn) => (await conn.execute(select(values).orderBy(values.c.id))).all());
      expect(got).toHaveLength(2);
      const [a, b] = got as any[];
      expect(a.big).toBe(2n ** 60n + 1n);
      expect(a.num).toBe('12345678901234.5678');
      expect(a.txt).toBe(row.txt);
      expect(a.str).toBe(row.str);
      expect(a.flag).toBe(true);
      expect(b.flag).toBe(false);
      expect(a.day).toBe('2024-02-29');
      expect(a.at).toEqual(at);
      expect(a.atTz).toEqual(at);
      expect(a.doc).toEqual(row.doc);
      expect(b.doc).toEqual([1, 'two', [3]]);
      expect(a.uid).toBe(row.uid);
      expect(a.bin).toBeInstanceOf(Uint8Array);
      expect(Array.from(a.bin)).toEqual(Array.from(bytes));
      expect(a.mood).toBe('happy');
      expect(b.big).toBeNull();
      expect(b.at).toBeNull();
    });

    test("DateTime and Date do not shift with session time_zone '-05:00'", async () => {
      await engine.connect(async (conn) => {
        await conn.execDriverSQL("SET time_zone = '-05:00'");
        try {
          const when = new Date('2023-11-05T01:30:00.789Z');
          await conn.begin(async (c) => {
            await c.execute(insert(values).values({ id: 100, at: when, atTz: when, day: '2023-01-01' }));
          });
          const r = (await conn.execute(select(values.c.at, values.c.atTz, values.c.day).where(values.c.id.eq(100)))).one();
          expect(r).toEqual({ at: when, atTz: when, day: '2023-01-01' });
        } finally {
          await conn.execDriverSQL("SET time_zone = '+00:00'");
        }
      });
      const r2 = await engine.connect(async (conn) => (await conn.execute(select(values.c.at).where(values.c.id.eq(100)))).one());
      expect(r2.at).toEqual(new Date('2023-11-05T01:30:00.789Z'));
    });
  });

  describe('transactions and errors', () => {
    const metadata = new MetaData();
    const items = new Table('items', metadata, {
      id: Column(Integer, { primaryKey: true }),
      name: Column(String(40), { nullable: false, unique: true }),
      qty: Column(Integer),
    });
    const names = async () => engine.connect(async (conn) => (await conn.execute(select(items.c.name).orderBy(items.c.name))).scalars().all());

    beforeAll(async () => {
      await metadata.createAll(engine);
    });
    beforeEach(async () => {
      await engine.begin((conn) => conn.execute(delete_(items)));
    });

    test('begin callback error rolls back and rethrows the original', async () => {
      const boom = new Error('boom');
      await expect(
        engine.begin(async (conn) => {
          await conn.execute(insert(items).values({ name: 'a' }));
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await names()).toEqual([]);
    });

    test('savepoint rollback keeps outer work', async () => {
      await engine.begin(async (conn) => {
        await conn.execute(insert(items).values({ name: 'outer' }));
        const sp = await conn.beginNested();
        await conn.execute(insert(items).values({ name: 'inner' }));
        await sp.rollback();
        await conn.execute(insert(items).values({ name: 'after' }));
      });
      expect(await names()).toEqual(['after', 'outer']);
    });

    test('swallowed failure then commit raises PendingRollbackError and persists nothing', async () => {
      await expect(
        engine.begin(async (conn) => {
          await conn.execute(insert(items).values({ name: 'dup' }));
          try {
            await conn.execute(insert(items).values({ name: 'dup' }));
          } catch {
            // swallowed
          }
        }),
      ).rejects.toBeInstanceOf(PendingRollbackError);
      expect(await names()).toEqual([]);
    });

    test('unique violation is typed and carries the SQL', async () => {
      await engine.begin((conn) => conn.execute(insert(items).values({ name: 'u' })));
      const err: any = await engine.begin((conn) => conn.execute(insert(items).values({ name: 'u' }))).catch((e) => e);
      expect(err).toBeInstanceOf(UniqueViolation);
      expect(err).toBeInstanceOf(IntegrityError);
      expect(err.sql).toBe('INSERT INTO items (name) VALUES (?)');
      expect(err.params).toEqual(['u']);
      expect(err.code).toBe('ER_DUP_ENTRY');
      expect(err.cause).toBeDefined();
    });

    test('one() on zero rows raises NoResultFound', async () => {
      await expect(engine.connect(async (conn) => (await conn.execute(select(items).where(items.c.id.eq(-1)))).one())).rejects.toBeInstanceOf(NoResultFound);
    });

    test('not-null, foreign-key and data errors are typed', async () => {
      const md = new MetaData();
      new Table('parent', md, { id: Column(Integer, { primaryKey: true }) });
      const child = new Table('child', md, {
        id: Column(Integer, { primaryKey: true }),
        parentId: Column(Integer, ForeignKey('parent.id'), { name: 'parent_id', nullable: false }),
      });
      await md.createAll(engine);
      await md.createAll(engine); // checkFirst through hasTable: no error the second time
      const fk = await engine.begin((conn) => conn.execute(insert(child).values({ parentId: 42 }))).catch((e) => e);
      expect(fk).toBeInstanceOf(ForeignKeyViolation);
      const nn = await engine.begin((conn) => conn.execute(insert(child).values({ parentId: null as any }))).catch((e) => e);
      expect(nn).toBeInstanceOf(NotNullViolation);
      const long = await engine.begin((conn) => conn.execute(insert(items).values({ name: 'x'.repeat(41) }))).catch((e) => e);
      expect(long).toBeInstanceOf(DataError);
      const bad = await engine.connect((conn) => conn.execDriverSQL('SELECT * FROM no_such_table')).catch((e) => e);
      expect(bad).toBeInstanceOf(ProgrammingError);
      await md.dropAll(engine);
    });

    test('RETURNING follows the server: MariaDB >= 10.5 INSERT/DELETE, MySQL refuses', async () => {
      const stmt = insert(items).values({ name: 'r', qty: 7 }).returning(items.c.id, items.c.qty);
      await engine.connect(async (conn) => conn.execute(select(func.count(items.c.id))));
      const dia = engine.dialect as MySQLDialect;
      if (dia.isMariaDB && dia.serverVersionAtLeast(10, 5)) {
        const rows = await engine.begin(async (conn) => (await conn.execute(stmt)).all());
        expect(rows).toEqual([{ id: expect.any(Number), qty: 7 }]);
        const del = await engine.begin(async (conn) => (await conn.execute(delete_(items).where(items.c.name.eq('r')).returning(items.c.name))).all());
        expect(del).toEqual([{ name: 'r' }]);
      } else {
        await expect(engine.begin((conn) => conn.execute(stmt))).rejects.toBeInstanceOf(UnsupportedCompilationError);
      }
      await expect(engine.begin((conn) => conn.execute(update(items).values({ qty: 1 }).returning(items.c.id)))).rejects.toBeInstanceOf(UnsupportedCompilationError);
    });

    test('onDuplicateKeyUpdate upserts', async () => {
      await engine.begin(async (conn) => {
        await conn.execute(insert(items).values({ name: 'k', qty: 1 }));
        await conn.execute(onDuplicateKeyUpdate(insert(items).values({ name: 'k', qty: 5 }), { qty: inserted }));
        await conn.execute(onDuplicateKeyUpdate(insert(items).values({ name: 'k', qty: 100 }), { qty: items.c.qty.add(1) }));
        // A counter: add the proposed value to the stored one.
        await conn.execute(onDuplicateKeyUpdate(insert(items).values({ name: 'k', qty: 10 }), { qty: items.c.qty.add(insertedValue(items.c.qty)) }));
      });
      const rows = await engine.connect(async (conn) => (await conn.execute(select(items.c.name, items.c.qty))).all());
      expect(rows).toEqual([{ name: 'k', qty: 16 }]);
    });

    test('update rowcount is rows matched, not rows changed', async () => {
      await engine.begin((conn) => conn.execute(insert(items), [{ name: 'x', qty: 1 }, { name: 'y', qty: 1 }]));
      const res = await engine.begin((conn) => conn.execute(update(items).values({ qty: 1 })));
      expect(res.rowcount).toBe(2);
    });

    test('stream yields every row in chunks', async () => {
      await engine.begin((conn) => conn.execute(insert(items), Array.from({ length: 25 }, (_, i) => ({ name: `s${i}`, qty: i }))));
      const seen: number[] = [];
      await engine.connect(async (conn) => {
        for await (const r of conn.stream(select(items.c.qty).orderBy(items.c.qty), undefined, { chunkSize: 10 })) seen.push(r.qty as number);
        // stop early, then the connection is still usable
        for await (const _ of conn.stream(select(items.c.qty), undefined, { chunkSize: 3 })) break;
        expect((await conn.execute(select(func.count(items.c.id).label('n')))).scalar()).toBe(25);
      });
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
    });
  });
});
