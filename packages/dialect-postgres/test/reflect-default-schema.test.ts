/**
 * A table reached through a foreign key from the connection's default schema is keyed by its
 * plain name, like the tables reflected directly: one Table per table, and joins find the
 * foreign key. An explicit schema, or a table in another schema, keeps its qualified key.
 * The engine's search_path is a fresh schema, so the test neither reads nor writes `public`.
 */
import { type Engine, MetaData, createEngine, insert, inspect, select, text } from '@athanor/core';
import { URL, available, liveDescribe } from './server';

const d = liveDescribe('default-schema reflection tests');
const tag = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const home = `athanor_home_${tag}`;
const other = `athanor_other_${tag}`;

d('PostgreSQL reflection from the default schema', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = createEngine(URL, { driverOptions: { options: `-c search_path=${home}` } });
    await engine.begin(async (c) => {
      await c.execute(text(`CREATE SCHEMA ${home}`));
      await c.execute(text(`CREATE SCHEMA ${other}`));
      await c.execute(text(`CREATE TABLE ${other}.region (id INTEGER PRIMARY KEY, name TEXT)`));
      await c.execute(text('CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT)'));
      await c.execute(text(`CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), region_id INTEGER REFERENCES ${other}.region (id))`));
      await c.execute(text(`INSERT INTO ${other}.region VALUES (1, 'north')`));
      await c.execute(text("INSERT INTO parent VALUES (1, 'p1'), (2, 'p2')"));
      await c.execute(text('INSERT INTO child VALUES (10, 1, 1), (11, 2, NULL)'));
    });
  });

  afterAll(async () => {
    if (!available) return;
    try {
      await engine.connect((c) => c.execute(text(`DROP SCHEMA ${home}, ${other} CASCADE`)));
    } finally {
      await engine.dispose();
    }
  });

  test('the engine really reads from the test schema by default', async () => {
    expect(await engine.connect((c) => c.scalar(text('SELECT current_schema()')))).toBe(home);
  });

  test('reflecting only the child: the parent is keyed by its plain name, the join finds the foreign key', async () => {
    const md = new MetaData();
    await md.reflect(engine, { only: ['child'] });
    expect([...md.tables.keys()].sort()).toEqual([`${other}.region`, 'child', 'parent']);
    const child = md.tables.get('child')!;
    const parent = md.tables.get('parent')!;
    const fks = child.foreignKeyConstraints.map((f) => f.targets);
    expect(fks).toEqual([['parent.id'], [`${other}.region.id`]]);
    const rows = await engine.connect(async (c) => (await c.execute(select(child.c.id, parent.c.name).join(parent).orderBy(child.c.id))).all());
    expect(rows).toEqual([
      { id: 10, name: 'p1' },
      { id: 11, name: 'p2' },
    ]);
    // The table in another schema keeps its schema, and joins too.
    const region = md.tables.get(`${other}.region`)!;
    expect(region.schema).toBe(other);
    const north = await engine.connect(async (c) => (await c.execute(select(child.c.id, region.c.name).join(region))).all());
    expect(north).toEqual([{ id: 10, name: 'north' }]);
  });

  test('reflecting both tables, or every table: still one Table each', async () => {
    const both = new MetaData();
    await both.reflect(engine, { only: ['child', 'parent'] });
    expect([...both.tables.keys()].sort()).toEqual([`${other}.region`, 'child', 'parent']);
    const all = new MetaData();
    await all.reflect(engine);
    expect([...all.tables.keys()].sort()).toEqual([`${other}.region`, 'child', 'parent']);
    const child = all.tables.get('child')!;
    expect(all.resolveColumn(child.foreignKeyConstraints[0].targets[0])?.table).toBe(all.tables.get('parent'));
  });

  test('the inspector gives no referred schema for the default schema, and the other schema by name', async () => {
    const fks = await inspect(engine).getForeignKeys('child');
    expect(fks.map((f) => [f.referredSchema, f.referredTable])).toEqual([
      [undefined, 'parent'],
      [other, 'region'],
    ]);
  });

  test('an explicit schema (even the default one) keeps qualified keys', async () => {
    const md = new MetaData();
    await md.reflect(engine, { schema: home, only: ['child'] });
    expect([...md.tables.keys()].sort()).toEqual([`${home}.child`, `${home}.parent`, `${other}.region`]);
    const child = md.tables.get(`${home}.child`)!;
    const parent = md.tables.get(`${home}.parent`)!;
    await engine.begin((c) => c.execute(insert(parent).values({ id: 3, name: 'p3' })));
    const rows = await engine.connect(async (c) => (await c.execute(select(parent.c.name).join(child).orderBy(parent.c.name))).all());
    expect(rows).toEqual([{ name: 'p1' }, { name: 'p2' }]);
  });
});
