/**
 * SQLAlchemy's object lifecycle: what rollback and commit do to each kind of object, and
 * the session's tools for object state (expire, refresh, expunge, merge, populateExisting,
 * new/dirty/deleted, isModified, noAutoflush, statusOf). Rows are read back through Core on
 * a connection of its own; changes "behind the session" are made there too.
 */
import { Column, ForeignKey, Integer, InvalidRequestError, JSON as Json, String, delete_, func, insert, select, update } from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload, statusOf } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();

class User extends Base.mapped('lc_user', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(40), { nullable: false }),
  email: Column(String(60)),
  prefs: Column(Json<Record<string, number>>()),
}) {
  declare addresses: Address[];
}

class Address extends Base.mapped('lc_address', {
  id: Column(Integer, { primaryKey: true }),
  email: Column(String(60), { nullable: false }),
  userId: Column(Integer, ForeignKey('lc_user.id'), { name: 'user_id' }),
}) {
  declare user: User | null;
}

Base.relationships(User, { addresses: relationship(Address, { backPopulates: 'user', cascade: 'all, delete-orphan' }) });
Base.relationships(Address, { user: relationship(User, { backPopulates: 'addresses' }) });

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  /** Committed users (name = email prefix); returns their ids. */
  async function seed(...names: string[]): Promise<number[]> {
    await using s = new Session(live.engine);
    const users = names.map((name) => new User({ name, email: `${name}@x` }));
    s.addAll(users);
    await s.commit();
    return users.map((u) => u.id);
  }

  const storedName = async (id: number) => (await live.rows<{ name: string }>(select(User.c.name).where(User.c.id.eq(id)))).map((r) => r.name);
  const countNamed = async (name: string) => (await live.rows(select(User.c.id).where(User.c.name.eq(name)))).length;
  /** Changes a row outside any session (committed at once). */
  const changeBehind = (id: number, name: string) => live.engine.connect((c) => c.execute(update(User.table).where(User.c.id.eq(id)).values({ name })));

  describe('rollback', () => {
    test('a pending object becomes transient and nothing is written', async () => {
      await using s = new Session(live.engine);
      const u = new User({ name: 'rb-pending' });
      s.add(u);
      expect(statusOf(u)).toBe('pending');
      await s.rollback();
      expect(statusOf(u)).toBe('transient');
      expect(s.new).toEqual([]);
      expect(await countNamed('rb-pending')).toBe(0);
      // Transient again: it can be added and saved.
      s.add(u);
      await s.commit();
      expect(await countNamed('rb-pending')).toBe(1);
    });

    test('an object inserted in the transaction becomes transient, its row gone', async () => {
      await using s = new Session(live.engine);
      const u = new User({ name: 'rb-inserted' });
      s.add(u);
      await s.flush();
      expect(statusOf(u)).toBe('persistent');
      const id = u.id;
      await s.rollback();
      expect(statusOf(u)).toBe('transient');
      expect(await s.get(User, id)).toBeNull();
      expect(await countNamed('rb-inserted')).toBe(0);
    });

    test('an object deleted in the transaction is persistent again, its row kept', async () => {
      const [id] = await seed('rb-deleted');
      await using s = new Session(live.engine);
      const u = (await s.get(User, id))!;
      s.delete(u);
      await s.flush();
      expect(statusOf(u)).toBe('deleted');
      expect(s.deleted).toEqual([]);
      await s.rollback();
      expect(statusOf(u)).toBe('persistent');
      expect(await s.get(User, id)).toBe(u);
      expect(u.name).toBe('rb-deleted');
      expect(await storedName(id)).toEqual(['rb-deleted']);
    });

    test('objects deleted by the delete cascade are persistent again, their collection whole once refreshed', async () => {
      const [id] = await seed('rb-cascade');
      await using s0 = new Session(live.engine);
      const owner = (await s0.get(User, id))!;
      await s0.refresh(owner, ['addresses']);
      owner.addresses.push(new Address({ email: 'rb-cascade-1@x' }), new Address({ email: 'rb-cascade-2@x' }));
      await s0.commit();
      await using s = new Session(live.engine);
      const u = (await s.scalars(select(User).where(User.c.id.eq(id)).options(selectinload(User, 'addresses')))).one();
      const [a1, a2] = u.addresses;
      s.delete(u);
      await s.flush();
      expect([statusOf(u), statusOf(a1), statusOf(a2)]).toEqual(['deleted', 'deleted', 'deleted']);
      await s.rollback();
      expect([statusOf(u), statusOf(a1), statusOf(a2)]).toEqual(['persistent', 'persistent', 'persistent']);
      expect(() => u.addresses).toThrow(/User\.addresses is expired/);
      await s.refresh(u, ['addresses']);
      expect(u.addresses.map((a) => a.email).sort()).toEqual(['rb-cascade-1@x', 'rb-cascade-2@x']);
      expect(u.addresses.includes(a1) && u.addresses.includes(a2)).toBe(true);
      expect((await live.rows(select(Address.c.email).where(Address.c.userId.eq(id)))).length).toBe(2);
    });

    test('an object persistent before the transaction stays persistent, expired', async () => {
      const [id] = await seed('rb-persistent');
      await using s = new Session(live.engine);
      const u = (await s.get(User, id))!;
      u.email = 'changed@x';
      await s.rollback();
      expect(statusOf(u)).toBe('persistent');
      expect(u.id).toBe(id);
      expect(() => u.email).toThrow(InvalidRequestError);
      expect(() => u.email).toThrow("User.email is expired (a rollback, commit with expireOnCommit or expire() cleared it), and Athanor never loads it implicitly (that would be a hidden query). Load it now: await session.refresh(obj, ['email']) or await obj.awaitableAttrs.email; or query the object again.");
      expect(await u.awaitableAttrs.email).toBe('rb-persistent@x');
      // Loading one attribute leaves the others expired, and saying so.
      expect(() => u.name).toThrow(/User\.name is expired/);
      await s.refresh(u);
      expect(u.name).toBe('rb-persistent');
    });
  });

  describe('commit', () => {
    test('by default objects stay loaded after commit (no implicit IO to read them)', async () => {
      await using s = new Session(live.engine);
      const u = new User({ name: 'keep-loaded', email: 'k@x' });
      s.add(u);
      await s.commit();
      const mark = live.log.length;
      expect([u.name, u.email]).toEqual(['keep-loaded', 'k@x']);
      expect(live.log.length).toBe(mark);
      expect(statusOf(u)).toBe('persistent');
      expect(await storedName(u.id)).toEqual(['keep-loaded']);
    });

    test('with expireOnCommit every object is expired; a query refreshes it', async () => {
      await using s = new Session(live.engine, { expireOnCommit: true });
      const u = new User({ name: 'expire-on-commit' });
      s.add(u);
      await s.commit();
      expect(() => u.name).toThrow(/User\.name is expired/);
      await changeBehind(u.id, 'expire-on-commit-2');
      const [again] = (await s.scalars(select(User).where(User.c.id.eq(u.id)))).all();
      expect(again === u).toBe(true);
      expect(u.name).toBe('expire-on-commit-2');
    });

    test('a committed delete leaves the object detached', async () => {
      const [id] = await seed('commit-delete');
      await using s = new Session(live.engine);
      const u = (await s.get(User, id))!;
      s.delete(u);
      expect(statusOf(u)).toBe('persistent');
      expect(s.deleted.length).toBe(1);
      await s.commit();
      expect(statusOf(u)).toBe('detached');
      expect(await storedName(id)).toEqual([]);
      await using s2 = new Session(live.engine);
      expect(() => s2.add(u)).toThrow(InvalidRequestError);
    });
  });

  test('a savepoint rolled back restores a collection changed inside it; objects it did not touch stay loaded', async () => {
    const [id, untouched] = await seed('sp-collection', 'sp-untouched');
    await using s = new Session(live.engine);
    const u = (await s.scalars(select(User).where(User.c.id.eq(id)).options(selectinload(User, 'addresses')))).one();
    u.addresses.push(new Address({ email: 'sp-kept@x' }));
    const other = (await s.get(User, untouched))!;
    await s.flush();
    const kept = u.addresses[0];
    const sp = await s.beginNested();
    u.addresses.splice(0, 1); // an orphan: deleted inside the savepoint
    u.addresses.push(new Address({ email: 'sp-added@x' }));
    await s.flush();
    expect(statusOf(kept)).toBe('deleted');
    await sp.rollback();
    expect(statusOf(kept)).toBe('persistent');
    expect(() => u.addresses).toThrow(/expired/);
    expect(other.name).toBe('sp-untouched');
    await s.refresh(u, ['addresses']);
    expect(u.addresses).toEqual([kept]);
    // A commit with a savepoint still open releases it and commits everything.
    await s.beginNested();
    u.addresses.push(new Address({ email: 'sp-open@x' }));
    await s.commit();
    expect(s.phase).toBe('idle');
    expect((await live.rows<{ email: string }>(select(Address.c.email).where(Address.c.userId.eq(id)))).map((r) => r.email).sort()).toEqual(['sp-kept@x', 'sp-open@x']);
  });

  test('a savepoint rolled back leaves an object whose JSON was only read loaded, and still watched for in-place changes', async () => {
    await using seedSession = new Session(live.engine);
    const seeded = new User({ name: 'sp-json', prefs: { a: 1 } });
    seedSession.add(seeded);
    await seedSession.commit();
    await using s = new Session(live.engine);
    const u = (await s.get(User, seeded.id))!;
    expect(u.prefs).toEqual({ a: 1 });
    const sp = await s.beginNested();
    s.add(new User({ name: 'sp-json-inner' }));
    await s.flush();
    await sp.rollback();
    expect([u.name, u.prefs]).toEqual(['sp-json', { a: 1 }]);
    u.prefs!.b = 2;
    await s.commit();
    expect(await live.rows(select(User.c.prefs).where(User.c.id.eq(seeded.id)))).toEqual([{ prefs: { a: 1, b: 2 } }]);
    expect(await countNamed('sp-json-inner')).toBe(0);
  });

  test('statusOf: transient, pending, persistent, deleted, detached', async () => {
    await using s = new Session(live.engine);
    const u = new User({ name: 'status' });
    expect(statusOf(u)).toBe('transient');
    s.add(u);
    expect(statusOf(u)).toBe('pending');
    await s.flush();
    expect(statusOf(u)).toBe('persistent');
    s.delete(u);
    await s.flush();
    expect(statusOf(u)).toBe('deleted');
    await s.commit();
    expect(statusOf(u)).toBe('detached');
    const [id] = await seed('status-detached');
    const v = (await s.get(User, id))!;
    await s.close();
    expect(statusOf(v)).toBe('detached');
  });

  describe('expire and refresh', () => {
    test('expire(obj) expires every attribute but the key; a change not flushed is discarded', async () => {
      const [id] = await seed('expire-all-attrs');
      await using s = new Session(live.engine);
      const u = (await s.get(User, id))!;
      u.name = 'discarded';
      s.expire(u);
      expect(u.id).toBe(id);
      expect(() => u.name).toThrow(/User\.name is expired/);
      expect(() => u.email).toThrow(/User\.email is expired/);
      expect(s.dirty).toEqual([]);
      await s.refresh(u);
      expect(u.name).toBe('expire-all-attrs');
      const mark = live.log.length;
      await s.commit();
      expect(live.writes(mark)).toEqual([]);
      expect(await storedName(id)).toEqual(['expire-all-attrs']);
    });

    test('expire(obj, names) expires those attributes only; refresh(obj, names) reloads them', async () => {
      const [id] = await seed('expire-some');
      await using s = new Session(live.engine);
      const u = (await s.get(User, id))!;
      await s.commit();
      await changeBehind(id, 'expire-some-2');
      s.expire(u, ['name']);
      expect(u.email).toBe('expire-some@x');
      expect(() => u.name).toThrow(/User\.name is expired/);
      await s.refresh(u, ['name']);
      expect(u.name).toBe('expire-some-2');
      expect(() => s.expire(u, ['nope'])).toThrow("expire(): User has no attribute 'nope' (columns: id, name, email, prefs; relationships: addresses).");
    });

    test('expireAll() expires every object in the session', async () => {
      const [a, b] = await seed('expire-all-1', 'expire-all-2');
      await using s = new Session(live.engine);
      const ua = (await s.get(User, a))!;
      const ub = (await s.get(User, b))!;
      s.expireAll();
      expect(() => ua.name).toThrow(/expired/);
      expect(() => ub.name).toThrow(/expired/);
      const loaded = (await s.scalars(select(User).where(User.c.id.in([a, b])).orderBy(User.c.id))).all();
      expect(loaded[0] === ua && loaded[1] === ub).toBe(true);
      expect([ua.name, ub.name]).toEqual(['expire-all-1', 'expire-all-2']);
    });

    test('refresh(obj) overwrites columns with the stored row; refresh(obj, [relationship]) reloads the collection', async () => {
      const [id] = await seed('refresh-cols');
      await using s = new Session(live.engine);
      const u = (await s.scalars(select(User).where(User.c.id.eq(id)).options(selectinload(User, 'addresses')))).one();
      expect(u.addresses).toEqual([]);
      await s.commit();
      await changeBehind(id, 'refresh-cols-2');
      await live.engine.connect((c) => c.execute(insert(Address.table).values({ email: 'behind@x', userId: id })));
      expect(u.name).toBe('refresh-cols');
      await s.refresh(u);
      expect(u.name).toBe('refresh-cols-2');
      expect(u.addresses.map((a) => a.email)).toEqual(['behind@x']);
      await s.commit();
      await live.engine.connect((c) => c.execute(insert(Address.table).values({ email: 'behind2@x', userId: id })));
      await s.refresh(u, ['addresses']);
      expect(u.addresses.map((a) => a.email).sort()).toEqual(['behind2@x', 'behind@x']);
      expect(u.addresses[0].user === u).toBe(true);
    });

    test('refresh discards the unsaved changes of the refreshed columns, and saves a child pushed onto a refreshed collection', async () => {
      const [id] = await seed('refresh-pending');
      await using s = new Session(live.engine);
      const u = (await s.scalars(select(User).where(User.c.id.eq(id)).options(selectinload(User, 'addresses')))).one();
      u.name = 'discarded-by-refresh';
      u.addresses.push(new Address({ email: 'pushed-before-refresh@x' }));
      await s.refresh(u, ['name', 'addresses']);
      expect(u.name).toBe('refresh-pending');
      expect(u.addresses.map((a) => a.email)).toEqual(['pushed-before-refresh@x']);
      await s.commit();
      expect(await storedName(id)).toEqual(['refresh-pending']);
      expect(await live.rows(select(Address.c.email).where(Address.c.userId.eq(id)))).toEqual([{ email: 'pushed-before-refresh@x' }]);
    });

    test('refresh of an object whose row is gone raises naming the row', async () => {
      const [id] = await seed('refresh-gone');
      await using s = new Session(live.engine);
      const u = (await s.get(User, id))!;
      await s.commit();
      await live.engine.connect((c) => c.execute(delete_(User.table).where(User.c.id.eq(id))));
      await expect(s.refresh(u)).rejects.toThrow(`refresh(): the User row (id=${id}) is gone from the database.`);
    });
  });

  describe('expunge', () => {
    test('expunge(obj) detaches it (and its cascade): later changes are not saved by this session', async () => {
      const [id] = await seed('expunged');
      await using s = new Session(live.engine);
      const u = (await s.scalars(select(User).where(User.c.id.eq(id)).options(selectinload(User, 'addresses')))).one();
      const a = new Address({ email: 'expunged-addr@x' });
      u.addresses.push(a);
      s.expunge(u);
      expect(statusOf(u)).toBe('detached');
      u.name = 'not-saved';
      await s.commit();
      expect(await storedName(id)).toEqual(['expunged']);
      expect((await live.rows(select(Address.c.id).where(Address.c.email.eq('expunged-addr@x')))).length).toBe(0);
      expect(() => s.expunge(u)).toThrow('expunge(): this User object is not in this session.');
    });

    test('expungeAll() detaches persistent objects and makes pending ones transient', async () => {
      const [id] = await seed('expunge-all');
      await using s = new Session(live.engine);
      const u = (await s.get(User, id))!;
      const fresh = new User({ name: 'expunge-all-new' });
      s.add(fresh);
      s.expungeAll();
      expect(statusOf(u)).toBe('detached');
      expect(statusOf(fresh)).toBe('transient');
      expect(s.new).toEqual([]);
      await s.commit();
      expect(await countNamed('expunge-all-new')).toBe(0);
      // A detached object goes into another session as it is.
      await using s2 = new Session(live.engine);
      s2.add(u);
      u.name = 'expunge-all-2';
      await s2.commit();
      expect(await storedName(id)).toEqual(['expunge-all-2']);
    });
  });

  describe('merge', () => {
    test('merge(obj): the row is loaded and receives the given values; the given object is left alone', async () => {
      const [id] = await seed('merge-load');
      await using s1 = new Session(live.engine);
      const detached = (await s1.get(User, id))!;
      await s1.close();
      detached.name = 'merge-load-2';
      await using s2 = new Session(live.engine);
      const mark = live.log.length;
      const merged = await s2.merge(detached);
      expect(live.log.slice(mark).some((l) => /^SELECT/.test(l))).toBe(true);
      expect(merged === detached).toBe(false);
      expect(statusOf(merged)).toBe('persistent');
      expect(statusOf(detached)).toBe('detached');
      expect(merged.name).toBe('merge-load-2');
      expect(merged.email).toBe('merge-load@x');
      expect(s2.dirty).toEqual([merged]);
      await s2.commit();
      expect(await storedName(id)).toEqual(['merge-load-2']);
      // The object already in the identity map receives the values, no new object.
      detached.name = 'merge-load-3';
      expect(await s2.merge(detached)).toBe(merged);
      expect(merged.name).toBe('merge-load-3');
    });

    test('merge(obj, { load: false }) takes the object as the row is, with no query', async () => {
      const [id] = await seed('merge-noload');
      await using s1 = new Session(live.engine);
      const cached = (await s1.get(User, id))!;
      await s1.close();
      await using s2 = new Session(live.engine);
      const mark = live.log.length;
      const merged = await s2.merge(cached, { load: false });
      expect(live.log.slice(mark)).toEqual([]);
      expect(statusOf(merged)).toBe('persistent');
      expect(merged.name).toBe('merge-noload');
      expect(s2.dirty).toEqual([]);
      merged.name = 'merge-noload-2';
      await s2.commit();
      expect(await storedName(id)).toEqual(['merge-noload-2']);
      // An object with changes not flushed cannot be taken as the row is.
      cached.name = 'changed';
      await using s3 = new Session(live.engine);
      await expect(s3.merge(cached, { load: false })).rejects.toThrow(InvalidRequestError);
    });

    test('merge of an object with no row makes a new pending object', async () => {
      await using s = new Session(live.engine);
      const given = new User({ id: 900001, name: 'merge-new' });
      const merged = await s.merge(given);
      expect(statusOf(merged)).toBe('pending');
      expect(statusOf(given)).toBe('transient');
      await s.commit();
      expect(await storedName(900001)).toEqual(['merge-new']);
    });
  });

  test('session.new, dirty, deleted and isModified follow the objects', async () => {
    const [a, b] = await seed('sets-1', 'sets-2');
    await using s = new Session(live.engine);
    const ua = (await s.get(User, a))!;
    const ub = (await s.get(User, b))!;
    const fresh = new User({ name: 'sets-new' });
    s.add(fresh);
    expect(s.new).toEqual([fresh]);
    expect(s.dirty).toEqual([]);
    expect(s.isModified(ua)).toBe(false);
    ua.name = 'sets-1-changed';
    expect(s.dirty).toEqual([ua]);
    expect(s.isModified(ua)).toBe(true);
    // Set back to the loaded value: no change left.
    ua.name = 'sets-1';
    expect(s.isModified(ua)).toBe(false);
    expect(s.dirty).toEqual([]);
    ua.name = 'sets-1-changed';
    s.delete(ub);
    expect(s.deleted).toEqual([ub]);
    await s.flush();
    expect([s.new, s.dirty, s.deleted]).toEqual([[], [], []]);
    expect(s.isModified(ua)).toBe(false);
    await s.commit();
    expect(await storedName(a)).toEqual(['sets-1-changed']);
    expect(await countNamed('sets-2')).toBe(0);
    expect(await countNamed('sets-new')).toBe(1);
  });

  test('session.scalar returns the first column of the first row (after autoflush)', async () => {
    await using s = new Session(live.engine);
    s.addAll([new User({ name: 'scalar' }), new User({ name: 'scalar' })]);
    expect(Number(await s.scalar(select(func.count(User.c.id)).where(User.c.name.eq('scalar'))))).toBe(2);
    expect(await s.scalar(select(User.c.name).where(User.c.name.eq('no-such-name')))).toBeNull();
    await s.rollback();
  });

  test('noAutoflush: queries inside do not flush; the next query outside does', async () => {
    await using s = new Session(live.engine);
    s.add(new User({ name: 'no-autoflush' }));
    const inside = await s.noAutoflush(async () => (await s.scalars(select(User).where(User.c.name.eq('no-autoflush')))).all().length);
    expect(inside).toBe(0);
    expect(s.new.length).toBe(1);
    const outside = (await s.scalars(select(User).where(User.c.name.eq('no-autoflush')))).all().length;
    expect(outside).toBe(1);
    expect(s.new).toEqual([]);
    await s.commit();
    expect(await countNamed('no-autoflush')).toBe(1);
  });

  describe('populateExisting', () => {
    test('session.execute(stmt, params, { populateExisting: true }) overwrites loaded objects from the rows', async () => {
      const [id] = await seed('populate');
      await using s = new Session(live.engine);
      const u = (await s.get(User, id))!;
      await s.commit();
      await changeBehind(id, 'populate-2');
      const stmt = select(User).where(User.c.id.eq(id));
      await s.execute(stmt);
      expect(u.name).toBe('populate'); // a plain query keeps the loaded values
      await s.execute(stmt, undefined, { populateExisting: true });
      expect(u.name).toBe('populate-2');
      await expect(s.execute(stmt, undefined, { populate: true } as any)).rejects.toThrow("session.execute(): unknown option 'populate'; the options are populateExisting, synchronizeSession, use.");
    });

    test('populateExisting discards changes not flushed (here under noAutoflush), as a refresh does', async () => {
      const [id] = await seed('populate-discard');
      await using s = new Session(live.engine);
      const u = (await s.get(User, id))!;
      u.name = 'never-written';
      await s.noAutoflush(() => s.execute(select(User).where(User.c.id.eq(id)), undefined, { populateExisting: true }));
      expect(u.name).toBe('populate-discard');
      expect(s.isModified(u)).toBe(false);
      const mark = live.log.length;
      await s.commit();
      expect(live.writes(mark)).toEqual([]);
      expect(await storedName(id)).toEqual(['populate-discard']);
    });

    test('session.get(cls, pk, { populateExisting: true }) queries even when the object is loaded', async () => {
      const [id] = await seed('populate-get');
      await using s = new Session(live.engine);
      const u = (await s.get(User, id))!;
      await s.commit();
      await changeBehind(id, 'populate-get-2');
      expect((await s.get(User, id))!.name).toBe('populate-get');
      const again = await s.get(User, id, { populateExisting: true });
      expect(again === u).toBe(true);
      expect(u.name).toBe('populate-get-2');
    });
  });
});
