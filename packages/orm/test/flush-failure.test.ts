/**
 * A flush that fails half way: the unique violation is in the third multi-row INSERT, after
 * two batches went through. The flush's transaction is rolled back, so nothing it wrote
 * stays, and the session goes on: a following commit of valid objects works.
 */
import { Column, Integer, String, UniqueViolation, func, select } from '@athanor/core';
import { Session, declarativeBase, statusOf } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Account extends Base.mapped('ff_account', {
  id: Column(Integer, { primaryKey: true }),
  login: Column(String(40), { nullable: false, unique: true }),
  note: Column(String(20)),
}) {}

// Two columns given (login, note): a batch holds min(1000, maxParams / 2) = 1,000 rows on all three databases.
const BATCH = 1000;

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const count = async () => (await live.rows<{ n: number }>(select(func.count().label('n')).selectFrom(Account.table)))[0].n;
  const logins = async () => (await live.rows<{ login: string }>(select(Account.c.login).orderBy(Account.c.login))).map((r) => r.login);

  test('a unique violation in the third INSERT batch leaves nothing written; the session commits valid objects next', async () => {
    {
      await using s = new Session(live.engine);
      s.add(new Account({ login: 'taken', note: 'first' }));
      await s.commit();
    }
    expect(await count()).toBe(1);

    await using s = new Session(live.engine);
    const objects = Array.from({ length: 2 * BATCH + 500 }, (_, i) => new Account({ login: `user-${`${i}`.padStart(5, '0')}`, note: 'bulk' }));
    // In the third batch: rows 2,000 … 2,499.
    objects[2 * BATCH + 250].login = 'taken';
    s.addAll(objects);
    const mark = live.log.length;
    await expect(s.commit()).rejects.toThrow(UniqueViolation);
    const inserts = live.log.slice(mark).filter((l) => /^INSERT INTO \W?ff_account/.test(l));
    // Two batches went through before the third failed: the failure really was half way.
    expect(inserts).toHaveLength(3);
    expect(await count()).toBe(1);
    expect(await logins()).toEqual(['taken']);
    expect(statusOf(objects[0])).toBe('transient');

    // The same session: a valid commit works.
    const ok = [new Account({ login: 'after-1', note: 'ok' }), new Account({ login: 'after-2', note: 'ok' })];
    s.addAll(ok);
    await s.commit();
    expect(ok.map((a) => statusOf(a))).toEqual(['persistent', 'persistent']);
    expect(await logins()).toEqual(['after-1', 'after-2', 'taken']);
    expect(await live.rows(select(Account.c.id, Account.c.login).where(Account.c.login.like('after-%')).orderBy(Account.c.login))).toEqual(
      ok.map((a) => ({ id: a.id, login: a.login })),
    );
  });
});
