/**
 * Two rows that point at each other (a person's favourite gadget, a gadget's owner): neither
 * INSERT can carry both keys, so the postUpdate side's nullable key goes in NULL and is
 * written by an UPDATE after both rows exist; on delete it is set to NULL first. A cycle of
 * NOT NULL keys cannot be ordered and is refused with an error naming postUpdate.
 */
import { Column, ForeignKey, Integer, InvalidRequestError, String, select } from '@athanor/core';
import { Session, declarativeBase, relationship } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Person extends Base.mapped('pu_person', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  favouriteId: Column(Integer, ForeignKey('pu_gadget.id', { useAlter: true }), { name: 'favourite_id' }),
}) {
  declare favourite: Gadget | null;
}
class Gadget extends Base.mapped('pu_gadget', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  ownerId: Column(Integer, ForeignKey('pu_person.id'), { name: 'owner_id', nullable: false }),
}) {
  declare owner: Person;
}
Base.relationships(Person, { favourite: relationship(Gadget, { foreignKeys: Person.c.favouriteId, postUpdate: true }) });
Base.relationships(Gadget, { owner: relationship(Person, { foreignKeys: Gadget.c.ownerId }) });

// Both keys NOT NULL and no postUpdate: no order of INSERTs works.
const Locked = declarativeBase();
class Lock extends Locked.mapped('pu_lock', {
  id: Column(Integer, { primaryKey: true }),
  keyId: Column(Integer, ForeignKey('pu_key.id', { useAlter: true }), { name: 'key_id', nullable: false }),
}) {
  declare key: Key;
}
class Key extends Locked.mapped('pu_key', {
  id: Column(Integer, { primaryKey: true }),
  lockId: Column(Integer, ForeignKey('pu_lock.id'), { name: 'lock_id', nullable: false }),
}) {
  declare lock: Lock;
}
Locked.relationships(Lock, { key: relationship(Key, { foreignKeys: Lock.c.keyId }) });
Locked.relationships(Key, { lock: relationship(Lock, { foreignKeys: Key.c.lockId }) });

// One table whose rows point at each other (two employees, each the other's backup): a
// self-referential cycle on a nullable key, broken by a second UPDATE.
class Employee extends Base.mapped('pu_employee', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  backupId: Column(Integer, ForeignKey('pu_employee.id'), { name: 'backup_id' }),
}) {
  declare backup: Employee | null;
}
Base.relationships(Employee, { backup: relationship(Employee, { remoteSide: Employee.c.id, postUpdate: true }) });

