/**
 * MikroORM 6 with EntitySchema (no decorators): a forked EntityManager per operation, so
 * every one starts with an empty identity map. Version 6 because 7 needs Node 22.
 */
import { type Collection, EntitySchema, LoadStrategy, type MikroORM, type Options } from '@mikro-orm/core';
import type { Item as ItemData } from '../data';
import type { LoadedSession, OrmAdapter, OrmTables, Row } from './types';

interface MItem extends Row {
  email: string;
  createdAt: Date;
}
interface MAuthor {
  id: number;
  name: string;
  books: Collection<MBook>;
}
interface MBook {
  id: number;
  title: string;
  author: MAuthor;
}

function itemSchema(name: string, tableName: string) {
  return new EntitySchema<MItem>({
    name,
    tableName,
    properties: {
      id: { type: 'number', primary: true, autoincrement: false },
      name: { type: 'string' },
      email: { type: 'string' },
      score: { type: 'number' },
      createdAt: { type: 'Date', fieldName: 'created_at' },
    },
  });
}

export function mikroSchemas(t: OrmTables) {
  const Author = new EntitySchema<MAuthor>({
    name: 'Author',
    tableName: t.authors,
    properties: {
      id: { type: 'number', primary: true, autoincrement: false },
      name: { type: 'string' },
      books: { kind: '1:m', entity: 'Book', mappedBy: 'author' },
    },
  });
  const Book = new EntitySchema<MBook>({
    name: 'Book',
    tableName: t.books,
    properties: {
      id: { type: 'number', primary: true, autoincrement: false },
      title: { type: 'string' },
      author: { kind: 'm:1', entity: 'Author', fieldName: 'author_id' },
    },
  });
  return {
    Item: itemSchema('Item', t.items),
    ItemIns: itemSchema('ItemIns', t.inserts),
    ItemUpd: itemSchema('ItemUpd', t.updates),
    Author,
    Book,
  };
}

/** `init` is the driver package's `MikroORM.init` (better-sqlite or postgresql). */
export async function mikroOrm(
  init: (options: Options) => Promise<MikroORM>,
  connection: Options,
  t: OrmTables,
): Promise<OrmAdapter> {
  const s = mikroSchemas(t);
  const orm = await init({
    ...connection,
    entities: Object.values(s),
    debug: false,
    pool: { min: 1, max: 1 },
  });
  return {
    name: 'mikro-orm',
    tracksChanges: true,
    get: (id) => orm.em.fork().findOne(s.Item, id),
    fetchAll: () => orm.em.fork().find(s.Item, {}),
    async load(n): Promise<LoadedSession> {
      const em = orm.em.fork();
      const objects = await em.find(s.ItemUpd, { id: { $lte: n } });
      return {
        objects,
        // MikroORM's flush runs in its own transaction and commits it.
        flush: () => em.flush(),
        commit: () => em.flush(),
        close: async () => em.clear(),
      };
    },
    async insert(rows: readonly ItemData[]) {
      const em = orm.em.fork();
      for (const r of rows)
        em.persist(
          em.create(s.ItemIns, {
            id: r.id,
            name: r.name,
            email: r.email,
            score: r.score,
            createdAt: r.createdAt,
          }),
        );
      await em.flush();
    },
    async selectin() {
      const authors = await orm.em
        .fork()
        .find(s.Author, {}, { populate: ['books'], strategy: LoadStrategy.SELECT_IN });
      return authors.reduce((n, a) => n + a.books.length, 0);
    },
    async joined() {
      const authors = await orm.em
        .fork()
        .find(s.Author, {}, { populate: ['books'], strategy: LoadStrategy.JOINED });
      return authors.reduce((n, a) => n + a.books.length, 0);
    },
    close: () => orm.close(),
  };
}
