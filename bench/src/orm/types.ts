/**
 * What one ORM offers the ORM workloads. Every contender maps the same tables with the same
 * columns and answers with its own entity objects.
 */
import type { Item } from '../data';

/** Table names of one run (prefixed on the servers). */
export interface OrmTables {
  /** 10,000 rows: get by primary key, fetch. */
  items: string;
  /** Emptied before every insert sample. */
  inserts: string;
  /** 10,000 rows the flush workloads change. */
  updates: string;
  /** 1,000 parents and 10,000 children for the loading workloads. */
  authors: string;
  books: string;
}

/** The mutable columns of an entity, as every ORM exposes them: plain properties. */
export interface Row {
  id: number;
  name: string;
  score: number;
}

/** A session/EntityManager holding `objects`, loaded clean from the updates table. */
export interface LoadedSession {
  objects: Row[];
  /** Writes the changes made to `objects` (the ORM's flush). */
  flush(): Promise<void>;
  /** Flush and commit. */
  commit(): Promise<void>;
  /** Untimed: ends the session (rolls back what was not committed). */
  close(): Promise<void>;
}

export interface OrmAdapter {
  name: string;
  /** A new session (empty identity map) per call. */
  get(id: number): Promise<Row | null>;
  fetchAll(): Promise<Row[]>;
  /** Untimed setup: a new session with the first `n` rows of the updates table loaded. */
  load(n: number): Promise<LoadedSession>;
  /** False when the ORM tracks no changes in loaded objects (TypeORM): its "flush one among N" would be another operation. */
  tracksChanges: boolean;
  /** New entities for `rows`, added to a new session, flushed and committed. */
  insert(rows: readonly Item[]): Promise<void>;
  /** Every author with its books, the books loaded by a second query (selectin); answers the number of books. */
  selectin(): Promise<number>;
  /** The same in one query (LEFT OUTER JOIN); absent when the adapter does not offer it. */
  joined?(): Promise<number>;
  /** The same in one query, the books aggregated as JSON by the database; absent when the adapter does not offer it. */
  jsonload?(): Promise<number>;
  close(): Promise<void>;
}
