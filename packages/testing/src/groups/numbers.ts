/**
 * Numeric semantics: filters, sorts, sums, averages, HAVING and arithmetic with bound values
 * compare and compute as numbers on every database (SQLite's text storage compared them as
 * text; MariaDB computed bound decimal text in floating point). Expected values come from
 * exact decimal arithmetic on the test data (exact-decimal.ts), never from the database.
 */
import { ArgumentError, type ColumnElement, Numeric, case_, delete_, func, insert, literal, select } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';
import { type Dec, add, cmp, dec, div, format, mul, sameValue, sub, sum } from '../exact-decimal';

export const PRICE_ROWS = [
  { id: 1, cat: 'a', price: '9.50', qty: '100.125', discount: '0.05', n: 7 },
  { id: 2, cat: 'a', price: '24.00', qty: '250.500', discount: '0.06', n: -7 },
  { id: 3, cat: 'b', price: '100.00', qty: '60.000', discount: '0.07', n: 3 },
  { id: 4, cat: 'b', price: '0.10', qty: '0.001', discount: '0.00', n: 2 },
  { id: 5, cat: 'c', price: '0.20', qty: '0.002', discount: '0.01', n: 1 },
];
const D = PRICE_ROWS.map((r) => ({ ...r, price: dec(r.price), qty: dec(r.qty), discount: dec(r.discount) }));
const idsWhere = (keep: (r: (typeof D)[number]) => boolean) => D.filter(keep).map((r) => r.id);

