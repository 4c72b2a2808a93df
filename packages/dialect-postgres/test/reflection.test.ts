import {
  BigInteger,
  Boolean as BooleanT,
  CheckConstraint,
  Column,
  Date as DateT,
  DateTime,
  type Engine,
  Float,
  ForeignKeyConstraint,
  Index,
  Integer,
  JSON as JSONT,
  LargeBinary,
  MetaData,
  type NullType,
  Numeric,
  PrimaryKeyConstraint,
  SmallInteger,
  String as StringT,
  Table,
  Text,
  Time,
  UniqueConstraint,
  Uuid,
  createEngine,
  func,
  insert,
  inspect,
  select,
  text,
} from '@athanor/core';
import { URL, available, liveDescribe } from './server';

/** A type's comparable description: name plus the parameters the database keeps. */
function describeType(t: any): string {
  const i = t.impl;
  return `${i.typeName}${i.length !== undefined ? `(${i.length})` : ''}${i.precision !== undefined ? `(${i.precision},${i.scale})` : ''}`;
}

async function setup(e: Engine) {
  const schema = newSchema();
  await e.connect((c) => c.execute(text(`CREATE SCHEMA "${schema}"`)));
  return schema;
}

function buildSource(md: MetaData) {
  const parent = new Table(
    'parent',
    md,
    {
      a: Column(Integer, { primaryKey: true, autoincrement: false }),
      b: Column(StringT(20), { primaryKey: true }),
      label: Column(StringT(50), { nullable: false, serverDefault: 'x' }),
    },
    new UniqueConstraint(['label'], { name: 'uq_parent_label' }),
  );
  const allTypes = new Table(
    'all_types',
    md,
    {
      id: Column(Integer, { primaryKey: true }),
      i: Column(Integer, { serverDefault: 7 }),
      si: Column(SmallInteger),
      bi: Column(BigInteger),
      f: Column(Float),
      num: Column(Numeric(10, 2)),
      s: Column(StringT(40), { nullable: false }),
      t: Column(Text),
      bo: Column(BooleanT),
      d: Column(DateT),
      dt: Column(DateTime, { serverDefault: text('CURRENT_TIMESTAMP') }),
      tm: Column(Time),
      j: Column(JSONT),
      bin: Column(LargeBinary),
      u: Column(Uuid, { comment: 'a uuid' }),
      pa: Column(Integer),
      pb: Column(StringT(20)),
    },
    new ForeignKeyConstraint(['pa', 'pb'], ['parent.a', 'parent.b'], { name: 'fk_all_parent', onDelete: 'CASCADE' }),
    new CheckConstraint('i > 0', { name: 'ck_i_positive' }),
    new UniqueConstraint(['s', 'bi'], { name: 'uq_s_bi' }),
  );
  allTypes.addIndex(new Index('ix_lower_s', [func.lower(allTypes.c.s)]));
  allTypes.addIndex(new Index('ix_f_d', ['f', 'd'], { unique: true }));
  const odd = new Table(
    'Odd "Table" ñ',
    md,
    {
      'Mixed Case': Column(Integer),
      select: Column(StringT(10)),
      'naïve "q" col': Column(Text),
      'with space': Column(Integer),
    },
    new PrimaryKeyConstraint(['Mixed Case', 'select'], { name: 'pk odd' }),
  );
  return { parent, allTypes, odd };
}

