/**
 * The build writes llms.txt and llms-full.txt into the site root (.vitepress/llms.ts, run
 * at buildEnd): every hand-written page is listed in llms.txt as a link to its Markdown,
 * which the build copies beside the page, and its Markdown is in llms-full.txt.
 * Needs `pnpm build` first, like the site smoke test.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const docsRoot = resolve(__dirname, '..');
const dist = join(docsRoot, '.vitepress/dist');
const notPages = new Set(['node_modules', 'api', 'reports', 'scripts', 'test', 'public']);

/** Every hand-written page, as its Markdown URL path: guide/x.md -> /guide/x.md. */
function handWritten(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || notPages.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...handWritten(p));
    else if (e.name.endsWith('.md') && !(dir === docsRoot && (e.name === 'README.md' || e.name === 'index.md')))
      out.push(`/${relative(docsRoot, p).split(sep).join('/')}`);
  }
  return out;
}

const pages = handWritten(docsRoot).sort();

test('the build wrote llms.txt and llms-full.txt', () => {
  expect(existsSync(join(dist, 'llms.txt'))).toBe(true); // run `pnpm build` first
  expect(existsSync(join(dist, 'llms-full.txt'))).toBe(true);
  expect(pages.length).toBeGreaterThan(10);
});

test('llms.txt follows the convention: a title, a summary, sections of links', () => {
  const text = readFileSync(join(dist, 'llms.txt'), 'utf8');
  expect(text.startsWith('# Athanor\n\n> ')).toBe(true);
  expect(text).toMatch(/^## Guide$/m);
  expect(text).toMatch(/^## Optional$/m);
});

test.each(pages)('%s is listed in llms.txt, copied as Markdown and in llms-full.txt', (page) => {
  const list = readFileSync(join(dist, 'llms.txt'), 'utf8');
  const full = readFileSync(join(dist, 'llms-full.txt'), 'utf8');
  const source = readFileSync(join(docsRoot, page), 'utf8');
  expect(list).toContain(`](${page})`);
  expect(readFileSync(join(dist, page), 'utf8')).toBe(source);
  expect(full).toContain(`<!-- ${page} -->\n\n${source.trim()}\n`);
});
