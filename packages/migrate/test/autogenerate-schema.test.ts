/**
 * PostgreSQL: tables in a schema other than the default one are compared there (tables the
 * models have in it and tables in it the models lack) and every generated call names the
 * schema; exact bodies, upgrade, a clean check, and the generated downgrade back by reflection.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Column, Integer, MetaData, Table, createEngine } from '@athanor/core';
import { compareMetadata } from '../src';
import { revisionBodies } from './command';
import { databases } from './databases';
import { freshProject } from './project';
import { inspectAt, runSQL } from './snapshot';

jest.setTimeout(300_000);

const postgres = databases.find((d) => d.name === 'postgresql')!;

const models = (v2: boolean) => `import { BigInteger, Column, ForeignKey, Index, Integer, MetaData, String, Table } from '@athanor/core';
export const metadata = new MetaData();
export const users = new Table('users', metadata, { id: Column(Integer, { primaryKey: true }) });
export const ledger = new Table('ledger', metadata, {
  id: Column(Integer, { primaryKey: true }),
  amount: Column(${v2 ? 'BigInteger' : 'Integer'}),
  ${v2 ? 'note: Column(String(40)),' : ''}
}${v2 ? ", new Index('ix_ledger_amount', ['amount'])" : ''}, { schema: 'app' });
${v2 ? "export const entries = new Table('entries', metadata, { id: Column(Integer, { primaryKey: true }), ledger_id: Column(Integer, ForeignKey('app.ledger.id', { name: 'fk_entries_ledger' }), { nullable: false }) }, { schema: 'app' });" : ''}
`;

(postgres.available ? describe : describe.skip)('postgresql: a non-default schema', () => {
  const app = freshProject(postgres, models(false));
  beforeAll(() => runSQL(app.url, 'CREATE SCHEMA app'));
  const bodies = (path: string) => revisionBodies(readFileSync(join(app.project.dir, path.trim()), 'utf8'));
  const columns = () => inspectAt(app.url, async (i) => (await i.getColumns('ledger', 'app')).map((c) => `${c.name} ${c.rawType}`));

  test('tables in schema app: created, altered, indexed, a table added, all with { schema }', async () => {
    expect(bodies(app.project.ok('revision', '--autogenerate', '-m', 'first', '--rev-id', 's1'))).toEqual({
      up: [
        "await op.createTable('users', {",
        'id: Column(Integer, { primaryKey: true }),',
        '});',
        "await op.createTable('ledger', {",
        'id: Column(Integer, { primaryKey: true }),',
        'amount: Column(Integer),',
        "}, { schema: 'app' });",
      ],
      down: ["await op.dropTable('ledger', { schema: 'app' });", "await op.dropTable('users');"],
    });
    app.project.ok('upgrade', 'head');
    expect(app.project.athanor('check')).toMatchObject({ code: 0 });
    expect(await inspectAt(app.url, (i) => i.getTableNames('app'))).toEqual(['ledger']);
    await runSQL(app.url, 'INSERT INTO app.ledger (id, amount) VALUES (1, 42)');

    app.project.write('models.ts', models(true));
    expect(app.project.athanor('check').stdout.trim().split('\n')).toEqual([
      "column 'ledger.amount' differs: type",
      "column 'ledger.note' is in the models but not in the database",
      "index 'ix_ledger_amount' on 'ledger' is missing from the database",
      "table 'entries' is in the models but not in the database",
    ]);
    expect(bodies(app.project.ok('revision', '--autogenerate', '-m', 'second', '--rev-id', 's2'))).toEqual({
      up: [
        "await op.createTable('entries', {",
        'id: Column(Integer, { primaryKey: true }),',
        'ledger_id: Column(Integer, { nullable: false }),',
        "}, new ForeignKeyConstraint(['ledger_id'], ['ledger.id'], { name: 'fk_entries_ledger' }), { schema: 'app' });",
        "await op.addColumn('ledger', 'note', Column(String(40)), { schema: 'app' });",
        "await op.alterColumn('ledger', 'amount', { type: BigInteger, schema: 'app' });",
        "await op.createIndex('ix_ledger_amount', 'ledger', ['amount'], { schema: 'app' });",
      ],
      down: [
        "await op.dropIndex('ix_ledger_amount', 'ledger', { schema: 'app' });",
        "await op.alterColumn('ledger', 'amount', { type: Integer, schema: 'app' });",
        "await op.dropColumn('ledger', 'note', { schema: 'app' });",
        "await op.dropTable('entries', { schema: 'app' });",
      ],
    });
    app.project.ok('upgrade', 'head');
    expect(app.project.athanor('check')).toMatchObject({ code: 0 });
    expect(await columns()).toEqual(['id integer', 'amount bigint', 'note character varying(40)']);
    app.project.ok('downgrade', '-1');
    expect(await columns()).toEqual(['id integer', 'amount integer']);
    expect(await inspectAt(app.url, (i) => i.getTableNames('app'))).toEqual(['ledger']);
    expect(await inspectAt(app.url, (i) => i.getTableNames())).toEqual(['athanor_version', 'users']);
  });
});

test('elsewhere than PostgreSQL a table in another schema is refused, not skipped', async () => {
  const metadata = new MetaData();
  new Table('ledger', metadata, { id: Column(Integer, { primaryKey: true }) }, { schema: 'app' });
  const engine = createEngine('sqlite://');
  try {
    await expect(compareMetadata(metadata, engine)).rejects.toThrow(
      "Autogenerate compares tables outside the default schema on PostgreSQL only; 'app.ledger' is in the models on sqlite. Leave it out of the config's metadata (or pass exclude) and migrate it by hand.",
    );
  } finally {
    await engine.dispose();
  }
});
