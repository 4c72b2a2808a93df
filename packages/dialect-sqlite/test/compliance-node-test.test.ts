/**
 * @athanor/testing does not need jest: the compliance suite registered with node:test's
 * functions (and the standalone `expect` package) through setTestRunner() runs and passes.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test('the compliance suite runs under node:test', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'compliance-node-test.ts')], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
  });
  const count = (what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(r.stdout)?.[1] ?? -1);
  if (r.status !== 0 || count('fail') !== 0) throw new Error(`node:test run failed (exit ${r.status}):\n${r.stdout.slice(-4000)}\n${r.stderr}`);
  expect(count('suites')).toBe(5); // the top-level suite and the four groups asked for
  expect(count('pass')).toBeGreaterThanOrEqual(30);
  for (const group of ['select', 'insert, update, delete', 'results', 'transactions']) expect(r.stdout).toContain(`\n    # Subtest: ${group}\n`);
}, 120_000);
