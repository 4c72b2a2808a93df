/**
 * One-to-one (`uselist: false` on the one-to-many side): a single object, not a list;
 * assigning a new child clears the old child's foreign key (no delete-orphan) and keeps
 * both sides in memory. viewonly relationships load like any other but are never written:
 * changing one raises, and deleting the owner leaves their rows to the writable relationship.
 */
import { ArgumentError, Column, ForeignKey, Integer, InvalidRequestError, String, select } from '@athanor/core';
import { BackPopulatesError, Session, declarativeBase, joinedload, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Person extends Base.mapped('oo_person', { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(30), { nullable: false }) }) {
  declare passport: Passport | null;
  declare passportView: Passport | null;
  declare visits: Visit[];
  declare visitView: Visit[];
}
class Passport extends Base.mapped('oo_passport', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  personId: Column(Integer, ForeignKey('oo_person.id'), { name: 'person_id' }),
  number: Column(String(30), { nullable: false }),
}) {
  declare person: Person | null;
}
class Visit extends Base.mapped('oo_visit', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  personId: Column(Integer, ForeignKey('oo_person.id'), { name: 'person_id' }),
}) {}
Base.relationships(Person, {
  passport: relationship(Passport, { uselist: false, backPopulates: 'person' }),
  passportView: relationship(Passport, { uselist: false, viewonly: true }),
  visits: relationship(Visit, { orderBy: Visit.c.id }),
  visitView: relationship(Visit, { viewonly: true, orderBy: Visit.c.id }),
});
Base.relationships(Passport, { person: relationship(Person, { backPopulates: 'passport' }) });

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const passports = async () =>
    (await live.rows<{ id: number; personId: number | null }>(select(Passport.c.id, Passport.c.personId).orderBy(Passport.c.id))).map((r) => [r.id, r.personId]);

  beforeAll(async () => {
    await using s = new Session(live.engine);
    const p = new Person({ id: 1, name: 'pat' });
    p.passport = new Passport({ id: 1, number: 'A1' });
    p.visits.push(new Visit({ id: 1 }), new Visit({ id: 2 }));
    s.add(p);
    await s.commit();
  });

  test('one-to-one: the attribute is one object (or null), from either loader', async () => {
    await using s = new Session(live.engine);
    const [a] = (await s.scalars(select(Person).options(selectinload(Person, 'passport')))).all();
    expect(a.passport?.number).toBe('A1');
    expect(a.passport?.person).toBe(a);
    await using s2 = new Session(live.engine);
    const [b] = (await s2.scalars(select(Person).options(joinedload(Person, 'passport')))).all();
    expect(b.passport?.number).toBe('A1');
  });

  test("one-to-one: assigning a new child writes its key and clears the old child's", async () => {
    await using s = new Session(live.engine);
    const [p] = (await s.scalars(select(Person).options(selectinload(Person, 'passport')))).all();
    const old = p.passport!;
    const renewed = new Passport({ id: 2, number: 'A2' });
    p.passport = renewed;
    expect(old.person).toBeNull();
    expect(renewed.person).toBe(p);
    await s.commit();
    expect(await passports()).toEqual([
      [1, null],
      [2, 1],
    ]);
  });

  test('one-to-one: assigning while the old child is not loaded still clears it', async () => {
    await using s = new Session(live.engine);
    const p = (await s.get(Person, 1))!;
    p.passport = new Passport({ id: 3, number: 'A3' });
    await s.commit();
    expect(await passports()).toEqual([
      [1, null],
      [2, null],
      [3, 1],
    ]);
  });

  test('viewonly: loads like any relationship; assigning or changing the collection raises', async () => {
    await using s = new Session(live.engine);
    const [p] = (await s.scalars(select(Person).options(selectinload(Person, 'visitView'), selectinload(Person, 'passportView')))).all();
    expect(p.visitView.map((v) => v.id)).toEqual([1, 2]);
    expect(p.passportView?.number).toBe('A3');
    expect(() => p.visitView.push(new Visit({ id: 9 }))).toThrow(InvalidRequestError);
    expect(() => p.visitView.pop()).toThrow(/viewonly/);
    expect(() => {
      p.visitView = [];
    }).toThrow(/Person.visitView is viewonly/);
    expect(() => {
      p.passportView = null;
    }).toThrow(InvalidRequestError);
    expect(p.visitView).toHaveLength(2);
  });

  test('viewonly: deleting the owner is written through the writable relationship only', async () => {
    {
      await using s = new Session(live.engine);
      const [p] = (await s.scalars(select(Person).options(selectinload(Person, 'visitView')))).all();
      const mark = live.log.length;
      s.delete(p);
      await s.commit();
      const writes = live.writes(mark);
      // visits (writable) nulls each row once (batched or not, per driver); the loaded viewonly side adds nothing.
      const updates = writes.filter((w) => /^UPDATE \W?oo_visit\W?/.test(w));
      expect(updates.length).toBeGreaterThan(0);
      expect(updates.length).toBeLessThanOrEqual(2);
      expect(new Set(updates).size).toBe(updates.length);
    }
    expect(await live.rows(select(Visit.c.id, Visit.c.personId).orderBy(Visit.c.id))).toEqual([
      { id: 1, personId: null },
      { id: 2, personId: null },
    ]);
  });

  test('viewonly refuses the options that write, and cannot be the other side of backPopulates', () => {
    expect(() => Base.relationships(Person, { visitView: relationship(Visit, { viewonly: true, cascade: 'all' }) })).toThrow(ArgumentError);
    expect(() => Base.relationships(Person, { visitView: relationship(Visit, { viewonly: true, backPopulates: 'x' }) })).toThrow(/viewonly relationship is never written/);
    // Its own base: a failed configure() raises again at every use of that base.
    const B2 = declarativeBase();
    class Owner extends B2.mapped('oo_owner', { id: Column(Integer, { primaryKey: true }) }) {
      declare pets: Pet[];
    }
    class Pet extends B2.mapped('oo_pet', { id: Column(Integer, { primaryKey: true }), ownerId: Column(Integer, ForeignKey('oo_owner.id')) }) {
      declare owner: Owner | null;
    }
    B2.relationships(Owner, { pets: relationship(Pet, { viewonly: true }) });
    B2.relationships(Pet, { owner: relationship(Owner, { backPopulates: 'pets' }) });
    expect(() => B2.configure()).toThrow(BackPopulatesError);
  });
});
