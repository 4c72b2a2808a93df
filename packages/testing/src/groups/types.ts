import { delete_, insert, literal, select, text } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';

const bytes = new Uint8Array(256).map((_, i) => i);
const full = {
  id: 1,
  i: -2147483648,
  big: 2n ** 60n + 1n,
  f: 1.5e300,
  num: '12345678901.2345', // 15 significant digits: exact on every database, SQLite included
  s: 'emoji 🎉😀 ok',
  t: 'multi\nline 𝄞 text',
  b: true,
  day: '2024-02-29',
  at: new Date('2024-02-29T23:59:58.123Z'),
  j: { a: [1, 2, { b: null }], s: 'x' },
  u: '123e4567-e89b-12d3-a456-426614174000',
  bin: bytes,
  e: 'green' as const,
};
const nulls = { id: 2, i: null, big: null, f: null, num: null, s: null, t: null, b: null, day: null, at: null, j: null, u: null, bin: null, e: null };

export function typeTests(ctx: SuiteContext): void {
  const { t } = ctx;
  const load = async (rows: Record<string, unknown>[]) => {
    await ctx.engine.connect((c) => c.execute(delete_(t.values)));
    await ctx.engine.begin(async (c) => {
      for (const r of rows) await c.execute(insert(t.values).values(r as any));
    });
    return ctx.engine.connect(async (c) => (await c.execute(select(t.values).orderBy(t.values.c.id))).all());
  };

  ctx.test('every value type round-trips exactly', async () => {
    const [got] = await load([full]);
    expect(got).toEqual(full);
    expect(typeof got.big).toBe('bigint');
    expect(got.bin).toBeInstanceOf(Uint8Array);
    expect(Array.from(got.bin as Uint8Array)).toEqual(Array.from(bytes));
    expect((got.at as Date).getTime()).toBe(full.at.getTime());
    expect(got.b).toBe(true);
  });

  ctx.test('conn.first() reads every value type as execute() does', async () => {
    await load([full, nulls]);
    await ctx.engine.connect(async (c) => {
      for (const id of [1, 2]) {
        const q = select(t.values).where(t.values.c.id.eq(id));
        expect(await c.first(q)).toEqual((await c.execute(q)).one());
      }
      expect(await c.scalar(select(t.values.c.big).where(t.values.c.id.eq(1)))).toBe(full.big);
    });
  });

  ctx.test('Numeric(p, s) reads back with exactly s fractional digits', async () => {
    const got = await load([
      { ...nulls, id: 1, num: '1.5' },
      { ...nulls, id: 2, num: '-0.5' },
      { ...nulls, id: 3, num: '42' },
      { ...nulls, id: 4, num: '12345678901.2345' },
    ]);
    expect(got.map((r) => r.num)).toEqual(['1.5000', '-0.5000', '42.0000', '12345678901.2345']);
    const hit = await ctx.engine.connect(async (c) => (await c.execute(select(t.values.c.id).where(t.values.c.num.eq('1.5')))).scalars().all());
    expect(hit).toEqual([1]);
  });

  ctx.requires(['types.exactDecimal'], 'Numeric values wider than a double keep every digit', async () => {
    const got = await load([{ ...nulls, id: 1, num: '12345678901234.5678' }]);
    expect(got[0].num).toBe('12345678901234.5678');
  });

  ctx.requires(['!types.exactDecimal'], 'a Numeric value wider than the database holds exactly is refused, not rounded', async () => {
    await expect(load([{ ...nulls, id: 1, num: '12345678901234.5678' }])).rejects.toThrow(/more significant digits than .* can hold exactly/);
    // Whole numbers are INTEGERs: exact to 64 bits.
    const got = await load([{ ...nulls, id: 1, num: '922337203685477' }]);
    expect(got[0].num).toBe('922337203685477.0000');
  });

  ctx.test('a literal without a type takes the type of its JS value', async () => {
    const at = new Date('2024-02-29T23:59:58.123Z');
    const row = await ctx.engine.connect((c) =>
      c.first(
        select(
          literal(1.5).label('half'),
          literal(7).label('seven'),
          literal(3_000_000_000).label('wide'),
          literal(2n ** 60n + 1n).label('big'),
          literal('text').label('s'),
          literal(at).label('at'),
        ),
      ),
    );
    expect(row).toEqual({ half: 1.5, seven: 7, wide: 3_000_000_000, big: 2n ** 60n + 1n, s: 'text', at });
  });

  ctx.test('raw SQL reads a BIGINT beyond 2^53 as a bigint', async () => {
    await load([full]);
    const table = t.values.schema === undefined ? 'cs_values' : `${t.values.schema}.cs_values`;
    await ctx.engine.connect(async (c) => {
      expect(await c.scalar(text(`SELECT big FROM ${table} WHERE id = 1`))).toBe(full.big);
      expect((await c.execute(text(`SELECT big, i FROM ${table}`))).one()).toEqual({ big: full.big, i: full.i });
    });
  });

  ctx.test('false, JSON arrays and other second values round-trip', async () => {
    const row = { ...full, id: 3, b: false, j: [1, 'two', 3, null], day: '1999-12-31', num: '-0.0001', e: 'red' as const, big: -(2n ** 62n) };
    const [got] = await load([row]);
    expect(got).toEqual(row);
  });

  ctx.test('null round-trips for every type', async () => {
    const [got] = await load([nulls]);
    expect(got).toEqual(nulls);
  });

  ctx.test('typed values bind in WHERE clauses', async () => {
    await load([full, nulls]);
    const hit = (cond: any) => ctx.engine.connect(async (c) => (await c.execute(select(t.values.c.id).where(cond))).scalars().all());
    expect(await hit(t.values.c.big.eq(2n ** 60n + 1n))).toEqual([1]);
    expect(await hit(t.values.c.num.eq('12345678901.2345'))).toEqual([1]);
    expect(await hit(t.values.c.day.eq('2024-02-29'))).toEqual([1]);
    expect(await hit(t.values.c.at.eq(full.at))).toEqual([1]);
    expect(await hit(t.values.c.u.eq(full.u))).toEqual([1]);
    expect(await hit(t.values.c.b.eq(true))).toEqual([1]);
    expect(await hit(t.values.c.e.eq('green'))).toEqual([1]);
    expect(await hit(t.values.c.s.eq(full.s))).toEqual([1]);
  });
}
