/**
 * Models and rows for the loading tests: users → posts → comments (one-to-many, two
 * levels), post.user (many-to-one), post.tags (many-to-many), soft-deleted posts (for
 * withLoaderCriteria), and orders keyed by (region, number) with lines (a composite key).
 */
import { Boolean as Bool, Column, ForeignKey, ForeignKeyConstraint, Integer, String, Table, insert, select } from '@athanor/core';
import { declarativeBase, relationship } from '@athanor/orm';
import type { LiveDatabase } from './live';

export const Base = declarativeBase();

export class User extends Base.mapped('ld_user', { id: Column(Integer, { primaryKey: true }), name: Column(String(20), { nullable: false }) }) {
  declare posts: Post[];
}
export class Post extends Base.mapped('ld_post', {
  id: Column(Integer, { primaryKey: true }),
  title: Column(String(20), { nullable: false }),
  deleted: Column(Bool, { nullable: false }),
  userId: Column(Integer, ForeignKey('ld_user.id'), { name: 'user_id', nullable: false }),
}) {
  declare user: User;
  declare comments: Comment[];
  declare tags: Tag[];
}
export class Comment extends Base.mapped('ld_comment', {
  id: Column(Integer, { primaryKey: true }),
  body: Column(String(20), { nullable: false }),
  postId: Column(Integer, ForeignKey('ld_post.id'), { name: 'post_id', nullable: false }),
}) {
  declare post: Post;
}
export class Tag extends Base.mapped('ld_tag', { id: Column(Integer, { primaryKey: true }), label: Column(String(20), { nullable: false }) }) {
  declare posts: Post[];
}
export const postTags = new Table('ld_post_tag', Base.metadata, {
  postId: Column(Integer, ForeignKey('ld_post.id'), { name: 'post_id', nullable: false }),
  tagId: Column(Integer, ForeignKey('ld_tag.id'), { name: 'tag_id', nullable: false }),
});
export class Order extends Base.mapped('ld_order', {
  region: Column(String(8), { primaryKey: true }),
  num: Column(Integer, { primaryKey: true, autoincrement: false }),
  note: Column(String(20), { nullable: false }),
}) {
  declare lines: Line[];
}
export class Line extends Base.mapped(
  'ld_line',
  {
    id: Column(Integer, { primaryKey: true }),
    region: Column(String(8), { nullable: false }),
    num: Column(Integer, { nullable: false }),
    sku: Column(String(20), { nullable: false }),
  },
  new ForeignKeyConstraint(['region', 'num'], ['ld_order.region', 'ld_order.num']),
) {
  declare order: Order;
}

Base.relationships(User, { posts: relationship(Post, { backPopulates: 'user' }) });
Base.relationships(Post, {
  user: relationship(User, { backPopulates: 'posts' }),
  comments: relationship(Comment, { backPopulates: 'post' }),
  tags: relationship(Tag, { secondary: postTags, backPopulates: 'posts' }),
});
Base.relationships(Comment, { post: relationship(Post, { backPopulates: 'comments' }) });
Base.relationships(Tag, { posts: relationship(Post, { secondary: postTags, backPopulates: 'tags' }) });
Base.relationships(Order, { lines: relationship(Line, { backPopulates: 'order' }) });
Base.relationships(Line, { order: relationship(Order, { backPopulates: 'lines' }) });

/** u4 has no posts; p3 and p5 are soft-deleted; p2 has no comments; orders eu/2 has no lines. */
export async function seed(live: LiveDatabase): Promise<void> {
  await live.engine.begin(async (c) => {
    await c.execute(insert(User.table), [1, 2, 3, 4].map((id) => ({ id, name: `u${id}` })));
    const posts = [
      [1, 1, false],
      [2, 1, false],
      [3, 1, true],
      [4, 2, false],
      [5, 2, true],
      [6, 3, false],
    ] as const;
    await c.execute(insert(Post.table), posts.map(([id, userId, deleted]) => ({ id, userId, deleted, title: `p${id}` })));
    const comments = [1, 1, 1, 3, 4, 4, 5, 6];
    await c.execute(insert(Comment.table), comments.map((postId, i) => ({ id: i + 1, postId, body: `c${i + 1}` })));
    await c.execute(insert(Tag.table), [1, 2, 3].map((id) => ({ id, label: `t${id}` })));
    const links = [
      [1, 1],
      [1, 2],
      [2, 2],
      [4, 1],
      [4, 3],
      [5, 3],
    ];
    await c.execute(insert(postTags), links.map(([postId, tagId]) => ({ postId, tagId })));
    await c.execute(insert(Order.table), [
      { region: 'eu', num: 1, note: 'a' },
      { region: 'eu', num: 2, note: 'b' },
      { region: 'us', num: 1, note: 'c' },
    ]);
    await c.execute(insert(Line.table), [
      { id: 1, region: 'eu', num: 1, sku: 'x' },
      { id: 2, region: 'eu', num: 1, sku: 'y' },
      { id: 3, region: 'us', num: 1, sku: 'z' },
    ]);
  });
}

const group = <R>(rows: R[], key: (r: R) => unknown, value: (r: R) => number) => {
  const out = new Map<unknown, number[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), value(r)].sort((a, b) => a - b));
  return out;
};

/** What the database holds, read with Core: ids grouped by owner. */
export async function stored(live: LiveDatabase) {
  const posts = await live.rows<{ id: number; userId: number; deleted: boolean | number }>(select(Post.c.id, Post.c.userId, Post.c.deleted));
  const comments = await live.rows<{ id: number; postId: number }>(select(Comment.c.id, Comment.c.postId));
  const links = await live.rows<{ postId: number; tagId: number }>(select(postTags.c.postId, postTags.c.tagId));
  const lines = await live.rows<{ id: number; region: string; num: number }>(select(Line.c.id, Line.c.region, Line.c.num));
  return {
    postsOf: (userId: number, live = false) =>
      group(
        posts.filter((p) => !live || !p.deleted),
        (p) => p.userId,
        (p) => p.id,
      ).get(userId) ?? [],
    commentsOf: (postId: number) => group(comments, (c) => c.postId, (c) => c.id).get(postId) ?? [],
    tagsOf: (postId: number) => group(links, (l) => l.postId, (l) => l.tagId).get(postId) ?? [],
    userOf: (postId: number) => posts.find((p) => p.id === postId)!.userId,
    linesOf: (region: string, num: number) => lines.filter((l) => l.region === region && l.num === num).map((l) => l.id).sort((a, b) => a - b),
  };
}

export const ids = (objs: readonly { id: number }[]) => objs.map((o) => o.id).sort((a, b) => a - b);
