/**
 * Changes the session must never lose or write wrongly, whatever is loaded: overlapping
 * flush and commit, many-to-one changes with unloaded collections, foreign keys written
 * directly, children of deleted or deserted parents, rolled-back deletes and updates, JSON
 * changed in place, and options that would be silently ignored. Every test reads the rows
 * back through Core on a connection of its own.
 */
import { ArgumentError, Column, ForeignKey, Integer, InvalidRequestError, JSON as Json, String, select, update } from '@athanor/core';
import { Session, declarativeBase, flagModified, joinedload, relationship, selectinload, statusOf } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();

class User extends Base.mapped('nl_user', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(40), { nullable: false }),
}) {
  declare addresses: Address[];
}

class Address extends Base.mapped('nl_address', {
  id: Column(Integer, { primaryKey: true }),
  email: Column(String(60), { nullable: false }),
  userId: Column(Integer, ForeignKey('nl_user.id'), { name: 'user_id' }),
}) {
  declare user: User | null;
}

// cascade 'all' without delete-orphan: a child that leaves stays, a child that stays goes with its parent.
class Folder extends Base.mapped('nl_folder', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(40), { nullable: false }),
}) {
  declare files: File[];
}

class File extends Base.mapped('nl_file', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(40), { nullable: false }),
  folderId: Column(Integer, ForeignKey('nl_folder.id'), { name: 'folder_id' }),
}) {
  declare folder: Folder | null;
}

// delete-orphan: a line that loses its order is deleted, whichever side was loaded.
class Order extends Base.mapped('nl_order', {
  id: Column(Integer, { primaryKey: true }),
  ref: Column(String(20), { nullable: false }),
}) {
  declare lines: Line[];
}

class Line extends Base.mapped('nl_line', {
  id: Column(Integer, { primaryKey: true }),
  sku: Column(String(20), { nullable: false }),
  orderId: Column(Integer, ForeignKey('nl_order.id'), { name: 'order_id' }),
}) {
  declare order: Order | null;
}

class Doc extends Base.mapped('nl_doc', {
  id: Column(Integer, { primaryKey: true }),
  tags: Column(Json<string[]>(), { nullable: false }),
  meta: Column(Json<Record<string, unknown>>()),
}) {}

