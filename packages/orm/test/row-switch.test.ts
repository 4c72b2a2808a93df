/**
 * A row replaced in one flush. Deleting an object and adding a new one with the same
 * primary key is a "row switch": one UPDATE, as SQLAlchemy does (an INSERT first would
 * collide with the row still there). Replacing the child of a one-to-one under
 * delete-orphan, where the child's foreign key is UNIQUE, deletes the old row before the
 * new one is inserted.
 */
import { Column, ForeignKey, Integer, String, select } from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload, statusOf } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Setting extends Base.mapped('rs_setting', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  name: Column(String(30), { nullable: false }),
  value: Column(String(30), { nullable: false }),
  note: Column(String(30)),
}) {}

class Doc extends Base.mapped(
  'rs_doc',
  { id: Column(Integer, { primaryKey: true, autoincrement: false }), body: Column(String(30), { nullable: false }), version: Column(Integer, { nullable: false }) },
  { versionIdCol: 'version' },
) {}

class Member extends Base.mapped('rs_member', { id: Column(Integer, { primaryKey: true }), name: Column(String(30), { nullable: false }) }) {
  declare profile: Profile | null;
}
class Profile extends Base.mapped('rs_profile', {
  id: Column(Integer, { primaryKey: true }),
  memberId: Column(Integer, ForeignKey('rs_member.id'), { name: 'member_id', nullable: false, unique: true }),
  bio: Column(String(30), { nullable: false }),
}) {
  declare member: Member;
}
Base.relationships(Member, { profile: relationship(Profile, { uselist: false, backPopulates: 'member', cascade: 'all, delete-orphan' }) });
Base.relationships(Profile, { member: relationship(Member, { backPopulates: 'profile' }) });

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const verbs = (mark: number) => live.writes(mark).map((w) => /^(?:INSERT INTO|UPDATE|DELETE FROM) \W?(\w+)/.exec(w)![0].replace(/\W(?=\w+$)/, ' '));

  test('delete + add of the same primary key in one flush: one UPDATE, the row holds the new values', async () => {
    {
      await using s = new Session(live.engine);
      s.add(new Setting({ id: 7, name: 'theme', value: 'dark', note: 'old' }));
      s.add(new Setting({ id: 8, name: 'lang', value: 'en', note: 'stays' }));
      await s.commit();
    }
    const mark = live.log.length;
    await using s = new Session(live.engine);
    const old = (await s.get(Setting, 7))!;
    s.delete(old);
    const replacement = new Setting({ id: 7, name: 'font', value: 'mono', note: null });
    s.add(replacement);
    await s.commit();
    const writes = live.writes(mark);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^UPDATE \W?rs_setting\W? SET /);
    expect(statusOf(old)).toBe('detached');
    expect(statusOf(replacement)).toBe('persistent');
    expect(await live.rows(select(Setting.table).where(Setting.c.id.in([7, 8])).orderBy(Setting.c.id))).toEqual([
      { id: 7, name: 'font', value: 'mono', note: null },
      { id: 8, name: 'lang', value: 'en', note: 'stays' },
    ]);
    // The session answers with the new object for that key.
    expect(await s.get(Setting, 7)).toBe(replacement);
  });

  test('a row switch writes only what differs from the deleted row', async () => {
    {
      await using s = new Session(live.engine);
      s.add(new Setting({ id: 9, name: 'same', value: 'v1', note: 'n' }));
      await s.commit();
    }
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      s.delete((await s.get(Setting, 9))!);
      s.add(new Setting({ id: 9, name: 'same', value: 'v2', note: 'n' }));
      await s.commit();
    }
    const writes = live.writes(mark);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^UPDATE \W?rs_setting\W? SET \W?value\W? = \S+ WHERE/);
    expect(await live.rows(select(Setting.table).where(Setting.c.id.eq(9)))).toEqual([{ id: 9, name: 'same', value: 'v2', note: 'n' }]);
  });

  test('a row switch of a versioned row checks the deleted row\'s version and advances it', async () => {
    {
      await using s = new Session(live.engine);
      s.add(new Doc({ id: 1, body: 'v1' }));
      await s.commit();
    }
    await using s = new Session(live.engine);
    const old = (await s.get(Doc, 1))!;
    expect(old.version).toBe(1);
    s.delete(old);
    const replacement = new Doc({ id: 1, body: 'v2' });
    s.add(replacement);
    const mark = live.log.length;
    await s.commit();
    const writes = live.writes(mark);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^UPDATE \W?rs_doc\W? SET .* WHERE \W?rs_doc\W?\.\W?id\W? = \S+ AND \W?rs_doc\W?\.\W?version\W? = /);
    expect(await live.rows(select(Doc.table).where(Doc.c.id.eq(1)))).toEqual([{ id: 1, body: 'v2', version: 2 }]);
    expect(replacement.version).toBe(2);
  });

  test('one-to-one replace under delete-orphan with a UNIQUE foreign key: the old row is deleted before the new one is inserted', async () => {
    const m = new Member({ name: 'ann' });
    m.profile = new Profile({ bio: 'first' });
    {
      await using s = new Session(live.engine);
      s.add(m);
      await s.commit();
    }
    const mark = live.log.length;
    await using s = new Session(live.engine);
    const loaded = (await s.scalars(select(Member).where(Member.c.id.eq(m.id)).options(selectinload(Member, 'profile')))).one();
    const old = loaded.profile!;
    const replacement = new Profile({ bio: 'second' });
    loaded.profile = replacement;
    await s.commit();
    expect(verbs(mark)).toEqual(['DELETE FROM rs_profile', 'INSERT INTO rs_profile']);
    expect(statusOf(old)).toBe('detached');
    expect(replacement.memberId).toBe(m.id);
    expect(await live.rows(select(Profile.c.id, Profile.c.memberId, Profile.c.bio).where(Profile.c.memberId.eq(m.id)))).toEqual([
      { id: replacement.id, memberId: m.id, bio: 'second' },
    ]);
    // SQLite may give the new row the old id again (rowid max + 1): look the old row up by content.
    expect(await live.rows(select(Profile.c.id).where(Profile.c.bio.eq('first')))).toEqual([]);
  });

  test('one-to-one replace with the old child not loaded: still one profile row', async () => {
    const m = new Member({ name: 'bob' });
    m.profile = new Profile({ bio: 'bob-first' });
    {
      await using s = new Session(live.engine);
      s.add(m);
      await s.commit();
    }
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      const loaded = (await s.get(Member, m.id))!;
      loaded.profile = new Profile({ bio: 'bob-second' });
      await s.commit();
    }
    expect(verbs(mark)).toEqual(['DELETE FROM rs_profile', 'INSERT INTO rs_profile']);
    expect(await live.rows(select(Profile.c.memberId, Profile.c.bio).where(Profile.c.memberId.eq(m.id)))).toEqual([{ memberId: m.id, bio: 'bob-second' }]);
  });

  test('one-to-one set to null with the old child not loaded: the orphan row is deleted', async () => {
    const m = new Member({ name: 'cy' });
    m.profile = new Profile({ bio: 'cy-only' });
    {
      await using s = new Session(live.engine);
      s.add(m);
      await s.commit();
    }
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      (await s.get(Member, m.id))!.profile = null;
      await s.commit();
    }
    expect(verbs(mark)).toEqual(['DELETE FROM rs_profile']);
    expect(await live.rows(select(Profile.c.id).where(Profile.c.memberId.eq(m.id)))).toEqual([]);
  });

  test('a one-to-one replaced by a new child with the same primary key: the orphan delete and the insert become one UPDATE', async () => {
    const m = new Member({ name: 'dee' });
    m.profile = new Profile({ id: 9001, bio: 'dee-old' });
    {
      await using s = new Session(live.engine);
      s.add(m);
      await s.commit();
    }
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      const loaded = (await s.scalars(select(Member).where(Member.c.id.eq(m.id)).options(selectinload(Member, 'profile')))).one();
      loaded.profile = new Profile({ id: 9001, bio: 'dee-new' });
      await s.commit();
    }
    expect(verbs(mark)).toEqual(['UPDATE rs_profile']);
    expect(await live.rows(select(Profile.c.id, Profile.c.memberId, Profile.c.bio).where(Profile.c.memberId.eq(m.id)))).toEqual([
      { id: 9001, memberId: m.id, bio: 'dee-new' },
    ]);
  });
});
