/**
 * Issue 19's "Done when" scenario, written once and run two ways: by jest on a project whose
 * node_modules link this workspace (history.test.ts, the quick loop while developing), and by
 * the packaging test on a project installed from the packed tarballs with npm, driving
 * `npx athanor` (scripts/pack-fixtures/migrate-history, run by scripts/pack-test.mjs).
 * So it asserts with node:assert, not jest's expect: it must run outside jest.
 *
 * The eleven-revision history (fixtures/history.ts) with a branch and a merge is upgraded one
 * revision at a time and downgraded back, the schema compared by reflection and the rows of
 * users and posts at every state; offline SQL equals what online mode ran; at head, codegen's
 * output type-checks and createAll of it recreates the schema; `check` with the generated
 * models as metadata exits 0, and 1 after a model change; a failing revision names itself.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HISTORY, revisionSource } from './fixtures/history';
import { type Project, statementsOf } from './command';
import { rowsOf, schemaSnapshot } from './snapshot';

export type HistoryDialect = 'sqlite' | 'postgresql' | 'mariadb';

export interface HistoryContext {
  dialect: HistoryDialect;
  /** The database the history runs on (empty at the start), the project's ATHANOR_DATABASE_URL. */
  url: string;
  /** A project with no config or migrations yet; `athanor()` runs the command in it. */
  project: Project;
  /** Another empty database of the same kind, for codegen's round trip; dropped by the caller. */
  spareUrl: string;
  /** Runs tsc in the project with its tsconfig.json; resolves to tsc's output ('' when clean). */
  typecheck(dir: string): string;
  /** Runs a TypeScript file in the project (through tsx) with extra environment. */
  runTypeScript(dir: string, file: string, env: Record<string, string>): { stdout: string; stderr: string };
}

const CONFIG = `import { MetaData } from '@athanor/core';
export default { metadata: new MetaData(), migrations: 'migrations' };
`;

const ORDER = ['r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07', 'r08', 'r09', 'r10', 'r11'];
type State = { schema: Record<string, unknown>; rows: Record<string, unknown[]> };

export function writeHistory(ctx: HistoryContext): void {
  ctx.project.write('athanor.config.ts', CONFIG);
  for (const r of HISTORY) ctx.project.write(`migrations/${r.id}_${r.message.replace(/\W+/g, '_')}.ts`, revisionSource(r));
}

async function state(ctx: HistoryContext): Promise<State> {
  return { schema: await schemaSnapshot(ctx.url), rows: await rowsOf(ctx.url, ['users', 'posts']) };
}

export function graphCommands({ project }: HistoryContext): void {
  assert.deepEqual(project.ok('heads').trim().split('\n'), ['r10 -> r11 (head), drop audit_log.note (destructive)']);
  assert.ok(project.ok('branches').includes('r06 (branchpoint), index headline, check users.name\n  -> r07, r08'));
  const history = project.ok('history').trim().split('\n');
  assert.equal(history.length, 11);
  assert.equal(history[0], 'r10 -> r11 (head), drop audit_log.note (destructive)');
  assert.ok(history.includes('r07, r08 -> r09 (mergepoint), merge audit and score'), history.join('\n'));
  assert.ok(project.ok('show', 'r07').includes('Branch labels: audit'));
  assert.equal(project.ok('current').trim(), '(base)');
}

/** Up one revision at a time, down again: identical schema and rows at every state; up to heads. */
export async function upAndDown(ctx: HistoryContext): Promise<void> {
  const { project } = ctx;
  const states = new Map<string, State>();
  states.set('base', await state(ctx));
  // +1 on the straight part, explicit revisions and the branch label around the branch.
  for (const id of ORDER) {
    const target = ['r07', 'r08', 'r09'].includes(id) ? (id === 'r07' ? 'audit' : id) : '+1';
    project.ok('upgrade', target);
    states.set(id, await state(ctx));
  }
  assert.equal(project.ok('current').trim(), 'r10 -> r11 (head) (current), drop audit_log.note (destructive)');
  const atHead = states.get('r11')!;
  assert.deepEqual(Object.keys(atHead.schema), ['audit_log', 'posts', 'users']);
  assert.deepEqual(atHead.rows.users, [
    [1, 'ada', 'ada@example.com'],
    [2, "o'brien", null],
    [3, 'grace', null],
  ]);
  assert.deepEqual(
    (atHead.rows.posts as unknown[][]).map((r) => [r[0], r[2], Number(r[3])]),
    [
      [10, 'first', 20],
      [11, 'second', 22],
      [12, 'third', 24],
    ],
  );
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
    const now = await state(ctx);
    assert.deepEqual({ at: expected, schema: now.schema }, { at: expected, schema: states.get(expected)!.schema });
    assert.deepEqual({ at: expected, rows: now.rows }, { at: expected, rows: states.get(expected)!.rows });
  }
  assert.equal(project.ok('current').trim(), '(base)');
  project.ok('upgrade', 'heads');
  assert.deepEqual((await state(ctx)).schema, atHead.schema);
}

