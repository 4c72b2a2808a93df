/**
 * The session's transaction as a state machine: explicit begin() blocks, savepoints with
 * beginNested(), overlapping async calls served in call order, calls refused while a flush
 * runs, a failed flush, and sessionmaker defaults. Rows are read back through Core.
 */
import { Column, IntegrityError, Integer, InvalidRequestError, String, createEngine, select } from '@athanor/core';
import { Session, SessionTransaction, declarativeBase, sessionmaker, statusOf } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();

class Account extends Base.mapped('tx_account', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(40), { nullable: false, unique: true }),
  balance: Column(Integer, { nullable: false }),
}) {}

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  const stored = async (...names: string[]) =>
    live.rows<{ name: string; balance: number }>(select(Account.c.name, Account.c.balance).where(Account.c.name.in(names)).orderBy(Account.c.name));

  async function seed(name: string, balance: number): Promise<number> {
    await using s = new Session(live.engine);
    const a = new Account({ name, balance });
    s.add(a);
    await s.commit();
    return a.id;
  }

  describe('begin()', () => {
    test('with a callback: committed when it resolves, its result returned', async () => {
      await using s = new Session(live.engine);
      const result = await s.begin(async (session) => {
        session.add(new Account({ name: 'block-ok', balance: 1 }));
        return 'done';
      });
      expect(result).toBe('done');
      expect(s.phase).toBe('idle');
      expect(await stored('block-ok')).toEqual([{ name: 'block-ok', balance: 1 }]);
    });

    test('with a callback: rolled back when it throws, the error passed on', async () => {
      await using s = new Session(live.engine);
      const a = new Account({ name: 'block-fail', balance: 1 });
      await expect(
        s.begin(async (session) => {
          session.add(a);
          await session.flush();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(statusOf(a)).toBe('transient');
      expect(await stored('block-fail')).toEqual([]);
    });

    test('as a handle: commit() and rollback() end it', async () => {
      await using s = new Session(live.engine);
      const tx = await s.begin();
      expect(tx).toBeInstanceOf(SessionTransaction);
      s.add(new Account({ name: 'handle-commit', balance: 2 }));
      await tx.commit();
      expect(tx.state).toBe('closed');
      const tx2 = await s.begin();
      s.add(new Account({ name: 'handle-rollback', balance: 3 }));
      await s.flush();
      await tx2.rollback();
      expect(await stored('handle-commit', 'handle-rollback')).toEqual([{ name: 'handle-commit', balance: 2 }]);
    });

    test('begin() while a transaction is begun raises InvalidRequestError saying what to do', async () => {
      await using s = new Session(live.engine);
      await s.begin();
      await expect(s.begin()).rejects.toThrow(InvalidRequestError);
      await s.rollback();
      // The first query begins a transaction too (autobegin).
      await s.execute(select(Account.c.id));
      await expect(s.begin()).rejects.toThrow(/a transaction is already begun on this session.*commit\(\) or rollback\(\) it first, or use beginNested\(\)/);
      await s.commit();
      await expect(s.begin(async () => 1)).resolves.toBe(1);
    });

    test('a failed flush inside begin() leaves the block inactive until it ends; then the session is usable', async () => {
      await seed('taken', 0);
      await using s = new Session(live.engine);
      const tx = await s.begin();
      s.add(new Account({ name: 'before-failure', balance: 1 }));
      await s.flush();
      s.add(new Account({ name: 'taken', balance: 1 }));
      await expect(s.flush()).rejects.toThrow(IntegrityError);
      expect(s.phase).toBe('inactive');
      await expect(s.execute(select(Account.c.id))).rejects.toThrow(/rolled back by an error \(UniqueViolation: .*\); end its begin\(\)\/beginNested\(\) block or call rollback\(\)/);
      await expect(tx.commit()).rejects.toThrow(InvalidRequestError);
      await tx.rollback();
      expect(s.phase).toBe('idle');
      s.add(new Account({ name: 'after-failure', balance: 1 }));
      await s.commit();
      expect(await stored('before-failure', 'after-failure')).toEqual([{ name: 'after-failure', balance: 1 }]);
    });
  });

  test('a failed flush (unique violation) rolls back the unit of work; the session goes on working', async () => {
    await seed('dup', 0);
    await using s = new Session(live.engine);
    const first = new Account({ name: 'in-failed-flush', balance: 1 });
    s.addAll([first, new Account({ name: 'dup', balance: 1 })]);
    await expect(s.commit()).rejects.toThrow(IntegrityError);
    expect(statusOf(first)).toBe('transient');
    expect(s.phase).toBe('idle');
    expect(await stored('in-failed-flush')).toEqual([]);
    s.add(first);
    await s.commit();
    expect(await stored('in-failed-flush', 'dup')).toEqual([
      { name: 'dup', balance: 0 },
      { name: 'in-failed-flush', balance: 1 },
    ]);
  });

  describe('beginNested()', () => {
    test('rolling a savepoint back restores the objects touched inside and keeps the outer work', async () => {
      const id = await seed('sp-existing', 10);
      await using s = new Session(live.engine);
      const existing = (await s.get(Account, id))!;
      const outer = new Account({ name: 'sp-outer', balance: 1 });
      s.add(outer);
      existing.balance = 11; // outer work, flushed as the savepoint begins
      const sp = await s.beginNested();
      const inner = new Account({ name: 'sp-inner', balance: 2 });
      s.add(inner);
      existing.balance = 12;
      outer.balance = 5;
      await s.flush();
      await sp.rollback();
      expect(statusOf(inner)).toBe('transient');
      expect(statusOf(outer)).toBe('persistent');
      // Touched inside: expired, and reloaded with the outer transaction's values.
      expect(() => existing.balance).toThrow(/expired/);
      await s.refresh(existing);
      await s.refresh(outer);
      expect([existing.balance, outer.balance]).toEqual([11, 1]);
      await s.commit();
      expect(await stored('sp-existing', 'sp-outer', 'sp-inner')).toEqual([
        { name: 'sp-existing', balance: 11 },
        { name: 'sp-outer', balance: 1 },
      ]);
    });

    test('a delete inside a rolled-back savepoint is undone: the object is persistent again and its row kept', async () => {
      const id = await seed('sp-deleted', 7);
      await using s = new Session(live.engine);
      const a = (await s.get(Account, id))!;
      const sp = await s.beginNested();
      s.delete(a);
      await s.flush();
      expect(statusOf(a)).toBe('deleted');
      await sp.rollback();
      expect(statusOf(a)).toBe('persistent');
      expect(await s.get(Account, id)).toBe(a);
      a.balance = 8;
      await s.commit();
      expect(await stored('sp-deleted')).toEqual([{ name: 'sp-deleted', balance: 8 }]);
    });

    test('an object added inside a rolled-back savepoint and never flushed becomes transient', async () => {
      await using s = new Session(live.engine);
      const sp = await s.beginNested();
      const a = new Account({ name: 'sp-pending', balance: 1 });
      s.add(a);
      await sp.rollback();
      expect(statusOf(a)).toBe('transient');
      expect(s.new).toEqual([]);
      await s.commit();
      expect(await stored('sp-pending')).toEqual([]);
    });

    test('await using: a savepoint still open at the end of its block is rolled back', async () => {
      await using s = new Session(live.engine);
      s.add(new Account({ name: 'sp-using-outer', balance: 1 }));
      {
        await using sp = await s.beginNested();
        s.add(new Account({ name: 'sp-using-inner', balance: 1 }));
        await s.flush();
        expect(sp.state).toBe('active');
      }
      await s.commit();
      expect((await stored('sp-using-outer', 'sp-using-inner')).map((r) => r.name)).toEqual(['sp-using-outer']);
    });

    test('a released savepoint keeps its work for the outer commit', async () => {
      await using s = new Session(live.engine);
      s.add(new Account({ name: 'sp-rel-outer', balance: 1 }));
      const sp = await s.beginNested();
      s.add(new Account({ name: 'sp-rel-inner', balance: 2 }));
      await sp.commit();
      expect(s.phase).toBe('active');
      await s.commit();
      expect(await stored('sp-rel-outer', 'sp-rel-inner')).toEqual([
        { name: 'sp-rel-inner', balance: 2 },
        { name: 'sp-rel-outer', balance: 1 },
      ]);
    });

    test('callback form: released when it resolves, rolled back when it throws', async () => {
      await using s = new Session(live.engine);
      s.add(new Account({ name: 'spcb-outer', balance: 1 }));
      await s.beginNested(async (session) => {
        session.add(new Account({ name: 'spcb-kept', balance: 2 }));
      });
      const lost = new Account({ name: 'spcb-lost', balance: 3 });
      await expect(
        s.beginNested(async (session) => {
          session.add(lost);
          await session.flush();
          throw new Error('inner failure');
        }),
      ).rejects.toThrow('inner failure');
      expect(statusOf(lost)).toBe('transient');
      await s.commit();
      expect((await stored('spcb-outer', 'spcb-kept', 'spcb-lost')).map((r) => r.name)).toEqual(['spcb-kept', 'spcb-outer']);
    });

    test('a failed flush inside a savepoint rolls back the savepoint only', async () => {
      await seed('sp-taken', 0);
      await using s = new Session(live.engine);
      s.add(new Account({ name: 'sp-fail-outer', balance: 1 }));
      await expect(
        s.beginNested(async (session) => {
          session.add(new Account({ name: 'sp-taken', balance: 1 }));
          await session.flush();
        }),
      ).rejects.toThrow(IntegrityError);
      expect(s.phase).toBe('active');
      await s.commit();
      expect(await stored('sp-fail-outer', 'sp-taken')).toEqual([
        { name: 'sp-fail-outer', balance: 1 },
        { name: 'sp-taken', balance: 0 },
      ]);
    });
  });

  test('overlapping calls (Promise.all of execute, flush, commit, get) run one after another in call order', async () => {
    await using s = new Session(live.engine);
    const a = new Account({ id: 7001, name: 'overlap-a', balance: 1 });
    s.add(a);
    const order: string[] = [];
    const track = <T>(name: string, p: Promise<T>) =>
      p.then((v) => {
        order.push(name);
        return v;
      });
    const mark = live.log.length;
    const [result, , , got] = await Promise.all([
      track('execute', s.execute(select(Account).where(Account.c.name.eq('overlap-a')))),
      track('flush', s.flush()),
      track('commit', s.commit()),
      track('get', s.get(Account, 7001)),
    ]);
    expect(order).toEqual(['execute', 'flush', 'commit', 'get']);
    // The execute autoflushed the INSERT first and saw the row; the get ran after the COMMIT.
    expect(result.scalars().all()).toEqual([a]);
    expect(got).toBe(a);
    const statements = live.log.slice(mark).map((l) => l.split(' ')[0]);
    expect(statements.indexOf('INSERT')).toBeLessThan(statements.indexOf('SELECT'));
    expect(statements.indexOf('COMMIT')).toBeGreaterThan(statements.indexOf('SELECT'));
    expect(await stored('overlap-a')).toEqual([{ name: 'overlap-a', balance: 1 }]);
  });

  test('changing the session while a flush runs is refused with InvalidRequestError', async () => {
    const refused: unknown[] = [];
    let session: Session | undefined;
    const late = new Account({ name: 'added-during-flush', balance: 1 });
    // The echo runs while the flush is waiting for its INSERT: the add comes in the middle.
    const engine = createEngine(live.url, {
      ...live.options,
      echo: (line) => {
        if (session && /^INSERT/.test(line)) {
          try {
            session.add(late);
          } catch (e) {
            refused.push(e);
          }
        }
      },
    });
    try {
      session = new Session(engine);
      session.add(new Account({ name: 'flushing', balance: 1 }));
      await session.commit();
      expect(refused).toHaveLength(1);
      expect(refused[0]).toBeInstanceOf(InvalidRequestError);
      expect((refused[0] as Error).message).toBe('session.add() was called while session.flush() is running; await it first (calls on one session do not overlap).');
      expect(statusOf(late)).toBe('transient');
      await session.close();
    } finally {
      await engine.dispose();
    }
    expect(await stored('flushing', 'added-during-flush')).toEqual([{ name: 'flushing', balance: 1 }]);
  });

  test('sessionmaker: sessions with the factory defaults, and begin() in a new session', async () => {
    const factory = sessionmaker(live.engine, { expireOnCommit: true, autoflush: false });
    const s = factory();
    expect(s.options).toEqual({ expireOnCommit: true, autoflush: false, warnOnNPlusOne: false, binds: new Map(), twoPhase: false, reads: 'primary' });
    const a = new Account({ name: 'factory', balance: 4 });
    s.add(a);
    expect((await s.scalars(select(Account).where(Account.c.name.eq('factory')))).all()).toEqual([]); // autoflush off
    await s.commit();
    expect(() => a.balance).toThrow(/expired/);
    await s.close();
    const id = await factory.begin(async (session) => {
      const b = new Account({ name: 'factory-begin', balance: 5 });
      session.add(b);
      await session.flush();
      return b.id;
    });
    expect(typeof id).toBe('number');
    expect(await stored('factory', 'factory-begin')).toEqual([
      { name: 'factory', balance: 4 },
      { name: 'factory-begin', balance: 5 },
    ]);
    expect(() => sessionmaker(live.engine, { autoFlush: true } as any)).toThrow("sessionmaker(engine, options): unknown option 'autoFlush'; the options are autoflush, expireOnCommit, warnOnNPlusOne, binds, twoPhase, reads.");
  });
});
