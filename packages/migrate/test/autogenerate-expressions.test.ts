/**
 * Autogenerate and SQL text the database rewrites: an unnamed check constraint and an expression
 * index (PostgreSQL reports `lower((name)::text)` and `(qty > 0) AND ((name)::text <> ''::text)`,
 * MariaDB backquotes and lowercases) compare equal to the models' text: `check` is clean after
 * the first revision on the three databases. A changed check or index expression is seen and
 * generated (exact bodies), and `check` is clean after the upgrade.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { revisionBodies } from './command';
import { describeEach } from './databases';
import { freshProject } from './project';
import { runSQL, schemaSnapshot } from './snapshot';

jest.setTimeout(300_000);

// MariaDB has no expression indexes: the index is left out there.
const models = (v2: boolean, withIndex: boolean) => `import { CheckConstraint, Column, Index, Integer, MetaData, String, Table, func, literalColumn } from '@athanor/core';
export const metadata = new MetaData();
export const gadgets = new Table('gadgets', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(20), { nullable: false }),
  qty: Column(Integer),
}, new CheckConstraint("qty ${v2 ? '>=' : '>'} 0 AND name != ''"), new CheckConstraint("name IN ('a', 'b', 'c')", { name: 'ck_gadgets_name' })${
  withIndex ? `, new Index('ix_gadgets_name', [func.${v2 ? 'upper' : 'lower'}(literalColumn('name'))]), new Index('ix_gadgets_qty', [literalColumn('qty + 1')])` : ''
});
`;

const OLD = "qty > 0 AND name != ''";
const NEW = "qty >= 0 AND name != ''";
const INDEX_LINES = ["index 'ix_gadgets_name' on 'gadgets' is not in the models", "index 'ix_gadgets_name' on 'gadgets' is missing from the database"];
const EXPECTED: Record<string, { check: string[]; up: string[]; down: string[] }> = {
  sqlite: {
    check: [...INDEX_LINES, `check constraint (${NEW}) on 'gadgets' is missing from the database`, `check constraint (${OLD}) on 'gadgets' is not in the models`],
    up: [
      "await op.dropIndex('ix_gadgets_name', 'gadgets');",
      "await op.batchAlterTable('gadgets', async (batch) => {",
      `await batch.dropUnnamedCheck(${JSON.stringify(OLD)});`,
      '});',
      "await op.createIndex('ix_gadgets_name', 'gadgets', [literalColumn('upper(name)')]);",
      "await op.batchAlterTable('gadgets', async (batch) => {",
      `await batch.createCheckConstraint(undefined, ${JSON.stringify(NEW)});`,
      '});',
    ],
    down: [
      "await op.batchAlterTable('gadgets', async (batch) => {",
      `await batch.dropUnnamedCheck(${JSON.stringify(NEW)});`,
      '});',
      "await op.dropIndex('ix_gadgets_name', 'gadgets');",
      "await op.batchAlterTable('gadgets', async (batch) => {",
      `await batch.createCheckConstraint(undefined, ${JSON.stringify(OLD)});`,
      '});',
      "await op.createIndex('ix_gadgets_name', 'gadgets', [literalColumn('lower(name)')]);",
    ],
  },
  // PostgreSQL and MariaDB name an unnamed check themselves: dropped by that name; the new one, unnamed, cannot be in the downgrade.
  postgresql: {
    check: [...INDEX_LINES, `check constraint (${NEW}) on 'gadgets' is missing from the database`, "check constraint 'gadgets_check' on 'gadgets' is not in the models"],
    up: [
      "await op.dropIndex('ix_gadgets_name', 'gadgets');",
      "await op.dropConstraint('gadgets_check', 'gadgets', { type: 'check' });",
      "await op.createIndex('ix_gadgets_name', 'gadgets', [literalColumn('upper(name)')]);",
      `await op.createCheckConstraint(undefined, 'gadgets', ${JSON.stringify(NEW)});`,
    ],
    down: [
      `// an unnamed check (${NEW}) on 'gadgets' cannot be dropped by name: name it in the models, or drop it by hand`,
      "await op.dropIndex('ix_gadgets_name', 'gadgets');",
      `await op.createCheckConstraint('gadgets_check', 'gadgets', "(qty > 0) AND ((name)::text <> ''::text)");`,
      "await op.createIndex('ix_gadgets_name', 'gadgets', [literalColumn('lower((name)::text)')]);",
    ],
  },
  mariadb: {
    check: [`check constraint (${NEW}) on 'gadgets' is missing from the database`, "check constraint 'CONSTRAINT_1' on 'gadgets' is not in the models"],
    up: ["await op.dropConstraint('CONSTRAINT_1', 'gadgets', { type: 'check' });", `await op.createCheckConstraint(undefined, 'gadgets', ${JSON.stringify(NEW)});`],
    down: [
      `// an unnamed check (${NEW}) on 'gadgets' cannot be dropped by name: name it in the models, or drop it by hand`,
      "await op.createCheckConstraint('CONSTRAINT_1', 'gadgets', \"`qty` > 0 and `name` <> ''\");",
    ],
  },
};

describeEach((db) => {
  const withIndex = db.name !== 'mariadb';
  const app = freshProject(db, models(false, withIndex));

  test('no drift after the first revision; a changed unnamed check and index expression are generated', async () => {
    app.project.ok('revision', '--autogenerate', '-m', 'gadgets', '--rev-id', 'x1');
    app.project.ok('upgrade', 'head');
    const clean = app.project.athanor('check');
    expect({ code: clean.code, out: clean.stdout.trim() }).toEqual({ code: 0, out: 'No differences between the models and the database.' });
    const before = await schemaSnapshot(app.url);

    app.project.write('models.ts', models(true, withIndex));
    const drift = app.project.athanor('check');
    expect(drift.code).toBe(1);
    expect(drift.stdout.trim().split('\n')).toEqual(EXPECTED[db.name].check);
    const path = app.project.ok('revision', '--autogenerate', '-m', 'tighter', '--rev-id', 'x2');
    const { up, down } = revisionBodies(readFileSync(join(app.project.dir, path.trim()), 'utf8'));
    expect({ up, down }).toEqual({ up: EXPECTED[db.name].up, down: EXPECTED[db.name].down });
    app.project.ok('upgrade', 'head');
    expect(app.project.athanor('check')).toMatchObject({ code: 0 });
    // The new check is the one in force: qty 0 passes it (the old one refused it).
    await runSQL(app.url, "INSERT INTO gadgets (id, name, qty) VALUES (1, 'a', 0)");
    await runSQL(app.url, 'DELETE FROM gadgets');
    if (db.name === 'sqlite') {
      // SQLite drops the unnamed check by its text: the downgrade restores the schema exactly.
      app.project.ok('downgrade', '-1');
      expect(await schemaSnapshot(app.url)).toEqual(before);
    }
  });
});
