/**
 * What Athanor does, on in-memory SQLite. Core: a schema, DDL, inserts, a typed query with
 * a join and an aggregate, an update inside a transaction, one statement compiled for all
 * three dialects. The ORM: mapped classes, a unit of work, a selectin load, the identity
 * map and change tracking. Each SQL statement it runs is printed (echo) with the rows that
 * come back. Run it with `pnpm demo`.
 */
import {
  Column,
  ForeignKey,
  Integer,
  MetaData,
  String,
  Table,
  and,
  createEngine,
  desc,
  func,
  insert,
  select,
  update,
} from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload } from '@athanor/orm';
import { MySQLDialect } from '@athanor/dialect-mysql';
import { PostgresDialect } from '@athanor/dialect-postgres';
import { SQLiteDialect } from '@athanor/dialect-sqlite';

const print = (line: string) => console.log(`  ${line}`);
const engine = createEngine('sqlite://', { echo: (sql) => print(`SQL> ${sql}`) });
const metadata = new MetaData();

const users = new Table('users', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(50), { nullable: false }),
  age: Column(Integer),
});
const addresses = new Table('addresses', metadata, {
  id: Column(Integer, { primaryKey: true }),
  userId: Column(Integer, ForeignKey('users.id', { onDelete: 'CASCADE' }), { name: 'user_id', nullable: false }),
  email: Column(String(100), { nullable: false, unique: true }),
});

console.log('1. Create the tables (in foreign-key order)');
await metadata.createAll(engine);

console.log('\n2. Insert rows: an executemany becomes one multi-row INSERT');
await engine.begin(async (conn) => {
  await conn.execute(insert(users), [
    { name: 'spongebob', age: 30 },
    { name: 'sandy', age: 25 },
    { name: 'patrick', age: 19 },
  ]);
  await conn.execute(insert(addresses), [
    { userId: 1, email: 'spongebob@example.com' },
    { userId: 2, email: 'sandy@example.com' },
    { userId: 2, email: 'sandy@example.org' },
  ]);
});

console.log('\n3. A typed query: rows are { name: string; n: number }');
const stmt = select(users.c.name, func.count(addresses.c.id).label('n'))
  .join(addresses, users.c.id.eq(addresses.c.userId))
  .where(and(users.c.age.gt(20), users.c.name.like('s%')))
  .groupBy(users.c.name)
  .orderBy(desc('n'));
const rows: { name: string; n: number }[] = await engine.connect(async (conn) => (await conn.execute(stmt)).all());
print(`rows: ${JSON.stringify(rows)}`);

console.log('\n4. An UPDATE in a transaction; rowcount is the number of matched rows');
const changed = await engine.begin(async (conn) => (await conn.execute(update(users).values({ age: users.c.age.add(1) }).where(users.c.age.lt(26)))).rowcount);
print(`rowcount: ${changed}`);
const ages = await engine.connect(async (conn) => (await conn.execute(select(users.c.name, users.c.age).orderBy(users.c.id))).all());
print(`ages: ${JSON.stringify(ages)}`);

console.log('\n5. The same query compiled for each dialect (no database needed)');
for (const dialect of [new SQLiteDialect(), new PostgresDialect(), new MySQLDialect()]) {
  const { sql, params } = stmt.compile(dialect);
  print(`${dialect.name.padEnd(10)} ${sql}`);
  print(`${''.padEnd(10)} params: ${JSON.stringify(params)}`);
}
print(`${'generic'.padEnd(10)} ${stmt}`);

console.log('\n6. The ORM: classes mapped to tables, relationships declared once both exist');
const Base = declarativeBase();
class Author extends Base.mapped('author', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(50), { nullable: false }),
}) {
  declare books: Book[];
}
class Book extends Base.mapped('book', {
  id: Column(Integer, { primaryKey: true }),
  title: Column(String(100), { nullable: false }),
  authorId: Column(Integer, ForeignKey('author.id'), { name: 'author_id', nullable: false }),
}) {
  declare author: Author;
}
Base.relationships(Author, { books: relationship(Book, { backPopulates: 'author', cascade: 'all, delete-orphan' }) });
Base.relationships(Book, { author: relationship(Author, { backPopulates: 'books' }) });
await Base.metadata.createAll(engine);

console.log('\n7. A unit of work: new objects join the session, one flush writes them at commit');
{
  await using session = new Session(engine);
  const ursula = new Author({ name: 'Ursula K. Le Guin' });
  ursula.books.push(new Book({ title: 'A Wizard of Earthsea' }), new Book({ title: 'The Dispossessed' }));
  const terry = new Author({ name: 'Terry Pratchett' });
  terry.books.push(new Book({ title: 'Small Gods' }));
  session.add(ursula); // its books follow (save-update cascade)
  session.add(terry);
  await session.commit(); // authors first, then books with author_id set from the new keys
}

console.log('\n8. A selectin load: the authors, then the books of all of them in one more query');
{
  await using session = new Session(engine);
  const authors = (await session.scalars(select(Author).orderBy(Author.c.name).options(selectinload(Author, 'books')))).all();
  for (const author of authors) print(`${author.name}: ${author.books.map((b) => b.title).join(', ')}`);

  console.log('\n9. The identity map: one object per row in a session; get() by key runs no query');
  const again = await session.get(Author, authors[0].id);
  print(`session.get(Author, ${authors[0].id}) === authors[0]: ${again === authors[0]}`);

  console.log('\n10. Change tracking: only the changed column is written, at the next flush');
  const [terry, ursula] = authors;
  terry.name = 'Sir Terry Pratchett';
  ursula.books.pop(); // delete-orphan: the book's row is deleted
  await session.commit();
}

await engine.dispose();
console.log(`
Next: the guide (apps/docs/guide/getting-started.md, or \`pnpm --filter @athanor/docs dev\` for the site),
the ORM's Session page (apps/docs/orm/session.md), and examples/ for more programs.`);
