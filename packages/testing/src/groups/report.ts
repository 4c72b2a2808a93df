/**
 * The analytic report (report/report.ts) on a live database, checked three ways: against the
 * hand-written SQL run on the same database, and its revenue columns against exact decimal
 * arithmetic on the data in this file.
 */
import { delete_, insert, text } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';
import { type Dec, add, cmp, dec, mul, sameValue, sub } from '../exact-decimal';
import { buildReport, handWrittenReport } from '../report/report';
import { REPORT_DATA as D } from '../report/schema';

const WINDOW_END = '2024-03-31';
const WINDOW_START = '2024-01-01'; // 90 days before 2024-03-31 (a leap year: 31 + 29 + 30)

/** The report computed here from the data: per nation, the revenue and tools revenue. */
function expectedRevenue(): Map<string, { revenue: Dec; tools: Dec }> {
  const out = new Map<string, { revenue: Dec; tools: Dec }>();
  const returned = new Set(D.returns.map((x) => x.lineitemId));
  for (const li of D.lineitems) {
    const order = D.orders.find((o) => o.id === li.orderId)!;
    if (!(order.orderedOn > WINDOW_START && order.orderedOn <= WINDOW_END) || returned.has(li.id)) continue;
    if (!D.orders.some((o) => o.customerId === order.customerId && o.orderedOn < '2024-01-01')) continue;
    const nation = D.nations.find((n) => n.id === D.customers.find((c) => c.id === order.customerId)!.nationId)!.name;
    const value = mul(mul(dec(li.price), dec(li.qty)), sub(dec('1'), dec(li.discount)));
    const tools = D.parts.find((p) => p.id === li.partId)!.category === 'tools' ? value : dec('0');
    const prev = out.get(nation) ?? { revenue: dec('0'), tools: dec('0') };
    out.set(nation, { revenue: add(prev.revenue, value), tools: add(prev.tools, tools) });
  }
  return out;
}

export function reportTests(ctx: SuiteContext): void {
  const t = ctx.t.report;
  const schema = ctx.t.metadata.schema;
  const q = (table: string) => (schema ? `${schema}.${table}` : table);

  ctx.test('an analytic report built with Core gives the rows of the hand-written SQL', async () => {
    await ctx.engine.begin(async (c) => {
      for (const name of ['returns', 'lineitems', 'orders', 'customers', 'nations', 'regions', 'parts'] as const) await c.execute(delete_(t[name]));
      for (const name of ['regions', 'nations', 'customers', 'parts', 'orders', 'lineitems', 'returns'] as const) await c.execute(insert(t[name]), D[name] as any);
    });
    const built = await ctx.engine.connect(async (c) => (await c.execute(buildReport(t, WINDOW_END))).all());
    const hand = await ctx.engine.connect(async (c) => (await c.execute(text(handWrittenReport(q, WINDOW_START, WINDOW_END)))).all());

    const want = expectedRevenue();
    const order = [...want.entries()].sort((a, b) => cmp(b[1].revenue, a[1].revenue) || a[0].localeCompare(b[0])).map(([n]) => n);
    expect(order).toEqual(['GERMANY', 'FRANCE', 'CANADA']);
    expect(built.map((r) => r.nation)).toEqual(order);
    expect(hand.map((r) => r.nation)).toEqual(built.map((r) => r.nation));
    for (const [i, row] of built.entries()) {
      const h = hand[i] as Record<string, unknown>;
      expect([row.region, Number(row.orders), Number(row.customers)]).toEqual([h.region, Number(h.orders), Number(h.customers)]);
      const exact = want.get(row.nation)!;
      // Exact on every database (SQLite rounds its floating sums to the expression's scale, 6).
      expect({ nation: row.nation, revenue: sameValue(row.revenue, exact.revenue), tools: sameValue(row.tools, exact.tools) }).toEqual({ nation: row.nation, revenue: true, tools: true });
      // The hand-written SQL agrees: exactly where the database computes decimals exactly,
      // to the 15 digits of a double on SQLite (whose own SUM of REALs carries float noise).
      for (const key of ['revenue', 'tools'] as const) {
        if (ctx.engine.dialect.capabilities.types.exactDecimal) expect(sameValue(String(h[key]), dec(String(row[key])))).toBe(true);
        else expect(Number(h[key]).toPrecision(15)).toBe(Number(row[key]).toPrecision(15));
      }
    }
  });
}
