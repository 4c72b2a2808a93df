/**
 * jsonload inside loader paths: below selectin, subquery and joined levels, chained to any
 * depth, and other strategies below a JSON level. Every nested value (bigint beyond 2^53,
 * 30-digit decimals, timestamps, dates, binary, booleans) equals a Core read of its row, on
 * every level; statements counted.
 */
import { ArgumentError, BigInteger, type StatementOption, Boolean, Column, Date as DateType, DateTime, ForeignKey, Integer, LargeBinary, Numeric, String, insert, select } from '@athanor/core';
import { Session, declarativeBase, joinedload, jsonload, relationship, selectinload, subqueryload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
const valueColumns = () => ({
  big: Column(BigInteger),
  amount: Column(Numeric(40, 30)),
  at: Column(DateTime),
  day: Column(DateType),
  payload: Column(LargeBinary),
  flag: Column(Boolean),
});
class User extends Base.mapped('jp_user', { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(20), { nullable: false }) }) {
  declare posts: Post[];
}
class Post extends Base.mapped('jp_post', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  userId: Column(Integer, ForeignKey('jp_user.id'), { name: 'user_id', nullable: false }),
  ...valueColumns(),
}) {
  declare user: User;
  declare comments: Comment[];
}
class Comment extends Base.mapped('jp_comment', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  postId: Column(Integer, ForeignKey('jp_post.id'), { name: 'post_id', nullable: false }),
  ...valueColumns(),
}) {
  declare post: Post;
  declare likes: Like[];
}
class Like extends Base.mapped('jp_like', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  commentId: Column(Integer, ForeignKey('jp_comment.id'), { name: 'comment_id', nullable: false }),
  ...valueColumns(),
}) {
  declare comment: Comment;
}
Base.relationships(User, { posts: relationship(Post, { backPopulates: 'user' }) });
Base.relationships(Post, { user: relationship(User, { backPopulates: 'posts' }), comments: relationship(Comment, { backPopulates: 'post' }) });
Base.relationships(Comment, { post: relationship(Post, { backPopulates: 'comments' }), likes: relationship(Like, { backPopulates: 'comment' }) });
Base.relationships(Like, { comment: relationship(Comment, { backPopulates: 'likes' }) });

