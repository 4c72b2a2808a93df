import { type Engine, IntegrityError, InvalidRequestError, StaleDataError, createEngine, select } from '@athanor/core';
import { Session, joinedload, selectinload, statusOf } from '@athanor/orm';
import { type FreshDatabase, describeEach } from './databases';
import * as models from './models';

/** echo lines end with the elapsed time (`[0.12 ms]`); the assertions compare the SQL. */
const withoutTiming = (line: string) => line.replace(/ \[(failed after )?[\d.]+ ms\]$/, '');

describeEach((db) => {
  let fresh: FreshDatabase;
  let engine: Engine;
  const log: string[] = [];

  beforeAll(async () => {
    fresh = await db.fresh();
    engine = createEngine(fresh.url, { ...fresh.options, echo: (l) => log.push(withoutTiming(l)) });
    await models.Base.metadata.createAll(engine);
  });
  afterAll(async () => {
    await engine?.dispose();
    await fresh?.drop();
  });

  /** Commits an author with books; returns its id. */
  async function seed(email: string, titles: string[]): Promise<number> {
    const { Author, Book } = models;
    await using s = new Session(engine);
    const a = new Author({ email, name: email.split('@')[0] });
    for (const title of titles) a.books.push(new Book({ title }));
    s.add(a);
    await s.commit();
    return a.id;
  }

  async function bookTitles(authorId: number): Promise<string[]> {
    const { Book } = models;
    await using s = new Session(engine);
    return (await s.scalars(select(Book).where(Book.c.authorId.eq(authorId)).orderBy(Book.c.title))).all().map((b) => b.title);
  }

  test('reading an unloaded relationship raises an error naming every fix', async () => {
    const { Author } = models;
    const id = await seed('unloaded@example.com', ['U1']);
    await using s = new Session(engine);
    const a = (await s.get(Author, id))!;
    expect(statusOf(a)).toBe('persistent');
    expect(() => a.books).toThrow(InvalidRequestError);
    let message = '';
    try {
      void a.books;
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("Author.books is not loaded");
    expect(message).toContain("selectinload(Author, 'books')");
    expect(message).toContain("joinedload(Author, 'books')");
    expect(message).toContain("await session.refresh(obj, ['books'])");
    expect(message).toContain('await obj.awaitableAttrs.books');
  });

  test('awaitableAttrs and refresh load a relationship on demand', async () => {
    const { Author } = models;
    const id = await seed('lazy@example.com', ['L1', 'L2']);
    await using s = new Session(engine);
    const a = (await s.get(Author, id))!;
    const books = await a.awaitableAttrs.books;
    expect(books.map((b) => b.title).sort()).toEqual(['L1', 'L2']);
    expect(a.books).toBe(books);
    expect(books[0].author).toBe(a);

    await using s2 = new Session(engine);
    const b = (await s2.get(Author, id))!;
    await s2.refresh(b, ['books']);
    expect(b.books.map((x) => x.title).sort()).toEqual(['L1', 'L2']);
  });

  test('joinedload loads the relationship with the query; identity map gives one object per row', async () => {
    const { Author, Book } = models;
    const id = await seed('joined@example.com', ['J1', 'J2']);
    await using s = new Session(engine);
    const books = (await s.scalars(select(Book).where(Book.c.authorId.eq(id)).options(joinedload(Book, 'author')))).all();
    expect(books).toHaveLength(2);
    expect(books[0].author).toBe(books[1].author);
    expect(books[0].author!.email).toBe('joined@example.com');
    const [author] = (await s.scalars(select(Author).where(Author.c.id.eq(id)))).all();
    expect(author).toBe(books[0].author);
  });

  test('joinedload of a collection: one SELECT with LEFT OUTER JOIN, one row per parent', async () => {
    const { Author } = models;
    const id = await seed('joined-many@example.com', ['M1', 'M2']);
    const none = await seed('joined-none@example.com', []);
    await using s = new Session(engine);
    const mark = log.length;
    const authors = (await s.scalars(select(Author).where(Author.c.id.in([id, none])).orderBy(Author.c.id).options(joinedload(Author, 'books')))).all();
    const selects = log.slice(mark).filter((l) => /^SELECT/.test(l));
    expect(selects).toHaveLength(1);
    expect(selects[0]).toMatch(/LEFT OUTER JOIN/);
    expect(authors.map((a) => a.email)).toEqual(['joined-many@example.com', 'joined-none@example.com']);
    expect(authors[0].books.map((b) => b.title).sort()).toEqual(['M1', 'M2']);
    expect(authors[0].books[0].author).toBe(authors[0]);
    expect(authors[1].books).toEqual([]);
    const result = await s.execute(select(Author).where(Author.c.id.eq(id)).options(joinedload(Author, 'books')));
    expect(result.keys()).toEqual(['Author']);
  });

  test('backPopulates: setting the many-to-one side appends to a loaded collection', async () => {
    const { Author, Book } = models;
    const id = await seed('backref@example.com', ['B1']);
    await using s = new Session(engine);
    const a = (await s.scalars(select(Author).where(Author.c.id.eq(id)).options(selectinload(Author, 'books')))).one();
    const b = new Book({ title: 'B2' });
    b.author = a;
    expect(a.books.map((x) => x.title)).toEqual(['B1', 'B2']);
    await s.commit(); // cascaded from a: b joins the session through a.books
    expect(b.authorId).toBe(id);
    expect(await bookTitles(id)).toEqual(['B1', 'B2']);
  });

  test('UPDATE of a row deleted behind the session raises StaleDataError', async () => {
    const { Author } = models;
    const id = await seed('stale@example.com', []);
    await using s = new Session(engine);
    const a = (await s.get(Author, id))!;
    await s.commit();
    await engine.connect((c) => c.execDriverSQL(`DELETE FROM author WHERE id = ${id}`));
    a.name = 'changed';
    s.add(a);
    await expect(s.commit()).rejects.toThrow(StaleDataError);
    await expect(s.commit()).resolves.toBeUndefined(); // the session is usable again
  });

  test('DELETE of a row deleted behind the session raises StaleDataError', async () => {
    const { Author } = models;
    const id = await seed('stale2@example.com', []);
    await using s = new Session(engine);
    const a = (await s.get(Author, id))!;
    await s.commit();
    await engine.connect((c) => c.execDriverSQL(`DELETE FROM author WHERE id = ${id}`));
    s.delete(a);
    await expect(s.flush()).rejects.toThrow(/DELETE of Author \(id=\d+\) matched 0 rows/);
  });

  test('a failed flush rolls back the whole unit of work and leaves the session usable', async () => {
    const { Author, Book } = models;
    await seed('taken@example.com', []);
    await using s = new Session(engine);
    const ok = new Author({ email: 'first-in-batch@example.com' });
    ok.books.push(new Book({ title: 'F1' }));
    const dup = new Author({ email: 'taken@example.com' });
    s.addAll([ok, dup]);
    await expect(s.commit()).rejects.toThrow(IntegrityError);
    expect(statusOf(ok)).toBe('transient');
    // Nothing of the failed unit of work is in the database.
    const count = async (email: string) => (await s.scalars(select(Author).where(Author.c.email.eq(email)))).all().length;
    expect(await count('first-in-batch@example.com')).toBe(0);
    // The same session goes on working.
    const next = new Author({ email: 'after-failure@example.com' });
    s.add(next);
    await s.commit();
    expect(await count('after-failure@example.com')).toBe(1);
    expect(await s.get(Author, next.id)).toBe(next);
  });

  test('delete cascade: deleting a parent deletes its children, loading them first', async () => {
    const { Author, Book } = models;
    const id = await seed('cascade@example.com', ['C1', 'C2']);
    await using s = new Session(engine);
    const a = (await s.get(Author, id))!;
    s.delete(a);
    const before = log.length;
    await s.commit();
    const emitted = log.slice(before);
    const deletes = emitted.filter((l) => /^DELETE/.test(l));
    // The two books in one batched DELETE, then the author: children first.
    expect(deletes).toHaveLength(2);
    expect(deletes[0]).toMatch(/book.*IN/);
    expect(deletes[1]).toMatch(/author/);
    expect(statusOf(a)).toBe('detached') // a committed delete detaches, as in SQLAlchemy;
    expect(await bookTitles(id)).toEqual([]);
    expect(await s.get(Author, id)).toBeNull();
    expect((await s.scalars(select(Book).where(Book.c.title.in(['C1', 'C2'])))).all()).toEqual([]);
  });

  test('without delete cascade, deleting a parent sets the children foreign key to NULL', async () => {
    const { Publisher, Imprint } = models;
    await using s = new Session(engine);
    const p = new Publisher({ name: 'P' });
    p.imprints.push(new Imprint({ name: 'I1' }));
    s.add(p);
    await s.commit();
    const imprint = p.imprints[0];
    expect(imprint.publisherId).toBe(p.id);
    s.delete(p);
    await s.commit();
    const rows = (await s.scalars(select(Imprint).where(Imprint.c.name.eq('I1')))).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toBe(imprint);
    expect(rows[0].publisherId).toBeNull();
    await using fresh2 = new Session(engine);
    expect((await fresh2.get(Imprint, imprint.id))!.publisherId).toBeNull();
  });

  test('only changed columns are updated, one UPDATE per object', async () => {
    const { Author } = models;
    const id = await seed('dirty@example.com', []);
    await using s = new Session(engine);
    const a = (await s.get(Author, id))!;
    a.name = 'renamed';
    const before = log.length;
    await s.commit();
    const updates = log.slice(before).filter((l) => /^UPDATE/.test(l));
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatch(/SET "?`?name/);
    expect(updates[0]).not.toMatch(/email/);
    await using s2 = new Session(engine);
    expect((await s2.get(Author, id))!.name).toBe('renamed');
    // Nothing changed: no UPDATE at all.
    const again = (await s2.get(Author, id))!;
    const mark = log.length;
    await s2.commit();
    expect(again.name).toBe('renamed');
    expect(log.slice(mark).filter((l) => /^UPDATE/.test(l))).toEqual([]);
  });

  test('execute(select(Entity, column)) rows hold the entity under its class name', async () => {
    const { Author, Book } = models;
    const id = await seed('rows@example.com', ['R1']);
    await using s = new Session(engine);
    const result = await s.execute(select(Book, Author.c.email).join(Author).where(Author.c.id.eq(id)));
    expect(result.keys()).toEqual(['Book', 'email']);
    const rows = result.all();
    expect(rows).toHaveLength(1);
    // The class's name is not known to the types: the row is typed by position in tuples().
    const [[book, email]] = result.tuples();
    expect(book).toBeInstanceOf(Book);
    expect(book.title).toBe('R1');
    expect(email).toBe('rows@example.com');
    expect(rows[0]).toEqual({ Book: book, email: 'rows@example.com' });
    expect(result.scalars().all()).toEqual([book]);
  });
});
