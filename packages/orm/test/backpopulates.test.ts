/**
 * backPopulates keeps both sides in sync in memory: collection methods (push, unshift,
 * splice, pop, shift) and assignments update the other side at once; index writes are
 * reconciled at flush. The rows written match what the objects say.
 */
import { select } from '@athanor/core';
import { Session, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';
import { Author, Base, Book } from './models';

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const storedBooks = (authorId: number) =>
    live.rows<{ title: string }>(select(Book.c.title).where(Book.c.authorId.eq(authorId)).orderBy(Book.c.title)).then((r) => r.map((b) => b.title));

  test('new objects: push, unshift and splice set the many-to-one side at once; pop and shift clear it', async () => {
    const a = new Author({ email: 'sync-new@example.com' });
    const [b1, b2, b3, b4] = ['b1', 'b2', 'b3', 'b4'].map((title) => new Book({ title }));
    a.books.push(b1);
    a.books.unshift(b2);
    a.books.splice(1, 0, b3, b4);
    for (const b of [b1, b2, b3, b4]) expect(b.author).toBe(a);
    expect(a.books.pop()).toBe(b1);
    expect(a.books.shift()).toBe(b2);
    expect(b1.author).toBeNull();
    expect(b2.author).toBeNull();
    expect(a.books.splice(0, 1)).toEqual([b3]);
    expect(b3.author).toBeNull();
    expect(b4.author).toBe(a);
    // The collection is a plain array (its methods are hidden own properties), and so are derived arrays.
    expect(a.books.constructor).toBe(Array);
    expect(Object.keys(a.books)).toEqual(['0']);
    expect(JSON.stringify(a.books.map((b) => b.title))).toBe('["b4"]');
    const copy = a.books.filter(() => true);
    expect(copy.constructor).toBe(Array);
    copy.push(b1);
    expect(b1.author).toBeNull();
    expect(a.books).toEqual([b4]);
    await using s = new Session(live.engine);
    s.add(a);
    await s.commit();
    expect(await storedBooks(a.id)).toEqual(['b4']);
  });

  test('pushing a child onto another loaded parent moves it there: out of the old collection, one UPDATE', async () => {
    await using s = new Session(live.engine);
    const a = new Author({ email: 'sync-a@example.com' });
    const b = new Author({ email: 'sync-b@example.com' });
    a.books.push(new Book({ title: 'moved' }), new Book({ title: 'stays' }));
    s.addAll([a, b]);
    await s.commit();
    await using s2 = new Session(live.engine);
    const [a2, b2] = (await s2.scalars(select(Author).where(Author.c.id.in([a.id, b.id])).orderBy(Author.c.id).options(selectinload(Author, 'books')))).all();
    const moved = a2.books.find((x) => x.title === 'moved')!;
    b2.books.push(moved);
    expect(moved.author).toBe(b2);
    expect(a2.books.map((x) => x.title)).toEqual(['stays']);
    const mark = live.log.length;
    await s2.commit();
    expect(live.writes(mark).map((l) => l.split(' ')[0])).toEqual(['UPDATE']);
    expect(await storedBooks(a.id)).toEqual(['stays']);
    expect(await storedBooks(b.id)).toEqual(['moved']);
  });

  test('assigning a whole list: new members point at the owner, members left out no longer do', async () => {
    await using s = new Session(live.engine);
    const a = new Author({ email: 'sync-assign@example.com' });
    const [x, y, z] = ['x', 'y', 'z'].map((title) => new Book({ title }));
    a.books = [x, y];
    expect(x.author).toBe(a);
    a.books = [y, z];
    expect(x.author).toBeNull();
    expect(z.author).toBe(a);
    s.add(a);
    await s.commit();
    expect(await storedBooks(a.id)).toEqual(['y', 'z']);
  });

  test('an index write is reconciled at flush', async () => {
    await using s = new Session(live.engine);
    const a = new Author({ email: 'sync-index@example.com' });
    const b = new Book({ title: 'indexed' });
    a.books[0] = b;
    expect(b.author).toBeNull(); // not seen until flush
    s.add(a);
    await s.commit();
    expect(b.author).toBe(a);
    expect(b.authorId).toBe(a.id);
    expect(await storedBooks(a.id)).toEqual(['indexed']);
  });
});
