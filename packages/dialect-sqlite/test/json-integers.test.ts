/**
 * SQLite's INTEGER is 64-bit whatever a column declares: a value beyond 2^53 in an Integer
 * column (written by other code) raises DataError naming the fix (BigInteger), through a
 * plain SELECT and through jsonRecord()/jsonArrayAgg() alike — never a rounded number. A
 * BigInteger column reads the same values exactly.
 */
import { BigInteger, Column, DataError, Integer, MetaData, SmallInteger, Table, createEngine, jsonArrayAgg, jsonRecord, select } from '@athanor/core';

const metadata = new MetaData();
const counters = new Table('counters', metadata, {
  id: Column(Integer, { primaryKey: true }),
  n: Column(Integer),
  s: Column(SmallInteger),
});

const wide = new Table('counters', new MetaData(), {
  id: Column(Integer, { primaryKey: true }),
  n: Column(BigInteger),
  s: Column(SmallInteger),
});

test('an Integer column holding a value beyond 2^53 raises DataError, in a plain read and through JSON; BigInteger reads it exactly', async () => {
  const engine = createEngine('sqlite://');
  try {
    await metadata.createAll(engine);
    await engine.connect((c) => c.execDriverSQL('INSERT INTO counters (id, n, s) VALUES (1, 9007199254740993, 7), (2, -9223372036854775808, NULL), (3, 42, -3)'));
    const read = (stmt: any) => engine.connect(async (c) => (await c.execute(stmt)).all());
    for (const id of [1, 2]) {
      const where = counters.c.id.eq(id);
      await expect(read(select(counters.c.n).where(where))).rejects.toThrow(DataError);
      await expect(read(select(counters.c.n).where(where))).rejects.toThrow(/beyond ±2\^53 - 1.*declare the column BigInteger/);
      await expect(read(select(counters.c.n, counters.c.id).where(where))).rejects.toThrow(DataError);
      await expect(read(select(jsonRecord({ n: counters.c.n }).label('r')).where(where))).rejects.toThrow(DataError);
    }
    await expect(engine.connect(async (c) => c.scalar(select(jsonArrayAgg(jsonRecord({ n: counters.c.n })))))).rejects.toThrow(DataError);
    // Safe values are unchanged, both ways.
    expect(await read(select(counters.c.n, counters.c.s).where(counters.c.id.eq(3)))).toEqual([{ n: 42, s: -3 }]);
    expect(await read(select(jsonRecord({ n: counters.c.n, s: counters.c.s }).label('r')).where(counters.c.id.eq(3)))).toEqual([{ r: { n: 42, s: -3 } }]);
    // The same rows through a BigInteger declaration: exact.
    const exact = [
      { n: 9007199254740993n, s: 7 },
      { n: -9223372036854775808n, s: null },
      { n: 42n, s: -3 },
    ];
    expect(await read(select(wide.c.n, wide.c.s).orderBy(wide.c.id))).toEqual(exact);
    const viaJson = await engine.connect(async (c) => c.scalar(select(jsonArrayAgg(jsonRecord({ n: wide.c.n, s: wide.c.s }), { orderBy: [wide.c.id] }))));
    expect(viaJson).toEqual(exact);
  } finally {
    await engine.dispose();
  }
});
