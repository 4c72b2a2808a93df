/** A parent/child model for the session tests: Author 1—n Book (cascade all, delete-orphan), unique emails. */
import { Column, ForeignKey, Integer, String } from '@athanor/core';
import { declarativeBase, relationship } from '@athanor/orm';

export const Base = declarativeBase();

export class Author extends Base.mapped('author', {
  id: Column(Integer, { primaryKey: true }),
  email: Column(String(100), { nullable: false, unique: true }),
  name: Column(String(50)),
}) {
  declare books: Book[];
}

export class Book extends Base.mapped('book', {
  id: Column(Integer, { primaryKey: true }),
  title: Column(String(100), { nullable: false }),
  authorId: Column(Integer, ForeignKey('author.id'), { name: 'author_id' }),
}) {
  declare author: Author | null;
}

/** No cascade: deleting a publisher must not delete its imprints (their FK is set to NULL). */
export class Publisher extends Base.mapped('publisher', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(50), { nullable: false }),
}) {
  declare imprints: Imprint[];
}

export class Imprint extends Base.mapped('imprint', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(50), { nullable: false }),
  publisherId: Column(Integer, ForeignKey('publisher.id'), { name: 'publisher_id' }),
}) {}

Base.relationships(Author, { books: relationship(Book, { backPopulates: 'author', cascade: 'all, delete-orphan' }) });
Base.relationships(Book, { author: relationship(Author, { backPopulates: 'books' }) });
Base.relationships(Publisher, { imprints: relationship(Imprint) });

