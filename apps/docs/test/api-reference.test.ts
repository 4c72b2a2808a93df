/**
 * The generated API reference (`pnpm build` runs typedoc into api/) documents the public API
 * only: names marked `@internal` and names no longer exported from the entry points have no
 * page, and the ORM's Session shows none of its internal members.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const api = resolve(__dirname, '../api');

function pagesOf(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).map((f) => f.replace(/\.md$/, '')) : [];
}

test('the reference was generated', () => {
  expect(existsSync(join(api, 'core/index.md'))).toBe(true); // run `pnpm build` (or `pnpm docs:api`) first
});

test.each([
  'daysFromCivil',
  'newUid',
  'LRUCache',
  'splitTopLevel',
  'parenGroup',
  'readIdentifier',
  'soleIdentifier',
  'parseTimestampText',
  'invalidDateError',
  'secondsLiteral',
  'topologicalSort',
  'DEFAULT_RESERVED',
])('core: %s has no page and no index entry', (name) => {
  const pages = ['classes', 'functions', 'variables', 'interfaces', 'type-aliases'].flatMap((k) =>
    pagesOf(join(api, 'core', k)),
  );
  expect(pages).not.toContain(name);
  expect(readFileSync(join(api, 'core/index.md'), 'utf8')).not.toContain(`[${name}]`);
});

test('orm: Session documents its API, not its internal members', () => {
  const session = readFileSync(join(api, 'orm/classes/Session.md'), 'utf8');
  for (const internal of ['identityMap', 'pending', 'toDelete', 'loadInstance', 'endTransaction']) {
    expect(session).not.toMatch(new RegExp(`^#+ ${internal}\\b`, 'm'));
  }
  expect(session).not.toContain('listenersOf'); // a symbol-keyed internal
  for (const method of ['add', 'commit', 'scalars', 'get']) expect(session).toMatch(new RegExp(`^#+ ${method}\\(\\)`, 'm'));
});

const packages = ['core', 'orm', 'dialect-sqlite', 'dialect-postgres', 'dialect-mysql', 'migrate'];

/** The rows of an index page's tables: `| [name](page) | summary |`, split on unescaped pipes. */
function indexRows(pkg: string): { name: string; summary: string }[] {
  const index = readFileSync(join(api, pkg, 'index.md'), 'utf8');
  return index
    .split('\n')
    .filter((line) => line.startsWith('| ['))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      return { name: /^\[([^\]]+)\]/.exec(cells[0])?.[1] ?? cells[0], summary: cells.slice(1).join('|') };
    });
}

test.each(packages)('%s: every name in the index has a one-line summary (a TSDoc summary on its declaration)', (pkg) => {
  const rows = indexRows(pkg);
  expect(rows.length).toBeGreaterThan(0);
  // typedoc writes '-' for a declaration without a summary.
  const missing = rows.filter((r) => r.summary === '' || r.summary === '-').map((r) => r.name);
  expect(missing).toEqual([]);
});

test('index pages give each name a one-line summary column', () => {
  for (const pkg of ['core', 'orm']) {
    const index = readFileSync(join(api, pkg, 'index.md'), 'utf8');
    expect(index).toMatch(/^\| Class \| Description \|$/m);
  }
  expect(readFileSync(join(api, 'orm/index.md'), 'utf8')).toMatch(/^\| \[Session\]\(classes\/Session\.md\) \| The unit of work/m);
  expect(readFileSync(join(api, 'index.md'), 'utf8')).toMatch(/^\| \[@athanor\/orm\]\(orm\/index\.md\) \| @athanor\/orm — /m);
});
