/**
 * Browser smoke test of the built site (.vitepress/dist, made by `pnpm build`; turbo runs
 * the build before this test). Serves the site on 127.0.0.1 with a tiny static server,
 * visits every page in headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core, never a downloaded browser) and checks, per page:
 *  - the page answers 200 and renders: a full load hydrates (the Vue app mounts), a
 *    client-side visit shows the page (see visitMode for which pages get which);
 *  - no console error, no uncaught exception, no failed request to the site;
 *  - every link to the site (nav, sidebar, page content) answers 200, and a `#fragment`
 *    on a hand-written page names an element that exists there (fragments into the
 *    generated API reference are left to typedoc, whose slugs are its own).
 * Without /usr/bin/chromium: as root it installs Debian's chromium with apt-get; otherwise
 * it prints one line and skips, unless CI=true, where a missing browser fails the test.
 */
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import {
  browserState,
  CHROMIUM,
  CHROMIUM_ARGS,
  describeBrowser,
  dist,
  httpGet,
  installChromium,
  startServer,
} from './site-server';

// ---------------------------------------------------------------- pages of the site

function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(p));
    else if (e.name.endsWith('.html')) out.push(p);
  }
  return out;
}

/** URL path of a built page: dir/index.html is served as dir/, other pages as themselves. */
function urlPathOf(file: string): string {
  const rel = relative(dist, file).split(sep).join('/');
  return `/${rel.replace(/(^|\/)index\.html$/, '$1')}`;
}

const pages = existsSync(dist) ? htmlFiles(dist).map(urlPathOf).sort() : [];

interface Visit {
  how: 'load' | 'client';
  status: number | undefined;
  problems: string[];
  hrefs: string[];
  ownIds: Set<string>;
}

/**
 * How a page is visited. A full load ('load') checks the served HTML, its hydration and the
 * page's scripts; it costs ~0.3-1 s of CPU. Pages of the generated API reference (all made
 * by one template, hundreds of them) are reached by client-side navigation ('client') from
 * a hydrated page instead, as a reader clicking through the site does: the page's own code
 * still runs and renders, with its console watched, at a tenth of the cost. The reference's
 * overview and package pages are loaded in full, so its template's hydration is checked.
 * ATHANOR_DOCS_FULL_LOAD=1 loads every page in full.
 */
function visitMode(path: string): Visit['how'] {
  if (process.env.ATHANOR_DOCS_FULL_LOAD === '1') return 'load';
  return /^\/api\/[^/]+\/[^/]+/.test(path) ? 'client' : 'load';
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return named[e] ?? m;
  });
}

