/**
 * An executemany INSERT of more rows than one statement takes: Core fills each multi-row
 * batch's parameters row by row from the single-row statement's slots (a generated filler,
 * or the per-row builder with code generation off). Both must write the same rows, evaluate
 * a column default once per row that leaves the column out, and name the column of a value
 * that cannot be bound — with nothing written.
 */
import { ArgumentError, Column, DateTime, Integer, MetaData, Table, Text, createEngine, insert, select, setCodeGeneration } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-sqlite';

const ROWS = 2_345;

describe.each([
  ['generated filler', true],
  ['per-row builder (code generation off)', false],
])('executemany INSERT in batches: %s', (_label, codegen) => {
  let serial = 0;
  const metadata = new MetaData();
  const t = new Table('em_batch', metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(Text, { nullable: false }),
    at: Column(DateTime),
    serial: Column(Integer, { default: () => ++serial }),
  });
  const engine = createEngine('sqlite://', { dialect: athanorDialect, poolSize: 1 });

  beforeAll(async () => {
    setCodeGeneration(codegen);
    await metadata.createAll(engine);
  });
  afterAll(async () => {
    setCodeGeneration(true);
    await engine.dispose();
  });
  beforeEach(async () => {
    serial = 0;
    await engine.begin((c) => c.execute(t.delete()));
  });

  const rows = () =>
    Array.from({ length: ROWS }, (_, i) => ({ id: i + 1, name: `n${i + 1}`, at: i % 2 ? null : new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60, i % 1000)) }));

  test('every row is written with its own values and its own default', async () => {
    await engine.begin((c) => c.execute(insert(t), rows()));
    const back = await engine.connect(async (c) => (await c.execute(select(t).orderBy(t.c.id))).all());
    expect(back).toHaveLength(ROWS);
    expect(back[0]).toEqual({ id: 1, name: 'n1', at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 0)), serial: 1 });
    expect(back[1]).toEqual({ id: 2, name: 'n2', at: null, serial: 2 });
    expect(back[ROWS - 1]).toEqual({ id: ROWS, name: `n${ROWS}`, at: ROWS % 2 ? new Date(Date.UTC(2026, 0, 1, 0, 0, (ROWS - 1) % 60, (ROWS - 1) % 1000)) : null, serial: ROWS });
    expect(new Set(back.map((r) => r.serial)).size).toBe(ROWS);
  });

  test('a value that cannot be bound in a later batch names its column, and the transaction writes nothing', async () => {
    const bad = rows();
    bad[2_100].id = 1.5;
    await expect(engine.begin((c) => c.execute(insert(t), bad))).rejects.toThrow(ArgumentError);
    await expect(engine.begin((c) => c.execute(insert(t), bad))).rejects.toThrow(/^Cannot bind column 'id': 1\.5 \(number\) is not a value for an Integer column/);
    const n = await engine.connect(async (c) => (await c.execute(select(t.c.id))).all().length);
    expect(n).toBe(0);
  });
});
