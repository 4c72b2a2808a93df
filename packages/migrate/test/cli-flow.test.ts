/**
 * The tutorial's path through the command on a SQLite file: init, revisions, a branch from a
 * revision that is not a head (--head, --branch-label), a dependency across branches
 * (--depends-on), the ambiguous `upgrade head` naming both heads, a merge, and the URL's
 * precedence (--url over ATHANOR_DATABASE_URL over the config).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Project, makeProject } from './project';

jest.setTimeout(300_000);

let project: Project;
// The revisions the tutorial test writes, for the tests after it.
const ids: Record<'a' | 'b' | 'c' | 'x' | 'y', string> = { a: '', b: '', c: '', x: '', y: '' };
const dbFile = join(tmpdir(), `athanor-cli-flow-${process.pid}.db`);
beforeAll(() => {
  project = makeProject(`sqlite:///${dbFile}`);
});
afterAll(() => project?.remove());

const body = (table: string) => `import { Column, Integer } from '@athanor/core';
export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('${table}', { id: Column(Integer, { primaryKey: true }) });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('${table}');
}`;

/** Fills a generated revision file's bodies with a createTable (as a user edits the file). */
function fill(path: string, table: string): string {
  const file = join(project.dir, path.trim());
  const text = readFileSync(file, 'utf8');
  const head = text.slice(0, text.indexOf('export async function upgrade'));
  project.write(path.trim(), head.replace("import type { Operations } from '@athanor/migrate';", `import type { Operations } from '@athanor/migrate';\n${body(table).split('\n')[0]}`) + body(table).split('\n').slice(1).join('\n'));
  return /export const revision = '([0-9a-f]+)'/.exec(text)![1];
}

test('init writes the config and the folder; a second init refuses', () => {
  expect(project.ok('init').trim().split('\n')).toEqual(['wrote athanor.config.ts', 'wrote migrations/']);
  expect(existsSync(join(project.dir, 'athanor.config.ts'))).toBe(true);
  const again = project.athanor('init');
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/^athanor: error: Nothing to do: .*athanor\.config\.ts and migrations\/ exist already\.\n$/);
});

test('revisions, a branch from a non-head revision, a dependency, an ambiguous head, a merge', () => {
  const a = fill(project.ok('revision', '-m', 'create a'), 'a');
  const b = fill(project.ok('revision', '-m', 'create b'), 'b');
  const c = fill(project.ok('revision', '-m', 'create c'), 'c');
  // A branch from a (not a head), labelled; its second revision waits for c on the other branch.
  const x = fill(project.ok('revision', '-m', 'create x', '--head', a, '--branch-label', 'side'), 'x');
  const y = fill(project.ok('revision', '-m', 'create y', '--depends-on', c, '--head', 'side@head'), 'y');
  expect(readFileSync(join(project.dir, readdirSync(join(project.dir, 'migrations')).find((f) => f.startsWith(y))!.replace(/^/, 'migrations/')), 'utf8')).toContain(`export const dependsOn = ['${c}'];`);
  expect(project.ok('heads').trim().split('\n').sort()).toEqual([`${b} -> ${c} (head), create c`, `${x} -> ${y} (head), create y`].sort());
  const branches = project.ok('branches').trim().split('\n');
  expect(branches[0]).toBe(`${a} (branchpoint), create a`);
  expect(branches[1].replace('  -> ', '').split(', ').sort()).toEqual([b, x].sort());
  const ambiguous = project.athanor('upgrade', 'head');
  expect(ambiguous.code).toBe(1);
  expect(ambiguous.stderr).toContain(`athanor: error: Multiple heads: '`);
  expect(ambiguous.stderr).toContain(`'${c}'`);
  expect(ambiguous.stderr).toContain(`'${y}'`);
  // The side branch alone: y needs c, so a, b, c, x and y are applied.
  const side = project.athanor('upgrade', 'side@head');
  expect(side.code).toBe(0);
  // Applied in an order where each revision follows its parents and dependencies.
  const applied = side.stderr.trim().split('\n').map((l) => /-> ([0-9a-f]+), /.exec(l)![1]);
  expect([...applied].sort()).toEqual([a, b, c, x, y].sort());
  const at = (id: string) => applied.indexOf(id);
  expect([at(a) < at(b), at(b) < at(c), at(a) < at(x), at(c) < at(y), at(x) < at(y)]).toEqual([true, true, true, true, true]);
  expect(project.ok('current').trim().split('\n').sort()).toEqual([`${b} -> ${c} (head) (current), create c`, `${x} -> ${y} (head) (current), create y`].sort());
  const m = project.ok('merge', '-m', 'join', c, y).trim();
  expect(readFileSync(join(project.dir, m), 'utf8')).toContain(`export const downRevision: string | string[] | null = ['${c}', '${y}'];`);
  project.ok('upgrade', 'head');
  expect(project.ok('current')).toContain('(head) (mergepoint) (current), join');
  Object.assign(ids, { a, b, c, x, y });
  // Undoing c undoes what needs it: the merge and y (its dependant); x stays.
  project.ok('downgrade', b);
  expect(project.ok('current').trim().split('\n').sort()).toEqual([`${a} -> ${b} (current), create b`, `${a} -> ${x} (current) (label: side), create x`].sort());
});

test('branch-relative targets move one branch: side@+1, side@-1, side@base', () => {
  // Where the previous test left the database: b on the main line, x on the side branch (c is no
  // head: the merge follows it).
  const { b, c, x, y } = ids;
  // side@+1 is y, which depends on c: c comes along, nothing else.
  const up = project.athanor('upgrade', 'side@+1');
  expect(up.code).toBe(0);
  expect(up.stderr.trim().split('\n').map((l) => /-> ([0-9a-f]+), /.exec(l)![1])).toEqual([c, y]);
  project.ok('downgrade', 'side@-1');
  expect(project.ok('current').trim().split('\n').sort()).toEqual([`${b} -> ${c} (current), create c`, `${ids.a} -> ${x} (current) (label: side), create x`].sort());
  project.ok('downgrade', 'side@base');
  expect(project.ok('current').trim()).toBe(`${b} -> ${c} (current), create c`);
});

test('the URL: --url wins over ATHANOR_DATABASE_URL, which wins over the config', () => {
  const other = join(tmpdir(), `athanor-cli-flow-other-${process.pid}.db`);
  expect(project.ok('current', '--url', `sqlite:///${other}`).trim()).toBe('(base)');
  expect(project.ok('current').trim()).not.toBe('(base)');
  project.write('athanor.config.ts', `import { MetaData } from '@athanor/core';\nexport default { metadata: new MetaData(), url: 'sqlite:///${other}' };\n`);
  expect(project.ok('current').trim()).not.toBe('(base)');
  const noUrl = makeProject(undefined);
  try {
    noUrl.write('athanor.config.ts', "import { MetaData } from '@athanor/core';\nexport default { metadata: new MetaData() };\n");
    const r = noUrl.athanor('current');
    expect(r.stderr).toBe('athanor: error: No database URL: pass --url, set ATHANOR_DATABASE_URL, or give `url` in athanor.config.ts.\n');
    noUrl.write('athanor.config.ts', "export default { migrations: 'm' };\n");
    expect(noUrl.athanor('heads').stderr).toMatch(/^athanor: error: .*athanor\.config\.ts: 'metadata' must be a MetaData or a function returning one \(got nothing\)\.\n$/);
  } finally {
    noUrl.remove();
  }
});
