import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CheckConstraint,
  Column,
  type Engine,
  Enum,
  ForeignKeyConstraint,
  Integer,
  MetaData,
  type NullType,
  PrimaryKeyConstraint,
  String as StringT,
  Table,
  Text,
  UniqueConstraint,
  Uuid,
  createEngine,
  insert,
  inspect,
  select,
  text,
} from '@athanor/core';
import { buildRoundTripSchema, describeType, expectColumnsRoundTrip, expectRowsRoundTrip } from '@athanor/testing';
import { createConnection } from 'mysql2/promise';
import { URL as BASE_URL, available, liveDescribe } from './server';

/** The statement count apps/docs/core/reflection.md states for reflecting its 200 tables on `database`. */
function documentedReflectStatements(database: string): number {
  const page = readFileSync(join(__dirname, '../../../apps/docs/core/reflection.md'), 'utf8');
  const m = new RegExp(`^\\| ${database} \\| (\\d+) \\|$`, 'm').exec(page);
  if (!m) throw new Error(`apps/docs/core/reflection.md has no '| ${database} | <statements> |' row`);
  return Number(m[1]);
}

/**
 * The round-trip schema as MySQL/MariaDB takes it: extra Uuid and Enum columns (fresh for each
 * table), DATETIME(6)'s CURRENT_TIMESTAMP(6), and a plain index (MariaDB has no index on an expression).
 */
function buildSource(md: MetaData) {
  const extraColumns = { u: Column(Uuid, { comment: 'a uuid' }), e: Column(Enum(['red', "it's"])) };
  return buildRoundTripSchema(md, { extraColumns, now: 'CURRENT_TIMESTAMP(6)', expressionIndex: false });
}

const d = liveDescribe('reflection tests');

