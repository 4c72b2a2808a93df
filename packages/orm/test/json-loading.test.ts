/**
 * jsonload: a whole object graph (users → posts → comments) in ONE statement, the related
 * rows aggregated as JSON by the database; every nested value is the value a Core read of
 * the same column gives (bigint beyond 2^53, 30-digit decimals, timestamps at year
 * boundaries, dates, binary with 0x00/0xFF, booleans, doubles, JSON).
 */
import {
  ArgumentError,
  BigInteger,
  Boolean,
  Column,
  Date as DateType,
  DateTime,
  Float,
  ForeignKey,
  Integer,
  JSON,
  LargeBinary,
  Numeric,
  String,
  Table,
  and,
  createEngine,
  func,
  insert,
  select,
} from '@athanor/core';
import { Session, declarativeBase, jsonload, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class User extends Base.mapped('jl_user', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(20), { nullable: false }),
  big: Column(BigInteger),
}) {
  declare posts: Post[];
  declare postsByTitle: Post[];
  declare flaggedPosts: Post[];
}
class Post extends Base.mapped('jl_post', {
  id: Column(Integer, { primaryKey: true }),
  userId: Column(Integer, ForeignKey('jl_user.id'), { name: 'user_id', nullable: false }),
  title: Column(String(40), { nullable: false }),
  views: Column(BigInteger),
  amount: Column(Numeric(40, 30)),
  createdAt: Column(DateTime, { name: 'created_at' }),
  zoned: Column(DateTime({ timezone: true })),
  day: Column(DateType),
  payload: Column(LargeBinary),
  flag: Column(Boolean),
  score: Column(Float),
  meta: Column(JSON),
}) {
  declare user: User;
  declare comments: Comment[];
  declare tags: Tag[];
}
class Comment extends Base.mapped('jl_comment', {
  id: Column(Integer, { primaryKey: true }),
  postId: Column(Integer, ForeignKey('jl_post.id'), { name: 'post_id', nullable: false }),
  body: Column(String(40), { nullable: false }),
  big: Column(BigInteger),
  flag: Column(Boolean),
  at: Column(DateTime),
}) {}
class Tag extends Base.mapped('jl_tag', { id: Column(Integer, { primaryKey: true }), label: Column(String(20), { nullable: false }) }) {}
const postTags = new Table('jl_post_tag', Base.metadata, {
  postId: Column(Integer, ForeignKey('jl_post.id'), { name: 'post_id', primaryKey: true }),
  tagId: Column(Integer, ForeignKey('jl_tag.id'), { name: 'tag_id', primaryKey: true }),
});
Base.relationships(User, {
  posts: relationship(Post, { backPopulates: 'user' }),
  postsByTitle: relationship(Post, { viewonly: true, orderBy: [Post.c.title.desc(), Post.c.id] }),
  flaggedPosts: relationship(Post, { viewonly: true, primaryjoin: () => and(User.c.id.eq(Post.c.userId), Post.c.flag.eq(true)) }),
});
Base.relationships(Post, {
  user: relationship(User, { backPopulates: 'posts' }),
  comments: relationship(Comment),
  tags: relationship(Tag, { secondary: postTags }),
});

