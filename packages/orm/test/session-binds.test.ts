/**
 * Session binds over SQLite and PostgreSQL: one session, users on SQLite (the session's
 * engine) and ledger entries bound to PostgreSQL. A flush writes each object to its engine,
 * queries and get() read from the engine of their tables, commit and rollback end both
 * transactions, and what cannot work across engines is refused. Rows are read back through
 * Core on each engine.
 */
import { ArgumentError, Column, Integer, InvalidRequestError, String, inspect, select } from '@athanor/core';
import { Session, declarativeBase } from '@athanor/orm';
import { databases } from './databases';
import { useLiveDatabase } from './live';

const Users = declarativeBase();
class User extends Users.mapped('bind_user', { id: Column(Integer, { primaryKey: true }), name: Column(String(40), { nullable: false }) }) {}
const Ledger = declarativeBase();
class Entry extends Ledger.mapped('bind_entry', {
  id: Column(Integer, { primaryKey: true }),
  userId: Column(Integer, { name: 'user_id', nullable: false }),
  amount: Column(Integer, { nullable: false }),
}) {}

const sqlite = databases.find((d) => d.name === 'sqlite')!;
const postgres = databases.find((d) => d.name === 'postgresql')!;

(postgres.available ? describe : describe.skip)('session binds: SQLite and PostgreSQL in one session', () => {
  const lite = useLiveDatabase(sqlite, Users.metadata);
  const pg = useLiveDatabase(postgres, Ledger.metadata);
  const session = () => new Session(lite.engine, { binds: new Map([[Entry, pg.engine]]) });
  const ledgerRows = () => pg.rows(select(Entry.c.userId, Entry.c.amount).orderBy(Entry.c.id));
  const userRows = () => lite.rows(select(User.c.id, User.c.name).orderBy(User.c.id));

  test('a flush writes each object to its engine; commit commits both', async () => {
    await using s = session();
    const ann = new User({ name: 'ann' });
    s.add(ann);
    await s.flush();
    s.add(new Entry({ userId: ann.id, amount: 100 }));
    s.add(new Entry({ userId: ann.id, amount: -30 }));
    await s.commit();
    expect(await userRows()).toEqual([{ id: ann.id, name: 'ann' }]);
    expect(await ledgerRows()).toEqual([
      { userId: ann.id, amount: 100 },
      { userId: ann.id, amount: -30 },
    ]);
    // Each table exists only where it is bound.
    expect(await inspect(lite.engine).getTableNames()).not.toContain('bind_entry');
    expect(await inspect(pg.engine).getTableNames()).not.toContain('bind_user');
  });

  test('queries, get() and updates go to the engine of their tables', async () => {
    await using s = session();
    const users = (await s.execute(select(User))).scalars().all();
    expect(users.map((u) => u.name)).toEqual(['ann']);
    const entries = (await s.execute(select(Entry).where(Entry.c.amount.lt(0)))).scalars().all();
    expect(entries.map((e) => e.amount)).toEqual([-30]);
    const first = await s.get(Entry, 1);
    expect(first?.amount).toBe(100);
    first!.amount = 110;
    users[0].name = 'ann b.';
    await s.commit();
    expect(await ledgerRows()).toEqual([
      { userId: users[0].id, amount: 110 },
      { userId: users[0].id, amount: -30 },
    ]);
    expect((await userRows()).map((u) => u.name)).toEqual(['ann b.']);
  });

  test('rollback discards the changes on both engines', async () => {
    await using s = session();
    s.add(new User({ name: 'ghost' }));
    s.add(new Entry({ userId: 99, amount: 5 }));
    await s.flush();
    await s.rollback();
    expect((await userRows()).map((u) => u.name)).toEqual(['ann b.']);
    expect(await ledgerRows()).toHaveLength(2);
  });

  test('refused: a statement naming tables of two engines, savepoints, binds that are not a Map', async () => {
    await using s = session();
    const err = await s.execute(select(User.c.name, Entry.c.amount).where(User.c.id.eq(Entry.c.userId))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as Error).message).toMatch(/"bind_user" \(on .*\) and "bind_entry" \(on .*\): a statement runs on one engine/);
    const nested = await s.beginNested().catch((e: unknown) => e);
    expect(nested).toBeInstanceOf(InvalidRequestError);
    expect(() => new Session(lite.engine, { binds: [[Entry, pg.engine]] as any })).toThrow(ArgumentError);
    await using twice = new Session(lite.engine, { binds: new Map<any, any>([[Entry, pg.engine], [Entry.table, lite.engine]]) });
    const conflict = await twice.execute(select(User)).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(InvalidRequestError);
    expect((conflict as Error).message).toMatch(/"bind_entry" is bound to two engines/);
    expect(await ledgerRows()).toHaveLength(2);
  });
});
