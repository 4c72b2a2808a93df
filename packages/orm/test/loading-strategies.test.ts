/**
 * Every loader strategy along every path shape (one-to-many two levels deep, many-to-one,
 * many-to-many, a composite key), each checked against the rows read with Core and by the
 * number of statements it ran.
 */
import { ArgumentError, InvalidRequestError, String, bindparam, select } from '@athanor/core';
import {
  Session,
  containsEager,
  joinedload,
  lazyload,
  noload,
  raiseload,
  selectinload,
  subqueryload,
  withLoaderCriteria,
} from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';
import { Base, Comment, Line, Order, Post, Tag, User, ids, seed, stored } from './loading-models';

const notDeleted = (t: typeof Post.table) => t.c.deleted.eq(false);

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  let core: Awaited<ReturnType<typeof stored>>;
  beforeAll(async () => {
    await seed(live);
    core = await stored(live);
  });
  /** Runs `fn` in a fresh session; returns what it returned and the SELECTs it ran. */
  async function counted<T>(fn: (s: Session) => Promise<T>): Promise<{ value: T; selects: string[] }> {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const value = await fn(s);
    return { value, selects: live.log.slice(mark).filter((l) => /^SELECT/.test(l)) };
  }
  const users = (s: Session, ...options: any[]) => s.scalars(select(User).orderBy(User.c.id).options(...options)).then((r) => r.all());

  function expectTwoLevels(list: User[]) {
    expect(ids(list)).toEqual([1, 2, 3, 4]);
    for (const u of list) {
      expect(ids(u.posts)).toEqual(core.postsOf(u.id));
      for (const p of u.posts) {
        expect(ids(p.comments)).toEqual(core.commentsOf(p.id));
        expect(p.user).toBe(u);
        for (const c of p.comments) expect(c.post).toBe(p);
      }
    }
  }

  test('selectinload along a path: one statement per level', async () => {
    const { value, selects } = await counted((s) => users(s, selectinload(User, 'posts', 'comments')));
    expectTwoLevels(value);
    expect(selects).toHaveLength(3);
    expect(selects[1]).toMatch(/ IN \(/);
  });

  test('joinedload along a path: one statement, rows folded to one per user', async () => {
    const { value, selects } = await counted((s) => users(s, joinedload(User, 'posts', 'comments')));
    expectTwoLevels(value);
    expect(selects).toHaveLength(1);
    expect(selects[0]).toMatch(/LEFT OUTER JOIN .*ld_post.* LEFT OUTER JOIN .*ld_comment/);
  });

  test('subqueryload along a path: each level joins the level above as a subquery', async () => {
    const { value, selects } = await counted((s) => users(s, subqueryload(User, 'posts', 'comments')));
    expectTwoLevels(value);
    expect(selects).toHaveLength(3);
    expect(selects[2]).toMatch(/athanor_owners/);
  });

  test('strategies mixed along a path: joined then selectin, selectin then joined', async () => {
    const a = await counted((s) => users(s, joinedload(User, 'posts').selectinload('comments')));
    expectTwoLevels(a.value);
    expect(a.selects).toHaveLength(2);
    const b = await counted((s) => users(s, selectinload(User, 'posts').joinedload('comments')));
    expectTwoLevels(b.value);
    expect(b.selects).toHaveLength(2);
    expect(b.selects[1]).toMatch(/LEFT OUTER JOIN/);
  });

  test('two options sharing a prefix, and options on two levels of many-to-one and many-to-many', async () => {
    const { value, selects } = await counted((s) =>
      s.scalars(select(Comment).orderBy(Comment.c.id).options(selectinload(Comment, 'post', 'user'), selectinload(Comment, 'post', 'tags'))).then((r) => r.all()),
    );
    expect(selects).toHaveLength(4);
    for (const c of value) {
      expect(c.post.id).toBe(c.postId);
      expect(c.post.user.id).toBe(core.userOf(c.postId));
      expect(ids(c.post.tags)).toEqual(core.tagsOf(c.postId));
    }
  });

  test.each([
    ['selectin', selectinload(Post, 'tags'), 2],
    ['joined', joinedload(Post, 'tags'), 1],
    ['subquery', subqueryload(Post, 'tags'), 2],
  ] as const)('many-to-many with %s, and back to the posts of each tag', async (_name, option, count) => {
    const { value, selects } = await counted((s) => s.scalars(select(Post).orderBy(Post.c.id).options(option)).then((r) => r.all()));
    expect(selects).toHaveLength(count);
    expect(ids(value)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const p of value) expect(ids(p.tags)).toEqual(core.tagsOf(p.id));
  });

  test('many-to-many then one-to-many under it: joined through the association table twice', async () => {
    const { value, selects } = await counted((s) => s.scalars(select(Tag).orderBy(Tag.c.id).options(joinedload(Tag, 'posts', 'comments'))).then((r) => r.all()));
    expect(selects).toHaveLength(1);
    for (const t of value) {
      expect(ids(t.posts)).toEqual([1, 2, 4, 5].filter((p) => core.tagsOf(p).includes(t.id)));
      for (const p of t.posts) expect(ids(p.comments)).toEqual(core.commentsOf(p.id));
    }
  });

  test.each([
    ['selectin', () => selectinload(Order, 'lines'), 2],
    ['joined', () => joinedload(Order, 'lines'), 1],
    ['subquery', () => subqueryload(Order, 'lines'), 2],
  ] as const)('a composite key (region, num) with %s: tuple IN / two-column joins', async (_name, option, count) => {
    const { value, selects } = await counted((s) => s.scalars(select(Order).orderBy(Order.c.region, Order.c.num).options(option())).then((r) => r.all()));
    expect(selects).toHaveLength(count);
    expect(value.map((o) => `${o.region}/${o.num}`)).toEqual(['eu/1', 'eu/2', 'us/1']);
    for (const o of value) {
      expect(ids(o.lines)).toEqual(core.linesOf(o.region, o.num));
      for (const l of o.lines) expect(l.order).toBe(o);
    }
  });

  test.each([
    ['selectin', () => selectinload(Line, 'order'), 2],
    ['joined', () => joinedload(Line, 'order'), 1],
  ] as const)('a composite many-to-one with %s', async (_name, option, count) => {
    const { value, selects } = await counted((s) => s.scalars(select(Line).orderBy(Line.c.id).options(option())).then((r) => r.all()));
    expect(selects).toHaveLength(count);
    for (const l of value) expect([l.order.region, l.order.num]).toEqual([l.region, l.num]);
  });

  test('raiseload: reading raises, and so does a later awaitableAttrs load', async () => {
    await using s = new Session(live.engine);
    const [u] = await users(s, raiseload(User, 'posts'));
    expect(() => u.posts).toThrow(/raiseload/);
    await expect(u.awaitableAttrs.posts).rejects.toThrow(InvalidRequestError);
    await expect(u.awaitableAttrs.posts).rejects.toThrow(/raiseload/);
  });

  test("raiseload('*') covers what no other option loads, at the top and after a path", async () => {
    await using s = new Session(live.engine);
    const list = await users(s, selectinload(User, 'posts').raiseload('*'), raiseload('*'));
    const p = list[0].posts[0];
    expect(ids(list[0].posts)).toEqual(core.postsOf(1));
    await expect(p.awaitableAttrs.comments).rejects.toThrow(/raiseload/);
    await expect(p.awaitableAttrs.tags).rejects.toThrow(/raiseload/);
    // p.user was set from the loaded collection (its mirror), not raised.
    expect(p.user).toBe(list[0]);
    const [c] = (await s.scalars(select(Comment).options(raiseload(Comment, '*')))).all();
    await expect(c.awaitableAttrs.post).rejects.toThrow(/raiseload/);
  });

  test('noload: the relationship reads as empty without a statement; lazyload loads on await', async () => {
    const { value, selects } = await counted(async (s) => {
      const list = await s.scalars(select(Post).orderBy(Post.c.id).options(noload(Post, 'comments'), lazyload(Post, 'tags'))).then((r) => r.all());
      expect(list[0].comments).toEqual([]);
      expect(() => list[0].tags).toThrow(/not loaded/);
      return ids(await list[0].awaitableAttrs.tags);
    });
    expect(value).toEqual(core.tagsOf(1));
    expect(selects).toHaveLength(2);
  });

  test("lazyload overrides a wildcard raiseload for the relationship it names", async () => {
    await using s = new Session(live.engine);
    const [p] = (await s.scalars(select(Post).where(Post.c.id.eq(1)).options(raiseload(Post, '*'), lazyload(Post, 'tags')))).all();
    expect(ids(await p.awaitableAttrs.tags)).toEqual(core.tagsOf(1));
    await expect(p.awaitableAttrs.comments).rejects.toThrow(/raiseload/);
  });

  test('containsEager populates from the join the statement has (only the rows it matched)', async () => {
    const { value, selects } = await counted((s) =>
      s
        .scalars(
          select(User)
            .join(Post.table, Post.c.userId.eq(User.c.id))
            .where(Post.c.title.in(['p1', 'p4', 'p6']))
            .orderBy(User.c.id)
            .options(containsEager(User, 'posts')),
        )
        .then((r) => r.all()),
    );
    expect(selects).toHaveLength(1);
    expect(value.map((u) => [u.id, ids(u.posts)])).toEqual([
      [1, [1]],
      [2, [4]],
      [3, [6]],
    ]);
  });

  test('containsEager from an alias, then joinedload below it', async () => {
    const p = Post.table.alias('pa');
    const { value, selects } = await counted((s) =>
      s
        .scalars(
          select(User)
            .join(p, p.c.userId.eq(User.c.id))
            .where(p.c.deleted.eq(false))
            .orderBy(User.c.id)
            .options(containsEager(User, 'posts', { alias: p }).joinedload('comments')),
        )
        .then((r) => r.all()),
    );
    expect(selects).toHaveLength(1);
    expect(value.map((u) => u.id)).toEqual([1, 2, 3]);
    for (const u of value) {
      expect(ids(u.posts)).toEqual(core.postsOf(u.id, true));
      for (const post of u.posts) expect(ids(post.comments)).toEqual(core.commentsOf(post.id));
    }
  });

  test.each([
    ['selectin', selectinload],
    ['joined', joinedload],
    ['subquery', subqueryload],
  ] as const)('withLoaderCriteria filters every load of the class (%s)', async (_name, loader) => {
    await using s = new Session(live.engine);
    const list = await users(s, loader(User, 'posts'), withLoaderCriteria(Post, notDeleted));
    for (const u of list) expect(ids(u.posts)).toEqual(core.postsOf(u.id, true));
    // The statement's own rows of the class too.
    const posts = (await s.scalars(select(Post).options(withLoaderCriteria(Post, notDeleted)))).all();
    expect(ids(posts)).toEqual([1, 2, 4, 6]);
  });

  test('joinedload of a collection with LIMIT/OFFSET: the page is cut in a subquery, the joins outside (pages stay right)', async () => {
    const { value, selects } = await counted((s) =>
      s.scalars(select(User).orderBy(User.c.id.desc()).limit(2).offset(1).options(joinedload(User, 'posts', 'comments'))).then((r) => r.all()),
    );
    expect(value.map((u) => [u.id, ids(u.posts)])).toEqual([
      [3, core.postsOf(3)],
      [2, core.postsOf(2)],
    ]);
    for (const u of value) for (const p of u.posts) expect(ids(p.comments)).toEqual(core.commentsOf(p.id));
    expect(selects).toHaveLength(1);
    expect(selects[0]).toMatch(/FROM \(SELECT .* LIMIT .*\) AS athanor_page LEFT OUTER JOIN/);
  });

  test('joinedload of a collection under a LIMIT the page subquery cannot carry is refused, naming selectinload', async () => {
    await using s = new Session(live.engine);
    await expect(s.scalars(select(User).orderBy(User.c.name.concat('x')).limit(2).options(joinedload(User, 'posts')))).rejects.toThrow(
      /^joinedload\(User, 'posts'\): the statement has LIMIT\/OFFSET and its page cannot be cut in a subquery .*; use selectinload\(User, 'posts'\) for it\.$/,
    );
    // A many-to-one does not multiply rows: joined under any LIMIT.
    const { value, selects } = await counted((s2) => s2.scalars(select(Post).orderBy(Post.c.title.concat('x')).limit(2).options(joinedload(Post, 'user'))).then((r) => r.all()));
    expect(selects).toHaveLength(1);
    for (const p of value) expect(p.user.id).toBe(core.userOf(p.id));
  });

  test('subqueryload below a level that has no statement of its own to nest is refused, naming selectinload', async () => {
    await using s = new Session(live.engine);
    for (const option of [selectinload(User, 'posts').subqueryload('comments'), joinedload(User, 'posts').subqueryload('comments')]) {
      // Before the statement runs: also when no row comes back (the level below would never run).
      await expect(s.scalars(select(User).where(User.c.id.lt(0)).options(option))).rejects.toThrow(/^subqueryload\(Post, 'comments'\)/);
      await expect(s.scalars(select(User).options(option))).rejects.toThrow(
        "subqueryload(Post, 'comments'): the Post objects were not loaded by one statement it can nest (they come from a selectin, joined or containsEager level, or the statement is not a select()); use selectinload(Post, 'comments'), or subqueryload the levels above it too.",
      );
    }
  });

  test('subqueryload keeps the LIMIT of the statement in its subquery', async () => {
    const { value, selects } = await counted((s) =>
      s.scalars(select(User).orderBy(User.c.id).limit(2).options(subqueryload(User, 'posts'))).then((r) => r.all()),
    );
    expect(value.map((u) => [u.id, ids(u.posts)])).toEqual([
      [1, core.postsOf(1)],
      [2, core.postsOf(2)],
    ]);
    expect(selects).toHaveLength(2);
    expect(selects[1]).toMatch(/LIMIT/);
  });

  test('subqueryload forwards the bind parameters the statement was executed with, on every level', async () => {
    const stmt = select(User).where(User.c.name.in([bindparam('a', { type: String(20) }), bindparam('b', { type: String(20) })])).orderBy(User.c.id);
    for (const [a, b] of [
      ['u1', 'u3'],
      ['u2', 'u4'],
    ]) {
      const { value, selects } = await counted((s) => s.scalars(stmt.options(subqueryload(User, 'posts', 'comments')), { a, b }).then((r) => r.all()));
      const expected = (await live.rows<{ id: number }>(select(User.c.id).where(User.c.name.in([a, b])).orderBy(User.c.id))).map((r) => r.id);
      expect(ids(value)).toEqual(expected);
      for (const u of value) {
        expect(ids(u.posts)).toEqual(core.postsOf(u.id));
        for (const p of u.posts) expect(ids(p.comments)).toEqual(core.commentsOf(p.id));
      }
      expect(selects).toHaveLength(3);
      // Each level's statement holds the owners' query, with its parameters.
      for (const sql of selects.slice(1)) expect(sql).toMatch(/ld_user\.name IN/);
    }
  });

  test('an option naming a class the statement does not select is an ArgumentError', async () => {
    await using s = new Session(live.engine);
    await expect(s.execute(select(User).options(selectinload(Post, 'comments')))).rejects.toThrow(ArgumentError);
    await expect(s.execute(select(User).options(selectinload(Post, 'comments')))).rejects.toThrow(/Post is not an entity of this statement/);
    expect(() => selectinload(User, 'nope' as any)).toThrow(/User has no relationship 'nope'/);
    expect(() => selectinload(User, 'posts').selectinload('nope' as any)).toThrow(/Post has no relationship 'nope'/);
    await expect(s.execute(select(User).options(selectinload(User, 'posts'), joinedload(User, 'posts')))).rejects.toThrow(/Conflicting loader options/);
  });

  test('objects already loaded keep their loaded collections; populateExisting reloads them', async () => {
    await using s = new Session(live.engine);
    const [u] = await users(s, selectinload(User, 'posts'));
    const mark = live.log.length;
    const again = await users(s, selectinload(User, 'posts', 'comments'));
    expect(again[0]).toBe(u);
    // posts were loaded: only the comments level runs.
    expect(live.log.slice(mark).filter((l) => /^SELECT/.test(l))).toHaveLength(2);
    expectTwoLevels(again);
    const r = await s.execute(select(User).orderBy(User.c.id).options(joinedload(User, 'posts')), undefined, { populateExisting: true });
    expect(ids(r.scalars().all()[0].posts)).toEqual(core.postsOf(1));
  });
});