const BIG = 2n ** 53n + 1n;
const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const selectsSince = (mark: number) => live.log.slice(mark).filter((l) => /^SELECT/.test(l));
  // SQLite keeps a Numeric in a double (15 significant digits, see dialect-sqlite numeric.ts).
  const decimals =
    db.name === 'sqlite'
      ? ['0.300000000000000', '12345.6789012345', '-0.000000000000001']
      : ['0.300000000000000000000000000001', '1234567890.123456789012345678901234567890', '-0.000000000000000000000000000001'];

  beforeAll(async () => {
    await live.engine.begin(async (c) => {
      await c.execute(insert(User.table), [
        { id: 1, name: 'ann', big: BIG },
        { id: 2, name: 'bob', big: MAX },
        { id: 3, name: 'cy', big: null },
      ]);
      await c.execute(insert(Post.table), [
        {
          id: 10,
          userId: 1,
          title: 'new year',
          views: BIG,
          amount: decimals[0],
          createdAt: new Date('1999-12-31T23:59:59.999Z'),
          zoned: new Date('2000-01-01T00:00:00.000Z'),
          day: '1999-12-31',
          payload: new Uint8Array([0x00, 0xff, 0x00, 0x7f, 0x80]),
          flag: true,
          score: 0.1 + 0.2,
          meta: { a: [1, 'x'], b: null },
        },
        {
          id: 11,
          userId: 1,
          title: 'leap',
          views: MIN,
          amount: decimals[1],
          createdAt: new Date('2024-02-29T12:34:56.789Z'),
          zoned: new Date('2024-12-31T23:30:00.123Z'),
          day: '2000-01-01',
          payload: new Uint8Array([0xff]),
          flag: false,
          score: -1e-300,
          meta: 'just text',
        },
        { id: 12, userId: 2, title: 'nulls', views: null, amount: null, createdAt: null, zoned: null, day: null, payload: null, flag: null, score: null, meta: null },
        { id: 13, userId: 2, title: 'empty bytes', views: 0n, amount: decimals[2], createdAt: null, zoned: null, day: '2038-01-19', payload: new Uint8Array([]), flag: true, score: 0, meta: [] },
      ]);
      await c.execute(insert(Comment.table), [
        { id: 100, postId: 10, body: 'first', big: MAX, flag: true, at: new Date('2000-12-31T23:59:59.000Z') },
        { id: 101, postId: 10, body: 'second', big: BIG, flag: false, at: new Date('2001-01-01T00:00:00.001Z') },
        { id: 102, postId: 12, body: 'third', big: null, flag: null, at: null },
      ]);
      await c.execute(insert(Tag.table), [
        { id: 1, label: 'x' },
        { id: 2, label: 'y' },
      ]);
      await c.execute(insert(postTags), [
        { postId: 10, tagId: 1 },
        { postId: 10, tagId: 2 },
        { postId: 13, tagId: 2 },
      ]);
    });
  });

  /** Column values of an object, by key. */
  const valuesOf = (obj: object, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, (obj as Record<string, unknown>)[k]]));
  const byId = <T extends { id: number }>(list: readonly T[]) => [...list].sort((a, b) => a.id - b.id);

  test('users → posts → comments in one statement; every value equals a Core read of its row', async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const users = (await s.scalars(select(User).orderBy(User.c.id).options(jsonload(User, 'posts').jsonload(Post, 'comments')))).all();
    expect(selectsSince(mark)).toHaveLength(1);
    expect(live.log.slice(mark).filter((l) => !/^(BEGIN|START TRANSACTION|COMMIT|ROLLBACK)/.test(l))).toHaveLength(1);
    const postKeys = Post.table.columns.map((c) => c.key);
    const commentKeys = Comment.table.columns.map((c) => c.key);
    const corePosts = await live.rows<Record<string, unknown>>(select(Post.table).orderBy(Post.c.id));
    const coreComments = await live.rows<Record<string, unknown>>(select(Comment.table).orderBy(Comment.c.id));
    const coreUsers = await live.rows<Record<string, unknown>>(select(User.table).orderBy(User.c.id));
    expect(users.map((u) => valuesOf(u, ['id', 'name', 'big']))).toEqual(coreUsers);
    const loadedPosts = byId(users.flatMap((u) => u.posts));
    expect(loadedPosts.map((p) => valuesOf(p, postKeys))).toEqual(corePosts);
    const loadedComments = byId(loadedPosts.flatMap((p) => p.comments));
    expect(loadedComments.map((c) => valuesOf(c, commentKeys))).toEqual(coreComments);
    // The values themselves, not only their agreement with Core.
    const p10 = loadedPosts[0];
    expect(p10.views).toBe(BIG);
    expect(p10.amount).toBe(db.name === 'sqlite' ? '0.300000000000000000000000000000' : '0.300000000000000000000000000001');
    expect(p10.createdAt).toEqual(new Date('1999-12-31T23:59:59.999Z'));
    expect(p10.zoned).toEqual(new Date('2000-01-01T00:00:00.000Z'));
    expect(p10.day).toBe('1999-12-31');
    expect(p10.payload).toEqual(new Uint8Array([0x00, 0xff, 0x00, 0x7f, 0x80]));
    expect(p10.flag).toBe(true);
    expect(p10.score).toBe(0.1 + 0.2);
    expect(p10.meta).toEqual({ a: [1, 'x'], b: null });
    expect(loadedPosts[1]).toMatchObject({ views: MIN, flag: false, meta: 'just text', day: '2000-01-01', zoned: new Date('2024-12-31T23:30:00.123Z') });
    expect(loadedPosts[2]).toMatchObject({ views: null, amount: null, createdAt: null, payload: null, flag: null, meta: null });
    expect(loadedPosts[3].payload).toEqual(new Uint8Array([]));
    expect(loadedComments.map((c) => c.big)).toEqual([MAX, BIG, null]);
    // Graph shape: who holds what, the many-to-one side set from the collection.
    expect(users.map((u) => u.posts.map((p) => p.id).sort())).toEqual([[10, 11], [12, 13], []]);
    for (const u of users) for (const p of u.posts) expect(p.user).toBe(u);
    expect(byId(users[0].posts)[0].comments.map((c) => c.id).sort()).toEqual([100, 101]);
    expect(byId(users[0].posts)[1].comments).toEqual([]);
  });

  test('a session in another time zone reads the same instants (PostgreSQL: timestamps go into the JSON as UTC text)', async () => {
    const base = (live.options.driverOptions as { options?: string } | undefined)?.options ?? '';
    // A session 14 hours ahead of UTC on PostgreSQL; the other databases' connections are UTC by configuration.
    const options = db.name === 'postgresql' ? { ...live.options, driverOptions: { options: `${base} -c TimeZone=Pacific/Kiritimati` } } : live.options;
    const engine = createEngine(live.url, options);
    try {
      await using s = new Session(engine);
      const users = (await s.scalars(select(User).where(User.c.id.eq(1)).options(jsonload(User, 'posts')))).all();
      const posts = byId(users[0].posts);
      expect(posts.map((p) => [p.createdAt?.toISOString(), p.zoned?.toISOString()])).toEqual([
        ['1999-12-31T23:59:59.999Z', '2000-01-01T00:00:00.000Z'],
        ['2024-02-29T12:34:56.789Z', '2024-12-31T23:30:00.123Z'],
      ]);
      if (db.name === 'postgresql') expect((await s.scalar(select(func.current_setting('TimeZone')))) as string).toBe('Pacific/Kiritimati');
    } finally {
      await engine.dispose();
    }
  });

  test('the same objects as selectinload (identity map), many-to-one and many-to-many through JSON too', async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const posts = (await s.scalars(select(Post).orderBy(Post.c.id).options(jsonload(Post, 'user'), jsonload(Post, 'tags')))).all();
    expect(selectsSince(mark)).toHaveLength(1);
    expect(posts.map((p) => p.user.id)).toEqual([1, 1, 2, 2]);
    expect(posts[0].user).toBe(posts[1].user);
    expect(posts.map((p) => p.tags.map((t) => t.label).sort())).toEqual([['x', 'y'], [], [], ['y']]);
    await using other = new Session(live.engine);
    const viaSelectin = (await other.scalars(select(Post).orderBy(Post.c.id).options(selectinload(Post, 'user'), selectinload(Post, 'tags')))).all();
    expect(viaSelectin.map((p) => [p.user.name, p.tags.map((t) => t.id).sort()])).toEqual(posts.map((p) => [p.user.name, p.tags.map((t) => t.id).sort()]));
  });

  test('a second run reuses the compiled statement (same SQL), and exact SQL per dialect', async () => {
    await using s = new Session(live.engine);
    const stmt = () => select(User).where(User.c.id.eq(3)).options(jsonload(User, 'posts').jsonload(Post, 'comments'));
    const mark = live.log.length;
    await s.execute(stmt());
    await s.execute(stmt());
    // The path spelling is the same option.
    await s.execute(select(User).where(User.c.id.eq(3)).options(jsonload(User, 'posts', 'comments')));
    const [first, second, third] = selectsSince(mark);
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(first.replace(/ -- \[.*\]$/, '')).toBe(EXPECTED_SQL[db.name]);
  });

  test("the relationship's orderBy orders each array (inside the aggregate), as a Core ORDER BY does", async () => {
    await using s = new Session(live.engine);
    const users = (await s.scalars(select(User).orderBy(User.c.id).options(jsonload(User, 'postsByTitle')))).all();
    for (const u of users) {
      const core = await live.rows<{ id: number }>(select(Post.c.id).where(Post.c.userId.eq(u.id)).orderBy(Post.c.title.desc(), Post.c.id));
      expect(u.postsByTitle.map((p) => p.id)).toEqual(core.map((r) => r.id));
    }
    expect(users[0].postsByTitle.map((p) => p.title)).toEqual(['new year', 'leap']);
  });

  test('relationships whose rows it cannot select exactly are refused, naming selectinload', () => {
    expect(() => jsonload(User, 'flaggedPosts')).toThrow(
      "jsonload(User, 'flaggedPosts'): relationships with a primaryjoin/secondaryjoin with criteria are not supported by jsonload yet; use selectinload(User, 'flaggedPosts').",
    );
  });

  test('errors: unknown relationship, a chain through the wrong class, a class the statement does not select', async () => {
    await using s = new Session(live.engine);
    expect(() => jsonload(User, 'postz' as never)).toThrow(ArgumentError);
    expect(() => jsonload(User, 'postz' as never)).toThrow("jsonload(User, 'postz'): User has no relationship 'postz' (relationships: posts, postsByTitle, flaggedPosts).");
    expect(() => jsonload(User, 'posts').jsonload(Comment as never, 'x' as never)).toThrow('the previous step loads Post objects; chain a relationship of Post');
    await expect(s.execute(select(Comment).options(jsonload(User, 'posts')))).rejects.toThrow("jsonload(User, 'posts'): User is not an entity of this statement (its entities: Comment)");
  });
});

