/**
 * Autogenerate and enums, through the command. MariaDB: an ENUM column's values are its type, so
 * a value added is a widening alterColumn and a value removed a narrowing one (marked). SQLite
 * and PostgreSQL keep Core's Enum as VARCHAR(n): only the length can change there. PostgreSQL
 * enum types (CREATE TYPE ... AS ENUM) are compared by their values and changed with
 * op.alterEnum: ADD VALUE for additions, a rebuild when a value goes. Rows are checked each time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { databases, describeEach } from './databases';
import { revisionBodies } from './command';
import { type Project, freshProject } from './project';
import { inspectAt, rowsOf, runSQL, schemaSnapshot } from './snapshot';

jest.setTimeout(300_000);

const models = (values: string[], typeName?: string) => `import { Column, Enum, Integer, MetaData, Table } from '@athanor/core';
export const metadata = new MetaData();
export const people = new Table('people', metadata, {
  id: Column(Integer, { primaryKey: true }),
  mood: Column(Enum(${JSON.stringify(values)}${typeName ? `, { name: '${typeName}' }` : ''})),
});
`;

const bodies = (project: Project, path: string) => revisionBodies(readFileSync(join(project.dir, path.trim()), 'utf8'));

const GROW: Record<string, { up: string[]; down: string[] }> = {
  sqlite: {
    up: ["await op.batchAlterTable('people', async (batch) => {", "await batch.alterColumn('mood', { type: Enum(['happy', 'sad', 'unsure']) });", '});'],
    // The database's side is what it reports: VARCHAR(5).
    down: ["await op.batchAlterTable('people', async (batch) => {", "await batch.alterColumn('mood', { type: String(5) });", '});'],
  },
  postgresql: { up: ["await op.alterColumn('people', 'mood', { type: Enum(['happy', 'sad', 'unsure']) });"], down: ["await op.alterColumn('people', 'mood', { type: String(5) });"] },
  mariadb: {
    up: ["await op.alterColumn('people', 'mood', { type: Enum(['happy', 'sad', 'unsure']), existingType: Enum(['happy', 'sad']), existingNullable: true, existingServerDefault: null, existingComment: null });"],
    down: [
      "await op.alterColumn('people', 'mood', { type: Enum(['happy', 'sad']), existingType: Enum(['happy', 'sad', 'unsure']), existingNullable: true, existingServerDefault: null, existingComment: null });",
    ],
  },
};

describeEach((db) => {
  const app = freshProject(db, models(['happy', 'sad']));

  test('an Enum column gaining a value: alterColumn with the new Enum (MariaDB: its ENUM type), rows kept, downgrade restores', async () => {
    app.project.ok('revision', '--autogenerate', '-m', 'people', '--rev-id', 'e1');
    app.project.ok('upgrade', 'head');
    await runSQL(app.url, "INSERT INTO people (id, mood) VALUES (1, 'happy'), (2, 'sad')");
    const before = await schemaSnapshot(app.url);
    app.project.write('models.ts', models(['happy', 'sad', 'unsure']));
    expect(app.project.athanor('check').stdout).toContain("column 'people.mood' differs: type");
    expect(bodies(app.project, app.project.ok('revision', '--autogenerate', '-m', 'unsure', '--rev-id', 'e2'))).toEqual(GROW[db.name]);
    app.project.ok('upgrade', 'head');
    expect(app.project.athanor('check')).toMatchObject({ code: 0 });
    await runSQL(app.url, "INSERT INTO people (id, mood) VALUES (3, 'unsure')");
    expect((await rowsOf(app.url, ['people'])).people).toEqual([
      [1, 'happy'],
      [2, 'sad'],
      [3, 'unsure'],
    ]);
    await runSQL(app.url, 'DELETE FROM people WHERE id = 3');
    app.project.ok('downgrade', '-1');
    expect(await schemaSnapshot(app.url)).toEqual(before);
    expect((await rowsOf(app.url, ['people'])).people).toEqual([
      [1, 'happy'],
      [2, 'sad'],
    ]);
  });
});

const postgres = databases.find((d) => d.name === 'postgresql')!;
(postgres.available ? describe : describe.skip)('postgresql enum types', () => {
  const app = freshProject(postgres, models(['happy', 'sad'], 'mood'));
  beforeAll(async () => {
    app.project.write('migrations/p1_mood.ts', `import type { Operations } from '@athanor/migrate';
export const revision = 'p1';
export const downRevision = null;
export async function upgrade(op: Operations): Promise<void> {
  await op.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')");
  await op.execute('CREATE TABLE people (id INTEGER PRIMARY KEY, mood mood)');
  await op.execute('CREATE TABLE pets (id INTEGER PRIMARY KEY, mood mood)');
  await op.execute("INSERT INTO people (id, mood) VALUES (1, 'happy'), (2, 'sad')");
}
export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DROP TABLE pets');
  await op.execute('DROP TABLE people');
  await op.execute('DROP TYPE mood');
}
`);
    app.project.ok('upgrade', 'head');
  });

  const labels = () => inspectAt(app.url, async (i) => ((await i.getColumns('people')).find((x) => x.name === 'mood')!.type as any).values);
  const petModels = (values: string[]) => `${models(values, 'mood')}export const pets = new Table('pets', metadata, { id: Column(Integer, { primaryKey: true }), mood: Column(Enum(${JSON.stringify(values)}, { name: 'mood' })) });\n`;

  test('values added: ADD VALUE through op.alterEnum; the downgrade rebuilds the type and converts both columns', async () => {
    app.project.write('models.ts', petModels(['happy', 'sad']));
    expect(app.project.athanor('check')).toMatchObject({ code: 0 });
    app.project.write('models.ts', petModels(['meh', 'happy', 'sad', 'unsure']));
    const drift = app.project.athanor('check');
    expect({ code: drift.code, out: drift.stdout.trim() }).toEqual({ code: 1, out: "enum type 'mood' has values (meh, happy, sad, unsure) in the models, (happy, sad) in the database" });
    const path = app.project.ok('revision', '--autogenerate', '-m', 'more moods', '--rev-id', 'p2');
    expect(bodies(app.project, path)).toEqual({
      up: ["await op.alterEnum('mood', ['meh', 'happy', 'sad', 'unsure'], { existingValues: ['happy', 'sad'], columns: [['people', 'mood'], ['pets', 'mood']] });"],
      down: [
        "// destructive: removes 'meh', 'unsure' from enum 'mood'; rows holding them make the conversion fail",
        "await op.alterEnum('mood', ['happy', 'sad'], { existingValues: ['meh', 'happy', 'sad', 'unsure'], columns: [['people', 'mood'], ['pets', 'mood']] });",
      ],
    });
    expect(app.project.ok('upgrade', 'head', '--echo')).toContain("ALTER TYPE mood ADD VALUE 'meh' BEFORE 'happy'");
    expect(await labels()).toEqual(['meh', 'happy', 'sad', 'unsure']);
    expect(app.project.athanor('check')).toMatchObject({ code: 0 });
    await runSQL(app.url, "INSERT INTO people (id, mood) VALUES (3, 'unsure')");
    // A row holding a value the downgrade removes: the conversion fails and says so.
    const refused = app.project.athanor('downgrade', '-1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('invalid input value for enum mood: "unsure"');
    await runSQL(app.url, 'DELETE FROM people WHERE id = 3');
    app.project.ok('downgrade', '-1');
    expect(await labels()).toEqual(['happy', 'sad']);
    expect((await rowsOf(app.url, ['people'])).people).toEqual([
      [1, 'happy'],
      [2, 'sad'],
    ]);
    app.project.ok('upgrade', 'head');
    expect(await labels()).toEqual(['meh', 'happy', 'sad', 'unsure']);
    expect(app.project.athanor('check')).toMatchObject({ code: 0 });
  });
});
