#!/usr/bin/env node
// Packaging tests: the published packages, as a user gets them from the registry.
//
//   node scripts/pack-test.mjs            (from the repo root, after `pnpm exec turbo run build`)
//
// 1. `pnpm pack` every non-private workspace package (one `pnpm -r --filter ... pack`, or one by one
//    if that fails) into os.tmpdir()/athanor-pack-<pid>/tarballs, and check each packed
//    package.json (one check per package): no `workspace:` (or `catalog:`) range survived pnpm's
//    rewrite, and every file named by `exports`/`main`/`module`/`types` is in the tarball.
// 2. Eight scenarios, each a throwaway project outside the workspace that installs the tarballs
//    with plain `npm install <tarballs...>` (plus typescript 5.9.3 and @types/node):
//      core-only      @athanor/core                                   fixtures: pack-fixtures/core
//      core+sqlite    @athanor/core, @athanor/dialect-sqlite           fixtures: pack-fixtures/sqlite
//      orm+sqlite     @athanor/core, @athanor/orm, dialect-sqlite      fixtures: pack-fixtures/orm-sqlite
//      migrate+sqlite @athanor/core, dialect-sqlite, @athanor/migrate  fixtures: pack-fixtures/migrate
//                     (`npx athanor --help`, then a TypeScript config and revision upgraded,
//                     checked and downgraded through `npx athanor`; the API from CommonJS)
//      migrate history  core, orm, the three dialects, migrate          fixtures: pack-fixtures/migrate-history
//                     issue 19's history scenario (packages/migrate/test/history-scenario.ts, copied
//                     in with what it imports): eleven revisions with a branch and a merge, up and
//                     down with schema and rows compared by reflection, offline SQL = online, codegen
//                     type-checked and round-tripped, check 0/1, a failing revision, all through
//                     `npx athanor`; one check per database (SQLite file, PostgreSQL, MariaDB), the
//                     three at once, each on databases of its own that it drops
//      core+postgres  @athanor/core, @athanor/dialect-postgres         fixtures: pack-fixtures/server
//      core+mysql     @athanor/core, @athanor/dialect-mysql            fixtures: pack-fixtures/server
//    The two live-server scenarios run the same programs (the contract does not depend on the
//    server); ATHANOR_DB_URL, set per scenario, names the server and so the dialect package used.
//    Each scenario has three checks:
//      ESM  `node program.mjs` (import; resolves the "module-sync"/"import" build, dist/index.js)
//      CJS  `node program.cjs` twice: as is (Node >= 20.19 matches "module-sync", i.e. require(esm)
//           of dist/index.js) and with --no-experimental-require-module (the "require" build,
//           dist/index.cjs, as on older Node and in tools that do not do require(esm))
//      tsc  `tsc -p tsconfig.json` (nodenext: consumer.ts is ESM → "import" types, consumer.cts is
//           CJS → "require" types; skipLibCheck off, so the shipped .d.ts/.d.cts must compile)
//           and `tsc -p tsconfig.bundler.json` (moduleResolution bundler, skipLibCheck on)
//    The programs are the PRODUCT.md contract programs and assert their results. The live-server
//    programs prefix their tables with this run's id and drop them; the harness then drops any
//    table with that prefix that is still there (and says so).
// 3. A release rehearsal on a copy of the repository (scripts/release-rehearsal.mjs):
//    `changeset version`, then `pnpm -r publish --dry-run`.
// 4. Writes reports/pack.json (jest-like counts, summed by scripts/test-all.mjs), prints one line
//    per check with its time, exits 1 on any failure.
//
// Native builds. better-sqlite3 has no reachable prebuilt binary here, so `npm install` compiles it
// from source: ~70 s on an idle 2-core machine, several minutes on a busy one. So installs run
// `npm install --ignore-scripts` and then the install scripts of the packages that have one
// (`hasInstallScript` in package-lock.json), except that a node-gyp package whose exact version
// the workspace has already built (pnpm compiled it at `pnpm install`, with the same Node and
// headers) gets that build's build/Release/*.node, kept only if a fresh process can dlopen it.
// Otherwise (or with ATHANOR_PACK_FROM_SOURCE=1: a plain `npm install`, scripts and all) it is
// compiled, once: orm+sqlite is a copy of the installed core+sqlite project (node_modules
// included) to which `npm install` adds @athanor/orm (npm's cache keeps tarballs, not builds).
// The other installs and their checks run in parallel, checks at nice 10 so that a compile, the
// critical path, gets the CPU. npm's cache is the user's (~/.npm): typescript etc. come from it.
//
// Environment:
//   ATHANOR_PG_URL, ATHANOR_MYSQL_URL  live servers (defaults: the local test servers)
//   ATHANOR_KEEP_PACK=1                keep the temp dir (tarballs + projects) for inspection
//   ATHANOR_PACK_SCENARIOS=a,b         run only these scenarios (ids: core, sqlite, orm-sqlite, migrate-sqlite,
//                                      migrate-history, postgres, mysql, postgres-pnpm); the pack checks always run
//   ATHANOR_PACK_FIXTURES=dir          take the scenario programs from another directory
//                                      (harness debugging; same layout as scripts/pack-fixtures)
//   ATHANOR_PACK_FROM_SOURCE=1         plain `npm install`: native modules compile from source
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseRehearsal } from './release-rehearsal.mjs';
// The live tests' login probe (a driver logs in, not only a port answers), from the built package.
import { canLogIn } from '../packages/testing/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const driverPaths = [join(root, 'packages/dialect-postgres'), join(root, 'packages/dialect-mysql')];
const fixturesDir = resolve(process.env.ATHANOR_PACK_FIXTURES ?? join(root, 'scripts', 'pack-fixtures'));
const work = join(os.tmpdir(), `athanor-pack-${process.pid}`);
const tarballDir = join(work, 'tarballs');
const keep = process.env.ATHANOR_KEEP_PACK === '1';
const fromSource = process.env.ATHANOR_PACK_FROM_SOURCE === '1';
const reportFile = join(root, 'reports', 'pack.json');
const PG_URL = process.env.ATHANOR_PG_URL || 'postgresql://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.ATHANOR_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test';
// Every table a program creates on a live server starts with this (lowercase: no quoting trouble).
const runPrefix = `athpk${process.pid}${Date.now().toString(36)}`;
const t0 = performance.now();