const EXPECTED_SQL: Record<string, string> = {
  sqlite:
    `SELECT jl_user.id, jl_user.name, jl_user.big, (SELECT json_group_array(json_object('id', CAST(athanor_j1.id AS TEXT), 'userId', CAST(athanor_j1.user_id AS TEXT), 'title', athanor_j1.title, 'views', CAST(athanor_j1.views AS TEXT), 'amount', CAST(athanor_j1.amount AS TEXT), 'createdAt', athanor_j1.created_at, 'zoned', athanor_j1.zoned, 'day', athanor_j1.day, 'payload', CASE WHEN athanor_j1.payload IS NULL THEN NULL ELSE hex(athanor_j1.payload) END, 'flag', athanor_j1.flag, 'score', athanor_j1.score, 'meta', athanor_j1.meta, 'comments', json((SELECT json_group_array(json_object('id', CAST(athanor_j2.id AS TEXT), 'postId', CAST(athanor_j2.post_id AS TEXT), 'body', athanor_j2.body, 'big', CAST(athanor_j2.big AS TEXT), 'flag', athanor_j2.flag, 'at', athanor_j2.at)) AS anon_1 FROM jl_comment AS athanor_j2 WHERE athanor_j2.post_id = athanor_j1.id)))) AS anon_1 FROM jl_post AS athanor_j1 WHERE athanor_j1.user_id = jl_user.id) AS __athanor_json_1 FROM jl_user WHERE jl_user.id = ?`,
  postgresql:
    `SELECT jl_user.id, jl_user.name, jl_user.big, (SELECT coalesce(json_agg(jsonb_build_object('id', athanor_j1.id, 'userId', athanor_j1.user_id, 'title', athanor_j1.title, 'views', CAST(athanor_j1.views AS TEXT), 'amount', CAST(athanor_j1.amount AS TEXT), 'createdAt', to_char(athanor_j1.created_at, 'YYYY-MM-DD HH24:MI:SS.US'), 'zoned', to_char((athanor_j1.zoned) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), 'day', to_char(athanor_j1.day, 'YYYY-MM-DD'), 'payload', encode(athanor_j1.payload, 'hex'), 'flag', athanor_j1.flag, 'score', athanor_j1.score, 'meta', CAST(athanor_j1.meta AS TEXT), 'comments', (SELECT coalesce(json_agg(jsonb_build_object('id', athanor_j2.id, 'postId', athanor_j2.post_id, 'body', athanor_j2.body, 'big', CAST(athanor_j2.big AS TEXT), 'flag', athanor_j2.flag, 'at', to_char(athanor_j2.at, 'YYYY-MM-DD HH24:MI:SS.US'))), '[]') AS anon_1 FROM jl_comment AS athanor_j2 WHERE athanor_j2.post_id = athanor_j1.id))), '[]') AS anon_1 FROM jl_post AS athanor_j1 WHERE athanor_j1.user_id = jl_user.id) AS __athanor_json_1 FROM jl_user WHERE jl_user.id = $1`,
  mariadb:
    `SELECT jl_user.id, jl_user.name, jl_user.big, (SELECT COALESCE(JSON_ARRAYAGG(JSON_OBJECT('id', athanor_j1.id, 'userId', athanor_j1.user_id, 'title', athanor_j1.title, 'views', CAST(athanor_j1.views AS CHAR), 'amount', CAST(athanor_j1.amount AS CHAR), 'createdAt', CAST(athanor_j1.created_at AS CHAR), 'zoned', CAST(athanor_j1.zoned AS CHAR), 'day', CAST(athanor_j1.day AS CHAR), 'payload', HEX(athanor_j1.payload), 'flag', athanor_j1.flag, 'score', athanor_j1.score, 'meta', CAST(athanor_j1.meta AS CHAR), 'comments', (SELECT COALESCE(JSON_ARRAYAGG(JSON_OBJECT('id', athanor_j2.id, 'postId', athanor_j2.post_id, 'body', athanor_j2.body, 'big', CAST(athanor_j2.big AS CHAR), 'flag', athanor_j2.flag, 'at', CAST(athanor_j2.at AS CHAR))), JSON_ARRAY()) AS anon_1 FROM jl_comment AS athanor_j2 WHERE athanor_j2.post_id = athanor_j1.id))), JSON_ARRAY()) AS anon_1 FROM jl_post AS athanor_j1 WHERE athanor_j1.user_id = jl_user.id) AS __athanor_json_1 FROM jl_user WHERE jl_user.id = ?`,
};
