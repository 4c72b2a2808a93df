/** The ORM workloads' tables, the same on every database but for the datetime type's name. */
import type { OrmTables } from './types';

export function ormTables(prefix: string): OrmTables {
  return {
    items: `${prefix}items`,
    inserts: `${prefix}items_ins`,
    updates: `${prefix}items_upd`,
    authors: `${prefix}authors`,
    books: `${prefix}books`,
  };
}

export function ormDdl(t: OrmTables, datetime: 'DATETIME' | 'TIMESTAMP'): string[] {
  const item = (name: string) =>
    `CREATE TABLE ${name} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, score INTEGER NOT NULL, created_at ${datetime} NOT NULL)`;
  return [
    item(t.items),
    item(t.inserts),
    item(t.updates),
    `CREATE TABLE ${t.authors} (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`,
    `CREATE TABLE ${t.books} (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES ${t.authors} (id), title TEXT NOT NULL)`,
    `CREATE INDEX ${t.books}_author ON ${t.books} (author_id)`,
  ];
}

/** Books per author in the loading workloads (issue #15: 1,000 parents × 10 children). */
export const CHILDREN_PER_PARENT = 10;

/** Authors 1..n, and books 1..10n, ten per author. */
export function authorsAndBooks(n: number) {
  const authors = Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `author ${i + 1}` }));
  const books = Array.from({ length: n * CHILDREN_PER_PARENT }, (_, i) => ({
    id: i + 1,
    authorId: Math.floor(i / CHILDREN_PER_PARENT) + 1,
    title: `book ${i + 1}`,
  }));
  return { authors, books };
}

export interface AuthorRow {
  id: number;
  books: unknown[];
}

/** The raw joined baseline's fold: one row per (author, book), each author once with its books. */
export function foldJoinedRows(rows: { id: number; name: string; book_id: number | null; author_id: number | null; title: string | null }[]): number {
  const byId = new Map<number, AuthorRow>();
  let n = 0;
  for (const r of rows) {
    let p = byId.get(r.id);
    if (p === undefined) byId.set(r.id, (p = { id: r.id, books: [] }));
    if (r.book_id !== null) {
      p.books.push({ id: r.book_id, author_id: r.author_id, title: r.title });
      n++;
    }
  }
  return n;
}

/** The raw baselines' attach step: each child onto its parent's list, by a map of the parents. */
export function attachChildren(parents: AuthorRow[], children: { author_id: number }[]): number {
  const byId = new Map<number, AuthorRow>();
  for (const p of parents) {
    p.books = [];
    byId.set(p.id, p);
  }
  for (const c of children) byId.get(c.author_id)!.books.push(c);
  return parents.reduce((n, p) => n + p.books.length, 0);
}