const BIG = 2n ** 53n + 1n;
const MAX = 2n ** 63n - 1n;
const KEYS = ['big', 'amount', 'at', 'day', 'payload', 'flag'] as const;

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  // SQLite keeps a Numeric in a double (15 significant digits).
  const decimal = db.name === 'sqlite' ? '12345.6789012345' : '1234567890.123456789012345678901234567890';
  const values = (n: number) => ({
    big: n % 3 === 0 ? null : n % 2 ? BIG + BigInt(n) : MAX - BigInt(n),
    amount: n % 3 === 0 ? null : decimal,
    at: n % 3 === 0 ? null : new Date(Date.UTC(1999, 11, 31, 23, 59, 59, n)),
    day: n % 3 === 0 ? null : `2038-01-${10 + (n % 9)}`,
    payload: n % 3 === 0 ? null : new Uint8Array([0x00, 0xff, n % 256]),
    flag: n % 3 === 0 ? null : n % 2 === 0,
  });
  const core: Record<string, Map<number, Record<string, unknown>>> = {};

  beforeAll(async () => {
    await live.engine.begin(async (c) => {
      await c.execute(insert(User.table), [1, 2, 3].map((id) => ({ id, name: `u${id}` })));
      // u3 has no posts; post 12 has no comments; comment 101 no likes.
      await c.execute(insert(Post.table), [10, 11, 12, 13].map((id) => ({ id, userId: id < 12 ? 1 : 2, ...values(id) })));
      await c.execute(insert(Comment.table), [100, 101, 102, 103].map((id) => ({ id, postId: id < 102 ? 10 : id === 102 ? 11 : 13, ...values(id) })));
      await c.execute(insert(Like.table), [1000, 1001, 1002].map((id) => ({ id, commentId: id === 1002 ? 102 : 100, ...values(id) })));
    });
    for (const [name, table] of [['post', Post.table], ['comment', Comment.table], ['like', Like.table]] as const) {
      core[name] = new Map((await live.rows<Record<string, unknown>>(select(table))).map((r) => [r.id as number, r]));
    }
  });

  /** Each loaded object's columns equal Core's row; the graph holds exactly the rows that reference each owner. */
  function checkPosts(users: readonly User[], depth: 2 | 3) {
    const same = (o: object, row: Record<string, unknown>) => {
      for (const k of ['id', ...KEYS]) expect([k, (o as Record<string, unknown>)[k]]).toEqual([k, row[k]]);
    };
    let comments = 0;
    let likes = 0;
    for (const u of users) {
      expect(u.posts.map((p) => p.id).sort()).toEqual([...core.post.values()].filter((r) => r.userId === u.id).map((r) => r.id));
      for (const p of u.posts) {
        same(p, core.post.get(p.id)!);
        expect(p.user).toBe(u);
        expect(p.comments.map((c) => c.id).sort()).toEqual([...core.comment.values()].filter((r) => r.postId === p.id).map((r) => r.id));
        for (const c of p.comments) {
          comments++;
          same(c, core.comment.get(c.id)!);
          if (depth < 3) continue;
          expect(c.likes.map((l) => l.id).sort()).toEqual([...core.like.values()].filter((r) => r.commentId === c.id).map((r) => r.id));
          for (const l of c.likes) {
            likes++;
            same(l, core.like.get(l.id)!);
          }
        }
      }
    }
    expect(comments).toBe(4);
    expect(likes).toBe(depth === 3 ? 3 : 0);
  }

  async function load(option: StatementOption): Promise<[User[], number]> {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const users = (await s.scalars(select(User).orderBy(User.c.id).options(option))).all() as User[];
    return [users, live.log.slice(mark).filter((l) => /^SELECT/.test(l)).length];
  }

  test.each([
    ['selectinload(User, posts).jsonload(comments)', () => selectinload(User, 'posts').jsonload('comments'), 2],
    ['selectinload(User, posts).jsonload(Post, comments)', () => selectinload(User, 'posts').jsonload(Post, 'comments'), 2],
    ['subqueryload(User, posts).jsonload(comments)', () => subqueryload(User, 'posts').jsonload('comments'), 2],
    ['joinedload(User, posts).jsonload(comments)', () => joinedload(User, 'posts').jsonload('comments'), 1],
    ['jsonload(User, posts).jsonload(Post, comments)', () => jsonload(User, 'posts').jsonload(Post, 'comments'), 1],
  ] as const)('two levels: %s', async (_name, option, statements) => {
    const [users, n] = await load(option());
    expect(n).toBe(statements);
    checkPosts(users, 2);
  });

  test.each([
    ['jsonload × 3', () => jsonload(User, 'posts').jsonload(Post, 'comments').jsonload(Comment, 'likes'), 1],
    ['jsonload(User, posts, comments, likes)', () => jsonload(User, 'posts', 'comments', 'likes'), 1],
    ['selectin, selectin, json', () => selectinload(User, 'posts', 'comments').jsonload('likes'), 3],
    ['selectin, json, json', () => selectinload(User, 'posts').jsonload('comments').jsonload('likes'), 2],
    ['joined, json, json', () => joinedload(User, 'posts').jsonload('comments').jsonload(Comment, 'likes'), 1],
    ['json, json, then selectin below', () => jsonload(User, 'posts').jsonload('comments').selectinload('likes'), 2],
    ['json, then selectin, then json', () => jsonload(User, 'posts').selectinload('comments').jsonload('likes'), 2],
  ] as const)('three levels: %s', async (_name, option, statements) => {
    const [users, n] = await load(option());
    expect(n).toBe(statements);
    checkPosts(users, 3);
  });

  test('the values themselves on the deepest level', async () => {
    const [users] = await load(selectinload(User, 'posts').jsonload('comments').jsonload('likes'));
    const likes = users.flatMap((u) => u.posts.flatMap((p) => p.comments.flatMap((c) => c.likes))).sort((a, b) => a.id - b.id);
    expect(likes.map((l) => l.big)).toEqual([MAX - 1000n, BIG + 1001n, null]);
    expect(likes[0]).toMatchObject({ day: '2038-01-11', flag: true, at: new Date('2000-01-01T00:00:00.000Z') });
    expect(likes[0].payload).toEqual(new Uint8Array([0x00, 0xff, 1000 % 256]));
    expect(likes[1].flag).toBe(false);
    expect(likes[2]).toMatchObject({ amount: null, at: null, day: null, payload: null, flag: null });
  });

  test('a join or a subquery below a JSON level is refused, naming what works', async () => {
    await using s = new Session(live.engine);
    for (const option of [jsonload(User, 'posts').joinedload('comments'), jsonload(User, 'posts').subqueryload('comments')]) {
      const error = await s.execute(select(User).options(option)).catch((e) => e);
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(/load\(Post, 'comments'\) below jsonload\(User, 'posts'\): the Post objects come as JSON, with no rows of their own .*; use jsonload or selectinload for 'comments'/);
    }
    // @ts-expect-error the previous step loads Post objects
    expect(() => selectinload(User, 'posts').jsonload(User, 'posts')).toThrow(/the previous step loads Post objects; chain a relationship of Post/);
    // @ts-expect-error misspelled relationship
    expect(() => selectinload(User, 'posts').jsonload('commentz')).toThrow(ArgumentError);
  });
});
