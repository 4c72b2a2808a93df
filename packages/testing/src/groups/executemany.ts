/**
 * executemany, `conn.execute(stmt, [params, ...])`: INSERT batches of up to 1,000 rows (the
 * full-size batch a prepared statement, the shorter remainder run unprepared), UPDATE and DELETE
 * once per parameter set (a keyed UPDATE on SQLite as UPDATE ... FROM (VALUES ...) batches), and
 * every parameter set with the first one's keys.
 */
import { ArgumentError, bindparam, delete_, insert, select, update } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';

/** `count` rows from `id` 1: non-ASCII names, some timestamps in years 1–999, every other JSON document null. */
function batchRows(count: number) {
  const base = Date.UTC(2024, 0, 1, 12, 30, 15, 250);
  const early = new Date('0005-03-04T05:06:07.089Z').getTime();
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: `name ${i + 1} 🎉`,
    // Years 1–999 on some rows, in the full batches and in the remainder.
    at: new Date((i % 97 === 0 ? early : base) + i * 60_000),
    doc: i % 2 ? { n: i, tags: ['a', 'b'] } : null,
  }));
}

export function executeManyTests(ctx: SuiteContext): void {
  const { batch } = ctx.t;
  const clear = () => ctx.engine.connect((c) => c.execute(delete_(batch)));

  ctx.test('INSERT of 2,700 rows: two full prepared batches and a 700-row remainder (on MySQL, long enough for the text protocol)', async () => {
    await clear();
    const data = batchRows(2700);
    // One connection, two transactions: the second call's full batches reuse the first's prepared statement.
    await ctx.engine.connect(async (conn) => {
      await conn.begin();
      expect((await conn.execute(insert(batch), data)).rowcount).toBe(2700);
      await conn.commit();
      await conn.begin();
      expect((await conn.execute(insert(batch), data.map((r) => ({ ...r, id: r.id + 10_000 })))).rowcount).toBe(2700);
      await conn.commit();
    });
    const back = await ctx.engine.connect(async (conn) => (await conn.execute(select(batch).orderBy(batch.c.id))).all());
    expect(back).toHaveLength(5400);
    expect(back.slice(0, 2700)).toEqual(data);
    expect(back[2700 + 1999]).toEqual({ ...data[1999], id: 12000 });
    expect(back[5399]).toEqual({ ...data[2699], id: 12700 });
  });

  ctx.test('UPDATE and DELETE with bindparam(): one statement, every parameter set', async () => {
    await clear();
    await ctx.engine.begin((conn) => conn.execute(insert(batch), batchRows(6)));
    const upd = update(batch)
      .values({ name: bindparam('newName') })
      .where(batch.c.id.eq(bindparam('key')));
    const del = delete_(batch).where(batch.c.id.eq(bindparam('key')));
    await ctx.engine.begin(async (conn) => {
      const r = await conn.execute(upd, [
        { key: 1, newName: 'first' },
        { key: 2, newName: 'second' },
        { key: 999_999, newName: 'nobody' },
        { key: 3, newName: 'third' },
      ]);
      expect(r.rowcount).toBe(3);
      expect((await conn.execute(del, [{ key: 4 }, { key: 5 }, { key: 999_999 }])).rowcount).toBe(2);
    });
    const back = await ctx.engine.connect(async (conn) => (await conn.execute(select(batch.c.id, batch.c.name).where(batch.c.id.le(6)).orderBy(batch.c.id))).all());
    expect(back).toEqual([
      { id: 1, name: 'first' },
      { id: 2, name: 'second' },
      { id: 3, name: 'third' },
      { id: 6, name: expect.stringMatching(/^name 6/) },
    ]);
  });

  ctx.test('UPDATE by key of 2,500 rows with bindparam() values typed by their columns (timestamps, JSON, non-ASCII): every row gets its own', async () => {
    await clear();
    const data = batchRows(2500);
    await ctx.engine.begin((conn) => conn.execute(insert(batch), data));
    const upd = update(batch)
      .values({ name: bindparam('name'), at: bindparam('at'), doc: bindparam('doc') })
      .where(batch.c.id.eq(bindparam('key')));
    // Row k takes the values batchRows gave row 2,501 - k: every row changes, none keeps its own.
    const params = data.map((r) => ({ key: 2501 - r.id, name: r.name, at: r.at, doc: r.doc }));
    const updates: string[] = [];
    const listener = (e: { sql: string }) => void (/^UPDATE/.test(e.sql) && updates.push(e.sql));
    ctx.engine.on('afterExecute', listener);
    try {
      expect((await ctx.engine.begin((conn) => conn.execute(upd, params))).rowcount).toBe(2500);
    } finally {
      ctx.engine.off('afterExecute', listener);
    }
    // SQLite runs a keyed UPDATE as UPDATE ... FROM (VALUES ...) batches of up to 1,000 rows.
    if (ctx.engine.dialect.name === 'sqlite') expect(updates.map((u) => u.includes('FROM (VALUES'))).toEqual([true, true, true]);
    const back = await ctx.engine.connect(async (conn) => (await conn.execute(select(batch).orderBy(batch.c.id))).all());
    expect(back).toEqual(data.map((r) => ({ ...data[2500 - r.id], id: r.id })));
  });

  ctx.test('INSERT: keys in another order are the same keys; a missing key is refused', async () => {
    await clear();
    const at = new Date('2024-05-01T10:00:00.000Z');
    await ctx.engine.begin(async (conn) => {
      const r = await conn.execute(insert(batch), [
        { id: 60_001, name: 'a', at, doc: null },
        { at, name: 'b', id: 60_002, doc: null },
      ]);
      expect(r.rowcount).toBe(2);
    });
    await expect(
      ctx.engine.begin((conn) =>
        conn.execute(insert(batch), [
          { id: 60_003, name: 'c', at, doc: null },
          // The types refuse this row (\`at\` is required); plain JavaScript reaches the check below.
          { id: 60_004, name: 'd', doc: null } as any,
        ]),
      ),
    ).rejects.toThrow(ArgumentError);
    const back = await ctx.engine.connect(async (conn) => (await conn.execute(select(batch.c.id, batch.c.name, batch.c.at).where(batch.c.id.ge(60_000)).orderBy(batch.c.id))).all());
    expect(back).toEqual([
      { id: 60_001, name: 'a', at },
      { id: 60_002, name: 'b', at },
    ]);
  });
}
