/**
 * Integer keys of every range share one identity map with other keys: zero, negative, huge
 * and sparse keys, each one object per row, found again by get(), expired and detached by
 * the session as a whole. And a `select(Entity)` Result read every way gives the same objects.
 */
import { BigInteger, Column, Integer, String, select } from '@athanor/core';
import { Session, declarativeBase, statusOf } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Num extends Base.mapped('idk_num', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  label: Column(String(20)),
}) {}
class Big extends Base.mapped('idk_big', {
  id: Column(BigInteger, { primaryKey: true, autoincrement: false }),
  label: Column(String(20)),
}) {}

// Zero, negatives, a dense run, and keys far apart (2^31 - 1 is past the array-index range).
const ids = [0, -1, -2147483648, 1, 2, 3, 1_000_000_000, 2147483647, 7];

// A row's entity key is the class's name, which the types cannot know: read it by name here.
const numOf = (row: object) => (row as { Num: Num }).Num;

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  test('integer keys of every range: one object per row, found by get() without a query, detached on close', async () => {
    await live.engine.begin(async (c) => {
      for (const id of ids) await c.execute(Num.table.insert().values({ id, label: `n${id}` }));
    });
    const s = new Session(live.engine);
    const all = (await s.scalars(select(Num).orderBy(Num.c.id))).all();
    expect(all.map((n) => n.id)).toEqual([...ids].sort((a, b) => a - b));
    const mark = live.log.length;
    for (const n of all) expect(await s.get(Num, n.id)).toBe(n);
    expect(live.log.slice(mark).filter((l) => /^SELECT/.test(l))).toEqual([]);
    // A second query hands back the same objects.
    const again = (await s.scalars(select(Num).where(Num.c.id.in([0, -2147483648, 2147483647])).orderBy(Num.c.id))).all();
    expect(again).toEqual([all[0], all[2], all[8]]);
    expect(again[0]).toBe(all[0]);
    s.expunge(all[1]);
    expect(statusOf(all[1])).toBe('detached');
    expect(s.identityMap.size).toBe(ids.length - 1);
    s.expireAll();
    await s.close();
    for (const n of all) expect(statusOf(n)).toBe('detached');
  });

  test('bigint keys beyond 2^53 and a number key of the same magnitude are different rows', async () => {
    const s = new Session(live.engine);
    s.addAll([new Big({ id: 9007199254740993n, label: 'huge' }), new Big({ id: 5n, label: 'five' })]);
    await s.commit();
    const huge = (await s.get(Big, 9007199254740993n))!;
    expect(huge.label).toBe('huge');
    expect(await s.get(Big, 5n)).toBe((await s.scalars(select(Big).where(Big.c.id.eq(5n)))).one());
    await s.close();
  });

  test('a select(Entity) Result read with all(), first(), one(), scalar() and iteration gives the loaded objects', async () => {
    await live.engine.begin(async (c) => {
      await c.execute(Num.table.insert().values([{ id: 101, label: 'a' }, { id: 102, label: 'b' }]));
    });
    await using s = new Session(live.engine);
    const r1 = await s.execute(select(Num).where(Num.c.id.between(100, 200)).orderBy(Num.c.id));
    const scalars = r1.scalars().all();
    const rows = r1.all();
    expect(rows.map(numOf)).toEqual(scalars);
    expect(rows[0]).toEqual({ Num: scalars[0] });
    expect(Object.keys(rows[1])).toEqual(['Num']);
    expect([...r1].map((r) => numOf(r).label)).toEqual(['a', 'b']);
    // Changing the list scalars() gave does not change the Result's rows.
    scalars.reverse();
    expect(r1.all().map((r) => numOf(r).id)).toEqual([101, 102]);
    expect((await s.execute(select(Num).where(Num.c.id.between(100, 200)).orderBy(Num.c.id))).first()).toEqual({ Num: numOf(rows[0]) });
    expect((await s.execute(select(Num).where(Num.c.id.eq(102)))).one()).toEqual({ Num: numOf(rows[1]) });
    expect((await s.execute(select(Num).where(Num.c.id.eq(102)))).scalar()).toBe(numOf(rows[1]));
    expect((await s.execute(select(Num).where(Num.c.id.eq(103)))).oneOrNone()).toBeNull();
  });
});
