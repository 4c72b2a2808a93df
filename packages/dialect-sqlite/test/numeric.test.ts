/**
 * Numeric(p, s) reads back as PostgreSQL and MariaDB return it: exactly `s` fractional
 * digits, rounded half away from zero on the digits. SQLite stores the number (NUMERIC
 * affinity: INTEGER or REAL), exact to 15 significant digits or a 64-bit whole number;
 * wider values are refused.
 */
import { Column, DataError, type Engine, Integer, MetaData, Numeric, Table, cast, createEngine, func, insert, literal, select } from '@athanor/core';
import { athanorDialect } from '../src';
import { decimalToScale } from '../src/dialect';

const metadata = new MetaData();
const t = new Table('prices', metadata, {
  id: Column(Integer, { primaryKey: true }),
  p2: Column(Numeric(10, 2)),
  p4: Column(Numeric(20, 4)),
  p0: Column(Numeric(10)),
  free: Column(Numeric()),
});

let engine: Engine;
beforeEach(async () => {
  engine = createEngine('sqlite://', { dialect: athanorDialect });
  await metadata.createAll(engine);
});
afterEach(() => engine.dispose());

const roundTrip = async (values: Record<string, unknown>) => {
  await engine.connect((c) => c.execute(insert(t).values(values as any)));
  return engine.connect((c) => c.first(select(t.c.p2, t.c.p4, t.c.p0, t.c.free).where(t.c.id.eq(values.id as number))));
};

test.each([
  ['1.5', '1.50', '1.5000'],
  ['-0.5', '-0.50', '-0.5000'],
  ['0', '0.00', '0.0000'],
  ['42', '42.00', '42.0000'],
  ['-0.001', '0.00', '-0.0010'],
  ['1.005', '1.01', '1.0050'],
  ['-1.00005', '-1.00', '-1.0001'],
  ['.5', '0.50', '0.5000'],
  ['1e3', '1000.00', '1000.0000'],
])('%s reads back as %s with scale 2 and %s with scale 4', async (value, two, four) => {
  expect(await roundTrip({ id: 1, p2: value, p4: value })).toEqual({ p2: two, p4: four, p0: null, free: null });
});

test('values up to 15 significant digits, and whole numbers to 64 bits, keep every digit', async () => {
  expect(await roundTrip({ id: 1, p4: '12345678901.2345', p2: '12345678.9' })).toMatchObject({ p4: '12345678901.2345', p2: '12345678.90' });
  expect(await roundTrip({ id: 2, p4: '9223372036854775807', p2: '99999999.995' })).toMatchObject({ p4: '9223372036854775807.0000', p2: '100000000.00' });
  expect(await roundTrip({ id: 3, p4: '-0.000000000000001' })).toMatchObject({ p4: '0.0000' });
});

test('wider values are refused with DataError, never rounded', async () => {
  await expect(roundTrip({ id: 1, p4: '12345678901234.5678' })).rejects.toThrow(/'12345678901234.5678' has more significant digits than SQLite can hold exactly/);
  await expect(roundTrip({ id: 1, p4: '9223372036854775808' })).rejects.toBeInstanceOf(DataError);
  // Rounded to the column's scale first: 16 digits given, 15 kept.
  expect(await roundTrip({ id: 2, p2: '1234567890123.456' })).toMatchObject({ p2: '1234567890123.46' });
});

test('numbers and bigints bind as their exact decimal', async () => {
  expect(await roundTrip({ id: 1, p2: 7, p4: 0.1 + 0.2, p0: 2n ** 60n })).toMatchObject({ p2: '7.00', p4: '0.3000', p0: '1152921504606846976' });
});

test('Numeric(p) has scale 0, Numeric() reads back the number it was given', async () => {
  expect(await roundTrip({ id: 1, p0: '12.5', free: '1.50' })).toMatchObject({ p0: '13', free: '1.5' });
  expect(await roundTrip({ id: 2, p0: '-0.4', free: '1.5' })).toMatchObject({ p0: '0', free: '1.5' });
});

test('values are stored as numbers, so equality finds the value however it is written', async () => {
  await engine.connect((c) => c.execute(insert(t), [{ id: 1, p2: '1.5' }, { id: 2, p2: '2' }]));
  const stored = await engine.connect((c) => c.execDriverSQL('SELECT p2, typeof(p2) FROM prices ORDER BY id'));
  expect(stored.rows).toEqual([
    [1.5, 'real'],
    [2, 'integer'],
  ]);
  const ids = (value: string) => engine.connect(async (c) => (await c.execute(select(t.c.id).where(t.c.p2.eq(value)))).scalars().all());
  expect(await ids('1.50')).toEqual([1]);
  expect(await ids('1.5')).toEqual([1]);
  expect(await ids('2')).toEqual([2]);
});

test('values written another way read with the declared scale: raw SQL, text rows of the older storage', async () => {
  await engine.connect((c) => c.execDriverSQL("INSERT INTO prices (id, p2, p4) VALUES (1, '3.1', 2.5), (2, 4, '-7')"));
  const rows = await engine.connect(async (c) => (await c.execute(select(t.c.p2, t.c.p4).orderBy(t.c.id))).all());
  expect(rows).toEqual([
    { p2: '3.10', p4: '2.5000' },
    { p2: '4.00', p4: '-7.0000' },
  ]);
  // sum() reads with the column's scale; cast() to Numeric(10, 2) too.
  const total = await engine.connect((c) => c.scalar(select(func.sum(t.c.p2).label('s'))));
  expect(total).toBe('7.10');
  expect(await engine.connect((c) => c.scalar(select(cast(literal('2.345'), Numeric(10, 2)))))).toBe('2.35');
});

test('text that is not a number raises DataError, as on the servers', async () => {
  await expect(engine.connect((c) => c.execute(insert(t).values({ id: 1, p2: 'abc' })))).rejects.toBeInstanceOf(DataError);
  await expect(engine.connect((c) => c.execute(insert(t).values({ id: 1, p2: '1.2.3' })))).rejects.toThrow(/'1.2.3' is not a decimal number/);
});

test('decimalToScale: rounding half away from zero on the digits', () => {
  expect(decimalToScale('0.05', 1)).toBe('0.1');
  expect(decimalToScale('0.049', 1)).toBe('0.0');
  expect(decimalToScale('-0.05', 1)).toBe('-0.1');
  expect(decimalToScale('1.5e-7', 4)).toBe('0.0000');
  expect(decimalToScale('-0.0000', 4)).toBe('0.0000');
  expect(decimalToScale('123456789012345678901234567890.123456789', 4)).toBe('123456789012345678901234567890.1235');
  expect(decimalToScale('1e-2000', 2)).toBe('0.00');
  for (const bad of ['', '.', '-', 'e5', '1e', 'NaN', 'Infinity', '1e2000']) expect(decimalToScale(bad, 2)).toBeUndefined();
});