export function numberTests(ctx: SuiteContext): void {
  const { prices: p } = ctx.t;
  const load = async () => {
    await ctx.engine.begin(async (c) => {
      await c.execute(delete_(p));
      await c.execute(insert(p), PRICE_ROWS);
    });
  };
  const ids = async (where: ColumnElement<boolean>) => {
    await load();
    return ctx.engine.connect(async (c) => (await c.execute(select(p.c.id).where(where).orderBy(p.c.id))).scalars().all());
  };

  ctx.test('Numeric filters compare as numbers, with text, number and bigint inputs', async () => {
    const lt24 = idsWhere((r) => cmp(r.price, dec('24')) < 0);
    expect(lt24).toEqual([1, 4, 5]);
    expect(await ids(p.c.price.lt('24'))).toEqual(lt24);
    expect(await ids(p.c.price.lt(24))).toEqual(lt24);
    expect(await ids(p.c.price.lt(24n))).toEqual(lt24);
    // A bound value keeps its own scale: 9.499 is not rounded to the column's 9.50.
    expect(await ids(p.c.price.gt('9.499'))).toEqual(idsWhere((r) => cmp(r.price, dec('9.499')) > 0));
    expect(await ids(p.c.price.eq(0.1))).toEqual([4]);
    expect(await ids(p.c.price.between(0.1, '9.5'))).toEqual(idsWhere((r) => cmp(r.price, dec('0.1')) >= 0 && cmp(r.price, dec('9.5')) <= 0));
    expect(await ids(p.c.price.in(['24', 100]))).toEqual([2, 3]);
  });

  ctx.test('a non-finite number is refused before anything is sent', async () => {
    expect(() => p.c.price.lt(Number.POSITIVE_INFINITY)).toThrow(ArgumentError);
    expect(() => p.c.price.add(Number.NaN)).toThrow(/NaN is not a decimal number/);
  });

  ctx.test('ORDER BY a Numeric sorts numerically', async () => {
    await load();
    const got = await ctx.engine.connect(async (c) => (await c.execute(select(p.c.id, p.c.price).orderBy(p.c.price.desc()))).all());
    const want = [...D].sort((a, b) => cmp(b.price, a.price)).map((r) => ({ id: r.id, price: format(r.price, 2) }));
    expect(got).toEqual(want);
  });

  ctx.test('sum, avg and HAVING on Numeric are exact', async () => {
    await load();
    const got = await ctx.engine.connect(async (c) =>
      (
        await c.execute(
          select(p.c.cat, func.sum(p.c.qty).label('q'), func.sum(p.c.price).label('s'), func.avg(p.c.price).label('a'))
            .groupBy(p.c.cat)
            .having(func.sum(p.c.qty).gt('300'))
            .orderBy(p.c.cat),
        )
      ).all(),
    );
    const cats = [...new Set(D.map((r) => r.cat))].filter((cat) => cmp(sum(D.filter((r) => r.cat === cat).map((r) => r.qty)), dec('300')) > 0);
    expect(cats).toEqual(['a']);
    expect(got.map((r) => r.cat)).toEqual(cats);
    const rows = D.filter((r) => r.cat === 'a');
    expect(got[0].q).toBe(format(sum(rows.map((r) => r.qty)), 3));
    expect(got[0].s).toBe(format(sum(rows.map((r) => r.price)), 2));
    expect(sameValue(got[0].a, div(sum(rows.map((r) => r.price)), dec(String(rows.length)), 2))).toBe(true);
  });

  ctx.test('arithmetic with bound decimals is exact (no float on any database)', async () => {
    // discount - 0.01 BETWEEN 0.04 AND 0.06: in floating point 0.06 - 0.01 falls below 0.05.
    const want = idsWhere((r) => {
      const x = sub(r.discount, dec('0.01'));
      return cmp(x, dec('0.04')) >= 0 && cmp(x, dec('0.06')) <= 0;
    });
    expect(want).toEqual([1, 2, 3]);
    expect(await ids(p.c.discount.sub('0.01').between('0.04', '0.06'))).toEqual(want);
    expect(await ids(p.c.discount.sub(0.01).eq('0.05'))).toEqual([2]);
    // Two binds and nothing else: '0.06' - '0.01' as decimals, not doubles.
    const bound = await ctx.engine.connect((c) => c.scalar(select(literal('0.06', Numeric()).sub(literal('0.01', Numeric())).label('d'))));
    expect(sameValue(bound, dec('0.05'))).toBe(true);
  });

  ctx.test('Numeric arithmetic keeps the exact value and scale (Integer × Numeric, reversed operands)', async () => {
    await load();
    const rows = await ctx.engine.connect(async (c) =>
      (
        await c.execute(
          select(
            p.c.id,
            p.c.price.mul(p.c.qty).label('gross'),
            literal(1).sub(p.c.discount).mul(p.c.price).label('net'),
            p.c.n.mul(p.c.price).label('nTimes'),
            p.c.price.add('0.005').label('plus'),
          ).orderBy(p.c.id),
        )
      ).all(),
    );
    const want = D.map((r) => ({
      id: r.id,
      gross: format(mul(r.price, r.qty), 5),
      net: format(mul(sub(dec('1'), r.discount), r.price), 4),
      nTimes: format(mul(dec(String(r.n)), r.price), 2),
      plus: format(add(r.price, dec('0.005')), 3),
    }));
    for (const [i, row] of rows.entries()) {
      for (const key of ['gross', 'net', 'nTimes', 'plus'] as const) {
        expect({ id: row.id, key, same: sameValue(row[key], dec(want[i][key])) }).toEqual({ id: want[i].id, key, same: true });
      }
    }
  });

  ctx.test('CASE inside SUM with plain-number branches beside a Numeric one', async () => {
    await load();
    const total = await ctx.engine.connect((c) => c.scalar(select(func.sum(case_([[p.c.n.gt(1), p.c.price]], { else: 0 })).label('t'))));
    const want: Dec = sum(D.filter((r) => r.n > 1).map((r) => r.price));
    expect(sameValue(total, want)).toBe(true);
  });

  ctx.test('Integer / Integer truncates toward zero on every database; Numeric / Integer does not', async () => {
    await load();
    const rows = await ctx.engine.connect(async (c) => (await c.execute(select(p.c.id, p.c.n.div(2).label('half'), p.c.price.div(4).label('quarter')).orderBy(p.c.id))).all());
    expect(rows.map((r) => r.half)).toEqual(PRICE_ROWS.map((r) => Math.trunc(r.n / 2)));
    for (const [i, r] of rows.entries()) expect(sameValue(r.quarter, div(D[i].price, dec('4'), 4))).toBe(true);
  });
}
