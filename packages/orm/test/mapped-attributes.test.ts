/**
 * Mapped attributes beyond columns: column properties (SQL-computed, loaded with the
 * object), hybrid properties and methods (TypeScript on instances, SQL in statements) and
 * deferred columns with defer/undefer/loadOnly. Every value read through the ORM is checked
 * against the same row read with Core on a connection of its own.
 */
import { Column, ForeignKey, InvalidRequestError, Integer, String, Text, func, select } from '@athanor/core';
import { Session, aliased, columnProperty, declarativeBase, defer, joinedload, loadOnly, relationship, selectinload, undefer } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();

class Author extends Base.mapped(
  'ma_author',
  {
    id: Column(Integer, { primaryKey: true }),
    first: Column(String(30), { nullable: false }),
    last: Column(String(30), { nullable: false }),
    bio: Column(Text),
  },
  { deferred: ['bio'] },
) {
  declare readonly fullName: string;
  declare readonly bookCount: number;
  declare readonly lastFirst: string;
  declare firstLast: string;
  declare books: Book[];
}

class Book extends Base.mapped('ma_book', {
  id: Column(Integer, { primaryKey: true }),
  title: Column(String(60), { nullable: false }),
  pages: Column(Integer, { nullable: false }),
  authorId: Column(Integer, ForeignKey('ma_author.id'), { name: 'author_id', nullable: false }),
}) {
  declare author: Author;
  declare readonly isLong: boolean;
  declare hasMorePagesThan: (n: number) => boolean;
  declare readonly titleLength: number | null;
}

Base.relationships(Author, { books: relationship(Book, { backPopulates: 'author' }) });
Base.relationships(Book, { author: relationship(Author, { backPopulates: 'books' }) });