// A ring of rows (a linked list whose last points to the first, or one row to itself),
// no postUpdate: the flush breaks the cycle at the nullable key by itself.
class Link extends Base.mapped('pu_link', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  nextId: Column(Integer, ForeignKey('pu_link.id'), { name: 'next_id' }),
}) {
  declare next: Link | null;
}
Base.relationships(Link, { next: relationship(Link, { remoteSide: Link.c.id }) });

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata, Locked.metadata);
  const table = (w: string) => /^(?:INSERT INTO|UPDATE|DELETE FROM) \W?(\w+)/.exec(w)![1];
  const verbOf = (w: string) => `${w.split(' ')[0]} ${table(w)}`;

  async function storedPeople(ids: number[]) {
    return live.rows(select(Person.c.id, Person.c.favouriteId).where(Person.c.id.in(ids)).orderBy(Person.c.id));
  }
  async function storedGadgets(ids: number[]) {
    return live.rows(select(Gadget.c.id, Gadget.c.ownerId).where(Gadget.c.id.in(ids)).orderBy(Gadget.c.id));
  }

  /** `n` people, each owning one gadget that is their favourite. */
  function pairs(tag: string, n: number): [Person[], Gadget[]] {
    const people = Array.from({ length: n }, (_, i) => new Person({ name: `${tag}-p${i}` }));
    const gadgets = people.map((p, i) => {
      const g = new Gadget({ name: `${tag}-g${i}` });
      g.owner = p;
      p.favourite = g;
      return g;
    });
    return [people, gadgets];
  }

  test('two rows pointing at each other: INSERT both, then one UPDATE writes the postUpdate key', async () => {
    const [[p], [g]] = pairs('one', 1);
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      s.add(p);
      await s.commit();
    }
    expect(live.writes(mark).map(verbOf)).toEqual(['INSERT pu_person', 'INSERT pu_gadget', 'UPDATE pu_person']);
    expect(await storedPeople([p.id])).toEqual([{ id: p.id, favouriteId: g.id }]);
    expect(await storedGadgets([g.id])).toEqual([{ id: g.id, ownerId: p.id }]);
    expect(p.favouriteId).toBe(g.id);
    expect(g.ownerId).toBe(p.id);
  });

  test('many such pairs in one flush: one INSERT per table and one executemany UPDATE', async () => {
    const [people, gadgets] = pairs('many', 25);
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      s.addAll(people);
      await s.commit();
    }
    expect(live.writes(mark).map(verbOf)).toEqual(['INSERT pu_person', 'INSERT pu_gadget', ...updateLines(25)]);
    expect(await storedPeople(people.map((p) => p.id))).toEqual(people.map((p, i) => ({ id: p.id, favouriteId: gadgets[i].id })));
    expect(await storedGadgets(gadgets.map((g) => g.id))).toEqual(gadgets.map((g, i) => ({ id: g.id, ownerId: people[i].id })));
  });

  /** An executemany of n UPDATEs by key: one logged statement (a batched UPDATE ... FROM (VALUES ...) on SQLite and PostgreSQL, one driver call on MariaDB). */
  function updateLines(_n: number): string[] {
    return ['UPDATE pu_person'];
  }

  test('deleting both: the postUpdate key is set to NULL first, then both rows go', async () => {
    const [[p], [g]] = pairs('del', 1);
    const [[keep], [keepGadget]] = pairs('keep', 1);
    {
      await using s = new Session(live.engine);
      s.addAll([p, keep]);
      await s.commit();
    }
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      const person = (await s.get(Person, p.id))!;
      const gadget = (await s.get(Gadget, g.id))!;
      s.delete(person);
      s.delete(gadget);
      await s.commit();
    }
    expect(live.writes(mark).map(verbOf)).toEqual(['UPDATE pu_person', 'DELETE pu_gadget', 'DELETE pu_person']);
    expect(await storedPeople([p.id, keep.id])).toEqual([{ id: keep.id, favouriteId: keepGadget.id }]);
    expect(await storedGadgets([g.id, keepGadget.id])).toEqual([{ id: keepGadget.id, ownerId: keep.id }]);
  });

  test('rows of one table pointing at each other: one INSERT, then the keys by UPDATE; deleted together', async () => {
    const ann = new Employee({ name: 'ann' });
    const bob = new Employee({ name: 'bob' });
    const cid = new Employee({ name: 'cid' });
    ann.backup = bob;
    bob.backup = ann;
    cid.backup = ann;
    let mark = live.log.length;
    {
      await using s = new Session(live.engine);
      s.addAll([ann, bob, cid]);
      await s.commit();
    }
    const inserted = live.writes(mark).map(verbOf);
    expect(inserted[0]).toBe('INSERT pu_employee');
    expect(inserted.slice(1).every((w) => w === 'UPDATE pu_employee')).toBe(true);
    const stored = () =>
      live.rows(select(Employee.c.name, Employee.c.backupId).where(Employee.c.id.in([ann.id, bob.id, cid.id])).orderBy(Employee.c.name));
    expect(await stored()).toEqual([
      { name: 'ann', backupId: bob.id },
      { name: 'bob', backupId: ann.id },
      { name: 'cid', backupId: ann.id },
    ]);
    mark = live.log.length;
    {
      await using s = new Session(live.engine);
      // Loaded first: a get() after a delete() would autoflush that delete alone.
      const loaded = (await s.scalars(select(Employee).where(Employee.c.id.in([ann.id, bob.id, cid.id])))).all();
      expect(loaded).toHaveLength(3);
      for (const e of loaded) s.delete(e);
      await s.commit();
    }
    expect(await stored()).toEqual([]);
    expect(live.writes(mark).map(verbOf).at(-1)).toBe('DELETE pu_employee');
  });

  test('a ring of rows and a row pointing at itself (no postUpdate): every key stored, and all deleted in one flush', async () => {
    const [a, b, c, self] = ['ring-a', 'ring-b', 'ring-c', 'ring-self'].map((name) => new Link({ name }));
    a.next = b;
    b.next = c;
    c.next = a;
    self.next = self;
    {
      await using s = new Session(live.engine);
      s.addAll([a, b, c, self]);
      await s.commit();
    }
    const stored = () => live.rows(select(Link.c.name, Link.c.nextId).where(Link.c.name.like('ring-%')).orderBy(Link.c.name));
    expect(await stored()).toEqual([
      { name: 'ring-a', nextId: b.id },
      { name: 'ring-b', nextId: c.id },
      { name: 'ring-c', nextId: a.id },
      { name: 'ring-self', nextId: self.id },
    ]);
    expect([a.nextId, b.nextId, c.nextId, self.nextId]).toEqual([b.id, c.id, a.id, self.id]);
    {
      await using s = new Session(live.engine);
      for (const l of (await s.scalars(select(Link).where(Link.c.name.like('ring-%')))).all()) s.delete(l);
      await s.commit();
    }
    expect(await stored()).toEqual([]);
  });

  test('a cycle of NOT NULL foreign keys is refused naming postUpdate; nothing is written', async () => {
    const lock = new Lock({});
    const key = new Key({});
    lock.key = key;
    key.lock = lock;
    const mark = live.log.length;
    await using s = new Session(live.engine);
    s.add(lock);
    const failure = s.commit();
    await expect(failure).rejects.toThrow(InvalidRequestError);
    await expect(failure).rejects.toThrow(/postUpdate: true/);
    await expect(failure).rejects.toThrow(/NOT NULL foreign keys \((Lock\.key|Key\.lock)\)/);
    expect(live.writes(mark)).toEqual([]);
    expect(await live.rows(select(Lock.c.id))).toEqual([]);
    expect(await live.rows(select(Key.c.id))).toEqual([]);
  });
});
