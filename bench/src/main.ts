/**
 * `pnpm bench` (or `tsx src/main.ts [--quick] [--only sqlite,postgres,mysql,compile]`):
 * runs every workload, writes results/latest.json, results/latest.md and the docs chart.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chartSvg } from './chart';
import { compileWorkload } from './compile';
import { machineInfo } from './machine';
import { type Run, markdown } from './report';
import { sqliteSuite } from './suites/sqlite';

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(',') : ['compile', 'sqlite', 'sqlite-memory', 'postgres', 'mysql'];
const log = (s: string) => console.error(`[bench] ${s}`);

const local = quick
  ? { rounds: 3, warmup: 1, selectOps: 5_000, fetchReps: 2, rows: 10_000, updates: 1_000 }
  : { rounds: 5, warmup: 1, selectOps: 20_000, fetchReps: 3, rows: 10_000, updates: 1_000 };
// Loopback round trips are ~50 µs: fewer selects keep a server run within minutes.
const server = quick
  ? { ...local, rounds: 2, selectOps: 500, fetchReps: 1 }
  : { ...local, rounds: 3, warmup: 1, selectOps: 2_000, fetchReps: 1 };

const run: Run = { machine: machineInfo(), quick, databases: {} };
if (only.includes('compile')) {
  log('compile');
  run.databases.compile = [
    await compileWorkload({ rounds: local.rounds, warmup: local.warmup, ops: quick ? 2_000 : 10_000 }),
  ];
}
if (only.includes('sqlite')) run.databases.sqlite = await sqliteSuite(local, log);
if (only.includes('sqlite-memory')) {
  const { sqliteMemorySuite } = await import('./suites/sqlite-memory');
  run.databases['sqlite (in memory)'] = await sqliteMemorySuite(local, log);
}
if (only.includes('postgres')) {
  const { postgresSuite } = await import('./suites/postgres');
  const r = await postgresSuite(server, log);
  if (r) run.databases.postgresql = r;
}
if (only.includes('mysql')) {
  const { mysqlSuite } = await import('./suites/mysql');
  const r = await mysqlSuite(server, log);
  if (r) run.databases.mariadb = r;
}

const results = new URL('../results/', import.meta.url);
mkdirSync(results, { recursive: true });
writeFileSync(new URL('latest.json', results), `${JSON.stringify(run, null, 2)}\n`);
const md = markdown(run);
writeFileSync(new URL('latest.md', results), md);
if (!quick && onlyArg < 0) {
  writeFileSync(new URL('../../apps/docs/public/benchmarks.svg', import.meta.url), chartSvg(run));
  // Only a full run (no --only, not --quick) updates the docs. The docs page keeps its prose; only the block between the markers is replaced.
  const page = new URL('../../apps/docs/benchmarks.md', import.meta.url);
  if (existsSync(page)) {
    const text = readFileSync(page, 'utf8');
    const re = /(<!-- results:start -->\n)[\s\S]*(<!-- results:end -->)/;
    if (re.test(text))
      writeFileSync(
        page,
        text.replace(re, (_m, start, end) => `${start}${md}\n${end}`),
      );
  }
}
console.log(md);