const AuthorProps = Base.columnProperties(Author, {
  fullName: columnProperty(Author.c.first.concat(' ').concat(Author.c.last)),
  bookCount: columnProperty(func.coalesce(select(func.count()).where(Book.c.authorId.eq(Author.c.id)).scalarSubquery(), 0)),
});
const AuthorHybrids = Base.hybrids(Author, {
  lastFirst: { get: (a) => `${a.last}, ${a.first}`, expression: (c) => c.last.concat(', ').concat(c.first) },
  firstLast: {
    get: (a) => `${a.first} ${a.last}`,
    set: (a, v) => {
      const at = v.indexOf(' ');
      a.first = v.slice(0, at);
      a.last = v.slice(at + 1);
    },
    expression: (c) => c.first.concat(' ').concat(c.last),
  },
});
const BookProps = Base.columnProperties(Book, { titleLength: columnProperty(func.length(Book.c.title), { deferred: true }) });
const BookHybrids = Base.hybrids(Book, {
  isLong: { get: (b) => b.pages > 300, expression: (c) => c.pages.gt(300) },
  hasMorePagesThan: { method: (b, n) => b.pages > n, expression: (c, n) => c.pages.gt(n) },
});

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const selects = (mark: number) => live.log.slice(mark).filter((l) => /^SELECT/.test(l));

  beforeAll(async () => {
    await using s = new Session(live.engine);
    const ursula = new Author({ id: 1, first: 'Ursula', last: 'Le Guin', bio: 'Wrote Earthsea.' });
    const ted = new Author({ id: 2, first: 'Ted', last: 'Chiang', bio: null });
    ursula.books.push(new Book({ id: 1, title: 'A Wizard of Earthsea', pages: 183 }), new Book({ id: 2, title: 'The Dispossessed', pages: 387 }));
    ted.books.push(new Book({ id: 3, title: 'Exhalation', pages: 350 }));
    s.addAll([ursula, ted]);
    await s.commit();
  });

  /** The default SELECT of Author, per dialect: no bio, the column properties computed by the database. */
  const authorSelect: Record<string, string> = {
    sqlite:
      'SELECT ma_author.id, ma_author."first", ma_author."last", ma_author."first" || ? || ma_author."last", coalesce((SELECT count(*) AS count FROM ma_book WHERE ma_book.author_id = ma_author.id), ?) FROM ma_author',
    postgresql:
      'SELECT ma_author.id, ma_author.first, ma_author.last, ma_author.first || $1 || ma_author.last, coalesce((SELECT count(*) AS count FROM ma_book WHERE ma_book.author_id = ma_author.id), $2) FROM ma_author',
    mariadb:
      'SELECT ma_author.id, ma_author.first, ma_author.last, concat(concat(ma_author.first, ?), ma_author.last), coalesce((SELECT count(*) AS count FROM ma_book WHERE ma_book.author_id = ma_author.id), ?) FROM ma_author',
  };

  /** What Core reads for each author: the columns and the same expressions the properties are made of. */
  async function coreAuthors() {
    return live.rows<{ id: number; first: string; bio: string | null; fullName: string; bookCount: number; lastFirst: string }>(
      select(
        Author.c.id,
        Author.c.first,
        Author.c.bio,
        AuthorProps.fullName.label('fullName'),
        AuthorProps.bookCount.label('bookCount'),
        AuthorHybrids.lastFirst.label('lastFirst'),
      ).orderBy(Author.c.id),
    );
  }

  test('select(Author) leaves the deferred column out and loads the column properties: exact SQL, values as Core reads them', async () => {
    const mark = live.log.length;
    await using s = new Session(live.engine);
    const authors = (await s.scalars(select(Author).orderBy(Author.c.id))).all();
    expect(selects(mark)).toEqual([`${authorSelect[db.name]} ORDER BY ma_author.id -- [" ",0]`]);
    const core = await coreAuthors();
    expect(core.map((r) => [r.id, r.fullName, Number(r.bookCount), r.lastFirst])).toEqual([
      [1, 'Ursula Le Guin', 2, 'Le Guin, Ursula'],
      [2, 'Ted Chiang', 1, 'Chiang, Ted'],
    ]);
    expect(authors.map((a) => [a.id, a.fullName, a.bookCount, a.lastFirst])).toEqual(core.map((r) => [r.id, r.fullName, Number(r.bookCount), r.lastFirst]));
    expect(() => authors[0].bio).toThrow(InvalidRequestError);
    expect(() => authors[0].bio).toThrow(/Author\.bio is deferred .*awaitableAttrs\.bio.*undefer/);
    expect(authors[0].toJSON()).toEqual({ id: 1, first: 'Ursula', last: 'Le Guin', fullName: 'Ursula Le Guin', bookCount: 2 });
  });

  test('a deferred column loads by awaitableAttrs, by refresh naming it, or by undefer() in the query (only then is it selected)', async () => {
    const core = await coreAuthors();
    await using s = new Session(live.engine);
    const [ursula, ted] = (await s.scalars(select(Author).orderBy(Author.c.id))).all();
    let mark = live.log.length;
    expect(await ursula.awaitableAttrs.bio).toBe(core[0].bio);
    expect(ursula.bio).toBe('Wrote Earthsea.');
    expect(selects(mark)).toHaveLength(1);
    expect(selects(mark)[0]).toMatch(/^SELECT ma_author\.bio FROM ma_author WHERE ma_author\.id = /);
    mark = live.log.length;
    await s.refresh(ted, ['bio']);
    expect(ted.bio).toBeNull();
    expect(selects(mark)[0]).toMatch(/^SELECT ma_author\.bio FROM ma_author WHERE/);

    await using s2 = new Session(live.engine);
    mark = live.log.length;
    const loaded = (await s2.scalars(select(Author).options(undefer(Author.c.bio)).orderBy(Author.c.id))).all();
    expect(loaded.map((a) => a.bio)).toEqual(core.map((r) => r.bio));
    expect(loaded.map((a) => a.fullName)).toEqual(core.map((r) => r.fullName));
    expect(selects(mark)[0]).toMatch(/^SELECT ma_author\.id, ma_author\."?first"?, ma_author\."?last"?, ma_author\.bio, /);
  });

  test('defer() and loadOnly() leave columns and column properties unloaded; reading them raises, the flush writes none of them', async () => {
    await using s = new Session(live.engine);
    let mark = live.log.length;
    const [u] = (await s.scalars(select(Author).where(Author.c.id.eq(1)).options(defer(Author.c.last, AuthorProps.bookCount)))).all();
    // id, first and fullName: not last, bio (deferred by the mapper) or bookCount.
    const first = { sqlite: 'ma_author."first"', postgresql: 'ma_author.first', mariadb: 'ma_author.first' }[db.name];
    const fullName = {
      sqlite: 'ma_author."first" || ? || ma_author."last"',
      postgresql: 'ma_author.first || $1 || ma_author.last',
      mariadb: 'concat(concat(ma_author.first, ?), ma_author.last)',
    }[db.name];
    const param = db.name === 'postgresql' ? '$2' : '?';
    expect(selects(mark)).toEqual([`SELECT ma_author.id, ${first}, ${fullName} FROM ma_author WHERE ma_author.id = ${param} -- [" ",1]`]);
    expect(u.first).toBe('Ursula');
    expect(u.fullName).toBe('Ursula Le Guin');
    expect(() => u.last).toThrow(/Author\.last is not loaded/);
    expect(() => u.bookCount).toThrow(/Author\.bookCount is not loaded/);

    await using s2 = new Session(live.engine);
    mark = live.log.length;
    const [t] = (await s2.scalars(select(Author).where(Author.c.id.eq(2)).options(loadOnly(Author.c.first)))).all();
    expect(selects(mark)).toEqual([`SELECT ma_author.id, ${first} FROM ma_author WHERE ma_author.id = ${db.name === 'postgresql' ? '$1' : '?'} -- [2]`]);
    expect(() => t.fullName).toThrow(InvalidRequestError);
    await s.commit();
    t.first = 'Theodore';
    mark = live.log.length;
    await s2.commit();
    const writes = live.writes(mark);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^UPDATE ma_author SET "?first"? = \S+ WHERE ma_author\.id = /);
    expect((await live.rows(select(Author.c.first, Author.c.last, Author.c.bio).where(Author.c.id.eq(2))))[0]).toEqual({ first: 'Theodore', last: 'Chiang', bio: null });
    await using s3 = new Session(live.engine);
    const again = await s3.get(Author, 2);
    again!.first = 'Ted';
    await s3.commit();
  });

  test('a loaded deferred value survives a later query that defers it; populateExisting unloads it, as SQLAlchemy does', async () => {
    await using s = new Session(live.engine);
    const u = (await s.scalars(select(Author).where(Author.c.id.eq(1)).options(undefer(Author.c.bio)))).one();
    expect(u.bio).toBe('Wrote Earthsea.');
    const again = (await s.scalars(select(Author).where(Author.c.id.eq(1)))).one();
    expect(again).toBe(u);
    expect(u.bio).toBe('Wrote Earthsea.');
    await s.commit();
    await live.engine.connect((c) => c.execute(Author.table.update().values({ bio: 'Changed elsewhere.' }).where(Author.c.id.eq(1))));
    // Not even a query that selects it overwrites a loaded value (the identity map's object is kept as it is).
    const fresh = (await s.scalars(select(Author).where(Author.c.id.eq(1)).options(undefer(Author.c.bio)))).one();
    expect(fresh).toBe(u);
    expect(u.bio).toBe('Wrote Earthsea.');
    await s.refresh(u, ['bio']);
    expect(u.bio).toBe('Changed elsewhere.');
    const populated = (await s.scalars(select(Author).where(Author.c.id.eq(1)), undefined, { populateExisting: true })).one();
    expect(populated).toBe(u);
    expect(() => u.bio).toThrow(/deferred/);
    expect(u.fullName).toBe('Ursula Le Guin');
    await s.commit();
    await live.engine.connect((c) => c.execute(Author.table.update().values({ bio: 'Wrote Earthsea.' }).where(Author.c.id.eq(1))));
  });

  test('an object a query returned without a column gets it from a later query that selects it', async () => {
    await using s = new Session(live.engine);
    const u = (await s.scalars(select(Author).where(Author.c.id.eq(2)).options(loadOnly(Author.c.first)))).one();
    expect(() => u.last).toThrow(InvalidRequestError);
    const same = (await s.scalars(select(Author).where(Author.c.id.eq(2)).options(undefer(Author.c.bio)))).one();
    expect(same).toBe(u);
    expect([u.last, u.bio, u.fullName, u.bookCount]).toEqual(['Chiang', null, 'Ted Chiang', 1]);
  });

  test('get(), selectinload and joinedload load the default plan: no deferred column, column properties computed', async () => {
    await using s = new Session(live.engine);
    let mark = live.log.length;
    const u = await s.get(Author, 1);
    expect(selects(mark)[0].startsWith(`${authorSelect[db.name]} WHERE ma_author.id = `)).toBe(true);
    expect([u!.fullName, u!.bookCount]).toEqual(['Ursula Le Guin', 2]);

    await using s2 = new Session(live.engine);
    mark = live.log.length;
    const books = (await s2.scalars(select(Book).orderBy(Book.c.id).options(selectinload(Book, 'author')))).all();
    expect(books.map((b) => b.author.fullName)).toEqual(['Ursula Le Guin', 'Ursula Le Guin', 'Ted Chiang']);
    expect(selects(mark)[1].startsWith(`${authorSelect[db.name]} WHERE ma_author.id IN (`)).toBe(true);

    // Author's column properties are computed on the join's alias: one statement.
    await using s3 = new Session(live.engine);
    mark = live.log.length;
    const joined = (await s3.scalars(select(Book).orderBy(Book.c.id).options(joinedload(Book, 'author')))).all();
    expect(joined.map((b) => [b.author.id, b.author.bookCount])).toEqual([
      [1, 2],
      [1, 2],
      [2, 1],
    ]);
    expect(selects(mark)).toHaveLength(1);
    // The subquery keeps ma_book in its own FROM although the query selects from ma_book too.
    expect(selects(mark)[0]).toContain('(SELECT count(*) AS count FROM ma_book WHERE ma_book.author_id = ma_author_j1.id)');
    expect(() => joined[0].author.bio).toThrow(/deferred/);
    expect(joined.map((b) => b.author.fullName)).toEqual(['Ursula Le Guin', 'Ursula Le Guin', 'Ted Chiang']);

    await using s4 = new Session(live.engine);
    const withBooks = (await s4.scalars(select(Author).orderBy(Author.c.id).options(joinedload(Author, 'books')))).all();
    expect(withBooks.map((a) => [a.fullName, a.books.map((b) => b.title).sort()])).toEqual([
      ['Ursula Le Guin', ['A Wizard of Earthsea', 'The Dispossessed']],
      ['Ted Chiang', ['Exhalation']],
    ]);
  });

  test('aliased(Author) selects the default columns from the alias, and the column properties computed on the alias', async () => {
    await using s = new Session(live.engine);
    const other = aliased(Author, 'other');
    const mark = live.log.length;
    const rows = (await s.execute(select(other).where(other.c.id.eq(2)))).all();
    expect(selects(mark)[0]).toContain('(SELECT count(*) AS count FROM ma_book WHERE ma_book.author_id = other.id)');
    expect(selects(mark)[0]).not.toMatch(/bio/);
    const t = rows[0].other;
    expect([t.id, t.first, t.last, t.fullName, t.bookCount]).toEqual([2, 'Ted', 'Chiang', 'Ted Chiang', 1]);
    expect(() => t.bio).toThrow(/deferred/);
  });

  test('a query joining the subquery\'s table keeps the column property correlated to its own row', async () => {
    await using s = new Session(live.engine);
    const authors = (await s.scalars(select(Author).join(Book.table, Book.c.authorId.eq(Author.c.id)).where(Book.c.pages.gt(300)).orderBy(Author.c.id))).all();
    const core = await coreAuthors();
    expect(authors.map((a) => [a.id, a.bookCount])).toEqual(core.map((r) => [r.id, Number(r.bookCount)]));
    expect(authors.map((a) => a.bookCount)).toEqual([2, 1]);
    const byHandle = (await s.scalars(select(Author).join(Book.table, Book.c.authorId.eq(Author.c.id)).where(AuthorProps.bookCount.eq(1)))).all();
    expect(byHandle.map((a) => a.id)).toEqual([2]);
  });

  test('column options combine with loader options: joinedload of a collection under LIMIT (page subquery) and selectinload', async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const [u] = (await s.scalars(select(Author).orderBy(Author.c.id).limit(1).options(joinedload(Author, 'books'), undefer(Author.c.bio)))).all();
    expect(selects(mark)).toHaveLength(1);
    expect(selects(mark)[0]).toMatch(/athanor_page/);
    expect([u.id, u.bio, u.fullName, u.books.map((b) => b.id).sort()]).toEqual([1, 'Wrote Earthsea.', 'Ursula Le Guin', [1, 2]]);
    await using s2 = new Session(live.engine);
    const t = (await s2.scalars(select(Author).where(Author.c.id.eq(2)).options(selectinload(Author, 'books'), loadOnly(Author.c.last)))).one();
    expect([t.last, t.books.map((b) => b.title)]).toEqual(['Chiang', ['Exhalation']]);
    expect(() => t.first).toThrow(/not loaded/);
  });

  test('a column property is read-only, unknown on a new object, and read again after an UPDATE changes what it is computed from', async () => {
    expect(() => new Author({ first: 'a', last: 'b', fullName: 'x' } as never)).toThrow(/column property/);
    await using s = new Session(live.engine);
    const n = new Author({ id: 3, first: 'Octavia', last: 'Butler' });
    expect(n.fullName).toBeUndefined();
    expect(() => {
      (n as { fullName: string }).fullName = 'x';
    }).toThrow(/read-only/);
    s.add(n);
    await s.flush();
    expect(() => n.fullName).toThrow(InvalidRequestError);
    await s.refresh(n);
    expect([n.fullName, n.bookCount]).toEqual(['Octavia Butler', 0]);
    // Inserted without a bio: the row's NULL is known, no query needed.
    expect(n.bio).toBeNull();
    n.last = 'E. Butler';
    await s.flush();
    expect(() => n.fullName).toThrow(/not loaded/);
    expect(await n.awaitableAttrs.fullName).toBe('Octavia E. Butler');
    // Setting a deferred column without loading it writes it.
    s.expire(n, ['bio']);
    expect(() => n.bio).toThrow(/expired/);
    n.bio = 'Kindred.';
    const mark = live.log.length;
    await s.commit();
    expect(live.writes(mark)).toHaveLength(1);
    expect((await live.rows(select(Author.c.last, Author.c.bio, AuthorProps.fullName.label('fullName')).where(Author.c.id.eq(3))))[0]).toEqual({
      last: 'E. Butler',
      bio: 'Kindred.',
      fullName: 'Octavia E. Butler',
    });
    await using s2 = new Session(live.engine);
    await s2.delete((await s2.get(Author, 3))!);
    await s2.commit();
  });

  test('refresh() reloads the column properties and the deferred columns the object has loaded', async () => {
    await using s = new Session(live.engine);
    const u = (await s.scalars(select(Author).where(Author.c.id.eq(1)).options(undefer(Author.c.bio)))).one();
    const t = (await s.scalars(select(Author).where(Author.c.id.eq(2)))).one();
    const mark = live.log.length;
    await s.refresh(u);
    await s.refresh(t);
    expect(selects(mark)[0]).toMatch(/ma_author\.bio/);
    expect(selects(mark)[1]).not.toMatch(/ma_author\.bio/);
    expect([u.bio, u.fullName, u.bookCount]).toEqual(['Wrote Earthsea.', 'Ursula Le Guin', 2]);
    expect(() => t.bio).toThrow(/deferred/);
    expect(t.bookCount).toBe(1);
  });

  test('hybrids: the instance side in TypeScript and the class side in SQL give the same answers', async () => {
    await using s = new Session(live.engine);
    const byHybrid = (await s.scalars(select(Author).where(AuthorHybrids.lastFirst.eq('Chiang, Ted')))).all();
    expect(byHybrid.map((a) => a.id)).toEqual([2]);
    const ordered = (await s.scalars(select(Author).orderBy(AuthorHybrids.lastFirst))).all();
    expect(ordered.map((a) => a.lastFirst)).toEqual(['Chiang, Ted', 'Le Guin, Ursula']);
    const long = (await s.scalars(select(Book).where(BookHybrids.isLong).orderBy(Book.c.id))).all();
    expect(long.map((b) => b.id)).toEqual([2, 3]);
    const books = (await s.scalars(select(Book).orderBy(Book.c.id))).all();
    expect(books.filter((b) => b.isLong).map((b) => b.id)).toEqual([2, 3]);
    const over200 = (await s.scalars(select(Book).where(BookHybrids.hasMorePagesThan(200)).orderBy(Book.c.id))).all();
    expect(over200.map((b) => b.id)).toEqual(books.filter((b) => b.hasMorePagesThan(200)).map((b) => b.id));
    expect(over200.map((b) => b.id)).toEqual([2, 3]);
    const core = await live.rows<{ id: number; long: unknown }>(select(Book.c.id, BookHybrids.isLong.label('long')).orderBy(Book.c.id));
    expect(core.map((r) => [r.id, Boolean(r.long)])).toEqual(books.map((b) => [b.id, b.isLong]));
    // By a column property too.
    const byProp = (await s.scalars(select(Author).where(AuthorProps.bookCount.gt(1)))).all();
    expect(byProp.map((a) => a.id)).toEqual([1]);
  });

  test('a deferred column property is left out until undefer() names its handle; its value is what the database computes', async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const books = (await s.scalars(select(Book).orderBy(Book.c.id))).all();
    expect(selects(mark)[0]).not.toMatch(/length/);
    expect(() => books[0].titleLength).toThrow(/Book\.titleLength is deferred/);
    const again = (await s.scalars(select(Book).orderBy(Book.c.id).options(undefer(BookProps.titleLength)))).all();
    expect(again).toEqual(books);
    const core = await live.rows<{ n: number }>(select(func.length(Book.c.title).label('n')).orderBy(Book.c.id));
    expect(books.map((b) => b.titleLength)).toEqual(core.map((r) => Number(r.n)));
    expect(books.map((b) => b.titleLength)).toEqual(books.map((b) => b.title.length));
  });

  test('a hybrid property with set(): assigning it sets the columns it is made of, and the flush writes them', async () => {
    await using s = new Session(live.engine);
    const t = (await s.get(Author, 2))!;
    t.firstLast = 'Theodore Chiang-Ted';
    expect([t.first, t.last]).toEqual(['Theodore', 'Chiang-Ted']);
    await s.commit();
    const core = await live.rows(select(Author.c.first, Author.c.last, AuthorHybrids.firstLast.label('fl')).where(Author.c.id.eq(2)));
    expect(core).toEqual([{ first: 'Theodore', last: 'Chiang-Ted', fl: 'Theodore Chiang-Ted' }]);
    expect(() => {
      (t as { lastFirst: string }).lastFirst = 'x';
    }).toThrow(/without set\(\)/);
    t.firstLast = 'Ted Chiang';
    await s.commit();
  });

  test('refused: an option for an entity the statement does not select, a deferred key, an unknown hybrid, an unknown option', async () => {
    await using s = new Session(live.engine);
    await expect(s.execute(select(Book).options(undefer(Author.c.bio)))).rejects.toThrow(/selects no entity that ma_author\.bio belongs to/);
    expect(() => defer(Author.c.id)).toThrow(/primary key/);
    expect(() => defer(Author.c.first.concat('x') as never)).toThrow(/mapped columns/);
  });

  test('refused at declaration: a deferred primary key or unknown column, a column property over a column, deferred columns in an inheritance hierarchy', () => {
    const B = declarativeBase();
    const cols = () => ({ id: Column(Integer, { primaryKey: true }), kind: Column(String(10)), bio: Column(Text) });
    expect(() => B.mapped('r_a', cols(), { deferred: ['id'] })).toThrow(/'id' is a primary key column/);
    expect(() => B.mapped('r_b', cols(), { deferred: ['nope' as 'bio'] })).toThrow(/'nope' is not a column key/);
    class C extends B.mapped('r_c', cols()) {}
    expect(() => B.columnProperties(C, { bio: columnProperty(C.c.kind) } as never)).toThrow(/already a column/);
    expect(() => B.hybrids(C, { kind: { get: () => 'x', expression: (c: typeof C.c) => c.kind } } as never)).toThrow(/name of a column/);
    class P extends B.mapped('r_p', cols(), { polymorphicOn: 'kind', polymorphicIdentity: 'p', deferred: ['bio'] }) {}
    expect(() => new P()).toThrow(/not supported on a class of an inheritance hierarchy/);
  });
});