const d = liveDescribe('reflection tests');
const SCHEMAS: string[] = [];
function newSchema(): string {
  const s = `athanor_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  SCHEMAS.push(s);
  return s;
}

const engines: Engine[] = [];
function engine(echo?: (line: string) => void): Engine {
  const e = createEngine(URL, echo ? { echo } : {});
  engines.push(e);
  return e;
}
afterAll(async () => {
  if (available) {
    const e = createEngine(URL);
    for (const s of SCHEMAS) await e.connect((c) => c.execute(text(`DROP SCHEMA IF EXISTS "${s}" CASCADE`)));
    await e.dispose();
  }
  for (const e of engines) await e.dispose();
});

d('PostgreSQL reflection', () => {
  test('round trip: every column type, composite keys, constraints, indexes, defaults', async () => {
    const e = engine();
    const schema = await setup(e);
    const src = new MetaData({ schema });
    const { allTypes } = buildSource(src);
    await src.createAll(e);
    await e.connect((c) => c.execute(text(`COMMENT ON TABLE "${schema}".all_types IS 'every type'`)));
    await e.connect((c) => c.execute(text(`COMMENT ON COLUMN "${schema}".all_types.u IS 'a uuid'`)));
    const md = new MetaData({ schema });
    const tables = await md.reflect(e);
    expect(tables.map((t) => t.name).sort()).toEqual(['Odd "Table" ñ', 'all_types', 'parent']);
    // Types the database keeps under another name (listed in the docs page).
    const expectedType: Record<string, string> = {};
    for (const t of src.tables.values()) {
      const r = md.tables.get(t.fullname)!;
      expect(r.columns.map((c) => c.name)).toEqual(t.columns.map((c) => c.name));
      for (const c of t.columns) {
        const rc = r.columnByName(c.name)!;
        expect([c.name, describeType(rc.type)]).toEqual([c.name, expectedType[c.name] ?? describeType(c.type)]);
        // A primary key column declared through PrimaryKeyConstraint only is nullable on SQLite (its quirk).
        expect([c.name, rc.comment]).toEqual([c.name, c.comment]);
        if (!t.primaryKey.includes(c)) expect([c.name, rc.nullable]).toEqual([c.name, c.nullable]);
        expect([c.name, rc.options.serverDefault !== undefined]).toEqual([c.name, c.options.serverDefault !== undefined]);
      }
      expect(r.primaryKey.map((c) => c.name)).toEqual(t.primaryKey.map((c) => c.name));
    }
    const ra = md.tables.get(`${schema}.all_types`)!;
    expect(ra.c.id.isAutoincrement).toBe(true);
    expect(ra.comment).toBe('every type');
    expect((ra.c.i.options.serverDefault as any).text).toBe('7');
    expect(ra.foreignKeyConstraints.map((f) => [f.name, f.columns.map((c) => c.name), f.targets, f.options.onDelete])).toEqual([
      ['fk_all_parent', ['pa', 'pb'], [`${schema}.parent.a`, `${schema}.parent.b`], 'CASCADE'],
    ]);
    const uqs = ra.constraints.filter((c) => c instanceof UniqueConstraint) as UniqueConstraint[];
    expect(uqs.map((u) => [u.name, u.columns.map((c) => c.name)])).toEqual([['uq_s_bi', ['s', 'bi']]]);
    const cks = ra.constraints.filter((c) => c instanceof CheckConstraint) as CheckConstraint[];
    expect(cks.map((c) => [c.name, c.condition])).toEqual([['ck_i_positive', 'i > 0']]);
    const ixs = ra.indexes.map((i) => [i.name, i.unique, i.elements.map((el: any) => el.name ?? el.text)]).sort();
    expect(ixs).toEqual([
      ['ix_f_d', true, ['f', 'd']],
      ['ix_lower_s', false, ['lower((s)::text)']],
    ]);
    const odd = md.tables.get(`${schema}.Odd "Table" ñ`)!;
    expect(odd.primaryKey.map((c) => c.name)).toEqual(['Mixed Case', 'select']);
    expect(odd.constraints.find((c) => c instanceof PrimaryKeyConstraint)?.name).toBe('pk odd');
    expect(allTypes.name).toBe('all_types');
  });

  test('reflected tables insert and select rows, odd names included', async () => {
    const e = engine();
    const schema = await setup(e);
    const src = new MetaData({ schema });
    buildSource(src);
    await src.createAll(e);
    const md = new MetaData({ schema });
    await md.reflect(e);
    const parent = md.tables.get(`${schema}.parent`)!;
    const all = md.tables.get(`${schema}.all_types`)!;
    const odd = md.tables.get(`${schema}.Odd "Table" ñ`)!;
    await e.begin(async (conn) => {
      await conn.execute(insert(parent).values({ a: 1, b: 'k' }));
      await conn.execute(
        insert(all).values({ s: 'Hello', bi: 2n ** 60n, num: '12.50', bo: true, d: '2024-02-29', j: { a: [1, 2] }, bin: new Uint8Array([1, 2, 3]), pa: 1, pb: 'k' }),
      );
      await conn.execute(insert(odd).values({ 'Mixed Case': 5, select: 'x', 'naïve "q" col': 'ünï', 'with space': 9 }));
    });
    const rows = await e.connect(async (conn) => (await conn.execute(select(all.c.id, all.c.s, all.c.i, all.c.bi, all.c.num, all.c.bo, all.c.j, all.c.bin))).all());
    expect(rows).toEqual([{ id: 1, s: 'Hello', i: 7, bi: 2n ** 60n, num: '12.50', bo: true, j: { a: [1, 2] }, bin: new Uint8Array([1, 2, 3]) }]);
    const p = await e.connect(async (conn) => (await conn.execute(select(parent))).all());
    expect(p).toEqual([{ a: 1, b: 'k', label: 'x' }]);
    const o = await e.connect(async (conn) => (await conn.execute(select(odd).where((odd.c as any)['Mixed Case'].eq(5)))).all());
    expect(o).toEqual([{ 'Mixed Case': 5, select: 'x', 'naïve "q" col': 'ünï', 'with space': 9 }]);
    // ON DELETE CASCADE came back with the reflected foreign key and is enforced by the database.
    await e.connect(async (conn) => {
      await conn.execute(parent.delete().where(parent.c.a.eq(1)));
    });
    const left = await e.connect(async (conn) => (await conn.execute(select(func.count()).selectFrom(all))).scalars().all());
    expect(left).toEqual([0]);
  });

  test('inspector: single and bulk forms, views, unknown types, Table.reflect overrides', async () => {
    const e = engine();
    const schema = await setup(e);
    await e.connect(async (conn) => {
      await conn.execute(text(`CREATE TABLE "${schema}".widgets (id INTEGER PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, shape point, name VARCHAR(30))`));
      await conn.execute(text(`CREATE VIEW "${schema}".wv AS SELECT id, name FROM "${schema}".widgets`));
    });
    const insp = inspect(e);
    expect(await insp.getTableNames(schema)).toEqual(['widgets']);
    expect(await insp.getViewNames(schema)).toEqual(['wv']);
    expect(await insp.getViewDefinition('wv', schema)).toContain('FROM');
    expect(await insp.getSchemaNames()).toContain(schema);
    const cols = await insp.getColumns('widgets', schema);
    expect(cols.map((c) => [c.name, c.rawType, describeType(c.type), c.nullable, c.autoincrement])).toEqual([
      ['id', 'integer', 'Integer', false, true],
      ['shape', 'point', 'Null', true, false],
      ['name', 'character varying(30)', 'String(30)', true, false],
    ]);
    expect((cols[1].type as NullType).rawName).toBe('point');
    expect(await insp.getPkConstraint('widgets', schema)).toEqual({ name: 'widgets_pkey', columns: ['id'] });
    await expect(insp.getColumns('nope', schema)).rejects.toThrow("No table");
    const md = new MetaData({ schema });
    const w = await Table.reflect('widgets', md, e, { columns: { name: Column(Text) } });
    expect(describeType(w.c.name.type)).toBe('Text');
    expect(describeType(w.c.shape.type)).toBe('Null');
    const md2 = new MetaData({ schema });
    await md2.reflect(e, { views: true, only: ['wv'] });
    expect([...md2.tables.keys()]).toEqual([`${schema}.wv`]);
    await e.connect((conn) => conn.execute(insert(w).values({ name: 'cube' })));
    const got = await e.connect(async (conn) => (await conn.execute(select(md2.tables.get(`${schema}.wv`)!))).all());
    expect(got).toEqual([{ id: 1, name: 'cube' }]);
  });

  test('a 200-table schema reflects in a fixed number of statements', async () => {
    let count = 0;
    const e = engine((line) => {
      if (/^\s*SELECT/i.test(line)) count++;
    });
    const schema = await setup(e);
    const md = new MetaData({ schema });
    for (let i = 0; i < 200; i++) {
      new Table(`t${i}`, md, { id: Column(Integer, { primaryKey: true }), ref: Column(Integer), v: Column(StringT(20), { unique: true }) }, ...(i ? [new ForeignKeyConstraint(['ref'], [`${schema}.t${i - 1}.id`])] : []));
    }
    await md.createAll(e, { checkFirst: false });
    count = 0;
    const start = performance.now();
    const out = new MetaData({ schema });
    await out.reflect(e);
    const ms = performance.now() - start;
    expect(out.tables.size).toBe(200);
    expect(out.tables.get(`${schema}.t150`)!.foreignKeyConstraints[0].targets).toEqual([`${schema}.t149.id`]);
    console.log(`PostgreSQL: reflected 200 tables in ${count} statements, ${ms.toFixed(0)} ms`);
    expect(count).toBeLessThanOrEqual(20);
  });
});