/** upgrade base:head --sql and downgrade head:base --sql equal what online mode runs (database at head). */
export function offlineEqualsOnline({ project, dialect }: HistoryContext): void {
  const offlineUp = statementsOf(project.ok('upgrade', 'base:head', '--sql'));
  const offlineDown = statementsOf(project.ok('downgrade', 'head:base', '--sql'));
  const onlineDown = statementsOf(project.ok('downgrade', 'base', '--echo'));
  const onlineUp = statementsOf(project.ok('upgrade', 'head', '--echo'));
  assert.deepEqual(onlineDown, offlineDown);
  // Offline starts from an empty database, so it creates the version table first.
  assert.match(offlineUp[0], /^CREATE TABLE .?athanor_version/);
  const firstRevisionStatement = offlineUp.findIndex((s) => /ix_users_name|CREATE TABLE .?users/.test(s)) - (dialect === 'sqlite' ? 1 : 0);
  assert.deepEqual(onlineUp, offlineUp.slice(firstRevisionStatement));
  assert.ok(onlineUp.length > 30, `only ${onlineUp.length} statements online`);
}

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true, types: [] },
  include: ['generated_*.ts', 'uses_*.ts'],
});

const LOAD_ORM = `import { createEngine, select } from '@athanor/core';
import { Session, selectinload } from '@athanor/orm';
import { Posts, Users } from './generated_orm';
const engine = createEngine(process.env.TARGET_URL!);
const session = new Session(engine);
try {
  const users = (await session.scalars(select(Users).orderBy(Users.c.id).options(selectinload(Users, 'posts')))).all();
  const posts = (await session.scalars(select(Posts).orderBy(Posts.c.id).options(selectinload(Posts, 'user')))).all();
  console.log(JSON.stringify({ users: users.map((u) => [u.id, u.posts.map((p) => p.id).sort()]), owners: posts.map((p) => [p.id, p.user.name]) }));
} finally {
  await session.close();
  await engine.dispose();
}
`;

/**
 * At head: codegen (Core and --orm) type-checks, createAll of the Core output on an empty
 * database gives the same schema by reflection, and `check` against the generated models
 * exits 0, then 1 once the models gain a table.
 */
