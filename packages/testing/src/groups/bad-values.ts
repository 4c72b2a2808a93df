/**
 * Bad values: every one is refused with a typed error naming the column (or parameter),
 * the value's kind and the fix, before anything is sent. Each runs inside a transaction
 * that must still be usable afterwards (on PostgreSQL a statement the server had refused
 * would abort it), and nothing is written.
 */
import { ArgumentError, Column, type Connection, DataError, Float, Integer, MetaData, Table, delete_, insert, select, text, tuple_, update } from '@athanor/core';
import { expect } from '../runner';
import { caught } from '../caught';
import type { SuiteContext } from '../context';

type Case = { what: string; error: typeof ArgumentError | typeof DataError; message: RegExp; run: (c: Connection) => Promise<unknown> };

export function badValueTests(ctx: SuiteContext): void {
  const v = () => ctx.t.values;
  const put = (row: Record<string, unknown>) => (c: Connection) => c.execute(insert(v()).values({ id: 1, ...row } as any));
  const find = (where: (t: ReturnType<typeof v>) => any) => (c: Connection) => c.execute(select(v().c.id).where(where(v())));
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;

  const cases: Case[] = [
    { what: "Integer: 'abc'", error: ArgumentError, message: /column 'i'.*"abc" \(string\).*Integer.*whole numbers/, run: put({ i: 'abc' }) },
    { what: "Integer: '12abc'", error: ArgumentError, message: /column 'i'.*"12abc"/, run: put({ i: '12abc' }) },
    { what: 'Integer: 1.5 (MariaDB would round it to 2)', error: ArgumentError, message: /column 'i'.*1\.5.*whole numbers only/, run: put({ i: 1.5 }) },
    { what: 'Integer: NaN', error: ArgumentError, message: /column 'i'.*NaN/, run: put({ i: Number.NaN }) },
    { what: 'Integer: Infinity', error: ArgumentError, message: /column 'i'.*Infinity/, run: put({ i: Number.POSITIVE_INFINITY }) },
    { what: 'Integer: 2^31 is out of range', error: DataError, message: /column 'i'.*2147483648 is out of range.*BigInteger/, run: put({ i: 2 ** 31 }) },
    { what: 'Integer: true', error: ArgumentError, message: /column 'i'.*true \(boolean\)/, run: put({ i: true }) },
    { what: 'BigInteger: 2^63 is out of range', error: DataError, message: /column 'big'.*out of range/, run: put({ big: 2n ** 63n }) },
    { what: 'Float: NaN', error: ArgumentError, message: /column 'f'.*NaN and Infinity are refused/, run: put({ f: Number.NaN }) },
    { what: 'Float: -Infinity', error: ArgumentError, message: /column 'f'.*-Infinity/, run: put({ f: Number.NEGATIVE_INFINITY }) },
    { what: "Boolean: 'false' (stored as true before)", error: ArgumentError, message: /column 'b'.*"false".*true or false only/, run: put({ b: 'false' }) },
    { what: "Boolean: 'no'", error: ArgumentError, message: /column 'b'.*"no"/, run: put({ b: 'no' }) },
    { what: 'Boolean: 1', error: ArgumentError, message: /column 'b'.*1 \(number\)/, run: put({ b: 1 }) },
    { what: "Date: '2024-02-30'", error: ArgumentError, message: /column 'day'.*"2024-02-30".*no February 30/, run: put({ day: '2024-02-30' }) },
    { what: "Date: '2023-02-29' (not a leap year)", error: ArgumentError, message: /column 'day'.*"2023-02-29"/, run: put({ day: '2023-02-29' }) },
    { what: "DateTime: '2024-04-31T10:00:00Z'", error: ArgumentError, message: /column 'at'.*"2024-04-31T10:00:00Z"/, run: put({ at: '2024-04-31T10:00:00Z' }) },
    { what: "DateTime: '2024-01-01T24:00:00Z'", error: ArgumentError, message: /column 'at'/, run: put({ at: '2024-01-01T24:00:00Z' }) },
    { what: "String: the number 123 (stored as '123.0' before)", error: ArgumentError, message: /column 's'.*123 \(number\).*String\(\)/, run: put({ s: 123 }) },
    { what: 'String(50): 51 characters', error: DataError, message: /column 's'.*51 characters is longer than the column's String\(50\)/, run: put({ s: 'x'.repeat(51) }) },
    { what: 'String: an object (the Knex CVE-2016-20018 class)', error: ArgumentError, message: /column 's'.*object/, run: put({ s: { role: 'admin' } }) },
    { what: 'String: an array', error: ArgumentError, message: /column 's'.*array/, run: put({ s: ['admin'] }) },
    { what: 'Text: a lone UTF-16 surrogate', error: ArgumentError, message: /column 't'.*lone UTF-16 surrogate.*toWellFormed/, run: put({ t: 'a\uD800b' }) },
    { what: "Enum: 'blue' is not a member", error: ArgumentError, message: /column 'e'.*"blue".*only its members: "red", "green"/, run: put({ e: 'blue' }) },
    { what: 'JSON: a bigint', error: ArgumentError, message: /column 'j'.*no JSON form/, run: put({ j: { n: 1n } }) },
    { what: 'JSON: a cycle', error: ArgumentError, message: /column 'j'.*JSON/, run: put({ j: cycle }) },
    { what: 'where: eq() with an array', error: ArgumentError, message: /parameter 's_\d+'.*array/, run: find((t) => t.c.s.eq(['admin'] as any)) },
    { what: 'where: eq() with an object', error: ArgumentError, message: /parameter 'i_\d+'.*object/, run: find((t) => t.c.i.eq({ $gt: 0 } as any)) },
    { what: "where: in() with a number as string for an Integer", error: ArgumentError, message: /parameter 'i_\d+'.*"1 OR 1=1"/, run: find((t) => t.c.i.in([1, '1 OR 1=1' as any])) },
    { what: 'where: tuple in() items go through each element type', error: ArgumentError, message: /"x" \(string\).*Integer/, run: find((t) => tuple_(t.c.id, t.c.i).in([[1, 'x' as any]])) },
    { what: 'raw SQL: an object as a parameter', error: ArgumentError, message: /parameter 'p'.*objects and arrays bind only to JSON columns/, run: (c) => c.execute(text('SELECT :p'), { p: { a: 1 } }) },
    { what: 'update().values() with undefined', error: ArgumentError, message: /column 'i' of 'cs_values' is undefined.*Omit the key/, run: (c) => c.execute(update(v()).values({ i: undefined } as any)) },
    { what: 'insert().values() with undefined', error: ArgumentError, message: /column 's' of 'cs_values' is undefined/, run: put({ s: undefined }) },
    { what: 'executemany: a row giving a column as undefined', error: ArgumentError, message: /column 's'.* is undefined.*Omit the key/, run: (c) => c.execute(insert(v()), [{ id: 1, s: 'a' }, { id: 2, s: undefined }] as any) },
    { what: "limit('1; DROP TABLE cs_values')", error: ArgumentError, message: /limit\(\) takes a non-negative whole number.*"1; DROP TABLE cs_values"/, run: (c) => c.execute(select(v().c.id).limit('1; DROP TABLE cs_values' as any)) },
    { what: 'limit(NaN)', error: ArgumentError, message: /limit\(\).*NaN/, run: (c) => c.execute(select(v().c.id).limit(Number.NaN)) },
    { what: 'limit([2])', error: ArgumentError, message: /limit\(\).*an array/, run: (c) => c.execute(select(v().c.id).limit([2] as any)) },
    { what: 'limit(-1)', error: ArgumentError, message: /limit\(\).*-1/, run: (c) => c.execute(select(v().c.id).limit(-1)) },
    { what: "offset('0 or 1=1')", error: ArgumentError, message: /offset\(\).*"0 or 1=1"/, run: (c) => c.execute(select(v().c.id).offset('0 or 1=1' as any)) },
  ];

  for (const k of cases) {
    ctx.test(`refused before sending: ${k.what}`, async () => {
      await ctx.engine.connect((c) => c.execute(delete_(v())));
      await ctx.engine.begin(async (c) => {
        const e = await caught((async () => k.run(c))());
        expect(e).toBeInstanceOf(k.error);
        expect(e.message).toMatch(k.message);
        // Nothing reached the server: the transaction is intact and still writes.
        await c.execute(insert(v()).values({ id: 99, s: 'after' }));
      });
      const rows = await ctx.engine.connect(async (c) => (await c.execute(select(v().c.id, v().c.s))).all());
      expect(rows).toEqual([{ id: 99, s: 'after' }]);
    });
  }

  ctx.test('Float({ nonFinite: true }): NaN and ±Infinity round-trip where the database keeps them, and are refused where it does not', async () => {
    const m = new MetaData({ schema: ctx.t.metadata.schema });
    const t = new Table('cs_nonfinite', m, { id: Column(Integer, { primaryKey: true }), x: Column(Float({ nonFinite: true })) });
    const kept = ctx.engine.dialect.nonFiniteFloats;
    await m.createAll(ctx.engine);
    try {
      const cases: [number, boolean][] = [
        [Number.POSITIVE_INFINITY, kept !== 'none'],
        [Number.NEGATIVE_INFINITY, kept !== 'none'],
        [Number.NaN, kept === 'all'],
        [1.5, true],
      ];
      for (const [i, [x, storable]] of cases.entries()) {
        if (storable) await ctx.engine.begin((c) => c.execute(insert(t).values({ id: i, x })));
        else {
          const e = await caught(ctx.engine.begin((c) => c.execute(insert(t).values({ id: i, x }))));
          expect(e).toBeInstanceOf(ArgumentError);
          expect(e.message).toMatch(/^Cannot bind column 'x': .* cannot be stored by \w+ even in a Float\(\{ nonFinite: true \}\) column/);
        }
      }
      const rows = await ctx.engine.connect(async (c) => (await c.execute(select(t.c.id, t.c.x).orderBy(t.c.id))).all());
      expect(rows).toEqual(cases.flatMap(([x, storable], id) => (storable ? [{ id, x }] : [])));
    } finally {
      await m.dropAll(ctx.engine);
    }
  });

  ctx.test("an isolation level that is not one ('SERIALIZABLE; DROP TABLE cs_values') is refused on every dialect", async () => {
    await ctx.engine.begin(async (c) => {
      await c.execute(delete_(v()));
      await c.execute(insert(v()).values({ id: 7, s: 'guard' }));
    });
    const e = await caught(ctx.engine.begin(async () => undefined, { isolationLevel: 'SERIALIZABLE; DROP TABLE cs_values' } as any));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/Unknown isolation level 'SERIALIZABLE; DROP TABLE cs_values'; use one of/);
    // The table is still there, holding what it held.
    const rows = await ctx.engine.connect(async (c) => (await c.execute(select(v().c.id, v().c.s))).all());
    expect(rows).toEqual([{ id: 7, s: 'guard' }]);
  });
}
