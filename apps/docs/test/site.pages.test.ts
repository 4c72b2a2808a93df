/**
 * Browser checks of particular pages of the built site (`pnpm build` first), in Chromium at
 * a desktop (1280 px) and a phone (390 px) width, with a full-page screenshot of each kept
 * in reports/screenshots/ as a test artefact:
 *  - the landing page shows the install line, a Core and an ORM sample with their output;
 *  - the API index is grouped by package and kind with one-line summaries, and `select()`
 *    reads as `Select<RowOf<E>, …>`;
 *  - every benchmarks chart loads and fits the viewport: the page never scrolls sideways;
 *  - the "Coming from" pages render their tables;
 *  - the search box lists guide sections before API reference headings.
 * The site-wide smoke test (site.smoke.test.ts) checks every page's links and console.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { browserState, CHROMIUM, CHROMIUM_ARGS, describeBrowser, dist, installChromium, startServer } from './site-server';

const screenshots = resolve(__dirname, '../reports/screenshots');
const widths = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;
type Width = keyof typeof widths;

// Functions passed to page.evaluate run in the page, so they close over nothing; the DOM
// library is kept out of this package's types so that samples cannot use it by mistake,
// hence `(globalThis as any).document`.

describeBrowser('pages of the site in Chromium', () => {
  let server: Server;
  let origin: string;
  let context: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    if (browserState === 'missing') throw new Error(`${CHROMIUM} is missing (CI=true, so this fails)`);
    if (browserState === 'install' && !existsSync(CHROMIUM)) installChromium();
    mkdirSync(screenshots, { recursive: true });
    server = await startServer();
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    userDataDir = mkdtempSync(join(tmpdir(), 'athanor-docs-pages-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** Opens `path` at a width, waits for hydration and images, and saves a screenshot. */
  async function open(path: string, width: Width, shot: string): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize(widths[width]);
    const response = await page.goto(origin + path, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    await page.waitForFunction(() => Boolean((globalThis as any).document.querySelector('#app')?.__vue_app__), null, {
      timeout: 30_000,
    });
    await page.screenshot({ path: join(screenshots, `${shot}-${width}.png`), fullPage: true });
    return page;
  }

  /** How far the page is wider than the viewport (0: no sideways scrolling). */
  const overflow = (page: Page) =>
    page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth);

  test.each(Object.keys(widths) as Width[])('landing page at %s width', async (width) => {
    const page = await open('/', width, 'landing');
    const text: string = await page.evaluate(() => (globalThis as any).document.body.innerText);
    expect(text).toContain('npm install @athanor/core @athanor/orm @athanor/dialect-sqlite');
    expect(text).toContain("import { declarativeBase, relationship, Session, selectinload } from '@athanor/orm'");
    expect(text).toContain('SELECT users.id, users.name FROM users');
    expect(await page.$$eval('.athanor-sample', (els) => els.length)).toBe(2);
    expect(await page.$$eval('.athanor-output', (els) => els.length)).toBe(2);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.close();
  }, 60_000);

  test('API index: packages, then kinds with one-line summaries', async () => {
    const page = await open('/api/core/', 'desktop', 'api-core');
    const headings: string[] = await page.$$eval('.vp-doc h2', (hs) => hs.map((h) => ((h as any).innerText as string).replace(/\u200b/g, '').trim()));
    expect(headings).toEqual(expect.arrayContaining(['Classes', 'Functions', 'Interfaces', 'Type Aliases']));
    const selectRow: string = await page.evaluate(
      () =>
        [...(globalThis as any).document.querySelectorAll('.vp-doc tr')]
          .map((tr: any) => tr.innerText as string)
          .find((t) => /^select\b/.test(t)) ?? '',
    );
    expect(selectRow).toMatch(/^select\s+\S/); // a summary beside the name
    await page.close();
    const overview = await open('/api/', 'desktop', 'api-overview');
    const links: string[] = await overview.$$eval('.vp-doc a', (as) => as.map((a) => (a as any).innerText.trim()));
    expect(links).toEqual(expect.arrayContaining(['@athanor/core', '@athanor/orm', '@athanor/dialect-sqlite']));
    await overview.close();
  }, 60_000);

  test('select() shows its row type by name, and no page is named Text-1', async () => {
    const page = await open('/api/core/functions/select', 'desktop', 'api-select');
    const text: string = await page.evaluate(() => (globalThis as any).document.querySelector('.vp-doc').innerText);
    expect(text).toContain('Select<RowOf<E>, SourcesOf<E[number]>, E>');
    expect(text).not.toContain('[K in any]');
    await page.close();
    expect(readdirSync(join(dist, 'api/core/functions')).filter((f) => /-\d+\.html$/.test(f))).toEqual([]);
  }, 60_000);

  test.each(Object.keys(widths) as Width[])('benchmarks charts fit the viewport at %s width', async (width) => {
    const page = await open('/benchmarks', width, 'benchmarks');
    const charts: { src: string; loaded: boolean; left: number; right: number }[] = await page.$$eval(
      '.athanor-bench-charts img',
      (imgs) =>
        imgs.map((img: any) => {
          const box = img.getBoundingClientRect();
          return { src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0, left: box.left, right: box.right };
        }),
    );
    expect(charts.length).toBeGreaterThanOrEqual(4);
    const viewport = widths[width].width;
    for (const c of charts) {
      expect({ src: c.src, loaded: c.loaded, fits: c.left >= 0 && c.right <= viewport }).toEqual({
        src: c.src,
        loaded: true,
        fits: true,
      });
    }
    // A chart is drawn 420 units wide: shown at least 336 px wide, its 13-unit text is
    // at least 10.4 px, on a phone too.
    for (const c of charts) expect(c.right - c.left).toBeGreaterThanOrEqual(336);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.close();
  }, 60_000);

  test.each([
    ['/guide/from-sqlalchemy', 'from-sqlalchemy', ['create_engine', 'createEngine', 'selectinload', 'alembic upgrade head']],
    ['/guide/from-other-orms', 'from-other-orms', ['From Prisma', 'From Drizzle', 'From Kysely', 'From TypeORM']],
  ])('%s renders', async (path, shot, words) => {
    for (const width of Object.keys(widths) as Width[]) {
      const page = await open(path, width, shot);
      const text: string = await page.evaluate(() => (globalThis as any).document.querySelector('.vp-doc').innerText);
      for (const w of words) expect(text).toContain(w);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.close();
    }
  }, 90_000);

  test.each(['selectinload', 'createEngine', 'Session'])('search for %s lists guides first', async (query) => {
    const page = await open('/', 'desktop', `search-${query}`);
    await page.keyboard.press('Control+k');
    await page.waitForSelector('#localsearch-input', { timeout: 30_000 });
    await page.fill('#localsearch-input', query);
    // fill() sets the whole query in one input event, and the list is empty until a query
    // is typed: the first results shown are this query's.
    await page.waitForSelector('.results .result', { timeout: 30_000 });
    const hrefs: string[] = await page.$$eval('.results .result', (as) =>
      as.map((a) => new URL((a as any).href).pathname),
    );
    await page.screenshot({ path: join(screenshots, `search-${query}-desktop.png`) });
    // Every guide result comes before the first API reference result.
    const guides = hrefs.filter((h) => !h.startsWith('/api/'));
    expect(guides.length).toBeGreaterThan(0);
    expect(hrefs.slice(0, guides.length)).toEqual(guides);
    await page.close();
  }, 60_000);
});
