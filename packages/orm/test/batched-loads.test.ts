/**
 * Explicit loads issued in the same tick are batched (one IN query per relationship), and
 * the N+1 detector reports single-object loads of one relationship repeated in a loop.
 */
import { ArgumentError, Column, ForeignKey, Integer, String, Table, insert, select } from '@athanor/core';
import { type NPlusOneWarning, Session, declarativeBase, relationship } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
const postTags = new Table('bl_post_tag', Base.metadata, {
  postId: Column(Integer, ForeignKey('bl_post.id'), { name: 'post_id', nullable: false }),
  tagId: Column(Integer, ForeignKey('bl_tag.id'), { name: 'tag_id', nullable: false }),
});
class Author extends Base.mapped('bl_author', { id: Column(Integer, { primaryKey: true }), name: Column(String(20), { nullable: false }) }) {
  declare posts: Post[];
}
class Post extends Base.mapped('bl_post', {
  id: Column(Integer, { primaryKey: true }),
  title: Column(String(20), { nullable: false }),
  authorId: Column(Integer, ForeignKey('bl_author.id'), { name: 'author_id', nullable: false }),
}) {
  declare author: Author;
  declare tags: Tag[];
}
class Tag extends Base.mapped('bl_tag', { id: Column(Integer, { primaryKey: true }), label: Column(String(20), { nullable: false }) }) {}
Base.relationships(Author, { posts: relationship(Post, { backPopulates: 'author' }) });
Base.relationships(Post, { author: relationship(Author, { backPopulates: 'posts' }), tags: relationship(Tag, { secondary: postTags }) });

const AUTHORS = 12;
/** Author i has i % 4 posts; post p has p % 3 tags. */
const postsOf = (i: number) => Array.from({ length: i % 4 }, (_, n) => i * 10 + n);

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const selectsSince = (mark: number) => live.log.slice(mark).filter((l) => /^SELECT/.test(l));

  beforeAll(async () => {
    await live.engine.begin(async (c) => {
      await c.execute(insert(Author.table), Array.from({ length: AUTHORS }, (_, i) => ({ id: i + 1, name: `a${i + 1}` })));
      const posts = Array.from({ length: AUTHORS }, (_, i) => postsOf(i + 1).map((id) => ({ id, title: `p${id}`, authorId: i + 1 }))).flat();
      await c.execute(insert(Post.table), posts);
      await c.execute(insert(Tag.table), [1, 2, 3].map((id) => ({ id, label: `t${id}` })));
      await c.execute(insert(postTags), posts.flatMap((p) => Array.from({ length: p.id % 3 }, (_, n) => ({ postId: p.id, tagId: n + 1 }))));
    });
  });

  /** Post ids by author id, read by Core. */
  async function storedPosts(): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    for (const r of await live.rows<{ id: number; authorId: number }>(select(Post.c.id, Post.c.authorId))) {
      out.set(r.authorId, [...(out.get(r.authorId) ?? []), r.id].sort((a, b) => a - b));
    }
    return out;
  }

  test('awaitableAttrs of every author in one tick: one SELECT ... IN for all of them', async () => {
    await using s = new Session(live.engine);
    const authors = (await s.scalars(select(Author).orderBy(Author.c.id))).all();
    const mark = live.log.length;
    const lists = await Promise.all(authors.map((a) => a.awaitableAttrs.posts));
    expect(selectsSince(mark)).toHaveLength(1);
    expect(selectsSince(mark)[0]).toMatch(/ IN /);
    const stored = await storedPosts();
    expect(lists.map((l) => l.map((p) => p.id).sort((a, b) => a - b))).toEqual(authors.map((a) => stored.get(a.id) ?? []));
    for (const a of authors) for (const p of a.posts) expect(p.author).toBe(a);
  });

  test('two relationships in the same tick: one query each; many-to-one and many-to-many batched too', async () => {
    await using s = new Session(live.engine);
    const posts = (await s.scalars(select(Post).orderBy(Post.c.id))).all();
    const mark = live.log.length;
    await Promise.all([...posts.map((p) => p.awaitableAttrs.author), ...posts.map((p) => p.awaitableAttrs.tags)]);
    expect(selectsSince(mark)).toHaveLength(2);
    const links = await live.rows<{ postId: number; tagId: number }>(select(postTags.c.postId, postTags.c.tagId));
    for (const p of posts) {
      expect(p.author.id).toBe(p.authorId);
      expect(p.tags.map((t) => t.id).sort()).toEqual(links.filter((l) => l.postId === p.id).map((l) => l.tagId).sort());
    }
  });

  test('a load already done costs nothing; one awaited alone is its own query', async () => {
    await using s = new Session(live.engine);
    const [a1, a2] = (await s.scalars(select(Author).where(Author.c.id.in([2, 3])).orderBy(Author.c.id))).all();
    const mark = live.log.length;
    await a1.awaitableAttrs.posts;
    await Promise.all([a1.awaitableAttrs.posts, a2.awaitableAttrs.posts]);
    expect(selectsSince(mark)).toHaveLength(2);
    expect(a2.posts.map((p) => p.id).sort()).toEqual((await storedPosts()).get(3));
  });

  test('N+1 detector: loads awaited one by one in a loop warn once, at the third', async () => {
    const warnings: NPlusOneWarning[] = [];
    await using s = new Session(live.engine, { warnOnNPlusOne: (w) => warnings.push(w) });
    const authors = (await s.scalars(select(Author).orderBy(Author.c.id))).all();
    const mark = live.log.length;
    for (const a of authors.slice(0, 2)) await a.awaitableAttrs.posts;
    expect(warnings).toEqual([]);
    for (const a of authors.slice(2)) await a.awaitableAttrs.posts;
    expect(selectsSince(mark)).toHaveLength(AUTHORS);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ relationship: 'Author.posts', loads: 3 });
    expect(warnings[0].message).toMatch(/Promise\.all/);
  });

  test('N+1 detector: batched loads do not warn', async () => {
    const warnings: NPlusOneWarning[] = [];
    await using s = new Session(live.engine, { warnOnNPlusOne: (w) => warnings.push(w) });
    const posts = (await s.scalars(select(Post))).all();
    for (let i = 0; i < posts.length; i += 4) await Promise.all(posts.slice(i, i + 4).map((p) => p.awaitableAttrs.tags));
    expect(warnings).toEqual([]);
  });

  test('warnOnNPlusOne: true writes the warning with console.warn', async () => {
    const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await using s = new Session(live.engine, { warnOnNPlusOne: true });
      const authors = (await s.scalars(select(Author).orderBy(Author.c.id).limit(3))).all();
      for (const a of authors) await a.awaitableAttrs.posts;
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][0] as string).toMatch(/^N\+1 loading: Author\.posts/);
    } finally {
      spy.mockRestore();
    }
  });
});

test('warnOnNPlusOne takes true, false or a function', () => {
  expect(() => new Session({} as never, { warnOnNPlusOne: 'yes' as never })).toThrow(ArgumentError);
  expect(() => new Session({} as never, { warnOnNPlusOne: 'yes' as never })).toThrow(/warnOnNPlusOne' takes true or false or a function/);
});
