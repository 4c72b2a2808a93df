/**
 * One fresh database per test file and database kind: the models' tables created before
 * the tests, an echo log of the SQL, and `rows()` that reads back what is really stored
 * through Core on a connection of its own (not through the session under test).
 */
import { type ClauseElement, type Engine, type EngineOptions, type MetaData, createEngine } from '@athanor/core';
import type { FreshDatabase, TestDatabase } from './databases';

/** echo lines end with the elapsed time (`[0.12 ms]`); the assertions compare the SQL. */
export const withoutTiming = (line: string) => line.replace(/ \[(failed after )?[\d.]+ ms\]$/, '');

export interface LiveDatabase {
  readonly engine: Engine;
  /** Where the fresh database is, to open another engine on it. */
  readonly url: string;
  readonly options: EngineOptions;
  /** Every statement the engine ran, in order, without timings. */
  readonly log: string[];
  /** The rows a Core statement returns on a connection outside any session. */
  rows<R = Record<string, unknown>>(stmt: ClauseElement): Promise<R[]>;
  /** The statements logged since `mark` (an index into `log`) that write: INSERT, UPDATE, DELETE. */
  writes(mark: number): string[];
}

export function useLiveDatabase(db: TestDatabase, ...metadatas: MetaData[]): LiveDatabase {
  let fresh: FreshDatabase;
  let engine: Engine;
  const log: string[] = [];
  beforeAll(async () => {
    fresh = await db.fresh();
    engine = createEngine(fresh.url, { ...fresh.options, echo: (l) => log.push(withoutTiming(l)) });
    for (const m of metadatas) await m.createAll(engine);
  });
  afterAll(async () => {
    await engine?.dispose();
    await fresh?.drop();
  });
  return {
    get engine() {
      return engine;
    },
    get url() {
      return fresh.url;
    },
    get options() {
      return fresh.options;
    },
    log,
    rows: (stmt) => engine.connect(async (c) => (await c.execute(stmt as any)).all() as any[]),
    writes: (mark) => log.slice(mark).filter((l) => /^(INSERT|UPDATE|DELETE)/.test(l)),
  };
}
