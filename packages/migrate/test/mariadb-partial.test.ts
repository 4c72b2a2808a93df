/**
 * MariaDB commits DDL implicitly: a revision failing after some of its statements ran leaves
 * them applied. The error lists what stayed and how to resume, the version table records it
 * (`partial:<rev>:<n>`), `current` shows it, upgrade refuses until `stamp` settles it, and
 * after the user undoes the statements, stamps and fixes the revision, upgrade completes.
 */
import { type FreshDatabase, databases } from './databases';
import { type Project, makeProject } from './project';
import { inspectAt, rowsOf, runSQL } from './snapshot';

jest.setTimeout(300_000);

const mariadb = databases.find((d) => d.name === 'mariadb')!;

const revision = (id: string, down: string | null, up: string) => `import { Column, Integer, String } from '@athanor/core';
import type { Operations } from '@athanor/migrate';
export const revision = '${id}';
export const downRevision = ${down ? `'${down}'` : 'null'};
export const message = '${id}';
export async function upgrade(op: Operations): Promise<void> {
  ${up}
}
export async function downgrade(op: Operations): Promise<void> {}
`;

const R2_BROKEN = `await op.addColumn('items', 'label', Column(String(20)));
  await op.execute("INSERT INTO items (id, label) VALUES (1, 'one')");
  await op.createIndex('ix_items_label', 'items', ['label']);
  await op.execute("INSERT INTO items (id, label) VALUES (2, 'two')");
  await op.execute('UPDATE no_such_table SET x = 1');`;

(mariadb.available ? describe : describe.skip)('mariadb: a revision failing halfway', () => {
  let fresh: FreshDatabase;
  let project: Project;
  beforeAll(async () => {
    fresh = await mariadb.fresh();
    project = makeProject(fresh.url);
    project.write('athanor.config.ts', "import { MetaData } from '@athanor/core';\nexport default { metadata: new MetaData() };\n");
    project.write('migrations/r1.ts', revision('r1', null, "await op.createTable('items', { id: Column(Integer, { primaryKey: true, autoincrement: false }) });"));
    project.write('migrations/r2.ts', revision('r2', 'r1', R2_BROKEN));
  });
  afterAll(async () => {
    project?.remove();
    await fresh?.drop();
  });

  test('the error lists what stayed and how to resume; the version table records it; stamp settles it', async () => {
    const failed = project.athanor('upgrade', 'head');
    expect(failed.code).toBe(1);
    const last = failed.stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^athanor: error: upgrade of revision r2 \(.*r2\.ts\) failed at: UPDATE no_such_table SET x = 1: .*no_such_table.* doesn't exist\. /);
    // What stayed: everything that ran (the first DDL commits, then each statement commits on its own).
    expect(last.slice(last.indexOf('. MySQL/MariaDB') + 2)).toBe(
      "MySQL/MariaDB committed 4 statement(s) of r2 before the failure (DDL commits implicitly): [1] ALTER TABLE items ADD COLUMN label VARCHAR(20); [2] INSERT INTO items (id, label) VALUES (1, 'one'); [3] CREATE INDEX ix_items_label ON items (label); [4] INSERT INTO items (id, label) VALUES (2, 'two'). The version table is left at r1 and records 'partial:r2:4'; upgrade and downgrade refuse to run until it is settled. To resume: undo those statements by hand and run `athanor stamp r1`, then fix the revision and upgrade again; or complete the revision by hand and run `athanor stamp r2`.",
    );
    expect((await rowsOf(fresh.url, ['items'])).items).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect((await rowsOf(fresh.url, ['athanor_version'])).athanor_version).toEqual([['partial:r2:4'], ['r1']]);
    expect(project.ok('current').trim().split('\n')).toEqual(['<base> -> r1 (current), r1', 'r2 (partially applied: 4 statement(s) committed before it failed; settle it with `athanor stamp`)']);

    const refused = project.athanor('upgrade', 'head');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'athanor: error: Revision r2 was left partially applied (4 statement(s) committed before it failed; MySQL/MariaDB cannot roll DDL back). Settle it first: undo those statements and `athanor stamp` the revision before it, or complete it by hand and `athanor stamp r2`.\n',
    );
    // Undo by hand, stamp the revision before, fix the revision, run it again.
    await runSQL(fresh.url, 'DROP INDEX ix_items_label ON items');
    await runSQL(fresh.url, 'ALTER TABLE items DROP COLUMN label');
    await runSQL(fresh.url, 'DELETE FROM items');
    project.ok('stamp', 'r1');
    expect((await rowsOf(fresh.url, ['athanor_version'])).athanor_version).toEqual([['r1']]);
    project.write('migrations/r2.ts', revision('r2', 'r1', R2_BROKEN.replace("\n  await op.execute('UPDATE no_such_table SET x = 1');", '')));
    project.ok('upgrade', 'head');
    expect(project.ok('current').trim()).toBe('r1 -> r2 (head) (current), r2');
    expect((await rowsOf(fresh.url, ['items'])).items).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect(await inspectAt(fresh.url, async (i) => (await i.getIndexes('items')).map((x) => x.name))).toEqual(['ix_items_label']);
  });
});
