/**
 * Optimistic concurrency with `versionIdCol`: every UPDATE and DELETE names the version the
 * object was read at, and a row whose version moved on raises StaleDataError instead of
 * overwriting someone else's change. Two sessions racing on one counter never lose an
 * increment. Rows are read back through Core on a connection of its own.
 */
import { ArgumentError, Column, Integer, StaleDataError, String, delete_, select, update } from '@athanor/core';
import { Session, declarativeBase } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();

class Counter extends Base.mapped(
  'vc_counter',
  {
    id: Column(Integer, { primaryKey: true }),
    value: Column(Integer, { nullable: false }),
    version: Column(Integer, { nullable: false }),
  },
  { versionIdCol: 'version' },
) {}

/** Revisions from a generator the test controls: every value it handed out is recorded. */
const issued: string[] = [];
function nextRevision(previous: unknown): string {
  const rev = `rev-${issued.length + 1}-after-${previous ?? 'none'}`;
  issued.push(rev);
  return rev;
}

class Page extends Base.mapped(
  'vc_page',
  {
    id: Column(Integer, { primaryKey: true }),
    body: Column(String(40), { nullable: false }),
    rev: Column(String(60), { nullable: false }),
  },
  { versionIdCol: 'rev', versionIdGenerator: nextRevision },
) {}

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  const storedCounter = async (id: number) => live.rows<{ value: number; version: number }>(select(Counter.c.value, Counter.c.version).where(Counter.c.id.eq(id)));

  async function seedCounter(value: number): Promise<number> {
    await using s = new Session(live.engine);
    const c = new Counter({ value });
    s.add(c);
    await s.commit();
    return c.id;
  }

  /** A counter loaded in a session of its own, its read transaction ended (the object stays loaded). */
  async function loadCounter(id: number): Promise<[Session, Counter]> {
    const s = new Session(live.engine);
    const c = (await s.get(Counter, id))!;
    await s.commit();
    return [s, c];
  }

  test('an INSERT starts the version at 1; each UPDATE checks it and moves it on', async () => {
    await using s = new Session(live.engine);
    const c = new Counter({ value: 10 });
    s.add(c);
    await s.commit();
    expect(c.version).toBe(1);
    expect(await storedCounter(c.id)).toEqual([{ value: 10, version: 1 }]);
    c.value = 11;
    const mark = live.log.length;
    await s.commit();
    const [stmt] = live.writes(mark);
    expect(stmt).toMatch(/^UPDATE .*vc_counter.* SET .*WHERE .*id = .* AND .*version = /);
    expect(c.version).toBe(2);
    expect(await storedCounter(c.id)).toEqual([{ value: 11, version: 2 }]);
  });

  test('an UPDATE of a row whose version moved on raises StaleDataError and writes nothing', async () => {
    const id = await seedCounter(1);
    const [s, c] = await loadCounter(id);
    await using _ = s;
    await live.engine.connect((conn) => conn.execute(update(Counter.table).where(Counter.c.id.eq(id)).values({ value: 50, version: 2 })));
    c.value = 2;
    const failure = s.commit();
    await expect(failure).rejects.toThrow(StaleDataError);
    await expect(failure).rejects.toThrow(`UPDATE of Counter (id=${id}) matched 0 rows, expected 1: the row was deleted, or changed by someone else since it was read (its version moved on). Roll back, then load the row again and reapply the change.`);
    expect(await storedCounter(id)).toEqual([{ value: 50, version: 2 }]);
  });

  test('a DELETE of a row whose version moved on raises StaleDataError and deletes nothing', async () => {
    const id = await seedCounter(1);
    const [s, c] = await loadCounter(id);
    await using _ = s;
    await live.engine.connect((conn) => conn.execute(update(Counter.table).where(Counter.c.id.eq(id)).values({ version: 7 })));
    s.delete(c);
    await expect(s.commit()).rejects.toThrow(StaleDataError);
    expect(await storedCounter(id)).toEqual([{ value: 1, version: 7 }]);
  });

  test('UPDATEs and DELETEs of several versioned rows batched together still find the one stale row', async () => {
    const ids = [await seedCounter(1), await seedCounter(2), await seedCounter(3)];
    const s = new Session(live.engine);
    await using _ = s;
    const counters = [];
    for (const id of ids) counters.push((await s.get(Counter, id))!);
    await s.commit();
    await live.engine.connect((conn) => conn.execute(update(Counter.table).where(Counter.c.id.eq(ids[1])).values({ version: 9 })));
    for (const c of counters) c.value += 10;
    await expect(s.commit()).rejects.toThrow(/^UPDATE of Counter of 3 rows matched 2 rows, expected 3/);
    const stored = await live.rows(select(Counter.c.value, Counter.c.version).where(Counter.c.id.in(ids)).orderBy(Counter.c.id));
    expect(stored).toEqual([
      { value: 1, version: 1 },
      { value: 2, version: 9 },
      { value: 3, version: 1 },
    ]);
    // The same three rows deleted together: the stale one fails the batch.
    for (const c of counters) await s.refresh(c);
    await s.commit(); // ends the read transaction (SQLite would hold its lock)
    await live.engine.connect((conn) => conn.execute(update(Counter.table).where(Counter.c.id.eq(ids[2])).values({ version: 5 })));
    for (const c of counters) s.delete(c);
    await expect(s.commit()).rejects.toThrow(/^DELETE of Counter of 3 rows matched 2 rows, expected 3/);
    expect(await live.rows(select(Counter.c.id).where(Counter.c.id.in(ids)))).toHaveLength(3);
  });

  test('a row deleted behind the session: UPDATE raises StaleDataError', async () => {
    const id = await seedCounter(1);
    const [s, c] = await loadCounter(id);
    await using _ = s;
    await live.engine.connect((conn) => conn.execute(delete_(Counter.table).where(Counter.c.id.eq(id))));
    c.value = 3;
    await expect(s.commit()).rejects.toThrow(StaleDataError);
    expect(await storedCounter(id)).toEqual([]);
  });

  test('two sessions load the same row and both increment it: one commits, the other raises StaleDataError', async () => {
    const id = await seedCounter(0);
    const [s1, c1] = await loadCounter(id);
    const [s2, c2] = await loadCounter(id);
    await using _1 = s1;
    await using _2 = s2;
    c1.value += 1;
    c2.value += 1;
    const outcomes = await Promise.allSettled([s1.commit(), s2.commit()]);
    const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
    const stale = outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof StaleDataError).length;
    expect([ok, stale]).toEqual([1, 1]);
    expect(await storedCounter(id)).toEqual([{ value: ok, version: 1 + ok }]);
  });

  test('racing workers that retry on StaleDataError lose no increment', async () => {
    const id = await seedCounter(0);
    const workers = 4;
    let commits = 0;
    async function increment(): Promise<void> {
      for (;;) {
        const [s, c] = await loadCounter(id);
        try {
          c.value += 1;
          await s.commit();
          commits++;
          return;
        } catch (e) {
          if (!(e instanceof StaleDataError)) throw e;
        } finally {
          await s.close();
        }
      }
    }
    await Promise.all(Array.from({ length: workers }, increment));
    expect(commits).toBe(workers);
    expect(await storedCounter(id)).toEqual([{ value: workers, version: 1 + workers }]);
  });

  test('a change to an object whose version is expired is refused with the fix, not sent with an unknown version', async () => {
    const id = await seedCounter(1);
    await using s = new Session(live.engine);
    const c = (await s.get(Counter, id))!;
    s.expire(c);
    c.value = 5;
    await expect(s.commit()).rejects.toThrow(
      `UPDATE of Counter (id=${id}): its version counter 'version' is expired, so the row cannot be checked against the version it was read at. Refresh the object first (await session.refresh(obj)), then reapply the change.`,
    );
    await s.refresh(c);
    c.value = 5;
    await s.commit();
    expect(await storedCounter(id)).toEqual([{ value: 5, version: 2 }]);
    s.expire(c, ['version']);
    s.delete(c);
    await expect(s.commit()).rejects.toThrow(/^DELETE of Counter \(id=\d+\): its version counter 'version' is expired/);
    expect(await storedCounter(id)).toEqual([{ value: 5, version: 2 }]);
  });

  test('merge() of a detached object read at an older version raises StaleDataError instead of overwriting the newer row', async () => {
    const id = await seedCounter(1);
    const [s1, detached] = await loadCounter(id);
    await s1.close();
    // Someone else commits a change in between.
    const [s2, other] = await loadCounter(id);
    other.value = 100;
    await s2.commit();
    await s2.close();
    detached.value = 2;
    await using s = new Session(live.engine);
    await expect(s.merge(detached)).rejects.toThrow(StaleDataError);
    await expect(s.merge(detached)).rejects.toThrow(`merge(): the given Counter (id=${id}) has version 1, but the row has 2: it changed since the object was read. Load the row again and reapply the change.`);
    await s.commit();
    expect(await storedCounter(id)).toEqual([{ value: 100, version: 2 }]);
    // Read at the current version, the merge goes through and the version moves on.
    const [s3, fresh] = await loadCounter(id);
    await s3.close();
    fresh.value = 101;
    await using s4 = new Session(live.engine);
    await s4.merge(fresh);
    await s4.commit();
    expect(await storedCounter(id)).toEqual([{ value: 101, version: 3 }]);
  });

  test('versionIdGenerator: the rows hold the values the generator gave, and the check uses them', async () => {
    issued.length = 0;
    await using s = new Session(live.engine);
    const p = new Page({ body: 'v1' });
    s.add(p);
    await s.commit();
    expect(issued).toEqual(['rev-1-after-none']);
    expect(p.rev).toBe('rev-1-after-none');
    p.body = 'v2';
    await s.commit();
    expect(issued).toEqual(['rev-1-after-none', 'rev-2-after-rev-1-after-none']);
    expect(await live.rows(select(Page.c.body, Page.c.rev).where(Page.c.id.eq(p.id)))).toEqual([{ body: 'v2', rev: issued[1] }]);
    await live.engine.connect((conn) => conn.execute(update(Page.table).where(Page.c.id.eq(p.id)).values({ rev: 'someone-else' })));
    p.body = 'v3';
    await expect(s.commit()).rejects.toThrow(StaleDataError);
    expect(await live.rows(select(Page.c.body, Page.c.rev).where(Page.c.id.eq(p.id)))).toEqual([{ body: 'v2', rev: 'someone-else' }]);
  });

  test('versionIdCol must name a column; versionIdGenerator must be a function', () => {
    const Other = declarativeBase();
    expect(() => Other.mapped('vc_bad', { id: Column(Integer, { primaryKey: true }) }, { versionIdCol: 'ver' as any })).toThrow(ArgumentError);
    expect(() => Other.mapped('vc_bad', { id: Column(Integer, { primaryKey: true }) }, { versionIdCol: 'ver' as any })).toThrow("Base.mapped('vc_bad', ...): versionIdCol 'ver' is not a column key (columns: id).");
    expect(() => Other.mapped('vc_bad2', { id: Column(Integer, { primaryKey: true }), v: Column(Integer) }, { versionIdCol: 'v', versionIdGenerator: 3 as any })).toThrow(
      "Base.mapped('vc_bad2', ...): versionIdGenerator must be a function (previous) => next.",
    );
  });
});
