/**
 * Models for the relationships-in-SQL tests: users and their addresses (one-to-many and
 * many-to-one), posts and tags (many-to-many), a self-referential tree of nodes, and teams
 * whose members are a single-table hierarchy (a relationship to the subclass Engineer), and
 * a joined-table hierarchy (vehicles, trucks with a table of their own).
 */
import { Column, ForeignKey, Integer, String, Table, and } from '@athanor/core';
import { declarativeBase, relationship } from '@athanor/orm';

export const Base = declarativeBase();

export class User extends Base.mapped('qs_user', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
}) {
  declare addresses: Address[];
  declare posts: Post[];
  declare bAddresses: Address[];
  declare bAddress: Address | null;
}

export class Address extends Base.mapped('qs_address', {
  id: Column(Integer, { primaryKey: true }),
  email: Column(String(60), { nullable: false }),
  userId: Column(Integer, ForeignKey('qs_user.id'), { name: 'user_id' }),
}) {
  declare user: User | null;
}

export const postTags = new Table('qs_post_tag', Base.metadata, {
  postId: Column(Integer, ForeignKey('qs_post.id'), { name: 'post_id', nullable: false }),
  tagId: Column(Integer, ForeignKey('qs_tag.id'), { name: 'tag_id', nullable: false }),
});

export class Post extends Base.mapped('qs_post', {
  id: Column(Integer, { primaryKey: true }),
  title: Column(String(30), { nullable: false }),
  authorId: Column(Integer, ForeignKey('qs_user.id'), { name: 'author_id', nullable: false }),
}) {
  declare author: User;
  declare tags: Tag[];
}

export class Tag extends Base.mapped('qs_tag', {
  id: Column(Integer, { primaryKey: true }),
  label: Column(String(30), { nullable: false }),
}) {
  declare posts: Post[];
}

export class Node extends Base.mapped('qs_node', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  parentId: Column(Integer, ForeignKey('qs_node.id'), { name: 'parent_id' }),
}) {
  declare parent: Node | null;
  declare children: Node[];
}

Base.relationships(User, {
  addresses: relationship(Address, { backPopulates: 'user' }),
  posts: relationship(Post, { backPopulates: 'author' }),
  // A custom primaryjoin with a term beyond the key: only the addresses at b.example.
  bAddresses: relationship(Address, { primaryjoin: () => and(User.c.id.eq(Address.c.userId), Address.c.email.like('%@b.example')), viewonly: true }),
  bAddress: relationship(Address, { primaryjoin: () => and(User.c.id.eq(Address.c.userId), Address.c.email.like('%@b.example')), viewonly: true, uselist: false }),
});
Base.relationships(Address, { user: relationship(User, { backPopulates: 'addresses' }) });
Base.relationships(Post, {
  author: relationship(User, { backPopulates: 'posts' }),
  tags: relationship(Tag, { secondary: postTags, backPopulates: 'posts' }),
});
Base.relationships(Tag, { posts: relationship(Post, { secondary: postTags, backPopulates: 'tags' }) });
Base.relationships(Node, {
  parent: relationship(Node, { remoteSide: Node.c.id, backPopulates: 'children' }),
  children: relationship(Node, { backPopulates: 'parent' }),
});

export class Team extends Base.mapped('qs_team', { id: Column(Integer, { primaryKey: true }), name: Column(String(30), { nullable: false }) }) {
  declare members: Member[];
  declare engineers: Engineer[];
}
export class Member extends Base.mapped(
  'qs_member',
  {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(30), { nullable: false }),
    kind: Column(String(20), { nullable: false }),
    teamId: Column(Integer, ForeignKey('qs_team.id'), { name: 'team_id' }),
  },
  { polymorphicOn: 'kind', polymorphicIdentity: 'member' },
) {}
export class Engineer extends Base.subclass(Member, { polymorphicIdentity: 'engineer' }) {}
Base.relationships(Team, { members: relationship(Member), engineers: relationship(Engineer, { viewonly: true }) });

export class Vehicle extends Base.mapped(
  'qs_vehicle',
  {
    id: Column(Integer, { primaryKey: true }),
    kind: Column(String(20), { nullable: false }),
    teamId: Column(Integer, ForeignKey('qs_team.id'), { name: 'team_id' }),
  },
  { polymorphicOn: 'kind', polymorphicIdentity: 'vehicle' },
) {
  declare team: Team | null;
}
export class Truck extends Base.subclass(Vehicle, {
  polymorphicIdentity: 'truck',
  table: 'qs_truck',
  columns: { id: Column(Integer, ForeignKey('qs_vehicle.id'), { primaryKey: true }), payload: Column(Integer) },
}) {}
Base.relationships(Vehicle, { team: relationship(Team) });
