/**
 * The analytic report, built with Core only (no text(), no sql tag): revenue per region and
 * nation from the orders of the 90 days before a date, by returning customers (EXISTS an
 * order before the year), leaving out returned line items (NOT EXISTS), with a CASE inside
 * SUM, a correlated scalar subquery, HAVING and ORDER BY on aggregates, over six joined tables.
 * `handWrittenReport()` is the same question in plain SQL, to check the built one against.
 */
import { Date as DateT, and, case_, exists, func, interval, literal, not, select } from '@athanor/core';
import type { ReportTables } from './schema';

export function buildReport(t: ReportTables, windowEnd: string) {
  const { regions: r, nations: n, customers: c, parts: p, orders: o, lineitems: li, returns: ret } = t;
  const others = c.alias('c2');
  const earlier = o.alias('o2');
  const revenue = li.c.price.mul(li.c.qty).mul(literal(1).sub(li.c.discount));
  return select(
    r.c.name.label('region'),
    n.c.name.label('nation'),
    func.countDistinct(o.c.id).label('orders'),
    func.sum(revenue).label('revenue'),
    func.sum(case_([[p.c.category.eq('tools'), revenue]], { else: 0 })).label('tools'),
    // Correlated: the nation's customers, counted in the subquery's own alias of customers.
    select(func.count()).where(others.c.nationId.eq(n.c.id)).scalarSubquery().label('customers'),
  )
    .selectFrom(li)
    .join(o, o.c.id.eq(li.c.orderId))
    .join(c, c.c.id.eq(o.c.customerId))
    .join(n, n.c.id.eq(c.c.nationId))
    .join(r, r.c.id.eq(n.c.regionId))
    .join(p, p.c.id.eq(li.c.partId))
    .where(
      and(
        o.c.orderedOn.gt(literal(windowEnd, DateT()).sub(interval({ days: 90 }))),
        o.c.orderedOn.le(windowEnd),
        exists(select(earlier.c.id).where(and(earlier.c.customerId.eq(c.c.id), earlier.c.orderedOn.lt(dateOfYearStart(windowEnd))))),
        not(exists(select(ret.c.id).where(ret.c.lineitemId.eq(li.c.id)))),
      ),
    )
    .groupBy(r.c.name, n.c.name, n.c.id)
    .having(func.sum(revenue).gt(0))
    .orderBy(func.sum(revenue).desc(), n.c.name);
}

function dateOfYearStart(day: string): string {
  return `${day.slice(0, 4)}-01-01`;
}

/** The same report in plain SQL (portable to the three databases); `q` qualifies a table name. */
export function handWrittenReport(q: (table: string) => string, windowStart: string, windowEnd: string): string {
  return `
SELECT r.name AS region, n.name AS nation, COUNT(DISTINCT o.id) AS orders,
       SUM(li.price * li.qty * (1 - li.discount)) AS revenue,
       SUM(CASE WHEN p.category = 'tools' THEN li.price * li.qty * (1 - li.discount) ELSE 0 END) AS tools,
       (SELECT COUNT(*) FROM ${q('cs_r_customers')} c2 WHERE c2.nation_id = n.id) AS customers
FROM ${q('cs_r_lineitems')} li
JOIN ${q('cs_r_orders')} o ON o.id = li.order_id
JOIN ${q('cs_r_customers')} c ON c.id = o.customer_id
JOIN ${q('cs_r_nations')} n ON n.id = c.nation_id
JOIN ${q('cs_r_regions')} r ON r.id = n.region_id
JOIN ${q('cs_r_parts')} p ON p.id = li.part_id
WHERE o.ordered_on > '${windowStart}' AND o.ordered_on <= '${windowEnd}'
  AND EXISTS (SELECT 1 FROM ${q('cs_r_orders')} o2 WHERE o2.customer_id = c.id AND o2.ordered_on < '${dateOfYearStart(windowEnd)}')
  AND NOT EXISTS (SELECT 1 FROM ${q('cs_r_returns')} x WHERE x.lineitem_id = li.id)
GROUP BY r.name, n.name, n.id
HAVING SUM(li.price * li.qty * (1 - li.discount)) > 0
ORDER BY revenue DESC, n.name`;
}
