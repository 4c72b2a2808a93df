/**
 * The `athanor` command driven as a user drives it, in a throw-away project, on SQLite (file),
 * PostgreSQL and MariaDB: an eleven-revision history with a branch and a merge, upgraded one
 * revision at a time and downgraded back, the schema compared by reflection at every state and
 * the rows of users and posts compared too; offline SQL equal to what online mode ran.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type FreshDatabase, describeEach } from './databases';
import { HISTORY, revisionSource } from './fixtures/history';
import { type Project, makeProject, statementsOf } from './project';
import { rowsOf, schemaSnapshot } from './snapshot';

const CONFIG = `import { MetaData } from '@athanor/core';
export default { metadata: new MetaData(), migrations: 'migrations' };
`;

jest.setTimeout(300_000);

describeEach((db) => {
  let fresh: FreshDatabase;
  let project: Project;

  beforeAll(async () => {
    fresh = await db.fresh();
    project = makeProject(fresh.url);
    project.write('athanor.config.ts', CONFIG);
    for (const r of HISTORY) project.write(`migrations/${r.id}_${r.message.replace(/\W+/g, '_')}.ts`, revisionSource(r));
  });
  afterAll(async () => {
    project?.remove();
    await fresh?.drop();
  });

  const state = async () => ({ schema: await schemaSnapshot(fresh.url), rows: await rowsOf(fresh.url, ['users', 'posts']) });

  test('graph commands: heads, branches, history, show, current', () => {
    expect(project.ok('heads').trim().split('\n')).toEqual(['r10 -> r11 (head), drop audit_log.note (destructive)']);
    expect(project.ok('branches')).toContain('r06 (branchpoint), index headline, check users.name\n  -> r07, r08');
    const history = project.ok('history').trim().split('\n');
    expect(history).toHaveLength(11);
    expect(history[0]).toBe('r10 -> r11 (head), drop audit_log.note (destructive)');
    expect(history).toContain('r07, r08 -> r09 (mergepoint), merge audit and score');
    expect(project.ok('show', 'r07')).toContain('Branch labels: audit');
    expect(project.ok('current').trim()).toBe('(base)');
  });

  test('upgrade one revision at a time, downgrade back: identical schema and rows at every state', async () => {
    const order = ['r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07', 'r08', 'r09', 'r10', 'r11'];
    const states = new Map<string, Awaited<ReturnType<typeof state>>>();
    states.set('base', await state());
    // +1 on the straight part, explicit revisions and the branch label around the branch.
    for (const id of order) {
      const target = ['r07', 'r08', 'r09'].includes(id) ? (id === 'r07' ? 'audit' : id) : '+1';
      project.ok('upgrade', target);
      states.set(id, await state());
    }
    expect(project.ok('current').trim()).toBe('r10 -> r11 (head) (current), drop audit_log.note (destructive)');
    const atHead = states.get('r11')!;
    expect(Object.keys(atHead.schema)).toEqual(['audit_log', 'posts', 'users']);
    expect(atHead.rows.users).toEqual([
      [1, 'ada', 'ada@example.com'],
      [2, "o'brien", null],
      [3, 'grace', null],
    ]);
    expect((atHead.rows.posts as unknown[][]).map((r) => [r[0], r[2], Number(r[3])])).toEqual([
      [10, 'first', 20],
      [11, 'second', 22],
      [12, 'third', 24],
    ]);
    // Back down: each target names the state it must reproduce.
    const downs: [string, string][] = [
      ['-1', 'r10'],
      ['r09', 'r09'],
      ['r08', 'r08'],
      ['r06', 'r06'],
      ['-1', 'r05'],
      ['-2', 'r03'],
      ['r02', 'r02'],
      ['-1', 'r01'],
      ['base', 'base'],
    ];
    for (const [target, expected] of downs) {
      project.ok('downgrade', target);
      const now = await state();
      expect({ at: expected, schema: now.schema }).toEqual({ at: expected, schema: states.get(expected)!.schema });
      expect({ at: expected, rows: now.rows }).toEqual({ at: expected, rows: states.get(expected)!.rows });
    }
    expect(project.ok('current').trim()).toBe('(base)');
    project.ok('upgrade', 'heads');
    expect((await state()).schema).toEqual(atHead.schema);
  });

  test('offline SQL (upgrade base:head --sql, downgrade head:base --sql) equals what online mode runs', async () => {
    const offlineUp = statementsOf(project.ok('upgrade', 'base:head', '--sql'));
    const offlineDown = statementsOf(project.ok('downgrade', 'head:base', '--sql'));
    // The database is at head (previous test): go down and up again online, recording the SQL.
    const onlineDown = statementsOf(project.ok('downgrade', 'base', '--echo'));
    const onlineUp = statementsOf(project.ok('upgrade', 'head', '--echo'));
    expect(onlineDown).toEqual(offlineDown);
    // Offline starts from an empty database, so it creates the version table first.
    expect(offlineUp[0]).toMatch(/^CREATE TABLE .?athanor_version/);
    expect(onlineUp).toEqual(offlineUp.slice(offlineUp.findIndex((s) => /ix_users_name|CREATE TABLE .?users/.test(s)) - (db.name === 'sqlite' ? 1 : 0)));
    expect(onlineUp.length).toBeGreaterThan(30);
  });

  test('stamp and failures: a failing revision names itself and its statement, the version table stays', async () => {
    project.write('migrations/r12_broken.ts', revisionSource({ id: 'r12', down: 'r11', message: 'broken', up: "await op.execute('SELECT * FROM no_such_table');", downgrade: '' }));
    const r = project.athanor('upgrade', 'head');
    expect(r.code).toBe(1);
    const lastLine = r.stderr.trim().split('\n').at(-1)!;
    expect(lastLine).toMatch(/^athanor: error: upgrade of revision r12 \(.*r12_broken\.ts\) failed at: SELECT \* FROM no_such_table: .*The version table is left at r11\.$/);
    expect(project.ok('current')).toContain('r11 (head)'.replace(' (head)', ''));
    project.ok('stamp', 'r12');
    expect(project.ok('current')).toContain('r11 -> r12');
    project.ok('stamp', 'r11');
    expect(readdirSync(join(project.dir, 'migrations'))).toContain('r12_broken.ts');
  });
});
