/**
 * What the browser tests of the built site share: a tiny static server for .vitepress/dist
 * (as a static host serves it) and Debian's Chromium through playwright-core. Without
 * /usr/bin/chromium: as root it installs Debian's chromium with apt-get; otherwise the
 * browser tests print one line and skip, unless CI=true, where a missing browser fails them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const dist = resolve(__dirname, '../.vitepress/dist');
export const isRoot = process.getuid?.() === 0;
export const isCI = process.env.CI === 'true' || process.env.CI === '1';

// ---------------------------------------------------------------- static server

export const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file a URL path serves, as a static host would: dir/ -> dir/index.html, x -> x.html. */
export function fileFor(urlPath: string): string | undefined {
  let p: string;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const base = resolve(dist, `.${p}`);
  if (base !== dist && !base.startsWith(dist + sep)) return undefined;
  const candidates = p.endsWith('/')
    ? [join(base, 'index.html')]
    : [base, `${base}.html`, join(base, 'index.html')];
  return candidates.find((f) => existsSync(f) && statSync(f).isFile());
}

export function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = fileFor(path);
    if (!file) {
      const notFound = join(dist, '404.html');
      res.writeHead(404, { 'content-type': types['.html']! });
      res.end(existsSync(notFound) ? readFileSync(notFound) : 'not found');
      return;
    }
    // Hashed assets are immutable, as a real host serves them: the browser reuses them (and
    // their compiled code) from page to page instead of fetching and compiling them again.
    const cache = path.startsWith('/assets/')
      ? { 'cache-control': 'public, max-age=31536000, immutable' }
      : {};
    res.writeHead(200, { ...cache, 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok, ko) => {
    server.once('error', ko);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

export function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, ko) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    }).on('error', ko);
  });
}

// ---------------------------------------------------------------- browser

export type BrowserState = 'present' | 'install' | 'missing';
export const browserState: BrowserState = existsSync(CHROMIUM) ? 'present' : isRoot ? 'install' : 'missing';

export function installChromium() {
  const apt = (args: string[]) =>
    execFileSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  const install = ['install', '-y', '--no-install-recommends', 'chromium'];
  try {
    apt(install);
  } catch {
    apt(['update']);
    apt(install);
  }
}

if (browserState === 'missing' && !isCI) {
  console.warn(
    `!!!!! docs site smoke test SKIPPED: ${CHROMIUM} is missing and we are not root; install it with ` +
      '`apt-get install -y --no-install-recommends chromium` !!!!!',
  );
}

export const describeBrowser = browserState === 'missing' && !isCI ? describe.skip : describe;
