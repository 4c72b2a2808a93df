/**
 * ORM bulk statements through session.execute: INSERT of dicts, UPDATE by primary key from
 * dicts, UPDATE/DELETE with WHERE and each synchronizeSession mode keeping loaded objects
 * right. Rows are read back with Core on another connection.
 */
import { Column, Integer, InvalidRequestError, String, delete_, insert, select, update } from '@athanor/core';
import { Session, declarativeBase, statusOf } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Member extends Base.mapped('bk_member', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  name: Column(String(30), { nullable: false }),
  age: Column(Integer, { nullable: false }),
}) {}

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const stored = async (ids: number[]) =>
    live.rows<{ id: number; name: string; age: number }>(select(Member.c.id, Member.c.name, Member.c.age).where(Member.c.id.in(ids)).orderBy(Member.c.id));

  async function seed(base: number): Promise<number[]> {
    const ids = [base + 1, base + 2, base + 3];
    await using s = new Session(live.engine);
    await s.execute(insert(Member), [
      { id: ids[0], name: 'ann', age: 25 },
      { id: ids[1], name: 'bob', age: 35 },
      { id: ids[2], name: 'cyd', age: 45 },
    ]);
    expect(s.new).toEqual([]);
    await s.commit();
    return ids;
  }

  test('insert(Mapped) with a list of dicts inserts rows and makes no objects', async () => {
    const ids = await seed(100);
    expect(await stored(ids)).toEqual([
      { id: ids[0], name: 'ann', age: 25 },
      { id: ids[1], name: 'bob', age: 35 },
      { id: ids[2], name: 'cyd', age: 45 },
    ]);
  });

  test('update(Mapped) with dicts naming the key: one executemany, loaded objects take the values', async () => {
    const ids = await seed(200);
    await using s = new Session(live.engine);
    const bob = (await s.get(Member, ids[1]))!;
    const mark = live.log.length;
    await s.execute(update(Member), [
      { id: ids[0], age: 26 },
      { id: ids[1], age: 36 },
    ]);
    // One statement for both rows (PostgreSQL logs each execution of it).
    expect(new Set(live.writes(mark).map((l) => l.replace(/ -- .*$/, '')))).toEqual(new Set([expect.stringMatching(/^UPDATE bk_member SET age = .* WHERE bk_member.id = /)]));
    expect(bob.age).toBe(36);
    await s.commit();
    expect((await stored(ids)).map((r) => r.age)).toEqual([26, 36, 45]);
  });

  test("update().where() with synchronizeSession 'auto' (evaluated): matched loaded objects change, others keep theirs", async () => {
    const ids = await seed(300);
    await using s = new Session(live.engine);
    const all = (await s.scalars(select(Member).where(Member.c.id.in(ids)).orderBy(Member.c.id))).all();
    await s.execute(update(Member).where(Member.c.id.in(ids), Member.c.age.gt(30)).values({ age: 99 }));
    expect(all.map((m) => m.age)).toEqual([25, 99, 99]);
    await s.commit();
    expect((await stored(ids)).map((r) => r.age)).toEqual([25, 99, 99]);
  });

  test("a WHERE on text cannot be evaluated: 'evaluate' raises, 'auto' and 'fetch' select the keys first", async () => {
    const ids = await seed(400);
    await using s = new Session(live.engine);
    const all = (await s.scalars(select(Member).where(Member.c.id.in(ids)).orderBy(Member.c.id))).all();
    await expect(s.execute(update(Member).where(Member.c.name.eq('ann')).values({ age: 1 }), undefined, { synchronizeSession: 'evaluate' })).rejects.toThrow(InvalidRequestError);
    await s.execute(update(Member).where(Member.c.id.in(ids), Member.c.name.eq('ann')).values({ age: 1 }));
    await s.execute(update(Member).where(Member.c.id.in(ids), Member.c.name.eq('cyd')).values({ age: 2 }), undefined, { synchronizeSession: 'fetch' });
    expect(all.map((m) => m.age)).toEqual([1, 35, 2]);
    await s.commit();
    expect((await stored(ids)).map((r) => r.age)).toEqual([1, 35, 2]);
  });

  test('delete_().where(): matched loaded objects are deleted, detached after commit; false leaves them as they were', async () => {
    const ids = await seed(500);
    await using s = new Session(live.engine);
    const [ann, bob, cyd] = (await s.scalars(select(Member).where(Member.c.id.in(ids)).orderBy(Member.c.id))).all();
    await s.execute(delete_(Member).where(Member.c.id.eq(ids[0])));
    expect(statusOf(ann)).toBe('deleted');
    expect(await s.get(Member, ids[0])).toBeNull();
    await s.execute(update(Member).where(Member.c.id.eq(ids[1])).values({ age: 7 }), undefined, { synchronizeSession: false });
    expect(bob.age).toBe(35);
    await s.commit();
    expect(statusOf(ann)).toBe('detached');
    expect(statusOf(cyd)).toBe('persistent');
    expect(await stored(ids)).toEqual([
      { id: ids[1], name: 'bob', age: 7 },
      { id: ids[2], name: 'cyd', age: 45 },
    ]);
  });

  test('unknown synchronizeSession values and options are refused', async () => {
    await using s = new Session(live.engine);
    await expect(s.execute(update(Member).values({ age: 1 }), undefined, { synchronizeSession: 'yes' as never })).rejects.toThrow("synchronizeSession is 'auto', 'evaluate', 'fetch' or false");
    await expect(s.execute(select(Member), undefined, { populate: true } as never)).rejects.toThrow("unknown option 'populate'");
  });
});
