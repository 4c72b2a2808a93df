/**
 * Every cascade, each shown against a relationship without it. Team.members carries
 * 'all, delete-orphan' (save-update, merge, refresh-expire, expunge, delete, delete-orphan);
 * Team.guests carries only 'save-update'. Rows are read back with Core.
 */
import { Column, ForeignKey, Integer, String, select } from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload, statusOf } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Team extends Base.mapped('cc_team', { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(30), { nullable: false }) }) {
  declare members: Member[];
  declare guests: Guest[];
}
class Member extends Base.mapped('cc_member', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  teamId: Column(Integer, ForeignKey('cc_team.id'), { name: 'team_id' }),
  name: Column(String(30), { nullable: false }),
}) {}
class Guest extends Base.mapped('cc_guest', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  teamId: Column(Integer, ForeignKey('cc_team.id'), { name: 'team_id' }),
  name: Column(String(30), { nullable: false }),
}) {}
Base.relationships(Team, {
  members: relationship(Member, { cascade: 'all, delete-orphan', orderBy: Member.c.id }),
  guests: relationship(Guest, { cascade: 'save-update', orderBy: Guest.c.id }),
});

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  let nextId = 1;

  /** A team with two members and one guest, committed; returns the team id. */
  async function seed(): Promise<number> {
    const id = nextId++;
    await using s = new Session(live.engine);
    const t = new Team({ id, name: `t${id}` });
    t.members.push(new Member({ id: id * 10, name: 'm1' }), new Member({ id: id * 10 + 1, name: 'm2' }));
    t.guests.push(new Guest({ id: id * 10, name: 'g1' }));
    s.add(t);
    await s.commit();
    return id;
  }
  const load = (s: Session, id: number) =>
    s.scalars(select(Team).where(Team.c.id.eq(id)).options(selectinload(Team, 'members'), selectinload(Team, 'guests'))).then((r) => r.one());
  const memberRows = async (teamId: number) => (await live.rows<{ id: number }>(select(Member.c.id).where(Member.c.teamId.eq(teamId)).orderBy(Member.c.id))).map((r) => r.id);

  test('save-update: objects added to a persistent object are saved with it', async () => {
    const id = await seed();
    expect(await memberRows(id)).toEqual([id * 10, id * 10 + 1]);
    expect(await live.rows(select(Guest.c.id, Guest.c.teamId).where(Guest.c.teamId.eq(id)))).toEqual([{ id: id * 10, teamId: id }]);
  });

  test('delete: deleting the owner deletes its members; guests (no delete cascade) keep their rows with the key cleared', async () => {
    const id = await seed();
    {
      await using s = new Session(live.engine);
      s.delete(await load(s, id));
      await s.commit();
    }
    expect(await live.rows(select(Member.c.id).where(Member.c.id.in([id * 10, id * 10 + 1])))).toEqual([]);
    expect(await live.rows(select(Guest.c.id, Guest.c.teamId).where(Guest.c.id.eq(id * 10)))).toEqual([{ id: id * 10, teamId: null }]);
  });

  test('delete-orphan: a member removed from the collection is deleted; a removed guest is only unlinked', async () => {
    const id = await seed();
    {
      await using s = new Session(live.engine);
      const t = await load(s, id);
      t.members.shift();
      t.guests.pop();
      await s.commit();
    }
    expect(await memberRows(id)).toEqual([id * 10 + 1]);
    expect(await live.rows(select(Member.c.id).where(Member.c.id.eq(id * 10)))).toEqual([]);
    expect(await live.rows(select(Guest.c.id, Guest.c.teamId).where(Guest.c.id.eq(id * 10)))).toEqual([{ id: id * 10, teamId: null }]);
  });

  test('expunge: the members leave the session with the team; the guest stays', async () => {
    const id = await seed();
    await using s = new Session(live.engine);
    const t = await load(s, id);
    s.expunge(t);
    expect(statusOf(t)).toBe('detached');
    expect(t.members.map((m) => statusOf(m))).toEqual(['detached', 'detached']);
    expect(statusOf(t.guests[0])).toBe('persistent');
  });

  test('refresh-expire: expire() expires the members too; refresh() reloads their changed rows; the guest is left as it was', async () => {
    const id = await seed();
    await using s = new Session(live.engine);
    const t = await load(s, id);
    const [m1] = t.members;
    const g1 = t.guests[0];
    // Changed behind the ORM's back, in the session's transaction (its snapshot and SQLite's lock).
    const conn = await s.connection();
    await conn.execute(Member.table.update().where(Member.c.id.eq(id * 10)).values({ name: 'renamed' }));
    await conn.execute(Guest.table.update().where(Guest.c.id.eq(id * 10)).values({ name: 'renamed' }));
    s.expire(t);
    expect(() => m1.name).toThrow(/expired|not loaded/);
    expect(g1.name).toBe('g1');
    const again = await load(s, id);
    expect(again).toBe(t);
    expect(m1.name).toBe('renamed');
    await conn.execute(Member.table.update().where(Member.c.id.eq(id * 10)).values({ name: 'twice' }));
    // refresh() of the team with its members loaded: the members' own columns are read again.
    const before = t.members[0];
    await s.refresh(t, ['name']);
    expect(before.name).toBe('twice');
    expect(g1.name).toBe('g1');
  });

  test('merge: a detached team merged into a new session brings its members; its guest (no merge cascade) is not merged', async () => {
    const id = await seed();
    let detached: Team;
    {
      await using s = new Session(live.engine);
      detached = await load(s, id);
    }
    detached.members[0].name = 'merged';
    detached.guests[0].name = 'not merged';
    {
      await using s = new Session(live.engine);
      const merged = await s.merge(detached);
      expect(merged).not.toBe(detached);
      expect(merged.members.map((m) => m.name)).toEqual(['merged', 'm2']);
      expect(merged.members[0]).not.toBe(detached.members[0]);
      await s.commit();
    }
    expect(await live.rows(select(Member.c.name).where(Member.c.id.eq(id * 10)))).toEqual([{ name: 'merged' }]);
    expect(await live.rows(select(Guest.c.name).where(Guest.c.id.eq(id * 10)))).toEqual([{ name: 'g1' }]);
  });
});
