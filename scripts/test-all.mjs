#!/usr/bin/env node
// The one test command (README line 2, and .ci/run): starts the local databases if stopped,
// builds, type-checks, lints and tests every workspace package through turbo, runs the
// architecture checks and the packaging tests, then prints one closing line
// `N passed, N failed` summed over every jest report and every check. It is the gate: a
// database server that is not up fails it (start-databases.sh exits non-zero, and
// ATHANOR_REQUIRE_SERVERS=1 makes every live suite fail instead of skipping), and every
// workspace package with a test script must leave its report.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
const failures = [];

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', ATHANOR_REQUIRE_SERVERS: '1' };

function step(name, cmd, args, opts = {}) {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  const ok = r.status === 0;
  if (!ok) failures.push(`${name} (exit ${r.status})`);
  return ok;
}

function countCheck(name, ok) {
  if (ok) passed++;
  else failed++;
}

countCheck('databases', step('databases', 'bash', ['scripts/start-databases.sh']));
// The scale-out servers (PostgreSQL primary + hot standby, pgbouncer; a three-node MariaDB
// Galera cluster; a MariaDB primary with a GTID replica) on ports of their own;
// torn down at the end when this run started them.
const scaleOutWasUp = spawnSync('bash', ['-c', '(exec 3<>/dev/tcp/127.0.0.1/${ATHANOR_SCALE_PRIMARY_PORT:-55432}) 2>/dev/null'], { env }).status === 0;
countCheck('scale-out servers', step('scale-out servers', 'bash', ['scripts/scale-out/start.sh']));
countCheck('galera cluster', step('galera cluster', 'bash', ['scripts/scale-out/galera.sh']));
countCheck('mariadb replica', step('mariadb replica', 'bash', ['scripts/scale-out/mariadb-replica.sh']));

// Old reports must not be counted as this run's results.
rmSync(join(root, 'reports'), { recursive: true, force: true });
for (const dir of ['packages', 'apps']) {
  for (const p of readdirSync(join(root, dir))) rmSync(join(root, dir, p, 'reports'), { recursive: true, force: true });
}

countCheck('build', step('build', 'pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']));
countCheck('typecheck', step('typecheck', 'pnpm', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']));
countCheck('lint', step('lint', 'pnpm', ['exec', 'turbo', 'run', 'lint', '--output-logs=errors-only']));
countCheck('typecheck budget', step('type-check cost within 10% of the baseline', 'node', ['scripts/typecheck-budget.mjs', '--check']));
countCheck('boundaries', step('import boundaries and cycles', 'node', ['scripts/check-boundaries.mjs']));
countCheck('changesets', step('changesets', 'node', ['scripts/check-changesets.mjs']));
// The quick start's first line, as a new user runs it: the demo type-checks and runs to its end.
countCheck('demo typecheck', step('demo typecheck', 'pnpm', ['exec', 'tsc', '-p', 'examples/tsconfig.json']));
countCheck('demo', step('demo', 'node', ['scripts/demo.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] }));
step('tests', 'pnpm', ['exec', 'turbo', 'run', 'test', '--continue', '--output-logs=new-only']);
// Core and the dialects once more with run-time code generation off (as where `new Function`
// is forbidden): the generic paths must give the same results. The tests about code
// generation itself are not repeated.
for (const pkg of ['core', 'dialect-sqlite', 'dialect-postgres', 'dialect-mysql']) {
  mkdirSync(join(root, 'packages', pkg, 'reports'), { recursive: true });
  step(`${pkg} without code generation`, 'pnpm', ['exec', 'jest', '--testPathIgnorePatterns', '/node_modules/', '(generated-walkers|codegen[^/]*)\\.test\\.ts$', '\\.ny\\.test\\.ts$', '--json', '--outputFile=reports/jest-no-codegen.json'], {
    cwd: join(root, 'packages', pkg),
    env: { ...env, ATHANOR_NO_CODEGEN: '1' },
  });
}
step('packaging', 'node', ['scripts/pack-test.mjs']);

// Sum every jest JSON report (turbo restores them from its cache on a hit).
const reports = [];
if (existsSync(join(root, 'reports'))) {
  for (const f of readdirSync(join(root, 'reports'))) if (f.endsWith('.json')) reports.push(join(root, 'reports', f));
}
for (const dir of ['packages', 'apps']) {
  for (const p of readdirSync(join(root, dir))) {
    const rdir = join(root, dir, p, 'reports');
    if (!existsSync(rdir)) continue;
    for (const f of readdirSync(rdir)) if (f.endsWith('.json')) reports.push(join(rdir, f));
  }
}
for (const f of reports) {
  const r = JSON.parse(readFileSync(f, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`  ${f.slice(root.length)}: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (!r.success) failures.push(f.slice(root.length));
}
// Every workspace package that has tests, found on disk (a new package cannot be forgotten).
const expected = ['reports/pack.json'];
for (const dir of ['packages', 'apps']) {
  for (const p of readdirSync(join(root, dir))) {
    const manifest = join(root, dir, p, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test) expected.push(`${dir}/${p}/`);
  }
}
for (const e of expected) {
  if (!reports.some((f) => f.slice(root.length).startsWith(e))) {
    failed++;
    failures.push(`${e}: no test report (its tests did not run)`);
  }
}
if (!scaleOutWasUp) step('scale-out servers teardown', 'bash', ['scripts/scale-out/stop.sh']);
if (failures.length) console.log(`\nFailures:\n  ${failures.join('\n  ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && failures.length === 0 ? 0 : 1);
