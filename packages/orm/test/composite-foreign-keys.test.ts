/**
 * Relationships over a composite foreign key (a ForeignKeyConstraint of two columns): the
 * flush copies both key columns, selectinload matches with a row-value IN, joinedload
 * joins on both columns, and a removed child has both columns cleared. Each collection
 * declares an `orderBy`, which every loader applies.
 */
import { Column, ForeignKeyConstraint, Integer, String, desc, select } from '@athanor/core';
import { Session, declarativeBase, joinedload, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Warehouse extends Base.mapped('ck_warehouse', {
  region: Column(String(10), { primaryKey: true }),
  code: Column(Integer, { primaryKey: true, autoincrement: false }),
  name: Column(String(30), { nullable: false }),
}) {
  declare bins: Bin[];
}
class Bin extends Base.mapped(
  'ck_bin',
  {
    id: Column(Integer, { primaryKey: true }),
    label: Column(String(30), { nullable: false }),
    region: Column(String(10), { name: 'wh_region' }),
    code: Column(Integer, { name: 'wh_code' }),
  },
  new ForeignKeyConstraint(['region', 'code'], ['ck_warehouse.region', 'ck_warehouse.code']),
) {
  declare warehouse: Warehouse | null;
}
Base.relationships(Warehouse, { bins: relationship(Bin, { backPopulates: 'warehouse', orderBy: desc(Bin.c.label) }) });
Base.relationships(Bin, { warehouse: relationship(Warehouse, { backPopulates: 'bins' }) });

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const binRows = async () =>
    (await live.rows<{ label: string; region: string | null; code: number | null }>(select(Bin.c.label, Bin.c.region, Bin.c.code).orderBy(Bin.c.label))).map(
      (r) => [r.label, r.region, r.code],
    );

  beforeAll(async () => {
    await using s = new Session(live.engine);
    const north = new Warehouse({ region: 'north', code: 1, name: 'N1' });
    const south = new Warehouse({ region: 'south', code: 1, name: 'S1' });
    // Same code, other region: only the pair identifies the warehouse.
    north.bins.push(new Bin({ label: 'a' }), new Bin({ label: 'c' }), new Bin({ label: 'b' }));
    south.bins.push(new Bin({ label: 'd' }));
    s.addAll([north, south]);
    await s.commit();
  });

  test('the flush copies both columns of the composite key', async () => {
    expect(await binRows()).toEqual([
      ['a', 'north', 1],
      ['b', 'north', 1],
      ['c', 'north', 1],
      ['d', 'south', 1],
    ]);
  });

  test('selectinload: one row-value IN query, children grouped by the whole key, in orderBy order', async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const houses = (await s.scalars(select(Warehouse).options(selectinload(Warehouse, 'bins')).orderBy(Warehouse.c.region))).all();
    const selects = live.log.slice(mark).filter((l) => l.startsWith('SELECT'));
    expect(selects).toHaveLength(2);
    expect(selects[1]).toMatch(/\(\W?ck_bin\W?\.\W?wh_region\W?, \W?ck_bin\W?\.\W?wh_code\W?\) IN /);
    expect(selects[1]).toMatch(/ORDER BY \W?ck_bin\W?\.\W?label\W? DESC/);
    expect(houses.map((h) => [h.name, h.bins.map((b) => b.label)])).toEqual([
      ['N1', ['c', 'b', 'a']],
      ['S1', ['d']],
    ]);
    // The many-to-one side, loaded the other way round with the same composite key.
    const bins = (await s.scalars(select(Bin).options(selectinload(Bin, 'warehouse')).orderBy(Bin.c.label))).all();
    expect(bins.map((b) => b.warehouse?.name)).toEqual(['N1', 'N1', 'N1', 'S1']);
  });

  test('joinedload: ON compares both columns; the collection in orderBy order after the query order', async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const houses = (await s.scalars(select(Warehouse).options(joinedload(Warehouse, 'bins')).orderBy(Warehouse.c.region))).all();
    const selects = live.log.slice(mark).filter((l) => l.startsWith('SELECT'));
    expect(selects).toHaveLength(1);
    expect(selects[0]).toMatch(/LEFT OUTER JOIN \W?ck_bin\W? AS \W?ck_bin_j1\W? ON \W?ck_bin_j1\W?\.\W?wh_region\W? = \W?ck_warehouse\W?\.\W?region\W? AND \W?ck_bin_j1\W?\.\W?wh_code\W? = \W?ck_warehouse\W?\.\W?code\W?/);
    expect(selects[0]).toMatch(/ORDER BY \W?ck_warehouse\W?\.\W?region\W?, \W?ck_bin_j1\W?\.\W?label\W? DESC/);
    expect(houses.map((h) => [h.name, h.bins.map((b) => b.label)])).toEqual([
      ['N1', ['c', 'b', 'a']],
      ['S1', ['d']],
    ]);
    const bins = (await s.scalars(select(Bin).options(joinedload(Bin, 'warehouse')).orderBy(Bin.c.label))).all();
    expect(bins.map((b) => b.warehouse?.name)).toEqual(['N1', 'N1', 'N1', 'S1']);
  });

  test('moving a child to another parent rewrites both columns; removing it clears both', async () => {
    {
      await using s = new Session(live.engine);
      const [north, south] = (await s.scalars(select(Warehouse).options(selectinload(Warehouse, 'bins')).orderBy(Warehouse.c.region))).all();
      const c = north.bins.find((b) => b.label === 'c')!;
      south.bins.push(c);
      const a = north.bins.find((b) => b.label === 'a')!;
      north.bins.splice(north.bins.indexOf(a), 1);
      await s.commit();
    }
    expect(await binRows()).toEqual([
      ['a', null, null],
      ['b', 'north', 1],
      ['c', 'south', 1],
      ['d', 'south', 1],
    ]);
  });

  test('deleting a parent whose children are not loaded clears both key columns of its children', async () => {
    {
      await using s = new Session(live.engine);
      const south = (await s.get(Warehouse, ['south', 1]))!;
      await s.delete(south);
      await s.commit();
    }
    expect(await binRows()).toEqual([
      ['a', null, null],
      ['b', 'north', 1],
      ['c', null, null],
      ['d', null, null],
    ]);
  });
});
