import {
  CheckConstraint,
  Column,
  type Engine,
  ForeignKeyConstraint,
  Integer,
  MetaData,
  type NullType,
  PrimaryKeyConstraint,
  String as StringT,
  Table,
  Text,
  UniqueConstraint,
  createEngine,
  insert,
  inspect,
  select,
  text,
} from '@athanor/core';
import { buildRoundTripSchema, describeType, expectColumnsRoundTrip, expectRowsRoundTrip } from '@athanor/testing';

const engines: Engine[] = [];
function engine(echo?: (line: string) => void): Engine {
  const e = createEngine('sqlite://', echo ? { echo } : {});
  engines.push(e);
  return e;
}
afterAll(async () => {
  for (const e of engines) await e.dispose();
});

describe('SQLite reflection', () => {
  test('round trip: every column type, composite keys, constraints, indexes, defaults', async () => {
    const e = engine();
    const src = new MetaData();
    const { allTypes } = buildRoundTripSchema(src);
    await src.createAll(e);
    const md = new MetaData();
    const tables = await md.reflect(e);
    expect(tables.map((t) => t.name).sort()).toEqual(['Odd "Table" ñ', 'all_types', 'parent']);
    // Types the database keeps under another name (listed in the docs page).
    expectColumnsRoundTrip(src, md, { bo: 'Boolean', dt: 'DateTime', j: 'JSON', num: 'Numeric(10,2)' });
    const ra = md.tables.get('all_types')!;
    expect(ra.c.id.isAutoincrement).toBe(true);
    expect((ra.c.i.options.serverDefault as any).text).toBe('7');
    expect(ra.foreignKeyConstraints.map((f) => [f.name, f.columns.map((c) => c.name), f.targets, f.options.onDelete])).toEqual([
      ['fk_all_parent', ['pa', 'pb'], ['parent.a', 'parent.b'], 'CASCADE'],
    ]);
    const uqs = ra.constraints.filter((c) => c instanceof UniqueConstraint) as UniqueConstraint[];
    expect(uqs.map((u) => [u.name, u.columns.map((c) => c.name)])).toEqual([['uq_s_bi', ['s', 'bi']]]);
    const cks = ra.constraints.filter((c) => c instanceof CheckConstraint) as CheckConstraint[];
    expect(cks.map((c) => [c.name, c.condition])).toEqual([['ck_i_positive', 'i > 0']]);
    const ixs = ra.indexes.map((i) => [i.name, i.unique, i.elements.map((el: any) => el.name ?? el.text)]).sort();
    expect(ixs).toEqual([
      ['ix_f_d', true, ['f', 'd']],
      ['ix_lower_s', false, ['lower(s)']],
    ]);
    const odd = md.tables.get('Odd "Table" ñ')!;
    expect(odd.primaryKey.map((c) => c.name)).toEqual(['Mixed Case', 'select']);
    expect(odd.constraints.find((c) => c instanceof PrimaryKeyConstraint)?.name).toBe('pk odd');
    expect(allTypes.name).toBe('all_types');
  });

  test('reflected tables insert and select rows, odd names included', async () => {
    const e = engine();
    const src = new MetaData();
    buildRoundTripSchema(src);
    await src.createAll(e);
    const md = new MetaData();
    await md.reflect(e);
    // SQLite enforces foreign keys only when asked, per connection.
    await expectRowsRoundTrip(e, md, { beforeCascade: (conn) => conn.execute(text('PRAGMA foreign_keys = ON')) });
  });

  test('inspector: single and bulk forms, views, unknown types, Table.reflect overrides', async () => {
    const e = engine();
    await e.connect(async (conn) => {
      await conn.execute(text('CREATE TABLE widgets (id INTEGER PRIMARY KEY, shape GEOMETRY_THING, name VARCHAR(30))'));
      await conn.execute(text('CREATE VIEW wv AS SELECT id, name FROM widgets'));
    });
    const insp = inspect(e);
    expect(await insp.getTableNames()).toEqual(['widgets']);
    expect(await insp.getViewNames()).toEqual(['wv']);
    expect(await insp.getViewDefinition('wv')).toBe('CREATE VIEW wv AS SELECT id, name FROM widgets');
    expect(await insp.getSchemaNames()).toEqual(['main']);
    const cols = await insp.getColumns('widgets');
    expect(cols.map((c) => [c.name, c.rawType, describeType(c.type), c.nullable, c.autoincrement])).toEqual([
      ['id', 'INTEGER', 'Integer', false, true],
      ['shape', 'GEOMETRY_THING', 'Null', true, false],
      ['name', 'VARCHAR(30)', 'String(30)', true, false],
    ]);
    expect((cols[1].type as NullType).rawName).toBe('GEOMETRY_THING');
    expect(await insp.getPkConstraint('widgets')).toEqual({ columns: ['id'] });
    await expect(insp.getColumns('nope')).rejects.toThrow("No table 'nope'");
    const md = new MetaData();
    const w = await Table.reflect('widgets', md, e, { columns: { name: Column(Text) } });
    expect(describeType(w.c.name.type)).toBe('Text');
    expect(describeType(w.c.shape.type)).toBe('Null');
    const md2 = new MetaData();
    await md2.reflect(e, { views: true, only: ['wv'] });
    expect([...md2.tables.keys()]).toEqual(['wv']);
    await e.connect((conn) => conn.execute(insert(w).values({ name: 'cube', shape: 'blob-ish' })));
    const got = await e.connect(async (conn) => (await conn.execute(select(md2.tables.get('wv')!))).all());
    expect(got).toEqual([{ id: 1, name: 'cube' }]);
  });

  test('a 200-table schema reflects in a fixed number of statements', async () => {
    let count = 0;
    const e = engine((line) => {
      if (/^\s*(SELECT|PRAGMA)/i.test(line)) count++;
    });
    const md = new MetaData();
    for (let i = 0; i < 200; i++) {
      new Table(`t${i}`, md, { id: Column(Integer, { primaryKey: true }), ref: Column(Integer), v: Column(StringT(20), { unique: true }) }, ...(i ? [new ForeignKeyConstraint(['ref'], [`t${i - 1}.id`])] : []));
    }
    await md.createAll(e, { checkFirst: false });
    count = 0;
    const start = performance.now();
    const out = new MetaData();
    await out.reflect(e);
    const ms = performance.now() - start;
    expect(out.tables.size).toBe(200);
    expect(out.tables.get('t150')!.foreignKeyConstraints[0].targets).toEqual(['t149.id']);
    console.log(`SQLite: reflected 200 tables in ${count} statements, ${ms.toFixed(0)} ms`);
    expect(count).toBeLessThanOrEqual(20);
  });
});
