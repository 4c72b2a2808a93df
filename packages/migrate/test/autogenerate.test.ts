/**
 * `revision --autogenerate` and `check`, driven through the command on the three databases:
 * the first revision from an empty database, then model changes (a length and a precision
 * widened with rows in the table, a column added, one dropped, an index, a new table) become
 * alterColumn (never a drop and an add), marked destructive where they are; upgrade, check,
 * downgrade back to the same schema by reflection, rows kept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '@athanor/core';
import { describeEach } from './databases';
import { freshProject } from './project';
import { rowsOf, schemaSnapshot } from './snapshot';

jest.setTimeout(300_000);

interface ModelVersion {
  nameLength: number;
  pricePrecision: number;
  age: boolean;
  body: boolean;
  tags: boolean;
  titleName: string;
}

const models = (v: ModelVersion) => `import { Boolean, CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, MetaData, Numeric, String, Table, Text } from '@athanor/core';
export const metadata = new MetaData();
export const users = new Table('users', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(${v.nameLength}), { nullable: false }),
  email: Column(String(100), { unique: true${v.age ? ", comment: 'login'" : ''} }),
  active: Column(Boolean, { nullable: false, serverDefault: '1' }),
  ${v.age ? "age: Column(Integer, { comment: 'in years' })," : ''}
}, new Index('ix_users_name', ['name']), new CheckConstraint("name <> ''", { name: 'ck_users_name' }));
export const posts = new Table('posts', metadata, {
  id: Column(Integer, { primaryKey: true }),
  user_id: Column(Integer, ForeignKey('users.id', { name: 'fk_posts_user', onDelete: 'CASCADE' }), { nullable: false }),
  ${v.titleName}: Column(String(100)),
  price: Column(Numeric(${v.pricePrecision}, 2)),
  created: Column(DateTime),
  ${v.body ? 'body: Column(Text),' : ''}
});
${v.tags ? "export const tags = new Table('tags', metadata, { id: Column(Integer, { primaryKey: true }), label: Column(String(30), { nullable: false }) }, new Index('ix_tags_label', ['label'], { unique: true }));" : ''}
`;

const V1: ModelVersion = { nameLength: 50, pricePrecision: 8, age: false, body: true, tags: false, titleName: 'title' };
const V2: ModelVersion = { nameLength: 120, pricePrecision: 12, age: true, body: false, tags: true, titleName: 'title' };
const V3: ModelVersion = { ...V2, nameLength: 80, titleName: 'headline' };

describeEach((db) => {
  const app = freshProject(db, models(V1));
  const file = (path: string) => readFileSync(join(app.project.dir, path.trim()), 'utf8');

  test('autogenerate from an empty database, upgrade, check exits 0', async () => {
    const drift = app.project.athanor('check');
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain("table 'users' is in the models but not in the database");
    expect(drift.stderr.trim()).toMatch(/^athanor: 2 difference\(s\) between the models and the database/);
    const path = app.project.ok('revision', '--autogenerate', '-m', 'initial', '--rev-id', 'a1');
    expect(path.trim()).toBe(join('migrations', 'a1_initial.ts'));
    const text = file(path);
    expect(text).toContain("await op.createTable('users', {");
    expect(text).toContain("name: Column(String(50), { nullable: false }),");
    expect(text).toContain("new ForeignKeyConstraint(['user_id'], ['users.id'], { name: 'fk_posts_user', onDelete: 'CASCADE' })");
    expect(text.indexOf("createTable('users'")).toBeLessThan(text.indexOf("createTable('posts'"));
    expect(text.indexOf("dropTable('posts')")).toBeLessThan(text.indexOf("dropTable('users')"));
    app.project.ok('upgrade', 'head');
    const check = app.project.athanor('check');
    expect({ code: check.code, out: check.stdout.trim() }).toEqual({ code: 0, out: 'No differences between the models and the database.' });
  });

  test('a length and a precision change with rows in the table are alterColumn; destructive steps marked; rows kept; downgrade restores the schema', async () => {
    const engine = createEngine(app.url);
    await engine.connect((c) =>
      c.execDriverSQL("INSERT INTO users (id, name, email) VALUES (1, 'a name of thirty characters..', 'a@x.org'), (2, 'bo', NULL)").then(() => c.execDriverSQL("INSERT INTO posts (id, user_id, title, price) VALUES (7, 1, 'hello', 123456.78)")),
    );
    await engine.dispose();
    const before = await schemaSnapshot(app.url);
    app.project.write('models.ts', models(V2));
    const check = app.project.athanor('check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("column 'users.name' differs: type");
    expect(check.stdout).toContain("column 'posts.body' is in the database but not in the models");
    const text = file(app.project.ok('revision', '--autogenerate', '-m', 'v2', '--rev-id', 'a2'));
    const alter = db.name === 'sqlite' ? "batch.alterColumn('name', { type: String(120)" : "op.alterColumn('users', 'name', { type: String(120)";
    expect(text).toContain(alter);
    expect(text).toContain(db.name === 'sqlite' ? "batch.alterColumn('price', { type: Numeric(12, 2)" : "op.alterColumn('posts', 'price', { type: Numeric(12, 2)");
    expect(text).not.toMatch(/dropColumn\('(users', )?'name'/);
    expect(text).toContain("// destructive: drops column 'posts.body' and its values");
    // Comments where the database has them (SQLite has none: not compared there).
    if (db.name === 'sqlite') expect(text).toContain("await op.addColumn('users', 'age', Column(Integer));");
    else {
      expect(text).toContain("await op.addColumn('users', 'age', Column(Integer, { comment: 'in years' }));");
      expect(text).toContain("op.alterColumn('users', 'email', { comment: 'login'");
    }
    expect(text).toContain("await op.createTable('tags', {");
    if (db.name === 'mariadb') expect(text).toContain('existingType: String(50), existingNullable: false');
    app.project.ok('upgrade', 'head');
    expect(app.project.athanor('check').code).toBe(0);
    const rows = await rowsOf(app.url, ['users']);
    expect(rows.users.map((r: any) => r[1])).toEqual(['a name of thirty characters..', 'bo']);
    const price = await rowsOf(app.url, ['posts']);
    expect(String((price.posts[0] as unknown[]).find((v) => String(v).startsWith('123456.78')))).toMatch(/^123456\.78/);
    // The generated downgrade reverses the upgrade: the schema of v1 again, the rows still there.
    app.project.ok('downgrade', '-1');
    expect(await schemaSnapshot(app.url)).toEqual(before);
    expect((await rowsOf(app.url, ['users'])).users).toHaveLength(2);
    app.project.ok('upgrade', 'head');
    expect(app.project.athanor('check').code).toBe(0);
  });

  test('narrowing is marked destructive; a dropped and an added column of one type are flagged as a possible rename', async () => {
    app.project.write('models.ts', models(V3));
    const text = file(app.project.ok('revision', '--autogenerate', '-m', 'v3', '--rev-id', 'a3'));
    expect(text).toMatch(/\/\/ destructive: narrows users\.name from VARCHAR\(120\) to VARCHAR\(80\)/);
    expect(text).toContain("// possible rename: 'posts.title' disappeared and 'headline' appeared with the same type; if so, replace this pair with");
    expect(text).toContain("//   await op.alterColumn('posts', 'title', { newName: 'headline' });");
    app.project.ok('upgrade', 'head');
    expect(app.project.athanor('check').code).toBe(0);
  });

  test('autogenerate refuses a database that is not at the head it would follow', () => {
    app.project.ok('downgrade', '-1');
    const r = app.project.athanor('revision', '--autogenerate', '-m', 'too early');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('athanor: error: The database is at a2, not at a3: run `athanor upgrade a3` first, so the comparison sees only what the new revision must do.');
  });
});