describeBrowser('docs site in Chromium', () => {
  let server: Server;
  let origin: string;
  let context: BrowserContext;
  let userDataDir: string;
  const visits = new Map<string, Visit>();
  /** Status, <title> and element ids of every URL path fetched over HTTP. */
  const fetched = new Map<string, Promise<{ status: number; title: string; ids: Set<string> }>>();

  function check(path: string) {
    let entry = fetched.get(path);
    if (!entry) {
      entry = httpGet(origin + path).then(({ status, body }) => ({
        status,
        title: decodeEntities(/<title>([^<]*)<\/title>/.exec(body)?.[1] ?? ''),
        ids: new Set([...body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)),
      }));
      fetched.set(path, entry);
    }
    return entry;
  }

  // Every page is visited up front, by a few tabs in parallel; the tests below then report
  // page by page.
  beforeAll(async () => {
    if (browserState === 'missing') {
      throw new Error(
        `${CHROMIUM} is missing (CI=true, so this fails): apt-get install -y --no-install-recommends chromium`,
      );
    }
    if (browserState === 'install' && !existsSync(CHROMIUM)) installChromium();
    server = await startServer();
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    userDataDir = mkdtempSync(join(tmpdir(), 'athanor-docs-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    // Full loads first, so that client-side navigation starts from checked pages.
    const queue = [...pages].sort(
      (a, b) => Number(visitMode(a) === 'client') - Number(visitMode(b) === 'client'),
    );
    const tabs = Math.max(1, Math.min(4, availableParallelism(), queue.length));
    await Promise.all(
      Array.from({ length: tabs }, async () => {
        const page = await context.newPage();
        let problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url})`);
        });
        page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
        page.on('requestfailed', (r) => {
          // ERR_ABORTED: a prefetch of the previous page cancelled by the next navigation.
          const error = r.failure()?.errorText;
          if (r.url().startsWith(origin) && error !== 'net::ERR_ABORTED') {
            problems.push(`request failed: ${r.url()} (${error})`);
          }
        });
        page.on('response', (r) => {
          if (r.url().startsWith(origin) && r.status() >= 400)
            problems.push(`HTTP ${r.status()}: ${r.url()}`);
        });
        const hydrated = () =>
          // (This runs in the page; the DOM library is kept out of this package's types so
          // that samples cannot use it by mistake, hence `globalThis as any`.)
          page.waitForFunction(
            () => Boolean((globalThis as any).document.querySelector('#app')?.__vue_app__),
            null,
            {
              timeout: 30_000,
            },
          );
        /** Whether the tab holds a hydrated page of the site to navigate from. */
        let ready = false;
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
          const how = visitMode(path);
          problems = [];
          const visit: Visit = { how, status: undefined, problems, hrefs: [], ownIds: new Set() };
          visits.set(path, visit);
          try {
            if (how === 'load') {
              ready = false;
              const response = await page.goto(origin + path, { waitUntil: 'domcontentloaded' });
              visit.status = response?.status();
              // VitePress hydrates the server-rendered page; mismatches and errors are logged by then.
              await hydrated();
              ready = true;
            } else {
              const served = await check(path);
              visit.status = served.status;
              if (!ready) {
                problems = [];
                await page.goto(`${origin}/`, { waitUntil: 'domcontentloaded' });
                await hydrated();
                problems = visit.problems;
                ready = true;
              }
              ready = false;
              // A click on a link to the site is routed by VitePress without a page load.
              await page.evaluate((href) => {
                const doc = (globalThis as any).document;
                const a = doc.createElement('a');
                a.href = href;
                doc.body.appendChild(a);
                a.click();
                a.remove();
              }, path);
              // The router sets the title with the new page's content, in the same render.
              await page.waitForFunction(
                ([p, title]) =>
                  (globalThis as any).location.pathname === p && (globalThis as any).document.title === title,
                [path, served.title] as const,
                { timeout: 30_000 },
              );
              ready = true;
            }
            visit.hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as any).href as string));
            visit.ownIds = new Set(await page.$$eval('[id]', (els) => els.map((e) => e.id)));
          } catch (e) {
            problems.push(
              `could not ${how === 'load' ? 'load' : 'navigate to'} the page: ${(e as Error).message}`,
            );
          }
        }
        await page.close();
      }),
    );
  }, 900_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  test('the site is built and has pages', () => {
    expect(existsSync(dist)).toBe(true); // run `pnpm --filter @athanor/docs build` first
    expect(pages).toContain('/');
    expect(pages.length).toBeGreaterThan(1);
  });

  test.each(pages)('%s', async (path) => {
    const visit = visits.get(path)!;
    const broken: string[] = [];
    for (const href of new Set(visit.hrefs)) {
      if (!href.startsWith(`${origin}/`)) continue; // external links are not followed
      const url = new URL(href);
      const target = await check(url.pathname);
      if (target.status !== 200) {
        broken.push(`${url.pathname}${url.hash} -> HTTP ${target.status}`);
        continue;
      }
      // Fragments into this page are checked against the live DOM (404.html is rendered
      // in the browser only), fragments into other pages against their served HTML.
      const fragment = decodeURIComponent(url.hash.slice(1));
      const ids = url.pathname === path ? visit.ownIds : target.ids;
      if (fragment && !url.pathname.startsWith('/api/') && !ids.has(fragment)) {
        broken.push(`${url.pathname}${url.hash} -> no element with id "${fragment}"`);
      }
    }
    expect({
      path,
      how: visit.how,
      status: visit.status,
      brokenLinks: broken,
      problems: visit.problems,
    }).toEqual({
      path,
      how: visit.how,
      status: 200,
      brokenLinks: [],
      problems: [],
    });
  });
});

