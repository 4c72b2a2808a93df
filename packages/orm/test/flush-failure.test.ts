/**
 * A flush that fails half way: the unique violation is in the third multi-row INSERT, after
 * two batches went through. The flush's transaction is rolled back, so nothing it wrote
 * stays, and the session goes on: a following commit of valid objects works.
 */
import { Column, Integer, InvalidRequestError, String, UniqueViolation, func, select } from '@athanor/core';
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

  /** 2,500 new accounts whose row 2,250 (in the third batch) takes an existing login. */
  function badBatch(tag: string, existing: string): Account[] {
    const objects = Array.from({ length: 2 * BATCH + 500 }, (_, i) => new Account({ login: `${tag}-${`${i}`.padStart(5, '0')}`, note: 'bulk' }));
    objects[2 * BATCH + 250].login = existing;
    return objects;
  }

  test('inside begin(): the failed flush rolls back the whole transaction, earlier flushes too; after rollback() the session commits', async () => {
    const before = await count();
    await using s = new Session(live.engine);
    await s.begin();
    s.add(new Account({ login: 'tx-early', note: 'flushed' }));
    await s.flush();
    s.addAll(badBatch('tx', 'tx-early'));
    const mark = live.log.length;
    await expect(s.flush()).rejects.toThrow(UniqueViolation);
    expect(live.log.slice(mark).filter((l) => /^INSERT INTO \W?ff_account/.test(l))).toHaveLength(3);
    // The transaction is over; the session says what to do.
    await expect(s.commit()).rejects.toThrow(InvalidRequestError);
    await expect(s.commit()).rejects.toThrow(/call rollback\(\)/);
    await s.rollback();
    expect(await count()).toBe(before);
    expect(await live.rows(select(Account.c.id).where(Account.c.login.like('tx-%')))).toEqual([]);
    const ok = new Account({ login: 'tx-after', note: 'ok' });
    s.add(ok);
    await s.commit();
    expect(await live.rows(select(Account.c.id, Account.c.login).where(Account.c.login.like('tx-%')))).toEqual([{ id: ok.id, login: 'tx-after' }]);
  });

  test('a unique violation in the third INSERT batch leaves nothing written; the session commits valid objects next', async () => {
    const before = await count();
    {
      await using s = new Session(live.engine);
      s.add(new Account({ login: 'taken', note: 'first' }));
      await s.commit();
    }
    expect(await count()).toBe(before + 1);

    await using s = new Session(live.engine);
    // In the third batch: rows 2,000 … 2,499.
    const objects = badBatch('user', 'taken');
    s.addAll(objects);
    const mark = live.log.length;
    await expect(s.commit()).rejects.toThrow(UniqueViolation);
    const inserts = live.log.slice(mark).filter((l) => /^INSERT INTO \W?ff_account/.test(l));
    // Two batches went through before the third failed: the failure really was half way.
    expect(inserts).toHaveLength(3);
    expect(await count()).toBe(before + 1);
    expect(await live.rows(select(Account.c.id).where(Account.c.login.like('user-%')))).toEqual([]);
    expect(statusOf(objects[0])).toBe('transient');

    // The same session: a valid commit works.
    const ok = [new Account({ login: 'after-1', note: 'ok' }), new Account({ login: 'after-2', note: 'ok' })];
    s.addAll(ok);
    await s.commit();
    expect(ok.map((a) => statusOf(a))).toEqual(['persistent', 'persistent']);
    expect(await live.rows(select(Account.c.id, Account.c.login).where(Account.c.login.like('after-%')).orderBy(Account.c.login))).toEqual(
      ok.map((a) => ({ id: a.id, login: a.login })),
    );
  });

  test('a unique violation in an UPDATE after an executemany of 1,500 rows leaves every row as it was', async () => {
    const seeded = Array.from({ length: 1500 }, (_, i) => new Account({ login: `upd-${`${i}`.padStart(5, '0')}`, note: 'before' }));
    {
      await using s = new Session(live.engine);
      s.addAll(seeded);
      await s.commit();
    }
    const notes = async () => {
      const rows = await live.rows<{ note: string; n: number }>(
        select(Account.c.note, func.count().label('n')).where(Account.c.login.like('upd-%')).groupBy(Account.c.note),
      );
      return Object.fromEntries(rows.map((r) => [r.note, Number(r.n)]));
    };
    await using s = new Session(live.engine);
    const loaded = (await s.scalars(select(Account).where(Account.c.login.like('upd-%')).orderBy(Account.c.login))).all();
    for (const a of loaded) a.note = 'after';
    // The last row takes the first row's login: its UPDATE fails after the others' went through.
    loaded[loaded.length - 1].login = loaded[0].login;
    const mark = live.log.length;
    await expect(s.commit()).rejects.toThrow(UniqueViolation);
    const updates = live.log.slice(mark).filter((l) => /^UPDATE/.test(l));
    // The 1,499 note changes in one executemany (on SQLite and PostgreSQL, UPDATE ... FROM (VALUES ...)
    // batches of 1,000 and 499 rows; one driver call on MariaDB), then the failing one.
    expect(updates).toHaveLength(db.name === 'mariadb' ? 2 : 3);
    const noteOnly =
      db.name === 'sqlite'
        ? /^UPDATE ff_account SET note = athanor_values\.column1 FROM \(VALUES /
        : db.name === 'postgresql'
          ? /^UPDATE ff_account SET note = athanor_values\.note FROM \(VALUES \(\(SELECT note FROM ff_account WHERE false\), /
          : /^UPDATE \W?ff_account\W? SET \W?note\W? = \S+ WHERE /;
    expect(updates.slice(0, -1).every((l) => noteOnly.test(l))).toBe(true);
    expect(updates.at(-1)).toMatch(/^UPDATE \W?ff_account\W? SET .*\W?login\W? = \S+ WHERE /);
    expect(await notes()).toEqual({ before: 1500 });

    const again = (await s.scalars(select(Account).where(Account.c.login.like('upd-%')))).all();
    for (const a of again) a.note = 'after';
    await s.commit();
    expect(await notes()).toEqual({ after: 1500 });
  });
});
