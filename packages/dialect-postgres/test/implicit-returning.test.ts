/**
 * `result.insertedPrimaryKey` on PostgreSQL: a single-row INSERT into a table with an
 * autoincrement primary key gets an implicit `RETURNING pk`, and the driver hands the value
 * to the engine as the insert id (no rows). Multi-row VALUES, executemany's batches,
 * INSERT ... SELECT and an explicit returning() are left as they were.
 */
import {
  BigInteger,
  Column,
  Integer,
  insert,
  MetaData,
  Sequence,
  String,
  select,
  Table,
} from '@athanor/core';
import { onConflictDoNothing, PostgresDialect } from '../src';
import { engineInOwnSchema, liveDescribe } from './server';

const dialect = new PostgresDialect();
const schema = `athanor_ipk_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const metadata = new MetaData({ schema });
const items = new Table('items', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(20), { unique: true }),
});
const bigs = new Table('bigs', metadata, {
  id: Column(BigInteger, { primaryKey: true }),
  name: Column(String(20)),
});
const seqd = new Table('seqd', metadata, {
  id: Column(Integer, Sequence('seqd_id_seq', { start: 100 }), { primaryKey: true }),
  name: Column(String(20)),
});
const keyed = new Table('keyed', metadata, {
  code: Column(String(10), { primaryKey: true }),
  n: Column(Integer),
});

describe('implicit RETURNING (exact SQL)', () => {
  test('a single-row INSERT returns the autoincrement primary key', () => {
    expect(insert(items).values({ name: 'a' }).compile(dialect).sql).toBe(
      `INSERT INTO ${schema}.items (name) VALUES ($1) RETURNING ${schema}.items.id`,
    );
    expect(insert(items).compile(dialect).sql).toBe(
      `INSERT INTO ${schema}.items DEFAULT VALUES RETURNING ${schema}.items.id`,
    );
    expect(insert(seqd).values({ name: 'a' }).compile(dialect).sql).toBe(
      `INSERT INTO ${schema}.seqd (name) VALUES ($1) RETURNING ${schema}.seqd.id`,
    );
  });

  test('none for multi-row VALUES, INSERT ... SELECT, a table without an autoincrement key, or a returning() of its own', () => {
    expect(
      insert(items)
        .values([{ name: 'a' }, { name: 'b' }])
        .compile(dialect).sql,
    ).toBe(`INSERT INTO ${schema}.items (name) VALUES ($1), ($2)`);
    expect(insert(items).fromSelect(['name'], select(keyed.c.code)).compile(dialect).sql).toBe(
      `INSERT INTO ${schema}.items (name) SELECT ${schema}.keyed.code FROM ${schema}.keyed`,
    );
    expect(insert(keyed).values({ code: 'x', n: 1 }).compile(dialect).sql).toBe(
      `INSERT INTO ${schema}.keyed (code, n) VALUES ($1, $2)`,
    );
    expect(insert(items).values({ name: 'a' }).returning(items.c.name).compile(dialect).sql).toBe(
      `INSERT INTO ${schema}.items (name) VALUES ($1) RETURNING ${schema}.items.name`,
    );
  });
});

const d = liveDescribe('implicit RETURNING tests');

d('implicit RETURNING (live PostgreSQL)', () => {
  const statements: string[] = [];

  const engine = engineInOwnSchema(schema, metadata, { echo: (line: string) => statements.push(line) });

  test('insertedPrimaryKey is the new id; rowcount 1; no rows', async () => {
    const first = await engine().begin((c) => c.execute(insert(items).values({ name: 'one' })));
    const second = await engine().begin((c) => c.execute(insert(items).values({ name: 'two' })));
    expect(first.insertedPrimaryKey).toBe(1);
    expect(second.insertedPrimaryKey).toBe(2);
    expect(second.rowcount).toBe(1);
    expect(second.all()).toEqual([]);
    const rows = await engine().connect(async (c) =>
      (await c.execute(select(items.c.id, items.c.name).orderBy(items.c.id))).all(),
    );
    expect(rows).toEqual([
      { id: 1, name: 'one' },
      { id: 2, name: 'two' },
    ]);
  });

  test('a given id, DEFAULT VALUES, a BIGINT key (bigint), a Sequence key', async () => {
    await engine().begin(async (c) => {
      expect((await c.execute(insert(items).values({ id: 50, name: 'fifty' }))).insertedPrimaryKey).toBe(50);
      const empty = await c.execute(insert(items));
      expect(empty.insertedPrimaryKey).toBe(3);
      expect((await c.execute(insert(bigs).values({ name: 'b' }))).insertedPrimaryKey).toBe(1n);
      expect((await c.execute(insert(seqd).values({ name: 's' }))).insertedPrimaryKey).toBe(100);
    });
  });

  test('an explicit returning() still returns its rows', async () => {
    const res = await engine().begin((c) =>
      c.execute(insert(items).values({ name: 'ret' }).returning(items.c.id, items.c.name)),
    );
    expect(res.all()).toEqual([{ id: 4, name: 'ret' }]);
  });

  test('executemany: batches without RETURNING, every row inserted', async () => {
    statements.length = 0;
    const res = await engine().begin((c) =>
      c.execute(insert(items), [{ name: 'm1' }, { name: 'm2' }, { name: 'm3' }]),
    );
    expect(res.rowcount).toBe(3);
    expect(res.insertedPrimaryKey).toBeUndefined();
    const sent = statements.filter((s) => s.includes('INSERT INTO'));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.some((s) => s.includes('RETURNING'))).toBe(false);
    // A list of one row runs the single-row statement: its RETURNING value is read, not returned as a row.
    const one = await engine().begin((c) => c.execute(insert(items), [{ name: 'm4' }]));
    expect(one.rowcount).toBe(1);
    const names = await engine().connect(async (c) =>
      (await c.execute(select(items.c.name).where(items.c.name.like('m%')).orderBy(items.c.name)))
        .scalars()
        .all(),
    );
    expect(names).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  test('multi-row VALUES and INSERT ... SELECT report rowcount and no insert id', async () => {
    await engine().begin(async (c) => {
      const multi = await c.execute(
        insert(keyed).values([
          { code: 'a', n: 1 },
          { code: 'b', n: 2 },
        ]),
      );
      expect([multi.rowcount, multi.insertedPrimaryKey]).toEqual([2, undefined]);
      const copied = await c.execute(insert(items).fromSelect(['name'], select(keyed.c.code)));
      expect([copied.rowcount, copied.insertedPrimaryKey]).toEqual([2, undefined]);
    });
  });

  test('a table without an autoincrement key: no insert id', async () => {
    const res = await engine().begin((c) => c.execute(insert(keyed).values({ code: 'k', n: 3 })));
    expect([res.rowcount, res.insertedPrimaryKey]).toEqual([1, undefined]);
  });

  test('ON CONFLICT DO NOTHING that skips the row: rowcount 0, no insert id', async () => {
    const res = await engine().begin((c) =>
      c.execute(onConflictDoNothing(insert(items).values({ name: 'one' }), { target: [items.c.name] })),
    );
    expect([res.rowcount, res.insertedPrimaryKey]).toEqual([0, undefined]);
    const inserted = await engine().begin((c) =>
      c.execute(onConflictDoNothing(insert(items).values({ name: 'fresh' }), { target: [items.c.name] })),
    );
    expect(inserted.rowcount).toBe(1);
    expect(typeof inserted.insertedPrimaryKey).toBe('number');
  });
});
