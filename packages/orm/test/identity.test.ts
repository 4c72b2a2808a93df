/** The identity map follows a primary key changed by an UPDATE. */
import { Column, String, select } from '@athanor/core';
import { Session, declarativeBase } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Code extends Base.mapped('id_code', {
  code: Column(String(5), { primaryKey: true }),
  label: Column(String(10)),
}) {}
class Pair extends Base.mapped('id_pair', {
  a: Column(String(5), { primaryKey: true }),
  b: Column(String(5), { primaryKey: true }),
  label: Column(String(10)),
}) {}

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const selects = (mark: number) => live.log.slice(mark).filter((l) => /^SELECT/.test(l));

  test('after a primary key change, get() finds the object under the new key only', async () => {
    await using s = new Session(live.engine);
    s.add(new Code({ code: 'old', label: 'L' }));
    await s.commit();
    const c = (await s.get(Code, 'old'))!;
    c.code = 'new';
    await s.commit();
    const mark = live.log.length;
    expect(await s.get(Code, 'new')).toBe(c); // from the identity map
    expect(selects(mark)).toEqual([]);
    expect(await s.get(Code, 'old')).toBeNull(); // not in the map any more: asks the database
    expect(selects(mark)).toHaveLength(1);
    expect((await s.scalars(select(Code).where(Code.c.code.eq('new')))).one()).toBe(c);
    expect(await live.rows(select(Code.table))).toEqual([{ code: 'new', label: 'L' }]);

    // The old key is free for a new object, and both are found by their own keys.
    const again = new Code({ code: 'old', label: 'again' });
    s.add(again);
    await s.commit();
    expect(await s.get(Code, 'old')).toBe(again);
    expect(await s.get(Code, 'new')).toBe(c);
    expect(await live.rows(select(Code.table).orderBy(Code.c.code))).toEqual([
      { code: 'new', label: 'L' },
      { code: 'old', label: 'again' },
    ]);
  });

  test('a composite key changed in one of its columns', async () => {
    await using s = new Session(live.engine);
    const p = new Pair({ a: 'x', b: 'y', label: 'p' });
    s.add(p);
    await s.commit();
    p.b = 'z';
    await s.commit();
    expect(await s.get(Pair, ['x', 'z'])).toBe(p);
    expect(await s.get(Pair, ['x', 'y'])).toBeNull();
    expect(await live.rows(select(Pair.table))).toEqual([{ a: 'x', b: 'z', label: 'p' }]);
  });
});
