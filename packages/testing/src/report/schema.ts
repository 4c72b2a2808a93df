/** The analytic report's tables (a small TPC-H: regions, nations, customers, parts, orders, line items, returns) and data. */
import { Column, Date as DateT, ForeignKey, Integer, type MetaData, Numeric, String, Table } from '@athanor/core';

export function buildReportTables(metadata: MetaData) {
  const fk = (target: string, name: string) => [ForeignKey(target), { name, nullable: false }] as const;
  const regions = new Table('cs_r_regions', metadata, { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(20), { nullable: false }) });
  const nations = new Table('cs_r_nations', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    name: Column(String(20), { nullable: false }),
    regionId: Column(Integer, ...fk('cs_r_regions.id', 'region_id')),
  });
  const customers = new Table('cs_r_customers', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    name: Column(String(20), { nullable: false }),
    nationId: Column(Integer, ...fk('cs_r_nations.id', 'nation_id')),
  });
  const parts = new Table('cs_r_parts', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    name: Column(String(20), { nullable: false }),
    category: Column(String(20), { nullable: false }),
  });
  const orders = new Table('cs_r_orders', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    customerId: Column(Integer, ...fk('cs_r_customers.id', 'customer_id')),
    orderedOn: Column(DateT, { name: 'ordered_on', nullable: false }),
  });
  const lineitems = new Table('cs_r_lineitems', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    orderId: Column(Integer, ...fk('cs_r_orders.id', 'order_id')),
    partId: Column(Integer, ...fk('cs_r_parts.id', 'part_id')),
    qty: Column(Numeric(10, 2), { nullable: false }),
    price: Column(Numeric(10, 2), { nullable: false }),
    discount: Column(Numeric(4, 2), { nullable: false }),
  });
  const returns = new Table('cs_r_returns', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    lineitemId: Column(Integer, ...fk('cs_r_lineitems.id', 'lineitem_id')),
  });
  return { regions, nations, customers, parts, orders, lineitems, returns };
}

export type ReportTables = ReturnType<typeof buildReportTables>;

export const REPORT_DATA = {
  regions: [
    { id: 1, name: 'EUROPE' },
    { id: 2, name: 'AMERICA' },
  ],
  nations: [
    { id: 1, name: 'FRANCE', regionId: 1 },
    { id: 2, name: 'GERMANY', regionId: 1 },
    { id: 3, name: 'CANADA', regionId: 2 },
  ],
  customers: [
    { id: 1, name: 'ann', nationId: 1 },
    { id: 2, name: 'bob', nationId: 1 },
    { id: 3, name: 'cid', nationId: 2 },
    { id: 4, name: 'dee', nationId: 3 },
    { id: 5, name: 'eve', nationId: 3 },
  ],
  parts: [
    { id: 1, name: 'hammer', category: 'tools' },
    { id: 2, name: 'saw', category: 'tools' },
    { id: 3, name: 'lamp', category: 'home' },
  ],
  orders: [
    { id: 1, customerId: 1, orderedOn: '2023-12-15' },
    { id: 2, customerId: 1, orderedOn: '2024-01-31' },
    { id: 3, customerId: 2, orderedOn: '2024-02-29' },
    { id: 4, customerId: 3, orderedOn: '2023-11-30' },
    { id: 5, customerId: 3, orderedOn: '2024-03-31' },
    { id: 6, customerId: 4, orderedOn: '2023-06-01' },
    { id: 7, customerId: 4, orderedOn: '2024-01-01' },
    { id: 8, customerId: 4, orderedOn: '2024-01-02' },
    { id: 9, customerId: 5, orderedOn: '2024-02-15' },
    { id: 10, customerId: 2, orderedOn: '2023-10-10' },
  ],
  lineitems: [
    { id: 1, orderId: 2, partId: 1, qty: '3.00', price: '9.99', discount: '0.05' },
    { id: 2, orderId: 2, partId: 3, qty: '1.00', price: '24.50', discount: '0.00' },
    { id: 3, orderId: 3, partId: 2, qty: '2.50', price: '13.37', discount: '0.10' },
    { id: 4, orderId: 3, partId: 1, qty: '1.00', price: '9.99', discount: '0.00' },
    { id: 5, orderId: 5, partId: 3, qty: '4.00', price: '24.50', discount: '0.07' },
    { id: 6, orderId: 7, partId: 1, qty: '10.00', price: '9.99', discount: '0.00' },
    { id: 7, orderId: 8, partId: 2, qty: '0.75', price: '13.37', discount: '0.03' },
    { id: 8, orderId: 9, partId: 1, qty: '1.00', price: '9.99', discount: '0.00' },
    { id: 9, orderId: 5, partId: 2, qty: '1.00', price: '13.37', discount: '0.00' },
    { id: 10, orderId: 1, partId: 1, qty: '1.00', price: '9.99', discount: '0.00' },
  ],
  returns: [
    { id: 1, lineitemId: 4 },
    { id: 2, lineitemId: 9 },
  ],
};
