/**
 * An executemany of a keyed UPDATE on SQLite runs as `UPDATE ... FROM (VALUES ...)` batches of up
 * to 1,000 rows — only where that means exactly what one statement per parameter set means;
 * every other UPDATE executemany runs row by row. The rows read back are checked either way.
 */
import { Column, DateTime, Integer, JSON as Json, MetaData, Table, Text, bindparam, createEngine, insert, select, update } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-sqlite';

const metadata = new MetaData();
const t = new Table('ufv_item', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(Text, { nullable: false }),
  at: Column(DateTime),
  doc: Column(Json),
  score: Column(Integer, { nullable: false }),
});
const engine = createEngine('sqlite://', { dialect: athanorDialect, poolSize: 1 });
const statements: string[] = [];
engine.on('afterExecute', (e) => {
  if (/^UPDATE/.test(e.sql)) statements.push(e.sql);
});

const keyed = update(t)
  .values({ name: bindparam('name'), at: bindparam('at'), doc: bindparam('doc') })
  .where(t.c.id.eq(bindparam('key')));

const seed = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `n${i + 1}`, at: null, doc: null, score: i }));
const rowsBack = () => engine.connect(async (c) => (await c.execute(select(t).orderBy(t.c.id))).all());

beforeAll(() => metadata.createAll(engine));
afterAll(() => engine.dispose());
beforeEach(async () => {
  statements.length = 0;
  await engine.begin(async (c) => {
    await c.execute(t.delete());
    await c.execute(insert(t), seed(2_500));
  });
  statements.length = 0;
});

test('2,500 keyed rows: three statements (1,000, 1,000, 500), each row with its own typed values', async () => {
  const at = (i: number) => new Date(Date.UTC(2026, 5, 1, 0, 0, i % 60, i % 1000));
  const params = Array.from({ length: 2_500 }, (_, i) => ({ key: 2_500 - i, name: `é ${i}`, at: i % 3 ? at(i) : null, doc: i % 2 ? { i, tags: ['x'] } : null }));
  const res = await engine.begin((c) => c.execute(keyed, params));
  expect(res.rowcount).toBe(2_500);
  expect(statements).toHaveLength(3);
  expect(statements[0]).toBe(
    `UPDATE ufv_item SET name = athanor_values.column1, at = athanor_values.column2, doc = athanor_values.column3 FROM (VALUES ${Array(1000).fill('(?, ?, ?, ?)').join(', ')}) AS athanor_values WHERE ufv_item.id = athanor_values.column4`,
  );
  expect(statements[2]).toContain(`(VALUES ${Array(500).fill('(?, ?, ?, ?)').join(', ')}) AS`);
  const back = await rowsBack();
  // Row id k was given by parameter set i = 2,500 - k.
  for (const row of back) {
    const i = 2_500 - row.id;
    expect(row).toEqual({ id: row.id, name: `é ${i}`, at: i % 3 ? at(i) : null, doc: i % 2 ? { i, tags: ['x'] } : null, score: row.id - 1 });
  }
});

test('a key that matches no row is not counted; the others are written', async () => {
  const res = await engine.begin((c) => c.execute(keyed, [{ key: 1, name: 'a', at: null, doc: null }, { key: 99_999, name: 'b', at: null, doc: null }, { key: 3, name: 'c', at: null, doc: null }]));
  expect(res.rowcount).toBe(2);
  expect(statements).toHaveLength(1);
  expect(statements[0]).toContain('FROM (VALUES');
  expect((await rowsBack()).slice(0, 3).map((r) => r.name)).toEqual(['a', 'n2', 'c']);
});

test('two parameter sets with one key run row by row: applied in order (the last wins), each counted', async () => {
  const res = await engine.begin((c) => c.execute(keyed, [{ key: 5, name: 'first', at: null, doc: null }, { key: 6, name: 'six', at: null, doc: null }, { key: 5, name: 'second', at: null, doc: null }]));
  expect(res.rowcount).toBe(3);
  expect(statements).toEqual(['UPDATE ufv_item SET name = ?, at = ?, doc = ? WHERE ufv_item.id = ?']);
  expect((await rowsBack()).slice(4, 6).map((r) => r.name)).toEqual(['second', 'six']);
});

test('a version counter (score set and matched, the whole key matched): batched; a stale version is not counted; one key twice runs row by row', async () => {
  const versioned = update(t)
    .values({ score: bindparam('next', { type: Integer }) })
    .where(t.c.id.eq(bindparam('key')), t.c.score.eq(bindparam('seen', { type: Integer })));
  // Rows 1..3 hold score 0..2; row 2's caller saw a score it no longer has.
  const res = await engine.begin((c) => c.execute(versioned, [{ key: 1, seen: 0, next: 100 }, { key: 2, seen: 7, next: 101 }, { key: 3, seen: 2, next: 102 }]));
  expect(res.rowcount).toBe(2);
  expect(statements).toEqual([
    'UPDATE ufv_item SET score = athanor_values.column1 FROM (VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)) AS athanor_values WHERE ufv_item.id = athanor_values.column2 AND ufv_item.score = athanor_values.column3',
  ]);
  expect((await rowsBack()).slice(0, 3).map((r) => r.score)).toEqual([100, 1, 102]);
  statements.length = 0;
  // The second set sees the first's change when run in order: only row by row means that.
  const twice = await engine.begin((c) => c.execute(versioned, [{ key: 5, seen: 4, next: 40 }, { key: 5, seen: 40, next: 41 }]));
  expect(twice.rowcount).toBe(2);
  expect(statements).toHaveLength(1);
  expect(statements[0]).not.toContain('VALUES');
  expect((await rowsBack())[4].score).toBe(41);
});

test.each([
  [
    'a SET value computed from the row',
    update(t).values({ score: t.c.score.add(bindparam('by', { type: Integer })) }).where(t.c.id.eq(bindparam('key'))),
    [{ key: 10, by: 1 }, { key: 11, by: 2 }],
  ],
  [
    'a WHERE that is not column = parameter',
    update(t).values({ name: bindparam('name') }).where(t.c.id.eq(bindparam('key')), t.c.score.ge(0)),
    [{ key: 10, name: 'x' }, { key: 11, name: 'y' }],
  ],
  [
    'a column both set and matched',
    update(t).values({ id: bindparam('newId') }).where(t.c.id.eq(bindparam('key'))),
    [{ key: 10, newId: 10_010 }, { key: 11, newId: 10_011 }],
  ],
] as const)('%s: row by row', async (_what, stmt, params) => {
  const res = await engine.begin((c) => c.execute(stmt as typeof keyed, params as never));
  expect(res.rowcount).toBe(2);
  expect(statements).toHaveLength(1);
  expect(statements[0]).not.toContain('VALUES');
});
