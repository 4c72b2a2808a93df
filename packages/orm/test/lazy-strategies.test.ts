/**
 * `lazy:` as a relationship's default loading strategy. 'selectin' and 'joined' load with
 * every query of the class (and session.get), level after level for what they load: a
 * self-referential tree takes one SELECT per level. 'noload' reads as empty and still saves
 * what is appended; 'select' (the default) loads only through an explicit
 * `await obj.awaitableAttrs.rel`; 'raise' refuses even that.
 */
import { Column, ForeignKey, Integer, InvalidRequestError, String, select } from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Node extends Base.mapped('lz_node', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  parentId: Column(Integer, ForeignKey('lz_node.id'), { name: 'parent_id' }),
  name: Column(String(30), { nullable: false }),
}) {
  declare children: Node[];
  declare parent: Node | null;
}
Base.relationships(Node, {
  children: relationship(Node, { backPopulates: 'parent', lazy: 'selectin', orderBy: Node.c.id }),
  parent: relationship(Node, { remoteSide: Node.c.id, backPopulates: 'children' }),
});

// The same tree shape, loading at most two levels below the query.
class Shallow extends Base.mapped('lz_shallow', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  parentId: Column(Integer, ForeignKey('lz_shallow.id'), { name: 'parent_id' }),
}) {
  declare children: Shallow[];
}
Base.relationships(Shallow, { children: relationship(Shallow, { lazy: 'selectin', joinDepth: 2, orderBy: Shallow.c.id }) });

class Author extends Base.mapped('lz_author', { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(30), { nullable: false }) }) {
  declare books: Book[];
  declare drafts: Draft[];
  declare notes: Note[];
}
class Book extends Base.mapped('lz_book', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  authorId: Column(Integer, ForeignKey('lz_author.id'), { name: 'author_id' }),
  title: Column(String(30), { nullable: false }),
}) {
  declare author: Author | null;
}
class Draft extends Base.mapped('lz_draft', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  authorId: Column(Integer, ForeignKey('lz_author.id'), { name: 'author_id' }),
}) {}
class Note extends Base.mapped('lz_note', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  authorId: Column(Integer, ForeignKey('lz_author.id'), { name: 'author_id' }),
}) {}
// No backPopulates: the two eager defaults form a cycle the loader must end.
Base.relationships(Author, {
  books: relationship(Book, { lazy: 'selectin', orderBy: Book.c.id }),
  drafts: relationship(Draft, { lazy: 'noload' }),
  notes: relationship(Note, { lazy: 'raise' }),
});
Base.relationships(Book, { author: relationship(Author, { lazy: 'joined' }) });

