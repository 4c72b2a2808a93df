/**
 * Transactions of one process on one SQLite file wait for each other without blocking the
 * event loop (better-sqlite3's busy wait is synchronous: the transaction holding the lock
 * could never reach its COMMIT). Real files, real locks; a second better-sqlite3 handle
 * stands in for another process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Column,
  DeadlockError,
  type Engine,
  type EngineOptions,
  Integer,
  LockTimeoutError,
  MetaData,
  SerializationError,
  Table,
  createEngine,
  func,
  insert,
  select,
} from '@athanor/core';
import Database from 'better-sqlite3';
import { type SQLiteConnection, athanorDialect } from '../src';

const metadata = new MetaData();
const t = new Table('c', metadata, { id: Column(Integer, { primaryKey: true }), w: Column(Integer) });

let dir: string;
let file: string;
let engine: Engine | undefined;
const handles: Database.Database[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'athanor-lock-'));
  file = join(dir, 'lock.db');
});
afterEach(async () => {
  for (const h of handles.splice(0)) h.close();
  await engine?.dispose();
  engine = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function open(query = '', options: EngineOptions = {}, journal: 'delete' | 'wal' = 'delete'): Promise<Engine> {
  const db = new Database(file);
  db.pragma(`journal_mode = ${journal}`);
  db.close();
  engine = createEngine(`sqlite:///${file}${query}`, { dialect: athanorDialect, ...options });
  await metadata.createAll(engine);
  return engine;
}

/** Another process's handle on the same file (busy_timeout 0: it never waits itself). */
function otherHandle(): Database.Database {
  const h = new Database(file, { timeout: 0 });
  handles.push(h);
  return h;
}

/**
 * How many times the event loop turned (a setImmediate chain) while `work` ran. A synchronous
 * busy wait freezes the loop for the whole wait, leaving a handful of turns at most; the
 * asynchronous wait polls, so the loop keeps turning. A count of events, not a wall-clock bound.
 */
