/**
 * Correlation: a subquery whose tables all appear in the enclosing query would lose its
 * correlation if rendered with its own FROM; as SQLAlchemy, that is an InvalidRequestError
 * naming correlate()/correlateExcept(), and an explicit correlate() always wins.
 */
import { InvalidRequestError, and, func, select } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';
import { POSTS, USERS } from '../fixtures';

export function correlationTests(ctx: SuiteContext): void {
  const { users: u, posts: p } = ctx.t;
  // Per post, its author's post count: the subquery's posts are its own, its users the outer row's.
  const perAuthor = select(func.count()).where(and(p.c.userId.eq(u.c.id), p.c.score.ge(0)));
  const report = (sub: typeof perAuthor) => select(p.c.title, u.c.name, sub.scalarSubquery().label('n')).join(u, u.c.id.eq(p.c.userId)).orderBy(p.c.title);
  const expected = [...POSTS]
    .sort((a, b) => a.title.localeCompare(b.title))
    .map((post) => ({ title: post.title, name: USERS.find((user) => user.id === post.userId)!.name, n: POSTS.filter((q) => q.userId === post.userId).length }));

  ctx.test('auto-correlation that would leave a subquery with no FROM raises InvalidRequestError naming correlate()', async () => {
    await ctx.reload();
    // posts and users are both in the enclosing query: auto-correlation would drop both.
    const run = () => ctx.engine.connect((c) => c.execute(report(perAuthor)));
    await expect(run()).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(run()).rejects.toThrow(/cs_posts, cs_users.*\.correlate\(table, \.\.\.\).*\.correlateExcept\(table, \.\.\.\)/);
  });

  ctx.test('an explicit correlate() or correlateExcept() says which tables come from the enclosing query', async () => {
    await ctx.reload();
    for (const sub of [perAuthor.correlate(u), perAuthor.correlateExcept(p)]) {
      const rows = await ctx.engine.connect(async (c) => (await c.execute(report(sub))).all());
      expect(rows.map((r) => ({ ...r, n: Number(r.n) }))).toEqual(expected);
    }
  });

  ctx.test('a subquery with one FROM item that the enclosing query also has is not correlated (the whole table)', async () => {
    await ctx.reload();
    const top = select(func.max(p.c.score)).scalarSubquery();
    const rows = await ctx.engine.connect(async (c) => (await c.execute(select(p.c.title).where(p.c.score.eq(top)))).all());
    const best = Math.max(...POSTS.map((post) => post.score));
    expect(rows).toEqual(POSTS.filter((post) => post.score === best).map((post) => ({ title: post.title })));
  });
}
