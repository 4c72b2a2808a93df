/**
 * An executemany of a keyed UPDATE on PostgreSQL runs as `UPDATE ... FROM (typed VALUES)`
 * batches of up to 1,000 rows: a first row of `(SELECT col FROM t WHERE false)` (NULLs that
 * match no key) types VALUES's columns, so every parameter takes its column's type. Only where that means exactly
 * what one statement per parameter set means; the rest runs row by row. Rows are read back.
 */
import { Column, DateTime, Integer, JSON as Json, MetaData, String, Table, bindparam, insert, select, update } from '@athanor/core';
import { engineInOwnSchema, liveDescribe } from './server';

const schema = `athanor_ufv_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const metadata = new MetaData({ schema });
const t = new Table('item', metadata, {
  id: Column(Integer, { primaryKey: true }),
  label: Column(String(12), { nullable: false }),
  stamp: Column(DateTime({ timezone: true })),
  doc: Column(Json),
  score: Column(Integer, { nullable: false }),
});

const keyed = update(t)
  .values({ label: bindparam('label'), stamp: bindparam('stamp'), doc: bindparam('doc') })
  .where(t.c.id.eq(bindparam('key')));
const seed = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, label: `n${i + 1}`, stamp: null, doc: null, score: i }));

liveDescribe('executemany UPDATE by key')('PostgreSQL: executemany of a keyed UPDATE', () => {
  const engine = engineInOwnSchema(schema, metadata);
  const statements: string[] = [];
  const rowsBack = () => engine().connect(async (c) => (await c.execute(select(t).orderBy(t.c.id))).all());
  beforeAll(() => {
    engine().on('afterExecute', (e) => {
      if (/^UPDATE/.test(e.sql)) statements.push(e.sql);
    });
  });
  beforeEach(async () => {
    await engine().begin(async (c) => {
      await c.execute(t.delete());
      await c.execute(insert(t), seed(2_500));
    });
    statements.length = 0;
  });

  test('2,500 keyed rows: three statements (1,000, 1,000, 500), each parameter typed by its column', async () => {
    const at = (i: number) => new Date(Date.UTC(2026, 5, 1, 0, 0, i % 60, i % 1000));
    const params = Array.from({ length: 2_500 }, (_, i) => ({ key: 2_500 - i, label: `é ${i}`, stamp: i % 3 ? at(i) : null, doc: i % 2 ? { i, tags: ['x'] } : null }));
    const res = await engine().begin((c) => c.execute(keyed, params));
    expect(res.rowcount).toBe(2_500);
    expect(statements).toHaveLength(3);
    const tuples = (n: number) =>
      Array.from({ length: n }, (_, r) => `($${4 * r + 1}, $${4 * r + 2}, $${4 * r + 3}, $${4 * r + 4})`).join(', ');
    const typed = ['label', 'stamp', 'doc', 'id'].map((c) => `(SELECT ${c} FROM ${schema}.item WHERE false)`).join(', ');
    expect(statements[0]).toBe(
      `UPDATE ${schema}.item SET label = athanor_values.label, stamp = athanor_values.stamp, doc = athanor_values.doc FROM (VALUES (${typed}), ${tuples(1000)}) AS athanor_values (label, stamp, doc, id) WHERE ${schema}.item.id = athanor_values.id`,
    );
    expect(statements[2]).toContain(`(VALUES (${typed}), ${tuples(500)}) AS`);
    const back = await rowsBack();
    expect(back).toHaveLength(2_500);
    // Row id k was given by parameter set i = 2,500 - k.
    for (const row of back) {
      const i = 2_500 - row.id;
      expect(row).toEqual({ id: row.id, label: `é ${i}`, stamp: i % 3 ? at(i) : null, doc: i % 2 ? { i, tags: ['x'] } : null, score: row.id - 1 });
    }
  });

  test('a value too long for its VARCHAR(12) fails the batch as the row-by-row UPDATE would: nothing written, nothing cut short', async () => {
    const params = [
      { key: 1, label: 'fits', stamp: null, doc: null },
      { key: 2, label: 'far too long for twelve', stamp: null, doc: null },
    ];
    await expect(engine().begin((c) => c.execute(keyed, params))).rejects.toThrow(/too long/);
    expect((await rowsBack()).slice(0, 2).map((r) => r.label)).toEqual(['n1', 'n2']);
  });

  test('a key that matches no row is not counted; the others are written', async () => {
    const res = await engine().begin((c) =>
      c.execute(keyed, [
        { key: 1, label: 'a', stamp: null, doc: null },
        { key: 99_999, label: 'b', stamp: null, doc: null },
        { key: 3, label: 'c', stamp: null, doc: null },
      ]),
    );
    expect(res.rowcount).toBe(2);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('FROM (VALUES ((SELECT label');
    expect((await rowsBack()).slice(0, 3).map((r) => r.label)).toEqual(['a', 'n2', 'c']);
  });

  test('a version counter (score set and matched, the whole key matched): batched, its two values named apart; a stale version is not counted', async () => {
    const versioned = update(t)
      .values({ score: bindparam('next', { type: Integer }) })
      .where(t.c.id.eq(bindparam('key')), t.c.score.eq(bindparam('seen', { type: Integer })));
    const res = await engine().begin((c) => c.execute(versioned, [{ key: 1, seen: 0, next: 100 }, { key: 2, seen: 7, next: 101 }, { key: 3, seen: 2, next: 102 }]));
    expect(res.rowcount).toBe(2);
    const typed = ['score', 'id', 'score'].map((c) => `(SELECT ${c} FROM ${schema}.item WHERE false)`).join(', ');
    expect(statements).toEqual([
      `UPDATE ${schema}.item SET score = athanor_values.score FROM (VALUES (${typed}), ($1, $2, $3), ($4, $5, $6), ($7, $8, $9)) AS athanor_values (score, id, score_3) WHERE ${schema}.item.id = athanor_values.id AND ${schema}.item.score = athanor_values.score_3`,
    ]);
    expect((await rowsBack()).slice(0, 3).map((r) => r.score)).toEqual([100, 1, 102]);
  });

  test('two parameter sets with one key run row by row: applied in order (the last wins), each counted', async () => {
    const res = await engine().begin((c) =>
      c.execute(keyed, [
        { key: 5, label: 'first', stamp: null, doc: null },
        { key: 6, label: 'six', stamp: null, doc: null },
        { key: 5, label: 'second', stamp: null, doc: null },
      ]),
    );
    expect(res.rowcount).toBe(3);
    expect(statements).toHaveLength(3);
    expect(statements[0]).toBe(`UPDATE ${schema}.item SET label = $1, stamp = $2, doc = $3 WHERE ${schema}.item.id = $4`);
    expect((await rowsBack()).slice(4, 6).map((r) => r.label)).toEqual(['second', 'six']);
  });
});
