/** Load state in the types: what a statement's loader options load is typed as loaded, the rest as `never`. */
import { Column, ForeignKey, Integer, String, Table, select } from '@athanor/core';
import {
  type Loaded,
  type Session,
  declarativeBase,
  joinedload,
  lazyload,
  noload,
  raiseload,
  relationship,
  selectinload,
  subqueryload,
} from '@athanor/orm';
import { type Equal, expectType } from './assert';

const Base = declarativeBase();
class User extends Base.mapped('ls_user', { id: Column(Integer, { primaryKey: true }), name: Column(String(20), { nullable: false }) }) {
  declare posts: Post[];
  declare best: Post | null;
}
class Post extends Base.mapped('ls_post', {
  id: Column(Integer, { primaryKey: true }),
  userId: Column(Integer, ForeignKey('ls_user.id'), { nullable: false }),
}) {
  declare user: User;
  declare comments: Comment[];
  declare tags: Tag[];
}
class Comment extends Base.mapped('ls_comment', { id: Column(Integer, { primaryKey: true }), postId: Column(Integer, ForeignKey('ls_post.id')) }) {
  declare post: Post;
  declare replies: Comment[];
}
class Tag extends Base.mapped('ls_tag', { id: Column(Integer, { primaryKey: true }) }) {}
const postTags = new Table('ls_post_tag', Base.metadata, { postId: Column(Integer, ForeignKey('ls_post.id')), tagId: Column(Integer, ForeignKey('ls_tag.id')) });
Base.relationships(User, { posts: relationship(Post, { backPopulates: 'user' }), best: relationship(Post, { uselist: false, viewonly: true }) });
Base.relationships(Post, { user: relationship(User, { backPopulates: 'posts' }), comments: relationship(Comment), tags: relationship(Tag, { secondary: postTags }) });
Base.relationships(Comment, { post: relationship(Post), replies: relationship(Comment) });

const takesUser = (u: User) => u.id;

async function loadState(s: Session) {
  // One level: posts loaded (Post[]), everything else of User `never`.
  const [u] = (await s.scalars(select(User).options(selectinload(User, 'posts')))).all();
  expectType<Equal<typeof u.posts, Post[]>>(true);
  expectType<Equal<typeof u.best, never>>(true);
  // @ts-expect-error best was not loaded by the statement
  u.best?.id;
  takesUser(u);
  // The end of a path keeps its class type (its mirrored side is filled by the load).
  expectType<Equal<(typeof u.posts)[number]['user'], User>>(true);

  // A path: each level typed by what is loaded under it.
  const [v] = (await s.scalars(select(User).options(selectinload(User, 'posts', 'comments')))).all();
  const p = v.posts[0];
  expectType<Equal<typeof p.comments, Comment[]>>(true);
  // @ts-expect-error tags were not loaded on the posts
  p.tags.length;
  for (const post of v.posts) {
    // @ts-expect-error not loaded: no iteration
    for (const t of post.tags) void t;
    void post.comments.length;
  }
  takesUser(v);

  // Options together, a chained strategy change, many-to-one and many-to-many.
  const [w] = (await s.scalars(select(Post).options(joinedload(Post, 'user'), selectinload(Post, 'comments').joinedload('replies'), subqueryload(Post, 'tags')))).all();
  expectType<Equal<typeof w.user, User>>(true);
  expectType<Equal<(typeof w.comments)[number]['replies'], Comment[]>>(true);
  // @ts-expect-error the replies' post was not loaded
  w.comments[0].post.id;
  expectType<Equal<typeof w.tags, Tag[]>>(true);

  // noload reads as loaded (empty); raiseload and lazyload leave it unloaded.
  const [x] = (await s.scalars(select(Post).options(noload(Post, 'comments'), raiseload(Post, 'tags'), lazyload(Post, 'user')))).all();
  expectType<Equal<typeof x.comments, Comment[]>>(true);
  expectType<Equal<typeof x.tags, never>>(true);
  expectType<Equal<typeof x.user, never>>(true);
  // awaitableAttrs loads what the statement did not.
  expectType<Equal<Awaited<typeof x.awaitableAttrs.tags>, Tag[]>>(true);

  // Entities no option names keep their declared type (nothing is claimed about them).
  const [plain] = (await s.scalars(select(User))).all();
  expectType<Equal<typeof plain, User>>(true);
  const both = await s.execute(select(User, Post.c.id.label('postId')).join(Post.table, Post.c.userId.eq(User.c.id)).options(selectinload(User, 'posts')));
  const [row] = both.all();
  expectType<Equal<typeof row.postId, number>>(true);
  // The class's row key is not known to the types: the entity is typed by position.
  const [[user, postId]] = both.tuples();
  expectType<Equal<typeof postId, number>>(true);
  expectType<Equal<typeof user.posts, Post[]>>(true);
  expectType<Equal<typeof user.best, never>>(true);

  // The named type.
  const named: Loaded<User, { posts: { comments: {} } }> = v;
  void named;
}
void loadState;

// Paths are checked along the classes.
// @ts-expect-error Post has no relationship 'nope'
selectinload(User, 'posts', 'nope');
// @ts-expect-error 'userId' is a column of Post
selectinload(User, 'posts', 'userId');
// @ts-expect-error Comment has no 'comments'
selectinload(User, 'posts').selectinload('comments').selectinload('comments');
selectinload(User, 'posts', 'comments', 'replies', 'replies');