export async function codegenAndCheck(ctx: HistoryContext): Promise<void> {
  const { project } = ctx;
  project.ok('codegen', '--out', 'generated_core.ts');
  project.ok('codegen', '--orm', '--out', 'generated_orm.ts');
  const core = readFileSync(join(project.dir, 'generated_core.ts'), 'utf8');
  assert.ok(core.includes("export const users = new Table('users', metadata, {"), core);
  assert.ok(!core.includes('athanor_version'));
  const orm = readFileSync(join(project.dir, 'generated_orm.ts'), 'utf8');
  assert.ok(orm.includes("export class Posts extends Base.mapped('posts', {"), orm);
  // The foreign key posts.user_id -> users.id becomes a relationship both ways.
  assert.ok(orm.includes("Base.relationships(Posts, {\n  user: relationship(Users, { backPopulates: 'posts' }),\n});"), orm);
  assert.ok(orm.includes("Base.relationships(Users, {\n  posts: relationship(Posts, { backPopulates: 'user' }),\n});"), orm);
  assert.ok(orm.includes('  declare posts: Posts[];'), orm);
  // Typed use of the output: a select on a generated table and a mapped class's attributes.
  project.write('uses_core.ts', "import { select } from '@athanor/core';\nimport { users } from './generated_core';\nexport const q = select(users.c.name).where(users.c.id.eq(1));\n");
  project.write('uses_orm.ts', "import { Posts, Users } from './generated_orm';\nconst u = new Users({ name: 'x' });\nexport const n: string = u.name;\nexport const p: Posts[] = u.posts;\nexport const owner: Users = new Posts({ user_id: 1 }).user;\n");
  project.write('tsconfig.json', TSCONFIG);
  assert.equal(ctx.typecheck(project.dir), '');
  project.write('create_all.ts', "import { createEngine } from '@athanor/core';\nimport { metadata } from './generated_core';\nconst e = createEngine(process.env.TARGET_URL!);\nawait metadata.createAll(e);\nawait e.dispose();\n");
  assert.equal(ctx.runTypeScript(project.dir, 'create_all.ts', { TARGET_URL: ctx.spareUrl }).stderr, '');
  assert.deepEqual(await schemaSnapshot(ctx.spareUrl), await schemaSnapshot(ctx.url));
  // The generated relationships load the history's rows, both ways.
  project.write('load_orm.ts', LOAD_ORM);
  const loaded = ctx.runTypeScript(project.dir, 'load_orm.ts', { TARGET_URL: ctx.url });
  assert.equal(loaded.stderr, '');
  assert.deepEqual(JSON.parse(loaded.stdout), { users: [[1, [10, 11]], [2, []], [3, [12]]], owners: [[10, 'ada'], [11, 'ada'], [12, 'grace']] });

  project.write('athanor.config.ts', "import { metadata } from './generated_core';\nexport default { metadata, migrations: 'migrations' };\n");
  const clean = project.athanor('check');
  assert.deepEqual({ code: clean.code, out: clean.stdout.trim() }, { code: 0, out: 'No differences between the models and the database.' });
  project.write(
    'athanor.config.ts',
    "import { Column, Integer, Table } from '@athanor/core';\nimport { metadata } from './generated_core';\nnew Table('tags', metadata, { id: Column(Integer, { primaryKey: true }) });\nexport default { metadata, migrations: 'migrations' };\n",
  );
  const drift = project.athanor('check');
  assert.equal(drift.code, 1, drift.stderr);
  assert.ok(drift.stdout.includes("table 'tags' is in the models but not in the database"), drift.stdout);
  project.write('athanor.config.ts', CONFIG);
}

/** A failing revision names itself and its statement, the version table stays; stamp moves it. */
export function failureAndStamp({ project }: HistoryContext): void {
  project.write('migrations/r12_broken.ts', revisionSource({ id: 'r12', down: 'r11', message: 'broken', up: "await op.execute('SELECT * FROM no_such_table');", downgrade: '' }));
  const r = project.athanor('upgrade', 'head');
  assert.equal(r.code, 1);
  const lastLine = r.stderr.trim().split('\n').at(-1)!;
  assert.match(lastLine, /^athanor: error: upgrade of revision r12 \(.*r12_broken\.ts\) failed at: SELECT \* FROM no_such_table: .*The version table is left at r11\.$/);
  assert.ok(project.ok('current').includes('r10 -> r11 (current)'));
  project.ok('stamp', 'r12');
  assert.ok(project.ok('current').includes('r11 -> r12'));
  project.ok('stamp', 'r11');
  assert.ok(readdirSync(join(project.dir, 'migrations')).includes('r12_broken.ts'));
  rmSync(join(project.dir, 'migrations', 'r12_broken.ts'));
}

/** Every step in order, for a runner without test cases of its own (the packaging test). */
export const HISTORY_STEPS: [string, (ctx: HistoryContext) => void | Promise<void>][] = [
  ['graph commands: heads, branches, history, show, current', graphCommands],
  ['upgrade one revision at a time, downgrade back: identical schema and rows at every state', upAndDown],
  ['offline SQL equals what online mode runs', offlineEqualsOnline],
  ['codegen type-checks and round-trips; check exits 0 at head and 1 after a model change', codegenAndCheck],
  ['a failing revision names itself and its statement; stamp', failureAndStamp],
];
