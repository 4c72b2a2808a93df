/** Static types of relationship options and associationProxy: names and value types checked. */
import { Column, ForeignKey, Integer, String, desc } from '@athanor/core';
import { type AssociationList, type LazyStrategy, associationProxy, declarativeBase, relationship } from '@athanor/orm';
import { type Equal, expectType } from './assert';

const Base = declarativeBase();
class User extends Base.mapped('t_user', { id: Column(Integer, { primaryKey: true }), name: Column(String(30), { nullable: false }) }) {
  declare links: Link[];
  declare tags: AssociationList<Tag>;
  declare labels: AssociationList<string>;
}
class Tag extends Base.mapped('t_tag', { id: Column(Integer, { primaryKey: true }), label: Column(String(30), { nullable: false }) }) {}
class Link extends Base.mapped('t_link', {
  userId: Column(Integer, ForeignKey('t_user.id'), { primaryKey: true }),
  tagId: Column(Integer, ForeignKey('t_tag.id'), { primaryKey: true }),
}) {
  declare tag: Tag;
}
Base.relationships(User, { links: relationship(Link, { orderBy: [Link.c.tagId, desc(Link.c.userId)], lazy: 'selectin', passiveDeletes: true }) });
Base.relationships(Link, { tag: relationship(Tag, { primaryjoin: () => Tag.c.id.eq(Link.c.tagId), viewonly: true }) });

associationProxy(User, 'tags', 'links', 'tag', { creator: (tag) => Object.assign(new Link(), { tag }) });
// The creator takes a Tag and must return a Link.
// @ts-expect-error a creator returning a Tag, not the association object
associationProxy(User, 'tags', 'links', 'tag', { creator: (tag) => tag });
// @ts-expect-error 'labels' is a view of strings, 'tag' gives Tag objects
associationProxy(User, 'labels', 'links', 'tag');
// @ts-expect-error 'name' is a column, not a collection
associationProxy(User, 'tags', 'name', 'tag');
// @ts-expect-error Link has no attribute 'tga'
associationProxy(User, 'tags', 'links', 'tga');

declare const u: User;
expectType<Equal<ReturnType<typeof u.tags.toArray>, Tag[]>>(true);
expectType<Equal<ReturnType<typeof u.tags.at>, Tag | undefined>>(true);
for (const t of u.tags) expectType<Equal<typeof t, Tag>>(true);

expectType<Equal<LazyStrategy, 'select' | 'raise' | 'selectin' | 'joined' | 'noload' | 'writeOnly'>>(true);
// @ts-expect-error not a strategy
relationship(Tag, { lazy: 'dynamic' });
// @ts-expect-error passiveDeletes is true, false or 'all'
relationship(Tag, { passiveDeletes: 'some' });