async function loopTurns<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    const result = await work();
    return { result, turns };
  } finally {
    running = false;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `n` transactions in parallel, each writing twice around an await (the trial's repro). */
function writers(e: Engine, n: number, many = false) {
  return Promise.allSettled(
    Array.from({ length: n }, (_, i) =>
      e.begin(async (c) => {
        if (many) await c.execute(insert(t), [{ w: i }, { w: i }]);
        else await c.execute(insert(t).values({ w: i }));
        await pause(10);
        await c.execute(insert(t).values({ w: i }));
      }),
    ),
  );
}

async function rowsByWriter(e: Engine): Promise<number[]> {
  const rows = await e.connect(async (c) => (await c.execute(select(t.c.w).orderBy(t.c.w))).scalars().all());
  return rows as number[];
}

describe('concurrent write transactions on a file database', () => {
  test.each([
    ['rollback journal', 2, 'delete'],
    ['rollback journal', 4, 'delete'],
    ['WAL', 2, 'wal'],
    ['WAL', 4, 'wal'],
  ] as const)('%s: %i writers all commit, without stalling the event loop', async (_name, n, journal) => {
    const e = await open('', {}, journal);
    const result = await writers(e, n);
    expect(result.map((r) => r.status)).toEqual(Array(n).fill('fulfilled'));
    expect(await rowsByWriter(e)).toEqual(Array.from({ length: n }, (_, i) => [i, i]).flat());
    // Before the fix the waiting writer froze the loop for the whole 5000 ms busy timeout: the
    // writer holding the lock could not reach its COMMIT, and the waiter failed. All committing
    // proves the loop ran while they waited.
  });

  test('through the asynchronous path too: executemany and echo', async () => {
    const e = await open('', { echo: () => {} });
    const result = await writers(e, 3, true);
    expect(result.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(await rowsByWriter(e)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });

  test('COMMIT waits for a reading transaction to end (rollback journal)', async () => {
    const e = await open();
    let readerHasRead!: () => void;
    const read = new Promise<void>((r) => (readerHasRead = r));
    const reader = e.begin(
      async (c) => {
        const n = await c.scalar(select(func.count()).selectFrom(t));
        readerHasRead();
        await pause(100); // holds its shared lock meanwhile: the writer's COMMIT cannot take the file
        return n;
      },
      { readOnly: true },
    );
    await read;
    // The reader must get the loop back to end its transaction: a frozen loop fails this COMMIT.
    const result = await e.begin((c) => c.execute(insert(t).values({ w: 1 })));
    expect(result.rowcount).toBe(1);
    expect(await reader).toBe(0);
    expect(await rowsByWriter(e)).toEqual([1]);
  });
});

describe('waiting for another process', () => {
  test('a write waits for the lock asynchronously and proceeds once it is free', async () => {
    const e = await open('?timeout=5000');
    const other = otherHandle();
    other.exec('BEGIN IMMEDIATE');
    other.prepare('INSERT INTO c (w) VALUES (9)').run();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    setTimeout(() => other.exec('COMMIT'), 300);
    try {
      await e.begin((c) => c.execute(insert(t).values({ w: 1 })));
    } finally {
      clearInterval(ticker);
    }
    expect(ticks).toBeGreaterThan(5); // the process kept running during the wait
    expect(await rowsByWriter(e)).toEqual([1, 9]);
  });

  test('reads and streams wait out an exclusive lock', async () => {
    const e = await open();
    await e.begin((c) => c.execute(insert(t).values({ w: 1 })));
    const other = otherHandle();
    other.exec('BEGIN EXCLUSIVE');
    setTimeout(() => other.exec('ROLLBACK'), 200);
    // The other handle lets go from a timer: only a running loop gets there before the busy timeout.
    const result = await e.connect(async (c) => {
      const streamed: unknown[] = [];
      for await (const row of c.stream(select(t.c.w))) streamed.push(row.w);
      return [await c.scalar(select(func.count()).selectFrom(t)), streamed];
    });
    expect(result).toEqual([1, [1]]);
  });

  test('past the timeout: LockTimeoutError, and the event loop ran meanwhile', async () => {
    const e = await open('?timeout=1000');
    const other = otherHandle();
    other.exec('BEGIN IMMEDIATE');
    const { result, turns } = await loopTurns(() => e.connect((c) => c.execute(insert(t).values({ w: 1 }))).catch((err: unknown) => err));
    expect(result).toBeInstanceOf(LockTimeoutError);
    expect((result as Error).message).toMatch(/database is locked.*timeout \(1000 ms/);
    // The wait polls with SQLite's busy delays (1, 2, 5 ... 100 ms): about 19 timers in 1000 ms,
    // each a turn of the loop however loaded the machine; a frozen loop turns once or twice.
    expect(turns).toBeGreaterThan(10);
    other.exec('ROLLBACK');
    expect(await rowsByWriter(e)).toEqual([]);
  });

  test('a COMMIT that times out rolls back: the pooled connection holds no transaction', async () => {
    const e = await open('?timeout=300', { poolSize: 1 });
    const other = otherHandle();
    other.exec('BEGIN');
    other.prepare('SELECT count(*) FROM c').get(); // a shared lock: COMMIT cannot take the file
    const failed = e.begin((c) => c.execute(insert(t).values({ w: 1 })));
    await expect(failed).rejects.toBeInstanceOf(LockTimeoutError);
    other.exec('COMMIT');
    await e.connect(async (c) => {
      expect((c.driverConnection as SQLiteConnection).db.inTransaction).toBe(false);
      await c.execute(insert(t).values({ w: 2 }));
    });
    expect(await rowsByWriter(e)).toEqual([2]);
  });
});

describe('conflicts that waiting cannot resolve fail at once', () => {
  // A busy timeout far beyond jest's test timeout: a conflict that waited for it instead of
  // failing at once would fail the test by timing out (no wall-clock assertion needed).
  const NEVER = '?timeout=600000';

  /**
   * A transaction reads, then another takes the write lock; the first then tries to write.
   * `writerCommits`: whether the writer finishes first (WAL: the reader's snapshot is stale)
   * or waits for the reader (it then commits once the reader has rolled back).
   */
  async function readThenWrite(e: Engine, writerCommitsFirst: boolean) {
    let readerHasRead!: () => void;
    const read = new Promise<void>((r) => (readerHasRead = r));
    let writerHasWritten!: () => void;
    const written = new Promise<void>((r) => (writerHasWritten = r));
    const reader = e.begin(async (c) => {
      await c.scalar(select(func.count()).selectFrom(t));
      readerHasRead();
      await written;
      await c.execute(insert(t).values({ w: 1 }));
    });
    const writer = e.begin(async (c) => {
      await read;
      await c.execute(insert(t).values({ w: 2 }));
      if (writerCommitsFirst) return;
      writerHasWritten();
      await reader.catch(() => {}); // holds the write lock until the reader has failed
    });
    if (writerCommitsFirst) writer.then(() => writerHasWritten());
    const results = await Promise.allSettled([reader, writer]);
    return { results };
  }

  test('rollback journal: the reader fails with DeadlockError, the writer commits', async () => {
    const e = await open(NEVER);
    const { results } = await readThenWrite(e, false);
    expect(results[1].status).toBe('fulfilled');
    const error = (results[0] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(DeadlockError);
    expect(error.message).toMatch(/isolationLevel: 'SERIALIZABLE'/);
    expect(await rowsByWriter(e)).toEqual([2]);
  });

  test('WAL, writer still open: DeadlockError at once', async () => {
    const e = await open(NEVER, {}, 'wal');
    const { results } = await readThenWrite(e, false);
    expect(results[1].status).toBe('fulfilled');
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(DeadlockError);
    expect(await rowsByWriter(e)).toEqual([2]);
  });

  test('WAL, writer committed: the stale snapshot fails with SerializationError at once', async () => {
    const e = await open(NEVER, {}, 'wal');
    const { results } = await readThenWrite(e, true);
    expect(results[1].status).toBe('fulfilled');
    const error = (results[0] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.code).toBe('SQLITE_BUSY_SNAPSHOT');
    expect(await rowsByWriter(e)).toEqual([2]);
  });

  test("isolationLevel: 'SERIALIZABLE' (BEGIN IMMEDIATE) makes the same transactions wait instead", async () => {
    const e = await open('', { isolationLevel: 'SERIALIZABLE' });
    const results = await Promise.allSettled(
      [1, 2].map((w) =>
        e.begin(async (c) => {
          await c.scalar(select(func.count()).selectFrom(t));
          await pause(20);
          await c.execute(insert(t).values({ w }));
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await rowsByWriter(e)).toEqual([1, 2]);
  });
});
