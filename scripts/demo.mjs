#!/usr/bin/env node
// `pnpm demo`: builds the packages the demo imports (saying so: a cold build takes ~20 s and
// turbo is silent meanwhile), without turbo's telemetry, then runs examples/demo.ts.
import { spawn } from 'node:child_process';

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const filters = ['@athanor/orm', '@athanor/dialect-sqlite', '@athanor/dialect-postgres', '@athanor/dialect-mysql'].flatMap((p) => [`--filter=${p}...`]);
process.stdout.write('Building @athanor/core, @athanor/orm and the three dialects (about 20 s the first time, instant after)');
const ticker = setInterval(() => process.stdout.write('.'), 2000);
const built = await run('pnpm', ['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only', '--log-prefix=none']);
clearInterval(ticker);
if (built !== 0) {
  console.error(`\nThe build failed (exit ${built}); the errors are above.`);
  process.exit(built);
}
console.log(` done in ${seconds()} s.\n`);
process.exit(await run('pnpm', ['exec', 'tsx', 'examples/demo.ts']));
