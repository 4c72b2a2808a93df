/** Static types of jsonload options and of the N+1 detector option. */
import { Column, ForeignKey, Integer, String, select } from '@athanor/core';
import { type JsonLoadOption, type NPlusOneWarning, Session, declarativeBase, joinedload, jsonload, relationship, selectinPolymorphic, selectinload } from '@athanor/orm';
import { type Equal, expectType } from './assert';

const Base = declarativeBase();
class Author extends Base.mapped('tj_author', { id: Column(Integer, { primaryKey: true }) }) {
  declare books: Book[];
}
class Book extends Base.mapped('tj_book', {
  id: Column(Integer, { primaryKey: true }),
  authorId: Column(Integer, ForeignKey('tj_author.id')),
  title: Column(String(20)),
}) {
  declare author: Author | null;
  declare pages: Page[];
}
class Page extends Base.mapped('tj_page', { id: Column(Integer, { primaryKey: true }), bookId: Column(Integer, ForeignKey('tj_book.id')) }) {}
Base.relationships(Author, { books: relationship(Book, { backPopulates: 'author' }) });
Base.relationships(Book, { author: relationship(Author, { backPopulates: 'books' }), pages: relationship(Page) });

// Each step's option knows the class it loads; the next step must name a relationship of it.
expectType<Equal<ReturnType<typeof jsonload<typeof Author, 'books'>>, JsonLoadOption<Author, ['books'], Book>>>(true);
const chained = jsonload(Author, 'books').jsonload(Book, 'pages');
expectType<Equal<typeof chained, JsonLoadOption<Author, ['books', 'pages'], Page>>>(true);
expectType<Equal<typeof jsonload<typeof Book, 'author'>, (cls: typeof Book, name: 'author') => JsonLoadOption<Book, ['author'], Author>>>(true);

// Load state: the rows know what the option loaded; a relationship it did not load is `never`.
export async function loadState(session: Session): Promise<void> {
  const authors = (await session.scalars(select(Author).options(jsonload(Author, 'books').jsonload(Book, 'pages')))).all();
  const pages: Page[] = authors[0].books[0].pages;
  expectType<Equal<typeof pages, Page[]>>(true);
  expectType<Equal<typeof authors[0]['books'][0]['author'], never>>(true);
}
expectType<Equal<ReturnType<typeof jsonload<typeof Author, 'books', 'pages'>>, JsonLoadOption<Author, ['books', 'pages'], Page>>>(true);
// @ts-expect-error 'pages' is a relationship of Book, not of Author
jsonload(Author, 'pages', 'books');
// @ts-expect-error misspelled relationship
jsonload(Author, 'bookz');
// @ts-expect-error a column is not a relationship
jsonload(Book, 'title');
// @ts-expect-error the previous step loads Book objects, not Author objects
jsonload(Author, 'books').jsonload(Author, 'books');

declare const engine: ConstructorParameters<typeof Session>[0];
new Session(engine, { warnOnNPlusOne: true });
new Session(engine, { warnOnNPlusOne: (w: NPlusOneWarning) => expectType<Equal<typeof w.relationship, string>>(true) });
// @ts-expect-error a string is not a handler
new Session(engine, { warnOnNPlusOne: 'warn' });

// jsonload in a path after another strategy: the same checks and the same load state.
const afterSelectin = selectinload(Author, 'books').jsonload('pages');
expectType<Equal<typeof afterSelectin, JsonLoadOption<Author, ['books', 'pages'], Page>>>(true);
const namedClass = joinedload(Author, 'books').jsonload(Book, 'pages');
expectType<Equal<typeof namedClass, JsonLoadOption<Author, ['books', 'pages'], Page>>>(true);
// @ts-expect-error 'books' is not a relationship of Book
selectinload(Author, 'books').jsonload('books');
// @ts-expect-error the previous step loads Book objects
selectinload(Author, 'books').jsonload(Author, 'books');
export async function pathLoadState(session: Session): Promise<void> {
  const authors = (await session.scalars(select(Author).options(selectinload(Author, 'books').jsonload('pages')))).all();
  const pages: Page[] = authors[0].books[0].pages;
  void pages;
  expectType<Equal<typeof authors[0]['books'][0]['author'], never>>(true);
  // Other strategies after a JSON level.
  const again = (await session.scalars(select(Author).options(jsonload(Author, 'books').selectinload('pages')))).all();
  const pages2: Page[] = again[0].books[0].pages;
  void pages2;
}

// selectinPolymorphic takes subclasses of the entity only.
const PBase = declarativeBase();
class Staff extends PBase.mapped('tj_staff', { id: Column(Integer, { primaryKey: true }), kind: Column(String(10)) }, { polymorphicOn: 'kind', polymorphicIdentity: 'staff' }) {}
class Cook extends PBase.subclass(Staff, { polymorphicIdentity: 'cook', table: 'tj_cook', columns: { id: Column(Integer, ForeignKey('tj_staff.id'), { primaryKey: true }), dish: Column(String(10)) } }) {}
selectinPolymorphic(Staff, [Cook]);
// @ts-expect-error Author is not a Staff
selectinPolymorphic(Staff, [Author]);
