/**
 * A Result reads from better-sqlite3 only the rows it is asked for: `one()` steps the
 * statement twice, whatever the result's size. Rows pulled from the driver are counted by
 * a SQL function the statement calls once per row it steps.
 */
import { Column, type Connection, type Engine, Integer, MetaData, MultipleResultsFound, ResourceClosedError, Table, Text, createEngine, func, insert, select, typeCoerce } from '@athanor/core';
import type Database from 'better-sqlite3';
import '../src';

const N = 5000;
let engine: Engine;
const md = new MetaData();
const nums = new Table('lazy_nums', md, { n: Column(Integer, { primaryKey: true }), label: Column(Text) });

let pulled = 0;
/** Registers `pulled(x)` on the connection's database: counts the rows stepped, returns x. */
function countPulls(conn: Connection, failAt = 0): void {
  const db = (conn.driverConnection as unknown as { db: Database.Database }).db;
  db.function('pulled', (x: unknown) => {
    pulled++;
    if (failAt > 0 && pulled === failAt) throw new Error(`row ${failAt} failed`);
    return x;
  });
}
/** `pulled(n)`, typed as the column. Each test's statement has a shape of its own: the compiled cache keeps a shape's reading hint. */
const pulledN = () => typeCoerce(func.pulled(nums.c.n), Integer);
// No ORDER BY: the rows come from the primary key's b-tree in order, stepped one at a time.
const q = select(pulledN().label('n'), nums.c.label);

beforeAll(async () => {
  engine = createEngine('sqlite://');
  await md.createAll(engine);
  await engine.begin((c) => c.execute(insert(nums), Array.from({ length: N }, (_, i) => ({ n: i + 1, label: `n${i + 1}` }))));
});
afterAll(() => engine.dispose());

test('one() pulls two rows of five thousand, drops the rest, and all() reads every row on request', async () => {
  await engine.connect(async (c) => {
    countPulls(c);
    pulled = 0;
    const r = await c.execute(q);
    expect(() => r.one()).toThrow(MultipleResultsFound);
    expect(() => r.oneOrNone()).toThrow(/more than 2 rows/);
    expect(r.first()).toEqual({ n: 1, label: 'n1' });
    expect(() => r.all()).toThrow(ResourceClosedError);
    await c.execute(select(nums.c.n).where(nums.c.n.eq(1)));
    await new Promise((resolve) => setImmediate(resolve));
    // Neither the next statement nor the end of the turn read the dropped rows.
    expect(pulled).toBe(2);
    pulled = 0;
    const all = (await c.execute(q)).all();
    expect(pulled).toBe(N);
    expect(all.map((row) => row.n)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    // The statement's last Result was read in full: the next execution reads every row at once.
    pulled = 0;
    await c.execute(q);
    expect(pulled).toBe(N);
  });
});

test('a statement read with one() keeps reading two rows per execution', async () => {
  await engine.connect(async (c) => {
    countPulls(c);
    const byLabel = select(pulledN().label('n')).where(nums.c.label.like('n1%'));
    for (let i = 0; i < 3; i++) {
      pulled = 0;
      const r = await c.execute(byLabel);
      expect(() => r.one()).toThrow(MultipleResultsFound);
      expect(pulled).toBe(2);
    }
  });
});

test('the connection runs other statements while a Result holds unread rows; the Result keeps the rows of its execution', async () => {
  await engine.connect(async (c) => {
    countPulls(c);
    const fresh = select(pulledN().label('n')).where(nums.c.n.gt(0));
    pulled = 0;
    const r = await c.execute(fresh);
    expect(pulled).toBe(2);
    await c.begin();
    await c.execute(insert(nums).values({ n: N + 1, label: 'late' }));
    // The insert ran after the open read was taken into memory: the Result has the rows as executed.
    expect(pulled).toBe(N);
    expect(r.all()).toHaveLength(N);
    expect((await c.execute(select(nums.c.n).where(nums.c.n.eq(N + 1)))).one()).toEqual({ n: N + 1 });
    await c.rollback();
  });
});

test('an unread Result holds its read no longer than the event-loop turn, and stays readable after close()', async () => {
  const fresh = select(pulledN().label('n')).where(nums.c.n.gt(1), nums.c.n.lt(N + 10));
  await engine.connect(async (c) => {
    countPulls(c);
    pulled = 0;
    const r = await c.execute(fresh);
    expect(pulled).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pulled).toBe(N - 1);
    expect(r.all()).toHaveLength(N - 1);
  });
  const c = await engine.connect();
  countPulls(c);
  pulled = 0;
  const fresh2 = select(pulledN().label('n')).where(nums.c.n.gt(2), nums.c.label.like('n%'));
  const r = await c.execute(fresh2);
  await c.close();
  expect(r.all()).toHaveLength(N - 2);
  expect(pulled).toBe(N - 2);
});

test('a row that fails after the second is reported when the Result reads it', async () => {
  await engine.connect(async (c) => {
    countPulls(c, 100);
    pulled = 0;
    const failing = select(pulledN().label('n')).where(nums.c.n.gt(3), nums.c.label.notLike('x%'));
    const r = await c.execute(failing);
    expect(pulled).toBe(2);
    expect(() => r.all()).toThrow(/row 100 failed/);
  });
});
