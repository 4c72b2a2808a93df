/**
 * `athanor codegen` on a database built by the eleven-revision history (keys, foreign keys,
 * unique and check constraints, indexes): the Core and the `--orm` output type-check with tsc,
 * and `createAll` of the generated MetaData on an empty database gives the same schema by reflection.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FreshDatabase, describeEach } from './databases';
import { HISTORY, revisionSource } from './fixtures/history';
import { type Project, makeProject } from './project';
import { schemaSnapshot } from './snapshot';

jest.setTimeout(300_000);

const root = join(__dirname, '..', '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const tsx = require.resolve('tsx', { paths: [join(__dirname, '..')] });

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true, types: [] },
  include: ['generated_*.ts', 'uses_*.ts'],
});

describeEach((db) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let project: Project;
  beforeAll(async () => {
    source = await db.fresh();
    target = await db.fresh();
    project = makeProject(source.url);
    project.write('athanor.config.ts', "import { MetaData } from '@athanor/core';\nexport default { metadata: new MetaData() };\n");
    for (const r of HISTORY) project.write(`migrations/${r.id}.ts`, revisionSource(r));
    project.ok('upgrade', 'heads');
  });
  afterAll(async () => {
    project?.remove();
    await source?.drop();
    await target?.drop();
  });

  test('Core and ORM output type-check; createAll of the Core output recreates the schema', async () => {
    project.ok('codegen', '--out', 'generated_core.ts');
    project.ok('codegen', '--orm', '--out', 'generated_orm.ts');
    const core = readFileSync(join(project.dir, 'generated_core.ts'), 'utf8');
    expect(core).toContain("export const users = new Table('users', metadata, {");
    expect(core).not.toContain('athanor_version');
    const orm = readFileSync(join(project.dir, 'generated_orm.ts'), 'utf8');
    expect(orm).toContain("export class Posts extends Base.mapped('posts', {");
    // Typed use of the output: a select on a generated table and a mapped class's attributes.
    project.write('uses_core.ts', "import { select } from '@athanor/core';\nimport { users } from './generated_core';\nexport const q = select(users.c.name).where(users.c.id.eq(1));\n");
    project.write('uses_orm.ts', "import { Users } from './generated_orm';\nconst u = new Users({ name: 'x' });\nexport const n: string = u.name;\n");
    project.write('tsconfig.json', TSCONFIG);
    const typecheck = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project.dir, encoding: 'utf8' });
    expect(typecheck.stdout + typecheck.stderr).toBe('');
    project.write('create.ts', "import { createEngine } from '@athanor/core';\nimport { metadata } from './generated_core';\nconst e = createEngine(process.env.TARGET_URL!);\nawait metadata.createAll(e);\nawait e.dispose();\n");
    const run = spawnSync(process.execPath, ['--import', tsx, 'create.ts'], { cwd: project.dir, encoding: 'utf8', env: { ...process.env, TARGET_URL: target.url } });
    expect(run.stderr).toBe('');
    expect(await schemaSnapshot(target.url)).toEqual(await schemaSnapshot(source.url));
  });
});
