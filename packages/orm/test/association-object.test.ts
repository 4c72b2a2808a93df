/**
 * The association-object pattern: the link table is a mapped class with a column of its
 * own (`specialKey`) and a relationship to each side; `associationProxy` gives the view of
 * the far side (`user.keywords`), appending through a creator and removing through
 * delete-orphan. Rows are read back with Core.
 */
import { Column, ForeignKey, Integer, String, select } from '@athanor/core';
import { type AssociationList, Session, associationProxy, declarativeBase, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class User extends Base.mapped('ao_user', { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(30), { nullable: false }) }) {
  declare userKeywords: UserKeyword[];
  declare keywords: AssociationList<Keyword>;
  declare keywordWords: AssociationList<string>;
}
class Keyword extends Base.mapped('ao_keyword', { id: Column(Integer, { primaryKey: true, autoincrement: false }), word: Column(String(30), { nullable: false }) }) {}
class UserKeyword extends Base.mapped('ao_user_keyword', {
  userId: Column(Integer, ForeignKey('ao_user.id'), { name: 'user_id', primaryKey: true, autoincrement: false }),
  keywordId: Column(Integer, ForeignKey('ao_keyword.id'), { name: 'keyword_id', primaryKey: true, autoincrement: false }),
  specialKey: Column(String(30), { name: 'special_key' }),
}) {
  declare user: User | null;
  declare keyword: Keyword | null;
}
Base.relationships(User, { userKeywords: relationship(UserKeyword, { backPopulates: 'user', cascade: 'all, delete-orphan', orderBy: UserKeyword.c.keywordId }) });
Base.relationships(UserKeyword, { user: relationship(User, { backPopulates: 'userKeywords' }), keyword: relationship(Keyword, { lazy: 'selectin' }) });
associationProxy(User, 'keywords', 'userKeywords', 'keyword', {
  creator: (keyword) => {
    const link = new UserKeyword({ specialKey: 'via proxy' });
    link.keyword = keyword;
    return link;
  },
});
// A column of the members, read-only here (no creator).
associationProxy(User, 'keywordWords', 'userKeywords', 'specialKey');

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const links = async () =>
    (await live.rows<{ userId: number; keywordId: number; specialKey: string | null }>(
      select(UserKeyword.c.userId, UserKeyword.c.keywordId, UserKeyword.c.specialKey).orderBy(UserKeyword.c.userId, UserKeyword.c.keywordId),
    )).map((r) => [r.userId, r.keywordId, r.specialKey]);

  test('appending through the proxy creates the association object; its own column is saved with both keys', async () => {
    {
      await using s = new Session(live.engine);
      const u = new User({ id: 1, name: 'log' });
      const [k1, k2] = [new Keyword({ id: 1, word: 'cheese' }), new Keyword({ id: 2, word: 'inspector' })];
      expect(u.keywords.push(k1, k2)).toBe(2);
      // An association object made by hand, with its own column set.
      const manual = new UserKeyword({ specialKey: 'by hand' });
      manual.keyword = new Keyword({ id: 3, word: 'snack' });
      u.userKeywords.push(manual);
      expect(u.keywords.toArray().map((k) => k.word)).toEqual(['cheese', 'inspector', 'snack']);
      expect(u.userKeywords[0].user).toBe(u);
      s.add(u);
      await s.commit();
    }
    expect(await links()).toEqual([
      [1, 1, 'via proxy'],
      [1, 2, 'via proxy'],
      [1, 3, 'by hand'],
    ]);
  });

  test('the proxy reads the loaded collection; removing a value deletes its association row (delete-orphan)', async () => {
    {
      await using s = new Session(live.engine);
      const [u] = (await s.scalars(select(User).options(selectinload(User, 'userKeywords')))).all();
      expect([...u.keywords].map((k) => k.word)).toEqual(['cheese', 'inspector', 'snack']);
      expect(u.keywordWords.toArray()).toEqual(['via proxy', 'via proxy', 'by hand']);
      expect(u.keywords.length).toBe(3);
      const inspector = u.keywords.at(1)!;
      expect(u.keywords.includes(inspector)).toBe(true);
      expect(u.keywords.remove(inspector)).toBe(true);
      expect(u.keywords.remove(inspector)).toBe(false);
      await s.commit();
    }
    expect(await links()).toEqual([
      [1, 1, 'via proxy'],
      [1, 3, 'by hand'],
    ]);
    // The keyword itself stays.
    expect(await live.rows(select(Keyword.c.id).orderBy(Keyword.c.id))).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  test('an unloaded collection raises through the proxy; a proxy without creator refuses to append', async () => {
    await using s = new Session(live.engine);
    const u = (await s.get(User, 1))!;
    expect(() => u.keywords.length).toThrow(/User.userKeywords is not loaded/);
    await u.awaitableAttrs.userKeywords;
    expect(u.keywords.length).toBe(2);
    expect(() => u.keywordWords.push('x')).toThrow(/needs a creator/);
  });

  test('declaration errors name the fix', () => {
    // Names the types would refuse, given anyway (as from plain JavaScript).
    const untyped = associationProxy as (...args: unknown[]) => void;
    expect(() => untyped(User, 'keywords', 'nope', 'keyword')).toThrow(/'nope' must be a collection relationship of User/);
    expect(() => untyped(User, 'keywords', 'userKeywords', 'missing')).toThrow(/UserKeyword has no attribute 'missing'/);
    expect(() => untyped(User, 'name', 'userKeywords', 'keyword')).toThrow(/'name' is already a column or relationship of User/);
  });
});