const SCENARIOS = [
  { id: 'core', name: 'core-only', packages: ['@athanor/core'] },
  { id: 'sqlite', name: 'core+sqlite', packages: ['@athanor/core', '@athanor/dialect-sqlite'] },
  { id: 'orm-sqlite', name: 'orm+sqlite', packages: ['@athanor/core', '@athanor/orm', '@athanor/dialect-sqlite'], from: 'sqlite' },
  { id: 'migrate-sqlite', name: 'migrate+sqlite', packages: ['@athanor/core', '@athanor/dialect-sqlite', '@athanor/migrate'], from: 'sqlite', fixtures: 'migrate' },
  {
    id: 'migrate-history',
    name: 'migrate history',
    packages: ['@athanor/core', '@athanor/orm', '@athanor/dialect-sqlite', '@athanor/dialect-postgres', '@athanor/dialect-mysql', '@athanor/migrate'],
    from: 'sqlite',
    fixtures: 'migrate-history',
    // The scenario's steps are the jest history test's: copied from the workspace, not duplicated.
    shared: { from: 'packages/migrate/test', to: 'lib', files: ['history-scenario.ts', 'command.ts', 'snapshot.ts', 'fixtures/history.ts'] },
    checks: 'history',
  },
  { id: 'postgres', name: 'core+postgres', packages: ['@athanor/core', '@athanor/dialect-postgres'], db: 'postgres', fixtures: 'server' },
  { id: 'mysql', name: 'core+mysql', packages: ['@athanor/core', '@athanor/dialect-mysql'], db: 'mysql', fixtures: 'server' },
  // pnpm resolves peer dependencies its own way (one .pnpm entry per peer set): Core must still be one instance.
  { id: 'postgres-pnpm', name: 'core+orm+postgres (pnpm)', packages: ['@athanor/core', '@athanor/orm', '@athanor/dialect-postgres'], db: 'postgres', fixtures: 'server', pm: 'pnpm' },
];
const DEV_DEPENDENCIES = { typescript: '5.9.3', '@types/node': '^20.19.0' };
const TIMEOUT = { pack: 120_000, install: 600_000, program: 120_000, tsc: 180_000, history: 900_000 };

// ---------------------------------------------------------------------------------------------
// child processes