// Redeclared without the eager default: the default goes with the old declaration.
const Redeclared = declarativeBase();
class Shelf extends Redeclared.mapped('lz_shelf', { id: Column(Integer, { primaryKey: true, autoincrement: false }) }) {
  declare items: Item[];
}
class Item extends Redeclared.mapped('lz_item', { id: Column(Integer, { primaryKey: true, autoincrement: false }), shelfId: Column(Integer, ForeignKey('lz_shelf.id')) }) {}
Redeclared.relationships(Shelf, { items: relationship(Item, { lazy: 'selectin' }) });
Redeclared.relationships(Shelf, { items: relationship(Item) });

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata, Redeclared.metadata);
  const selectsSince = (mark: number) => live.log.slice(mark).filter((l) => l.startsWith('SELECT'));

  beforeAll(async () => {
    await using s = new Session(live.engine);
    // 1 root, 2 children, 4 grandchildren: three levels.
    const root = new Node({ id: 1, name: 'root' });
    for (const c of [2, 3]) {
      const child = new Node({ id: c, name: `n${c}` });
      root.children.push(child);
      for (const g of [c * 10, c * 10 + 1]) child.children.push(new Node({ id: g, name: `n${g}` }));
    }
    const top = new Shallow({ id: 1 });
    const mid = new Shallow({ id: 2 });
    const low = new Shallow({ id: 3 });
    top.children.push(mid);
    mid.children.push(low);
    low.children.push(new Shallow({ id: 4 }));
    const author = new Author({ id: 1, name: 'ann' });
    author.books.push(new Book({ id: 1, title: 'b1' }), new Book({ id: 2, title: 'b2' }));
    s.addAll([root, top, author, new Note({ id: 1, authorId: 1 })]);
    await s.commit();
  });

  test("a 3-level tree with lazy: 'selectin' loads with one SELECT per level (the last one finds the leaves have no children)", async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const [root] = (await s.scalars(select(Node).where(Node.c.parentId.isNull()))).all();
    const selects = selectsSince(mark);
    expect(selects).toHaveLength(4);
    for (const q of selects.slice(1)) expect(q).toMatch(/WHERE \W?lz_node\W?\.\W?parent_id\W? IN /);
    const shape = (n: Node): unknown => [n.name, n.children.map(shape)];
    expect(shape(root)).toEqual(['root', [['n2', [['n20', []], ['n21', []]]], ['n3', [['n30', []], ['n31', []]]]]]);
    // The many-to-one sides are known from the collections: no query.
    expect(root.children[1].children[0].parent).toBe(root.children[1]);
    expect(selectsSince(mark)).toHaveLength(4);
  });

  test('joinDepth: 2 stops after two levels below the query; the third stays unloaded', async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const top = (await s.get(Shallow, 1))!;
    expect(selectsSince(mark)).toHaveLength(3);
    const low = top.children[0].children[0];
    expect(low.id).toBe(3);
    expect(() => low.children).toThrow(InvalidRequestError);
  });

  test("lazy: 'joined' adds a LEFT OUTER JOIN to every query of the class; what it loads gets its own class's defaults", async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const books = (await s.scalars(select(Book).orderBy(Book.c.id))).all();
    const selects = selectsSince(mark);
    expect(selects[0]).toMatch(/LEFT OUTER JOIN \W?lz_author\W? AS \W?lz_author_j1\W?/);
    // The joined authors' books (lazy: 'selectin'): one more SELECT; the cycle back to Book.author ends there.
    expect(selects).toHaveLength(2);
    expect(books.map((b) => b.author?.name)).toEqual(['ann', 'ann']);
    expect(books[0].author!.books.map((b) => b.title)).toEqual(['b1', 'b2']);
  });

  test('an explicit option wins over the default; session.get applies the defaults', async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const authors = (await s.scalars(select(Author).options(selectinload(Author, 'books')))).all();
    expect(authors[0].books).toHaveLength(2);
    // Author.books by the option (one SELECT), then Book.author (joined default) served by selectin below the query.
    expect(selectsSince(mark)).toHaveLength(3);
    await using s2 = new Session(live.engine);
    const author = (await s2.get(Author, 1))!;
    expect(author.books.map((b) => b.id)).toEqual([1, 2]);
  });

  test("lazy: 'noload' reads as empty and is never loaded; an appended object is saved", async () => {
    {
      await using s = new Session(live.engine);
      const author = (await s.get(Author, 1))!;
      const mark = live.log.length;
      expect(author.drafts).toEqual([]);
      expect(selectsSince(mark)).toHaveLength(0);
      author.drafts.push(new Draft({ id: 7 }));
      await s.commit();
    }
    expect(await live.rows(select(Draft.c.id, Draft.c.authorId))).toEqual([{ id: 7, authorId: 1 }]);
    await using s = new Session(live.engine);
    const author = (await s.get(Author, 1))!;
    expect(author.drafts).toEqual([]);
  });

  test("lazy: 'select' (default) loads through awaitableAttrs; lazy: 'raise' refuses that, refresh loads it", async () => {
    await using s = new Session(live.engine);
    const node = (await s.get(Shallow, 4))!;
    expect(node.children).toEqual([]);
    const book = (await s.get(Book, 1))!;
    const author = book.author!;
    expect(() => author.notes).toThrow(/lazy|not loaded/);
    await expect(author.awaitableAttrs.notes).rejects.toThrow("Author.notes is declared lazy: 'raise'");
    await s.refresh(author, ['notes']);
    expect(author.notes.map((n) => n.id)).toEqual([1]);
    const [n2] = (await s.scalars(select(Node).where(Node.c.id.eq(2)))).all();
    expect((await n2.awaitableAttrs.parent)?.name).toBe('root');
  });

  // lazy: 'writeOnly' (write-only collections): write-only.test.ts.
  test('an unknown strategy is refused', () => {
    expect(() => Base.relationships(Author, { books: relationship(Book, { lazy: 'dynamic' as never }) })).toThrow("unknown lazy 'dynamic'");
  });

  test('a relationship redeclared without lazy: selectin no longer loads by default', async () => {
    {
      await using s = new Session(live.engine);
      s.add(new Shelf({ id: 1 }));
      await s.commit();
    }
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const shelf = (await s.get(Shelf, 1))!;
    expect(selectsSince(mark)).toHaveLength(1);
    expect(() => shelf.items).toThrow(InvalidRequestError);
  });
});
