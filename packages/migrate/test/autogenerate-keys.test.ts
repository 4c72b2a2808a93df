/**
 * Autogenerate for what the first pass left out, through the command on the three databases:
 * a changed primary key (dropConstraint + createPrimaryKey; a batch rebuild on SQLite), a table
 * comment (PostgreSQL, MariaDB), and a type change that needs a cast on PostgreSQL (text ->
 * integer renders `using`). The generated bodies are compared exactly; upgrade converts the
 * rows, `check` is clean, and the generated downgrade restores the schema by reflection.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEach } from './databases';
import { revisionBodies } from './command';
import { freshProject } from './project';
import { inspectAt, rowsOf, runSQL, schemaSnapshot } from './snapshot';

jest.setTimeout(300_000);

const models = (v2: boolean) => `import { Column, Integer, MetaData, String, Table } from '@athanor/core';
export const metadata = new MetaData();
export const items = new Table('items', metadata, {
  code: Column(String(20), { nullable: false${v2 ? ', primaryKey: true' : ''} }),
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  qty: Column(${v2 ? 'Integer' : 'String(10)'}),
}${v2 ? ", { comment: 'stock items' }" : ''});
`;

const NARROWS = '// destructive: narrows items.qty from VARCHAR(10) to INTEGER; values that do not fit fail (or are cut)';
const EXPECTED: Record<string, { up: string[]; down: string[] }> = {
  sqlite: {
    up: ["await op.batchAlterTable('items', async (batch) => {", NARROWS, "await batch.alterColumn('qty', { type: Integer });", "await batch.createPrimaryKey(undefined, ['code', 'id']);", '});'],
    down: ["await op.batchAlterTable('items', async (batch) => {", "await batch.createPrimaryKey(undefined, ['id']);", "await batch.alterColumn('qty', { type: String(10) });", '});'],
  },
  postgresql: {
    up: [
      NARROWS,
      "await op.alterColumn('items', 'qty', { type: Integer, using: 'qty::INTEGER' });",
      "await op.dropConstraint('items_pkey', 'items', { type: 'primary' });",
      "await op.createPrimaryKey(undefined, 'items', ['code', 'id']);",
      "await op.setTableComment('items', 'stock items');",
    ],
    down: [
      "await op.setTableComment('items', null);",
      "await op.dropConstraint('items_pkey', 'items', { type: 'primary' });",
      "await op.createPrimaryKey('items_pkey', 'items', ['id']);",
      "await op.alterColumn('items', 'qty', { type: String(10) });",
    ],
  },
  mariadb: {
    up: [
      NARROWS,
      "await op.alterColumn('items', 'qty', { type: Integer, existingType: String(10), existingNullable: true, existingServerDefault: null, existingComment: null });",
      "await op.dropConstraint('PRIMARY', 'items', { type: 'primary' });",
      "await op.createPrimaryKey(undefined, 'items', ['code', 'id']);",
      "await op.setTableComment('items', 'stock items');",
    ],
    down: [
      "await op.setTableComment('items', null);",
      "await op.dropConstraint('PRIMARY', 'items', { type: 'primary' });",
      "await op.createPrimaryKey(undefined, 'items', ['id']);",
      "await op.alterColumn('items', 'qty', { type: String(10), existingType: Integer, existingNullable: true, existingServerDefault: null, existingComment: null });",
    ],
  },
};

describeEach((db) => {
  const app = freshProject(db, models(false));

  const tableComment = async () => (await inspectAt(app.url, (i) => i.getTableComment('items'))) || null;

  test('primary key, table comment and a cast type change: exact bodies, rows converted, downgrade restores', async () => {
    app.project.ok('revision', '--autogenerate', '-m', 'items', '--rev-id', 'k1');
    app.project.ok('upgrade', 'head');
    await runSQL(app.url, "INSERT INTO items (code, id, qty) VALUES ('a', 1, '12'), ('b', 2, '7')");
    const before = await schemaSnapshot(app.url);
    expect(before.items).toMatchObject({ pk: ['id'] });

    app.project.write('models.ts', models(true));
    const drift = app.project.athanor('check');
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain("primary key of 'items' is (code, id) in the models, (id) in the database");
    expect(drift.stdout).toContain("column 'items.qty' differs: type");
    if (db.name !== 'sqlite') expect(drift.stdout).toContain("comment of table 'items' is 'stock items' in the models, none in the database");
    const path = app.project.ok('revision', '--autogenerate', '-m', 'keys', '--rev-id', 'k2').trim();
    expect(revisionBodies(readFileSync(join(app.project.dir, path), 'utf8'))).toEqual(EXPECTED[db.name]);

    app.project.ok('upgrade', 'head');
    expect(app.project.athanor('check')).toMatchObject({ code: 0 });
    expect((await schemaSnapshot(app.url)).items).toMatchObject({ pk: ['code', 'id'] });
    expect((await rowsOf(app.url, ['items'])).items).toEqual([
      ['a', 1, 12],
      ['b', 2, 7],
    ]);
    expect(await tableComment()).toBe(db.name === 'sqlite' ? null : 'stock items');

    app.project.ok('downgrade', '-1');
    expect(await schemaSnapshot(app.url)).toEqual(before);
    expect((await rowsOf(app.url, ['items'])).items).toEqual([
      ['a', 1, '12'],
      ['b', 2, '7'],
    ]);
    expect(await tableComment()).toBeNull();
    app.project.ok('upgrade', 'head');
    expect(app.project.athanor('check')).toMatchObject({ code: 0 });
  });
});