// A plain user's environment: drop what pnpm/npm put there for the script that runs us.
const baseEnv = { ...process.env };
for (const k of Object.keys(baseEnv)) {
  if (/^(npm_(lifecycle_|package_|command$|execpath$|node_execpath$)|npm_config_(user_agent|node_gyp|verify_deps_before_run)$|pnpm_config_|PNPM_PACKAGE_NAME$|PNPM_SCRIPT_SRC_DIR$|INIT_CWD$)/i.test(k)) {
    delete baseEnv[k];
  }
}
// node-gyp needs Node's headers locally to build better-sqlite3 from source.
if (existsSync('/usr/include/node/node.h')) baseEnv.npm_config_nodedir = '/usr';
Object.assign(baseEnv, { npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' });
// node-gyp: compile better-sqlite3's two translation units in parallel (-j max) unless told otherwise.
const installEnv = { ...baseEnv, JOBS: process.env.JOBS || 'max' };

const children = new Set();

/**
 * Runs a command; never rejects. Output is captured; the process group is killed on timeout.
 * `nice` lowers the child's priority: checks yield the CPU to the native build, the critical path.
 */
function run(cmd, args, { cwd, env = baseEnv, timeout = 60_000, nice = 0 } = {}) {
  const started = performance.now();
  return new Promise((done) => {
    let out = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      done({ code: null, out: String(error), ms: 0, timedOut, cmdline: `${cmd} ${args.join(' ')}` });
      return;
    }
    children.add(child);
    if (nice && child.pid) {
      try {
        os.setPriority(child.pid, nice);
      } catch {}
    }
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeout);
    const finish = (code, extra = '') => {
      clearTimeout(timer);
      children.delete(child);
      done({ code, out: out + extra, ms: performance.now() - started, timedOut, cmdline: `${cmd} ${args.join(' ')}` });
    };
    child.on('error', (error) => finish(null, `\n${error.message}`));
    child.on('close', (code, signal) => finish(code ?? signal));
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function describeFailure(r, what = r.cmdline) {
  const head = r.timedOut ? `${what}: timed out after ${(r.ms / 1000).toFixed(0)} s (left open handles? hung connection?)` : `${what}: exit ${r.code}`;
  return `${head}\n${tail(r.out)}`;
}

function tail(text, lines = 40, chars = 5000) {
  let t = text.trimEnd().split('\n').slice(-lines).join('\n');
  if (t.length > chars) t = `…${t.slice(-chars)}`;
  return t;
}

const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

// ---------------------------------------------------------------------------------------------
// results

const results = [];

function record(name, ok, ms, error) {
  results.push({ name, status: ok ? 'passed' : 'failed', duration: Math.round(ms), ...(ok ? {} : { error }) });
  console.log(`${ok ? '✓' : '✗'} ${name}  ${secs(ms)}`);
  if (!ok) console.log(`    ${error.split('\n').slice(0, 25).join('\n    ')}`);
}

function note(text) {
  console.log(`  · ${text}`);
}

function writeReport(extraFailure) {
  if (extraFailure) results.push({ name: 'pack-test harness', status: 'failed', error: extraFailure });
  // Completion order varies with parallelism; the report lists pack checks, then scenarios in order.
  const rank = (r) => {
    const i = SCENARIOS.findIndex((s) => r.name.startsWith(`${s.name} ›`));
    return i < 0 ? (r.name.startsWith('pack ') ? -1 : 99) : i;
  };
  results.sort((a, b) => rank(a) - rank(b) || (rank(a) === -1 ? a.name.localeCompare(b.name) : 0));
  const failed = results.filter((r) => r.status === 'failed').length;
  const report = {
    numPassedTests: results.length - failed,
    numFailedTests: failed,
    numPendingTests: 0,
    success: failed === 0,
    durationMs: Math.round(performance.now() - t0),
    tests: results,
  };
  mkdirSync(join(root, 'reports'), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

// ---------------------------------------------------------------------------------------------
// 1. pack

function pnpmCommand() {
  if (spawnSync('pnpm', ['--version'], { stdio: 'ignore' }).status === 0) return ['pnpm', []];
  const pm = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager ?? 'pnpm@10.34.9';
  return ['npx', ['-y', pm]];
}

async function workspacePackages(pnpm) {
  const r = await run(pnpm[0], [...pnpm[1], 'ls', '-r', '--depth', '-1', '--json'], { cwd: root, timeout: TIMEOUT.pack });
  if (r.code !== 0) throw new Error(describeFailure(r, 'listing workspace packages'));
  const list = JSON.parse(r.out.slice(r.out.indexOf('[')));
  workspaceDirs = [root, ...list.map((p) => p.path).filter((p) => resolve(p) !== resolve(root))];
  return list.filter((p) => p.name && !p.private && resolve(p.path) !== resolve(root));
}

/**
 * Packs all packages with one `pnpm -r pack` (one pnpm start-up instead of one per package); if
 * that fails, packs them one by one so the failure lands on the package at fault.
 * Resolves to Map(name → tarball path); records one manifest check per package.
 */
async function packAll(pnpm, packages) {
  const tarballs = new Map();
  const started = performance.now();
  const filters = packages.flatMap((p) => ['--filter', p.name]);
  const r = await run(pnpm[0], [...pnpm[1], '-r', ...filters, 'pack', '--pack-destination', tarballDir, '--json'], { cwd: root, timeout: TIMEOUT.pack });
  let packed = null;
  if (r.code === 0) {
    try {
      packed = JSON.parse(r.out.slice(r.out.indexOf('[')));
    } catch {}
  }
  if (Array.isArray(packed) && packages.every((p) => packed.some((x) => x.name === p.name && x.filename))) {
    const ms = (performance.now() - started) / packages.length;
    for (const p of packages) {
      const tarball = packed.find((x) => x.name === p.name).filename;
      tarballs.set(p.name, tarball);
      checkManifest(p, tarball, ms);
    }
    return tarballs;
  }
  note(`pnpm -r pack failed (${describeFailure(r).split('\n')[0]}); packing one by one`);
  await Promise.all(
    packages.map(async (p) => {
      const t0p = performance.now();
      const one = await run(pnpm[0], [...pnpm[1], 'pack', '--pack-destination', tarballDir, '--json'], { cwd: p.path, timeout: TIMEOUT.pack });
      if (one.code !== 0) {
        record(`pack ${p.name} › manifest`, false, performance.now() - t0p, describeFailure(one, `pnpm pack in ${p.path}`));
        return;
      }
      let tarball;
      try {
        tarball = JSON.parse(one.out.slice(one.out.indexOf('{'))).filename;
      } catch {
        tarball = join(tarballDir, `${p.name.replace(/^@/, '').replace('/', '-')}-${p.version}.tgz`);
      }
      tarballs.set(p.name, tarball);
      checkManifest(p, tarball, performance.now() - t0p);
    }),
  );
  return tarballs;
}

// A tarball with a bad manifest is still installed: the scenarios then show what a user would see.
function checkManifest(pkg, tarball, packMs) {
  const started = performance.now();
  const problems = inspectTarball(tarball);
  record(`pack ${pkg.name} › manifest`, problems.length === 0, packMs + performance.now() - started, `${tarball}:\n${problems.join('\n')}`);
}

/** The packed package.json must be installable by npm/yarn: no pnpm-only protocols left. */
function inspectTarball(tarball) {
  const problems = [];
  const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
  const manifest = spawnSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' });
  if (listing.status !== 0 || manifest.status !== 0) return [`cannot read the tarball: ${listing.stderr}${manifest.stderr}`];
  const files = new Set(listing.stdout.split('\n').filter(Boolean));
  let pkg;
  try {
    pkg = JSON.parse(manifest.stdout);
  } catch (error) {
    return [`package.json does not parse: ${error.message}`];
  }
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
      if (/^(workspace|catalog):/.test(String(range))) problems.push(`${field}["${dep}"] is still "${range}" (npm cannot install it)`);
    }
  }
  if (problems.length === 0 && /"(workspace|catalog):/.test(manifest.stdout)) problems.push('a "workspace:"/"catalog:" range is left in package.json');
  // Every file the manifest points at must ship (an unbuilt package packs without dist/).
  const targets = new Set();
  const collect = (v) => {
    if (typeof v === 'string') targets.add(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
  };
  collect(pkg.exports);
  for (const f of ['main', 'module', 'types', 'typings']) if (pkg[f]) targets.add(pkg[f]);
  for (const t of targets) {
    if (t.includes('*')) continue;
    const path = `package/${t.replace(/^\.\//, '')}`;
    if (!files.has(path)) problems.push(`${t} is named in package.json but is not in the tarball (was the package built? \`pnpm exec turbo run build\`)`);
  }
  problems.push(...publishMetadataProblems(pkg, files));
  return problems;
}

/**
 * What the registry page and a user's install need: a licence file, metadata that links back
 * to the project, and Core as a peer dependency of every package built on it (one copy of
 * Core per project: two would each have their own dialect registry and statement cache).
 */
function publishMetadataProblems(pkg, files) {
  const problems = [];
  if (!files.has('package/LICENSE')) problems.push('no LICENSE file in the tarball');
  for (const field of ['license', 'repository', 'homepage', 'bugs', 'keywords', 'description']) {
    if (pkg[field] === undefined || (Array.isArray(pkg[field]) && pkg[field].length === 0)) problems.push(`package.json has no "${field}"`);
  }
  if (pkg.name !== '@athanor/core') {
    if (pkg.dependencies?.['@athanor/core']) problems.push('@athanor/core is a regular dependency; it must be a peer dependency');
    if (!pkg.peerDependencies?.['@athanor/core']) problems.push('@athanor/core is not among peerDependencies');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// 2. scenarios

/** Creates the project, installs, and resolves to its directory; rejects with a readable reason. */
async function installScenario(s, tarballs, projects) {
  const dir = join(work, s.id);
  const missing = s.packages.filter((p) => !tarballs.get(p));
  if (missing.length) throw new Error(`no tarball for ${missing.join(', ')} (see the pack checks)`);
  const paths = s.packages.map((p) => tarballs.get(p));
  let started = performance.now();
  if (s.from) {
    // Same project plus one package: copy the installed project (built better-sqlite3 included)
    // and let npm add the rest, as a user adding the ORM to a working project would.
    const base = await projects.get(s.from);
    started = performance.now();
    mkdirSync(dir, { recursive: true });
    for (const f of ['package.json', 'package-lock.json', 'node_modules']) {
      cpSync(join(base, f), join(dir, f), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    }
  } else {
    mkdirSync(dir, { recursive: true });
    const pkg = { name: `athanor-pack-${s.id}`, version: '0.0.0', private: true, type: 'module', devDependencies: DEV_DEPENDENCIES };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  }
  let scripts = [];
  if (s.pm === 'pnpm') {
    // A project of its own, not part of the workspace above it.
    writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages: []\n');
    const pnpm = pnpmCommand();
    const r = await run(pnpm[0], [...pnpm[1], 'add', '--config.auto-install-peers=true', '--reporter=append-only', ...paths], { cwd: dir, env: installEnv, timeout: TIMEOUT.install });
    if (r.code !== 0) throw new Error(describeFailure(r, `pnpm add in ${dir}`));
    checkSingleCore(dir, s.packages);
  } else {
    const flags = ['--no-audit', '--no-fund', '--loglevel=warn', ...(fromSource ? [] : ['--ignore-scripts'])];
    const r = await run('npm', ['install', ...flags, ...paths], { cwd: dir, env: installEnv, timeout: TIMEOUT.install });
    if (r.code !== 0) throw new Error(describeFailure(r, `npm install in ${dir}`));
    const lock = checkLockfile(dir, s.packages);
    scripts = fromSource ? [] : await runInstallScripts(dir, lock);
  }
  const src = join(fixturesDir, s.fixtures ?? s.id);
  if (!existsSync(src)) throw new Error(`no fixtures at ${src}`);
  for (const f of readdirSync(src)) cpSync(join(src, f), join(dir, f), { recursive: true });
  for (const f of s.shared?.files ?? []) {
    mkdirSync(dirname(join(dir, s.shared.to, f)), { recursive: true });
    cpSync(join(root, s.shared.from, f), join(dir, s.shared.to, f));
  }
  note(`installed ${s.name} (${s.packages.join(', ')}${s.from ? `, on a copy of ${s.from}` : ''}) in ${secs(performance.now() - started)}${scripts.map((x) => `; ${x}`).join('')}`);
  return dir;
}

/** pnpm: every package that peers on Core sees the project's own Core (the same directory). */
function checkSingleCore(dir, wanted) {
  const problems = [];
  const real = (p) => (existsSync(p) ? realpathSync(p) : null);
  const core = real(join(dir, 'node_modules', '@athanor', 'core'));
  if (!core) problems.push('@athanor/core is not installed at the top level');
  for (const p of wanted) {
    const at = real(join(dir, 'node_modules', p));
    if (!at) problems.push(`${p} is not installed`);
    else if (p !== '@athanor/core') {
      // Inside .pnpm a package's dependencies (peers included) are its siblings.
      const seen = real(join(at, '..', '..', '@athanor', 'core'));
      if (seen !== core) problems.push(`${p} sees @athanor/core at ${seen}, not the project's ${core} (two instances at run time)`);
    }
  }
  if (problems.length) throw new Error(`pnpm add in ${dir} produced a wrong tree:\n${problems.join('\n')}`);
}

/** Every @athanor package must come from our tarballs, once, at the top level (one Core instance). */
function checkLockfile(dir, wanted) {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  const problems = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    const m = /(?:^|\/)node_modules\/(@athanor\/[^/]+)$/.exec(path);
    if (!m) continue;
    if (path !== `node_modules/${m[1]}`) problems.push(`${path}: a nested copy of ${m[1]} (two instances of it at run time)`);
    if (!String(entry.resolved ?? '').startsWith('file:')) problems.push(`${path} resolved from ${entry.resolved ?? entry.version}, not from the packed tarball`);
  }
  for (const p of wanted) if (!lock.packages?.[`node_modules/${p}`]) problems.push(`${p} is not installed`);
  if (problems.length) throw new Error(`npm install in ${dir} produced a wrong tree:\n${problems.join('\n')}`);
  return lock;
}

let workspaceDirs = [root];

/** Runs the install scripts `npm install --ignore-scripts` skipped; returns what it did, for the log. */
async function runInstallScripts(dir, lock) {
  const done = [];
  const seen = new Set();
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!path || !entry.hasInstallScript) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const target = join(dir, path);
    if (await nativeLoads(target)) continue; // built already (a copied project)
    if (await reuseWorkspaceBuild(target, name, entry.version)) {
      done.push(`${name}@${entry.version}: the workspace's native build, same version`);
      continue;
    }
    if (seen.has(name)) continue; // `npm rebuild <name>` builds every copy
    seen.add(name);
    const r = await run('npm', ['rebuild', name, '--no-audit', '--no-fund', '--loglevel=warn'], { cwd: dir, env: installEnv, timeout: TIMEOUT.install });
    if (r.code !== 0) throw new Error(describeFailure(r, `npm rebuild ${name} in ${dir} (its install script)`));
    done.push(`${name}@${entry.version}: install script run in ${secs(r.ms)}`);
  }
  return done;
}

/** True when the package has node-gyp output (build/Release/*.node) that a fresh Node process can load. */
async function nativeLoads(pkgDir) {
  const release = join(pkgDir, 'build', 'Release');
  const files = existsSync(release) ? readdirSync(release).filter((f) => f.endsWith('.node')).map((f) => join(release, f)) : [];
  if (!files.length) return false;
  // At least one Node addon loads, and every other .node file is not an addon at all (better-sqlite3
  // ships a SQLite extension, test_extension.node); an ABI mismatch or a broken file fails.
  const probe = `let ok = 0;
for (const f of process.argv.slice(1)) {
  try { process.dlopen({ exports: {} }, f); ok++; }
  catch (e) { if (!/did not self-register/.test(e.message)) { console.error(f, e.message); process.exit(1); } }
}
process.exit(ok ? 0 : 1);`;
  const r = await run(process.execPath, ['-e', probe, ...files], { timeout: 30_000 });
  return r.code === 0;
}

async function reuseWorkspaceBuild(target, name, version) {
  for (const ws of workspaceDirs) {
    const pj = join(ws, 'node_modules', name, 'package.json');
    let v;
    try {
      v = JSON.parse(readFileSync(pj, 'utf8')).version;
    } catch {
      continue;
    }
    const release = join(dirname(pj), 'build', 'Release');
    if (v !== version || !existsSync(release)) continue;
    const files = readdirSync(release).filter((f) => f.endsWith('.node'));
    if (!files.length) continue;
    mkdirSync(join(target, 'build', 'Release'), { recursive: true });
    for (const f of files) cpSync(join(release, f), join(target, 'build', 'Release', f));
    if (await nativeLoads(target)) return true;
    rmSync(join(target, 'build'), { recursive: true, force: true });
  }
  return false;
}

const DATABASES = {
  postgres: { url: PG_URL, label: 'PostgreSQL', env: 'ATHANOR_PG_URL' },
  mysql: { url: MYSQL_URL, label: 'MySQL/MariaDB', env: 'ATHANOR_MYSQL_URL' },
};

const supportsRequireModuleFlag = process.allowedNodeEnvironmentFlags.has('--experimental-require-module');

async function runScenario(s, installing) {
  if (s.checks === 'history') return runHistoryScenario(s, installing);
  const names = {
    esm: `${s.name} › ESM (program.mjs)`,
    cjs: `${s.name} › CJS (program.cjs)`,
    tsc: `${s.name} › tsc (consumer.ts/.cts: nodenext, bundler)`,
  };
  let dir;
  try {
    dir = await installing;
  } catch (error) {
    for (const n of Object.values(names)) record(n, false, 0, `install failed: ${error.message}`);
    return;
  }
  let unreachable = null;
  const db = s.db && DATABASES[s.db];
  if (db && !canLogIn(db.url, driverPaths)) {
    unreachable = `${db.label} at ${db.url} is not reachable: start it with \`pnpm db:start\` or point ${db.env} at a running server`;
  }
  // A live-server scenario's programs read the server's URL from ATHANOR_DB_URL.
  // Scenarios sharing a server run at once: each has its own table prefix.
  const programEnv = (tag) => ({ ...baseEnv, ...(db ? { ATHANOR_DB_URL: db.url } : {}), ATHANOR_PACK_PREFIX: `${scenarioPrefix(s)}${tag}_` });

  // ESM
  {
    const r = unreachable ? null : await run(process.execPath, ['program.mjs'], { cwd: dir, env: programEnv('esm'), timeout: TIMEOUT.program, nice: 10 });
    if (!r) record(names.esm, false, 0, unreachable);
    else record(names.esm, r.code === 0, r.ms, r.code === 0 ? '' : describeFailure(r, 'node program.mjs'));
  }
  // CJS, both ways a require() of the package can resolve
  {
    const modes = [{ flags: [], tag: 'cjs', label: 'node program.cjs (require(esm) of the "module-sync" build)' }];
    if (supportsRequireModuleFlag) {
      modes.push({ flags: ['--no-experimental-require-module'], tag: 'cjsl', label: 'node --no-experimental-require-module program.cjs (the "require" build, dist/index.cjs)' });
    }
    let ms = 0;
    const errors = [];
    if (unreachable) errors.push(unreachable);
    else {
      for (const m of modes) {
        const r = await run(process.execPath, [...m.flags, 'program.cjs'], { cwd: dir, env: programEnv(m.tag), timeout: TIMEOUT.program, nice: 10 });
        ms += r.ms;
        if (r.code !== 0) errors.push(describeFailure(r, m.label));
      }
    }
    record(names.cjs, errors.length === 0, ms, errors.join('\n\n'));
  }
  // tsc
  {
    const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
    let ms = 0;
    const errors = [];
    for (const config of ['tsconfig.json', 'tsconfig.bundler.json']) {
      const r = await run(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { cwd: dir, timeout: TIMEOUT.tsc, nice: 10 });
      ms += r.ms;
      if (r.code !== 0) errors.push(describeFailure(r, `tsc -p ${config}`));
    }
    record(names.tsc, errors.length === 0, ms, errors.join('\n\n'));
  }
  if (db && !unreachable) await dropLeftovers(s, dir, db);
}

const HISTORY_DATABASES = [
  { dialect: 'sqlite', label: 'SQLite file' },
  { dialect: 'postgresql', label: 'PostgreSQL', db: 'postgres' },
  { dialect: 'mariadb', label: 'MariaDB', db: 'mysql' },
];

/** One check per database: `node --import tsx program.ts <dialect>`, the three at once. */
async function runHistoryScenario(s, installing) {
  const name = (d) => `${s.name} › ${d.label} (npx athanor: up/down by reflection, offline SQL, codegen, check)`;
  let dir;
  try {
    dir = await installing;
  } catch (error) {
    for (const d of HISTORY_DATABASES) record(name(d), false, 0, `install failed: ${error.message}`);
    return;
  }
  await Promise.all(
    HISTORY_DATABASES.map(async (d) => {
      const db = d.db && DATABASES[d.db];
      if (db && !canLogIn(db.url, driverPaths)) {
        record(name(d), false, 0, `${db.label} at ${db.url} is not reachable: start it with \`pnpm db:start\` or point ${db.env} at a running server`);
        return;
      }
      const env = { ...baseEnv, ...(db ? { ATHANOR_DB_URL: db.url } : {}), ATHANOR_PACK_PREFIX: `${scenarioPrefix(s)}${d.dialect}_` };
      const r = await run(process.execPath, ['--import', 'tsx', 'program.ts', d.dialect], { cwd: dir, env, timeout: TIMEOUT.history, nice: 10 });
      record(name(d), r.code === 0, r.ms, r.code === 0 ? '' : describeFailure(r, `node --import tsx program.ts ${d.dialect}`));
    }),
  );
}

/** Safety net behind the programs' own dropAll: remove any table of this run, with the driver the project installed. */
/** This run's tables of one scenario start with this (letters, digits and underscores only). */
function scenarioPrefix(s) {
  return `${runPrefix}_${s.id.replace(/[^a-z0-9]/g, '')}_`;
}

async function dropLeftovers(s, dir, db) {
  // The driver is the dialect package's dependency: resolve it from there (pnpm does not hoist it).
  const dialect = join(dir, 'node_modules', '@athanor', s.db === 'postgres' ? 'dialect-postgres' : 'dialect-mysql');
  const req = createRequire(join(existsSync(dialect) ? realpathSync(dialect) : dir, 'package.json'));
  const dropped = [];
  try {
    if (s.db === 'postgres') {
      const pg = req('pg');
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT schemaname, tablename FROM pg_tables WHERE tablename LIKE $1', [`${scenarioPrefix(s)}%`]);
        for (const r of rows.filter((x) => x.tablename.startsWith(scenarioPrefix(s)))) {
          await client.query(`DROP TABLE IF EXISTS "${r.schemaname}"."${r.tablename}" CASCADE`);
          dropped.push(r.tablename);
        }
      } finally {
        await client.end();
      }
    } else if (s.db === 'mysql') {
      const mysql = req('mysql2/promise');
      const conn = await mysql.createConnection(db.url);
      try {
        const [rows] = await conn.query('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE ?', [`${scenarioPrefix(s)}%`]);
        await conn.query('SET FOREIGN_KEY_CHECKS = 0');
        for (const r of rows.filter((x) => x.t.startsWith(scenarioPrefix(s)))) {
          await conn.query(`DROP TABLE IF EXISTS \`${r.t}\``);
          dropped.push(r.t);
        }
      } finally {
        await conn.end();
      }
    }
  } catch (error) {
    note(`${s.name}: could not check for leftover tables (${error.message})`);
    return;
  }
  if (dropped.length) note(`${s.name}: dropped ${dropped.length} table(s) the programs left behind: ${dropped.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------

function cleanup() {
  for (const c of children) killGroup(c);
  if (keep) console.log(`kept ${work} (ATHANOR_KEEP_PACK=1)`);
  else rmSync(work, { recursive: true, force: true });
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}

async function main() {
  rmSync(reportFile, { force: true });
  mkdirSync(tarballDir, { recursive: true });
  console.log(`pack-test: work dir ${work}`);

  const pnpm = pnpmCommand();
  const packStarted = performance.now();
  const packages = await workspacePackages(pnpm);
  const tarballs = await packAll(pnpm, packages);
  note(`packed ${tarballs.size}/${packages.length} packages in ${secs(performance.now() - packStarted)}`);

  const only = process.env.ATHANOR_PACK_SCENARIOS?.split(',').map((x) => x.trim()).filter(Boolean);
  const selected = SCENARIOS.filter((s) => !only || only.includes(s.id));
  // A derived scenario needs its base installed even when the base's own checks are not selected.
  const projects = new Map();
  const install = (s) => {
    if (!projects.has(s.id)) {
      if (s.from) install(SCENARIOS.find((b) => b.id === s.from));
      const p = installScenario(s, tarballs, projects);
      p.catch(() => {}); // reported by runScenario
      projects.set(s.id, p);
    }
    return projects.get(s.id);
  };
  for (const s of selected) install(s);
  await Promise.all([...selected.map((s) => runScenario(s, install(s))), releaseRehearsal({ root, work, run, record, pnpm })]);
}

let crash;
try {
  await main();
} catch (error) {
  crash = error?.stack ?? String(error);
  console.log(`✗ pack-test harness\n    ${crash.split('\n').join('\n    ')}`);
}
const report = writeReport(crash);
cleanup();
console.log(`\npack-test: ${report.numPassedTests} passed, ${report.numFailedTests} failed in ${secs(performance.now() - t0)} (report: ${reportFile.slice(root.length)})`);
process.exit(report.success ? 0 : 1);