Base.relationships(User, { addresses: relationship(Address, { backPopulates: 'user' }) });
Base.relationships(Address, { user: relationship(User, { backPopulates: 'addresses' }) });
Base.relationships(Folder, { files: relationship(File, { backPopulates: 'folder', cascade: 'all' }) });
Base.relationships(File, { folder: relationship(Folder, { backPopulates: 'files' }) });
Base.relationships(Order, { lines: relationship(Line, { backPopulates: 'order', cascade: 'all, delete-orphan' }) });
Base.relationships(Line, { order: relationship(Order, { backPopulates: 'lines' }) });

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  /** Users with one address each (`<name>@x`), committed; returns [user ids, address ids]. */
  async function seedUsers(...names: string[]): Promise<[number[], number[]]> {
    await using s = new Session(live.engine);
    const users = names.map((name) => new User({ name }));
    for (const u of users) u.addresses.push(new Address({ email: `${u.name}@x` }));
    s.addAll(users);
    await s.commit();
    return [users.map((u) => u.id), users.map((u) => u.addresses[0].id)];
  }

  /** Two folders, the old one holding two files (to move and to stay), committed. */
  async function seedFolders() {
    await using seed = new Session(live.engine);
    const oldFolder = new Folder({ name: 'old' });
    const newFolder = new Folder({ name: 'new' });
    oldFolder.files.push(new File({ name: 'moved' }), new File({ name: 'stays' }));
    seed.addAll([oldFolder, newFolder]);
    await seed.commit();
    const [movedId, staysId] = oldFolder.files.map((f) => f.id);
    return { oldFolder, newFolder, movedId, staysId };
  }

  const storedAddress = async (id: number) => live.rows(select(Address.c.email, Address.c.userId).where(Address.c.id.eq(id)));
  const storedUser = async (id: number) => live.rows(select(User.c.name).where(User.c.id.eq(id)));

  test('Promise.all([flush(), commit()]) commits everything the flush wrote', async () => {
    await using s = new Session(live.engine);
    const u = new User({ name: 'overlap' });
    u.addresses.push(new Address({ email: 'overlap@x' }), new Address({ email: 'overlap2@x' }));
    s.add(u);
    await Promise.all([s.flush(), s.commit()]);
    expect(s.phase).toBe('idle');
    expect(await storedUser(u.id)).toEqual([{ name: 'overlap' }]);
    expect(await live.rows(select(Address.c.email).where(Address.c.userId.eq(u.id)).orderBy(Address.c.email))).toEqual([{ email: 'overlap2@x' }, { email: 'overlap@x' }]);
    // And the other way round, with a change made between the calls.
    u.name = 'overlap-renamed';
    const commit = s.commit();
    const flush = s.flush();
    await Promise.all([commit, flush]);
    expect(await storedUser(u.id)).toEqual([{ name: 'overlap-renamed' }]);
  });

  test('child.parent = null is saved when the parent and its collection are not loaded', async () => {
    const [, [addressId]] = await seedUsers('unlinked');
    await using s = new Session(live.engine);
    const a = (await s.get(Address, addressId))!;
    a.user = null;
    await s.commit();
    expect(await storedAddress(addressId)).toEqual([{ email: 'unlinked@x', userId: null }]);
  });

  test("child.parent = null is saved when the parent is loaded but not its collection", async () => {
    const [[userId], [addressId]] = await seedUsers('unlinked2');
    await using s = new Session(live.engine);
    const a = (await s.scalars(select(Address).where(Address.c.id.eq(addressId)).options(joinedload(Address, 'user')))).one();
    expect(a.user!.id).toBe(userId);
    a.user = null;
    await s.commit();
    expect(await storedAddress(addressId)).toEqual([{ email: 'unlinked2@x', userId: null }]);
    expect(await storedUser(userId)).toEqual([{ name: 'unlinked2' }]);
  });

  test('a foreign key written directly wins over a relationship that did not change', async () => {
    const [[u1, u2], [addressId]] = await seedUsers('fk-a', 'fk-b');
    await using s = new Session(live.engine);
    const a = (await s.scalars(select(Address).where(Address.c.id.eq(addressId)).options(joinedload(Address, 'user')))).one();
    expect(a.user!.id).toBe(u1);
    a.userId = u2;
    await s.commit();
    expect(a.userId).toBe(u2);
    expect(await storedAddress(addressId)).toEqual([{ email: 'fk-a@x', userId: u2 }]);
  });

  test('when the foreign key and the relationship both changed, the relationship wins', async () => {
    const [[, u2, u3], [addressId]] = await seedUsers('both-a', 'both-b', 'both-c');
    await using s = new Session(live.engine);
    const a = (await s.scalars(select(Address).where(Address.c.id.eq(addressId)).options(joinedload(Address, 'user')))).one();
    const third = (await s.get(User, u3))!;
    a.userId = u2;
    a.user = third;
    await s.commit();
    expect(a.userId).toBe(u3);
    expect(await storedAddress(addressId)).toEqual([{ email: 'both-a@x', userId: u3 }]);
  });

  test("after its parent is deleted (no cascade), a change to a child does not write the deleted parent's key", async () => {
    const [[userId], [addressId]] = await seedUsers('gone');
    await using s = new Session(live.engine);
    const a = (await s.scalars(select(Address).where(Address.c.id.eq(addressId)).options(joinedload(Address, 'user')))).one();
    s.delete(a.user!);
    await s.commit();
    expect(await storedUser(userId)).toEqual([]);
    expect(await storedAddress(addressId)).toEqual([{ email: 'gone@x', userId: null }]);
    a.email = 'gone-changed@x';
    await s.commit();
    expect(await storedAddress(addressId)).toEqual([{ email: 'gone-changed@x', userId: null }]);
    expect(a.userId).toBeNull();
  });

  test('a child whose foreign key was written to another parent keeps it when its loaded old parent is deleted (no cascade)', async () => {
    const [[u1, u2], [addressId]] = await seedUsers('fk-kept-a', 'fk-kept-b');
    await using s = new Session(live.engine);
    const old = (await s.scalars(select(User).where(User.c.id.eq(u1)).options(selectinload(User, 'addresses')))).one();
    old.addresses[0].userId = u2;
    s.delete(old);
    await s.commit();
    expect(await storedAddress(addressId)).toEqual([{ email: 'fk-kept-a@x', userId: u2 }]);
    expect(await storedUser(u1)).toEqual([]);
  });

  test('the same when the child was loaded without its parent', async () => {
    const [[userId], [addressId]] = await seedUsers('gone2');
    await using s = new Session(live.engine);
    const a = (await s.get(Address, addressId))!;
    const u = (await s.get(User, userId))!;
    s.delete(u);
    await s.commit();
    a.email = 'gone2-changed@x';
    await s.commit();
    expect(await storedAddress(addressId)).toEqual([{ email: 'gone2-changed@x', userId: null }]);
  });

  test("a child moved to a new parent is not deleted with its old parent (cascade 'all', old collection not loaded)", async () => {
    const { oldFolder, newFolder, movedId, staysId } = await seedFolders();

    await using s = new Session(live.engine);
    const moved = (await s.get(File, movedId))!;
    const target = (await s.get(Folder, newFolder.id))!;
    const old = (await s.get(Folder, oldFolder.id))!;
    moved.folder = target;
    s.delete(old);
    await s.commit();
    expect(statusOf(moved)).toBe('persistent');
    expect(await live.rows(select(File.c.id, File.c.folderId).where(File.c.id.in([movedId, staysId])))).toEqual([{ id: movedId, folderId: newFolder.id }]);
    expect(await live.rows(select(Folder.c.id).where(Folder.c.id.eq(oldFolder.id)))).toEqual([]);
  });

  test('the same when the move is a foreign key written directly', async () => {
    const { oldFolder, newFolder, movedId, staysId } = await seedFolders();

    await using s = new Session(live.engine);
    const moved = (await s.get(File, movedId))!;
    const old = (await s.get(Folder, oldFolder.id))!;
    moved.folderId = newFolder.id;
    s.delete(old);
    await s.commit();
    expect(await live.rows(select(File.c.id, File.c.folderId).where(File.c.id.in([movedId, staysId])))).toEqual([{ id: movedId, folderId: newFolder.id }]);
  });

  test("line.order = null under the order's delete-orphan deletes the line whether or not the order's lines are loaded", async () => {
    await using seed = new Session(live.engine);
    const order = new Order({ ref: 'orphans' });
    order.lines.push(new Line({ sku: 'unloaded' }), new Line({ sku: 'parent-loaded' }), new Line({ sku: 'all-loaded' }), new Line({ sku: 'kept' }));
    seed.add(order);
    await seed.commit();
    const ids = Object.fromEntries(order.lines.map((l) => [l.sku, l.id]));

    await using s = new Session(live.engine);
    const unloaded = (await s.get(Line, ids.unloaded))!;
    unloaded.order = null;
    const parentLoaded = (await s.scalars(select(Line).where(Line.c.id.eq(ids['parent-loaded'])).options(joinedload(Line, 'order')))).one();
    parentLoaded.order = null;
    await s.commit();
    expect(statusOf(unloaded)).toBe('detached');
    expect(statusOf(parentLoaded)).toBe('detached');

    const loadedOrder = (await s.scalars(select(Order).where(Order.c.id.eq(order.id)).options(selectinload(Order, 'lines')))).one();
    const allLoaded = loadedOrder.lines.find((l) => l.sku === 'all-loaded')!;
    allLoaded.order = null;
    await s.commit();
    expect(await live.rows(select(Line.c.sku, Line.c.orderId).where(Line.c.id.in(Object.values(ids))))).toEqual([{ sku: 'kept', orderId: order.id }]);
  });

  test('the same when the old folder\'s files are loaded and the move is a foreign key written directly', async () => {
    const { oldFolder, newFolder, movedId, staysId } = await seedFolders();
    await using s = new Session(live.engine);
    const old = (await s.scalars(select(Folder).where(Folder.c.id.eq(oldFolder.id)).options(selectinload(Folder, 'files')))).one();
    const moved = old.files.find((f) => f.id === movedId)!;
    moved.folderId = newFolder.id;
    s.delete(old);
    await s.commit();
    expect(statusOf(moved)).toBe('persistent');
    expect(await live.rows(select(File.c.id, File.c.folderId).where(File.c.id.in([movedId, staysId])))).toEqual([{ id: movedId, folderId: newFolder.id }]);
  });

  test('a flushed delete that is rolled back leaves the object persistent: it can be added again and deleted again', async () => {
    const [[userId]] = await seedUsers('undeleted');
    await using s = new Session(live.engine);
    const u = (await s.get(User, userId))!;
    s.delete(u);
    await s.flush();
    expect(statusOf(u)).toBe('deleted');
    await s.rollback();
    expect(statusOf(u)).toBe('persistent');
    expect(await storedUser(userId)).toEqual([{ name: 'undeleted' }]);
    s.add(u);
    expect(statusOf(u)).toBe('persistent');
    expect(await s.get(User, userId)).toBe(u);
    s.delete(u);
    await s.commit();
    expect(statusOf(u)).toBe('detached');
    expect(await storedUser(userId)).toEqual([]);
  });

  test('a rolled-back delete, expunged, can be added to and deleted in a new session', async () => {
    const [[userId]] = await seedUsers('undeleted2');
    await using s = new Session(live.engine);
    const u = (await s.get(User, userId))!;
    s.delete(u);
    await s.flush();
    await s.rollback();
    s.expunge(u);
    expect(statusOf(u)).toBe('detached');
    await using s2 = new Session(live.engine);
    s2.add(u);
    expect(statusOf(u)).toBe('persistent');
    s2.delete(u);
    await s2.commit();
    expect(await storedUser(userId)).toEqual([]);
  });

  test('rolled-back changes are expired: reading says to refresh, refresh brings back the stored values', async () => {
    const [[userId]] = await seedUsers('kept');
    await using s = new Session(live.engine);
    const u = (await s.get(User, userId))!;
    u.name = 'flushed-then-rolled-back';
    await s.flush();
    await s.rollback();
    expect(() => u.name).toThrow(InvalidRequestError);
    expect(() => u.name).toThrow(/User\.name is expired.*await session\.refresh\(obj, \['name'\]\)/);
    expect(s.dirty).toEqual([]);
    await s.refresh(u);
    expect(u.name).toBe('kept');
    // Re-added and committed: nothing is written, the row keeps its value.
    const mark = live.log.length;
    s.add(u);
    await s.commit();
    expect(live.writes(mark)).toEqual([]);
    expect(await storedUser(userId)).toEqual([{ name: 'kept' }]);
  });

  test('a rolled-back unflushed change is expired too, and a query restores the stored value', async () => {
    const [[userId]] = await seedUsers('kept2');
    await using s = new Session(live.engine);
    const u = (await s.get(User, userId))!;
    u.name = 'never-flushed';
    await s.rollback();
    expect(() => u.name).toThrow(/User\.name is expired/);
    const again = (await s.scalars(select(User).where(User.c.id.eq(userId)))).one();
    expect(again).toBe(u);
    expect(u.name).toBe('kept2');
    // A later change of the restored object is written as usual.
    u.name = 'kept2-changed';
    await s.commit();
    expect(await storedUser(userId)).toEqual([{ name: 'kept2-changed' }]);
  });

  test('JSON changed in place is saved', async () => {
    await using s = new Session(live.engine);
    const d = new Doc({ tags: ['a'], meta: { n: 1 } });
    s.add(d);
    await s.commit();
    d.tags.push('b');
    (d.meta as Record<string, unknown>).n = 2;
    await s.commit();
    const stored = async () => (await live.rows<{ tags: unknown; meta: unknown }>(select(Doc.c.tags, Doc.c.meta).where(Doc.c.id.eq(d.id))))[0];
    expect(await stored()).toEqual({ tags: ['a', 'b'], meta: { n: 2 } });

    await using s2 = new Session(live.engine);
    const loaded = (await s2.get(Doc, d.id))!;
    loaded.tags.push('c');
    await s2.commit();
    expect((await stored()).tags).toEqual(['a', 'b', 'c']);
  });

  test('JSON values of many objects changed in one flush go in one batch, each bound as JSON', async () => {
    await using s = new Session(live.engine);
    const docs = [new Doc({ tags: ['x'] }), new Doc({ tags: ['y'] }), new Doc({ tags: ['z'] })];
    s.addAll(docs);
    await s.commit();
    docs[0].tags = ['x', '1'];
    docs[1].tags = ['y', '2'];
    docs[2].tags.push('3');
    await s.commit();
    const ids = docs.map((d) => d.id);
    const rows = await live.rows<{ id: number; tags: unknown }>(select(Doc.c.id, Doc.c.tags).where(Doc.c.id.in(ids)).orderBy(Doc.c.id));
    expect(rows.map((r) => r.tags)).toEqual([
      ['x', '1'],
      ['y', '2'],
      ['z', '3'],
    ]);
  });

  test('JSON changed in place through a reference held across flushes is saved each time', async () => {
    await using s = new Session(live.engine);
    const d = new Doc({ tags: [] });
    s.add(d);
    await s.commit();
    const tags = d.tags;
    tags.push('first');
    await s.flush();
    tags.push('second');
    await s.commit();
    expect((await live.rows<{ tags: unknown }>(select(Doc.c.tags).where(Doc.c.id.eq(d.id))))[0].tags).toEqual(['first', 'second']);
  });

  test('flagModified writes a column whatever its value', async () => {
    await using s = new Session(live.engine);
    const d = new Doc({ tags: ['x'] });
    s.add(d);
    await s.commit();
    await live.engine.connect((c) => c.execute(update(Doc.table).where(Doc.c.id.eq(d.id)).values({ tags: ['behind'] })));
    flagModified(d, 'tags');
    expect(s.isModified(d)).toBe(true);
    await s.commit();
    expect((await live.rows<{ tags: unknown }>(select(Doc.c.tags).where(Doc.c.id.eq(d.id))))[0].tags).toEqual(['x']);
    expect(() => flagModified(d, 'nope')).toThrow(ArgumentError);
  });

  test('expireOnCommit: true expires objects at commit; refresh reads the stored values', async () => {
    const [[userId]] = await seedUsers('expiring');
    await using s = new Session(live.engine, { expireOnCommit: true });
    const u = (await s.get(User, userId))!;
    u.name = 'expiring-committed';
    await s.commit();
    expect(() => u.name).toThrow(/User\.name is expired/);
    await live.engine.connect((c) => c.execute(update(User.table).where(User.c.id.eq(userId)).values({ name: 'changed-behind' })));
    await s.refresh(u);
    expect(u.name).toBe('changed-behind');
    expect(await storedUser(userId)).toEqual([{ name: 'changed-behind' }]);
  });

  test('unknown options to Session and Base.mapped raise ArgumentError listing the valid ones', () => {
    expect(() => new Session(live.engine, { expireOnComit: true } as any)).toThrow(ArgumentError);
    expect(() => new Session(live.engine, { expireOnComit: true } as any)).toThrow("unknown option 'expireOnComit'; the options are autoflush, expireOnCommit");
    expect(() => new Session(live.engine, { expireOnCommit: 'yes' } as any)).toThrow(ArgumentError);
    const Other = declarativeBase();
    const map = () => Other.mapped('nl_bad', { id: Column(Integer, { primaryKey: true }) }, { versionIdColumn: 'id' } as any);
    expect(map).toThrow(ArgumentError);
    expect(map).toThrow("unknown option 'versionIdColumn'; the options are schema, comment, dialectOptions, versionIdCol, versionIdGenerator");
  });
});
