/**
 * jsonRecord() / jsonArrayAgg(): the generic (PostgreSQL) spelling, per-type encoding inside
 * the JSON, 50 pairs per jsonb_build_object call, the decoder built from the field types,
 * cache keys and argument errors. Dialect spellings and live decoding: the ORM's
 * json-loading test, on SQLite, PostgreSQL and MariaDB.
 */
import {
  ArgumentError,
  BigInteger,
  Column,
  DateTime,
  Integer,
  JsonRowsType,
  LargeBinary,
  MetaData,
  Numeric,
  String,
  Table,
  cacheKeyOf,
  defaultDialect,
  jsonArrayAgg,
  jsonRecord,
  select,
} from '@athanor/core';

const metadata = new MetaData();
const items = new Table('items', metadata, {
  id: Column(Integer, { primaryKey: true }),
  ownerId: Column(Integer, { name: 'owner_id' }),
  big: Column(BigInteger),
  price: Column(Numeric(40, 30)),
  at: Column(DateTime({ timezone: true })),
  blob: Column(LargeBinary),
  name: Column(String(10)),
});
const owners = new Table('owners', metadata, { id: Column(Integer, { primaryKey: true }) });

test('a correlated aggregate of records, each value encoded for its type', () => {
  const agg = select(jsonArrayAgg(jsonRecord({ id: items.c.id, big: items.c.big, price: items.c.price, at: items.c.at, blob: items.c.blob, name: items.c.name })))
    .where(items.c.ownerId.eq(owners.c.id))
    .scalarSubquery();
  const stmt = select(owners.c.id, agg.label('items'));
  expect(stmt.compile().sql).toBe(
    "SELECT owners.id, (SELECT coalesce(json_agg(jsonb_build_object('id', items.id, 'big', CAST(items.big AS TEXT), 'price', CAST(items.price AS TEXT), " +
      "'at', to_char((items.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), 'blob', encode(items.blob, 'hex'), 'name', items.name)), '[]') AS anon_1 " +
      'FROM items WHERE items.owner_id = owners.id) AS items FROM owners',
  );
});

test('orderBy orders the members inside the aggregate', () => {
  const agg = jsonArrayAgg(jsonRecord({ id: items.c.id }), { orderBy: [items.c.name.desc(), items.c.id] });
  expect(select(agg.label('a')).compile().sql).toBe(
    "SELECT coalesce(json_agg(jsonb_build_object('id', items.id) ORDER BY items.name DESC, items.id), '[]') AS a FROM items",
  );
  expect(() => jsonArrayAgg(jsonRecord({ id: items.c.id }), { orderBy: ['name' as never] })).toThrow(ArgumentError);
});

test('more than 50 fields: jsonb_build_object calls joined with ||', () => {
  const fields = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, items.c.id]));
  const sql = select(jsonRecord(fields).label('r')).compile().sql;
  expect(sql.match(/jsonb_build_object\(/g)).toHaveLength(2);
  expect(sql).toContain("'f49', items.id) || jsonb_build_object('f50', items.id)");
});

test('the decoder: each field through its type, nested aggregates, NULL aggregate is []', () => {
  const inner = jsonArrayAgg(jsonRecord({ big: items.c.big, blob: items.c.blob }));
  const outer = jsonArrayAgg(jsonRecord({ id: owners.c.id, items: select(inner).scalarSubquery() }));
  expect(outer.type).toBeInstanceOf(JsonRowsType);
  const decode = defaultDialect.resultProcessor(outer.type)!;
  const text = JSON.stringify([{ id: 1, items: [{ big: '9007199254740993', blob: '00ff' }, { big: null, blob: null }] }, { id: 2, items: null }]);
  expect(decode(text)).toEqual([
    {
      id: 1,
      items: [
        { big: 9007199254740993n, blob: new Uint8Array([0, 255]) },
        { big: null, blob: null },
      ],
    },
    { id: 2, items: [] },
  ]);
  expect(decode(null)).toEqual([]);
});

test('cache keys follow the keys and the values', () => {
  const a = select(jsonRecord({ id: items.c.id }).label('r'));
  expect(cacheKeyOf(a)).toEqual(cacheKeyOf(select(jsonRecord({ id: items.c.id }).label('r'))));
  expect(cacheKeyOf(a)).not.toEqual(cacheKeyOf(select(jsonRecord({ key: items.c.id }).label('r'))));
  expect(cacheKeyOf(a)).not.toEqual(cacheKeyOf(select(jsonRecord({ id: items.c.big }).label('r'))));
});

test('argument errors name the fix', () => {
  expect(() => jsonRecord({})).toThrow(ArgumentError);
  expect(() => jsonRecord({ 'a b': items.c.id })).toThrow("jsonRecord(): the key 'a b' is not an identifier");
  expect(() => jsonRecord({ a: 1 as never })).toThrow("jsonRecord(): the field 'a' must be a column or an expression.");
  expect(() => jsonArrayAgg(items.c.id as never)).toThrow('jsonArrayAgg() takes a jsonRecord');
});