const DATABASES: string[] = [];
const engines: Engine[] = [];
/** A fresh database and an engine whose default database it is. */
async function setup(echo?: (line: string) => void): Promise<{ e: Engine; db: string }> {
  const db = `athanor_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  DATABASES.push(db);
  const admin = await createConnection(BASE_URL);
  await admin.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const e = createEngine(`${BASE_URL.replace(/\/[^/?]*(\?.*)?$/, '')}/${db}`, echo ? { echo } : {});
  engines.push(e);
  return { e, db };
}
afterAll(async () => {
  for (const e of engines) await e.dispose();
  if (available) {
    const admin = await createConnection(BASE_URL);
    for (const db of DATABASES) await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await admin.end();
  }
});

d('MySQL/MariaDB reflection', () => {
  test('round trip: every column type, composite keys, constraints, indexes, defaults', async () => {
    const { e, db } = await setup();
    const src = new MetaData({ schema: db });
    buildSource(src);
    await src.createAll(e);
    await e.connect(async (c) => {
      await c.execute(text(`ALTER TABLE \`${db}\`.all_types COMMENT = 'every type'`));
      await c.execute(text(`ALTER TABLE \`${db}\`.all_types MODIFY u CHAR(36) NULL COMMENT 'a uuid'`));
    });
    const md = new MetaData({ schema: db });
    const tables = await md.reflect(e);
    expect(tables.map((t) => t.name).sort()).toEqual(['Odd "Table" ñ', 'all_types', 'parent']);
    // Types the database keeps under another name (listed in the docs page).
    expectColumnsRoundTrip(src, md, { u: 'String(36)' });
    const ra = md.tables.get(`${db}.all_types`)!;
    expect(ra.c.id.isAutoincrement).toBe(true);
    expect(ra.c.i.isAutoincrement).toBe(false);
    expect(ra.comment).toBe('every type');
    expect((ra.c.i.options.serverDefault as any).text).toBe('7');
    expect((md.tables.get(`${db}.parent`)!.c.label.options.serverDefault as any).text).toBe("'x'");
    expect(ra.foreignKeyConstraints.map((f) => [f.name, f.columns.map((c) => c.name), f.targets, f.options.onDelete, f.options.onUpdate])).toEqual([
      ['fk_all_parent', ['pa', 'pb'], [`${db}.parent.a`, `${db}.parent.b`], 'CASCADE', undefined],
    ]);
    // A unique index is a unique constraint to MySQL: ix_f_d comes back as one.
    const uqs = ra.constraints.filter((c) => c instanceof UniqueConstraint) as UniqueConstraint[];
    expect(uqs.map((q) => [q.name, q.columns.map((c) => c.name)]).sort()).toEqual([
      ['ix_f_d', ['f', 'd']],
      ['uq_s_bi', ['s', 'bi']],
    ]);
    const cks = ra.constraints.filter((c) => c instanceof CheckConstraint) as CheckConstraint[];
    expect(cks.map((c) => [c.name, (c.condition as string).replace(/`/g, '')])).toEqual([['ck_i_positive', 'i > 0']]);
    // InnoDB's own index for fk_all_parent is not reported as an Index.
    expect(ra.indexes.map((i) => [i.name, i.unique, i.elements.map((el: any) => el.name ?? el.text)])).toEqual([['ix_num', false, ['num']]]);
    const odd = md.tables.get(`${db}.Odd "Table" ñ`)!;
    expect(odd.primaryKey.map((c) => c.name)).toEqual(['Mixed Case', 'select']);
    // MySQL names every primary key PRIMARY and drops the declared name.
    expect(odd.constraints.find((c) => c instanceof PrimaryKeyConstraint && c.name)).toBeUndefined();
    // Reflected from the default database, the tables create the same schema in another one.
    const plain = new MetaData();
    await plain.reflect(e);
    expect(plain.tables.get('all_types')!.foreignKeyConstraints[0].targets).toEqual(['parent.a', 'parent.b']);
    const { e: e2 } = await setup();
    await plain.createAll(e2);
    const again = new MetaData();
    await again.reflect(e2);
    const shape = (m: MetaData) =>
      [...m.tables.values()]
        .map((t) => [t.name, t.columns.map((c) => `${c.name}:${describeType(c.type)}:${c.nullable}`), t.constraints.map((c) => `${c.constructor.name}:${c.name}`).sort(), t.indexes.map((i) => i.name)])
        .sort();
    expect(shape(again)).toEqual(shape(plain));
  });

  test('reflected tables insert and select rows, odd names included', async () => {
    const { e, db } = await setup();
    const src = new MetaData({ schema: db });
    buildSource(src);
    await src.createAll(e);
    const md = new MetaData({ schema: db });
    await md.reflect(e);
    await expectRowsRoundTrip(e, md, { extraValues: { e: "it's" } });
  });

  test('inspector: single and bulk forms, views, unknown types, Table.reflect overrides', async () => {
    const { e, db } = await setup();
    await e.connect(async (conn) => {
      await conn.execute(text('CREATE TABLE widgets (id INTEGER AUTO_INCREMENT PRIMARY KEY, shape POINT, name VARCHAR(30), flags SET(\'a\',\'b\'), qty INT UNSIGNED NOT NULL DEFAULT 0)'));
      await conn.execute(text('CREATE VIEW wv AS SELECT id, name FROM widgets'));
    });
    const insp = inspect(e);
    expect(await insp.getTableNames()).toEqual(['widgets']);
    expect(await insp.getTableNames(db)).toEqual(['widgets']);
    expect(await insp.getViewNames()).toEqual(['wv']);
    expect(await insp.getViewDefinition('wv')).toContain('widgets');
    expect(await insp.getSchemaNames()).toContain(db);
    const cols = await insp.getColumns('widgets');
    expect(cols.map((c) => [c.name, describeType(c.type), c.nullable, c.autoincrement, c.serverDefault])).toEqual([
      ['id', 'Integer', false, true, undefined],
      ['shape', 'Null', true, false, undefined],
      ['name', 'String(30)', true, false, undefined],
      ['flags', 'Null', true, false, undefined],
      ['qty', 'Integer', false, false, '0'],
    ]);
    expect((cols[1].type as NullType).rawName).toBe('point');
    expect(cols[4].rawType).toMatch(/^int(\(10\))? unsigned$/);
    expect(await insp.getPkConstraint('widgets')).toEqual({ columns: ['id'] });
    expect(await insp.getTableComment('widgets')).toBeUndefined();
    await expect(insp.getColumns('nope')).rejects.toThrow('No table');
    const md = new MetaData();
    const w = await Table.reflect('widgets', md, e, { columns: { name: Column(Text) } });
    expect(describeType(w.c.name.type)).toBe('Text');
    expect(describeType(w.c.shape.type)).toBe('Null');
    const md2 = new MetaData();
    await md2.reflect(e, { views: true, only: ['wv'] });
    expect([...md2.tables.keys()]).toEqual(['wv']);
    await e.connect((conn) => conn.execute(insert(w).values({ name: 'cube' })));
    const got = await e.connect(async (conn) => (await conn.execute(select(md2.tables.get('wv')!))).all());
    expect(got).toEqual([{ id: 1, name: 'cube' }]);
  });

  test('a 200-table schema reflects in a fixed number of statements, the number apps/docs/core/reflection.md states', async () => {
    let count = 0;
    let statements = 0;
    const { e, db } = await setup((line) => {
      if (/^\s*SELECT/i.test(line)) count++;
    });
    const md = new MetaData({ schema: db });
    for (let i = 0; i < 200; i++) {
      new Table(`t${i}`, md, { id: Column(Integer, { primaryKey: true }), ref: Column(Integer), v: Column(StringT(20), { unique: true }) }, ...(i ? [new ForeignKeyConstraint(['ref'], [`${db}.t${i - 1}.id`])] : []));
    }
    await md.createAll(e, { checkFirst: false });
    count = 0;
    const counting = e.on('beforeExecute', () => statements++);
    const start = performance.now();
    const out = new MetaData({ schema: db });
    await out.reflect(e);
    const ms = performance.now() - start;
    counting();
    expect(out.tables.size).toBe(200);
    expect(out.tables.get(`${db}.t150`)!.foreignKeyConstraints[0].targets).toEqual([`${db}.t149.id`]);
    expect(out.tables.get(`${db}.t150`)!.indexes).toEqual([]);
    console.log(`MySQL/MariaDB: reflected 200 tables in ${statements} statements (${count} SELECTs), ${ms.toFixed(0)} ms`);
    expect(count).toBeLessThanOrEqual(20);
    // The figure the docs state is this measurement: a change in the count fails here until the page says it.
    expect(statements).toBe(documentedReflectStatements('MariaDB'));
  }, 60_000);
});
