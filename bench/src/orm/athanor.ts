/** @athanor/orm through its public API: declarativeBase, Session, selectinload. */
import { Column, DateTime, ForeignKey, Integer, Text, type Engine, insert, select } from '@athanor/core';
import { Session, declarativeBase, joinedload, jsonload, relationship, selectinload } from '@athanor/orm';
import { type Item as ItemData, makeItems } from '../data';
import { authorsAndBooks } from './schema';
import type { LoadedSession, OrmAdapter, OrmTables } from './types';

function athanorModel(t: OrmTables) {
  const Base = declarativeBase();
  const itemColumns = () => ({
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    name: Column(Text, { nullable: false }),
    email: Column(Text, { nullable: false }),
    score: Column(Integer, { nullable: false }),
    createdAt: Column(DateTime, { name: 'created_at', nullable: false }),
  });
  class Item extends Base.mapped(t.items, itemColumns()) {}
  class ItemIns extends Base.mapped(t.inserts, itemColumns()) {}
  class ItemUpd extends Base.mapped(t.updates, itemColumns()) {}
  class Author extends Base.mapped(t.authors, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    name: Column(Text, { nullable: false }),
  }) {
    declare books: Book[];
  }
  class Book extends Base.mapped(t.books, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    authorId: Column(Integer, ForeignKey(`${t.authors}.id`), { name: 'author_id', nullable: false }),
    title: Column(Text, { nullable: false }),
  }) {
    declare author: Author;
  }
  Base.relationships(Author, { books: relationship(Book, { backPopulates: 'author' }) });
  Base.relationships(Book, { author: relationship(Author, { backPopulates: 'books' }) });
  return { Base, Item, ItemIns, ItemUpd, Author, Book };
}

/** Creates the tables in an empty database and fills them as the suites do (the profiler's in-memory one). */
export async function seedAthanor(engine: Engine, t: OrmTables, sizes: { rows: number; parents: number }) {
  const m = athanorModel(t);
  await m.Base.metadata.createAll(engine);
  const items = makeItems(sizes.rows);
  const { authors, books } = authorsAndBooks(sizes.parents);
  await engine.begin(async (c) => {
    await c.execute(insert(m.Item.table), items as never);
    await c.execute(insert(m.ItemUpd.table), items as never);
    await c.execute(insert(m.Author.table), authors as never);
    await c.execute(insert(m.Book.table), books as never);
  });
}

export function athanorOrm(engine: Engine, t: OrmTables): OrmAdapter {
  const { Item, ItemIns, ItemUpd, Author } = athanorModel(t);
  // Each call opens its own session, so its identity map starts empty.
  async function inSession<T>(fn: (s: Session) => Promise<T>): Promise<T> {
    const session = new Session(engine);
    try {
      return await fn(session);
    } finally {
      await session.close();
    }
  }
  return {
    name: 'athanor',
    tracksChanges: true,
    get: (id) => inSession((s) => s.get(Item, id)),
    fetchAll: () => inSession(async (s) => (await s.scalars(select(Item))).all()),
    async load(n): Promise<LoadedSession> {
      const session = new Session(engine);
      const objects = (await session.scalars(select(ItemUpd).where(ItemUpd.c.id.le(n)))).all();
      return {
        objects,
        flush: () => session.flush(),
        commit: () => session.commit(),
        close: () => session.close(),
      };
    },
    insert: (rows: readonly ItemData[]) =>
      inSession(async (s) => {
        s.addAll(
          rows.map(
            (r) =>
              new ItemIns({ id: r.id, name: r.name, email: r.email, score: r.score, createdAt: r.createdAt }),
          ),
        );
        await s.commit();
      }),
    selectin: () =>
      inSession(async (s) => {
        const authors = (await s.scalars(select(Author).options(selectinload(Author, 'books')))).all();
        return authors.reduce((n, a) => n + a.books.length, 0);
      }),
    joined: () =>
      inSession(async (s) => {
        const authors = (await s.scalars(select(Author).options(joinedload(Author, 'books')))).all();
        return authors.reduce((n, a) => n + a.books.length, 0);
      }),
    jsonload: () =>
      inSession(async (s) => {
        const authors = (await s.scalars(select(Author).options(jsonload(Author, 'books')))).all();
        return authors.reduce((n, a) => n + a.books.length, 0);
      }),
    close: () => engine.dispose(),
  };
}
