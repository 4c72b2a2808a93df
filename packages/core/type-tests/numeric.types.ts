/** Numeric typing: inputs, comparisons and arithmetic result types (checked by tsc). */
import {
  BigInteger,
  Column,
  type ColumnElement,
  type Decimal,
  Float,
  Integer,
  MetaData,
  Numeric,
  String,
  Table,
  case_,
  func,
  insert,
  literal,
  type RowOf,
} from '@athanor/core';
import { type Equal, expectType } from './assert';

const metadata = new MetaData();
const items = new Table('items', metadata, {
  id: Column(Integer, { primaryKey: true }),
  price: Column(Numeric(10, 2), { nullable: false }),
  discount: Column(Numeric(4, 2)),
  qty: Column(Integer, { nullable: false }),
  weight: Column(Float),
  big: Column(BigInteger, { nullable: false }),
  name: Column(String(20), { nullable: false }),
});
const { price, discount, qty, weight, big, name } = items.c;

type ValueOf<E> = E extends ColumnElement<infer V, any> ? V : never;

// Comparisons take decimal text, numbers, bigints and any number expression.
price.lt('24');
price.lt(24);
price.lt(24n);
price.between(0.1, '9.5');
price.in(['24', 100, 7n]);
price.gt(qty);
qty.le(price);
price.eq(null);
// Text columns do not take numbers, and number columns take no arbitrary objects.
// @ts-expect-error a String column compared with a number
name.lt(24);
// @ts-expect-error a Numeric compared with a boolean
price.eq(true);

// Arithmetic result types: Integer op Numeric is Numeric, nullability flows through.
const gross = price.mul(qty);
expectType<Equal<ValueOf<typeof gross>, Decimal>>(true);
const reversed = qty.mul(price);
expectType<Equal<ValueOf<typeof reversed>, Decimal>>(true);
const net = literal(1).sub(discount);
expectType<Equal<ValueOf<typeof net>, Decimal | null>>(true);
const perWeek = func.sum(price).div(7);
expectType<Equal<ValueOf<typeof perWeek>, Decimal | null>>(true);
const withText = qty.add('0.5');
expectType<Equal<ValueOf<typeof withText>, Decimal>>(true);
const ints = qty.div(2);
expectType<Equal<ValueOf<typeof ints>, number>>(true);
const floats = weight.mul(qty);
expectType<Equal<ValueOf<typeof floats>, number | null>>(true);
const bigs = big.add(1n);
expectType<Equal<ValueOf<typeof bigs>, bigint>>(true);
const concat = name.add('!');
expectType<Equal<ValueOf<typeof concat>, string>>(true);
// @ts-expect-error arithmetic on a number column with a boolean
qty.add(true);

// CASE: plain numbers beside a Numeric branch make one Numeric.
const c1 = case_([[qty.gt(1), price]], { else: 0 });
expectType<Equal<ValueOf<typeof c1>, Decimal>>(true);
const c2 = case_([[qty.gt(1), price], [qty.gt(0), 1]]);
expectType<Equal<ValueOf<typeof c2>, Decimal | null>>(true);
const c3 = case_([[qty.gt(1), 'many']], { else: 'few' });
expectType<Equal<ValueOf<typeof c3>, string>>(true);

// values() and literal() take numbers and bigints for a Numeric.
insert(items).values({ price: 9.5, qty: 1, big: 1n, name: 'x', discount: 5n });
insert(items).values({ price: '9.50', qty: 1, big: 1n, name: 'x' });
literal(0.5, Numeric(3, 2));
// @ts-expect-error a Numeric value is not a boolean
insert(items).values({ price: true, qty: 1, big: 1n, name: 'x' });

// Rows: Numeric is Decimal, assignable to string.
type Row = RowOf<[typeof price, ReturnType<typeof gross.label<'gross'>>]>;
expectType<Equal<Row, { price: Decimal; gross: Decimal }>>(true);
const asText: string = '' as Decimal;
void asText;
