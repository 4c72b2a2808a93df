/**
 * TypeORM with EntitySchema (no decorators). TypeORM has no identity map and tracks no
 * changes in the objects it loads: `save(objects)` reads their rows back to find what
 * changed, which is what its users call to persist a batch of modified entities.
 */
import { DataSource, type DataSourceOptions, EntitySchema, LessThanOrEqual } from 'typeorm';
import type { Item as ItemData } from '../data';
import type { LoadedSession, OrmAdapter, OrmTables, Row } from './types';

interface TItem extends Row {
  email: string;
  createdAt: Date;
}
interface TAuthor {
  id: number;
  name: string;
  books: TBook[];
}
interface TBook {
  id: number;
  title: string;
  author: TAuthor;
}

export function typeormSchemas(t: OrmTables, datetime: 'datetime' | 'timestamp') {
  const item = (name: string, tableName: string) =>
    new EntitySchema<TItem>({
      name,
      tableName,
      columns: {
        id: { type: Number, primary: true },
        name: { type: String },
        email: { type: String },
        score: { type: Number },
        createdAt: { type: datetime, name: 'created_at' },
      },
    });
  const Author = new EntitySchema<TAuthor>({
    name: 'Author',
    tableName: t.authors,
    columns: { id: { type: Number, primary: true }, name: { type: String } },
    relations: { books: { type: 'one-to-many', target: 'Book', inverseSide: 'author' } },
  });
  const Book = new EntitySchema<TBook>({
    name: 'Book',
    tableName: t.books,
    columns: { id: { type: Number, primary: true }, title: { type: String } },
    relations: {
      author: {
        type: 'many-to-one',
        target: 'Author',
        joinColumn: { name: 'author_id' },
        inverseSide: 'books',
      },
    },
  });
  return {
    Item: item('Item', t.items),
    ItemIns: item('ItemIns', t.inserts),
    ItemUpd: item('ItemUpd', t.updates),
    Author,
    Book,
  };
}

export async function typeOrm(connection: DataSourceOptions, t: OrmTables): Promise<OrmAdapter> {
  const s = typeormSchemas(t, connection.type === 'postgres' ? 'timestamp' : 'datetime');
  const ds = new DataSource({
    ...connection,
    entities: Object.values(s),
    synchronize: false,
    logging: false,
  });
  await ds.initialize();
  const m = ds.manager;
  return {
    name: 'typeorm',
    tracksChanges: false,
    get: (id) => m.findOneBy(s.Item, { id }),
    fetchAll: () => m.find(s.Item),
    async load(n): Promise<LoadedSession> {
      const objects = await m.find(s.ItemUpd, { where: { id: LessThanOrEqual(n) } });
      const save = async () => void (await m.save(s.ItemUpd, objects));
      return { objects, flush: save, commit: save, close: async () => {} };
    },
    async insert(rows: readonly ItemData[]) {
      await m.save(
        s.ItemIns,
        rows.map((r) =>
          m.create(s.ItemIns, {
            id: r.id,
            name: r.name,
            email: r.email,
            score: r.score,
            createdAt: r.createdAt,
          }),
        ),
      );
    },
    async selectin() {
      const authors = await m.find(s.Author, { relations: { books: true }, relationLoadStrategy: 'query' });
      return authors.reduce((n, a) => n + a.books.length, 0);
    },
    async joined() {
      const authors = await m.find(s.Author, { relations: { books: true }, relationLoadStrategy: 'join' });
      return authors.reduce((n, a) => n + a.books.length, 0);
    },
    close: () => ds.destroy(),
  };
}
